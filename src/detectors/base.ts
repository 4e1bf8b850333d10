/**
 * Validation and thresholding shared by every siemlab detector, so that all of them accept the same
 * inputs, reject the same bad inputs with the same fix-it messages, and turn `contamination` into an
 * offset the same way scikit-learn does.
 *
 * @example
 * const X = toDense([[1, 2], [3, 4]]); // { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 * percentile([1, 2, 3, 4], 50);       // 2.5, as np.percentile
 */
import { DataError, NotFittedError, OptionError } from "../errors";
import { checkSeed } from "../random";
import type { Contamination, DenseMatrix, Matrix } from "./types";

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

/**
 * Throws a DataError unless `got` features equal the `expected` number seen by `name`.fit.
 *
 * @example
 * checkFeatureCount(3, 3, "IsolationForest"); // ok
 */
export function checkFeatureCount(got: number, expected: number, name: string): void {
  if (got !== expected) {
    throw new DataError(`Expected ${expected} features (as seen by ${name}.fit), got ${got}: pass the same columns as at fit`);
  }
}

/**
 * Returns `c` if it is 'auto' or a number in (0, 0.5]; otherwise throws an OptionError.
 *
 * @example
 * validateContamination(0.05); // 0.05
 * validateContamination(0.7);  // throws: Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7
 */
export function validateContamination(c: Contamination): Contamination {
  if (c === "auto") return c;
  if (typeof c !== "number" || !(c > 0 && c <= 0.5)) {
    throw new OptionError(`Expected \`contamination\` to be 'auto' or a number in (0, 0.5], got ${typeof c === "string" ? `'${c}'` : String(c)}`);
  }
  return c;
}

/**
 * Returns `seed` if it is an integer in [0, 2**32 - 1] (what NumPy's RandomState accepts), else throws.
 *
 * @example
 * validateSeed(42); // 42
 */
export function validateSeed(seed: number): number {
  return checkSeed(seed);
}

/**
 * Throws an OptionError unless `v` is an integer >= 1.
 *
 * @example
 * validatePositiveInteger("nEstimators", 100); // ok
 */
export function validatePositiveInteger(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new OptionError(`Expected \`${name}\` to be a positive integer, got ${String(v)}`);
  }
}

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
 * The offset that flags a `contamination` fraction of the training rows: scikit-learn's
 * `np.percentile(train_scores, 100 * contamination)`.
 *
 * @example
 * offsetFromContamination([-0.7, -0.5, -0.45, -0.44, -0.4], 0.25); // -0.5
 */
export function offsetFromContamination(trainScores: ArrayLike<number>, contamination: number): number {
  return percentile(trainScores, 100 * contamination);
}

/**
 * The error for using a detector before `fit`: "IsolationForest is not fitted yet: call fit(X) first".
 *
 * @example
 * throw notFittedError("IsolationForest");
 */
export function notFittedError(name: string): NotFittedError {
  return new NotFittedError(`${name} is not fitted yet: call fit(X) first`);
}

/**
 * Returns the fitted state, or throws {@link notFittedError} when it is still null.
 *
 * @example
 * const state = requireFitted(this.state, "IsolationForest");
 */
export function requireFitted<T>(state: T | null | undefined, name: string): T {
  if (state === null || state === undefined) throw notFittedError(name);
  return state;
}

/**
 * `predict` from decision values: -1 where `decision < 0` (outlier), else 1, as scikit-learn.
 *
 * @example
 * predictFromDecision(Float64Array.of(-0.1, 0, 0.2)); // Int8Array [-1, 1, 1]
 */
export function predictFromDecision(decision: ArrayLike<number>): Int8Array {
  const out = new Int8Array(decision.length);
  for (let i = 0; i < decision.length; i++) out[i] = decision[i] < 0 ? -1 : 1;
  return out;
}

/**
 * `scoreSamples - offset` as a new array.
 *
 * @example
 * subtractOffset(Float64Array.of(-0.6, -0.4), -0.5); // Float64Array [-0.1, 0.1] (to rounding)
 */
export function subtractOffset(scores: ArrayLike<number>, offset: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] - offset;
  return out;
}
