/**
 * Exact k-nearest-neighbour search by Euclidean distance, as scikit-learn's `NearestNeighbors.kneighbors`:
 * brute force, or scikit-learn's KD-tree / ball tree ({@link BinaryTree}), chosen by 'auto' with scikit-learn's
 * rule. Used by {@link LocalOutlierFactor} and by anything else that needs neighbours.
 */
import { DataError } from "../errors";
import type { DenseMatrix } from "../matrix";
import { checkChoice } from "../options";
import { BinaryTree, heapPush } from "./binary-tree";
import { squaredDistance } from "./distance";
import { LeafKernel } from "./leaf-kernel";

/**
 * How {@link kNearestNeighbors} searches (scikit-learn's `algorithm`): 'brute' compares every pair, 'kd_tree'
 * and 'ball_tree' prune with scikit-learn's trees, 'auto' picks as scikit-learn does.
 */
export type NeighborAlgorithm = "auto" | "brute" | "kd_tree" | "ball_tree";

/** Every {@link NeighborAlgorithm}, in scikit-learn's order. */
export const NEIGHBOR_ALGORITHMS: readonly NeighborAlgorithm[] = ["auto", "brute", "kd_tree", "ball_tree"];

/** Options of {@link kNearestNeighbors}. */
export interface NeighborSearchOptions {
  /** Search method. Default: 'auto'. */
  readonly algorithm?: NeighborAlgorithm;
  /** Rows per tree leaf (scikit-learn's `leaf_size`). Default: 30. */
  readonly leafSize?: number;
  /**
   * The neighbour count 'auto' weighs against n/2 (scikit-learn uses the estimator's `n_neighbors`, before it
   * is capped at n - 1). Default: k.
   */
  readonly autoNeighbors?: number;
}

/**
 * The method 'auto' resolves to, as scikit-learn 1.2's `_fit`: brute force when there are more than 15
 * features or `nNeighbors` ≥ ⌊n/2⌋, else the KD-tree (Euclidean).
 *
 * @example
 * resolveNeighborAlgorithm("auto", 1000, 3, 20); // "kd_tree"
 * resolveNeighborAlgorithm("auto", 1000, 36, 20); // "brute"
 */
export function resolveNeighborAlgorithm(algorithm: NeighborAlgorithm, n: number, d: number, nNeighbors: number): "brute" | "kd_tree" | "ball_tree" {
  checkChoice(algorithm, NEIGHBOR_ALGORITHMS, "neighbour algorithm");
  if (algorithm !== "auto") return algorithm;
  return d > 15 || nNeighbors >= Math.floor(n / 2) ? "brute" : "kd_tree";
}

/**
 * The k nearest training rows of each query row, by exact Euclidean distance, as scikit-learn's
 * `kneighbors`. When `excludeSelf` is true the queries are the training rows and, as scikit-learn, k + 1
 * neighbours are searched and row i itself removed (or, when k + 1 or more exact duplicates crowd it out, the
 * first one).
 * Returns row-major `indices` and `distances` (queries × k), neighbours by increasing distance, equal
 * distances by index. Distances are the same bits whatever the method. Which rows are chosen among rows tied at
 * the k-th distance follows the method, as in scikit-learn: candidates enter scikit-learn's max-heap in the
 * order the method meets them (index order for brute force, the depth-first walk for the trees), so LOF scores
 * match scikit-learn's on tied data.
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
  options: NeighborAlgorithm | NeighborSearchOptions = {},
): { indices: Int32Array; distances: Float64Array } {
  const opts: NeighborSearchOptions = typeof options === "string" ? { algorithm: options } : options;
  return new NeighborIndex(train, { ...opts, autoNeighbors: opts.autoNeighbors ?? k }).kneighbors(queries, k, excludeSelf);
}

/**
 * The training rows indexed once for repeated exact k-nearest-neighbour queries (scikit-learn's fitted
 * `NearestNeighbors`): the tree, when the method is one, is built in the constructor and reused by every
 * {@link NeighborIndex.kneighbors} call. Results are those of {@link kNearestNeighbors}.
 *
 * @example
 * const index = new NeighborIndex(toDense([[0], [1], [3]]), { algorithm: "kd_tree" });
 * index.kneighbors(toDense([[2.5]]), 2, false).indices; // Int32Array [2, 1]
 */
export class NeighborIndex {
  /** The method in use ('auto' resolved). */
  readonly method: "brute" | "kd_tree" | "ball_tree";
  private readonly tree: BinaryTree | undefined;

  constructor(
    private readonly train: DenseMatrix,
    options: NeighborSearchOptions = {},
  ) {
    const leafSize = options.leafSize ?? 30;
    if (!(Number.isInteger(leafSize) && leafSize >= 1)) throw new DataError(`Expected \`leafSize\` to be a positive integer, got ${String(leafSize)}`);
    if (train.rows < 1) throw new DataError("Expected at least one training row to search neighbours in, got 0");
    this.method = resolveNeighborAlgorithm(options.algorithm ?? "auto", train.rows, train.cols, options.autoNeighbors ?? 1);
    this.tree = this.method === "brute" ? undefined : new BinaryTree(train, this.method, leafSize);
  }

  /** The k nearest training rows of each query row; `excludeSelf`: the queries are the training rows (see {@link kNearestNeighbors}). */
  kneighbors(queries: DenseMatrix, k: number, excludeSelf: boolean): { indices: Int32Array; distances: Float64Array } {
    const train = this.train;
    const n = train.rows;
    const available = excludeSelf ? n - 1 : n;
    if (!Number.isInteger(k) || k < 1 || k > available) {
      throw new DataError(`Expected k in [1, ${available}] neighbours for ${n} training rows, got ${k}`);
    }
    if (queries.cols !== train.cols) {
      throw new DataError(`Expected query rows with ${train.cols} features (as the training rows), got ${queries.cols}`);
    }
    if (excludeSelf && queries.rows !== n) {
      throw new DataError(`excludeSelf needs the training rows as queries (${n} rows), got ${queries.rows}`);
    }
    const kk = excludeSelf ? k + 1 : k;
    const m = queries.rows;
    let idx: Int32Array;
    let dist2: Float64Array;
    if (this.tree === undefined) {
      ({ idx, dist2 } = bruteSearch(train, queries, kk));
    } else {
      idx = new Int32Array(m * kk);
      dist2 = new Float64Array(m * kk);
      // The training rows as queries: search them in tree order (faster; same results).
      this.tree.query(queries.data, m, kk, idx, dist2, excludeSelf ? this.tree.idxArray : undefined);
      for (let q = 0; q < m; q++) sortPairs(dist2, idx, q * kk, kk);
    }
    const indices = new Int32Array(m * k);
    const distances = new Float64Array(m * k);
    for (let q = 0; q < m; q++) {
      const src = q * kk;
      let drop = -1;
      if (excludeSelf) {
        // scikit-learn: drop the row itself; when duplicates crowded it out, drop the first neighbour.
        drop = 0;
        for (let t = 0; t < kk; t++) {
          if (idx[src + t] === q) {
            drop = t;
            break;
          }
        }
      }
      let o = q * k;
      for (let t = 0; t < kk; t++) {
        if (t === drop) continue;
        indices[o] = idx[src + t];
        distances[o++] = Math.sqrt(dist2[src + t]);
      }
    }
    return { indices, distances };
  }
}

/** Sorts the k (squared distance, index) pairs at offset o by distance, then index (insertion sort: k is small). */
function sortPairs(D: Float64Array, I: Int32Array, o: number, k: number): void {
  for (let i = o + 1; i < o + k; i++) {
    const dv = D[i];
    const iv = I[i];
    let j = i;
    while (j > o && (D[j - 1] > dv || (D[j - 1] === dv && I[j - 1] > iv))) {
      D[j] = D[j - 1];
      I[j] = I[j - 1];
      j--;
    }
    D[j] = dv;
    I[j] = iv;
  }
}

/**
 * Brute force as scikit-learn's (`ArgKmin`, single thread): every training row in index order offered to
 * scikit-learn's max-heap of size k, which rejects a distance equal to its largest; then sorted by distance and
 * index. Among rows tied at the k-th distance the heap keeps the ones scikit-learn keeps.
 */
function bruteSearch(train: DenseMatrix, queries: DenseMatrix, k: number): { idx: Int32Array; dist2: Float64Array } {
  const T = train.data;
  const Q = queries.data;
  const n = train.rows;
  const d = train.cols;
  const m = queries.rows;
  const idx = new Int32Array(m * k);
  const dist2 = new Float64Array(m * k);
  const D = new Float64Array(k);
  const I = new Int32Array(k);
  // All training rows as one column-major block for the WebAssembly kernel (same sums, two rows per step).
  const stride = n + (n & 1);
  const kernel = LeafKernel.create(stride * d, d, stride);
  if (kernel !== null) {
    for (let j = 0; j < n; j++) for (let c = 0; c < d; c++) kernel.f64[c * stride + j] = T[j * d + c];
  }
  const acc = kernel !== null ? kernel.f64.subarray(kernel.accAt, kernel.accAt + n) : null;
  for (let q = 0; q < m; q++) {
    const qo = q * d;
    D.fill(Infinity);
    I.fill(0);
    if (kernel !== null && acc !== null) {
      kernel.f64.set(Q.subarray(qo, qo + d), kernel.qAt);
      kernel.sqdist(0, stride * 8, stride * 8, d, kernel.qAt * 8, kernel.accAt * 8);
      for (let j = 0; j < n; j++) if (acc[j] < D[0]) heapPush(D, I, k, acc[j], j);
    } else {
      for (let j = 0; j < n; j++) {
        const s = squaredDistance(Q, qo, T, j * d, d);
        if (s < D[0]) heapPush(D, I, k, s, j);
      }
    }
    idx.set(I, q * k);
    dist2.set(D, q * k);
    sortPairs(dist2, idx, q * k, k);
  }
  return { idx, dist2 };
}
