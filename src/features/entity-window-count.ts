import { DataError } from "../errors";
import { parseDuration } from "./duration";

/** Non-zero (entity, window) counts, sorted by entity then window, like pandas' `groupby([...]).size()`. */
export interface EntityWindowCounts {
  readonly entities: string[];
  /** Window start of each group, epoch ms. */
  readonly windowStarts: Float64Array;
  readonly counts: Int32Array;
}

/**
 * The fast entity × window count kernel: how many rows fall in each (entity, window) group, non-empty
 * groups only (the equivalent of pandas' `df.groupby(['user', 'minute']).size()`). Entities are coded with
 * a Map once; counts go into a dense typed array when entities × windows fits in 32 M cells, else into a
 * Map keyed by cell number. Rows with a missing entity or a non-finite time are skipped.
 *
 * @example
 * countByEntityWindow(["alice", "bob", "alice"], [0, 1000, 59000], { window: "1m" }).counts // Int32Array [2, 1]
 */
export function countByEntityWindow(
  entities: ArrayLike<string | undefined>,
  times: ArrayLike<number>,
  options: { readonly window?: string | number } = {},
): EntityWindowCounts {
  const n = entities.length;
  if (times.length !== n) throw new DataError(`Expected as many times as entities, got ${times.length} times for ${n} entities`);
  const wms = parseDuration(options.window ?? "1m");
  const ids = new Int32Array(n);
  const buckets = new Float64Array(n);
  const codes = new Map<string, number>();
  const names: string[] = [];
  let minB = Infinity;
  let maxB = -Infinity;
  let last: string | undefined;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    const e = entities[i];
    const t = times[i];
    if (e === undefined || e === null || !Number.isFinite(t)) {
      ids[i] = -1;
      continue;
    }
    let id: number;
    if (e === last) id = lastId;
    else {
      const have = codes.get(e);
      if (have === undefined) {
        id = names.length;
        codes.set(e, id);
        names.push(e);
      } else id = have;
      last = e;
      lastId = id;
    }
    ids[i] = id;
    const b = Math.floor(t / wms);
    buckets[i] = b;
    if (b < minB) minB = b;
    if (b > maxB) maxB = b;
  }
  const nE = names.length;
  if (nE === 0) return { entities: [], windowStarts: new Float64Array(0), counts: new Int32Array(0) };
  const nW = maxB - minB + 1;
  // Sorted entity order: rank[id] = position of names[id] in sorted order.
  const order = names.map((_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const rank = new Int32Array(nE);
  order.forEach((id, r) => (rank[id] = r));
  if (nE * nW <= 32 * 1024 * 1024) {
    const grid = new Int32Array(nE * nW);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id >= 0) grid[rank[id] * nW + (buckets[i] - minB)]++;
    }
    let nonZero = 0;
    for (let k = 0; k < grid.length; k++) if (grid[k] !== 0) nonZero++;
    const outE: string[] = new Array(nonZero);
    const outW = new Float64Array(nonZero);
    const outC = new Int32Array(nonZero);
    let j = 0;
    for (let r = 0; r < nE; r++) {
      const name = names[order[r]];
      const base = r * nW;
      for (let w = 0; w < nW; w++) {
        const c = grid[base + w];
        if (c !== 0) {
          outE[j] = name;
          outW[j] = (minB + w) * wms;
          outC[j] = c;
          j++;
        }
      }
    }
    return { entities: outE, windowStarts: outW, counts: outC };
  }
  // Too many cells for a dense grid: count in a Map keyed by cell number, then sort the keys.
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id < 0) continue;
    const key = rank[id] * nW + (buckets[i] - minB);
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const keys = Float64Array.from(cells.keys()).sort();
  const outE: string[] = new Array(keys.length);
  const outW = new Float64Array(keys.length);
  const outC = new Int32Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j];
    const r = Math.floor(k / nW);
    outE[j] = names[order[r]];
    outW[j] = (minB + (k - r * nW)) * wms;
    outC[j] = cells.get(k) as number;
  }
  return { entities: outE, windowStarts: outW, counts: outC };
}
