/**
 * Order statistics shared by detectors (contamination offsets, robust z-scores), the 0–100 anomaly score and
 * charts: NumPy's default percentile and the median of sorted values.
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5, as np.percentile
 */
import { DataError, OptionError } from "./errors";

/**
 * The q-th percentile (q in [0, 100]) with NumPy's default linear interpolation, computed exactly as
 * `np.percentile(values, q)` in NumPy 1.24 (same virtual index and the same two-sided lerp).
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 * percentile([5, 1, 3], 100);   // 5
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new OptionError(`Expected \`q\` to be in [0, 100], got ${String(q)}`);
  const n = values.length;
  if (n === 0) throw new DataError("Expected at least one value to take a percentile of, got none");
  const s = Float64Array.from(values).sort();
  const virtual = (n - 1) * (q / 100);
  const lo = Math.floor(virtual);
  if (lo >= n - 1) return s[n - 1];
  const t = virtual - lo;
  const a = s[lo];
  const b = s[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The median of values already sorted ascending (the mean of the two middle values for an even count).
 *
 * @example
 * medianOfSorted(Float64Array.of(1, 2, 3, 10)); // 2.5
 */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) throw new DataError("Expected at least one value to take a median of, got none");
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
