import type { LogEvent } from "../../src/events";
import type { Finding } from "../../src/respond/finding";
import { validatePolicy } from "../../src/respond/policy";
import type { ResponsePolicy } from "../../src/respond/policy";

export const T0 = Date.UTC(2025, 2, 6, 8, 0, 0);

/** A finding with sensible defaults for tests. */
export function finding(over: Partial<Finding> = {}): Finding {
  return {
    entity: "203.0.113.7",
    entityType: "ip",
    windowStart: T0,
    windowEnd: T0 + 60_000,
    decision: -0.2,
    anomalyScore: 95,
    severity: "critical",
    detector: "iforest",
    detectors: ["iforest", "rule:failed_logins"],
    offset: -0.5,
    contamination: 0.05,
    seed: 42,
    features: { failures: 50, distinctUsers: 3 },
    events: [],
    related: { users: ["alice"], ips: ["203.0.113.7"], hosts: [] },
    ...over,
  };
}

/** Failed logins from one IP against one user, one every second from `start`. */
export function failures(n: number, ip: string, user: string, start = T0, firstLine = 1): LogEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    lineNo: firstLine + i,
    time: start + i * 1000,
    eventType: "failed_password",
    outcome: "failure" as const,
    user,
    srcIp: ip,
    message: `Failed password for ${user} from ${ip} port ${40000 + i} ssh2`,
  }));
}

export const POLICY: ResponsePolicy = validatePolicy({
  name: "test",
  tiers: [
    { name: "high", when: { minAnomalyScore: 90, minAgreeing: 2 }, actions: ["alert", "block_ip", "lock_user", "open_ticket"] },
    { name: "medium", when: { minAnomalyScore: 75 }, actions: ["alert"] },
    { name: "low", when: { maxDecision: 0 }, actions: ["log"] },
  ],
  allowList: { ips: ["198.51.100.0/24"], users: ["breakglass"] },
});
