import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import type { LogEvent } from "../../src/events";
import { ruleWindowFlags, slidingWindowRule } from "../../src/detectors/correlation-rule";
import { DataError } from "../../src/errors";

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
  it("counts distinct values with `distinct` (Sigma value_count): one user failing from many addresses", () => {
    line = 0;
    // admin: 6 failures from 5 addresses within 100 s (one address twice); bob: 9 failures from one address.
    const ips = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.1", "192.0.2.4", "192.0.2.5"];
    const evs = [
      ...ips.map((ip, i) => ev(i * 20, ip, "failed_password", "admin")),
      ...Array.from({ length: 9 }, (_, i) => ev(i * 5, "198.51.100.7", "failed_password", "bob")),
      ev(50, "192.0.2.9", "accepted_password", "admin"), // a success does not count
    ];
    const opts = { by: "user", distinct: "srcIp", threshold: 5, windowSeconds: 600 } as const;
    const hits = slidingWindowRule(evs, opts);
    expect(hits.map((h) => [h.entity, h.count, h.distinctValues, h.lineNos.length])).toEqual([["admin", 6, 5, 6]]);
    // The window edge holds as for event counts: 5 addresses span 80 s.
    expect(slidingWindowRule(evs, { ...opts, windowSeconds: 79 })).toEqual([]);
    expect(slidingWindowRule(evs, { ...opts, windowSeconds: 80 }).length).toBe(1);
    // An address leaving the window takes its value with it only when its last event has left.
    line = 0;
    const slide = ["a", "a", "b", "c"].map((ip, i) => ev(i * 100, ip, "failed_password", "u"));
    const rule = (windowSeconds: number) => slidingWindowRule(slide, { by: "user", distinct: "srcIp", threshold: 3, windowSeconds });
    expect(rule(200).map((h) => [h.count, h.distinctValues])).toEqual([[3, 3]]); // a at 100 s is still inside
    expect(rule(199)).toEqual([]);
    // Without `distinct` the field is absent from hits.
    expect(slidingWindowRule(evs, { by: "user", threshold: 9 })[0]).not.toHaveProperty("distinctValues");
  });

  it("puts hits on the (entity, window) rows of a feature matrix, whatever the rule was keyed by", () => {
    line = 0;
    const H = 3600000;
    const evs = [
      ...["192.0.2.1", "192.0.2.2", "192.0.2.3"].map((ip, i) => ev(3000 + i * 300, ip, "failed_password", "admin")),
      ev(100, "10.0.0.5", "accepted_password", "alice"),
    ];
    const t0h = Date.UTC(2024, 0, 1);
    const rows = {
      by: "srcIp",
      windowMs: H,
      keys: [
        { entity: "10.0.0.5", windowStart: t0h },
        { entity: "192.0.2.1", windowStart: t0h },
        { entity: "192.0.2.2", windowStart: t0h },
        { entity: "192.0.2.3", windowStart: t0h + H }, // 3600 s: the next hour
        { entity: "192.0.2.3", windowStart: t0h },
      ],
    };
    const hits = slidingWindowRule(evs, { by: "user", distinct: "srcIp", threshold: 3, windowSeconds: 600 });
    expect(Array.from(ruleWindowFlags(hits, evs, rows))).toEqual([1, -1, -1, -1, 1]);
    expect(Array.from(ruleWindowFlags([], evs, rows))).toEqual([1, 1, 1, 1, 1]);
    expect(() => ruleWindowFlags(hits, evs.slice(1), rows)).toThrow(DataError);
    expect(() => ruleWindowFlags(hits, evs, { ...rows, by: "custom" })).toThrow(/keyed by/);
  });

  it("validates options", () => {
    expect(() => slidingWindowRule([], { distinct: "srcIp" })).toThrow(/differ from `by`/);
    expect(() => slidingWindowRule([], { by: "user", distinct: "srcIP" as "srcIp" })).toThrow(/did you mean 'srcIp'/);
    expect(() => slidingWindowRule([], { distnct: "srcIp" } as never)).toThrow(/did you mean `distinct`/);
    expect(() => slidingWindowRule([], { threshold: 0 })).toThrow(OptionError);
    expect(() => slidingWindowRule([], { windowSeconds: -1 })).toThrow(/windowSeconds/);
    expect(() => slidingWindowRule([], { by: "pid" as "user" })).toThrow(/'srcIp', 'user' or 'host'/);
    expect(() => slidingWindowRule([], { eventTypes: [] })).toThrow(/non-empty/);
  });
});
