/**
 * Evaluation metrics for anomaly detectors, with scikit-learn's definitions (checked against
 * scikit-learn 1.2 on fixtures in test/eval/).
 *
 * Conventions used by every function here:
 * - `labels`: 1 = anomaly (the positive class), 0 = normal. Booleans are accepted too.
 * - `scores`: HIGHER = MORE ANOMALOUS. A detector's `scoreSamples` follows the opposite convention
 *   (lower = more abnormal), so pass its negation: {@link outlierScores} does that for you.
 * - `flagged`: 1 = flagged as anomaly, 0 = not flagged. A detector's `predict` returns 1 / -1 with -1 =
 *   outlier; convert it with {@link flagsFromPredictions}.
 */
import { DataError } from "../errors";

/** Labels or flags: 1 (anomaly) / 0 (normal), as numbers or booleans. */
export type BinaryLabels = ArrayLike<number> | readonly boolean[];

/** One point set of a ROC curve, as scikit-learn's `roc_curve` returns it. */
export interface RocCurve {
  /** False positive rate at each threshold, increasing from 0 to 1. */
  readonly fpr: Float64Array;
  /** True positive rate at each threshold, increasing from 0 to 1. */
  readonly tpr: Float64Array;
  /** Decreasing score thresholds; `thresholds[0]` is +Infinity (nothing flagged). */
  readonly thresholds: Float64Array;
}

/** A precision–recall curve, as scikit-learn's `precision_recall_curve` returns it. */
export interface PrecisionRecallCurve {
  /** Precision of "score ≥ thresholds[i]"; the last element is 1 (by convention). */
  readonly precision: Float64Array;
  /** Recall of "score ≥ thresholds[i]", decreasing; the last element is 0. */
  readonly recall: Float64Array;
  /** Increasing distinct score thresholds (one fewer than precision/recall). */
  readonly thresholds: Float64Array;
}

/** Counts of a binary confusion matrix (positive = anomaly). */
export interface ConfusionMatrix {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/** Precision, recall and F1 of flagged rows; 0 where a ratio is 0/0 (scikit-learn's `zero_division=0`). */
export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

function toLabelArray(labels: BinaryLabels, what: string): Uint8Array {
  const n = labels.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i] as number | boolean;
    if (v === 1 || v === true) out[i] = 1;
    else if (v === 0 || v === false) out[i] = 0;
    else if (v === -1 && what === "flagged") {
      throw new DataError(
        `Expected \`flagged\` to hold 1 (anomaly) or 0 (normal), got -1 at index ${i}: ` +
          "convert a detector's predict() output with flagsFromPredictions(predictions)",
      );
    } else {
      throw new DataError(`Expected \`${what}\` to hold 1 (anomaly) or 0 (normal), got ${String(v)} at index ${i}`);
    }
  }
  return out;
}

function toScoreArray(scores: ArrayLike<number>, n: number): Float64Array {
  if (scores.length !== n) {
    throw new DataError(`Expected \`scores\` to have one value per label (${n}), got ${scores.length}`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new DataError(`Expected \`scores\` to be numbers, got ${String(v)} at index ${i}: drop or impute NaN rows first`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Converts a detector's `predict` output (1 = inlier, -1 = outlier) to flags (1 = anomaly, 0 = normal).
 *
 * @example
 * flagsFromPredictions(Int8Array.of(1, -1, 1)); // Uint8Array [0, 1, 0]
 */
export function flagsFromPredictions(predictions: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(predictions.length);
  for (let i = 0; i < predictions.length; i++) {
    const p = predictions[i];
    if (p === -1) out[i] = 1;
    else if (p === 1) out[i] = 0;
    else throw new DataError(`Expected predictions of 1 (inlier) or -1 (outlier), got ${p} at index ${i}`);
  }
  return out;
}

/**
 * Negates a detector's `scoreSamples` (lower = more abnormal) into outlier scores (higher = more abnormal;
 * PyOD's `decision_scores_` convention, scikit-learn's `-score_samples`), the convention every metric in this
 * module expects. Not the 0–100 anomaly score of a finding ({@link decisionToAnomalyScore}).
 *
 * @example
 * rocAuc(y, outlierScores(detector.scoreSamples(X)));
 */
export function outlierScores(scoreSamples: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scoreSamples.length);
  for (let i = 0; i < out.length; i++) out[i] = -scoreSamples[i];
  return out;
}

/** scikit-learn's `_binary_clf_curve`: cumulative fps/tps at each distinct score, scores decreasing. */
function binaryClfCurve(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
): { fps: Float64Array; tps: Float64Array; thresholds: Float64Array } {
  const y = toLabelArray(labels, "labels");
  const n = y.length;
  if (n === 0) throw new DataError("Expected at least one label, got an empty array");
  const s = toScoreArray(scores, n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Descending by score; ties keep index order (ties are grouped below, so their order does not matter).
  order.sort((a, b) => s[b] - s[a] || a - b);
  const fps: number[] = [];
  const tps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === n - 1 || s[order[k + 1]] !== s[i]) {
      fps.push(fp);
      tps.push(tp);
      thr.push(s[i]);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thr) };
}

function requireBothClasses(tps: Float64Array, fps: Float64Array, fn: string): void {
  const P = tps[tps.length - 1];
  const N = fps[fps.length - 1];
  if (P === 0 || N === 0) {
    throw new DataError(
      `${fn} needs both classes in \`labels\`, got only ${P === 0 ? "normal (0)" : "anomaly (1)"} rows: ` +
        "evaluate on a sample that contains anomalies and normal rows",
    );
  }
}

/**
 * ROC curve as scikit-learn's `roc_curve(labels, scores)` with `drop_intermediate=True` (collinear points
 * dropped), except that the first threshold is +Infinity (scikit-learn ≥ 1.3) instead of max+1.
 * Scores: higher = more anomalous.
 *
 * @example
 * const { fpr, tpr } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
 */
export function rocCurve(labels: BinaryLabels, scores: ArrayLike<number>): RocCurve {
  const { fps, tps, thresholds } = binaryClfCurve(labels, scores);
  requireBothClasses(tps, fps, "rocCurve");
  let keep: number[] = [];
  const m = fps.length;
  if (m > 2) {
    keep.push(0);
    for (let i = 1; i < m - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(m - 1);
  } else {
    keep = Array.from({ length: m }, (_, i) => i);
  }
  const P = tps[m - 1];
  const N = fps[m - 1];
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const th = new Float64Array(keep.length + 1);
  th[0] = Infinity;
  keep.forEach((i, j) => {
    fpr[j + 1] = fps[i] / N;
    tpr[j + 1] = tps[i] / P;
    th[j + 1] = thresholds[i];
  });
  return { fpr, tpr, thresholds: th };
}

/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score(labels, scores)`: ties between an anomaly
 * and a normal row count one half. Scores: higher = more anomalous (negate `scoreSamples`, see
 * {@link outlierScores}). 0.5 = random ranking, 1 = every anomaly ranked above every normal row.
 *
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAuc(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const { fps, tps } = binaryClfCurve(labels, scores);
  requireBothClasses(tps, fps, "rocAuc");
  // Trapezoid over every distinct threshold (dropping collinear points does not change the area).
  let area = 0;
  let pf = 0;
  let pt = 0;
  for (let i = 0; i < fps.length; i++) {
    area += (fps[i] - pf) * (tps[i] + pt);
    pf = fps[i];
    pt = tps[i];
  }
  return area / (2 * fps[fps.length - 1] * tps[tps.length - 1]);
}

/**
 * Precision–recall curve as scikit-learn 1.2's `precision_recall_curve(labels, scores)`: one point per
 * distinct score, recall decreasing, with the final (precision 1, recall 0) point appended.
 *
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).precision; // [0.5, 0.667, 0.5, 1, 1]
 */
export function precisionRecallCurve(labels: BinaryLabels, scores: ArrayLike<number>): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryClfCurve(labels, scores);
  const m = fps.length;
  const P = tps[m - 1];
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i;
    const ps = tps[j] + fps[j];
    precision[i] = ps === 0 ? 0 : tps[j] / ps;
    recall[i] = P === 0 ? 1 : tps[j] / P;
    th[i] = thresholds[j];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/**
 * Average precision (area under the PR curve, step-wise), as scikit-learn's
 * `average_precision_score(labels, scores)`: Σ (R_n − R_{n−1}) · P_n over distinct thresholds, no
 * trapezoid interpolation. Scores: higher = more anomalous. A random ranking scores about the anomaly rate.
 *
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 */
export function averagePrecision(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const { fps, tps } = binaryClfCurve(labels, scores);
  requireBothClasses(tps, fps, "averagePrecision");
  const P = tps[tps.length - 1];
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < tps.length; i++) {
    const recall = tps[i] / P;
    ap += (recall - prevRecall) * (tps[i] / (tps[i] + fps[i]));
    prevRecall = recall;
  }
  return ap;
}

/**
 * Precision among the `k` highest-scored rows (higher score = more anomalous). Default k: the number of
 * anomalies in `labels` (R-precision, ADBench's "precision@n"). Ties at the cut are broken by row order
 * (earlier row first), so the result is deterministic.
 *
 * @example
 * precisionAtK([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 2); // 0.5
 */
export function precisionAtK(labels: BinaryLabels, scores: ArrayLike<number>, k?: number): number {
  const y = toLabelArray(labels, "labels");
  const n = y.length;
  const s = toScoreArray(scores, n);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const kk = k ?? positives;
  if (!Number.isInteger(kk) || kk < 1 || kk > n) {
    throw new DataError(
      k === undefined
        ? "precisionAtK with the default k (number of anomalies) needs at least one anomaly in `labels`; pass k explicitly"
        : `Expected \`k\` to be an integer in [1, ${n}] (the number of rows), got ${k}`,
    );
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  let hits = 0;
  for (let j = 0; j < kk; j++) hits += y[order[j]];
  return hits / kk;
}

/**
 * Confusion matrix of flags against labels (both 1 = anomaly, 0 = normal). Convert `predict` output
 * first with {@link flagsFromPredictions}.
 *
 * @example
 * confusionMatrix([1, 0, 1, 0], [1, 1, 0, 0]); // { tp: 1, fp: 1, tn: 1, fn: 1 }
 */
export function confusionMatrix(labels: BinaryLabels, flagged: BinaryLabels): ConfusionMatrix {
  const y = toLabelArray(labels, "labels");
  const f = toLabelArray(flagged, "flagged");
  if (y.length !== f.length) {
    throw new DataError(`Expected \`flagged\` to have one value per label (${y.length}), got ${f.length}`);
  }
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    if (f[i] === 1) {
      if (y[i] === 1) tp++;
      else fp++;
    } else if (y[i] === 1) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/**
 * Precision, recall and F1 of the flagged rows (scikit-learn's `precision_recall_fscore_support` for the
 * anomaly class, `zero_division=0`: a 0/0 ratio is reported as 0).
 *
 * @example
 * precisionRecallF1([1, 0, 1, 0], [1, 1, 0, 0]); // { precision: 0.5, recall: 0.5, f1: 0.5 }
 */
export function precisionRecallF1(labels: BinaryLabels, flagged: BinaryLabels): PrecisionRecallF1 {
  return precisionRecallF1FromCounts(confusionMatrix(labels, flagged));
}

/**
 * Precision, recall and F1 from confusion counts (0 where a ratio is 0/0).
 *
 * @example
 * precisionRecallF1FromCounts({ tp: 3, fp: 1, tn: 10, fn: 0 }); // { precision: 0.75, recall: 1, f1: 0.857… }
 */
export function precisionRecallF1FromCounts(c: ConfusionMatrix): PrecisionRecallF1 {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = 2 * c.tp + c.fp + c.fn === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return { precision, recall, f1 };
}
