/**
 * WindowAccumulator.exportState / mergeState (what the parallel reader merges): accumulators fed two parts of a
 * stream, merged in either order, give what one accumulator fed the whole stream gives — when the cut falls
 * inside a window an entity has events on both sides of, when events are out of order, and with distinct
 * counts. Seeded random streams; every cut position is tried on a short one.
 */
import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { WindowAccumulator, type WindowCountsOptions } from "../../src/features/window-counts";
import { RandomState } from "../../src/random";

function stream(n: number, seed: number, disorder: number): LogEvent[] {
  const rng = new RandomState(seed);
  const ips = ["10.0.0.1", "10.0.0.2", "192.168.1.20", "host-a", "2001:db8::1"];
  const users = ["root", "admin", "bob"];
  const ip = rng.randint(0, ips.length, n);
  const user = rng.randint(0, users.length, n);
  const jitter = rng.randomSample(n);
  const late = rng.randomSample(n);
  const out: LogEvent[] = [];
  let t = Date.UTC(2025, 2, 6);
  for (let i = 0; i < n; i++) {
    t += Math.floor(jitter[i] * 20_000); // ~6 events a minute: entities share windows across any cut
    const time = late[i] < disorder ? t - 180_000 : t; // some events three minutes late
    const failed = jitter[i] < 0.7;
    out.push({
      lineNo: i + 1, time, eventType: failed ? "failed_password" : "accepted_password", outcome: failed ? "failure" : "success",
      srcIp: ips[ip[i]], user: users[user[i]], message: "", fields: {},
    });
  }
  return out;
}

function features(options: WindowCountsOptions, parts: LogEvent[][], order: number[]) {
  const accs = parts.map((p) => {
    const a = new WindowAccumulator(options);
    for (const e of p) a.add(e);
    return a;
  });
  const into = accs[order[0]];
  for (const k of order.slice(1)) into.mergeState(accs[k].exportState());
  const f = into.finish();
  return { keys: f.keys, data: Array.from(f.matrix.data), counted: f.counted, start: f.start, end: f.end };
}

describe("WindowAccumulator.mergeState", () => {
  const options: WindowCountsOptions[] = [
    { by: "srcIp", window: "1m", zeroFill: false },
    { by: "srcIp", window: "1m", filter: "failed_password", features: ["count", "distinctUsers", "failures"] },
    { by: "user", window: "5m", features: ["count", "distinctIps", "failureRate"], zeroFill: false },
  ];

  it("equals one accumulator for every cut of a short stream, in both orders", () => {
    for (const disorder of [0, 0.1]) {
      const events = stream(120, 3, disorder);
      for (const o of options) {
        const whole = features(o, [events], [0]);
        for (let cut = 0; cut <= events.length; cut++) {
          const parts = [events.slice(0, cut), events.slice(cut)];
          expect(features(o, parts, [0, 1]), `cut ${cut}, disorder ${disorder}`).toEqual(whole);
          expect(features(o, parts, [1, 0]), `cut ${cut}, disorder ${disorder}, reversed`).toEqual(whole);
        }
      }
    }
  });

  it("equals one accumulator for four parts of a long stream", () => {
    const events = stream(20_000, 11, 0.02);
    const q = events.length / 4;
    const parts = [0, 1, 2, 3].map((k) => events.slice(k * q, (k + 1) * q));
    for (const o of options) {
      const whole = features(o, [events], [0]);
      expect(whole.counted).toBeGreaterThan(0);
      expect(features(o, parts, [0, 1, 2, 3])).toEqual(whole);
      expect(features(o, parts, [2, 0, 3, 1])).toEqual(whole);
    }
  });
});
