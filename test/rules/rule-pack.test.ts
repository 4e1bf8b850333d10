import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLogLines } from "../../src/ingest/parse-log";
import { loadSigmaRules, runSigmaRules } from "../../src/rules/index";

const PACK = "data/rules";
const FIXTURES = "test/rules/fixtures";
const set = loadSigmaRules(PACK);
const ruleFiles = fs.readdirSync(PACK).filter((f) => f.endsWith(".yml")).sort();

/** The alerting rule of a pack file: its correlation if it has one, else its detection rule. */
function alertingRule(file: string): string {
  const full = path.join(PACK, file);
  const c = set.correlations.find((r) => r.file === full);
  const d = set.detections.find((r) => r.file === full);
  return `sigma:${(c ?? d)!.name}`;
}

function alertsOn(log: string) {
  const { events, rejects } = parseLogLines(fs.readFileSync(path.join(FIXTURES, log), "utf8"), { year: 2025 });
  expect(rejects).toEqual([]);
  return runSigmaRules(events, set).alerts;
}

describe("data/rules pack", () => {
  it("loads with no diagnostics", () => {
    expect(set.diagnostics).toEqual([]);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(9);
  });
  for (const file of ruleFiles) {
    const base = file.replace(/\.yml$/, "");
    it(`${base}: fires on its positive log, not on its negative log`, () => {
      const name = alertingRule(file);
      const pos = alertsOn(`${base}.pos.log`);
      expect(pos.filter((a) => a.detector === name).length).toBeGreaterThanOrEqual(1);
      const neg = alertsOn(`${base}.neg.log`);
      expect(neg.filter((a) => a.detector === name)).toEqual([]);
    });
  }
  it("the brute-force alert carries the attacker and all its failures", () => {
    const a = alertsOn("ssh-brute-force.pos.log").find((x) => x.detector === "sigma:ssh_brute_force")!;
    expect(a).toMatchObject({ entity: "198.51.100.23", entityType: "ip", value: 12, level: "high", type: "event_count" });
    expect(a.events).toHaveLength(12);
  });
});

describe("rule findings in the response policy", () => {
  it("a brute-force alert becomes a planned action under the default policy", async () => {
    const { loadPolicy } = await import("../../src/respond/policy");
    const { planResponse } = await import("../../src/respond/plan");
    const { sigmaAlertsToFindings } = await import("../../src/rules/index");
    const { events } = parseLogLines(fs.readFileSync(path.join(FIXTURES, "ssh-brute-force.pos.log"), "utf8"), { year: 2025 });
    const findings = sigmaAlertsToFindings(runSigmaRules(events, set).alerts);
    const plan = planResponse(findings, loadPolicy("data/policy/default.json"));
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.some((a) => a.target === "198.51.100.23")).toBe(true);
  });
});
