/**
 * Contamination sweeps without refitting: a fitted detector's scores on its training rows are computed
 * once, then re-thresholded the way `fit` would for each contamination c (offset = the 100·c-th percentile
 * of the training scores, NumPy's interpolation), counting what each setting would flag.
 */
import { offsetFromContamination, validateContamination } from "../detectors/base";
import type { Detector } from "../detectors/types";
import { DataError, OptionError } from "../errors";
import { type BinaryLabels, confusionMatrix, precisionRecallF1FromCounts } from "./metrics";
import { type Matrix, toDense } from "../matrix";

/** The contaminations {@link contaminationSweep} tries by default. */
export const DEFAULT_SWEEP_CONTAMINATIONS: readonly number[] = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2];

/** Options of {@link contaminationSweep}. */
export interface ContaminationSweepOptions {
  /** Contaminations to try, each in (0, 0.5]. Default: {@link DEFAULT_SWEEP_CONTAMINATIONS}. */
  readonly contaminations?: readonly number[];
  /** Ground truth per row of X (1 = anomaly): adds precision, recall, F1 and true positives. Default: none. */
  readonly labels?: BinaryLabels;
  /** Days of logs X covers: adds alerts per day. Default: derived from `times` when given, else none. */
  readonly days?: number;
  /** Epoch-ms time of each row of X; the span (max − min) gives `days` when `days` is not set. Default: none. */
  readonly times?: ArrayLike<number>;
}

/** One row of a contamination sweep. */
export interface ContaminationSweepRow {
  readonly contamination: number;
  /** Offset `fit` would set for this contamination. */
  readonly offset: number;
  /** Rows of X with `scoreSamples < offset` (what `predict` would flag). */
  readonly flagged: number;
  /** flagged / rows. */
  readonly flaggedFraction: number;
  /** With labels: flagged rows that are anomalies. */
  readonly truePositives?: number;
  readonly precision?: number;
  readonly recall?: number;
  readonly f1?: number;
  /** With days or times: flagged / days. */
  readonly alertsPerDay?: number;
}

const MS_PER_DAY = 86_400_000;

function resolveDays(options: { readonly days?: number; readonly times?: ArrayLike<number> }, rows: number): number | undefined {
  if (options.days !== undefined) {
    if (typeof options.days !== "number" || !(options.days > 0) || !Number.isFinite(options.days)) {
      throw new OptionError(`Expected \`days\` to be a positive number of days, got ${String(options.days)}`);
    }
    return options.days;
  }
  if (options.times === undefined) return undefined;
  const t = options.times;
  if (t.length !== rows) throw new DataError(`Expected \`times\` to have one value per row of X (${rows}), got ${t.length}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < t.length; i++) {
    if (Number.isNaN(t[i])) continue;
    if (t[i] < lo) lo = t[i];
    if (t[i] > hi) hi = t[i];
  }
  if (!(hi > lo)) {
    throw new DataError("Expected `times` to span more than an instant (max > min) to derive alerts per day; pass `days` instead");
  }
  return (hi - lo) / MS_PER_DAY;
}

function countBelow(scores: Float64Array, offset: number): number {
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] < offset) k++;
  return k;
}

/**
 * Re-thresholds a fitted detector for several contaminations without refitting. `X` must be the rows the
 * detector was fitted on (the offsets are percentiles of their scores); flagged counts are over X.
 *
 * @example
 * const forest = new IsolationForest({ seed: 0 }).fit(X);
 * const rows = contaminationSweep(forest, X, { labels: y, days: 7 });
 * // [{ contamination: 0.001, offset: -0.71, flagged: 10, precision: 1, recall: 0.1, f1: 0.18, alertsPerDay: 1.4 }, …]
 */
export function contaminationSweep(detector: Detector, X: Matrix, options: ContaminationSweepOptions = {}): ContaminationSweepRow[] {
  const M = toDense(X, "X");
  const cs = options.contaminations ?? DEFAULT_SWEEP_CONTAMINATIONS;
  if (!Array.isArray(cs) || cs.length === 0) {
    throw new OptionError("Expected `contaminations` to be a non-empty array of numbers in (0, 0.5], e.g. [0.01, 0.05]");
  }
  for (const c of cs) {
    if (c === "auto" || typeof c !== "number") {
      throw new OptionError(`Expected every contamination in \`contaminations\` to be a number in (0, 0.5], got ${String(c)}`);
    }
    validateContamination(c);
  }
  if (options.labels !== undefined && options.labels.length !== M.rows) {
    throw new DataError(`Expected \`labels\` to have one value per row of X (${M.rows}), got ${options.labels.length}`);
  }
  const days = resolveDays(options, M.rows);
  const scores = detector.scoreSamples(M);
  return cs.map((c) => {
    const offset = offsetFromContamination(scores, c);
    const flaggedMask = new Uint8Array(M.rows);
    let flagged = 0;
    for (let i = 0; i < M.rows; i++) {
      if (scores[i] < offset) {
        flaggedMask[i] = 1;
        flagged++;
      }
    }
    let row: ContaminationSweepRow = { contamination: c, offset, flagged, flaggedFraction: flagged / M.rows };
    if (options.labels !== undefined) {
      const cm = confusionMatrix(options.labels, flaggedMask);
      row = { ...row, truePositives: cm.tp, ...precisionRecallF1FromCounts(cm) };
    }
    if (days !== undefined) row = { ...row, alertsPerDay: flagged / days };
    return row;
  });
}

/** Options of {@link contaminationForMaxAlerts}. */
export interface MaxAlertsOptions {
  /** When set, `maxAlerts` is per day and X covers this many days. Default: none (`maxAlerts` is a total over X). */
  readonly days?: number;
  /** Epoch-ms time of each row; its span gives `days` when `days` is not set. Default: none. */
  readonly times?: ArrayLike<number>;
}

/** Answer of {@link contaminationForMaxAlerts}. */
export interface MaxAlertsAnswer {
  /** The largest contamination in (0, 0.5] that flags at most the allowed number of rows. */
  readonly contamination: number;
  readonly offset: number;
  /** Rows of X it flags. */
  readonly flagged: number;
  /** The allowed number of flagged rows over X (maxAlerts × days when per day). */
  readonly allowed: number;
}

/**
 * Which contamination yields at most `maxAlerts` alerts on X (the fitted detector's training rows)? Returns
 * the largest contamination in (0, 0.5] whose offset flags at most that many rows, or `null` when even the
 * smallest positive contamination flags more (e.g. `maxAlerts` 0, or many rows tied at the lowest score).
 * Refit with `{ contamination: answer.contamination }` to apply it.
 *
 * @example
 * contaminationForMaxAlerts(forest, X, 20);          // { contamination: 0.0199…, offset: -0.62, flagged: 20, allowed: 20 }
 * contaminationForMaxAlerts(forest, X, 5, { days: 7 }); // at most 5 alerts per day over 7 days
 */
export function contaminationForMaxAlerts(
  detector: Detector,
  X: Matrix,
  maxAlerts: number,
  options: MaxAlertsOptions = {},
): MaxAlertsAnswer | null {
  if (typeof maxAlerts !== "number" || !(maxAlerts >= 0) || !Number.isFinite(maxAlerts)) {
    throw new OptionError(`Expected \`maxAlerts\` to be a number ≥ 0, got ${String(maxAlerts)}`);
  }
  const M = toDense(X, "X");
  const days = resolveDays(options, M.rows);
  const allowed = Math.floor(days === undefined ? maxAlerts : maxAlerts * days);
  const scores = detector.scoreSamples(M);
  const n = scores.length;
  const at = (c: number) => {
    const offset = offsetFromContamination(scores, c);
    return { contamination: c, offset, flagged: countBelow(scores, offset), allowed };
  };
  const half = at(0.5);
  if (half.flagged <= allowed) return half;
  if (n < 2) return null;
  // flagged(c) is non-decreasing in c and changes only at c = j / (n - 1): the answer is one of those points.
  const sorted = Float64Array.from(scores).sort();
  // Largest j with #(scores < sorted[j]) ≤ allowed.
  let j = Math.min(n - 1, allowed);
  while (j + 1 < n && sorted[j + 1] === sorted[j]) j++; // rows tied with sorted[j] are not below it
  while (j > 0 && countBelow(scores, sorted[j]) > allowed) j--;
  if (j === 0) return null;
  let c = Math.min(0.5, j / (n - 1));
  let best = at(c);
  // Guard against rounding in (n - 1)·c landing just above j: step down until the count fits.
  for (let guard = 0; best.flagged > allowed && guard < 64; guard++) {
    c = c * (1 - 1e-15);
    best = at(c);
  }
  return best.flagged <= allowed ? best : null;
}
