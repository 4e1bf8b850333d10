import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { parseLogLines } from "../../src/ingest/parse-log";
import { SCENARIO_ATTACKS, scenarioWindowLabels, simulateEntityScenario } from "../../src/simulate/entity-scenario";

const LATER = ["background_scan", "distributed_brute_force", "stolen_credentials"];

describe("simulateEntityScenario", () => {
  it("is seeded: same seed same lines, another seed other lines", () => {
    expect(simulateEntityScenario({ seed: 4 }).lines).toEqual(simulateEntityScenario({ seed: 4 }).lines);
    expect(simulateEntityScenario({ seed: 5 }).lines).not.toEqual(simulateEntityScenario({ seed: 4 }).lines);
  });

  it("injects the six cases, labels every line, and parses without a reject", () => {
    const sim = simulateEntityScenario({ seed: 0 });
    expect(sim.incidents.map((i) => i.label)).toEqual([...SCENARIO_ATTACKS]);
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

  it("left the lines of the original cases as they were (the new streams have generators of their own)", () => {
    const sim = simulateEntityScenario({ seed: 0 });
    const old = sim.lines.filter((_, i) => !LATER.includes(sim.labels[i]));
    // sha256 of the 21,116 lines the generator gave for seed 0 before scanners and the two new cases.
    expect(old.length).toBe(21116);
    expect(createHash("sha256").update(old.join("\n")).digest("hex")).toBe("468c78a85e7ea7f923d3ea5bf41085c21fb52e72349c148b260834fff557f097");
    const quiet = simulateEntityScenario({ seed: 0, scannersPerDay: 0 });
    expect(quiet.labels).not.toContain("background_scan");
    expect(quiet.lines.filter((_, i) => !LATER.includes(quiet.labels[i]))).toEqual(old);
  });

  for (const seed of [0, 1, 2, 3, 4]) {
    it(`labels the distributed brute force right (seed ${seed}): one ordinary user, 40–60 new addresses, 1–2 failures each, within an hour`, () => {
      const sim = simulateEntityScenario({ seed });
      const { events } = parseLogLines(sim.lines, { year: 2025 });
      const inc = sim.incidents.find((i) => i.label === "distributed_brute_force")!;
      const mine = events.filter((_, i) => sim.labels[i] === "distributed_brute_force");
      expect(mine.length).toBe(inc.lines);
      expect(new Set(mine.map((e) => e.eventType))).toEqual(new Set(["failed_password"]));
      expect(new Set(mine.map((e) => e.user))).toEqual(new Set([inc.user]));
      const perIp = new Map<string, number>();
      for (const e of mine) perIp.set(e.srcIp!, (perIp.get(e.srcIp!) ?? 0) + 1);
      expect(perIp.size).toBe(inc.addresses);
      expect(inc.addresses).toBeGreaterThanOrEqual(40);
      expect(inc.addresses).toBeLessThanOrEqual(60);
      expect(Math.max(...perIp.values())).toBeLessThanOrEqual(2);
      expect(inc.end - inc.start).toBeLessThan(61 * 60000);
      // The target is an ordinary user who also logs in normally; the addresses appear nowhere else.
      expect(events.some((e, i) => sim.labels[i] === "normal" && e.user === inc.user)).toBe(true);
      expect(events.filter((e) => perIp.has(e.srcIp!)).length).toBe(mine.length);
    });
  }

  it("labels stolen credentials right: successes only, a new address, 01:00–04:59 on a weekend", () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const sim = simulateEntityScenario({ seed });
      const inc = sim.incidents.find((i) => i.label === "stolen_credentials")!;
      const idx = sim.labels.flatMap((l, i) => (l === "stolen_credentials" ? [i] : []));
      expect(idx.length).toBe(inc.lines);
      expect(inc.lines).toBeGreaterThanOrEqual(2);
      for (const i of idx) expect(sim.lines[i]).toContain(`Accepted password for ${inc.user} from ${inc.srcIp} `);
      expect(sim.srcIps.filter((ip) => ip === inc.srcIp).length).toBe(inc.lines);
      const d = new Date(inc.start);
      expect([0, 6]).toContain(d.getUTCDay());
      expect(d.getUTCHours()).toBeGreaterThanOrEqual(1);
      expect(d.getUTCHours()).toBeLessThanOrEqual(4);
    }
  });

  it("labels windows by their most serious line", () => {
    const sim = simulateEntityScenario({ seed: 0 });
    const labels = scenarioWindowLabels(sim, 3600000);
    const counts: Record<string, number> = {};
    for (const l of labels.values()) counts[l] = (counts[l] ?? 0) + 1;
    for (const a of SCENARIO_ATTACKS) expect(counts[a]).toBeGreaterThan(0);
    expect(counts.noisy_service).toBe(14 * 24);
    expect(counts.background_scan).toBeGreaterThan(14 * 10);
    expect(() => scenarioWindowLabels(sim, 0)).toThrow(OptionError);
    expect(() => simulateEntityScenario({ days: 1 })).toThrow(/\[2, 62\]/);
    expect(() => simulateEntityScenario({ scannersPerDay: -1 })).toThrow(/scannersPerDay/);
    expect(() => simulateEntityScenario({ scanners: 3 } as never)).toThrow(/did you mean `scannersPerDay`/);
  });
});
