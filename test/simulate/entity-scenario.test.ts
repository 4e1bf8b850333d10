import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { parseLogLines } from "../../src/ingest/parse-log";
import { SCENARIO_ATTACKS, scenarioWindowLabels, simulateEntityScenario } from "../../src/simulate/entity-scenario";

describe("simulateEntityScenario", () => {
  it("is seeded: same seed same lines, another seed other lines", () => {
    expect(simulateEntityScenario({ seed: 4 }).lines).toEqual(simulateEntityScenario({ seed: 4 }).lines);
    expect(simulateEntityScenario({ seed: 5 }).lines).not.toEqual(simulateEntityScenario({ seed: 4 }).lines);
  });

  it("injects the four cases, labels every line, and parses without a reject", () => {
    const sim = simulateEntityScenario({ seed: 0 });
    expect(sim.incidents.map((i) => i.label)).toEqual(["quiet_burst", "slow_spray", "unusual_hour", "brute_force"]);
    expect(sim.labels.length).toBe(sim.lines.length);
    const { events, rejects } = parseLogLines(sim.lines, { year: 2025 });
    expect(rejects).toEqual([]);
    expect(events.length).toBe(sim.lines.length);
    const spray = sim.incidents.find((i) => i.label === "slow_spray")!;
    expect(spray.end - spray.start).toBeGreaterThan(4 * 3600000);
    const hour = sim.incidents.find((i) => i.label === "unusual_hour")!;
    expect(new Date(hour.start).getUTCHours()).toBe(3);
    // The service account logs in every hour of every day.
    const svc = new Set(events.filter((e) => e.user === "svc-backup").map((e) => Math.floor(e.time / 3600000)));
    expect(svc.size).toBe(14 * 24);
  });

  it("labels windows by their most serious line", () => {
    const sim = simulateEntityScenario({ seed: 0 });
    const labels = scenarioWindowLabels(sim, 3600000);
    const counts: Record<string, number> = {};
    for (const l of labels.values()) counts[l] = (counts[l] ?? 0) + 1;
    for (const a of SCENARIO_ATTACKS) expect(counts[a]).toBeGreaterThan(0);
    expect(counts.noisy_service).toBe(14 * 24);
    expect(() => scenarioWindowLabels(sim, 0)).toThrow(OptionError);
    expect(() => simulateEntityScenario({ days: 1 })).toThrow(/\[2, 62\]/);
  });
});
