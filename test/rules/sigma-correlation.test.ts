import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { RandomState } from "../../src/random";
import { compileSigmaCorrelation, compileSigmaRuleSet, evaluateCorrelation, runSigmaRules, sigmaAlertsToFindings } from "../../src/rules/index";

const T0 = Date.UTC(2025, 2, 6, 10, 0, 0);
let line = 0;
const fail = (sec: number, ip: string | undefined, user = "root"): LogEvent => ({
  lineNo: ++line, time: T0 + sec * 1000, host: "gw", process: "sshd", eventType: "failed_password", outcome: "failure",
  user, srcIp: ip, message: `Failed password for ${user} from ${ip} port 22 ssh2`,
});
const ok = (sec: number, ip: string, user = "root"): LogEvent => ({ ...fail(sec, ip, user), eventType: "accepted_password", outcome: "success", message: `Accepted password for ${user} from ${ip} port 22 ssh2` });
const isFail = { name: "f", matches: (e: LogEvent) => e.eventType === "failed_password" };
const isOk = { name: "ok", matches: (e: LogEvent) => e.eventType === "accepted_password" };
const corr = (c: Record<string, unknown>) => compileSigmaCorrelation({ title: "c", correlation: { rules: ["f"], "group-by": ["c-ip"], timespan: "1m", ...c } });
const count = (gte: number, extra: Record<string, unknown> = {}) => corr({ type: "event_count", condition: { gte }, ...extra });

describe("event_count windows", () => {
  it("fires once per group per window by default, with the whole window as evidence", () => {
    const events = Array.from({ length: 25 }, (_, i) => fail(i * 2, "198.51.100.7"));
    const r = evaluateCorrelation(count(10), [isFail], events);
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0].events).toHaveLength(25);
    expect(r.hits[0].firedAt).toBe(T0 + 18_000); // the 10th failure
    expect(r.hits[0].group).toEqual({ "c-ip": "198.51.100.7" });
  });
  it("'every' mode fires at each event where the trailing window holds (overlapping alerts)", () => {
    const events = Array.from({ length: 25 }, (_, i) => fail(i * 2, "198.51.100.7"));
    const r = evaluateCorrelation(count(10), [isFail], events, { mode: "every" });
    expect(r.hits).toHaveLength(16); // events 10..25
    expect(r.hits[0].events).toHaveLength(10);
  });
  it("a long attack gives one alert per timespan, and windows do not overlap", () => {
    const events = Array.from({ length: 180 }, (_, i) => fail(i, "198.51.100.7")); // 1/s for 3 minutes
    const hits = evaluateCorrelation(count(10), [isFail], events).hits;
    expect(hits).toHaveLength(3);
    for (let i = 1; i < hits.length; i++) expect(hits[i].windowStart).toBeGreaterThanOrEqual(hits[i - 1].windowEnd);
  });
  it("windows are half-open: events exactly one timespan apart are not together", () => {
    expect(evaluateCorrelation(count(2), [isFail], [fail(0, "a"), fail(60, "a")]).hits).toHaveLength(0);
    expect(evaluateCorrelation(count(2), [isFail], [fail(0, "a"), fail(59.999, "a")]).hits).toHaveLength(1);
  });
  it("a burst after a lone early event is still found (windows anchor at every event)", () => {
    const events = [fail(0, "a"), ...Array.from({ length: 5 }, (_, i) => fail(50 + i * 5, "a"))];
    const hits = evaluateCorrelation(count(5), [isFail], events).hits;
    expect(hits).toHaveLength(1);
    expect(hits[0].windowStart).toBe(T0 + 50_000);
  });
  it("groups are separate, exact and case-sensitive; events without the group field are left out", () => {
    const events = [
      ...Array.from({ length: 3 }, (_, i) => fail(i, "a", "Root")),
      ...Array.from({ length: 3 }, (_, i) => fail(i, "a", "root")),
      ...Array.from({ length: 5 }, (_, i) => fail(i, undefined, `x${i}`)),
    ];
    const byUser = corr({ type: "event_count", "group-by": ["user.name"], condition: { gte: 4 } });
    expect(evaluateCorrelation(byUser, [isFail], events).hits).toHaveLength(0);
    const r = evaluateCorrelation(count(3), [isFail], events);
    expect(r.hits).toHaveLength(1);
    expect(r.skippedNoGroup).toBe(5);
  });
  it("upper-bound conditions and ranges are decided at the window end", () => {
    const events = [fail(0, "a"), fail(10, "a"), fail(0, "b"), fail(1, "b"), fail(2, "b"), fail(3, "b")];
    const few = evaluateCorrelation(corr({ type: "event_count", condition: { lte: 2 } }), [isFail], events).hits;
    expect(few.map((h) => h.group["c-ip"])).toEqual(["a", "b"]); // b's window anchored at its 3rd event holds 2
    expect(few[0].firedAt).toBe(T0 + 60_000);
    const range = evaluateCorrelation(corr({ type: "event_count", condition: { gt: 3, lte: 4 } }), [isFail], events).hits;
    expect(range.map((h) => [h.group["c-ip"], h.value])).toEqual([["b", 4]]);
    const eq = evaluateCorrelation(corr({ type: "event_count", condition: { eq: 2 } }), [isFail], events).hits;
    expect(eq.map((h) => h.group["c-ip"])).toEqual(["a", "b"]);
  });
});

describe("value_count, temporal, temporal_ordered", () => {
  it("value_count counts distinct non-null values (case-sensitive)", () => {
    const spray = ["alice", "bob", "carol", "Alice", "dave"].map((u, i) => fail(i * 5, "203.0.113.5", u));
    const c = corr({ type: "value_count", condition: { field: "user.name", gte: 5 } });
    expect(evaluateCorrelation(c, [isFail], spray).hits).toHaveLength(1);
    const withMissing = [...spray.slice(0, 4), { ...fail(30, "203.0.113.5"), user: undefined }];
    expect(evaluateCorrelation(c, [isFail], withMissing).hits).toHaveLength(0);
  });
  it("temporal needs every rule in the window, in any order", () => {
    const c = corr({ type: "temporal", rules: ["f", "ok"] });
    expect(evaluateCorrelation(c, [isFail, isOk], [ok(0, "a"), fail(30, "a")]).hits).toHaveLength(1);
    expect(evaluateCorrelation(c, [isFail, isOk], [ok(0, "a"), fail(61, "a")]).hits).toHaveLength(0);
    expect(evaluateCorrelation(c, [isFail, isOk], [ok(0, "a"), fail(30, "b")]).hits).toHaveLength(0);
  });
  it("temporal_ordered needs them in the listed order; firedAt is the completing event", () => {
    const c = corr({ type: "temporal_ordered", rules: ["f", "ok"] });
    expect(evaluateCorrelation(c, [isFail, isOk], [ok(0, "a"), fail(30, "a")]).hits).toHaveLength(0);
    const hits = evaluateCorrelation(c, [isFail, isOk], [fail(0, "a"), fail(5, "a"), ok(30, "a")]).hits;
    expect(hits).toHaveLength(1);
    expect(hits[0].firedAt).toBe(T0 + 30_000);
  });
});

describe("rule sets with correlations", () => {
  const pack = `
title: SSH failed password
name: ssh_failed
logsource: {product: linux, service: sshd}
detection:
  sel: {pam_rhost|exists: true}
  kw: ['Failed password']
  condition: sel and kw
---
title: SSH brute force
id: 11111111-2222-4333-8444-555555555555
name: ssh_bf
level: high
correlation:
  type: event_count
  rules: [ssh_failed]
  group-by: [pam_rhost]
  timespan: 1m
  condition: {gte: 5}
---
title: broken reference
correlation: {type: event_count, rules: [nope], group-by: [c-ip], timespan: 1m, condition: {gte: 1}}
---
title: bad timespan
correlation: {type: event_count, rules: [ssh_failed], timespan: 1 hour, condition: {gte: 1}}
`;
  it("a correlation alerts, its base rule does not (generate: false), bad correlations are diagnostics", () => {
    const set = compileSigmaRuleSet([{ file: "p.yml", text: pack }]);
    expect(set.correlations.map((c) => c.title)).toEqual(["SSH brute force"]);
    const msgs = set.diagnostics.map((d) => `${d.title} ${d.path}: ${d.message}`);
    expect(msgs.some((m) => m.startsWith("broken reference correlation.rules: no loaded rule"))).toBe(true);
    expect(msgs.some((m) => m.startsWith("bad timespan correlation.timespan"))).toBe(true);
    const events = [...Array.from({ length: 6 }, (_, i) => fail(i, "198.51.100.7")), fail(3, "10.0.0.2")];
    const run = runSigmaRules(events, set);
    expect(run.alerts.map((a) => [a.detector, a.entity, a.entityType, a.value])).toEqual([["sigma:ssh_bf", "198.51.100.7", "ip", 6]]);
    const f = sigmaAlertsToFindings(run.alerts);
    expect(f[0]).toMatchObject({ entity: "198.51.100.7", entityType: "ip", decision: -1, anomalyScore: 85, detectors: ["sigma:ssh_bf"] });
    expect(f[0].related?.users).toEqual(["root"]);
  });
  it("a detection rule on its own groups its matches per entity", () => {
    const set = compileSigmaRuleSet([{ text: "title: root fail\nlogsource: {product: linux}\ndetection: {s: {pam_user: root}, condition: s}\n" }]);
    const events = [fail(0, "a"), fail(10, "a"), fail(70, "a"), fail(5, "b")];
    expect(runSigmaRules(events, set).alerts.map((a) => [a.entity, a.value])).toEqual([["a", 2], ["b", 1], ["a", 1]]);
    expect(runSigmaRules(events, set, { groupMatchesWithinMs: 0 }).alerts).toHaveLength(4);
  });
  it("a field absent from every event the rule applies to is reported at run time", () => {
    const set = compileSigmaRuleSet([{ text: "title: web on auth\nlogsource: {product: linux}\ndetection: {s: {c-useragent: x}, condition: s}\n" }]);
    const run = runSigmaRules([fail(0, "a")], set);
    expect(run.diagnostics[0].message).toMatch(/'c-useragent' is absent from all 1 events/);
  });
});

describe("chained correlations (the specification's example)", () => {
  const chain = `
title: Many failed logins followed by a success
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
level: high
correlation:
  type: temporal_ordered
  rules: [many_failed, login_ok]
  group-by: [User]
  timespan: 10m
---
title: Many failed logins
name: many_failed
correlation:
  type: event_count
  rules: [login_failed]
  group-by: [User]
  timespan: 10m
  condition: {gte: 5}
---
title: Failed login
name: login_failed
logsource: {product: linux, service: sshd}
detection: {kw: ['Failed password'], condition: kw}
---
title: Successful login
name: login_ok
logsource: {product: linux, service: sshd}
detection: {kw: ['Accepted password'], condition: kw}
`;
  const set = compileSigmaRuleSet([{ file: "chain.yml", text: chain }]);
  it("loads without diagnostics; only the outer correlation alerts", () => {
    expect(set.diagnostics).toEqual([]);
    const events = [...Array.from({ length: 6 }, (_, i) => fail(i * 10, "203.0.113.9", "bob")), ok(120, "203.0.113.9", "bob")];
    const run = runSigmaRules(events, set);
    expect(run.alerts.map((a) => [a.detector, a.entity, a.entityType])).toEqual([["sigma:b180ead8-d58f-40b2-ae54-c8940995b9b6", "bob", "user"]]);
    expect(run.alerts[0].events).toHaveLength(7); // the six failures behind the inner hit, plus the success
    expect(run.alerts[0].firedAt).toBe(T0 + 120_000);
  });
  it("no alert when the success comes first, or for another user", () => {
    const before = [ok(0, "203.0.113.9", "bob"), ...Array.from({ length: 6 }, (_, i) => fail(10 + i * 10, "203.0.113.9", "bob"))];
    expect(runSigmaRules(before, set).alerts).toEqual([]);
    const other = [...Array.from({ length: 6 }, (_, i) => fail(i * 10, "203.0.113.9", "bob")), ok(120, "203.0.113.9", "carol")];
    expect(runSigmaRules(other, set).alerts).toEqual([]);
  });
  it("a cycle is a diagnostic, not a hang", () => {
    const cyc = `title: a\nname: a\ncorrelation: {type: event_count, rules: [b], timespan: 1m, condition: {gte: 1}}\n---\ntitle: b\nname: b\ncorrelation: {type: event_count, rules: [a], timespan: 1m, condition: {gte: 1}}\n`;
    const s = compileSigmaRuleSet([{ text: cyc }]);
    expect(s.correlations).toEqual([]);
    expect(s.diagnostics.some((d) => /cycle/.test(d.message))).toBe(true);
  });
});

describe("the fast evaluation agrees with a brute-force reference", () => {
  type Ref = { group: string; windowStart: number; value: number; n: number };
  /** Straightforward O(n²) reference of the documented semantics. */
  function reference(type: string, events: LogEvent[], matchers: Array<(e: LogEvent) => boolean>, span: number, holds: (v: number) => boolean, mode: "window" | "every"): Ref[] {
    const groups = new Map<string, LogEvent[]>();
    for (const e of events) if (matchers.some((m) => m(e)) && e.srcIp !== undefined) groups.set(e.srcIp, [...(groups.get(e.srcIp) ?? []), e]);
    const metric = (w: LogEvent[]) =>
      type === "event_count" ? w.length
        : type === "value_count" ? new Set(w.map((e) => e.user).filter((u) => u !== undefined)).size
          : matchers.filter((m) => w.some(m)).length;
    const out: Ref[] = [];
    for (const [g, list] of groups) {
      const m = [...list].sort((a, b) => a.time - b.time || a.lineNo - b.lineNo);
      if (mode === "every") {
        m.forEach((e, j) => {
          const w = m.slice(0, j + 1).filter((x) => x.time > e.time - span);
          if (holds(metric(w))) out.push({ group: g, windowStart: e.time - span + 1, value: metric(w), n: w.length });
        });
        continue;
      }
      let i = 0;
      while (i < m.length) {
        const w = m.slice(i).filter((x) => x.time < m[i].time + span);
        if (holds(metric(w))) {
          out.push({ group: g, windowStart: m[i].time, value: metric(w), n: w.length });
          i += w.length;
        } else i++;
      }
    }
    return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.windowStart - b.windowStart));
  }
  const rng = new RandomState(7);
  const users = ["a", "b", "c", "d", "e", "f"];
  const events: LogEvent[] = Array.from({ length: 400 }, (_, k) => {
    const e = rng.rand() < 0.6 ? fail(Math.floor(rng.rand() * 1800), `10.0.0.${rng.randint(1, 4)}`, users[rng.randint(0, users.length)]) : ok(Math.floor(rng.rand() * 1800), `10.0.0.${rng.randint(1, 4)}`);
    return { ...e, lineNo: k + 1, user: rng.rand() < 0.1 ? undefined : e.user };
  }).sort((a, b) => a.lineNo - b.lineNo);
  const cases: Array<[string, Record<string, unknown>, (v: number) => boolean]> = [
    ["event_count", { gte: 6 }, (v) => v >= 6],
    ["event_count", { gt: 2, lte: 4 }, (v) => v > 2 && v <= 4],
    ["value_count", { field: "user.name", gte: 4 }, (v) => v >= 4],
    ["value_count", { field: "user.name", eq: 2 }, (v) => v === 2],
    ["temporal", undefined as never, (v) => v >= 2],
  ];
  for (const [type, condition, holds] of cases) {
    for (const mode of ["window", "every"] as const) {
      it(`${type} ${JSON.stringify(condition ?? {})} mode ${mode}`, () => {
        const rules = type === "temporal" ? [isFail, isOk] : [isFail];
        const c = compileSigmaCorrelation({ title: "c", correlation: { type, rules: rules.map((r) => r.name), "group-by": ["c-ip"], timespan: "2m", ...(condition ? { condition } : {}) } });
        const fast = evaluateCorrelation(c, rules, events, { mode }).hits
          .map((h) => ({ group: h.group["c-ip"], windowStart: h.windowStart, value: h.value, n: h.events.length }))
          .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.windowStart - b.windowStart));
        const ref = reference(type, events, rules.map((r) => r.matches), 120_000, holds, mode);
        expect(ref.length).toBeGreaterThan(0);
        expect(fast).toEqual(ref);
      });
    }
  }
});
