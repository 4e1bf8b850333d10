// TEMPORARY (helper B): stand-ins for helper A's base.ts helpers until it lands; removed afterwards.
import { DataError, NotFittedError, OptionError } from "../errors";
import type { Contamination, DenseMatrix, Matrix } from "./types";

export function toDense(X: Matrix, what = "X"): DenseMatrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (!Array.isArray(X) && (X as DenseMatrix).data instanceof Float64Array) {
    const m = X as DenseMatrix;
    ({ rows, cols } = m);
    data = m.data;
  } else {
    const arr = X as readonly ArrayLike<number>[];
    rows = arr.length;
    cols = rows ? arr[0].length : 0;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      if (arr[i].length !== cols) throw new DataError(`Expected every row of \`${what}\` to have ${cols} values, row ${i} has ${arr[i].length}`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = arr[i][j];
    }
  }
  if (rows === 0 || cols === 0) throw new DataError(`Expected \`${what}\` to have at least one row and one column, got ${rows}×${cols}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new DataError(`Expected finite numbers in \`${what}\`, got ${data[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
  }
  return { data, rows, cols };
}

export function validateContamination(c: Contamination): Contamination {
  if (c === "auto") return c;
  if (typeof c !== "number" || !(c > 0 && c <= 0.5)) throw new OptionError(`Expected \`contamination\` to be 'auto' or a number in (0, 0.5], got ${String(c)}`);
  return c;
}

export function validatePositiveInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new OptionError(`Expected \`${name}\` to be a positive integer, got ${v}`);
}

export function percentile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function offsetFromContamination(scores: ArrayLike<number>, c: number): number {
  return percentile(scores, 100 * c);
}

export function requireFitted<T>(state: T | null, name: string): T {
  if (state === null) throw new NotFittedError(`This ${name} detector is not fitted yet: call fit(X) first`);
  return state;
}

export function checkFeatureCount(got: number, expected: number, name: string): void {
  if (got !== expected) throw new DataError(`Expected ${expected} features (as seen by ${name}.fit), got ${got}`);
}
