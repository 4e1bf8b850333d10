import { describe, expect, it } from "vitest";
import { planResponse, planRows } from "../../src/respond/plan";
import { validatePolicy } from "../../src/respond/policy";
import { POLICY, T0, failures, finding } from "./helpers";

const summary = (plan: ReturnType<typeof planResponse>) => plan.map((a) => `${a.tier} ${a.kind} ${a.target} ${a.status}`);

describe("planResponse", () => {
  it("expands the high tier into concrete actions with their evidence", () => {
    const events = failures(3, "203.0.113.7", "alice");
    const plan = planResponse([finding({ events })], POLICY);
    expect(summary(plan)).toEqual([
      "high alert 203.0.113.7 planned",
      "high block_ip 203.0.113.7 planned",
      "high lock_user 203.0.113.7 skipped_no_target",
      "high open_ticket 203.0.113.7 planned",
    ]);
    const ev = plan[1].evidence;
    expect(ev).toMatchObject({
      entity: "203.0.113.7", entityType: "ip", decision: -0.2, anomalyScore: 95, anomalyThreshold: 50, offset: -0.5,
      contamination: 0.05, detector: "iforest", seed: 42, features: { failures: 50, distinctUsers: 3 }, lineNos: [1, 2, 3],
    });
    expect(ev.events[0]).toEqual({
      lineNo: 1, time: "2025-03-06T08:00:00.000Z", eventType: "failed_password", user: "alice", srcIp: "203.0.113.7",
      outcome: "failure", message: "Failed password for alice from 203.0.113.7 port 40000 ssh2",
    });
    expect(plan[0].reason).toBe('tier "high": anomaly score 95.0 ≥ 90; 2 detector(s) agree (≥ 2)');
    expect(plan[2].statusReason).toMatch(/set lockRelatedUsers: true/);
    expect(plan[0].id).toBe(`high:alert:203.0.113.7:${T0}`);
  });

  it("locks a user finding's account and blocks the IPs it came from", () => {
    const plan = planResponse([finding({ entity: "alice", entityType: "user", related: { users: ["alice"], ips: ["203.0.113.7", "10.0.0.5"], hosts: [] } })], POLICY);
    expect(summary(plan)).toEqual([
      "high alert alice planned",
      "high block_ip 203.0.113.7 planned",
      "high block_ip 10.0.0.5 skipped_allowlist",
      "high lock_user alice planned",
      "high open_ticket alice planned",
    ]);
    expect(plan[2].statusReason).toBe("10.0.0.5 is in private/internal range 10.0.0.0/8; set blockPrivateRanges: true in the policy to allow blocking it");
  });

  it("never blocks allow-listed or private addresses, or locks allow-listed users, unless the policy says so", () => {
    const fs = [
      finding({ entity: "198.51.100.9" }),
      finding({ entity: "192.168.1.20" }),
      finding({ entity: "breakglass", entityType: "user", related: { users: [], ips: [], hosts: [] } }),
    ];
    const blocks = (p: typeof POLICY) => planResponse(fs, p).filter((a) => a.kind === "block_ip" || a.kind === "lock_user").map((a) => `${a.target} ${a.status}`);
    expect(blocks(POLICY)).toEqual([
      "198.51.100.9 skipped_allowlist",
      "198.51.100.9 skipped_no_target",
      "192.168.1.20 skipped_allowlist",
      "192.168.1.20 skipped_no_target",
      "breakglass skipped_no_target",
      "breakglass skipped_allowlist",
    ]);
    const permissive = validatePolicy({ ...POLICY, blockPrivateRanges: true });
    expect(blocks(permissive)[2]).toBe("192.168.1.20 planned");
    expect(blocks(permissive)[0]).toBe("198.51.100.9 skipped_allowlist");
  });

  it("rejects injection strings as targets instead of planning them", () => {
    const plan = planResponse(
      [finding({ entity: "1.2.3.4; rm -rf /" }), finding({ entity: "bob;reboot", entityType: "user", related: { users: [], ips: ["1.2.3.4\nx"], hosts: [] } })],
      POLICY,
    );
    expect(summary(plan).filter((s) => /block_ip|lock_user/.test(s))).toEqual([
      "high block_ip 1.2.3.4; rm -rf / rejected_invalid",
      "high lock_user 1.2.3.4; rm -rf / skipped_no_target",
      "high block_ip 1.2.3.4\nx rejected_invalid",
      "high lock_user bob;reboot rejected_invalid",
    ]);
  });

  it("allows CIDR targets only when the policy does", () => {
    const f = [finding({ entity: "203.0.113.0/24" })];
    expect(planResponse(f, POLICY)[1].status).toBe("rejected_invalid");
    expect(planResponse(f, validatePolicy({ ...POLICY, allowCidrBlocks: true }))[1].status).toBe("planned");
  });

  it("plans nothing for findings no tier matches, and tabulates", () => {
    expect(planResponse([finding({ anomalyScore: 40, decision: 0.1, detectors: ["rule"] })], POLICY)).toEqual([]);
    const rows = planRows(planResponse([finding({ anomalyScore: 80, detectors: ["iforest"] })], POLICY));
    expect(rows).toEqual([
      { tier: "medium", action: "alert", target: "203.0.113.7", status: "planned", entity: "203.0.113.7", window: "2025-03-06T08:00:00.000Z",
        anomalyScore: 80, decision: -0.2, detectors: "iforest", events: 0, reason: 'tier "medium": anomaly score 80.0 ≥ 75' },
    ]);
  });
});
