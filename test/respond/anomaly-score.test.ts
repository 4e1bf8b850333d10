import { describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { ANOMALY_SCORE_THRESHOLD, decisionScale, decisionToAnomalyScore } from "../../src/respond/anomaly-score";

const r = (a: ArrayLike<number>) => Array.from(a, (x) => Math.round(x * 10) / 10);

describe("decisionToAnomalyScore", () => {
  it("puts the threshold at 50 and is monotone decreasing in the decision value", () => {
    expect(r(decisionToAnomalyScore([0, -1, 1, -2, -3], { scale: 1 }))).toEqual([50, 73.1, 26.9, 88.1, 95.3]);
    expect(ANOMALY_SCORE_THRESHOLD).toBe(50);
  });

  it("scales by the robust spread of the batch, which the outliers do not inflate", () => {
    const d = [0.1, 0.12, 0.09, 0.11, 0.1, -0.2];
    expect(Math.round(decisionScale(d) * 1e4) / 1e4).toBe(0.0148);
    const s = decisionToAnomalyScore(d);
    expect(r(s)).toEqual([0.1, 0, 0.2, 0.1, 0.1, 100]);
  });

  it("falls back to the standard deviation, then 1, for (nearly) constant input", () => {
    expect(decisionScale([1, 1, 1, 1, 5])).toBeCloseTo(1.6, 10);
    expect(decisionScale([2, 2, 2])).toBe(1);
    expect(decisionScale([])).toBe(1);
  });

  it("rejects non-finite decisions and bad scales", () => {
    expect(() => decisionToAnomalyScore([0, NaN])).toThrow(DataError);
    expect(() => decisionToAnomalyScore([0], { scale: 0 })).toThrow(OptionError);
  });
});
