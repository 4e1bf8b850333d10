/**
 * Exact k-nearest-neighbour search by Euclidean distance (brute force or a k-d tree, identical results),
 * used by {@link LocalOutlierFactor} and by anything else that needs neighbours.
 */
import { DataError } from "../errors";
import type { DenseMatrix } from "../matrix";
import { squaredDistance } from "./distance";

/** How {@link kNearestNeighbors} searches: 'brute' compares every pair, 'kd-tree' prunes with a k-d tree, 'auto' picks. */
export type NeighborAlgorithm = "auto" | "brute" | "kd-tree";

/**
 * The k nearest training rows of each query row, by exact Euclidean distance. When `excludeSelf` is true
 * the queries are the training rows and row i never counts as its own neighbour.
 * Returns row-major `indices` and `distances` (queries × k), neighbours by increasing distance; equal
 * distances are ordered by training index. Both algorithms return identical results (same squared-distance
 * arithmetic, same tie rule); 'auto' uses the k-d tree for at most 15 features and more than 256 rows
 * (scikit-learn's rule of thumb), brute force otherwise.
 *
 * @example
 * const { indices } = kNearestNeighbors(toDense([[0], [1], [3]]), toDense([[0], [1], [3]]), 1, true);
 * // indices [1, 0, 1]
 */
export function kNearestNeighbors(
  train: DenseMatrix,
  queries: DenseMatrix,
  k: number,
  excludeSelf: boolean,
  algorithm: NeighborAlgorithm = "auto",
): { indices: Int32Array; distances: Float64Array } {
  const n = train.rows;
  const available = excludeSelf ? n - 1 : n;
  if (k < 1 || k > available) {
    throw new DataError(`Expected k in [1, ${available}] neighbours for ${n} training rows, got ${k}`);
  }
  const useTree = algorithm === "kd-tree" || (algorithm === "auto" && train.cols <= 15 && n > 256);
  const search = useTree ? new KdTree(train, 16).searcher(k) : bruteSearcher(train, k);
  const m = queries.rows;
  const d = queries.cols;
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  for (let q = 0; q < m; q++) {
    const best = search(queries.data, q * d, excludeSelf ? q : -1);
    const o = q * k;
    for (let t = 0; t < k; t++) {
      indices[o + t] = best.index[t];
      distances[o + t] = Math.sqrt(best.dist2[t]);
    }
  }
  return { indices, distances };
}

/** The k best (squared distance, index) pairs, ascending, ties by index. */
interface KBest {
  readonly dist2: Float64Array;
  readonly index: Int32Array;
}
type Searcher = (Q: Float64Array, qo: number, skip: number) => KBest;

/** Offers (s, j) to the sorted k-best list holding `count` entries; returns the new count. */
function offer(best: KBest, k: number, count: number, s: number, j: number): number {
  const D = best.dist2;
  const I = best.index;
  let p: number;
  if (count < k) p = count++;
  else if (s < D[k - 1] || (s === D[k - 1] && j < I[k - 1])) p = k - 1;
  else return count;
  while (p > 0 && (D[p - 1] > s || (D[p - 1] === s && I[p - 1] > j))) {
    D[p] = D[p - 1];
    I[p] = I[p - 1];
    p--;
  }
  D[p] = s;
  I[p] = j;
  return count;
}

function bruteSearcher(train: DenseMatrix, k: number): Searcher {
  const T = train.data;
  const n = train.rows;
  const d = train.cols;
  const best: KBest = { dist2: new Float64Array(k), index: new Int32Array(k) };
  return (Q, qo, skip) => {
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (j !== skip) count = offer(best, k, count, squaredDistance(Q, qo, T, j * d, d), j);
    }
    return best;
  };
}

/**
 * A static k-d tree over the training rows (median splits on the widest dimension, bounding boxes per node)
 * for exact k-nearest-neighbour queries.
 */
class KdTree {
  private readonly perm: Int32Array;
  /** Per node: [start, end) into perm, children (-1 for a leaf). */
  private readonly nodeStart: number[] = [];
  private readonly nodeEnd: number[] = [];
  private readonly nodeLeft: number[] = [];
  private readonly nodeRight: number[] = [];
  /** Per node: bounding box lows and highs, node-major (node × d). */
  private lo: number[] = [];
  private hi: number[] = [];

  constructor(
    private readonly train: DenseMatrix,
    private readonly leafSize: number,
  ) {
    this.perm = new Int32Array(train.rows);
    for (let i = 0; i < train.rows; i++) this.perm[i] = i;
    this.build(0, train.rows);
  }

  private build(start: number, end: number): number {
    const { data: T, cols: d } = this.train;
    const id = this.nodeStart.length;
    this.nodeStart.push(start);
    this.nodeEnd.push(end);
    this.nodeLeft.push(-1);
    this.nodeRight.push(-1);
    let widest = 0;
    let width = -1;
    for (let c = 0; c < d; c++) {
      let a = Infinity;
      let b = -Infinity;
      for (let i = start; i < end; i++) {
        const v = T[this.perm[i] * d + c];
        if (v < a) a = v;
        if (v > b) b = v;
      }
      this.lo.push(a);
      this.hi.push(b);
      if (b - a > width) {
        width = b - a;
        widest = c;
      }
    }
    if (end - start > this.leafSize && width > 0) {
      const mid = (start + end) >> 1;
      this.select(start, end, mid, widest);
      const left = this.build(start, mid);
      const right = this.build(mid, end);
      this.nodeLeft[id] = left;
      this.nodeRight[id] = right;
    }
    return id;
  }

  /** Quickselect: perm[start, end) partially ordered so that position `kth` holds its order statistic on column c. */
  private select(start: number, end: number, kth: number, c: number): void {
    const { data: T, cols: d } = this.train;
    const P = this.perm;
    let lo = start;
    let hi = end - 1;
    while (hi > lo) {
      const pivot = T[P[(lo + hi) >> 1] * d + c];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (T[P[i] * d + c] < pivot) i++;
        while (T[P[j] * d + c] > pivot) j--;
        if (i <= j) {
          const t = P[i];
          P[i] = P[j];
          P[j] = t;
          i++;
          j--;
        }
      }
      if (kth <= j) hi = j;
      else if (kth >= i) lo = i;
      else break;
    }
  }

  searcher(k: number): Searcher {
    const { data: T, cols: d } = this.train;
    const P = this.perm;
    const best: KBest = { dist2: new Float64Array(k), index: new Int32Array(k) };
    const { nodeStart, nodeEnd, nodeLeft, nodeRight, lo, hi } = this;
    const lowerBound = (Q: Float64Array, qo: number, node: number): number => {
      let s = 0;
      const b = node * d;
      for (let c = 0; c < d; c++) {
        const v = Q[qo + c];
        const g = v < lo[b + c] ? lo[b + c] - v : v > hi[b + c] ? v - hi[b + c] : 0;
        s += g * g;
      }
      return s;
    };
    return (Q, qo, skip) => {
      let count = 0;
      const visit = (node: number, bound: number): void => {
        // Prune only when strictly farther: an equal bound may hold a tie with a lower index.
        if (count === k && bound > best.dist2[k - 1]) return;
        const left = nodeLeft[node];
        if (left < 0) {
          for (let i = nodeStart[node]; i < nodeEnd[node]; i++) {
            const j = P[i];
            if (j !== skip) count = offer(best, k, count, squaredDistance(Q, qo, T, j * d, d), j);
          }
          return;
        }
        const right = nodeRight[node];
        const bl = lowerBound(Q, qo, left);
        const br = lowerBound(Q, qo, right);
        if (bl <= br) {
          visit(left, bl);
          visit(right, br);
        } else {
          visit(right, br);
          visit(left, bl);
        }
      };
      visit(0, 0);
      return best;
    };
  }
}
