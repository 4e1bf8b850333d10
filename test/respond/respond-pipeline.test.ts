import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { ThresholdRule } from "../../src/detectors/threshold-rule";
import { windowCounts } from "../../src/features/window-counts";
import { findDatasetSync } from "../../src/ingest/datasets";
import { parseLogLines } from "../../src/ingest/parse-log";
import { executePlan } from "../../src/respond/execute-plan";
import { findingsFromScores, scoredByDetector } from "../../src/respond/finding";
import { planResponse } from "../../src/respond/plan";
import { loadPolicy } from "../../src/respond/policy";
import { summarizeIncident } from "../../src/respond/summary";
import { simulateLoginAttempts } from "../../src/simulate/samples";

// The two cases of notebook 05, pinned: seeded detectors + the default policy give these tiers and actions.
const r1 = (x: number) => Math.round(x * 10) / 10;
const policy = loadPolicy("data/policy/default.json");

describe("tutorial brute force through the default policy (seed 42)", () => {
  const { counts, minute } = simulateLoginAttempts({ seed: 42 });
  const X = counts.map((c) => [c]);
  const forest = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
  const t0 = Date.UTC(2025, 2, 6, 8, 0, 0);
  const findings = findingsFromScores({
    keys: minute.map((m) => ({ entity: "auth-gateway", windowStart: t0 + m * 60_000 })),
    entityType: "host",
    matrix: X,
    featureNames: ["attempts"],
    scoredBy: [scoredByDetector(forest, X, { contamination: 0.05, seed: 42 }), { name: "rule", decision: counts.map((c) => 20 - c) }],
  });

  it("finds the three spike minutes, most anomalous first", () => {
    expect(findings.map((f) => [f.features.attempts, r1(f.anomalyScore), f.detectors.length])).toEqual([
      [50, 93.1, 2],
      [40, 80.1, 2],
      [30, 78.2, 2],
    ]);
  });

  it("plans high, high, medium and dedups the repeats in a dry run", async () => {
    const plan = planResponse(findings, policy);
    const { rows } = await executePlan(plan, { dedupWindowSeconds: policy.dedupWindowSeconds });
    expect(rows.map((r) => `${r.windowStart.slice(11, 16)} ${r.tier} ${r.action} ${r.status}`)).toEqual([
      "08:52 high alert dry_run",
      "08:52 high block_ip skipped_no_target",
      "08:52 high lock_user skipped_no_target",
      "08:52 high open_ticket dry_run",
      "08:51 high alert deduplicated",
      "08:51 high block_ip skipped_no_target",
      "08:51 high lock_user skipped_no_target",
      "08:51 high open_ticket deduplicated",
      "08:50 medium alert deduplicated",
    ]);
    const history = counts.slice(0, 50).map((attempts) => ({ attempts }));
    expect(summarizeIncident(findings[0], { history }).facts.featureComparisons).toEqual([{ name: "attempts", value: 50, usual: 5, ratio: 10 }]);
  });
});

const sshPath = findDatasetSync("loghub/OpenSSH_2k");
if (!sshPath) console.warn("skipped: respond pipeline on Loghub OpenSSH (../shared/datasets/loghub/OpenSSH not found)");

describe.skipIf(!sshPath)("Loghub OpenSSH through the default policy (seed 42)", () => {
  it("blocks the two strongest brute-force IPs in dry run and never locks the accounts they tried", async () => {
    const { events } = parseLogLines(fs.readFileSync(sshPath!, "utf8"));
    const feats = windowCounts(events, { by: "srcIp", window: "5m", features: ["count", "failures", "distinctUsers"], zeroFill: false });
    const forest = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(feats.matrix);
    const rule = new ThresholdRule({ column: 1, threshold: 10 }).fit(feats.matrix);
    const findings = findingsFromScores({
      keys: feats.keys, entityType: "ip", windowMs: feats.windowMs, matrix: feats.matrix, featureNames: feats.columns, events,
      scoredBy: [scoredByDetector(forest, feats.matrix, { contamination: 0.05, seed: 42 }), scoredByDetector(rule, feats.matrix)],
    });
    expect([findings.length, findings.filter((f) => f.detectors.length === 2).length]).toEqual([10, 3]); // one sshd failure and its PAM companion are one attempt
    expect(findings.slice(0, 2).map((f) => [f.entity, r1(f.anomalyScore), f.features.failures])).toEqual([
      ["183.62.140.253", 89.8, 141],
      ["187.141.143.180", 87.3, 54],
    ]);
    const { rows } = await executePlan(planResponse(findings, policy), { dedupWindowSeconds: policy.dedupWindowSeconds });
    const blocks = rows.filter((r) => r.action === "block_ip").map((r) => `${r.target} ${r.status}`);
    expect(blocks).toEqual(["183.62.140.253 dry_run", "187.141.143.180 dry_run", "183.62.140.253 deduplicated"]);
    expect(rows.filter((r) => r.action === "lock_user").every((r) => r.status === "skipped_no_target")).toBe(true);
    expect(rows.every((r) => r.dryRun && r.status !== "executed")).toBe(true);
    expect(rows.find((r) => r.action === "block_ip")?.detail).toBe("nft add element inet filter siemlab_blocklist { 183.62.140.253 }");
  });
});
