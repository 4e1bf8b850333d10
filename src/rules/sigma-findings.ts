import type { Finding } from "../respond/finding";
import type { SigmaLevel } from "./sigma-rule";
import type { SigmaAlert } from "./sigma-rule-set";

/** 0–100 anomaly score given to a rule alert of each Sigma level (50 is the ML threshold, so every alert is above it). */
export const SIGMA_LEVEL_SCORES: Readonly<Record<SigmaLevel, number>> = { informational: 55, low: 65, medium: 75, high: 85, critical: 95 };

function uniq(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))].sort();
}

/**
 * Turn Sigma alerts into response {@link Finding}s, the shape the response policy, dedup and charts take
 * from the ML detectors: `score` -1 (rules have no decision function; negative = flagged), `anomalyScore`
 * from the rule's level ({@link SIGMA_LEVEL_SCORES}), `detector` the rule, `features` the correlated value
 * and event count, `events` and `related` from the matched events. Most severe first, then earliest.
 *
 * @example
 * const findings = sigmaAlertsToFindings(runSigmaRules(events, loadSigmaRules("data/rules")).alerts);
 * [findings.length, findings[0].detector, findings[0].entity] // [23, "sigma:ssh_brute_force", "198.51.100.23"]
 */
export function sigmaAlertsToFindings(alerts: readonly SigmaAlert[]): Finding[] {
  return alerts
    .map((a): Finding => ({
      entity: a.entity,
      entityType: a.entityType,
      windowStart: a.windowStart,
      windowEnd: a.windowEnd,
      decision: -1,
      anomalyScore: SIGMA_LEVEL_SCORES[a.level],
      detector: a.detector,
      detectors: [a.detector],
      features: { value: a.value, events: a.events.length },
      events: a.events,
      related: { users: uniq(a.events.map((e) => e.user)), ips: uniq(a.events.map((e) => e.srcIp)), hosts: uniq(a.events.map((e) => e.host)) },
    }))
    .sort((x, y) => y.anomalyScore - x.anomalyScore || x.windowStart - y.windowStart || (x.entity < y.entity ? -1 : x.entity > y.entity ? 1 : 0));
}
