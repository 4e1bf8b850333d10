import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { benchmarkEntityScenario } from "../../src/simulate/scenario-benchmark";

describe("benchmarkEntityScenario", () => {
  it("pools every detector and the correlation rule over seeds, with recall per case", () => {
    const rows = benchmarkEntityScenario({ seeds: [0, 1], detectors: ["iforest", "entity-baseline"], contamination: "auto" });
    expect(rows.map((r) => r.detector)).toEqual(["iforest", "entity-baseline", "correlation-rule"]);
    const [forest, baseline, rule] = rows;
    for (const r of rows) {
      expect(r.seeds).toBe(2);
      expect(r.f1).toBeCloseTo(r.precision + r.recall > 0 ? (2 * r.precision * r.recall) / (r.precision + r.recall) : 0, 12);
    }
    // The baseline catches the quiet user's burst and leaves the service account alone; the rule sees only the brute force.
    expect(baseline.recallByCase.quiet_burst).toBe(1);
    expect(baseline.serviceAlertsPerDay).toBe(0);
    expect(baseline.precision).toBeGreaterThan(forest.precision);
    expect(rule.recallByCase).toEqual({ quiet_burst: 0, slow_spray: 0, unusual_hour: 0, brute_force: 1 });
    expect(forest.serviceAlertsPerDay).toBeGreaterThan(1); // 'auto' on the busy account: alerts every day
  });

  it("names the detectors it knows when given another", () => {
    expect(() => benchmarkEntityScenario({ detectors: ["iforrest"] })).toThrow(OptionError);
  });
});
