/**
 * Which features isolated a row: a path-based attribution for the Isolation Forest. In every tree the
 * row's path from the root to its leaf is a sequence of splits, each sending the row into a smaller node;
 * a split on feature j that takes the row from a node of n training rows to one of m is credited
 * log2(n / m) bits, the share of the isolation it achieved (a split that merely halves the sample earns 1
 * bit; one that cuts the row off from 255 others earns 8). Credits are summed over trees and normalised to
 * sum to 1 per row (all zeros for a row no tree splits, e.g. constant data). A feature constant in a node is
 * never split there, so a feature that never varies gets 0. Related: local DIFFI (Carletti, Terzi & Susto,
 * 2023), which credits splits by 1 / path length instead; bits separate the deciding split from the
 * incidental ones much more sharply.
 *
 * Node sizes are not stored in the forest: each leaf's is recovered from its path length (depth +
 * c(size), c increasing), each inner node's as the sum of its leaves'; computed once per forest.
 *
 * @example
 * // One tree of 256 rows: x0 <= 5 halves it (128 | 128), then x1 <= 0 cuts 1 row off from 127.
 * const c = averagePathLength; // leaf value = depth + c(rows in leaf)
 * const tree = {
 *   feature: Int32Array.of(0, -1, 1, -1, -1), threshold: Float64Array.of(5, Infinity, 0, Infinity, Infinity),
 *   children: Int32Array.of(1, 1, 3, 3, 4), value: Float64Array.of(0, 1 + c(128), 0, 2 + c(1), 2 + c(127)),
 *   roots: Int32Array.of(0), depth: 2,
 * };
 * // Row [10, -1]: 1 bit on x0, then 7 on x1; [10, 1]: 1 bit, then log2(128 / 127); [0, 0]: 1 bit on x0.
 * isolationPathAttribution(tree, toDense([[10, -1], [10, 1], [0, 0]])).data; // [0.125, 0.875, 0.989, 0.011, 1, 0]
 */
import type { DenseMatrix } from "../matrix";
import type { KernelForest } from "./iforest-kernel";

const EULER_GAMMA = 0.5772156649015329;
const c = (n: number) => (n <= 1 ? 0 : n === 2 ? 1 : 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n);

/** Leaf size whose c(size) is nearest `target` (c is increasing), searched in [1, 2^31). */
function leafSize(target: number): number {
  if (target <= 0.5) return target <= 1e-9 ? 1 : c(2) - target < target ? 2 : 1;
  let lo = 1;
  let hi = 2;
  while (c(hi) < target && hi < 2 ** 31) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (c(mid) < target) lo = mid;
    else hi = mid;
  }
  return target - c(lo) <= c(hi) - target ? lo : hi;
}

const sizesCache = new WeakMap<KernelForest, Float64Array>();

/** Training rows in every node of the forest (recovered from the leaves' path lengths). */
function nodeSizes(forest: KernelForest): Float64Array {
  const cached = sizesCache.get(forest);
  if (cached) return cached;
  const { feature, children, value, roots } = forest;
  const size = new Float64Array(feature.length);
  const visit = (node: number, depth: number): number => {
    if (feature[node] < 0) return (size[node] = leafSize(value[node] - depth));
    return (size[node] = visit(children[node], depth + 1) + visit(children[node] + 1, depth + 1));
  };
  for (let t = 0; t < roots.length; t++) visit(roots[t], 0);
  sizesCache.set(forest, size);
  return size;
}

/**
 * Attribution per row and feature (rows × features, row-major, each row summing to 1 or all 0) of a grown
 * forest (node-record form) for rows X (already cast as the forest scores them).
 *
 * @example
 * const X = toFloat32Matrix(X2); // X2: 200 × 2, cast as the sklearn tree builder grows and scores
 * const opts = { nEstimators: 100, maxSamples: 200, maxFeatures: 2, bootstrap: false, seed: 0 };
 * const forest = growSklearnForest(X, { ...opts, averagePathLength });
 * isolationPathAttribution(forest, X).data.subarray(0, X.cols); // [0.64, 0.36]: the first row's shares
 */
export function isolationPathAttribution(forest: KernelForest, X: DenseMatrix): DenseMatrix {
  const { feature, threshold, children, roots } = forest;
  const size = nodeSizes(forest);
  const d = X.cols;
  const out = new Float64Array(X.rows * d);
  for (let r = 0; r < X.rows; r++) {
    const base = r * d;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t];
      let f = feature[node];
      while (f >= 0) {
        const next = X.data[base + f] <= threshold[node] ? children[node] : children[node] + 1;
        if (size[next] > 0) out[base + f] += Math.log2(size[node] / size[next]);
        node = next;
        f = feature[node];
      }
    }
    let sum = 0;
    for (let j = 0; j < d; j++) sum += out[base + j];
    if (sum > 0) for (let j = 0; j < d; j++) out[base + j] /= sum;
  }
  return { data: out, rows: X.rows, cols: d };
}
