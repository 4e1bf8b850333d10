/**
 * The matrix every stage passes around: features build it, detectors fit and score it, evaluation and
 * charts read it. A {@link DenseMatrix} is row-major on one Float64Array; {@link Matrix} also accepts plain
 * rows. {@link toDense} validates either once, with messages that name the row and column to fix.
 *
 * @example
 * toDense([[1, 2], [3, 4]]); // { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 */
import { DataError } from "./errors";

/** Row-major dense matrix on one typed array: row i, column j is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** What detectors accept: an array of rows (plain arrays or typed arrays) or a {@link DenseMatrix}. */
export type Matrix = readonly ArrayLike<number>[] | DenseMatrix;

function isDenseMatrix(X: Matrix): X is DenseMatrix {
  return !Array.isArray(X) && typeof X === "object" && X !== null && (X as DenseMatrix).data instanceof Float64Array;
}

/**
 * Converts rows (plain or typed arrays) or a {@link DenseMatrix} into a row-major DenseMatrix (a DenseMatrix
 * is returned as is, not copied). Throws a DataError naming the row and column for empty input, ragged rows,
 * NaN and ±Infinity.
 *
 * @example
 * toDense([[0, 1], [2, 3]]).data; // Float64Array [0, 1, 2, 3]
 */
export function toDense(X: Matrix, what = "X"): DenseMatrix {
  if (X === null || X === undefined || typeof X !== "object") {
    throw new DataError(`Expected \`${what}\` to be an array of rows or a DenseMatrix, got ${String(X)}`);
  }
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (isDenseMatrix(X)) {
    ({ rows, cols, data } = X);
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
      throw new DataError(
        `Expected \`${what}.data\` to hold rows × cols = ${rows} × ${cols} values, got ${data.length}: fix rows/cols or the data`,
      );
    }
  } else {
    if (!Array.isArray(X)) {
      throw new DataError(`Expected \`${what}\` to be an array of rows or a DenseMatrix {data, rows, cols}`);
    }
    const arr = X as readonly ArrayLike<number>[];
    rows = arr.length;
    const first = arr[0];
    cols = rows > 0 && first !== null && first !== undefined && typeof first.length === "number" ? first.length : 0;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = arr[i];
      if (row === null || row === undefined || typeof row.length !== "number") {
        throw new DataError(`Expected row ${i} of \`${what}\` to be an array of numbers, got ${String(row)}`);
      }
      if (row.length !== cols) {
        throw new DataError(
          `Expected every row of \`${what}\` to have ${cols} values (as row 0), row ${i} has ${row.length}: pad or drop ragged rows`,
        );
      }
      const o = i * cols;
      for (let j = 0; j < cols; j++) data[o + j] = row[j];
    }
  }
  if (rows === 0 || cols === 0) {
    throw new DataError(`Expected \`${what}\` to have at least one row and one column, got ${rows} × ${cols}: pass non-empty data`);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN exactly for NaN and ±Infinity; cheaper than Number.isFinite in the hot loop.
    if (v - v !== 0) {
      throw new DataError(
        `Expected finite numbers in \`${what}\`, got ${v} at row ${Math.floor(i / cols)}, column ${i % cols}: drop or impute missing/infinite values first`,
      );
    }
  }
  return { data, rows, cols };
}
