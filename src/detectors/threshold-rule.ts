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
import { BaseDetector, DETECTOR_OPTION_KEYS, type FittedModel } from "./base";
import type { DetectorOptions } from "./types";
import type { DenseMatrix } from "../matrix";
import type { OptionKeys } from "../options";

/** Options of {@link ThresholdRule}. */
export interface ThresholdRuleOptions extends DetectorOptions {
  /** Index of the feature the rule reads. Default: 0. */
  readonly column?: number;
  /** Rows whose feature value is ≥ this are outliers (with contamination 'auto'). Default: 8. */
  readonly threshold?: number;
}

/** Every option name of {@link ThresholdRuleOptions} (checked by the constructor: unknown names fail with a suggestion). */
const THRESHOLD_RULE_OPTION_KEYS: OptionKeys<ThresholdRuleOptions> = { ...DETECTOR_OPTION_KEYS, column: true, threshold: true };

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

/**
 * Threshold rule detector: "feature `column` ≥ `threshold`" → outlier.
 *
 * @example
 * const rule = new ThresholdRule({ column: 0, threshold: 8 }).fit([[1], [3], [9]]);
 * rule.predict([[7], [8], [20]]); // Int8Array [1, -1, -1]
 */
export class ThresholdRule extends BaseDetector<FittedModel> {
  readonly name = "threshold-rule";
  readonly column: number;
  readonly threshold: number;

  constructor(options: ThresholdRuleOptions = {}) {
    super("ThresholdRule", options, THRESHOLD_RULE_OPTION_KEYS);
    this.column = options.column ?? 0;
    if (!Number.isInteger(this.column) || this.column < 0) {
      throw new OptionError(`Expected \`column\` to be a feature index (integer ≥ 0), got ${String(options.column)}`);
    }
    this.threshold = options.threshold ?? 8;
    if (typeof this.threshold !== "number" || !Number.isFinite(this.threshold)) {
      throw new OptionError(`Expected \`threshold\` to be a finite number, got ${String(options.threshold)}`);
    }
  }

  /** Checks that X has the rule's column; the rule learns nothing else. */
  protected override fitModel(M: DenseMatrix): FittedModel {
    if (this.column >= M.cols) {
      throw new DataError(`ThresholdRule reads column ${this.column}, but X has ${M.cols} feature(s): pass \`column\` < ${M.cols}`);
    }
    return { nFeaturesIn: M.cols };
  }

  /** Checks a saved state: the rule's column exists. */
  protected override modelFromState(state: unknown): FittedModel {
    const s = super.modelFromState(state);
    this.checkState(this.column < s.nFeaturesIn, `has ${s.nFeaturesIn} feature(s), fewer than the rule's column ${this.column} needs`);
    return s;
  }

  /** The rule as written: `decisionFunction < 0` exactly when value ≥ threshold. */
  protected override autoOffset(): number {
    return nextDoubleUp(-this.threshold);
  }

  /** `-X[:, column]`. */
  protected override scoreModel(_model: FittedModel, M: DenseMatrix): Float64Array {
    const { rows: n, cols: d, data } = M;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -data[i * d + this.column];
    return out;
  }
}
