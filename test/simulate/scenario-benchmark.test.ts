import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { caseRecall } from "../../src/eval/detector-overlap";
import { SCENARIO_ATTACKS } from "../../src/simulate/entity-scenario";
import { benchmarkEntityScenario, scenarioDetections } from "../../src/simulate/scenario-benchmark";

const TRIO = ["iforest", "entity-baseline"];
const caught = (flags: ArrayLike<number>, labels: readonly string[], label: string) => {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === label && flags[i] === -1) n++;
  return n;
};

describe("benchmarkEntityScenario", () => {
  it("pools every detector and the correlation rules over seeds, with recall per case and what each caught alone", () => {
    const rows = benchmarkEntityScenario({ seeds: [0, 1], detectors: TRIO, contamination: "auto" });
    expect(rows.map((r) => r.detector)).toEqual(["iforest", "entity-baseline", "correlation-rule"]);
    const [forest, baseline, rule] = rows;
    for (const r of rows) {
      expect(r.seeds).toBe(2);
      expect(r.f1).toBeCloseTo(r.precision + r.recall > 0 ? (2 * r.precision * r.recall) / (r.precision + r.recall) : 0, 12);
      const mean = SCENARIO_ATTACKS.reduce((s, a) => s + r.recallByCase[a], 0) / SCENARIO_ATTACKS.length;
      expect(r.caseRecall).toBeCloseTo(mean, 12);
      for (const a of SCENARIO_ATTACKS) expect(r.caughtAloneByCase![a]).toBeLessThanOrEqual(r.recallByCase[a]);
    }
    // The baseline catches the quiet user's burst and leaves the service account alone.
    expect(baseline.recallByCase.quiet_burst).toBe(1);
    expect(baseline.serviceAlertsPerDay).toBe(0);
    expect(baseline.precision).toBeGreaterThan(forest.precision);
    // The rules see the two brute forces and nothing else, and are the only ones to see the distributed one.
    expect(rule.recallByCase).toEqual({ quiet_burst: 0, slow_spray: 0, unusual_hour: 0, brute_force: 1, distributed_brute_force: 1, stolen_credentials: 0 });
    expect(rule.caughtAloneByCase!.distributed_brute_force).toBeGreaterThan(0.5);
    expect(forest.serviceAlertsPerDay).toBeGreaterThan(1); // 'auto' on the busy account: alerts every day
  });

  it("pools the caught-alone counts of caseRecall over seeds", () => {
    const rows = benchmarkEntityScenario({ seeds: [2, 3], detectors: TRIO, contamination: 0.1 });
    const windows: Record<string, number> = {};
    const alone: Record<string, Record<string, number>> = {};
    for (const seed of [2, 3]) {
      const d = scenarioDetections({ seed, contamination: 0.1, detectors: TRIO });
      for (const c of caseRecall(d.labels, d.flags, { cases: SCENARIO_ATTACKS })) {
        windows[c.label] = (windows[c.label] ?? 0) + c.windows;
        for (const [n, v] of Object.entries(c.caughtAlone)) (alone[n] ??= {})[c.label] = (alone[n][c.label] ?? 0) + v;
      }
    }
    for (const r of rows) {
      for (const a of SCENARIO_ATTACKS) expect(r.caughtAloneByCase![a]).toBeCloseTo(alone[r.detector][a] / windows[a], 12);
    }
    // Only compared detectors get the column.
    const more = benchmarkEntityScenario({ seeds: [2], detectors: ["threshold-rule", "iforest"], compare: ["iforest", "correlation-rule"] });
    expect(more.map((r) => [r.detector, r.caughtAloneByCase !== undefined])).toEqual([
      ["threshold-rule", false],
      ["iforest", true],
      ["correlation-rule", true],
    ]);
  });

  // Notebook 03's settings: seed 0–4, contamination 0.02 and 0.1, the Isolation Forest, the baseline and the rules.
  for (const seed of [0, 1, 2, 3, 4]) {
    it(`seed ${seed}: the rules alone catch the distributed brute force; the forest alone, at 10 %, the stolen credentials`, () => {
      for (const contamination of [0.02, 0.1]) {
        const d = scenarioDetections({ seed, contamination, detectors: TRIO });
        const n = d.labels.filter((l) => l === "distributed_brute_force").length;
        expect(n).toBeGreaterThanOrEqual(40); // one (address, hour) row per botnet address, or two
        expect(caught(d.flags["correlation-rule"], d.labels, "distributed_brute_force")).toBe(n);
        expect(caught(d.flags.iforest, d.labels, "distributed_brute_force")).toBe(0);
        expect(caught(d.flags["entity-baseline"], d.labels, "distributed_brute_force")).toBe(0);
        // No rule fires on the background scanners.
        expect(caught(d.flags["correlation-rule"], d.labels, "background_scan")).toBe(0);
        expect(caught(d.flags["entity-baseline"], d.labels, "stolen_credentials")).toBe(0);
        expect(caught(d.flags["correlation-rule"], d.labels, "stolen_credentials")).toBe(0);
        expect(caught(d.flags.iforest, d.labels, "stolen_credentials")).toBe(contamination === 0.1 ? 1 : 0);
        expect(caught(d.flags["entity-baseline"], d.labels, "quiet_burst")).toBe(1);
      }
    });
  }

  it("names the detectors and options it knows when given others", () => {
    expect(() => benchmarkEntityScenario({ detectors: ["iforrest"] })).toThrow(OptionError);
    expect(() => benchmarkEntityScenario({ seed: [0] } as never)).toThrow(/did you mean `seeds`/);
    expect(() => benchmarkEntityScenario({ detectors: ["iforest"], compare: ["lof"] })).toThrow(/Cannot compare "lof"/);
    expect(() => scenarioDetections({ detectors: ["lfo"] })).toThrow(OptionError);
  });
});
