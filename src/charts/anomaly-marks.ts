/**
 * The forms in which charts accept "which points are anomalies".
 */
import { DataError } from "../errors";

/**
 * Which points are anomalies, in any of three forms:
 * - `boolean[]` (or a `Uint8Array` of 0/1): true = anomaly, one entry per point;
 * - an `Int8Array` as returned by a detector's `predict` (-1 = anomaly, 1 = normal), one entry per point;
 *   a plain `number[]` made only of 1 and -1 with one entry per point is read the same way;
 * - a `number[]` of point indices (0-based).
 */
export type AnomalyMarks = readonly boolean[] | Int8Array | Uint8Array | readonly number[];

/**
 * Normalise {@link AnomalyMarks} to one boolean per point.
 *
 * @example
 * anomalyMask(new Int8Array([1, -1, 1]), 3); // [false, true, false]
 * anomalyMask([2], 3);                       // [false, false, true]
 */
export function anomalyMask(marks: AnomalyMarks | undefined, n: number): boolean[] {
  const mask = new Array<boolean>(n).fill(false);
  if (marks === undefined) return mask;
  if (marks instanceof Int8Array) {
    requireLength(marks.length, n, "an Int8Array of predict() output (-1 = anomaly)");
    for (let i = 0; i < n; i++) mask[i] = marks[i] === -1;
    return mask;
  }
  if (marks instanceof Uint8Array) {
    requireLength(marks.length, n, "a Uint8Array of 0/1 flags");
    for (let i = 0; i < n; i++) mask[i] = marks[i] !== 0;
    return mask;
  }
  if (marks.length > 0 && typeof marks[0] === "boolean") {
    requireLength(marks.length, n, "a boolean[] of flags");
    for (let i = 0; i < n; i++) mask[i] = marks[i] === true;
    return mask;
  }
  const values = marks as readonly number[];
  const isPredict = values.length === n && values.some((v) => v === -1) && values.every((v) => v === 1 || v === -1);
  if (isPredict) {
    for (let i = 0; i < n; i++) mask[i] = values[i] === -1;
    return mask;
  }
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new DataError(
        `Expected \`anomalies\` to be point indices in [0, ${n - 1}], got ${v}; ` +
          `pass predict() output as its Int8Array, or flags as boolean[] with one entry per point`,
      );
    }
    mask[v] = true;
  }
  return mask;
}

function requireLength(got: number, n: number, what: string): void {
  if (got !== n) {
    throw new DataError(`Expected \`anomalies\` as ${what} with one entry per point (${n}), got ${got} entries`);
  }
}
