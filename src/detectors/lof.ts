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
 * Neighbours are exact (brute force, O(n²·d) at fit): fine up to ~20k rows; subsample above that.
 * Among neighbours at exactly equal distance, the lower training index wins. scikit-learn picks among tied
 * rows in the order its KD-tree / ball tree visits them, so on data with duplicate rows or ties at the k-th
 * distance the two can choose different neighbours and scores differ (bench/rivals_parity.ts on ADBench
 * subsamples: identical to ~1e-14 without ties, ROC AUC within 0.003 with them).
 */
import { DataError } from "../errors";
import {
  checkFeatureCount,
  offsetFromContamination,
  requireFitted,
  toDense,
  validateContamination,
  validateSeed,
  predictFromDecision,
  subtractOffset,
  validatePositiveInteger,
} from "./base";
import type { Contamination, DenseMatrix, Detector, DetectorOptions, Matrix } from "./types";

/** Options of {@link LocalOutlierFactor}. */
export interface LocalOutlierFactorOptions extends DetectorOptions {
  /** Number of neighbours k; capped at n - 1 for n training rows. Default: 20. */
  readonly nNeighbors?: number;
}

interface LofState {
  readonly train: DenseMatrix;
  readonly k: number;
  /** Distance from each training row to its k-th neighbour (self excluded). */
  readonly kDistance: Float64Array;
  /** Local reachability density of each training row. */
  readonly lrd: Float64Array;
  /** scikit-learn's negative_outlier_factor_ of the training rows. */
  readonly negativeOutlierFactor: Float64Array;
  readonly offset: number;
}

/**
 * The k nearest training rows of each query row, by exact Euclidean distance. When `excludeSelf` is true
 * the queries are the training rows and row i never counts as its own neighbour.
 * Returns row-major `indices` and `distances` (queries × k), neighbours by increasing distance.
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
): { indices: Int32Array; distances: Float64Array } {
  const n = train.rows;
  const d = train.cols;
  const m = queries.rows;
  const available = excludeSelf ? n - 1 : n;
  if (k < 1 || k > available) {
    throw new DataError(`Expected k in [1, ${available}] neighbours for ${n} training rows, got ${k}`);
  }
  const T = train.data;
  const Q = queries.data;
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let q = 0; q < m; q++) {
    let count = 0;
    const qo = q * d;
    for (let j = 0; j < n; j++) {
      if (excludeSelf && j === q) continue;
      const jo = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = Q[qo + c] - T[jo + c];
        s += diff * diff;
      }
      if (count < k) {
        // Insert keeping ascending order; equal distances keep the earlier index first.
        let p = count++;
        while (p > 0 && bestD[p - 1] > s) {
          bestD[p] = bestD[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestD[p] = s;
        bestI[p] = j;
      } else if (s < bestD[k - 1]) {
        let p = k - 1;
        while (p > 0 && bestD[p - 1] > s) {
          bestD[p] = bestD[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestD[p] = s;
        bestI[p] = j;
      }
    }
    const o = q * k;
    for (let t = 0; t < k; t++) {
      indices[o + t] = bestI[t];
      distances[o + t] = Math.sqrt(bestD[t]);
    }
  }
  return { indices, distances };
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
export class LocalOutlierFactor implements Detector {
  readonly name = "lof";
  /** Requested number of neighbours (the fitted value is capped at n - 1, see {@link nNeighborsFitted}). */
  readonly nNeighbors: number;
  readonly contamination: Contamination;
  /** Recorded for the contract; LOF makes no random choice. */
  readonly seed: number;
  private state: LofState | null = null;

  constructor(options: LocalOutlierFactorOptions = {}) {
    this.nNeighbors = options.nNeighbors ?? 20;
    validatePositiveInteger("nNeighbors", this.nNeighbors);
    this.contamination = validateContamination(options.contamination ?? "auto");
    this.seed = validateSeed(options.seed ?? 0);
  }

  get offset(): number {
    return requireFitted(this.state, "LocalOutlierFactor").offset;
  }

  get nFeaturesIn(): number {
    return requireFitted(this.state, "LocalOutlierFactor").train.cols;
  }

  /** Neighbours used by the fitted model: min(nNeighbors, n - 1). */
  get nNeighborsFitted(): number {
    return requireFitted(this.state, "LocalOutlierFactor").k;
  }

  /** scikit-learn's `negative_outlier_factor_` of the training rows (a copy). */
  get negativeOutlierFactor(): Float64Array {
    return requireFitted(this.state, "LocalOutlierFactor").negativeOutlierFactor.slice();
  }

  fit(X: Matrix): this {
    this.state = null;
    const dense = toDense(X, "X");
    // Keep a private copy: scoring compares against the training rows.
    const train: DenseMatrix = { data: dense.data.slice(), rows: dense.rows, cols: dense.cols };
    const n = train.rows;
    if (n < 2) throw new DataError(`LocalOutlierFactor needs at least 2 rows to find neighbours, got ${n}`);
    const k = Math.max(1, Math.min(this.nNeighbors, n - 1));
    const { indices, distances } = kNearestNeighbors(train, train, k, true);
    const kDistance = new Float64Array(n);
    for (let i = 0; i < n; i++) kDistance[i] = distances[i * k + k - 1];
    const lrd = reachabilityDensity(indices, distances, kDistance, n, k);
    const nof = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += lrd[indices[i * k + t]] / lrd[i];
      nof[i] = -(s / k);
    }
    const offset = this.contamination === "auto" ? -1.5 : offsetFromContamination(nof, this.contamination);
    this.state = { train, k, kDistance, lrd, negativeOutlierFactor: nof, offset };
    return this;
  }

  scoreSamples(X: Matrix): Float64Array {
    const st = requireFitted(this.state, "LocalOutlierFactor");
    const Q = toDense(X, "X");
    checkFeatureCount(Q.cols, st.train.cols, "LocalOutlierFactor");
    if (sameMatrix(Q, st.train)) return st.negativeOutlierFactor.slice();
    const k = st.k;
    const { indices, distances } = kNearestNeighbors(st.train, Q, k, false);
    const lrdQ = reachabilityDensity(indices, distances, st.kDistance, Q.rows, k);
    const out = new Float64Array(Q.rows);
    for (let i = 0; i < Q.rows; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += st.lrd[indices[i * k + t]] / lrdQ[i];
      out[i] = -(s / k);
    }
    return out;
  }

  decisionFunction(X: Matrix): Float64Array {
    return subtractOffset(this.scoreSamples(X), this.offset);
  }

  predict(X: Matrix): Int8Array {
    return predictFromDecision(this.decisionFunction(X));
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
