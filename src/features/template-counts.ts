import { DataError } from "../errors";
import { parseDuration } from "./duration";
import type { DenseMatrix } from "../matrix";

/** Counts of each log template per time window: rows are windows, columns templates. */
export interface TemplateWindowCounts {
  /** Window start of each row, epoch ms (every window from first to last event, zeros included). */
  readonly windowStarts: Float64Array;
  /** Template id of each column. */
  readonly templateIds: number[];
  /** Column names "t<id>". */
  readonly columns: string[];
  readonly matrix: DenseMatrix;
}

/**
 * Turn template ids (from {@link mineTemplates}) and event times into a windows × templates count matrix,
 * the usual input of log-anomaly detectors (a burst of a rare template stands out). Events without a valid
 * time are skipped.
 *
 * @example
 * const { templateIds } = mineTemplates(events);
 * const m = templateWindowCounts(events.map((e) => e.time), templateIds, { window: "5m" });
 */
export function templateWindowCounts(
  times: ArrayLike<number>,
  templateIds: ArrayLike<number>,
  options: { readonly window?: string | number } = {},
): TemplateWindowCounts {
  if (times.length !== templateIds.length) {
    throw new DataError(`Expected as many times as template ids, got ${times.length} and ${templateIds.length}`);
  }
  const wms = parseDuration(options.window ?? "1m");
  let minB = Infinity;
  let maxB = -Infinity;
  const ids = new Set<number>();
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i])) continue;
    const b = Math.floor(times[i] / wms);
    if (b < minB) minB = b;
    if (b > maxB) maxB = b;
    ids.add(templateIds[i]);
  }
  const templateList = [...ids].sort((a, b) => a - b);
  const col = new Map(templateList.map((id, k) => [id, k]));
  const rows = Number.isFinite(minB) ? maxB - minB + 1 : 0;
  const cols = templateList.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i])) continue;
    data[(Math.floor(times[i] / wms) - minB) * cols + (col.get(templateIds[i]) as number)]++;
  }
  const windowStarts = Float64Array.from({ length: rows }, (_, r) => (minB + r) * wms);
  return { windowStarts, templateIds: templateList, columns: templateList.map((id) => `t${id}`), matrix: { data, rows, cols } };
}
