/**
 * Turning timestamps into values Plotly reads the same way in every browser and time zone.
 */
import { DataError } from "../errors";

/** An x value: a plain number, a Date, or an ISO-8601 date string. */
export type ChartX = number | Date | string;

const NAIVE_DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/**
 * Format epoch milliseconds as Plotly's date string in UTC ("2024-03-01 10:05:00", milliseconds only when set).
 *
 * @example
 * plotlyDate(Date.UTC(2024, 2, 1, 10, 5)); // "2024-03-01 10:05:00"
 */
export function plotlyDate(ms: number): string {
  const d = new Date(ms);
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const msPart = d.getUTCMilliseconds();
  return msPart === 0 ? base : `${base}.${pad(msPart, 3)}`;
}

/**
 * Normalise x values for Plotly: numbers stay numbers; Dates and ISO strings with a zone ("Z", "+02:00")
 * become UTC date strings; ISO strings without a zone are kept as written (T → space), never shifted by the
 * local time zone. Throws {@link DataError} for strings that are not dates and for mixed kinds.
 *
 * @example
 * plotlyXValues([new Date(Date.UTC(2024, 0, 1)), "2024-01-01T00:01:00Z"]).values; // ["2024-01-01 00:00:00", "2024-01-01 00:01:00"]
 */
export function plotlyXValues(x: readonly ChartX[] | ArrayLike<number>): { values: (number | string)[]; isTime: boolean } {
  const n = x.length;
  if (n === 0) return { values: [], isTime: false };
  const first = x[0];
  if (typeof first === "number") {
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (typeof v !== "number") throw mixed(i, v);
      values[i] = v;
    }
    return { values, isTime: false };
  }
  const values = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = x[i] as ChartX;
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new DataError(`x[${i}] is an invalid Date; drop or fix that point`);
      values[i] = plotlyDate(v.getTime());
    } else if (typeof v === "string") {
      if (NAIVE_DATE.test(v)) values[i] = v.replace("T", " ");
      else {
        const ms = Date.parse(v);
        if (Number.isNaN(ms)) {
          throw new DataError(`Expected x[${i}] to be an ISO-8601 date like "2024-03-01T10:05:00Z", got ${JSON.stringify(v)}`);
        }
        values[i] = plotlyDate(ms);
      }
    } else throw mixed(i, v);
  }
  return { values, isTime: true };
}

function mixed(i: number, v: unknown): DataError {
  return new DataError(`Expected every x value to be of the same kind as x[0] (numbers, or Dates / ISO strings), got ${typeof v} at x[${i}]`);
}
