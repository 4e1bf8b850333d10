import { describe, expect, it } from "vitest";
import { DataError, NotFittedError, OptionError } from "../../src/errors";
import { nextDoubleUp, ThresholdRule } from "../../src/detectors/threshold-rule";

describe("ThresholdRule", () => {
  const X = [[1, 0], [3, 5], [8, 1], [9, 0], [2, 2], [7.9999, 0]];
  it("flags value ≥ threshold with contamination 'auto' (the row at the threshold included)", () => {
    const rule = new ThresholdRule({ column: 0, threshold: 8 }).fit(X);
    expect(Array.from(rule.predict(X))).toEqual([1, 1, -1, -1, 1, 1]);
    expect(Array.from(rule.scoreSamples(X))).toEqual([-1, -3, -8, -9, -2, -7.9999]);
    expect(rule.offset).toBe(nextDoubleUp(-8));
    expect(rule.decisionFunction([[8, 0]])[0]).toBeLessThan(0);
  });
  it("reads the chosen column, and a numeric contamination takes the top fraction", () => {
    const rule = new ThresholdRule({ column: 1, contamination: 2 / 6 }).fit(X);
    expect(Array.from(rule.predict(X))).toEqual([1, -1, 1, 1, -1, 1]);
  });
  it("nextDoubleUp returns the adjacent double", () => {
    expect(nextDoubleUp(-8)).toBe(-7.999999999999999);
    expect(nextDoubleUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDoubleUp(0)).toBe(Number.MIN_VALUE);
  });
  it("gives clear errors", () => {
    expect(() => new ThresholdRule({ column: -1 })).toThrow(OptionError);
    expect(() => new ThresholdRule({ threshold: NaN })).toThrow(/finite number/);
    expect(() => new ThresholdRule({ column: 3 }).fit(X)).toThrow(/column 3, but X has 2 feature/);
    expect(() => new ThresholdRule().predict(X)).toThrow(NotFittedError);
    expect(() => new ThresholdRule().fit(X).predict([[1]])).toThrow(DataError);
  });
});
