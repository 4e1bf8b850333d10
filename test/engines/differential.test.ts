// Proof of identity: every engine's windowed counts equal the in-memory result exactly (rows, order,
// zero-fill, numbers, totals, maxRows cap), over windows from 30 s to 1 h, year roll-over, events on window
// edges, empty entities, non-ASCII and hostile values, and seeded random event sets and queries; and a
// seeded Isolation Forest fitted on each engine's features flags the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import type { EventStore } from "../../src/engines/source";
import type { SourceWindowCountsOptions } from "../../src/engines/window-query";
import type { LogEvent } from "../../src/events";
import { windowCounts } from "../../src/features/window-counts";
import type { WindowFeature } from "../../src/features/window-plan";
import { RandomState } from "../../src/random";
import { canonical, clickhouseUrls, engineCases, storeEvents, type EngineCase } from "./engines-support";

const HOSTILE = ["it's", "back\\slash", "tab\there", "new\nline", "nul\0byte", "'; DROP TABLE events; --", "\\N", "\r\n", "\"quoted\"", "a\\'b"];
const NON_ASCII = ["José", "Zoë", "用户", "пользователь", "👤root", "e\u0301", "\u202eevil", "ß", "İ", "ı"];
const TYPES = ["failed_password", "accepted_password", "invalid_user", "http_request", "session_opened"];
const WINDOWS = ["30s", "1m", "90s", "5m", "15m", "1h"];
const FEATURES: WindowFeature[] = ["count", "failures", "successes", "failureRate", "distinctUsers", "distinctIps", "distinctHosts", "bytesSum"];

/** Seeded events with every awkward case: edges, roll-over, NaN times, empty/absent entities, hostile text. */
function randomEvents(seed: number, n: number): LogEvent[] {
  const rng = new RandomState(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.randint(0, xs.length)];
  const base = pick([Date.UTC(2024, 11, 31, 23, 40), Date.UTC(2025, 5, 1, 12), Date.UTC(1969, 11, 31, 23, 50)]);
  const names = [...HOSTILE, ...NON_ASCII, "10.0.0.1", "10.0.0.2", "192.168.1.10", "root", "admin", "010.0.0.1", ""];
  const out: LogEvent[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.rand();
    let time: number;
    if (r < 0.05) time = NaN;
    else if (r < 0.3) time = base + rng.randint(0, 90) * 30_000; // exactly on 30 s (and 1 m, 5 m, …) edges
    else if (r < 0.35) time = base + rng.randint(0, 90) * 30_000 - 1; // the last ms before an edge
    else if (r < 0.4) time = base + rng.randint(0, 3_000_000) + 0.25 * rng.randint(0, 4); // fractional ms
    else time = base + rng.randint(0, 5_400_000);
    const maybe = (p: number) => (rng.rand() < p ? pick(names) : undefined);
    const type = pick(TYPES);
    const outcome = type.startsWith("failed") || type === "invalid_user" ? "failure" : type.startsWith("accepted") ? "success" : undefined;
    out.push({
      lineNo: i + 1,
      time,
      eventType: type,
      outcome,
      user: maybe(0.85),
      srcIp: maybe(0.9),
      host: maybe(0.7),
      process: maybe(0.6),
      ...(outcome === "failure" && rng.rand() < 0.2 ? { companionOf: i, ...(rng.rand() < 0.8 ? { companionType: pick(TYPES) } : {}) } : {}),
      fields: rng.rand() < 0.3 ? { bytes: rng.randint(0, 100_000) } : undefined,
      message: "",
    });
  }
  return out;
}

function randomQuery(rng: RandomState, events: readonly LogEvent[]): SourceWindowCountsOptions {
  const pick = <T>(xs: readonly T[]): T => xs[rng.randint(0, xs.length)];
  const features = FEATURES.filter(() => rng.rand() < 0.4);
  const times = events.map((e) => e.time).filter(Number.isFinite);
  const tMin = Math.min(...times);
  const tMax = Math.max(...times);
  const q: Record<string, unknown> = {
    by: pick(["srcIp", "ip", "user", "host", "process"] as const),
    window: pick(WINDOWS),
    features: features.length > 0 ? features : ["count"],
    zeroFill: rng.rand() < 0.6,
  };
  const f = rng.rand();
  if (f < 0.3) q.filter = pick(TYPES);
  else if (f < 0.5) q.filter = TYPES.filter(() => rng.rand() < 0.5);
  if (rng.rand() < 0.25) q.start = tMin + rng.rand() * (tMax - tMin) * 0.5;
  if (rng.rand() < 0.25) q.end = tMax - rng.rand() * (tMax - tMin) * 0.4;
  if (rng.rand() < 0.2) q.maxRows = 1 + rng.randint(0, 200);
  return q as SourceWindowCountsOptions;
}

let ch: [string, string] | undefined;
let cases: EngineCase[] = [];
const opened: EventStore[] = [];

beforeAll(async () => {
  ch = await clickhouseUrls();
  cases = engineCases(ch);
}, 60_000);
afterAll(async () => {
  for (const s of opened) await s.close();
});

async function open(c: EngineCase): Promise<EventStore> {
  const s = await c.open();
  opened.push(s);
  return s;
}

describe("every engine returns the in-memory window features exactly", () => {
  it("on hand-made edge cases: window edges, year roll-over, empty entities, non-ASCII and hostile names", async () => {
    const T = Date.UTC(2024, 11, 31, 23, 59, 0);
    const ev = (lineNo: number, dt: number, srcIp: string | undefined, user?: string, eventType = "failed_password"): LogEvent => ({
      lineNo, time: T + dt, eventType, outcome: "failure", srcIp, user, message: "",
    });
    const events: LogEvent[] = [
      ev(1, 0, "10.0.0.1", "root"), // exactly on the minute edge
      ev(2, 59_999, "10.0.0.1", "root"), // last ms of the same minute
      ev(3, 60_000, "10.0.0.1", "José"), // 2025-01-01T00:00:00.000Z: the next year's first window
      ev(4, 60_000, "", "ghost"), // empty entity: skipped as in memory
      ev(5, 61_000, undefined, "ghost"), // no entity
      { ...ev(6, 0, "10.0.0.9"), time: NaN }, // no time
      ...HOSTILE.map((h, i) => ev(7 + i, 30_000 * i, h, h)),
      ...NON_ASCII.map((h, i) => ev(20 + i, 45_000 * i, h, h)),
    ];
    for (const c of cases) {
      const store = await open(c);
      await storeEvents(store, events);
      for (const window of WINDOWS) {
        for (const by of ["srcIp", "user"] as const) {
          const o: SourceWindowCountsOptions = { by, window, features: ["count", "failures", "distinctUsers"] };
          expect(canonical(await store.windowCounts(o)), `${c.name} ${by} ${window}`).toEqual(canonical(windowCounts(events, o)));
        }
      }
      // Hostile and non-ASCII entities come back byte for byte.
      const f = await store.windowCounts({ by: "user", zeroFill: false });
      expect(new Set(f.entities)).toEqual(new Set(events.filter((e) => e.user && Number.isFinite(e.time)).map((e) => e.user)));
    }
  });

  it("on seeded random event sets and queries (and the Isolation Forest flags the same rows)", async () => {
    const rng = new RandomState(20261207);
    for (let set = 0; set < 3; set++) {
      const events = randomEvents(1000 + set, 3000);
      const stores: Array<[string, EventStore]> = [];
      for (const c of cases) {
        const s = await open(c);
        await storeEvents(s, events, `set${set}`, 1000);
        stores.push([c.name, s]);
      }
      for (let q = 0; q < 12; q++) {
        const o = randomQuery(rng, events);
        const want = windowCounts(events, o);
        for (const [name, s] of stores) {
          const got = await s.windowCounts(o);
          expect(canonical(got), `${name}, set ${set}, query ${JSON.stringify(o)}`).toEqual(canonical(want));
          if (q % 4 === 0 && want.matrix.rows >= 8) {
            const fit = (m: typeof want.matrix) => new IsolationForest({ seed: 7, nEstimators: 50, contamination: 0.05 }).fit(m).predict(m);
            expect(Array.from(fit(got.matrix)), `${name} IsolationForest flags`).toEqual(Array.from(fit(want.matrix)));
          }
        }
      }
    }
  }, 300_000);

  it("passes hostile event types to SQL as values, never as SQL text (filters and rows round-trip)", async () => {
    const T = Date.UTC(2025, 0, 1);
    const events: LogEvent[] = HOSTILE.map((h, i) => ({ lineNo: i + 1, time: T + i * 1000, eventType: h, srcIp: `10.0.0.${i}`, user: h, message: "" }));
    for (const c of cases) {
      const s = await open(c);
      await storeEvents(s, events);
      for (const filter of [HOSTILE[5], HOSTILE.slice(0, 4), [HOSTILE[6], HOSTILE[9]]]) {
        const o: SourceWindowCountsOptions = { by: "user", filter, zeroFill: false };
        const got = await s.windowCounts(o);
        expect(canonical(got), `${c.name} ${JSON.stringify(filter)}`).toEqual(canonical(windowCounts(events, o)));
        expect(got.counted).toBe(typeof filter === "string" ? 1 : filter.length);
      }
      expect((await s.windowCounts({})).counted, `${c.name}: the table is intact`).toBe(HOSTILE.length);
    }
  });

  it("says so instead of truncating when the cells exceed maxCells", async () => {
    const events = randomEvents(5, 500);
    for (const c of cases) {
      const s = await open(c);
      await storeEvents(s, events);
      const full = await s.windowCounts({ by: "user", window: "30s", zeroFill: false });
      await expect(s.windowCounts({ by: "user", window: "30s", zeroFill: false, maxCells: full.matrix.rows - 1 })).rejects.toThrow(
        new RegExp(`${c.name.startsWith("duckdb") ? "DuckDB" : "ClickHouse"} at .*more than ${full.matrix.rows - 1} \\(entity, window\\) cells`),
      );
      expect((await s.windowCounts({ by: "user", window: "30s", zeroFill: false, maxCells: full.matrix.rows })).matrix.rows).toBe(full.matrix.rows);
    }
  });

  it("refuses what SQL cannot push down, with the reason", async () => {
    const s = await open(cases[0]);
    await expect(s.windowCounts({ by: (e) => e.user })).rejects.toThrow(/function as `by` runs only on the in-memory source/);
    await expect(s.windowCounts({ filter: (e) => e.user === "x" })).rejects.toThrow(/predicate as `filter`/);
    await expect(s.windowCounts({ features: [{ name: "x", kind: "count" }] })).rejects.toThrow(/Custom features run only on the in-memory source/);
    await expect(s.windowCounts({ windw: "1m" } as never)).rejects.toThrow(/did you mean `window`/);
  });
});
