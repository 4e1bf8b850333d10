import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import type { LogEvent } from "../../src/events";
import { slidingWindowRule } from "../../src/detectors/correlation-rule";

let line = 0;
const ev = (tSec: number, srcIp: string, eventType = "failed_password", user = "root"): LogEvent => ({
  lineNo: ++line,
  time: Date.UTC(2024, 0, 1) + tSec * 1000,
  srcIp,
  user,
  eventType,
  message: `${eventType} for ${user} from ${srcIp}`,
});

describe("slidingWindowRule", () => {
  line = 0;
  const t0 = Date.UTC(2024, 0, 1);
  const events: LogEvent[] = [
    // 10.0.0.1: 8 failures 10 s apart (70 s) → one burst; then a lone failure 1 h later.
    ...Array.from({ length: 8 }, (_, i) => ev(i * 10, "10.0.0.1")),
    ev(3600, "10.0.0.1"),
    // 10.0.0.2: 8 failures 20 s apart span 140 s > 120 s: never 8 inside one window.
    ...Array.from({ length: 8 }, (_, i) => ev(1000 + i * 20, "10.0.0.2")),
    // 10.0.0.3: a long burst of 12 failures 15 s apart (165 s): overlapping windows merge into one hit.
    ...Array.from({ length: 12 }, (_, i) => ev(2000 + i * 15, "10.0.0.3")),
    // successes don't count; events without an IP or a time are ignored.
    ...Array.from({ length: 9 }, (_, i) => ev(i, "10.0.0.4", "accepted_password")),
    { lineNo: 999, time: NaN, srcIp: "10.0.0.1", eventType: "failed_password", message: "no time" },
    { lineNo: 1000, time: t0, eventType: "failed_password", message: "no ip" },
  ];

  it("finds each entity's bursts, merged, sorted by time", () => {
    const hits = slidingWindowRule(events, { by: "srcIp", eventTypes: ["failed_password"], threshold: 8, windowSeconds: 120 });
    expect(hits.map((h) => [h.entity, (h.firstTime - t0) / 1000, (h.lastTime - t0) / 1000, h.count])).toEqual([
      ["10.0.0.1", 0, 70, 8],
      ["10.0.0.3", 2000, 2165, 12],
    ]);
    expect(hits[0].lineNos).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it("splits bursts that do not overlap, and honours the window edge (≤ windowSeconds)", () => {
    line = 0;
    const two = [...Array.from({ length: 3 }, (_, i) => ev(i * 60, "a")), ...Array.from({ length: 3 }, (_, i) => ev(1000 + i * 60, "a"))];
    const hits = slidingWindowRule(two, { threshold: 3, windowSeconds: 120 });
    expect(hits.map((h) => h.count)).toEqual([3, 3]);
    expect(slidingWindowRule(two, { threshold: 3, windowSeconds: 119.999 })).toEqual([]);
  });
  it("groups by user, and the defaults are failed_password, 8 in 120 s by srcIp", () => {
    line = 0;
    const sprayed = Array.from({ length: 8 }, (_, i) => ev(i, `192.0.2.${i}`, "failed_password", "admin"));
    expect(slidingWindowRule(sprayed)).toEqual([]);
    expect(slidingWindowRule(sprayed, { by: "user" }).map((h) => [h.entity, h.count])).toEqual([["admin", 8]]);
  });
  it("validates options", () => {
    expect(() => slidingWindowRule([], { threshold: 0 })).toThrow(OptionError);
    expect(() => slidingWindowRule([], { windowSeconds: -1 })).toThrow(/windowSeconds/);
    expect(() => slidingWindowRule([], { by: "pid" as "user" })).toThrow(/'srcIp', 'user' or 'host'/);
    expect(() => slidingWindowRule([], { eventTypes: [] })).toThrow(/non-empty/);
  });
});
