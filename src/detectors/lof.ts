/**
 * Local Outlier Factor with scikit-learn's semantics (`sklearn.neighbors.LocalOutlierFactor`).
 *
 * Each row is compared with the density of its k nearest neighbours (Euclidean distance):
 * - k-distance(o): distance from o to its k-th nearest neighbour;
 * - reach-dist(p, o) = max(dist(p, o), k-distance(o));
 * - lrd(p) = 1 / (mean over p's neighbours o of reach-dist(p, o) + 1e-10);
 * - LOF(p) = mean over p's neighbours o of lrd(o) / lrd(p); the score is `-LOF` (scikit-learn's
 *   `negative_outlier_factor_`): about -1 for inliers, much lower for outliers.
 *
 * Scoring the training matrix itself (same shape and values) returns the training
 * `negative_outlier_factor_`, where each row's neighbours exclude the row itself. Scoring any other rows
 * follows scikit-learn's `novelty=True` `score_samples`: neighbours are searched among the training rows,
 * a new row identical to a training row has it as a neighbour at distance 0.
 *
 * Neighbours are exact: a k-d tree for up to 15 features (brute force, O(n²·d), on wider data); subsample
 * large data sets, since every query still costs more as n grows.
 * Among neighbours at exactly equal distance, the lower training index wins. scikit-learn picks among tied
 * rows in the order its KD-tree / ball tree visits them, so on data with duplicate rows or ties at the k-th
 * distance the two can choose different neighbours and scores differ (bench/rivals_parity.ts on ADBench
 * subsamples: identical to ~1e-14 without ties, ROC AUC within 0.003 with them).
 */
import { DataError, OptionError } from "../errors";
import { BaseDetector, validatePositiveInteger } from "./base";
import { squaredDistance } from "./distance";
import type { DetectorOptions } from "./types";
import type { DenseMatrix } from "../matrix";

/** Options of {@link LocalOutlierFactor}. */
export interface LocalOutlierFactorOptions extends DetectorOptions {
  /** Number of neighbours k; capped at n - 1 for n training rows. Default: 20. */
  readonly nNeighbors?: number;
  /** Neighbour search: 'auto' (k-d tree for ≤ 15 features and > 256 rows, else brute force), 'brute' or 'kd-tree'; all exact and identical. Default: 'auto'. */
  readonly algorithm?: NeighborAlgorithm;
}

interface LofState {
  readonly train: DenseMatrix;
  readonly nFeaturesIn: number;
  readonly k: number;
  /** Distance from each training row to its k-th neighbour (self excluded). */
  readonly kDistance: Float64Array;
  /** Local reachability density of each training row. */
  readonly lrd: Float64Array;
  /** scikit-learn's negative_outlier_factor_ of the training rows. */
  readonly negativeOutlierFactor: Float64Array;
}

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

function sameMatrix(a: DenseMatrix, b: DenseMatrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Local Outlier Factor detector (scikit-learn semantics, `nNeighbors` 20, Euclidean distance).
 * `contamination: 'auto'` gives offset -1.5 (as scikit-learn); a number c gives the 100·c-th percentile of
 * the training scores. Deterministic: the `seed` is recorded but nothing is random.
 *
 * @example
 * const lof = new LocalOutlierFactor({ nNeighbors: 5 }).fit([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [8, 8]]);
 * lof.predict([[8, 8]]); // Int8Array [-1]
 */
export class LocalOutlierFactor extends BaseDetector<LofState> {
  readonly name = "lof";
  /** Requested number of neighbours (the fitted value is capped at n - 1, see {@link nNeighborsFitted}). */
  readonly nNeighbors: number;
  readonly algorithm: NeighborAlgorithm;

  constructor(options: LocalOutlierFactorOptions = {}) {
    super("LocalOutlierFactor", options);
    this.nNeighbors = options.nNeighbors ?? 20;
    validatePositiveInteger("nNeighbors", this.nNeighbors);
    this.algorithm = options.algorithm ?? "auto";
    if (this.algorithm !== "auto" && this.algorithm !== "brute" && this.algorithm !== "kd-tree") {
      throw new OptionError(`Expected \`algorithm\` to be 'auto', 'brute' or 'kd-tree', got ${String(options.algorithm)}`);
    }
  }

  /** Neighbours used by the fitted model: min(nNeighbors, n - 1). */
  get nNeighborsFitted(): number {
    return this.fittedModel().k;
  }

  /** scikit-learn's `negative_outlier_factor_` of the training rows (a copy). */
  get negativeOutlierFactor(): Float64Array {
    return this.fittedModel().negativeOutlierFactor.slice();
  }

  /** Finds each training row's neighbours, k-distance, lrd and `negativeOutlierFactor`. */
  protected override fitModel(dense: DenseMatrix): LofState {
    // Keep a private copy: scoring compares against the training rows.
    const train: DenseMatrix = { data: dense.data.slice(), rows: dense.rows, cols: dense.cols };
    const n = train.rows;
    if (n < 2) throw new DataError(`LocalOutlierFactor needs at least 2 rows to find neighbours, got ${n}`);
    const k = Math.max(1, Math.min(this.nNeighbors, n - 1));
    const { indices, distances } = kNearestNeighbors(train, train, k, true, this.algorithm);
    const kDistance = new Float64Array(n);
    for (let i = 0; i < n; i++) kDistance[i] = distances[i * k + k - 1];
    const lrd = reachabilityDensity(indices, distances, kDistance, n, k);
    const nof = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += lrd[indices[i * k + t]] / lrd[i];
      nof[i] = -(s / k);
    }
    return { train, nFeaturesIn: train.cols, k, kDistance, lrd, negativeOutlierFactor: nof };
  }

  /** scikit-learn's offset for 'auto'. */
  protected override autoOffset(): number {
    return -1.5;
  }

  /** `-LOF` per row; the training matrix itself gets its training `negativeOutlierFactor` (self excluded). */
  protected override scoreModel(st: LofState, Q: DenseMatrix): Float64Array {
    if (sameMatrix(Q, st.train)) return st.negativeOutlierFactor.slice();
    const k = st.k;
    const { indices, distances } = kNearestNeighbors(st.train, Q, k, false, this.algorithm);
    const lrdQ = reachabilityDensity(indices, distances, st.kDistance, Q.rows, k);
    const out = new Float64Array(Q.rows);
    for (let i = 0; i < Q.rows; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += st.lrd[indices[i * k + t]] / lrdQ[i];
      out[i] = -(s / k);
    }
    return out;
  }
}

/** lrd of each query: 1 / (mean reach-dist to its k neighbours + 1e-10), as scikit-learn. */
function reachabilityDensity(
  indices: Int32Array,
  distances: Float64Array,
  kDistance: Float64Array,
  m: number,
  k: number,
): Float64Array {
  const lrd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < k; t++) {
      const o = i * k + t;
      s += Math.max(distances[o], kDistance[indices[o]]);
    }
    lrd[i] = 1 / (s / k + 1e-10);
  }
  return lrd;
}
