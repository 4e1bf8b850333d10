import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DataError, NotFittedError, OptionError } from "../../src/errors";
import { BaseDetector, type FittedModel, checkFeatureCount, offsetFromContamination, predictFromDecision, requireFitted, subtractOffset, validateContamination, validatePositiveInteger, validateSeed } from "../../src/detectors/base";
import type { DetectorOptions } from "../../src/detectors/types";
import { percentile } from "../../src/percentile";
import { type DenseMatrix, toDense } from "../../src/matrix";

const fixture = JSON.parse(readFileSync(resolve(__dirname, "../fixtures/numpy-percentile.json"), "utf8")) as {
  cases: { values: number[]; q: number[]; percentile: number[] }[];
};

describe("toDense", () => {
  it("accepts plain rows, typed-array rows and DenseMatrix (not copied)", () => {
    expect(toDense([[1, 2], [3, 4]])).toEqual({ data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2 });
    expect(toDense([Float32Array.of(1, 2), Int32Array.of(3, 4)]).data).toEqual(Float64Array.of(1, 2, 3, 4));
    const m = { data: Float64Array.of(1, 2, 3), rows: 3, cols: 1 };
    expect(toDense(m).data).toBe(m.data);
  });

  it("rejects empty input, ragged rows, inconsistent shapes", () => {
    expect(() => toDense([])).toThrow("Expected `X` to have at least one row and one column, got 0 × 0");
    expect(() => toDense([[]])).toThrow(DataError);
    expect(() => toDense([[1, 2], [3]], "train")).toThrow("Expected every row of `train` to have 2 values (as row 0), row 1 has 1");
    expect(() => toDense({ data: new Float64Array(5), rows: 2, cols: 2 })).toThrow("rows × cols = 2 × 2 values, got 5");
  });

  it("names the row and column of NaN and infinities", () => {
    expect(() => toDense([[1, 2], [3, Number.NaN]])).toThrow("got NaN at row 1, column 1");
    expect(() => toDense([[Number.NEGATIVE_INFINITY, 2]])).toThrow("got -Infinity at row 0, column 0");
    expect(() => toDense({ data: Float64Array.of(0, 0, Infinity), rows: 3, cols: 1 })).toThrow("at row 2, column 0");
  });
});

describe("validation helpers", () => {
  it("contamination: 'auto' or (0, 0.5] with a fix-it message", () => {
    expect(validateContamination("auto")).toBe("auto");
    expect(validateContamination(0.5)).toBe(0.5);
    expect(() => validateContamination(0.7)).toThrow("Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7");
    for (const bad of [0, -0.1, Number.NaN]) expect(() => validateContamination(bad)).toThrow(OptionError);
    expect(() => validateContamination("0.1" as never)).toThrow("got '0.1'");
  });

  it("seed, positive integers, feature count, fitted state", () => {
    expect(validateSeed(7)).toBe(7);
    expect(() => validateSeed(-3)).toThrow(OptionError);
    expect(() => validatePositiveInteger("nEstimators", 0)).toThrow("Expected `nEstimators` to be a positive integer, got 0");
    expect(() => checkFeatureCount(2, 3, "IsolationForest")).toThrow("Expected 3 features (as seen by IsolationForest.fit), got 2");
    expect(() => requireFitted(null, "IsolationForest")).toThrow(NotFittedError);
    expect(() => requireFitted(null, "IsolationForest")).toThrow("IsolationForest is not fitted yet: call fit(X) first");
    expect(requireFitted({ a: 1 }, "x")).toEqual({ a: 1 });
  });
});

describe("percentile and offsets", () => {
  it("equals np.percentile (linear) on NumPy's own outputs", () => {
    for (const c of fixture.cases) {
      expect(c.q.map((q) => percentile(c.values, q))).toEqual(c.percentile);
    }
  });

  it("offsetFromContamination is the 100·c percentile", () => {
    expect(offsetFromContamination([-0.7, -0.5, -0.45, -0.44, -0.4], 0.25)).toBe(-0.5);
    expect(percentile([5, 1, 3], 100)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(() => percentile([], 5)).toThrow(DataError);
    expect(() => percentile([1], 101)).toThrow(OptionError);
  });

  it("predict and decision helpers follow scikit-learn's signs", () => {
    expect(Array.from(predictFromDecision([-0.1, 0, 0.2]))).toEqual([-1, 1, 1]);
    expect(Array.from(subtractOffset([-0.6, -0.4], -0.5)).map((v) => Number(v.toFixed(12)))).toEqual([-0.1, 0.1]);
  });
});

describe("BaseDetector", () => {
  // The doc comment's example: one column, score = -|x|, 'auto' offset -3.
  class MaxAbs extends BaseDetector<FittedModel> {
    readonly name = "max-abs";
    constructor(options: DetectorOptions = {}) {
      super("MaxAbs", options);
    }
    protected override fitModel(X: DenseMatrix): FittedModel {
      return { nFeaturesIn: X.cols };
    }
    protected override scoreModel(_m: FittedModel, X: DenseMatrix): Float64Array {
      return X.data.map((v) => -Math.abs(v));
    }
    protected override autoOffset(): number {
      return -3;
    }
  }

  it("runs the doc example: autoOffset for 'auto', sign relations, options validated", () => {
    const det = new MaxAbs().fit([[0], [1], [9]]);
    expect(det.predict([[1], [5]])).toEqual(Int8Array.of(1, -1));
    expect(det.offset).toBe(-3);
    expect(det.nFeaturesIn).toBe(1);
    expect(det.decisionFunction([[5]])).toEqual(Float64Array.of(-2));
    expect(det.seed).toBe(0);
    expect(det.contamination).toBe("auto");
    expect(() => new MaxAbs({ contamination: 0.7 })).toThrow(OptionError);
    expect(() => new MaxAbs({ seed: -1 })).toThrow(OptionError);
  });

  it("takes the contamination percentile of the training scores, names itself when unfitted, checks features", () => {
    const det = new MaxAbs({ contamination: 0.25 });
    expect(() => det.offset).toThrow("MaxAbs is not fitted yet: call fit(X) first");
    expect(() => det.scoreSamples([[1]])).toThrow(NotFittedError);
    det.fit([[0], [1], [2], [3], [8]]);
    expect(det.offset).toBe(percentile([-0, -1, -2, -3, -8], 25));
    expect(() => det.scoreSamples([[1, 2]])).toThrow("Expected 1 features (as seen by MaxAbs.fit), got 2");
    expect(() => det.fit([[1], [Number.NaN]])).toThrow(DataError);
    expect(() => det.offset).toThrow(NotFittedError); // a failed refit leaves no stale model behind
  });
});
