/**
 * What every siemlab detector shares: input validation and thresholding helpers, so that all of them
 * accept the same inputs, reject the same bad inputs with the same fix-it messages, and turn
 * `contamination` into an offset the same way scikit-learn does; and {@link BaseDetector}, the class that
 * wires them into the {@link Detector} contract so that each detector only says how it learns and scores.
 *
 * @example
 * const X = toDense([[1, 2], [3, 4]]); // { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 * percentile([1, 2, 3, 4], 50);       // 2.5, as np.percentile
 */
import { DataError, ModelFileError, NotFittedError, OptionError } from "../errors";
import { type DenseMatrix, type Matrix, toDense } from "../matrix";
import { percentile } from "../percentile";
import { checkOptions, type OptionKeys } from "../options";
import { checkSeed } from "../random";
import { decisionScale } from "./anomaly-scale";
import type { Contamination, Detector, DetectorOptions } from "./types";
import {
  EXPORT_DETECTOR_STATE,
  RESTORE_DETECTOR_STATE,
  readDetectorFile,
  restoreDetector,
  writeDetectorFile,
  type SavableDetector,
  type SavedFit,
  type SaveModelOptions,
} from "./detector-file";

/**
 * Throws a DataError unless `got` features equal the `expected` number seen by `name`.fit.
 *
 * @example
 * checkFeatureCount(3, 3, "IsolationForest"); // ok
 */
export function checkFeatureCount(got: number, expected: number, name: string): void {
  if (got !== expected) {
    throw new DataError(`Expected ${expected} features (as seen by ${name}.fit), got ${got}: pass the same columns as at fit`);
  }
}

/**
 * Returns `c` if it is 'auto' or a number in (0, 0.5]; otherwise throws an OptionError.
 *
 * @example
 * validateContamination(0.05); // 0.05
 * validateContamination(0.7);  // throws: Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7
 */
export function validateContamination(c: Contamination): Contamination {
  if (c === "auto") return c;
  if (typeof c !== "number" || !(c > 0 && c <= 0.5)) {
    throw new OptionError(`Expected \`contamination\` to be 'auto' or a number in (0, 0.5], got ${typeof c === "string" ? `'${c}'` : String(c)}`);
  }
  return c;
}

/**
 * Throws an OptionError unless `v` is an integer >= 1.
 *
 * @example
 * validatePositiveInteger("nEstimators", 100); // ok
 */
export function validatePositiveInteger(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new OptionError(`Expected \`${name}\` to be a positive integer, got ${String(v)}`);
  }
}

/**
 * The offset that flags a `contamination` fraction of the training rows: scikit-learn's
 * `np.percentile(train_scores, 100 * contamination)`.
 *
 * @example
 * offsetFromContamination([-0.7, -0.5, -0.45, -0.44, -0.4], 0.25); // -0.5
 */
export function offsetFromContamination(trainScores: ArrayLike<number>, contamination: number): number {
  return percentile(trainScores, 100 * contamination);
}

/**
 * The error for using a detector before `fit`: "IsolationForest is not fitted yet: call fit(X) first".
 *
 * @example
 * throw notFittedError("IsolationForest"); // throws: IsolationForest is not fitted yet: call fit(X) first
 */
export function notFittedError(name: string): NotFittedError {
  return new NotFittedError(`${name} is not fitted yet: call fit(X) first`);
}

/**
 * Returns the fitted state, or throws {@link notFittedError} when it is still null.
 *
 * @example
 * requireFitted({ nFeaturesIn: 2 }, "IsolationForest").nFeaturesIn; // 2
 * requireFitted(null, "IsolationForest"); // throws: IsolationForest is not fitted yet
 */
export function requireFitted<T>(state: T | null | undefined, name: string): T {
  if (state === null || state === undefined) throw notFittedError(name);
  return state;
}

/**
 * `predict` from decision values: -1 where `decision < 0` (outlier), else 1, as scikit-learn.
 *
 * @example
 * predictFromDecision(Float64Array.of(-0.1, 0, 0.2)); // Int8Array [-1, 1, 1]
 */
export function predictFromDecision(decision: ArrayLike<number>): Int8Array {
  const out = new Int8Array(decision.length);
  for (let i = 0; i < decision.length; i++) out[i] = decision[i] < 0 ? -1 : 1;
  return out;
}

/**
 * `scoreSamples - offset` as a new array.
 *
 * @example
 * subtractOffset(Float64Array.of(-0.6, -0.4), -0.5); // Float64Array [-0.1, 0.1] (to rounding)
 */
export function subtractOffset(scores: ArrayLike<number>, offset: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] - offset;
  return out;
}

/** The option names every detector shares ({@link DetectorOptions}). */
export const DETECTOR_OPTION_KEYS: OptionKeys<DetectorOptions> = { contamination: true, seed: true };

/** What every fitted model records, whatever else it learns. */
export interface FittedModel {
  /** Number of features seen by `fit`. */
  readonly nFeaturesIn: number;
}

/**
 * The {@link Detector} contract implemented once, in scikit-learn's shape (`_iforest.py`): options are
 * read-only fields set by the constructor, the fitted model is separate state replaced by every `fit`, and
 * `decisionFunction = scoreSamples - offset`, `predict = sign(decisionFunction)`.
 *
 * A detector extends it with its own options and three hooks, each given a validated DenseMatrix:
 * - `fitModel(X)` learns the model from the training rows (the previous model is already discarded);
 * - `scoreModel(model, X)` scores rows whose feature count matches the model (lower = more abnormal);
 * - `autoOffset(model, X)` is the offset for `contamination: 'auto'`, X being the training rows.
 * `fit` then sets the offset: `autoOffset`, or the `100 · contamination` percentile of the training scores.
 *
 * @example
 * class MaxAbs extends BaseDetector<FittedModel> {
 *   readonly name = "max-abs";
 *   constructor(options: DetectorOptions = {}) { super("MaxAbs", options); }
 *   protected fitModel(X: DenseMatrix) { return { nFeaturesIn: X.cols }; }
 *   protected scoreModel(_m: FittedModel, X: DenseMatrix) { return X.data.map((v) => -Math.abs(v)); } // one column
 *   protected autoOffset() { return -3; }
 * }
 * new MaxAbs().fit([[0], [1], [9]]).predict([[1], [5]]); // Int8Array [1, -1]
 */
export abstract class BaseDetector<Model extends FittedModel> implements Detector, SavableDetector {
  /** Registry name, e.g. "iforest". */
  abstract readonly name: string;
  /** Expected fraction of outliers: 'auto' (the detector's own offset) or in (0, 0.5]. */
  readonly contamination: Contamination;
  /** The seed used by `fit` (recorded, for the contract, by detectors that make no random choice too). */
  readonly seed: number;
  /** The fitted model, offset and anomaly-score scale; null until `fit`. */
  private fitted: { readonly model: Model; readonly offset: number; readonly anomalyScale: number } | null = null;
  /** The option names this detector accepts (its constructor's `optionKeys`), for {@link getParams}. */
  private readonly paramNames: readonly string[];

  /**
   * Validates the shared options (`contamination` default 'auto', `seed` default 0) and rejects option names
   * not in `optionKeys` (default: only the shared two; a detector with options of its own passes all its
   * names, e.g. `{ ...DETECTOR_OPTION_KEYS, nNeighbors: true }`). `className` names the detector in error
   * messages, e.g. "IsolationForest is not fitted yet: call fit(X) first".
   */
  protected constructor(
    protected readonly className: string,
    options: DetectorOptions,
    optionKeys: { readonly [name: string]: true } = DETECTOR_OPTION_KEYS,
  ) {
    checkOptions(options, optionKeys as OptionKeys<DetectorOptions>, className);
    this.paramNames = Object.keys(optionKeys);
    this.contamination = validateContamination(options.contamination ?? "auto");
    this.seed = checkSeed(options.seed ?? 0);
  }

  /** Learns the model from the training rows. */
  protected abstract fitModel(X: DenseMatrix): Model;
  /** Raw scores of rows with the model's feature count: lower = more abnormal. */
  protected abstract scoreModel(model: Model, X: DenseMatrix): Float64Array;
  /** The offset for `contamination: 'auto'`; X is the training matrix. */
  protected abstract autoOffset(model: Model, X: DenseMatrix): number;

  /** Threshold subtracted from `scoreSamples`: the detector's 'auto' value, else the contamination percentile of the training scores. */
  get offset(): number {
    return requireFitted(this.fitted, this.className).offset;
  }

  /**
   * Scale of the 0–100 anomaly score, learnt at fit: the robust spread ({@link decisionScale}) of the
   * training scores. Fixed until the next `fit`, so a row's anomaly score does not depend on its batch.
   */
  get anomalyScale(): number {
    return requireFitted(this.fitted, this.className).anomalyScale;
  }

  /** Number of features seen by `fit`. */
  get nFeaturesIn(): number {
    return this.fittedModel().nFeaturesIn;
  }

  /** Fits on X (rows × features), sets `offset` and `anomalyScale`. Replaces all previous state. Returns this. */
  fit(X: Matrix): this {
    this.fitted = null;
    const dense = toDense(X, "X");
    const model = this.fitModel(dense);
    const c = this.contamination;
    const trainScores = this.trainingScores(model, dense);
    const offset = c === "auto" ? this.autoOffset(model, dense) : offsetFromContamination(trainScores, c);
    this.fitted = { model, offset, anomalyScale: decisionScale(trainScores) };
    return this;
  }

  /** Scores of the training rows, for the offset and the anomaly scale. Default: `scoreModel(model, X)`. */
  protected trainingScores(model: Model, X: DenseMatrix): Float64Array {
    return this.scoreModel(model, X);
  }

  /** Raw normality score per row: lower = more abnormal. */
  scoreSamples(X: Matrix): Float64Array {
    const { model, dense } = this.fittedInput(X);
    return this.scoreModel(model, dense);
  }

  /** `scoreSamples(X) - offset`: negative = outlier. */
  decisionFunction(X: Matrix): Float64Array {
    const offset = this.offset;
    return subtractOffset(this.scoreSamples(X), offset);
  }

  /** -1 for outliers (`decisionFunction < 0`), 1 for inliers. */
  predict(X: Matrix): Int8Array {
    return predictFromDecision(this.decisionFunction(X));
  }

  /**
   * The detector's options as resolved by its constructor (defaults filled in), like scikit-learn's
   * `get_params()`: `new Ctor(d.getParams())` builds an equal unfitted detector. Options left undefined are
   * omitted.
   *
   * @example
   * new IsolationForest({ nEstimators: 50, seed: 7 }).getParams().nEstimators; // 50
   */
  getParams(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const self = this as unknown as Record<string, unknown>;
    for (const k of this.paramNames) if (self[k] !== undefined) out[k] = self[k];
    return out;
  }

  /**
   * Saves the fitted detector to `path` (versioned JSON) and, when its state holds big arrays, `path.bin`
   * (see `saveDetector`). Throws a ModelFileError before `fit`.
   *
   * @example
   * new IsolationForest({ seed: 1 }).fit([[0], [1], [2], [9]]).save("/tmp/iforest.json");
   * IsolationForest.load("/tmp/iforest.json").predict([[9]]); // Int8Array [-1]
   */
  save(path: string, options?: SaveModelOptions): void {
    writeDetectorFile(this, path, options);
  }

  /**
   * Loads a detector saved by `save` / `saveDetector` as an instance of this class (`IsolationForest.load`
   * returns an IsolationForest), fitted and ready to score; refuses a file holding another detector with a
   * ModelFileError, and every corrupted or foreign file too (see `loadDetector`).
   */
  static load<T extends BaseDetector<FittedModel>>(this: abstract new (...args: never[]) => T, path: string): T {
    const contents = readDetectorFile(path);
    const Ctor = this as unknown as new (options: Record<string, unknown>) => T;
    let probe: T;
    try {
      probe = new Ctor({});
    } catch {
      throw new ModelFileError(`${this.name}.load: call load on a concrete detector class (e.g. IsolationForest.load) or use loadDetector(path)`);
    }
    if (probe.className !== contents.className) {
      throw new ModelFileError(
        `${path} holds the ${JSON.stringify(contents.name)} model (class ${contents.className}), not class ${probe.className}: load it with ${contents.className}.load(path) or loadDetector(path)`,
      );
    }
    let detector: T;
    try {
      detector = new Ctor(contents.options as Record<string, unknown>);
    } catch (e) {
      throw new ModelFileError(`${path} records options that ${contents.className} refuses (${(e as Error).message}); save the model again`);
    }
    restoreDetector(detector, contents, path);
    return detector;
  }

  /**
   * The fitted model as plain data for a model file (typed arrays, Maps, plain objects, numbers, strings).
   * Default: the model itself; a detector whose model holds anything else (a WebAssembly kernel, a package's
   * objects) overrides it, and {@link modelFromState} with it.
   */
  protected modelToState(model: Model): unknown {
    return model;
  }

  /** The model back from {@link modelToState}'s data (already decoded: typed arrays are typed arrays again). Default: the data itself. */
  protected modelFromState(state: unknown): Model {
    const m = state as Partial<FittedModel> | null;
    if (m === null || typeof m !== "object" || !Number.isInteger(m.nFeaturesIn) || (m.nFeaturesIn as number) < 1) {
      throw new ModelFileError(`the ${this.className} state has no valid nFeaturesIn`);
    }
    return state as Model;
  }

  /** For {@link modelFromState} overrides: throws a ModelFileError "the <Class> state <what>" unless `ok`. */
  protected checkState(ok: boolean, what: string): void {
    if (!ok) throw new ModelFileError(`the ${this.className} state ${what}`);
  }

  /** For the model file: class name, options and fitted state. Throws a ModelFileError before `fit`. */
  [EXPORT_DETECTOR_STATE](): { readonly className: string; readonly params: Record<string, unknown>; readonly fit: SavedFit } {
    if (this.fitted === null) throw new ModelFileError(`${this.className} is not fitted yet: call fit(X) before saving it`);
    const { model, offset, anomalyScale } = this.fitted;
    return { className: this.className, params: this.getParams(), fit: { model: this.modelToState(model), offset, anomalyScale } };
  }

  /** For the model file: installs a saved fitted state (all of it or, on any error, none of it). */
  [RESTORE_DETECTOR_STATE](className: string, fit: SavedFit): void {
    if (className !== this.className) throw new ModelFileError(`the file holds class ${className}, not class ${this.className}`);
    const model = this.modelFromState(fit.model);
    this.fitted = { model, offset: fit.offset, anomalyScale: fit.anomalyScale };
  }

  /** The fitted model; throws a NotFittedError before `fit`. */
  protected fittedModel(): Model {
    return requireFitted(this.fitted, this.className).model;
  }

  /** The fitted model and X as a DenseMatrix checked against it (fitted first, then valid, then same feature count). */
  protected fittedInput(X: Matrix): { readonly model: Model; readonly dense: DenseMatrix } {
    const model = this.fittedModel();
    const dense = toDense(X, "X");
    checkFeatureCount(dense.cols, model.nFeaturesIn, this.className);
    return { model, dense };
  }
}
