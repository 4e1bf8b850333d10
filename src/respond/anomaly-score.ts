import { DataError, OptionError } from "../errors";
import { medianOfSorted } from "../percentile";

export interface AnomalyScoreOptions {
  /**
   * Decision-function distance that moves the score from 50 to ~73 (one "unit" past the threshold).
   * Default: the robust spread of the decision values given (1.4826 × median absolute deviation), or,
   * when that is 0, their standard deviation, or 1.
   */
  readonly scale?: number;
}

/** The anomaly score of a row exactly on the detector's threshold (decision function 0). */
export const ANOMALY_SCORE_THRESHOLD = 50;

/**
 * The default scale of {@link decisionToAnomalyScore}: 1.4826 × the median absolute deviation of the decision
 * values (a robust standard deviation that the outliers themselves do not inflate); falls back to the
 * standard deviation, then to 1, when the values are (nearly) constant.
 *
 * @example
 * decisionScale([0.1, 0.12, 0.09, 0.11, -0.2]) // ≈ 0.0148
 */
export function decisionScale(decision: ArrayLike<number>): number {
  const n = decision.length;
  if (n === 0) return 1;
  const v = Float64Array.from(decision).sort();
  const med = medianOfSorted(v);
  const dev = Float64Array.from(v, (x) => Math.abs(x - med)).sort();
  const mad = 1.4826 * medianOfSorted(dev);
  if (mad > 1e-12) return mad;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i] / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  return sd > 1e-12 ? sd : 1;
}

/**
 * Map detector decision-function values (scikit-learn convention: negative = outlier) to a 0–100 anomaly
 * score: `100 / (1 + exp(decision / scale))`. A row on the threshold scores exactly 50, outliers score
 * above 50 (≈73 at one scale past the threshold, ≈88 at two, ≈95 at three), inliers below 50.
 * The mapping is monotone, so rankings never change; with the default scale, it is relative to the
 * spread of the batch given, so score a whole batch at once.
 *
 * @example
 * decisionToAnomalyScore([0.1, 0.12, 0.09, 0.11, -0.2]) // last ≈ 100, others < 50
 * decisionToAnomalyScore([0, -1, 1], { scale: 1 })      // [50, 73.1, 26.9]
 */
export function decisionToAnomalyScore(decision: ArrayLike<number>, options: AnomalyScoreOptions = {}): Float64Array {
  for (let i = 0; i < decision.length; i++) {
    if (!Number.isFinite(decision[i])) {
      throw new DataError(`Decision value at row ${i} is ${decision[i]}; anomaly scores need finite decision-function values`);
    }
  }
  const scale = options.scale ?? decisionScale(decision);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new OptionError(`Expected \`scale\` to be a positive finite number, got ${scale}`);
  }
  return Float64Array.from(decision, (d) => 100 / (1 + Math.exp(d / scale)));
}
