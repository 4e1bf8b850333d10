import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { planResponse } from "../../src/respond/plan";
import { incidentFacts, summarizeIncident } from "../../src/respond/summary";
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
      "User alice had 50 failed login attempts in 49 s (1-minute window from 2025-03-06 08:00 UTC) from 203.0.113.7, " +
        "10× their usual rate of 5 per minute over 10 other active windows. " +
        "Features: failures 50, distinctUsers 3. " +
        "Flagged by iforest (decision -0.2, anomaly score 95/100, contamination 0.05, seed 42) and by rule:failed_logins: 2 detectors agree. " +
        'Policy tier "high": alert alice: planned; block_ip 203.0.113.7: planned; lock_user alice: planned; open_ticket alice: planned.',
    );
  });

  it("says when there is nothing to compare with, and names the accounts an IP tried", () => {
    const ev = [...failures(3, "203.0.113.7", "root"), ...failures(2, "203.0.113.7", "admin", T0 + 10_000, 5)];
    const s = summarizeIncident(finding({ events: ev }), { events: ev });
    expect(s.text.split(". ")[0]).toBe(
      "IP 203.0.113.7 had 5 failed login attempts in 11 s (1-minute window from 2025-03-06 08:00 UTC) against 2 accounts (root, admin); no other activity from this ip to compare with",
    );
  });

  it("compares features with their history when there are no events (the tutorial's counts)", () => {
    const f = finding({ entity: "auth-gateway", entityType: "host", events: undefined, features: { attempts: 50 }, detectors: ["iforest"] });
    const history = [4, 5, 6, 5].map((attempts) => ({ attempts }));
    const s = summarizeIncident(f, { history });
    expect(s.facts.featureComparisons).toEqual([{ name: "attempts", value: 50, usual: 5, ratio: 10 }]);
    expect(s.text).toBe(
      "Host auth-gateway: anomalous 1-minute window from 2025-03-06 08:00 UTC. Features: attempts 50 vs usual 5 (10×). " +
        "Flagged by iforest (decision -0.2, anomaly score 95/100, contamination 0.05, seed 42).",
    );
  });

  it("is deterministic and keeps sample messages short", () => {
    const f = finding({ events: attack });
    expect(summarizeIncident(f, { events: attack })).toEqual(summarizeIncident(f, { events: attack }));
    expect(incidentFacts(f).sampleMessages).toHaveLength(5);
  });
});
