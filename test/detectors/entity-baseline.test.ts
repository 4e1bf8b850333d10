import { describe, expect, it } from "vitest";
import { EntityBaseline } from "../../src/detectors/entity-baseline";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { OptionError } from "../../src/errors";
import { entityFeatures } from "../../src/features/entity-features";
import { parseLogLines } from "../../src/ingest/parse-log";
import { scenarioWindowLabels, simulateEntityScenario } from "../../src/simulate/entity-scenario";

/** Rows: [entity, count]. "quiet" logs 1 event per window, "busy" 60 ± a few; quiet's last window is a burst of 40. */
function constructed(): number[][] {
  const rows: number[][] = [];
  for (let w = 0; w < 20; w++) rows.push([1, 1 + (w % 3 === 0 ? 1 : 0)]);
  for (let w = 0; w < 20; w++) rows.push([2, 58 + (w % 5)]);
  rows.push([1, 40]);
  return rows;
}

describe("EntityBaseline", () => {
  it("scores a window against its entity's own history: a quiet entity's burst, not the busy entity's usual", () => {
    const X = constructed();
    const det = new EntityBaseline({ entityColumn: 0, minScale: [0, 1] }).fit(X);
    const p = det.predict(X);
    expect(p[40]).toBe(-1);
    expect(Array.from(p.subarray(0, 40)).every((v) => v === 1)).toBe(true);
    // Against the population only (no entity column), 40 events is the median row: nothing to see.
    const pop = new EntityBaseline({ minScale: 1 }).fit(X.map((r) => [r[1]]));
    expect(pop.predict([[40]])[0]).toBe(1);
  });

  it("explains: actual vs typical and the deviation per feature, largest first", () => {
    const X = constructed().map((r) => [r[0], r[1], 3]); // a constant third feature
    const det = new EntityBaseline({ entityColumn: 0, minScale: [0, 1, 1] }).fit(X);
    const why = det.explain([X[40]])[0];
    expect(why.baseline).toBe("entity");
    expect(why.historyRows).toBe(21);
    expect(why.features.map((f) => f.column)).toEqual([1, 2]);
    expect(why.features[0]).toMatchObject({ actual: 40, typical: 1 });
    expect(why.features[0].deviation).toBeCloseTo(-det.scoreSamples([X[40]])[0], 12);
    expect(why.features[1].deviation).toBe(0);
  });

  it("uses the population baseline, explicitly, for new entities and short histories", () => {
    const X = constructed();
    const det = new EntityBaseline({ entityColumn: 0, minHistory: 5 }).fit([...X, [3, 50], [3, 50]]);
    expect(det.baselineOf([[1, 1], [3, 50], [77, 1]])).toEqual(["entity", "population", "population"]);
    expect(det.entitiesWithHistory).toBe(2);
    const popOnly = new EntityBaseline().fit(X);
    expect(popOnly.baselineOf([[1, 1]])).toEqual(["population"]);
  });

  it("applies the tails: 'upper' ignores fewer events than usual, 'both' does not", () => {
    const X = Array.from({ length: 30 }, (_, i) => [10 + (i % 3), 12 + (i % 3)]);
    const det = new EntityBaseline({ tails: ["upper", "both"] }).fit(X);
    const [low, early] = det.explain([[0, 13], [11, 0]]).map((e) => e.features.find((f) => f.deviation > 0)?.column);
    expect(low).toBeUndefined();
    expect(early).toBe(1);
  });

  it("rejects bad options with the fix", () => {
    expect(() => new EntityBaseline({ entityColumn: -1 })).toThrow(/column index ≥ 0/);
    expect(() => new EntityBaseline({ tails: ["up" as "upper"] })).toThrow(OptionError);
    expect(() => new EntityBaseline({ population: "all" as "max" })).toThrow(/'fallback' or 'max'/);
    expect(() => new EntityBaseline({ entityColumn: 5 }).fit([[1, 2]])).toThrow(/outside X's 2 columns/);
    expect(() => new EntityBaseline({ tails: ["upper"] }).fit([[1, 2]])).toThrow(/one entry per column of X \(2\)/);
    expect(() => new EntityBaseline({ minScale: -1 })).toThrow(/minScale/);
  });
});

describe("EntityBaseline on the labelled scenario (seeded)", () => {
  for (const seed of [0, 1, 2]) {
    it(`seed ${seed}: flags the quiet user's burst and the slow spray, never the busy service account, at 'auto'`, () => {
      const sim = simulateEntityScenario({ seed });
      const { events } = parseLogLines(sim.lines, { year: 2025 });
      const f = entityFeatures(events, { by: "srcIp", window: "1h", entityColumn: true });
      const labels = scenarioWindowLabels(sim, f.windowMs);
      const y = f.keys.map((k) => labels.get(`${k.entity}|${k.windowStart}`));
      const det = new EntityBaseline({ entityColumn: 0, tails: f.tails, minScale: f.minScales }).fit(f.matrix);
      const p = det.predict(f.matrix);
      const flagged = (l: string) => y.filter((v, i) => v === l && p[i] === -1).length;
      const total = (l: string) => y.filter((v) => v === l).length;
      expect(flagged("quiet_burst")).toBe(total("quiet_burst"));
      expect(flagged("slow_spray")).toBeGreaterThanOrEqual(total("slow_spray") - 1);
      expect(flagged("brute_force")).toBe(total("brute_force"));
      expect(flagged("noisy_service")).toBe(0);
      expect(flagged("normal")).toBeLessThanOrEqual(Math.ceil(0.01 * total("normal"))); // e.g. a late riser at 08:00
      // The Isolation Forest on the same features (no entity id) cannot tell the quiet user's burst from the service account.
      const M = { data: f.matrix.data.filter((_, k) => k % f.matrix.cols !== 0), rows: f.matrix.rows, cols: f.matrix.cols - 1 };
      const forest = new IsolationForest({ seed, contamination: 0.02 }).fit(M).predict(M);
      expect(y.filter((v, i) => v === "quiet_burst" && forest[i] === -1).length).toBe(0);
    });
  }
});

describe("EntityBaseline behind the Detector contract", () => {
  it("is taken unchanged by the contamination sweep (labels from the scenario)", async () => {
    const { contaminationSweep } = await import("../../src/eval/sweep");
    const sim = simulateEntityScenario({ seed: 1 });
    const { events } = parseLogLines(sim.lines, { year: 2025 });
    const f = entityFeatures(events, { by: "srcIp", window: "1h", entityColumn: true });
    const labels = scenarioWindowLabels(sim, f.windowMs);
    const y = f.keys.map((k) => (["quiet_burst", "slow_spray", "unusual_hour", "brute_force"].includes(labels.get(`${k.entity}|${k.windowStart}`) ?? "") ? 1 : 0));
    const det = new EntityBaseline({ entityColumn: 0, tails: f.tails, minScale: f.minScales }).fit(f.matrix);
    const rows = contaminationSweep(det, f.matrix, { labels: y, contaminations: [0.005, 0.01, 0.02], days: sim.days });
    expect(rows.map((r) => r.flagged)).toEqual([...rows.map((r) => r.flagged)].sort((a, b) => a - b));
    expect(rows[0].precision).toBe(1);
    expect(rows[2].recall).toBeGreaterThan(0.85);
  });
});
