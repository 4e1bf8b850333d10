import type { WindowFeatures } from "../features/window-counts";

/**
 * Whether two window feature results are identical: the same columns, window, grid, totals, row keys (entity
 * and window start, in order), every number bit for bit (NaN equal to NaN) and the same `maxRows` cap report.
 * The check behind "every engine returns the in-memory result".
 *
 * @example
 * const a = windowCounts(events, { window: "5m" });
 * sameFeatures(a, windowCounts(events, { window: "5m" })); // true
 * sameFeatures(a, windowCounts(events, { window: "1m" })); // false
 */
export function sameFeatures(a: WindowFeatures, b: WindowFeatures): boolean {
  const same = (x: number, y: number) => Object.is(x, y) || (x === y && x !== 0) || (x === 0 && y === 0);
  if (a.columns.join("\u0000") !== b.columns.join("\u0000") || a.windowMs !== b.windowMs) return false;
  if (!same(a.start, b.start) || !same(a.end, b.end)) return false;
  if (a.counted !== b.counted || a.skippedNoEntity !== b.skippedNoEntity || a.skippedNoTime !== b.skippedNoTime) return false;
  if (a.matrix.rows !== b.matrix.rows || a.matrix.cols !== b.matrix.cols) return false;
  for (let i = 0; i < a.matrix.rows; i++) {
    if (a.entities[i] !== b.entities[i] || a.windowStarts[i] !== b.windowStarts[i]) return false;
  }
  for (let i = 0; i < a.matrix.data.length; i++) if (!same(a.matrix.data[i], b.matrix.data[i])) return false;
  return JSON.stringify(a.zeroFillCap ?? null) === JSON.stringify(b.zeroFillCap ?? null);
}
