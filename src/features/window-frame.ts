import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";

/**
 * The Danfo face of window features (the edge where Danfo is loaded): entity, window_start (ISO text) and
 * one column per feature, from the row-major `data` (rows × columns.length).
 *
 * @example
 * windowFrame(["10.0.0.1"], Float64Array.of(0), ["count"], Float64Array.of(3)).shape; // [1, 3]
 */
export function windowFrame(
  entities: readonly string[],
  windowStarts: Float64Array,
  columns: readonly string[],
  data: Float64Array,
): dfd.DataFrame {
  const nRows = entities.length;
  const cols = columns.length;
  const frame: Record<string, unknown[]> = {
    entity: entities as string[],
    window_start: Array.from(windowStarts, (t) => new Date(t).toISOString()),
  };
  columns.forEach((c, k) => {
    frame[c] = Array.from({ length: nRows }, (_, i) => data[i * cols + k]);
  });
  return new (lazyDanfo().DataFrame)(frame, { columns: ["entity", "window_start", ...columns] });
}
