// WindowAccumulator.addCells: pre-aggregated cells go through the same finish() as events added one by one.
import { describe, expect, it } from "vitest";
import { WindowAccumulator, windowCounts, type AggregatedCells } from "../../src/features/window-counts";
import type { LogEvent } from "../../src/events";

const T = Date.UTC(2025, 2, 6, 10);
const ev = (dt: number, srcIp: string, user: string): LogEvent => ({ lineNo: 1, time: T + dt, eventType: "failed_password", outcome: "failure", srcIp, user, message: "" });
const events = [ev(0, "10.0.0.1", "root"), ev(1000, "10.0.0.1", "admin"), ev(180_000, "10.0.0.2", "root"), ev(61_000, "alpha", "root")];

/** The cells of `events` by (srcIp, minute), aggregated by hand as an engine would. */
function cells(): AggregatedCells {
  const by = new Map<string, { e: string; w: number; n: number; users: Set<string> }>();
  for (const e of events) {
    const w = Math.floor(e.time / 60_000);
    const k = `${e.srcIp}|${w}`;
    const c = by.get(k) ?? { e: e.srcIp!, w, n: 0, users: new Set<string>() };
    c.n++;
    c.users.add(e.user!);
    by.set(k, c);
  }
  const list = [...by.values()].reverse(); // any order
  return {
    entities: list.map((c) => c.e),
    windows: list.map((c) => c.w),
    slots: { count: list.map((c) => c.n), user: list.map((c) => c.users.size) },
    counted: events.length, skippedNoEntity: 0, skippedNoTime: 0,
    minTime: Math.min(...events.map((e) => e.time)), maxTime: Math.max(...events.map((e) => e.time)),
  };
}

describe("WindowAccumulator.addCells", () => {
  it("gives what windowCounts gives from the events, zero-filled, ordered and capped alike", () => {
    for (const o of [{}, { zeroFill: false }, { maxRows: 3 }, { start: T + 60_000, end: T + 120_000 }]) {
      const opts = { window: "1m", features: ["count", "distinctUsers"] as ("count" | "distinctUsers")[], ...o };
      const acc = new WindowAccumulator(opts);
      acc.addCells(cells());
      const got = acc.finish();
      const want = windowCounts(events, opts);
      expect([got.entities, Array.from(got.windowStarts), Array.from(got.matrix.data), got.zeroFillCap, got.start, got.end, got.counted])
        .toEqual([want.entities, Array.from(want.windowStarts), Array.from(want.matrix.data), want.zeroFillCap, want.start, want.end, want.counted]);
    }
  });

  it("refuses a repeated cell, a missing slot, a fractional window and a NULL value", () => {
    const acc = () => new WindowAccumulator({ features: ["count", "distinctUsers"] });
    const c = cells();
    expect(() => acc().addCells({ ...c, entities: [...c.entities, c.entities[0]], windows: [...Array.from(c.windows), c.windows[0]], slots: { count: [...Array.from(c.slots.count), 1], user: [...Array.from(c.slots.user), 1] } })).toThrow(/given twice/);
    expect(() => acc().addCells({ ...c, slots: { count: c.slots.count } })).toThrow(/slot 'user'/);
    expect(() => acc().addCells({ ...c, windows: Array.from(c.windows, (w) => w + 0.5) })).toThrow(/expected an integer/);
    expect(() => acc().addCells({ ...c, slots: { ...c.slots, count: Array.from(c.slots.count, () => NaN) } })).toThrow(/not a number/);
  });
});
