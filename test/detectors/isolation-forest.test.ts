import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { averagePathLength, IsolationForest } from "../../src/detectors/isolation-forest";
import { DataError, NotFittedError, OptionError } from "../../src/errors";
import { rocAuc } from "../../src/eval/metrics";
import { simulateBlobWithOutliers, simulateLoginAttempts } from "../../src/simulate/samples";

const sk = JSON.parse(readFileSync(resolve(__dirname, "../fixtures/numpy-iforest-sklearn.json"), "utf8")) as {
  X: number[][];
  meanScore: number[];
  "offsetsContamination0.1": number[];
  averagePathLength: { n: number[]; c: number[] };
};

const round = (a: ArrayLike<number>, digits = 6): number[] => Array.from(a, (v) => Number(v.toFixed(digits)));
const tutorial = (): number[][] => simulateLoginAttempts().counts.map((c) => [c]);

describe("IsolationForest on the seed tutorial", () => {
  it("flags exactly minutes 50, 51, 52 (the spikes 30, 40, 50) with contamination 0.05 and seed 42", () => {
    const X = tutorial();
    const model = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
    const pred = model.predict(X);
    const flagged = Array.from(pred, (p, i) => (p === -1 ? i : -1)).filter((i) => i >= 0);
    expect(flagged).toEqual([50, 51, 52]);
    expect(flagged.map((i) => X[i][0])).toEqual([30, 40, 50]);
    expect(Array.from(pred).every((p) => p === 1 || p === -1)).toBe(true);
  });

  it("pins the seeded scores and offset", () => {
    const X = tutorial();
    const model = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
    const s = model.scoreSamples(X);
    expect(round([0, 1, 2, 50, 51, 52].map((i) => s[i]))).toEqual([-0.397638, -0.423478, -0.423478, -0.748869, -0.753271, -0.799529]);
    expect(Number(model.offset.toFixed(6))).toBe(-0.699859);
    expect(model.seed).toBe(42);
    expect(model.maxSamplesUsed).toBe(53);
    expect(model.nFeaturesIn).toBe(1);
  });
});

describe("IsolationForest semantics (scikit-learn's)", () => {
  const { X, y } = simulateBlobWithOutliers({ n: 400, d: 3, outlierFraction: 0.05, seed: 3 });

  it("scoreSamples == decisionFunction + offset; predict is the sign of decisionFunction", () => {
    const model = new IsolationForest({ contamination: 0.1, seed: 1 }).fit(X);
    const s = model.scoreSamples(X);
    const d = model.decisionFunction(X);
    const p = model.predict(X);
    for (let i = 0; i < s.length; i++) {
      expect(s[i]).toBeCloseTo(d[i] + model.offset, 12);
      expect(p[i]).toBe(d[i] < 0 ? -1 : 1);
      expect(s[i]).toBeLessThan(0);
      expect(s[i]).toBeGreaterThanOrEqual(-1);
    }
  });

  it("'auto' contamination gives offset -0.5; a number gives about that fraction flagged", () => {
    expect(new IsolationForest({ seed: 1 }).fit(X).offset).toBe(-0.5);
    const model = new IsolationForest({ contamination: 0.1, seed: 1 }).fit(X);
    const flagged = Array.from(model.predict(X)).filter((p) => p === -1).length;
    expect(flagged).toBe(40);
  });

  it("ranks outliers first: ROC AUC > 0.95 on a Gaussian blob with uniform outliers", () => {
    const s = new IsolationForest({ seed: 0 }).fit(X).scoreSamples(X);
    expect(rocAuc(y, Float64Array.from(s, (v) => -v))).toBeGreaterThan(0.95);
  });

  it("same seed gives identical scores; another seed gives different ones", () => {
    const a = new IsolationForest({ seed: 5 }).fit(X).scoreSamples(X);
    const b = new IsolationForest({ seed: 5 }).fit(X).scoreSamples(X);
    const c = new IsolationForest({ seed: 6 }).fit(X).scoreSamples(X);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("refit replaces all state: fit(A) then fit(B) equals a fresh fit(B)", () => {
    const other = simulateBlobWithOutliers({ n: 120, d: 2, seed: 9 }).X;
    const refit = new IsolationForest({ contamination: 0.05, seed: 2 }).fit(X).fit(other);
    const fresh = new IsolationForest({ contamination: 0.05, seed: 2 }).fit(other);
    expect(refit.nFeaturesIn).toBe(2);
    expect(refit.offset).toBe(fresh.offset);
    expect(refit.maxSamplesUsed).toBe(fresh.maxSamplesUsed);
    expect(refit.scoreSamples(other)).toEqual(fresh.scoreSamples(other));
  });

  it("accepts rows and DenseMatrix alike", () => {
    const rows: number[][] = [];
    for (let i = 0; i < X.rows; i++) rows.push(Array.from(X.data.subarray(i * 3, i * 3 + 3)));
    const model = new IsolationForest({ seed: 4 }).fit(X);
    expect(model.scoreSamples(rows)).toEqual(model.scoreSamples(X));
    expect(new IsolationForest({ seed: 4 }).fit(rows).scoreSamples(X)).toEqual(model.scoreSamples(X));
  });

  it("handles constant data and a single row without NaN", () => {
    const constant = Array.from({ length: 30 }, () => [3, 3]);
    const model = new IsolationForest({ contamination: 0.1, seed: 0 }).fit(constant);
    const s = model.scoreSamples(constant);
    expect(Array.from(s).every((v) => Number.isFinite(v))).toBe(true);
    expect(new Set(s).size).toBe(1);
    expect(Array.from(model.predict(constant)).every((p) => p === 1)).toBe(true);
    const one = new IsolationForest({ seed: 0 }).fit([[1, 2]]);
    expect(Array.from(one.scoreSamples([[1, 2], [5, 5]]))).toEqual([-0.5, -0.5]);
  });

  it("maxSamples, maxFeatures and bootstrap change the forest as documented", () => {
    expect(new IsolationForest({ maxSamples: 0.5 }).fit(X).maxSamplesUsed).toBe(200);
    expect(new IsolationForest({ maxSamples: 1000 }).fit(X).maxSamplesUsed).toBe(400);
    expect(new IsolationForest({ maxSamples: 64 }).fit(X).maxSamplesUsed).toBe(64);
    expect(new IsolationForest({ maxSamples: 1 }).fit(X).maxSamplesUsed).toBe(400);
    expect(new IsolationForest({ maxFeatures: 0.5 }).fit(X).maxFeaturesUsed).toBe(1);
    expect(new IsolationForest({ maxFeatures: 2 }).fit(X).maxFeaturesUsed).toBe(2);
    for (const options of [{ maxFeatures: 0.34 }, { bootstrap: true }, { maxSamples: 32 }]) {
      const s = new IsolationForest({ seed: 0, ...options }).fit(X).scoreSamples(X);
      expect(rocAuc(y, Float64Array.from(s, (v) => -v))).toBeGreaterThan(0.9);
    }
  });
});

describe("IsolationForest against scikit-learn 1.2.1 (fixture from scripts/gen-numpy-fixtures.py)", () => {
  it("c(n) equals _average_path_length (to the last bit or two: NumPy's vectorised log is not correctly rounded)", () => {
    const { n, c } = sk.averagePathLength;
    n.forEach((v, i) => expect(Math.abs(averagePathLength(v) - c[i])).toBeLessThanOrEqual(4e-15 * Math.max(1, c[i])));
  });

  it("mean scores over 10 seeds agree row by row within 0.02 and on average within 0.005", () => {
    const n = sk.X.length;
    const mean = new Float64Array(n);
    for (let seed = 0; seed < 10; seed++) {
      new IsolationForest({ seed }).fit(sk.X).scoreSamples(sk.X).forEach((v, i) => (mean[i] += v / 10));
    }
    let maxDiff = 0;
    let sumDiff = 0;
    for (let i = 0; i < n; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(mean[i] - sk.meanScore[i]));
      sumDiff += mean[i] - sk.meanScore[i];
    }
    expect(maxDiff).toBeLessThan(0.02);
    expect(Math.abs(sumDiff / n)).toBeLessThan(0.005);
  });

  it("contamination 0.1 offsets agree on average within 0.01", () => {
    const ours = Array.from({ length: 10 }, (_, seed) => new IsolationForest({ seed, contamination: 0.1 }).fit(sk.X).offset);
    const mean = (a: number[]): number => a.reduce((x, v) => x + v, 0) / a.length;
    expect(Math.abs(mean(ours) - mean(sk["offsetsContamination0.1"]))).toBeLessThan(0.01);
  });
});

describe("IsolationForest errors say how to fix them", () => {
  it("validates options at construction", () => {
    expect(() => new IsolationForest({ contamination: 0.7 })).toThrow(
      "Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7",
    );
    expect(() => new IsolationForest({ nEstimators: 0 })).toThrow("Expected `nEstimators` to be a positive integer, got 0");
    expect(() => new IsolationForest({ maxSamples: 2.5 })).toThrow(OptionError);
    expect(() => new IsolationForest({ maxSamples: "all" as never })).toThrow("got 'all'");
    expect(() => new IsolationForest({ maxFeatures: 0 })).toThrow(OptionError);
    expect(() => new IsolationForest({ bootstrap: "yes" as never })).toThrow(OptionError);
    expect(() => new IsolationForest({ seed: -1 })).toThrow(OptionError);
  });

  it("rejects data that cannot be used", () => {
    expect(() => new IsolationForest().fit([])).toThrow(DataError);
    expect(() => new IsolationForest().fit([[1, Number.NaN]])).toThrow("got NaN at row 0, column 1");
    expect(() => new IsolationForest({ maxFeatures: 3 }).fit([[1, 2]])).toThrow("at most the 2 features");
    expect(() => new IsolationForest({ maxSamples: 0.01 }).fit([[1], [2]])).toThrow("draws no row");
    const model = new IsolationForest().fit([[1, 2], [3, 4]]);
    expect(() => model.scoreSamples([[1, 2, 3]])).toThrow("Expected 2 features (as seen by IsolationForest.fit), got 3");
    expect(() => model.predict([[1, Number.POSITIVE_INFINITY]])).toThrow(DataError);
  });

  it("refuses use before fit", () => {
    const model = new IsolationForest();
    expect(() => model.predict([[1]])).toThrow(NotFittedError);
    expect(() => model.scoreSamples([[1]])).toThrow("IsolationForest is not fitted yet: call fit(X) first");
    expect(() => model.offset).toThrow(NotFittedError);
  });
});
