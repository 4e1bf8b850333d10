/**
 * The scale of the 0–100 anomaly score, learnt once when a detector is fitted (like its `offset`), so
 * that a row gets the same anomaly score whatever batch it is scored in. Elastic's anomaly jobs do the
 * same: the normalisation is a property of the model, updated when the model is, never of the query.
 *
 * @example
 * decisionScale([0.1, 0.12, 0.09, 0.11, -0.2]); // ≈ 0.0148 (1.4826 × MAD)
 */
import { medianOfSorted } from "../percentile";

/**
 * The robust spread of training scores (or decision values; the spread ignores the offset): 1.4826 × the
 * median absolute deviation, a standard deviation that the outliers themselves do not inflate. Falls back
 * to the standard deviation, then to 1, when the values are (nearly) constant, so it is always a positive
 * finite number. Units: those of the detector's `scoreSamples`.
 *
 * @example
 * decisionScale([0.1, 0.12, 0.09, 0.11, -0.2]); // ≈ 0.0148
 * decisionScale([2, 2, 2]);                     // 1 (constant)
 */
export function decisionScale(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 1;
  const v = Float64Array.from(values).sort();
  const med = medianOfSorted(v);
  const dev = Float64Array.from(v, (x) => Math.abs(x - med)).sort();
  const mad = 1.4826 * medianOfSorted(dev);
  if (mad > 1e-12 && Number.isFinite(mad)) return mad;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i] / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  return sd > 1e-12 && Number.isFinite(sd) ? sd : 1;
}
