import { describe, expect, it } from "vitest";
import { MlIsolationForest } from "../../src/detectors/ml-isolation-forest";
import { DataError, NotFittedError } from "../../src/errors";
import { rocAuc } from "../../src/eval/metrics";
import { RandomState } from "../../src/random";
import { simulateBlobWithOutliers, simulateLoginAttempts } from "../../src/simulate/samples";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ml = require("ml-isolation-forest") as {
  IsolationForest: new (o: { nEstimators: number }) => { train(X: number[][]): void; predict(X: number[][]): number[] };
};

const tutorial = (): number[][] => simulateLoginAttempts().counts.map((c) => [c]);

describe("MlIsolationForest (the ml-isolation-forest package behind the contract)", () => {
  it("flags the tutorial's spikes, minutes 50, 51, 52, with contamination 0.05", () => {
    const X = tutorial();
    const pred = new MlIsolationForest({ contamination: 0.05, seed: 42 }).fit(X).predict(X);
    expect(Array.from(pred, (p, i) => (p === -1 ? i : -1)).filter((i) => i >= 0)).toEqual([50, 51, 52]);
  });

  it("scores are minus the package's scores, with Math.random seeded during train", () => {
    const X = tutorial();
    const ours = new MlIsolationForest({ nEstimators: 20, seed: 7 }).fit(X).scoreSamples(X);
    const rs = new RandomState(7);
    const original = Math.random;
    Math.random = () => rs.rand();
    const pkg = new ml.IsolationForest({ nEstimators: 20 });
    try {
      pkg.train(X);
    } finally {
      Math.random = original;
    }
    expect(Array.from(ours)).toEqual(pkg.predict(X).map((v) => -v));
  });

  it("restores Math.random and is deterministic by seed", () => {
    const before = Math.random;
    const X = simulateBlobWithOutliers({ n: 150, d: 2, seed: 1 }).X;
    const a = new MlIsolationForest({ nEstimators: 30, seed: 3 }).fit(X).scoreSamples(X);
    expect(Math.random).toBe(before);
    expect(new MlIsolationForest({ nEstimators: 30, seed: 3 }).fit(X).scoreSamples(X)).toEqual(a);
    expect(new MlIsolationForest({ nEstimators: 30, seed: 4 }).fit(X).scoreSamples(X)).not.toEqual(a);
  });

  it("builds a fresh model per fit (the package alone keeps its old trees)", () => {
    const A = simulateBlobWithOutliers({ n: 100, d: 2, seed: 1 }).X;
    const B = simulateBlobWithOutliers({ n: 80, d: 2, seed: 2 }).X;
    const refit = new MlIsolationForest({ nEstimators: 25, seed: 5, contamination: 0.1 }).fit(A).fit(B);
    const fresh = new MlIsolationForest({ nEstimators: 25, seed: 5, contamination: 0.1 }).fit(B);
    expect(refit.scoreSamples(B)).toEqual(fresh.scoreSamples(B));
    expect(refit.offset).toBe(fresh.offset);
  });

  it("ranks outliers first (ROC AUC > 0.9) and keeps the sign relations", () => {
    const { X, y } = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 3 });
    const model = new MlIsolationForest({ nEstimators: 50, seed: 0, contamination: 0.05 }).fit(X);
    const s = model.scoreSamples(X);
    expect(rocAuc(y, Float64Array.from(s, (v) => -v))).toBeGreaterThan(0.9);
    const d = model.decisionFunction(X);
    s.forEach((v, i) => expect(v).toBeCloseTo(d[i] + model.offset, 12));
    expect(new MlIsolationForest().fit(X).offset).toBe(-0.5);
  });

  it("handles a single training row and constant data without NaN", () => {
    expect(Array.from(new MlIsolationForest().fit([[4, 2]]).scoreSamples([[4, 2], [0, 0]]))).toEqual([-0.5, -0.5]);
    const constant = Array.from({ length: 20 }, () => [1, 1]);
    const s = new MlIsolationForest({ nEstimators: 10, contamination: 0.1 }).fit(constant).scoreSamples(constant);
    expect(Array.from(s).every(Number.isFinite)).toBe(true);
  });

  it("has clear errors", () => {
    expect(() => new MlIsolationForest({ contamination: 0.7 })).toThrow(
      "Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7",
    );
    expect(() => new MlIsolationForest().scoreSamples([[1]])).toThrow(NotFittedError);
    expect(() => new MlIsolationForest().scoreSamples([[1]])).toThrow("MlIsolationForest is not fitted yet: call fit(X) first");
    expect(() => new MlIsolationForest().fit([[Number.NaN]])).toThrow(DataError);
    const m = new MlIsolationForest({ nEstimators: 5 }).fit([[1, 2], [2, 3]]);
    expect(() => m.predict([[1]])).toThrow("Expected 2 features (as seen by MlIsolationForest.fit), got 1");
  });
});
