/**
 * Seeded subsampling of a labelled data set, so that slow detectors (LOF, One-Class SVM: O(n²)) and
 * notebooks stay within their time budget while every run sees the same rows.
 */
import { DataError, OptionError } from "../errors";
import { RandomState } from "../random";
import type { BinaryLabels } from "./metrics";
import { type DenseMatrix, type Matrix, toDense } from "../matrix";

/** A labelled subsample and the original row indices it kept (increasing). */
export interface LabelledSubsample {
  readonly X: DenseMatrix;
  readonly y: Uint8Array;
  readonly indices: Int32Array;
}

/**
 * Keeps at most `maxRows` rows of (X, y), drawn without replacement with NumPy's
 * `RandomState(seed).choice(n, maxRows, replace=False)` (so Python can draw the same rows), then sorted
 * back into their original order. Returns all rows (a copy) when n ≤ maxRows.
 *
 * @example
 * const { X: Xs, y: ys, indices } = subsampleLabelled(X, y, 5000, 0);
 */
export function subsampleLabelled(X: Matrix, y: BinaryLabels, maxRows: number, seed = 0): LabelledSubsample {
  const M = toDense(X, "X");
  if (y.length !== M.rows) throw new DataError(`Expected one label per row of X (${M.rows}), got ${y.length}`);
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new OptionError(`Expected \`maxRows\` to be a positive integer, got ${String(maxRows)}`);
  }
  const n = M.rows;
  let idx: number[];
  if (n <= maxRows) idx = Array.from({ length: n }, (_, i) => i);
  else idx = new RandomState(seed).choice(n, maxRows, false).sort((a, b) => a - b);
  const d = M.cols;
  const data = new Float64Array(idx.length * d);
  const labels = new Uint8Array(idx.length);
  idx.forEach((r, i) => {
    data.set(M.data.subarray(r * d, r * d + d), i * d);
    labels[i] = y[r] ? 1 : 0;
  });
  return { X: { data, rows: idx.length, cols: d }, y: labels, indices: Int32Array.from(idx) };
}
