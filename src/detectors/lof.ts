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
import { kNearestNeighbors, type NeighborAlgorithm } from "./nearest-neighbors";
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
