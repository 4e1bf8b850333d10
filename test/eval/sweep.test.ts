import { describe, expect, it } from "vitest";
import { LocalOutlierFactor } from "../../src/detectors/lof";
import { RobustZScore } from "../../src/detectors/robust-zscore";
import { ThresholdRule } from "../../src/detectors/threshold-rule";
import { DataError, NotFittedError, OptionError } from "../../src/errors";
import { contaminationForMaxAlerts, contaminationSweep, DEFAULT_SWEEP_CONTAMINATIONS } from "../../src/eval/sweep";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";

const { X, y } = simulateBlobWithOutliers({ n: 400, d: 3, outlierFraction: 0.05, seed: 5 });

describe("contaminationSweep", () => {
  it("gives the offsets and flags a refit with each contamination would give", () => {
    const lof = new LocalOutlierFactor().fit(X);
    const rows = contaminationSweep(lof, X, { labels: y });
    expect(rows.map((r) => r.contamination)).toEqual([...DEFAULT_SWEEP_CONTAMINATIONS]);
    for (const r of rows) {
      const refit = new LocalOutlierFactor({ contamination: r.contamination }).fit(X);
      expect(r.offset).toBe(refit.offset);
      expect(r.flagged).toBe(refit.predict(X).filter((v) => v === -1).length);
    }
    expect(rows.map((r) => r.flagged)).toEqual([1, 2, 4, 8, 20, 40, 80]);
  });
  it("adds precision/recall/F1 with labels and alerts per day with days or times", () => {
    const rule = new ThresholdRule({ column: 0 }).fit([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    const Xr = [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]];
    const labels = [0, 0, 0, 0, 0, 0, 0, 1, 0, 1];
    const [r] = contaminationSweep(rule, Xr, { contaminations: [0.2], labels, days: 2 });
    // percentile 20 of −[1..10] is −8.2: rows 9 and 10 are flagged.
    expect(r).toEqual({
      contamination: 0.2, offset: -8.2, flagged: 2, flaggedFraction: 0.2,
      truePositives: 1, precision: 0.5, recall: 0.5, f1: 0.5, alertsPerDay: 1,
    });
    const times = Xr.map((_, i) => Date.UTC(2024, 0, 1) + (i * 4 * 86_400_000) / 9); // spans 4 days
    expect(contaminationSweep(rule, Xr, { contaminations: [0.2], times })[0].alertsPerDay).toBe(0.5);
  });
  it("validates its inputs", () => {
    const rz = new RobustZScore().fit(X);
    expect(() => contaminationSweep(rz, X, { contaminations: [0.7] })).toThrow(/\(0, 0.5\], got 0.7/);
    expect(() => contaminationSweep(rz, X, { contaminations: ["auto" as unknown as number] })).toThrow(OptionError);
    expect(() => contaminationSweep(rz, X, { contaminations: [] })).toThrow(/non-empty/);
    expect(() => contaminationSweep(rz, X, { labels: [1, 0] })).toThrow(/one value per row of X \(400\)/);
    expect(() => contaminationSweep(rz, X, { days: 0 })).toThrow(/days/);
    expect(() => contaminationSweep(rz, X, { times: new Array(400).fill(5) })).toThrow(/span/);
    expect(() => contaminationSweep(new RobustZScore(), X)).toThrow(NotFittedError);
    expect(() => contaminationSweep(rz, [[1, 2]])).toThrow(DataError);
  });
});

describe("contaminationForMaxAlerts", () => {
  const rule = new ThresholdRule().fit([[0]]);
  const Xr = Array.from({ length: 101 }, (_, i) => [i]); // scores 0, −1, …, −100, all distinct

  it("returns the largest contamination flagging at most K rows", () => {
    const a = contaminationForMaxAlerts(rule, Xr, 7)!;
    expect(a.flagged).toBe(7);
    expect(a.contamination).toBeCloseTo(0.07, 12);
    // Any larger contamination flags more.
    const sweep = contaminationSweep(rule, Xr, { contaminations: [a.contamination + 1e-9] });
    expect(sweep[0].flagged).toBe(8);
    const refit = new ThresholdRule({ contamination: a.contamination }).fit(Xr);
    expect(refit.predict(Xr).filter((v) => v === -1).length).toBe(7);
  });
  it("caps at 0.5, reads K per day with days, and is null when no positive contamination fits", () => {
    expect(contaminationForMaxAlerts(rule, Xr, 80)!.contamination).toBe(0.5);
    expect(contaminationForMaxAlerts(rule, Xr, 2, { days: 3 })!.flagged).toBe(6);
    expect(contaminationForMaxAlerts(rule, Xr, 0)).toBeNull();
    // Ties at the lowest score: a small contamination flags none of them.
    const tied = [[5], [5], [5], [1], [0]];
    expect(contaminationForMaxAlerts(rule, tied, 0)!.flagged).toBe(0);
    expect(contaminationForMaxAlerts(rule, tied, 2)!.flagged).toBe(0);
    expect(() => contaminationForMaxAlerts(rule, Xr, -1)).toThrow(/maxAlerts/);
  });
});
