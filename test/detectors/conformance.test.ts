/**
 * The detector contract, checked for EVERY detector in the registry (a new registry entry is checked
 * automatically). Detectors may declare exceptions in their entry's `capabilities`, with the reason.
 */
import { describe, expect, it } from "vitest";
import { detectorRegistry, type RegisteredDetector } from "../../src/detectors/registry";
import type { Detector } from "../../src/detectors/types";
import { DataError, NotFittedError } from "../../src/errors";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";
import type { DenseMatrix } from "../../src/matrix";

const D = 3;

function data(entry: RegisteredDetector, seed = 11): DenseMatrix {
  const n = entry.capabilities?.conformanceRows ?? 200;
  return simulateBlobWithOutliers({ n, d: D, outlierFraction: 0.05, seed }).X;
}

function rowsOf(X: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.rows; i++) out.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
  return out;
}

function expectSignRelations(det: Detector, X: DenseMatrix): Float64Array {
  const s = det.scoreSamples(X);
  const d = det.decisionFunction(X);
  const p = det.predict(X);
  expect(s.length).toBe(X.rows);
  expect(Number.isFinite(det.offset)).toBe(true);
  for (let i = 0; i < X.rows; i++) {
    expect(Number.isFinite(s[i])).toBe(true);
    expect(Math.abs(s[i] - (d[i] + det.offset))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s[i])));
    expect(p[i]).toBe(d[i] < 0 ? -1 : 1);
  }
  return s;
}

describe.each(detectorRegistry.map((e) => [e.name, e] as const))("detector %s follows the contract", (_name, entry) => {
  const X = data(entry);
  const n = X.rows;

  it("has its registry name and records nFeaturesIn", () => {
    const det = entry.create({ seed: 0 }).fit(X);
    expect(det.name).toBe(entry.name);
    expect(det.nFeaturesIn).toBe(D);
  });

  it("keeps scikit-learn's sign relations: score = decision + offset, predict = sign(decision)", () => {
    expectSignRelations(entry.create({ seed: 0, contamination: 0.1 }).fit(X), X);
    expectSignRelations(entry.create({ seed: 0 }).fit(X), X);
  });

  for (const c of [0.05, 0.1]) {
    it(`flags about ${c * 100}% of the training rows with contamination ${c}`, () => {
      const det = entry.create({ seed: 0, contamination: c }).fit(X);
      const s = det.scoreSamples(X);
      const flagged = Array.from(det.predict(X)).filter((p) => p === -1).length;
      if (entry.capabilities?.contaminationPercentile ?? true) {
        // Offset = np.percentile(training scores, 100c), interpolated between sorted scores k and k+1:
        // at most k+1 rows score below it, at least k+1 at or below it (more only through ties).
        const k = Math.floor(c * (n - 1));
        const atOrBelow = Array.from(s).filter((v) => v <= det.offset).length;
        expect(flagged).toBeLessThanOrEqual(k + 1);
        expect(atOrBelow).toBeGreaterThanOrEqual(k + 1);
      } else {
        expect(flagged).toBeLessThanOrEqual(Math.ceil(2 * c * n) + 1);
      }
    });
  }

  it("gives identical output for the same seed", () => {
    const a = entry.create({ seed: 3, contamination: 0.1 }).fit(X);
    const b = entry.create({ seed: 3, contamination: 0.1 }).fit(X);
    expect(b.scoreSamples(X)).toEqual(a.scoreSamples(X));
    expect(b.offset).toBe(a.offset);
    expect(b.predict(X)).toEqual(a.predict(X));
  });

  it("replaces all state on refit: fit(A).fit(B) equals a fresh fit(B)", () => {
    const other = simulateBlobWithOutliers({ n: Math.max(40, Math.floor(n / 2)), d: 2, outlierFraction: 0.05, seed: 5 }).X;
    const refit = entry.create({ seed: 2, contamination: 0.1 }).fit(X).fit(other);
    const fresh = entry.create({ seed: 2, contamination: 0.1 }).fit(other);
    expect(refit.nFeaturesIn).toBe(2);
    expect(refit.offset).toBe(fresh.offset);
    expect(refit.scoreSamples(other)).toEqual(fresh.scoreSamples(other));
  });

  it("accepts plain rows and DenseMatrix alike", () => {
    const det = entry.create({ seed: 0 }).fit(X);
    expect(det.scoreSamples(rowsOf(X))).toEqual(det.scoreSamples(X));
  });

  it("throws NotFittedError before fit", () => {
    const det = entry.create({ seed: 0 });
    expect(() => det.scoreSamples(X)).toThrow(NotFittedError);
    expect(() => det.decisionFunction(X)).toThrow(NotFittedError);
    expect(() => det.predict(X)).toThrow(NotFittedError);
    expect(() => det.scoreSamples(X)).toThrow(/not fitted yet: call fit\(X\) first/);
  });

  it("rejects a wrong feature count, empty input, NaN and Infinity with DataError", () => {
    const det = entry.create({ seed: 0 }).fit(X);
    expect(() => det.scoreSamples([[1, 2]])).toThrow(DataError);
    expect(() => det.predict([[1, 2, 3, 4]])).toThrow(DataError);
    expect(() => det.scoreSamples([])).toThrow(DataError);
    expect(() => entry.create({ seed: 0 }).fit([])).toThrow(DataError);
    expect(() => det.scoreSamples([[1, Number.NaN, 3]])).toThrow(DataError);
    expect(() => det.predict([[1, 2, Number.POSITIVE_INFINITY]])).toThrow(DataError);
    const bad = rowsOf(X);
    bad[7][1] = Number.NaN;
    expect(() => entry.create({ seed: 0 }).fit(bad)).toThrow(/row 7, column 1/);
    bad[7][1] = Number.NEGATIVE_INFINITY;
    expect(() => entry.create({ seed: 0 }).fit(bad)).toThrow(DataError);
  });

  it("survives constant data: no crash, no NaN scores", () => {
    const constant = Array.from({ length: 40 }, () => [2, -1, 0.5]);
    for (const contamination of ["auto", 0.1] as const) {
      const det = entry.create({ seed: 0, contamination }).fit(constant);
      const s = det.scoreSamples(constant);
      expect(Array.from(s).every((v) => Number.isFinite(v))).toBe(true);
      expect(Array.from(det.predict(constant)).every((p) => p === 1 || p === -1)).toBe(true);
      expect(Array.from(det.scoreSamples([[2, -1, 0.5], [9, 9, 9]])).every((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it("accepts contamination 'auto' and rejects 0.7 with the fix-it message", () => {
    expect(Number.isFinite(entry.create({ seed: 0, contamination: "auto" }).fit(X).offset)).toBe(true);
    expect(() => entry.create({ seed: 0, contamination: 0.7 }).fit(X)).toThrow(
      "Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7",
    );
  });
});
