import { describe, expect, it } from "vitest";
import { decisionScale } from "../../src/detectors/anomaly-scale";
import { createDetector, detectorRegistry } from "../../src/detectors/registry";
import { DataError, OptionError } from "../../src/errors";
import { findingsFromScores, scoredByDetector } from "../../src/respond/finding";
import {
  ANOMALY_SCORE_THRESHOLD,
  decisionToAnomalyScore,
  fittedAnomalyScores,
  severityOf,
} from "../../src/respond/anomaly-score";
import { loadPolicy, selectTier } from "../../src/respond/policy";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";
import type { DenseMatrix } from "../../src/matrix";

const r = (a: ArrayLike<number>) => Array.from(a, (x) => Math.round(x * 10) / 10);

function rows(X: DenseMatrix, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let i = from; i < to; i++) out.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
  return out;
}

describe("decisionToAnomalyScore", () => {
  it("puts the threshold at 50 and is monotone decreasing in the decision value", () => {
    expect(r(decisionToAnomalyScore([0, -1, 1, -2, -3], { scale: 1 }))).toEqual([50, 73.1, 26.9, 88.1, 95.3]);
    expect(ANOMALY_SCORE_THRESHOLD).toBe(50);
  });

  it("never scales by the batch: the default scale is 1, whatever the other rows", () => {
    expect(decisionToAnomalyScore([-1])[0]).toBe(decisionToAnomalyScore([-1, 0.001, 0.002, 0.001])[0]);
    expect(r(decisionToAnomalyScore([-1, 1]))).toEqual([73.1, 26.9]);
  });

  it("rejects non-finite decisions and bad scales", () => {
    expect(() => decisionToAnomalyScore([0, NaN])).toThrow(DataError);
    expect(() => decisionToAnomalyScore([0], { scale: 0 })).toThrow(OptionError);
  });
});

describe("decisionScale (the fitted anomaly scale)", () => {
  it("is the robust spread, which the outliers do not inflate", () => {
    const d = [0.1, 0.12, 0.09, 0.11, 0.1, -0.2];
    expect(Math.round(decisionScale(d) * 1e4) / 1e4).toBe(0.0148);
    expect(r(decisionToAnomalyScore(d, { scale: decisionScale(d) }))).toEqual([0.1, 0, 0.2, 0.1, 0.1, 100]);
  });

  it("falls back to the standard deviation, then 1, for (nearly) constant input", () => {
    expect(decisionScale([1, 1, 1, 1, 5])).toBeCloseTo(1.6, 10);
    expect(decisionScale([2, 2, 2])).toBe(1);
    expect(decisionScale([])).toBe(1);
  });
});

describe("severityOf (Elastic's bands)", () => {
  it("maps 0 / 25 / 50 / 75 to warning / minor / major / critical", () => {
    expect([0, 24.9, 25, 49.9, 50, 74.9, 75, 100].map(severityOf)).toEqual([
      "warning", "warning", "minor", "minor", "major", "major", "critical", "critical",
    ]);
    expect(() => severityOf(101)).toThrow(DataError);
    expect(() => severityOf(NaN)).toThrow(DataError);
  });
});

describe("scores fixed at fit time", () => {
  const train = simulateBlobWithOutliers({ n: 300, d: 2, outlierFraction: 0.05, seed: 4 }).X;
  const query = simulateBlobWithOutliers({ n: 200, d: 2, outlierFraction: 0.1, seed: 9 }).X;
  const fast = detectorRegistry.filter((e) => e.name !== "autoencoder" && e.name !== "ml-iforest");

  it.each(fast.map((e) => [e.name] as const))("%s: a row's 0–100 score does not change with its batch", (name) => {
    const det = createDetector(name, { seed: 1, contamination: 0.05, ...(name === "lof" ? { novelty: true } : {}) }).fit(train);
    expect(det.anomalyScale).toBeGreaterThan(0);
    const all = fittedAnomalyScores(det, query);
    const quiet = fittedAnomalyScores(det, rows(query, 0, 20));
    const alone = fittedAnomalyScores(det, rows(query, 190, 191));
    expect(Array.from(quiet)).toEqual(Array.from(all.subarray(0, 20)));
    expect(alone[0]).toBe(all[190]);
  });

  it("findings carry the fitted score and its severity in any batch", () => {
    const det = createDetector("iforest", { seed: 1, contamination: 0.05 }).fit(train);
    const keys = Array.from({ length: query.rows }, (_, i) => ({ entity: `e${i}`, windowStart: 0 }));
    const all = findingsFromScores({ keys, scoredBy: [scoredByDetector(det, query)] });
    const worst = all[0];
    const i = Number(worst.entity.slice(1));
    const alone = findingsFromScores({ keys: [keys[i]], scoredBy: [scoredByDetector(det, rows(query, i, i + 1))] });
    expect(alone[0].anomalyScore).toBe(worst.anomalyScore);
    expect(worst.anomalyScore).toBeGreaterThan(50);
    expect(worst.severity).toBe(severityOf(worst.anomalyScore));
    expect(["major", "critical"]).toContain(worst.severity);
  });

  it("the response policy's tier of a window does not depend on the batch it was scored in", () => {
    const policy = loadPolicy("data/policy/default.json");
    const det = createDetector("iforest", { seed: 1, contamination: 0.05 }).fit(train);
    const keys = Array.from({ length: query.rows }, (_, i) => ({ entity: `e${i}`, windowStart: 0 }));
    const rule = (X: DenseMatrix, from: number) => ({ name: "rule", decision: Array.from({ length: X.rows }, (_, i) => ((from + i) % 2 ? -1 : 1)) });
    const all = findingsFromScores({ keys, scoredBy: [scoredByDetector(det, query), rule(query, 0)] });
    for (const f of all.slice(0, 5)) {
      const i = Number(f.entity.slice(1));
      const one = { data: query.data.slice(i * query.cols, (i + 1) * query.cols), rows: 1, cols: query.cols };
      const alone = findingsFromScores({ keys: [keys[i]], scoredBy: [scoredByDetector(det, one), rule(one, i)] })[0];
      expect(selectTier(alone, policy)?.name).toBe(selectTier(f, policy)?.name);
      expect(alone.anomalyScore).toBe(f.anomalyScore);
    }
  });
});
