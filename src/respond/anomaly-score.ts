/**
 * The 0–100 anomaly score and Elastic's severity bands. The score's scale is a property of the fitted
 * detector (`anomalyScale`, learnt at fit like `offset`), never of the batch being scored: the same row
 * gets the same score whether it is scored alone, with a quiet hour or with an attack.
 *
 * @example
 * const forest = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X); // X: 300 × 3
 * const first = [X.data.subarray(0, X.cols)]; // row 0 alone, 1 × 3
 * fittedAnomalyScores(forest, first); // Float64Array [11.56]: same as fittedAnomalyScores(forest, X)[0]
 */
import { DataError, OptionError } from "../errors";
import type { Detector } from "../detectors/types";
import type { Matrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link AnomalyScoreOptions} (unknown names fail with a suggestion). */
const ANOMALY_SCORE_OPTIONS_KEYS: OptionKeys<AnomalyScoreOptions> = { scale: true };

export interface AnomalyScoreOptions {
  /**
   * Decision-function distance that moves the score from 50 to ~73 (one "unit" past the threshold): use
   * the fitted detector's `anomalyScale`. Default: 1 (a fixed scale; never the spread of the batch given).
   */
  readonly scale?: number;
}

/** The anomaly score of a row exactly on the detector's threshold (decision function 0). */
export const ANOMALY_SCORE_THRESHOLD = 50;

/** Elastic's anomaly severity names, from least to most severe. */
export type AnomalySeverity = "warning" | "minor" | "major" | "critical";

/**
 * Lower bound of each severity band on the 0–100 score, as Elastic's anomaly detection: warning [0, 25),
 * minor [25, 50), major [50, 75), critical [75, 100]. A flagged row (decision < 0) is major or critical.
 */
export const ANOMALY_SEVERITY_BANDS: readonly { readonly severity: AnomalySeverity; readonly min: number }[] = [
  { severity: "warning", min: 0 },
  { severity: "minor", min: 25 },
  { severity: "major", min: 50 },
  { severity: "critical", min: 75 },
];

/**
 * The Elastic severity band of a 0–100 anomaly score (see {@link ANOMALY_SEVERITY_BANDS}).
 *
 * @example
 * severityOf(10);   // "warning"
 * severityOf(50);   // "major"
 * severityOf(95.3); // "critical"
 */
export function severityOf(anomalyScore: number): AnomalySeverity {
  if (!(anomalyScore >= 0 && anomalyScore <= 100)) {
    throw new DataError(`Expected an anomaly score in [0, 100], got ${anomalyScore}`);
  }
  let band: AnomalySeverity = "warning";
  for (const b of ANOMALY_SEVERITY_BANDS) if (anomalyScore >= b.min) band = b.severity;
  return band;
}

/**
 * Map detector decision-function values (scikit-learn convention: negative = outlier) to a 0–100 anomaly
 * score: `100 / (1 + exp(decision / scale))`. A row on the threshold scores exactly 50, outliers score
 * above 50 (≈73 at one scale past the threshold, ≈88 at two, ≈95 at three), inliers below 50.
 * Monotone (rankings never change) and row by row: pass the fitted detector's `anomalyScale`
 * (or use {@link fittedAnomalyScores}), so the score of a row never depends on the other rows.
 *
 * @example
 * decisionToAnomalyScore([0, -1, 1], { scale: 1 }); // [50, 73.1, 26.9]
 */
export function decisionToAnomalyScore(decision: ArrayLike<number>, options: AnomalyScoreOptions = {}): Float64Array {
  checkOptions(options, ANOMALY_SCORE_OPTIONS_KEYS, "decisionToAnomalyScore");
  for (let i = 0; i < decision.length; i++) {
    if (!Number.isFinite(decision[i])) {
      throw new DataError(`Decision value at row ${i} is ${decision[i]}; anomaly scores need finite decision-function values`);
    }
  }
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new OptionError(`Expected \`scale\` to be a positive finite number (a fitted detector's \`anomalyScale\`), got ${scale}`);
  }
  return Float64Array.from(decision, (d) => 100 / (1 + Math.exp(d / scale)));
}

/**
 * 0–100 anomaly scores of X by a fitted detector, on the scale it learnt at fit (`anomalyScale`; 1 for a
 * detector that records none). The same row gets the same score in any batch.
 *
 * @example
 * const forest = new IsolationForest({ seed: 42 }).fit(X); // X: 300 × 3
 * fittedAnomalyScores(forest, [X.data.subarray(0, X.cols)])[0] === fittedAnomalyScores(forest, X)[0]; // true
 * fittedAnomalyScores(forest, [[10, 10, 10]]); // Float64Array [99.79]: far out, near 100
 */
export function fittedAnomalyScores(detector: Detector, X: Matrix): Float64Array {
  return decisionToAnomalyScore(detector.decisionFunction(X), { scale: detector.anomalyScale });
}
