import { describe, expect, it } from "vitest";
import { LocalOutlierFactor } from "../../src/detectors/lof";
import { RobustZScore } from "../../src/detectors/robust-zscore";
import { ThresholdRule } from "../../src/detectors/threshold-rule";
import { Autoencoder } from "../../src/detectors/autoencoder";
import { OptionError, DataError } from "../../src/errors";
import { compareDetectors, comparisonToDataFrame, detectorEntries, flaggedByDetector, flaggedByKind, scoreDetectors, summarizeComparison, type DetectorEntry } from "../../src/eval/compare";
import { simulateLoginAttempts } from "../../src/simulate/samples";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";

const blob = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 2 });
const entries: DetectorEntry[] = [
  { name: "lof", create: (o) => new LocalOutlierFactor(o), deterministic: true },
  { name: "robust-zscore", create: (o) => new RobustZScore(o), deterministic: true },
  { name: "autoencoder", create: (o) => new Autoencoder({ ...o, epochs: 3 }) },
];

describe("compareDetectors", () => {
  const rows = compareDetectors({ detectors: entries, datasets: [{ name: "blob", ...blob }], seeds: [0, 1], contamination: 0.05 });

  it("returns one tidy row per run; deterministic detectors run once", () => {
    expect(rows.map((r) => `${r.detector}/${r.seed}`)).toEqual(["lof/0", "robust-zscore/0", "autoencoder/0", "autoencoder/1"]);
    const lof = rows[0];
    expect([lof.dataset, lof.rows, lof.features, lof.flagged]).toEqual(["blob", 200, 3, 10]);
    // Pinned: the blob's 10 uniform outliers are far from the standard-normal core.
    expect(+lof.rocAuc.toFixed(4)).toBeGreaterThan(0.95);
    for (const r of rows) {
      for (const v of [r.rocAuc, r.averagePrecision, r.precisionAtK, r.precision, r.recall, r.f1]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(r.fitSeconds).toBeGreaterThanOrEqual(0);
    }
  });
  it("is reproducible except for timings", () => {
    const again = compareDetectors({ detectors: entries, datasets: [{ name: "blob", ...blob }], seeds: [0, 1], contamination: 0.05 });
    const strip = (r: (typeof rows)[number]) => ({ ...r, fitSeconds: 0, scoreSeconds: 0 });
    expect(again.map(strip)).toEqual(rows.map(strip));
  });
  it("summarises means over seeds and builds a DataFrame", () => {
    const summary = summarizeComparison(rows);
    expect(summary.map((s) => [s.detector, s.runs])).toEqual([["lof", 1], ["robust-zscore", 1], ["autoencoder", 2]]);
    const ae = rows.filter((r) => r.detector === "autoencoder");
    expect(summary[2].rocAuc).toBeCloseTo((ae[0].rocAuc + ae[1].rocAuc) / 2, 12);
    expect(summary[0].rocAucStd).toBe(0);
    const df = comparisonToDataFrame(summary, { digits: 3 });
    expect(df.shape).toEqual([3, 10]);
    expect(df.columns.slice(0, 3)).toEqual(["detector", "dataset", "runs"]);
  });
  it("validates its inputs", () => {
    expect(() => compareDetectors({ detectors: [], datasets: [{ name: "b", ...blob }] })).toThrow(OptionError);
    expect(() => compareDetectors({ detectors: entries, datasets: [] })).toThrow(/datasets/);
    expect(() => compareDetectors({ detectors: entries, datasets: [{ name: "b", X: blob.X, y: [1, 0] }] })).toThrow(DataError);
    expect(() => comparisonToDataFrame([])).toThrow(DataError);
  });
});

describe("flaggedByDetector", () => {
  it("lists the rows each detector flags on the tutorial data", () => {
    const X = simulateLoginAttempts().counts.map((c) => [c]);
    const out = flaggedByDetector(entries.slice(0, 2), X, { contamination: 0.05 });
    expect(out.map((o) => [o.detector, o.flagged])).toEqual([
      ["lof", [50, 51, 52]],
      ["robust-zscore", [50, 51, 52]],
    ]);
  });
});

describe("scoreDetectors", () => {
  it("returns −scoreSamples with the labels, matching compareDetectors' AUC", () => {
    const scored = scoreDetectors(entries.slice(0, 1), blob.X, blob.y);
    const lof = new LocalOutlierFactor().fit(blob.X);
    expect(Array.from(scored[0].scores)).toEqual(Array.from(lof.scoreSamples(blob.X), (v) => -v));
    expect(scored[0].name).toBe("lof");
    expect(() => scoreDetectors(entries, blob.X, [1])).toThrow(DataError);
  });
});

describe("registry names", () => {
  it("detectorEntries lists the registry; compareDetectors accepts names", () => {
    const names = detectorEntries().map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(["iforest", "ml-iforest", "lof", "ocsvm", "robust-zscore", "autoencoder", "threshold-rule"]));
    expect(() => detectorEntries(["nope"])).toThrow(/Unknown detector "nope"/);
    const rows = compareDetectors({ detectors: ["iforest", "robust-zscore"], datasets: [{ name: "blob", ...blob }], seeds: [0, 1] });
    expect(rows.map((r) => `${r.detector}/${r.seed}`)).toEqual(["iforest/0", "iforest/1", "robust-zscore/0"]);
  });
});

describe("flaggedByKind", () => {
  it("counts flagged rows per kind", () => {
    const X = [[1], [2], [3], [4], [50], [60], [7], [8]];
    const kinds = ["normal", "normal", "normal", "normal", "attack", "attack", "odd", "odd"];
    const rule = { name: "rule", create: () => new ThresholdRule({ threshold: 8 }), deterministic: true };
    expect(flaggedByKind([rule], X, kinds)).toEqual([{ detector: "rule", normal: "0/4", attack: "2/2", odd: "1/2" }]);
    expect(() => flaggedByKind([rule], X, ["a"])).toThrow(DataError);
  });
});
