/**
 * WindowAccumulator's fast paths (entities interned to ints, canonical IPv4 keyed by value, cells chained per
 * entity, out-of-order events through a per-entity index, rows placed by counting sort) against a naive
 * reference: group events in nested Maps, sort, zero-fill. Seeded events include out-of-order times,
 * non-canonical IPv4 look-alikes ("01.2.3.4" is not "1.2.3.4"), host names and users.
 */
import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { windowCounts, type WindowCountsOptions, type WindowFeatures } from "../../src/features/window-counts";
import { RandomState } from "../../src/random";

const ENTITIES = ["1.2.3.4", "01.2.3.4", "1.2.3.40", "255.255.255.255", "0.0.0.0", "10.0.0.1", "10.0.0.01", "1.2.3", "1.2.3.4.5",
  "256.1.1.1", "host-a", "bastion.example.org", "2001:db8::1", "alice", "9"];
const TYPES = ["failed_password", "accepted_password", "invalid_user"];

function seededEvents(seed: number, n: number, shuffled: number): LogEvent[] {
  const rng = new RandomState(seed);
  const t0 = Date.UTC(2025, 2, 6, 10, 0, 0);
  const out: LogEvent[] = [];
  for (let i = 0; i < n; i++) {
    const entity = ENTITIES[rng.randint(0, ENTITIES.length)];
    const type = TYPES[rng.randint(0, TYPES.length)];
    // Mostly ascending time; a share of events jumps back up to 20 minutes (merged logs).
    const back = rng.rand() < shuffled ? rng.randint(0, 1200) * 1000 : 0;
    out.push({
      lineNo: i + 1, time: t0 + i * 7000 - back, eventType: type, srcIp: entity, user: ENTITIES[rng.randint(0, ENTITIES.length)],
      outcome: type === "accepted_password" ? "success" : "failure", message: "",
    });
  }
  return out;
}

/** The obvious implementation: entity → window → events, then sort and zero-fill. Columns count, failures, distinctUsers. */
function reference(events: LogEvent[], o: { filter?: string; zeroFill: boolean; start?: number; end?: number }): { rows: Array<[string, number, number, number, number]> } {
  const wms = 60000;
  const groups = new Map<string, Map<number, LogEvent[]>>();
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of events) {
    if (o.filter !== undefined && e.eventType !== o.filter) continue;
    const k = e.srcIp as string;
    if (!groups.has(k)) groups.set(k, new Map());
    const w = Math.floor(e.time / wms);
    const g = groups.get(k) as Map<number, LogEvent[]>;
    if (!g.has(w)) g.set(w, []);
    (g.get(w) as LogEvent[]).push(e);
    lo = Math.min(lo, e.time);
    hi = Math.max(hi, e.time);
  }
  const w0 = Math.floor((o.start ?? lo) / wms);
  const w1 = Math.floor((o.end ?? hi) / wms);
  const rows: Array<[string, number, number, number, number]> = [];
  for (const name of [...groups.keys()].sort()) {
    const g = groups.get(name) as Map<number, LogEvent[]>;
    const windows = o.zeroFill ? Array.from({ length: w1 - w0 + 1 }, (_, j) => w0 + j) : [...g.keys()].filter((w) => w >= w0 && w <= w1).sort((a, b) => a - b);
    for (const w of windows) {
      const es = g.get(w) ?? [];
      rows.push([name, w * wms, es.length, es.filter((e) => e.outcome === "failure").length, new Set(es.map((e) => e.user)).size]);
    }
  }
  return { rows };
}

function rowsOf(f: WindowFeatures): Array<[string, number, number, number, number]> {
  return f.entities.map((e, i) => [e, f.windowStarts[i], f.matrix.data[i * 3], f.matrix.data[i * 3 + 1], f.matrix.data[i * 3 + 2]]);
}

describe("WindowAccumulator against a naive reference", () => {
  const t0 = Date.UTC(2025, 2, 6, 10, 0, 0);
  for (const shuffled of [0, 0.3]) {
    for (const zeroFill of [false, true]) {
      for (const clip of [false, true]) {
        it(`${shuffled ? "out-of-order" : "in-order"} events, zeroFill ${zeroFill}, ${clip ? "start/end clipped" : "full span"}`, () => {
          const events = seededEvents(7 + (shuffled ? 1 : 0), 3000, shuffled);
          const range = clip ? { start: t0 + 40 * 60000 + 5000, end: t0 + 200 * 60000 } : {};
          const options: WindowCountsOptions = { by: "srcIp", window: "1m", zeroFill, features: ["count", "failures", "distinctUsers"], ...range };
          const got = windowCounts(events, options);
          const want = reference(events, { zeroFill, ...range });
          expect(got.matrix.rows).toBe(want.rows.length);
          expect(rowsOf(got)).toEqual(want.rows);
          // The filtered count-only path (the CLI's) too.
          const only = windowCounts(events, { by: "srcIp", window: "1m", zeroFill, filter: "failed_password", ...range });
          const ref = reference(events, { zeroFill, filter: "failed_password", ...range }).rows;
          expect(only.entities).toEqual(ref.map((r) => r[0]));
          expect(Array.from(only.windowStarts)).toEqual(ref.map((r) => r[1]));
          expect(Array.from(only.matrix.data)).toEqual(ref.map((r) => r[2]));
        });
      }
    }
  }

  it("keeps IPv4 look-alikes apart and keeps the names as written", () => {
    const f = windowCounts(seededEvents(3, 500, 0), { by: "srcIp", zeroFill: false });
    const names = new Set(f.entities);
    for (const e of ["1.2.3.4", "01.2.3.4", "10.0.0.1", "10.0.0.01", "0.0.0.0", "255.255.255.255", "1.2.3.4.5", "256.1.1.1"]) expect(names.has(e)).toBe(true);
    expect(names.size).toBe(ENTITIES.length);
  });
});
