/**
 * The SIEM correlation-rule baseline as a detector over a feature matrix: "column `column` ≥ `threshold`",
 * e.g. failed logins per source and window ≥ 8. It lets a rule be scored, swept and compared with the
 * learned detectors on the same rows.
 *
 * - `scoreSamples(X) = −X[:, column]`, so ranking by the rule's feature gives it a ROC curve.
 * - `contamination: 'auto'` applies the rule as written: the offset is the next double above −threshold, so
 *   that `decisionFunction < 0` exactly when value ≥ threshold (a row AT the threshold is an outlier).
 * - A numeric contamination re-thresholds like every other detector (the percentile of training scores),
 *   turning the rule into "the top c fraction of this feature".
 * Deterministic: the `seed` is recorded but nothing is random.
 */
import { DataError, OptionError } from "../errors";
import {
  checkFeatureCount,
  offsetFromContamination,
  predictFromDecision,
  requireFitted,
  subtractOffset,
  toDense,
  validateContamination,
  validateSeed,
} from "./base";
import type { Contamination, Detector, DetectorOptions, Matrix } from "./types";

/** Options of {@link ThresholdRule}. */
export interface ThresholdRuleOptions extends DetectorOptions {
  /** Index of the feature the rule reads. Default: 0. */
  readonly column?: number;
  /** Rows whose feature value is ≥ this are outliers (with contamination 'auto'). Default: 8. */
  readonly threshold?: number;
}

/**
 * The smallest double greater than x (x finite): the offset that makes "value ≥ threshold" strict.
 *
 * @example
 * nextDoubleUp(-8) > -8; // true, and no double lies between them
 */
export function nextDoubleUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  const lo = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // index of the low word
  const hi = 1 - lo;
  f[0] = x;
  if (x > 0) {
    u[lo] = u[lo] + 1;
    if (u[lo] === 0) u[hi] = u[hi] + 1;
  } else {
    if (u[lo] === 0) u[hi] = u[hi] - 1;
    u[lo] = u[lo] - 1;
  }
  return f[0];
}

interface RuleState {
  readonly nFeatures: number;
  readonly offset: number;
}

/**
 * Threshold rule detector: "feature `column` ≥ `threshold`" → outlier.
 *
 * @example
 * const rule = new ThresholdRule({ column: 0, threshold: 8 }).fit([[1], [3], [9]]);
 * rule.predict([[7], [8], [20]]); // Int8Array [1, -1, -1]
 */
export class ThresholdRule implements Detector {
  readonly name = "threshold-rule";
  readonly column: number;
  readonly threshold: number;
  readonly contamination: Contamination;
  readonly seed: number;
  private state: RuleState | null = null;

  constructor(options: ThresholdRuleOptions = {}) {
    this.column = options.column ?? 0;
    if (!Number.isInteger(this.column) || this.column < 0) {
      throw new OptionError(`Expected \`column\` to be a feature index (integer ≥ 0), got ${String(options.column)}`);
    }
    this.threshold = options.threshold ?? 8;
    if (typeof this.threshold !== "number" || !Number.isFinite(this.threshold)) {
      throw new OptionError(`Expected \`threshold\` to be a finite number, got ${String(options.threshold)}`);
    }
    this.contamination = validateContamination(options.contamination ?? "auto");
    this.seed = validateSeed(options.seed ?? 0);
  }

  get offset(): number {
    return requireFitted(this.state, "ThresholdRule").offset;
  }
  get nFeaturesIn(): number {
    return requireFitted(this.state, "ThresholdRule").nFeatures;
  }

  fit(X: Matrix): this {
    this.state = null;
    const M = toDense(X, "X");
    if (this.column >= M.cols) {
      throw new DataError(`ThresholdRule reads column ${this.column}, but X has ${M.cols} feature(s): pass \`column\` < ${M.cols}`);
    }
    const offset =
      this.contamination === "auto"
        ? nextDoubleUp(-this.threshold)
        : offsetFromContamination(this.column0(M.data, M.rows, M.cols), this.contamination);
    this.state = { nFeatures: M.cols, offset };
    return this;
  }

  scoreSamples(X: Matrix): Float64Array {
    const st = requireFitted(this.state, "ThresholdRule");
    const M = toDense(X, "X");
    checkFeatureCount(M.cols, st.nFeatures, "ThresholdRule");
    return this.column0(M.data, M.rows, M.cols);
  }

  decisionFunction(X: Matrix): Float64Array {
    return subtractOffset(this.scoreSamples(X), this.offset);
  }

  predict(X: Matrix): Int8Array {
    return predictFromDecision(this.decisionFunction(X));
  }

  private column0(data: Float64Array, n: number, d: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -data[i * d + this.column];
    return out;
  }
}
