import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { OptionError } from "../../src/errors";
import { WindowAccumulator, windowCounts } from "../../src/features/window-counts";

const T0 = Date.UTC(2024, 0, 1, 10, 0, 0);
const min = 60000;
let n = 0;
function ev(t: number, eventType: string, srcIp?: string, user?: string, extra: Partial<LogEvent> = {}): LogEvent {
  const outcome = eventType.startsWith("failed") ? "failure" : eventType.startsWith("accepted") ? "success" : undefined;
  return { lineNo: ++n, time: T0 + t, eventType, srcIp, user, outcome, message: "", ...extra };
}

const events: LogEvent[] = [
  ev(0, "failed_password", "1.1.1.1", "root"),
  ev(10_000, "failed_password", "1.1.1.1", "admin"),
  ev(20_000, "accepted_password", "2.2.2.2", "alice"),
  ev(3 * min + 5, "failed_password", "1.1.1.1", "root"),
  ev(3 * min + 6, "failed_password", "2.2.2.2", "root"),
  ev(30_000, "failed_password", undefined, "ghost"),
  ev(NaN, "failed_password", "3.3.3.3", "x"),
];

describe("windowCounts", () => {
  it("zero-fills every entity over the observed span (quiet minutes are zeros)", () => {
    const f = windowCounts(events, { by: "srcIp", window: "1m", filter: "failed_password" });
    expect(f.columns).toEqual(["count"]);
    expect(f.keys.map((k) => [k.entity, (k.windowStart - T0) / min])).toEqual([
      ["1.1.1.1", 0], ["1.1.1.1", 1], ["1.1.1.1", 2], ["1.1.1.1", 3],
      ["2.2.2.2", 0], ["2.2.2.2", 1], ["2.2.2.2", 2], ["2.2.2.2", 3],
    ]);
    expect(Array.from(f.matrix.data)).toEqual([2, 0, 0, 1, 0, 0, 0, 1]);
    expect([f.counted, f.skippedNoEntity, f.skippedNoTime]).toEqual([4, 1, 1]);
  });

  it("emits only non-empty windows with zeroFill: false, and honours start/end", () => {
    const f = windowCounts(events, { filter: ["failed_password"], zeroFill: false });
    expect(f.toRows()).toEqual([[2], [1], [1]]);
    const g = windowCounts(events, { filter: "failed_password", start: T0 - 2 * min, end: T0 + min });
    expect(g.matrix.rows).toBe(2 * 4);
    expect(g.toRows().map((r) => r[0])).toEqual([0, 0, 2, 0, 0, 0, 0, 0]);
  });

  it("computes several columns in one pass", () => {
    const web = [
      ev(0, "http_request", "9.9.9.9", undefined, { outcome: "success", fields: { bytes: 100 } }),
      ev(1000, "http_request", "9.9.9.9", undefined, { outcome: "failure", fields: { bytes: 50 } }),
      ev(2000, "http_request", "9.9.9.9", undefined, { outcome: "failure", fields: { bytes: "x" } }),
    ];
    const f = windowCounts(web, { features: ["count", "failures", "successes", "failureRate", "bytesSum"], window: "5m" });
    expect(f.columns).toEqual(["count", "failures", "successes", "failureRate", "bytesSum"]);
    expect(f.toRows()[0].map((x) => +x.toFixed(4))).toEqual([3, 2, 1, 0.6667, 150]);
    const byIp = windowCounts(events, { by: "ip", features: ["distinctUsers", { name: "rootFails", kind: "count", where: (e) => e.user === "root" }] });
    expect(byIp.keys[0].entity).toBe("1.1.1.1");
    expect(byIp.toRows()[0]).toEqual([2, 1]);
    const byUser = windowCounts(events, { by: "user", window: "1h", features: ["distinctIps", "count"] });
    expect(byUser.entities).toEqual(["admin", "alice", "ghost", "root"]);
    expect(byUser.toRows()).toEqual([[1, 1], [1, 1], [0, 1], [2, 3]]);
  });

  it("supports function keys, custom sums and distinct values", () => {
    const f = windowCounts(events, {
      by: (e) => (e.user === "root" ? "root" : "other"),
      window: "1h",
      features: [{ name: "s", kind: "sum", value: (e) => e.lineNo }, { name: "d", kind: "distinct", value: (e) => e.eventType }],
    });
    expect(f.entities).toEqual(["other", "root"]);
    expect(f.toRows()[1][1]).toBe(1);
  });

  it("gives a display DataFrame with ISO window starts", () => {
    const df = windowCounts(events, { filter: "failed_password" }).toDataFrame();
    expect(df.columns).toEqual(["entity", "window_start", "count"]);
    expect(df.column("window_start").values[0]).toBe("2024-01-01T10:00:00.000Z");
  });

  it("streams: the accumulator gives the same result as the one-shot call", () => {
    const acc = new WindowAccumulator({ filter: "failed_password" });
    for (const e of events) acc.add(e);
    expect(Array.from(acc.finish().matrix.data)).toEqual(Array.from(windowCounts(events, { filter: "failed_password" }).matrix.data));
  });

  it("fails clearly on bad options and oversized grids", () => {
    expect(() => windowCounts(events, { by: "mac" as never })).toThrow(/Expected `by` to be 'srcIp'/);
    expect(() => windowCounts(events, { features: ["nope" as never] })).toThrow(/Unknown feature "nope"/);
    expect(() => windowCounts(events, { features: [] })).toThrow(OptionError);
    expect(() => windowCounts(events, { features: ["count", { name: "count", kind: "count" }] })).toThrow(/appears twice/);
    expect(windowCounts([], {}).matrix.rows).toBe(0);
  });

  it("maxRows bounds the zero-fill: the densest span is filled, cells outside it are rows of their own, nothing is dropped", () => {
    // 2 entities × 181 one-second windows = 362 rows > 10: the budget is 5 windows per entity.
    const f = windowCounts(events, { window: "1s", maxRows: 10 });
    const s = (t: number) => (t - T0) / 1000;
    expect(f.keys.map((k) => [k.entity, s(k.windowStart)])).toEqual([
      ["1.1.1.1", 0], ["1.1.1.1", 10], ["1.1.1.1", 180],
      ["2.2.2.2", 20], ["2.2.2.2", 180],
    ]);
    expect(Array.from(f.matrix.data)).toEqual([1, 1, 1, 1, 1]);
    expect(f.zeroFillCap).toMatchObject({ maxRows: 10, rowsWanted: 362, cellsOutside: 3, eventsOutside: 3 });
    expect([s(f.zeroFillCap!.filledStart), s(f.zeroFillCap!.filledEnd)]).toEqual([180, 180]);
    expect(f.zeroFillCap!.outside.map((k) => [k.entity, s(k.windowStart)])).toEqual([["1.1.1.1", 0], ["1.1.1.1", 10], ["2.2.2.2", 20]]);
    // Every counted event is in some row.
    expect(f.matrix.data.reduce((a, b) => a + b, 0)).toBe(f.counted);
    // Within the budget, zeros are filled as usual.
    const g = windowCounts(events, { window: "1s", maxRows: 400 });
    expect([g.matrix.rows, g.zeroFillCap]).toEqual([362, undefined]);
  });

  it("more entities than maxRows: no zero rows at all, every cell still a row", () => {
    const f = windowCounts(events, { window: "1m", maxRows: 1 });
    expect(f.zeroFillCap).toMatchObject({ cellsOutside: 4, eventsOutside: 5 });
    expect(f.zeroFillCap!.filledStart).toBeNaN();
    expect(f.keys.map((k) => [k.entity, (k.windowStart - T0) / min])).toEqual([["1.1.1.1", 0], ["1.1.1.1", 3], ["2.2.2.2", 0], ["2.2.2.2", 3]]);
    expect(Array.from(f.matrix.data)).toEqual([2, 1, 1, 1]);
  });

  it("one event decades away from the rest does not abort and does not zero-fill the decades", () => {
    const far: LogEvent[] = [
      ...events.slice(0, 5),
      { lineNo: 99, time: 0, eventType: "failed_password", srcIp: "203.0.113.2", message: "" },
    ];
    const f = windowCounts(far, { window: "1m", maxRows: 1000, features: ["count", "failures"] });
    expect(f.zeroFillCap).toMatchObject({ cellsOutside: 1, eventsOutside: 1, outside: [{ entity: "203.0.113.2", windowStart: 0 }] });
    expect(f.matrix.rows).toBe(3 * 4 + 1); // 3 entities × 4 minutes, plus the far cell
    expect(f.keys.filter((k) => k.entity === "203.0.113.2").map((k) => k.windowStart)).toEqual([0, T0, T0 + min, T0 + 2 * min, T0 + 3 * min]);
  });
});

describe("failure columns without outcomes (new-user trial T21)", () => {
  /** The SiemlabWarnings emitted while `fn` runs (they arrive on the next tick). */
  async function warningsOf(fn: () => void): Promise<string[]> {
    const seen: string[] = [];
    const on = (w: Error) => {
      if (w.name === "SiemlabWarning") seen.push(w.message);
    };
    process.on("warning", on);
    try {
      fn();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", on);
    }
    return seen;
  }

  it("warns once when no counted event has an outcome (a CSV export without an outcome column), not when one has", async () => {
    const { parseLogLines } = await import("../../src/ingest/parse-log");
    const rows = Array.from({ length: 20 }, (_, i) => `2025-03-06T10:00:${String(i).padStart(2, "0")}Z,u${i % 3},198.51.100.${40 + (i % 2)},login_failed`);
    const bare = parseLogLines(["time,user,src_ip,action", ...rows, "2025-03-06T10:01:00Z,u1,198.51.100.40,login_success"], { format: "csv" }).events;
    const withOutcome = parseLogLines(["time,user,src_ip,action,outcome", ...rows.map((r) => r + ",failure")], { format: "csv" }).events;
    // A file whose outcome column has another name is read the same once mapped.
    const renamed = parseLogLines(["time,user,src_ip,action,login_result", ...rows.map((r) => r + ",failure")], { format: "csv", fieldMap: { outcome: ["login_result"] } }).events;
    let zeros: number[] = [];
    const w = await warningsOf(() => {
      zeros = Array.from(windowCounts(bare, { by: "srcIp", window: "5m", features: ["count", "failures"], zeroFill: false }).matrix.data);
    });
    expect(zeros.filter((_, k) => k % 2 === 1)).toEqual([0, 0]);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/none of the 21 counted events has an outcome, so the failures\/successes\/failureRate columns are all 0; map .* fieldMap/);
    for (const events of [withOutcome, renamed]) {
      const quiet = await warningsOf(() => {
        const f = windowCounts(events, { by: "srcIp", window: "5m", features: ["count", "failures"], zeroFill: false });
        expect(Array.from(f.matrix.data).filter((_, k) => k % 2 === 1).reduce((a, b) => a + b, 0)).toBe(20);
      });
      expect(quiet).toEqual([]);
    }
    // Counts alone read no outcome: no warning.
    expect(await warningsOf(() => windowCounts(bare.slice(1), { by: "srcIp", window: "5m", zeroFill: false }))).toEqual([]);
    // entityFeatures' failure columns say the same.
    const { entityFeatures } = await import("../../src/features/entity-features");
    const ew = await warningsOf(() => entityFeatures(bare, { by: "srcIp", window: "5m" }));
    expect(ew).toHaveLength(1);
    expect(ew[0]).toMatch(/entityFeatures: none of the 21 events has an outcome, so failures, failure_ratio and success_after_failures are all 0/);
    expect(await warningsOf(() => entityFeatures(withOutcome, { by: "srcIp", window: "5m" }))).toEqual([]);
  });

  it("keeps the outcome count through exportState / mergeState", () => {
    const a = new WindowAccumulator({ by: "srcIp", features: ["failures"], zeroFill: false });
    const b = new WindowAccumulator({ by: "srcIp", features: ["failures"], zeroFill: false });
    a.add({ lineNo: 1, time: 0, eventType: "x", srcIp: "10.0.0.1", message: "", outcome: "failure" });
    b.add({ lineNo: 2, time: 0, eventType: "x", srcIp: "10.0.0.1", message: "" });
    expect([a.exportState().withOutcome, b.exportState().withOutcome]).toEqual([1, 0]);
    b.mergeState(a.exportState());
    expect(b.exportState().withOutcome).toBe(1);
    expect(new WindowAccumulator({ by: "srcIp" }).exportState().withOutcome).toBeUndefined();
  });
});
