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
 * Two modes, chosen explicitly with `novelty` (as scikit-learn's `novelty` parameter), never guessed from
 * the query:
 * - `novelty: false` (default, outlier detection): the model scores its own training rows. `scoreSamples`
 *   accepts only the training matrix (same shape and values) and returns `negative_outlier_factor_`, each
 *   row's neighbours excluding the row itself; any other rows are a DataError that says to pass
 *   `novelty: true`.
 * - `novelty: true` (novelty detection): every query row is new, scored as scikit-learn's `score_samples`:
 *   neighbours are searched among the training rows, so a row identical to a training row has it as a
 *   neighbour at distance 0 (scoring the training rows this way is not their outlier factor).
 * In both modes the offset is the 'auto' -1.5 or the contamination percentile of
 * `negative_outlier_factor_`, as scikit-learn.
 *
 * When a value is repeated more than k times, some rows have a k-distance of 0 and their density is only
 * bounded by the 1e-10 guard, so LOF scores stop meaning anything: `fit` then records a warning in
 * `warnings` and emits it as a Node process warning (scikit-learn: "Duplicate values are leading to
 * incorrect results. Increase the number of neighbors for more accurate results.").
 *
 * Neighbours are exact and found as scikit-learn finds them (`algorithm`, `leafSize`): 'auto' takes
 * scikit-learn's KD-tree for up to 15 features and `nNeighbors` < n/2, brute force (O(n²·d)) otherwise. The
 * trees are scikit-learn's own build and depth-first walk ({@link BinaryTree}), so among rows tied at the
 * k-th distance (duplicates, grid data) the same rows are chosen and the scores are scikit-learn's; brute force
 * offers rows in index order to the same heap, as scikit-learn's single-thread brute force (whose Euclidean
 * distances come from a matrix product, so near-ties can round differently there).
 * With `novelty: true` the tree is built once in `fit` and reused by every `scoreSamples`.
 */
import { DataError, OptionError, warnOnce } from "../errors";
import { BaseDetector, DETECTOR_OPTION_KEYS, validatePositiveInteger } from "./base";
import { NEIGHBOR_ALGORITHMS, NeighborIndex, type NeighborAlgorithm } from "./nearest-neighbors";
import { checkChoice } from "../options";
import type { DetectorOptions } from "./types";
import type { DenseMatrix } from "../matrix";
import type { OptionKeys } from "../options";

/** Options of {@link LocalOutlierFactor}. */
export interface LocalOutlierFactorOptions extends DetectorOptions {
  /** Number of neighbours k; capped at n - 1 for n training rows. Default: 20. */
  readonly nNeighbors?: number;
  /**
   * Neighbour search, scikit-learn's `algorithm`: 'auto' (the KD-tree for ≤ 15 features and nNeighbors < n/2,
   * else brute force), 'brute', 'kd_tree' or 'ball_tree'; all exact, with the same distances. Default: 'auto'.
   */
  readonly algorithm?: NeighborAlgorithm;
  /** Rows per leaf of the KD-tree / ball tree (scikit-learn's `leaf_size`). Default: 30. */
  readonly leafSize?: number;
  /**
   * false: outlier detection, score only the training rows (their `negativeOutlierFactor`); true: novelty
   * detection, score any rows as new. Default: false (scikit-learn's default).
   */
  readonly novelty?: boolean;
}

/** Every option name of {@link LocalOutlierFactorOptions} (checked by the constructor: unknown names fail with a suggestion). */
const LOCAL_OUTLIER_FACTOR_OPTION_KEYS: OptionKeys<LocalOutlierFactorOptions> = { ...DETECTOR_OPTION_KEYS, nNeighbors: true, algorithm: true, leafSize: true, novelty: true };

interface LofState {
  readonly train: DenseMatrix;
  /** The neighbour index over `train` (its tree built once, reused for novelty scoring). */
  readonly index: NeighborIndex;
  readonly nFeaturesIn: number;
  readonly k: number;
  /** Distance from each training row to its k-th neighbour (self excluded). */
  readonly kDistance: Float64Array;
  /** Local reachability density of each training row. */
  readonly lrd: Float64Array;
  /** scikit-learn's negative_outlier_factor_ of the training rows. */
  readonly negativeOutlierFactor: Float64Array;
  /** Warnings raised by `fit` (e.g. duplicates beyond k). */
  readonly warnings: readonly string[];
}

/**
 * Whether two dense matrices have the same shape and the same values (element by element, `===`): how a
 * detector recognises its own training rows.
 *
 * @example
 * sameMatrix(toDense([[1, 2]]), toDense([[1, 2]])); // true
 */
export function sameMatrix(a: DenseMatrix, b: DenseMatrix): boolean {
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
 * const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]];
 * const lof = new LocalOutlierFactor({ nNeighbors: 2, novelty: true }).fit(X);
 * lof.predict([[0.5, 0.5], [8, 8]]); // Int8Array [1, -1]
 */
export class LocalOutlierFactor extends BaseDetector<LofState> {
  readonly name = "lof";
  /** Requested number of neighbours (the fitted value is capped at n - 1, see {@link nNeighborsFitted}). */
  readonly nNeighbors: number;
  readonly algorithm: NeighborAlgorithm;
  readonly leafSize: number;
  /** Novelty detection (score any rows as new) rather than outlier detection of the training rows. */
  readonly novelty: boolean;

  constructor(options: LocalOutlierFactorOptions = {}) {
    super("LocalOutlierFactor", options, LOCAL_OUTLIER_FACTOR_OPTION_KEYS);
    this.nNeighbors = options.nNeighbors ?? 20;
    validatePositiveInteger("nNeighbors", this.nNeighbors);
    this.algorithm = checkChoice(options.algorithm ?? "auto", NEIGHBOR_ALGORITHMS, "LocalOutlierFactor `algorithm`");
    this.leafSize = options.leafSize ?? 30;
    validatePositiveInteger("leafSize", this.leafSize);
    this.novelty = options.novelty ?? false;
    if (typeof this.novelty !== "boolean") {
      throw new OptionError(`Expected \`novelty\` to be true or false, got ${String(options.novelty)}`);
    }
  }

  /** Warnings raised by the last `fit` (empty when none), e.g. values repeated more than k times. */
  get warnings(): readonly string[] {
    return this.fittedModel().warnings;
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
    // scikit-learn chooses the method with the requested n_neighbors, before capping it at n - 1.
    const index = new NeighborIndex(train, { algorithm: this.algorithm, leafSize: this.leafSize, autoNeighbors: this.nNeighbors });
    const { indices, distances } = index.kneighbors(train, k, true);
    const kDistance = new Float64Array(n);
    for (let i = 0; i < n; i++) kDistance[i] = distances[i * k + k - 1];
    const lrd = reachabilityDensity(indices, distances, kDistance, n, k);
    const nof = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += lrd[indices[i * k + t]] / lrd[i];
      nof[i] = -(s / k);
    }
    const warnings: string[] = [];
    let zeroKDistance = 0;
    for (let i = 0; i < n; i++) if (kDistance[i] < 1e-10) zeroKDistance++;
    if (zeroKDistance > 0) {
      const w =
        `LocalOutlierFactor: ${zeroKDistance} of ${n} training rows repeat a value at least k = ${k} more times ` +
        `(k-distance 0), so their LOF scores are meaningless: increase nNeighbors above the largest repeat count, ` +
        `or de-duplicate / add features`;
      warnings.push(w);
      // Once per distinct message and process: a comparison or sweep refits LOF on the same data many times.
      warnOnce(w);
    }
    return { train, index, nFeaturesIn: train.cols, k, kDistance, lrd, negativeOutlierFactor: nof, warnings };
  }

  /** Checks a saved state: training matrix, k and per-row arrays of matching sizes. */
  /** The neighbour index is not saved: it is rebuilt from the training rows on load (the build is deterministic). */
  protected override modelToState(model: LofState): unknown {
    const { index: _index, ...rest } = model;
    return rest;
  }

  protected override modelFromState(state: unknown): LofState {
    const s = super.modelFromState(state) as Omit<LofState, "index"> & { index?: NeighborIndex };
    const t = s.train;
    const n = t?.rows;
    this.checkState(
      t !== null && typeof t === "object" && Number.isInteger(n) && n >= 2 && t.cols === s.nFeaturesIn && t.data instanceof Float64Array &&
        t.data.length === n * t.cols && Number.isInteger(s.k) && s.k >= 1 && s.k < n &&
        [s.kDistance, s.lrd, s.negativeOutlierFactor].every((a) => a instanceof Float64Array && a.length === n) &&
        Array.isArray(s.warnings) && s.warnings.every((w) => typeof w === "string"),
      "lacks a consistent training matrix, k, kDistance, lrd or negativeOutlierFactor",
    );
    const index = new NeighborIndex(t, { algorithm: this.algorithm, leafSize: this.leafSize, autoNeighbors: this.nNeighbors });
    return { ...s, index };
  }

  /** scikit-learn's offset for 'auto'. */
  protected override autoOffset(): number {
    return -1.5;
  }

  /** The offset is taken from `negativeOutlierFactor` in both modes, as scikit-learn. */
  protected override trainingScores(st: LofState): Float64Array {
    return st.negativeOutlierFactor;
  }

  /**
   * `-LOF` per row. novelty false: Q must be the training matrix, scored by its `negativeOutlierFactor`
   * (self excluded); novelty true: every row of Q is new.
   */
  protected override scoreModel(st: LofState, Q: DenseMatrix): Float64Array {
    if (!this.novelty) {
      if (sameMatrix(Q, st.train)) return st.negativeOutlierFactor.slice();
      throw new DataError(
        `LocalOutlierFactor with novelty: false (outlier detection) scores only its training rows (${st.train.rows} × ${st.train.cols}), ` +
          `got ${Q.rows} × ${Q.cols} other rows: pass { novelty: true } to score new rows`,
      );
    }
    const k = st.k;
    const { indices, distances } = st.index.kneighbors(Q, k, false);
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
