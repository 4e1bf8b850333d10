import { describe, expect, it } from "vitest";
import { DataError, NotFittedError, OptionError } from "../../src/errors";
import { ROBUST_Z_CAP, RobustZScore } from "../../src/detectors/robust-zscore";

describe("RobustZScore", () => {
  it("computes 0.6745·(x − median)/MAD per feature", () => {
    // median 10, |dev| = [0, 1, 1, 0, 2, 0] → MAD 0.5
    const rz = new RobustZScore().fit([[10], [11], [9], [10], [12], [10]]);
    expect(Array.from(rz.medians)).toEqual([10]);
    expect(Array.from(rz.zScores([[11], [7]])).map((v) => +v.toFixed(6))).toEqual([1.349, -4.047]);
    expect(Array.from(rz.scoreSamples([[11], [7]])).map((v) => +v.toFixed(6))).toEqual([-1.349, -4.047]);
    expect(rz.offset).toBe(-3.5);
    expect(Array.from(rz.predict([[10], [30]]))).toEqual([1, -1]);
  });
  it("falls back to 1.253314 · mean absolute deviation when MAD is 0", () => {
    // median 5, MAD 0 (4 of 5 equal), mean |dev| = 10/5 = 2
    const rz = new RobustZScore().fit([[5], [5], [5], [5], [15]]);
    expect(+rz.zScores([[9]])[0].toFixed(6)).toBe(+(4 / (1.253314 * 2)).toFixed(6));
  });
  it("treats a constant feature as z = 0, and a differing value as large but finite", () => {
    const rz = new RobustZScore().fit([[3, 1], [3, 2], [3, 3]]);
    const z = rz.zScores([[3, 2], [4, 2], [1e308, 2]]);
    expect(z[0]).toBe(0);
    expect(z[2]).toBeGreaterThan(1e6);
    expect(z[4]).toBe(ROBUST_Z_CAP);
    expect(Array.from(rz.scoreSamples([[3, 2], [4, 2]])).every(Number.isFinite)).toBe(true);
  });
  it("combines features by max or rms", () => {
    const X = [[0, 0], [1, 2], [2, 4], [3, 6], [4, 8]]; // medians 2, 4; MADs 1, 2
    const max = new RobustZScore().fit(X).scoreSamples([[3, 8]]);
    const rms = new RobustZScore({ combine: "rms" }).fit(X).scoreSamples([[3, 8]]);
    // z = 0.6745·[1, 2]
    expect(+max[0].toFixed(6)).toBe(-1.349);
    expect(+rms[0].toFixed(6)).toBe(+(-0.6745 * Math.sqrt(2.5)).toFixed(6));
  });
  it("re-thresholds with a numeric contamination", () => {
    const X = Array.from({ length: 100 }, (_, i) => [i % 10 === 0 ? 100 + i : i % 7]);
    const rz = new RobustZScore({ contamination: 0.1 }).fit(X);
    expect(Array.from(rz.predict(X)).filter((v) => v === -1).length).toBe(10);
  });
  it("gives clear errors", () => {
    expect(() => new RobustZScore({ combine: "sum" as "max" })).toThrow(OptionError);
    expect(() => new RobustZScore().scoreSamples([[1]])).toThrow(NotFittedError);
    expect(() => new RobustZScore().fit([[1, 2]]).scoreSamples([[1]])).toThrow(DataError);
    expect(() => new RobustZScore().fit([[NaN]])).toThrow(/finite/);
  });
});
