import { describe, expect, it } from "vitest";
import { EventTimeWindows, type ClosedWindow } from "../../src/watch/window-clock";
import { windowCounts } from "../../src/features/window-counts";
import { RandomState } from "../../src/random";
import type { LogEvent } from "../../src/events";

const ev = (t: number, srcIp = "203.0.113.7", lineNo = 1): LogEvent => ({ lineNo, time: t, eventType: "failed_password", message: "", srcIp });

describe("EventTimeWindows", () => {
  it("closes a window when the watermark (max time − lateness) reaches its end, not before", () => {
    const w = new EventTimeWindows({ windowMs: 60_000, latenessMs: 10_000 });
    expect(w.add("a", ev(1_000))).toEqual([]);
    expect(w.add("a", ev(69_999))).toEqual([]); // watermark 59.999 s < 60 s
    const closed = w.add("b", ev(70_000)); // watermark 60 s
    expect(closed.map((c) => [c.entity, c.windowStart, c.count, c.closedBy])).toEqual([["a", 0, 1, "watermark"]]);
    expect(w.openCells).toBe(2);
  });

  it("counts an event for a closed window as late, in no window, and one within the lateness normally", () => {
    const w = new EventTimeWindows({ windowMs: 60_000, latenessMs: 10_000 });
    w.add("a", ev(5_000));
    w.add("a", ev(65_000)); // watermark 55 s: window 0 still open
    w.add("a", ev(50_000)); // 15 s late, within the lateness: counted
    w.add("a", ev(75_000)); // watermark 65 s: window 0 closes with 2
    w.add("a", ev(59_000, "a", 9)); // its window closed: late
    expect(w.late).toBe(1);
    expect(w.lateSamples[0]).toMatchObject({ entity: "a", lineNo: 9, windowStart: 0, closedUpTo: 60_000 });
    const rest = w.closeAll();
    expect(rest.map((c) => [c.windowStart, c.count, c.closedBy])).toEqual([[60_000, 2, "end"]]);
    expect(w.counted).toBe(4);
  });

  it("keeps state only for open cells and closes the oldest window early beyond the cap", () => {
    const w = new EventTimeWindows({ windowMs: 1000, latenessMs: 1_000_000, maxOpen: 3 });
    const closed: ClosedWindow[] = [];
    for (let i = 0; i < 10; i++) closed.push(...w.add(`e${i}`, ev(i * 1000)));
    expect(w.openCells).toBeLessThanOrEqual(3);
    expect(w.capCloses).toBe(7);
    expect(closed.every((c) => c.closedBy === "cap")).toBe(true);
    w.add("e0", ev(0)); // its window was closed by the cap: late, not a second row
    expect(w.late).toBe(1);
  });

  it("equals windowCounts (sparse) on events shuffled within the lateness", () => {
    const rng = new RandomState(7);
    const events: LogEvent[] = [];
    let t = Date.UTC(2025, 2, 6);
    for (let i = 0; i < 5000; i++) {
      t += Math.floor((rng.rand() as number) * 2000);
      events.push(ev(t, `10.0.0.${Math.floor((rng.rand() as number) * 12)}`, i + 1));
    }
    // Disorder of at most 20 s: swap neighbours whose times differ by less than that.
    const shuffled = events.slice();
    for (let i = 1; i < shuffled.length; i++) {
      if ((rng.rand() as number) < 0.3 && shuffled[i].time - shuffled[i - 1].time < 20_000) [shuffled[i - 1], shuffled[i]] = [shuffled[i], shuffled[i - 1]];
    }
    const w = new EventTimeWindows({ windowMs: 60_000, latenessMs: 20_000 });
    const closed: ClosedWindow[] = [];
    for (const e of shuffled) closed.push(...w.add(e.srcIp as string, e));
    closed.push(...w.closeAll());
    expect(w.late).toBe(0);
    expect(w.openCells).toBe(0);
    const f = windowCounts(events, { window: "1m", zeroFill: false });
    const batch = f.entities.map((e, i) => `${e}|${f.windowStarts[i]}|${f.matrix.data[i]}`).sort();
    expect(closed.map((c) => `${c.entity}|${c.windowStart}|${c.count}`).sort()).toEqual(batch);
    // Windows close in time order.
    for (let i = 1; i < closed.length; i++) expect(closed[i].windowStart).toBeGreaterThanOrEqual(closed[i - 1].windowStart);
  });

  it("snapshot and restore carry open cells and the clock", () => {
    const a = new EventTimeWindows({ windowMs: 60_000 });
    a.add("x", ev(1000));
    a.add("y", ev(61_000));
    const b = new EventTimeWindows({ windowMs: 60_000 });
    b.restore(a.snapshot(), { maxTime: a.maxTime, closedUpTo: a.closedUpTo });
    expect(b.openCells).toBe(2);
    b.add("x", ev(2000));
    expect(b.closeAll().map((c) => [c.entity, c.count])).toEqual([["x", 2], ["y", 1]]);
  });

  it("refuses a bad window or lateness", () => {
    expect(() => new EventTimeWindows({ windowMs: 0 })).toThrow(/windowMs/);
    expect(() => new EventTimeWindows({ windowMs: 1000, latenessMs: -1 })).toThrow(/latenessMs/);
  });
});
