import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { ENTITY_FEATURES, entityCode, entityFeatures } from "../../src/features/entity-features";
import { OptionError } from "../../src/errors";

const H = 3600000;
const T0 = Date.UTC(2025, 2, 3, 0, 0, 0); // Monday
let line = 0;
const ev = (t: number, srcIp: string, user: string, outcome?: "success" | "failure", bytes?: number): LogEvent => ({
  lineNo: ++line,
  time: t,
  eventType: outcome === "failure" ? "failed_password" : "accepted_password",
  message: "",
  srcIp,
  user,
  outcome,
  fields: bytes === undefined ? undefined : { bytes },
});

describe("entityFeatures", () => {
  const events: LogEvent[] = [
    // 10.0.0.1: alice on Monday 09:xx, then a spray of 3 users at 10:xx
    ev(T0 + 9 * H + 1000, "10.0.0.1", "alice", "success", 500),
    ev(T0 + 9 * H + 2000, "10.0.0.1", "alice", "success", 1500),
    ev(T0 + 10 * H + 1000, "10.0.0.1", "bob", "failure"),
    ev(T0 + 10 * H + 2000, "10.0.0.1", "carol", "failure"),
    ev(T0 + 10 * H + 3000, "10.0.0.1", "alice", "failure"),
    // 10.0.0.2: two failures then a success (N = 2) at 03:xx on Tuesday
    ev(T0 + 27 * H + 1000, "10.0.0.2", "dave", "failure"),
    ev(T0 + 27 * H + 2000, "10.0.0.2", "dave", "failure"),
    ev(T0 + 27 * H + 3000, "10.0.0.2", "dave", "success"),
    { lineNo: 99, time: T0, eventType: "x", message: "" }, // no entity
    { lineNo: 100, time: NaN, eventType: "x", message: "", srcIp: "10.0.0.3" }, // no time
  ];

  it("builds one sparse row per (entity, active window) with every documented column", () => {
    const f = entityFeatures(events, { by: "srcIp", window: "1h", failuresBeforeSuccess: 2, rareBelow: 0.2 });
    expect(f.columns).toEqual([...ENTITY_FEATURES]);
    expect(Object.keys(f.units)).toEqual([...ENTITY_FEATURES]);
    expect(f.units.distinct_targets).toBe("distinct user values in the window");
    expect(f.target).toBe("user");
    expect(f.keys).toEqual([
      { entity: "10.0.0.1", windowStart: T0 + 9 * H },
      { entity: "10.0.0.1", windowStart: T0 + 10 * H },
      { entity: "10.0.0.2", windowStart: T0 + 27 * H },
    ]);
    const rows = f.toRows().map((r) => Object.fromEntries(f.columns.map((c, j) => [c, r[j]])));
    expect(rows[0]).toMatchObject({ count: 2, failures: 0, failure_ratio: 0, distinct_targets: 1, bytes: 2000, hour_of_day: 9, day_of_week: 1, first_seen_targets: 0 });
    // Spray window: 3 users, two of them never seen from this address before; bob and carol are rare (1 of 8 events).
    expect(rows[1]).toMatchObject({ count: 3, failures: 3, failure_ratio: 1, distinct_targets: 3, first_seen_targets: 2, rare_targets: 2, hour_of_day: 10 });
    expect(rows[2]).toMatchObject({ count: 3, failures: 2, success_after_failures: 1, hour_of_day: 3, day_of_week: 2, first_seen_targets: 0 });
    expect([f.counted, f.skippedNoEntity, f.skippedNoTime]).toEqual([8, 1, 1]);
  });

  it("counts hosts or addresses per user when keyed by user, and puts a stable entity code first on request", () => {
    const f = entityFeatures(events, { by: "user", window: "1d", features: ["count", "distinct_targets"], entityColumn: true });
    expect(f.columns).toEqual(["entity_id", "count", "distinct_targets"]);
    expect(f.target).toBe("srcIp");
    expect(f.tails).toEqual(["both", "upper", "upper"]);
    expect(f.minScales).toEqual([0, 1, 1]);
    const alice = f.entities.indexOf("alice");
    expect(f.toRows()[alice]).toEqual([entityCode("alice"), 3, 1]);
    expect(entityCode("alice")).toBe(entityCode("alice"));
    expect(entityCode("alice")).not.toBe(entityCode("alicf"));
    expect(Number.isInteger(entityCode("x")) && entityCode("x") >= 0 && entityCode("x") < 2 ** 32).toBe(true);
  });

  it("zero-fills the quiet windows between an entity's first and last event only when asked", () => {
    const sparse = entityFeatures(events, { window: "1h", features: ["count"] });
    const dense = entityFeatures(events, { window: "1h", features: ["count"], zeroFill: true });
    expect(sparse.matrix.rows).toBe(3);
    expect(dense.matrix.rows).toBe(3); // 09:00 and 10:00 are adjacent; 10.0.0.2 has one window
    const gap = entityFeatures([events[0], ev(T0 + 12 * H, "10.0.0.1", "alice", "success")], { window: "1h", features: ["count"], zeroFill: true });
    expect(gap.toRows()).toEqual([[1], [0], [0], [1]]);
  });

  it("refuses unknown features and bad options with the fix", () => {
    expect(() => entityFeatures(events, { features: ["cnt" as "count"] })).toThrow(/Unknown feature "cnt": expected some of count, failures/);
    expect(() => entityFeatures(events, { failuresBeforeSuccess: 0 })).toThrow(OptionError);
    expect(() => entityFeatures(events, { rareBelow: 1 })).toThrow(/share in \(0, 1\)/);
    expect(() => entityFeatures(events, { window: "0m" })).toThrow(OptionError);
    expect(() => entityFeatures(events, { zeroFill: true, maxRows: 2 })).toThrow(/More than 2 rows/);
  });
});
