import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { planResponse } from "../../src/respond/plan";
import { incidentFacts, summarizeIncident } from "../../src/respond/summary";
import { actualVsTypical } from "../../src/detectors/actual-vs-typical";
import { EntityBaseline } from "../../src/detectors/entity-baseline";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { POLICY, T0, failures, finding } from "./helpers";

const MIN = 60_000;
// alice: 5 failures a minute in 10 earlier minutes, then 50 in one minute from 203.0.113.7.
const usual: LogEvent[] = Array.from({ length: 10 }, (_, m) => failures(5, "192.0.2.44", "alice", T0 - (m + 1) * MIN, 1000 + m * 10)).flat();
const attack = failures(50, "203.0.113.7", "alice", T0, 1);

describe("summarizeIncident", () => {
  it("writes the brute-force sentence with the baseline rate from the entity's other windows", () => {
    const f = finding({ entity: "alice", entityType: "user", events: attack, related: { users: ["alice"], ips: ["203.0.113.7"], hosts: [] } });
    const plan = planResponse([f], POLICY);
    const s = summarizeIncident(f, { events: [...usual, ...attack], plan });
    expect(s.facts.baseline).toEqual({ windows: 10, meanEvents: 5, meanFailures: 5 });
    expect(s.facts.rateRatio).toBe(10);
    expect(s.text).toBe(
      'User "alice" had 50 failed login attempts in 49 s (1-minute window from 2025-03-06 08:00 UTC) from 203.0.113.7, ' +
        "10× their usual rate of 5 per minute over 10 other active windows. " +
        "Features: failures 50, distinctUsers 3. " +
        "Flagged by iforest (decision -0.2, anomaly score 95/100, contamination 0.05, seed 42) and by rule:failed_logins: 2 detectors agree. " +
        'Policy tier "high": alert "alice": planned; block_ip 203.0.113.7: planned; lock_user "alice": planned; open_ticket "alice": planned.',
    );
  });

  it("says when there is nothing to compare with, and names the accounts an IP tried", () => {
    const ev = [...failures(3, "203.0.113.7", "root"), ...failures(2, "203.0.113.7", "admin", T0 + 10_000, 5)];
    const s = summarizeIncident(finding({ events: ev }), { events: ev });
    expect(s.text.split(". ")[0]).toBe(
      'IP 203.0.113.7 had 5 failed login attempts in 11 s (1-minute window from 2025-03-06 08:00 UTC) against 2 accounts ("root", "admin"); no other activity from this ip to compare with',
    );
  });

  // New-user trial T10: ESC/OSC, NUL, bidi, U+2028 and newlines from user names reached .text raw (a newline
  // started a line of its own in a ticket), and names were not quoted, so a name with commas read as several.
  it("is display-safe: names quoted, control, bidi and line-break characters escaped; the facts stay exact", () => {
    const names = ["\u001b[31mevil\u001b[0m\u001b]0;pwned\u0007", "adm\u202enimda", "line1\nline2 ignore previous instructions", "nul\u0000x", "\u2028ls", "x, y (z)"];
    const ev = names.flatMap((n, i) => failures(2, "203.0.113.7", n, T0 + i * 2000, 1 + i * 2));
    const f = finding({ events: ev });
    const s = summarizeIncident(f, { events: ev, plan: planResponse([f], POLICY) });
    expect(s.facts.users).toEqual([...names].sort());
    expect(s.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(s.text.split(". ")[0]).toBe(
      "IP 203.0.113.7 had 12 failed login attempts in 11 s (1-minute window from 2025-03-06 08:00 UTC) against 6 accounts " +
        '("\\u001b[31mevil\\u001b[0m\\u001b]0;pwned\\u0007", "adm\\u202enimda", "line1\\nline2 ignore previous instructions" and 3 more); no other activity from this ip to compare with',
    );
    // Every quoted name is a JSON string that reads back as the exact name.
    const user = finding({ entity: "line1\nline2 ignore previous instructions", entityType: "user", events: ev.slice(4, 6) });
    const t = summarizeIncident(user, { events: ev }).text;
    expect(t.startsWith('User "line1\\nline2 ignore previous instructions" had 2 failed login attempts')).toBe(true);
    expect(JSON.parse(/^User ("(?:[^"\\]|\\.)*")/.exec(t)![1])).toBe(user.entity);
    const comma = summarizeIncident(finding({ events: ev.slice(10) }), { events: ev.slice(10) }).text;
    expect(comma).toContain('against 1 account ("x, y (z)")');
  });

  it("compares features with their history when there are no events (the tutorial's counts)", () => {
    const f = finding({ entity: "auth-gateway", entityType: "host", events: undefined, features: { attempts: 50 }, detectors: ["iforest"] });
    const history = [4, 5, 6, 5].map((attempts) => ({ attempts }));
    const s = summarizeIncident(f, { history });
    expect(s.facts.featureComparisons).toEqual([{ name: "attempts", value: 50, usual: 5, ratio: 10 }]);
    expect(s.text).toBe(
      'Host "auth-gateway": anomalous 1-minute window from 2025-03-06 08:00 UTC. Features: attempts 50 vs usual 5 (10×). ' +
        "Flagged by iforest (decision -0.2, anomaly score 95/100, contamination 0.05, seed 42).",
    );
  });

  it("is deterministic and keeps sample messages short", () => {
    const f = finding({ events: attack });
    expect(summarizeIncident(f, { events: attack })).toEqual(summarizeIncident(f, { events: attack }));
    expect(incidentFacts(f).sampleMessages).toHaveLength(5);
  });

  it("says which features drove an Isolation Forest score (actualVsTypical with the path attribution)", () => {
    // 60 quiet windows (failures 0–2, distinctUsers 1) and one with 40 failures from one user: the
    // forest isolates it on failures, so failures carries most of the attribution.
    const X = Array.from({ length: 60 }, (_, i) => [i % 3, 1]).concat([[40, 1]]);
    const forest = new IsolationForest({ seed: 0, contamination: 0.02 }).fit(X);
    const [explanation] = actualVsTypical({
      X, rows: [60], reference: X, attribution: forest.featureAttribution(X), featureNames: ["failures", "distinctUsers"],
    });
    const f = finding({ features: { failures: 40, distinctUsers: 1 }, events: undefined });
    const s = summarizeIncident(f, { explanation });
    const drivers = s.facts.why?.drivers ?? [];
    expect(drivers[0]).toMatchObject({ feature: "failures", actual: 40, typical: 1 });
    expect(drivers[0].share).toBeGreaterThan(0.5);
    expect(drivers.reduce((a, d) => a + (d.share ?? 0), 0)).toBeCloseTo(1, 2);
    expect(s.text).toContain(`Why: failures 40 vs typical 1 (${Math.round((drivers[0].share ?? 0) * 100)} % of the score)`);
    // Without an explanation nothing changes.
    expect(summarizeIncident(f).facts.why).toBeUndefined();
    expect(summarizeIncident(f).text).not.toContain("Why");
  });

  it("names EntityBaseline.explain columns with featureNames and says which baseline is typical", () => {
    // Entity 0: 20 hours of 1–3 failures, then 30; entity 1 is a newcomer with one row of 30 (population baseline).
    const X = Array.from({ length: 20 }, (_, i) => [0, 1 + (i % 3), 1]).concat([[0, 30, 1], [1, 30, 1]]);
    const det = new EntityBaseline({ entityColumn: 0, minHistory: 5 }).fit(X);
    const why = det.explain(X);
    const featureNames = ["entity", "failures", "distinctUsers"];
    const own = summarizeIncident(finding({ events: undefined }), { explanation: why[20], featureNames });
    expect(own.facts.why?.baseline).toBe("entity");
    expect(own.facts.why?.drivers.map((d) => d.feature)).toEqual(["failures"]); // distinctUsers: deviation 0, left out
    const d = own.facts.why?.drivers[0];
    expect(d).toMatchObject({ actual: 30, typical: 2 });
    expect(own.text).toContain(`Why (typical = its own baseline of ${why[20].historyRows} windows): failures 30 vs typical 2 (+`);
    const newcomer = summarizeIncident(finding({ events: undefined }), { explanation: why[21], featureNames });
    expect(newcomer.facts.why?.baseline).toBe("population");
    expect(newcomer.text).toContain("Why (typical = the population's baseline: too little history of its own): failures 30 vs typical 2");
  });

  it("keeps hand-made explanations in the given order, unnamed columns as f<column>", () => {
    const explanation = { features: [{ column: 2, actual: 9, typical: 1, deviation: -3.25 }, { column: 0, actual: 1, typical: 1, deviation: 0 }] };
    const s = summarizeIncident(finding({ events: undefined }), { explanation });
    expect(s.facts.why).toEqual({ drivers: [{ feature: "f2", actual: 9, typical: 1, deviation: -3.25 }] });
    expect(s.text).toContain("Why: f2 9 vs typical 1 (-3.3 robust SD).");
    expect(() => summarizeIncident(finding(), { explanations: explanation } as never)).toThrow(/explanation/);
  });
});
