/**
 * Degenerate data (issue 13, item 5): constant data flags nothing, for every registered detector and
 * every contamination setting; LOF warns on values repeated more than k times; One-Class SVM rejects
 * `nu` values that leave its offset undefined.
 */
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { detectorRegistry } from "../../src/detectors/registry";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { LocalOutlierFactor } from "../../src/detectors/lof";
import { OneClassSVM } from "../../src/detectors/ocsvm";

const constant = (n: number, row: number[]) => Array.from({ length: n }, () => row.slice());
const count = (p: Int8Array) => Array.from(p).filter((v) => v === -1).length;

describe.each(detectorRegistry.filter((e) => e.name !== "ml-iforest").map((e) => [e.name, e] as const))(
  "%s on constant data",
  (_name, entry) => {
    const rows = entry.capabilities?.conformanceRows ?? 256;
    for (const contamination of ["auto", 0.05, 0.5] as const) {
      it(`flags nothing with contamination ${contamination}`, () => {
        const X = constant(rows, [3, 7]);
        const det = entry.create({ seed: 0, contamination }).fit(X);
        expect(count(det.predict(X))).toBe(0);
        expect(Array.from(det.decisionFunction(X)).every((d) => d >= 0)).toBe(true);
      });
    }
  },
);

describe("IsolationForest on constant data", () => {
  it("scores exactly -0.5 (mean path length c(256)), not -0.5 minus a rounding residue", () => {
    const X = constant(256, [1, 1, 1]);
    const forest = new IsolationForest({ seed: 42 }).fit(X);
    const s = forest.scoreSamples(X);
    expect(Array.from(new Set(s))).toEqual([-0.5]);
    expect(count(forest.predict(X))).toBe(0);
    expect(count(forest.predict([[1, 1, 1], [9, 9, 9]]))).toBe(0); // every tree is one leaf: nothing can be isolated
  });
});

describe("LocalOutlierFactor on repeated values", () => {
  it("warns when a value repeats more than k times, and not otherwise", () => {
    const noisy = Array.from({ length: 30 }, (_, i) => [0.1 + i * 0.37, (i * 7) % 5]);
    expect(new LocalOutlierFactor({ nNeighbors: 5 }).fit(noisy).warnings).toEqual([]);
    const repeated = [...constant(8, [0, 0]), ...noisy];
    // 8 copies: with k = 8 each copy has a distinct 8th neighbour; with k = 7 its 7 neighbours are all copies.
    expect(new LocalOutlierFactor({ nNeighbors: 8 }).fit(repeated).warnings).toEqual([]);
    expect(new LocalOutlierFactor({ nNeighbors: 7 }).fit(repeated).warnings).toHaveLength(1);
    const lof = new LocalOutlierFactor({ nNeighbors: 5 }).fit(repeated);
    expect(lof.warnings).toHaveLength(1);
    expect(lof.warnings[0]).toMatch(/8 of 38 training rows repeat a value at least k = 5 more times.*increase nNeighbors/);
  });
});

describe("OneClassSVM rejects nu values that leave the offset undefined", () => {
  it("explains which nu works for the number of rows", () => {
    const X = Array.from({ length: 10 }, (_, i) => [i, (i * 3) % 4]);
    expect(() => new OneClassSVM({ nu: 1 })).toThrow(OptionError);
    expect(() => new OneClassSVM({ nu: 1 })).toThrow(/in \(0, 1\), got 1: nu = 1 puts every training row at the bound.*use nu < 1/);
    expect(() => new OneClassSVM({ nu: 1.5 })).toThrow(/in \(0, 1\), got 1.5/);
    // Just below 1 one α stays free, so ρ is its gradient: finite.
    expect(Number.isFinite(new OneClassSVM({ nu: 0.95 }).fit(X).offset)).toBe(true);
    expect(Number.isFinite(new OneClassSVM({ nu: 0.5 }).fit(X).offset)).toBe(true);
  });
});
