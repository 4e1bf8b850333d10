/**
 * scikit-learn's KD-tree and ball tree (`sklearn.neighbors.KDTree` / `BallTree`, Euclidean metric) for exact
 * k-nearest-neighbour queries, built and searched exactly as scikit-learn 1.2 does, so that among rows at equal
 * distance the same ones are chosen:
 *
 * - shape: a complete binary tree of 2^L − 1 nodes, L = ⌊log2(max(1, (n − 1) / leafSize))⌋ + 1, node i has
 *   children 2i + 1 and 2i + 2; every inner node splits its rows at n_mid = n/2 (integer) on the dimension of
 *   largest spread (first on ties), with C++ `std::nth_element` (libstdc++'s introselect, ported below
 *   step by step) under the order (value, row index);
 * - KD-tree nodes keep per-dimension bounds, ball-tree nodes a centroid (mean of their rows) and radius;
 * - query: depth-first, the child with the smaller lower bound first (the left one on equal bounds), a node is
 *   skipped when its bound exceeds the current k-th distance; candidates enter a max-heap of size k that
 *   rejects a distance equal to or above its largest (scikit-learn's `NeighborsHeap._push`), so the first rows
 *   met in that order win ties.
 *
 * Distances are squared sums in column order (the same bits as {@link squaredDistance} and scikit-learn's
 * `euclidean_rdist`). Rows are stored in tree order in one flat Float64Array; node data are typed arrays.
 * Source: scikit-learn `sklearn/neighbors/_binary_tree.pxi`, `_kd_tree.pyx`, `_ball_tree.pyx`,
 * `_partition_nodes.pyx`; GCC libstdc++ `bits/stl_algo.h` (`__introselect`) and `bits/stl_heap.h`.
 */
import type { DenseMatrix } from "../matrix";
import { LeafKernel } from "./leaf-kernel";

/** The two tree kinds of scikit-learn. */
export type BinaryTreeKind = "kd_tree" | "ball_tree";

/**
 * A static KD-tree or ball tree over the rows of a matrix (scikit-learn's build), answering exact
 * k-nearest-neighbour queries with scikit-learn's tie behaviour. Not exported from the package: used by
 * `kNearestNeighbors`.
 *
 * @example
 * // Five points on a line; the two nearest rows to 2.2, in max-heap order (the farther one first):
 * const tree = new BinaryTree({ rows: 5, cols: 1, data: Float64Array.from([0, 1, 2, 3, 4]) }, "kd_tree", 2);
 * const idx = new Int32Array(2);
 * const dist2 = new Float64Array(2);
 * tree.query(Float64Array.from([2.2]), 1, 2, idx, dist2);
 * Array.from(idx); // [3, 2]
 */
export class BinaryTree {
  readonly kind: BinaryTreeKind;
  readonly leafSize: number;
  readonly nNodes: number;
  /** Training row index of each tree position (scikit-learn's `idx_array`). */
  readonly idxArray: Int32Array;
  /** Node row ranges [idxStart, idxEnd) into idxArray and leaf flags. */
  readonly idxStart: Int32Array;
  readonly idxEnd: Int32Array;
  readonly isLeaf: Uint8Array;
  /** KD-tree: lower and upper bounds per node (node × d); ball tree: centroids (node × d) in `lower`. */
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  /** Ball tree: radius per node. */
  private readonly radius: Float64Array;
  /**
   * The training rows in tree order, stored leaf by leaf column-major with an even stride: the leaf over
   * positions [s, s + L) keeps value j of position s + p at leafBase[leaf] + j·stride + p, stride = L rounded
   * up to even, so a leaf's distances are computed one column at a time over contiguous values, two rows per
   * SIMD step (each distance still summed over j = 0, 1, … in order: the same bits). Lives in the
   * WebAssembly kernel's memory when there is one.
   */
  private readonly rows: Float64Array;
  private readonly leafBase: Int32Array;
  private readonly maxStride: number;
  private readonly kernel: LeafKernel | null;
  private readonly d: number;

  constructor(X: DenseMatrix, kind: BinaryTreeKind, leafSize = 30) {
    const n = X.rows;
    const d = X.cols;
    this.kind = kind;
    this.leafSize = leafSize;
    this.d = d;
    const nLevels = Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize))) + 1;
    this.nNodes = 2 ** nLevels - 1;
    this.idxArray = new Int32Array(n);
    for (let i = 0; i < n; i++) this.idxArray[i] = i;
    this.idxStart = new Int32Array(this.nNodes);
    this.idxEnd = new Int32Array(this.nNodes);
    this.isLeaf = new Uint8Array(this.nNodes);
    this.lower = new Float64Array(this.nNodes * d);
    this.upper = new Float64Array(kind === "kd_tree" ? this.nNodes * d : 0);
    this.radius = new Float64Array(kind === "ball_tree" ? this.nNodes : 0);
    this.build(X.data, 0, 0, n);
    this.leafBase = new Int32Array(this.nNodes);
    let total = 0;
    let maxStride = 2;
    for (let node = 0; node < this.nNodes; node++) {
      if (this.isLeaf[node] !== 1) continue;
      const L = this.idxEnd[node] - this.idxStart[node];
      const stride = L + (L & 1);
      if (stride > maxStride) maxStride = stride;
      this.leafBase[node] = total;
      total += stride * d;
    }
    this.maxStride = maxStride;
    this.kernel = LeafKernel.create(total, d, maxStride);
    this.rows = this.kernel !== null ? this.kernel.f64 : new Float64Array(total);
    for (let node = 0; node < this.nNodes; node++) {
      if (this.isLeaf[node] !== 1) continue;
      const s = this.idxStart[node];
      const L = this.idxEnd[node] - s;
      const stride = L + (L & 1);
      const base = this.leafBase[node];
      for (let p = 0; p < L; p++) {
        const r = this.idxArray[s + p] * d;
        for (let j = 0; j < d; j++) this.rows[base + j * stride + p] = X.data[r + j];
      }
    }
  }

  private build(data: Float64Array, node: number, start: number, end: number): void {
    const d = this.d;
    const idx = this.idxArray;
    this.initNode(data, node, start, end);
    const nPoints = end - start;
    if (2 * node + 1 >= this.nNodes || nPoints < 2) {
      this.isLeaf[node] = 1;
      return;
    }
    // find_node_split_dim: the dimension of largest spread, the first one on ties (0 when all are 0).
    let jMax = 0;
    let maxSpread = 0;
    for (let j = 0; j < d; j++) {
      let hi = data[idx[start] * d + j];
      let lo = hi;
      for (let i = start + 1; i < end; i++) {
        const v = data[idx[i] * d + j];
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
      const spread = hi - lo;
      if (spread > maxSpread) {
        maxSpread = spread;
        jMax = j;
      }
    }
    const nMid = nPoints >> 1;
    nthElement(idx, start, start + nMid, end, data, d, jMax);
    this.build(data, 2 * node + 1, start, start + nMid);
    this.build(data, 2 * node + 2, start + nMid, end);
  }

  private initNode(data: Float64Array, node: number, start: number, end: number): void {
    const d = this.d;
    const idx = this.idxArray;
    this.idxStart[node] = start;
    this.idxEnd[node] = end;
    const o = node * d;
    if (this.kind === "kd_tree") {
      for (let j = 0; j < d; j++) {
        this.lower[o + j] = Infinity;
        this.upper[o + j] = -Infinity;
      }
      for (let i = start; i < end; i++) {
        const r = idx[i] * d;
        for (let j = 0; j < d; j++) {
          const v = data[r + j];
          if (v < this.lower[o + j]) this.lower[o + j] = v;
          if (v > this.upper[o + j]) this.upper[o + j] = v;
        }
      }
      return;
    }
    // Ball tree: centroid = mean of the rows (summed in row order), radius = largest distance to it.
    for (let j = 0; j < d; j++) this.lower[o + j] = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i] * d;
      for (let j = 0; j < d; j++) this.lower[o + j] += data[r + j];
    }
    const count = end - start;
    for (let j = 0; j < d; j++) this.lower[o + j] /= count;
    let r2 = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = this.lower[o + j] - data[r + j];
        s += diff * diff;
      }
      if (s > r2) r2 = s;
    }
    this.radius[node] = Math.sqrt(r2);
  }

  /**
   * The k nearest rows of each of the m query rows (row-major in Q, d columns): writes training indices and
   * squared distances (query × k) as scikit-learn's heap leaves them, unsorted. `order`, when given, lists the
   * query rows in the order to search them (results still go to each row's own place): the training rows in
   * tree order search faster (neighbouring queries walk the same nodes); results do not depend on it.
   */
  query(Q: Float64Array, m: number, k: number, outIdx: Int32Array, outDist2: Float64Array, order?: Int32Array): void {
    const d = this.d;
    const rows = this.rows;
    const perm = this.idxArray;
    const { idxStart, idxEnd, isLeaf, lower, upper, radius, leafBase, kernel } = this;
    const kd = this.kind === "kd_tree";
    const heapD = new Float64Array(k);
    const heapI = new Int32Array(k);
    const depth = Math.ceil(Math.log2(this.nNodes + 1)) + 2;
    const stackNode = new Int32Array(2 * depth);
    const stackBound = new Float64Array(2 * depth);
    const q0 = new Float64Array(d);
    const acc = kernel !== null ? kernel.f64.subarray(kernel.accAt, kernel.accAt + this.maxStride) : new Float64Array(this.maxStride);
    const qAddr = kernel !== null ? kernel.qAt * 8 : 0;
    const accAddr = kernel !== null ? kernel.accAt * 8 : 0;
    // scikit-learn's min_rdist of `node` for the query in q0.
    const minRdist = (node: number): number => {
      const o = node * d;
      let s = 0;
      if (kd) {
        for (let j = 0; j < d; j++) {
          const v = q0[j];
          const dLo = lower[o + j] - v;
          const dHi = v - upper[o + j];
          const g = 0.5 * (dLo + Math.abs(dLo) + (dHi + Math.abs(dHi)));
          s += g * g;
        }
        return s;
      }
      for (let j = 0; j < d; j++) {
        const diff = q0[j] - lower[o + j];
        s += diff * diff;
      }
      const g = Math.max(0, Math.sqrt(s) - radius[node]);
      return g * g;
    };
    for (let t = 0; t < m; t++) {
      const q = order === undefined ? t : order[t];
      for (let j = 0; j < d; j++) q0[j] = Q[q * d + j];
      if (kernel !== null) kernel.f64.set(q0, kernel.qAt);
      heapD.fill(Infinity);
      heapI.fill(0);
      stackNode[0] = 0;
      stackBound[0] = minRdist(0);
      let top = 1;
      while (top > 0) {
        top--;
        const node = stackNode[top];
        let worst = heapD[0];
        if (stackBound[top] > worst) continue;
        if (isLeaf[node] === 1) {
          const start = idxStart[node];
          const L = idxEnd[node] - start;
          const stride = L + (L & 1);
          let o = leafBase[node];
          if (kernel !== null) kernel.sqdist(o * 8, stride * 8, stride * 8, d, qAddr, accAddr);
          else {
            let v = q0[0];
            for (let p = 0; p < L; p++) {
              const diff = v - rows[o + p];
              acc[p] = diff * diff;
            }
            for (let j = 1; j < d; j++) {
              o += stride;
              v = q0[j];
              for (let p = 0; p < L; p++) {
                const diff = v - rows[o + p];
                acc[p] += diff * diff;
              }
            }
          }
          // Candidates in tree order, as scikit-learn pushes them.
          for (let p = 0; p < L; p++) {
            if (acc[p] < worst) {
              heapPush(heapD, heapI, k, acc[p], perm[start + p]);
              worst = heapD[0];
            }
          }
          continue;
        }
        const c1 = 2 * node + 1;
        const c2 = c1 + 1;
        const b1 = minRdist(c1);
        const b2 = minRdist(c2);
        // Depth-first, nearer child first (the left one on equal bounds): push the other one below it.
        if (b1 <= b2) {
          stackNode[top] = c2;
          stackBound[top++] = b2;
          stackNode[top] = c1;
          stackBound[top++] = b1;
        } else {
          stackNode[top] = c1;
          stackBound[top++] = b1;
          stackNode[top] = c2;
          stackBound[top++] = b2;
        }
      }
      outIdx.set(heapI, q * k);
      outDist2.set(heapD, q * k);
    }
  }
}

/**
 * scikit-learn's NeighborsHeap._push (max-heap of `size` squared distances, root = largest) for a value already
 * known to be below the root: replace the root, sift down.
 *
 * @example
 * const D = Float64Array.from([9, 4, 1]);
 * const I = Int32Array.from([0, 1, 2]);
 * heapPush(D, I, 3, 2, 7);
 * Array.from(D); // [4, 2, 1]
 * Array.from(I); // [1, 7, 2]
 */
export function heapPush(D: Float64Array, I: Int32Array, size: number, val: number, iVal: number): void {
  let i = 0;
  for (;;) {
    const c1 = 2 * i + 1;
    const c2 = c1 + 1;
    let swap: number;
    if (c1 >= size) break;
    else if (c2 >= size) {
      if (D[c1] > val) swap = c1;
      else break;
    } else if (D[c1] >= D[c2]) {
      if (val < D[c1]) swap = c1;
      else break;
    } else if (val < D[c2]) swap = c2;
    else break;
    D[i] = D[swap];
    I[i] = I[swap];
    i = swap;
  }
  D[i] = val;
  I[i] = iVal;
}

/**
 * libstdc++'s `std::nth_element(first, nth, last, comp)` on idx[first, last) with comp(a, b) = (value, index)
 * lexicographic on column c, step by step (introselect: median-of-3 pivot, unguarded partition, heap select
 * past the depth limit, insertion sort for ranges of at most 3), so the resulting order equals scikit-learn's.
 */
function nthElement(idx: Int32Array, first: number, nth: number, last: number, data: Float64Array, d: number, c: number): void {
  if (first === last || nth === last) return;
  const less = (a: number, b: number): boolean => {
    const va = data[a * d + c];
    const vb = data[b * d + c];
    return va === vb ? a < b : va < vb;
  };
  const swap = (i: number, j: number): void => {
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  };
  let depthLimit = 2 * (31 - Math.clz32(last - first)); // 2·⌊log2 n⌋ (std::__lg)
  while (last - first > 3) {
    if (depthLimit === 0) {
      heapSelect(idx, first, nth + 1, last, less);
      swap(first, nth);
      return;
    }
    depthLimit--;
    // __unguarded_partition_pivot
    const mid = first + ((last - first) >> 1);
    const a = first + 1;
    const b = mid;
    const cc = last - 1;
    if (less(idx[a], idx[b])) {
      if (less(idx[b], idx[cc])) swap(first, b);
      else if (less(idx[a], idx[cc])) swap(first, cc);
      else swap(first, a);
    } else if (less(idx[a], idx[cc])) swap(first, a);
    else if (less(idx[b], idx[cc])) swap(first, cc);
    else swap(first, b);
    let lo = first + 1;
    let hi = last;
    const pivot = idx[first];
    for (;;) {
      while (less(idx[lo], pivot)) lo++;
      hi--;
      while (less(pivot, idx[hi])) hi--;
      if (!(lo < hi)) break;
      swap(lo, hi);
      lo++;
    }
    const cut = lo;
    if (cut <= nth) first = cut;
    else last = cut;
  }
  // __insertion_sort: with a strict total order the result is the sorted range.
  for (let i = first + 1; i < last; i++) {
    const v = idx[i];
    let j = i;
    while (j > first && less(v, idx[j - 1])) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = v;
  }
}

/** libstdc++ `__heap_select(first, middle, last)`: make_heap on [first, middle), then pop_heap each smaller one. */
function heapSelect(idx: Int32Array, first: number, middle: number, last: number, less: (a: number, b: number) => boolean): void {
  const len = middle - first;
  if (len >= 2) {
    for (let parent = (len - 2) >> 1; ; parent--) {
      adjustHeap(idx, first, parent, len, idx[first + parent], less);
      if (parent === 0) break;
    }
  }
  for (let i = middle; i < last; i++) {
    if (less(idx[i], idx[first])) {
      // __pop_heap(first, middle, i)
      const value = idx[i];
      idx[i] = idx[first];
      adjustHeap(idx, first, 0, len, value, less);
    }
  }
}

/** libstdc++ `__adjust_heap` followed by `__push_heap` (max-heap under `less`). */
function adjustHeap(idx: Int32Array, first: number, hole: number, len: number, value: number, less: (a: number, b: number) => boolean): void {
  const top = hole;
  let second = hole;
  while (second < ((len - 1) >> 1)) {
    second = 2 * (second + 1);
    if (less(idx[first + second], idx[first + second - 1])) second--;
    idx[first + hole] = idx[first + second];
    hole = second;
  }
  if ((len & 1) === 0 && second === (len - 2) >> 1) {
    second = 2 * (second + 1);
    idx[first + hole] = idx[first + second - 1];
    hole = second - 1;
  }
  let parent = (hole - 1) >> 1;
  while (hole > top && less(idx[first + parent], value)) {
    idx[first + hole] = idx[first + parent];
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  idx[first + hole] = value;
}
