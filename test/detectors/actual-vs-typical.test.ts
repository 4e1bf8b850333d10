import { describe, expect, it } from "vitest";
import { actualVsTypical } from "../../src/detectors/actual-vs-typical";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { DataError, OptionError } from "../../src/errors";
import { RandomState } from "../../src/random";

describe("actualVsTypical", () => {
  it("puts each value beside the reference median, ordered by deviation", () => {
    const [why] = actualVsTypical({ X: [[40, 1]], rows: [0], reference: [[1, 1], [2, 1], [1, 2]], featureNames: ["count", "users"] });
    expect(why.features.map((f) => f.feature)).toEqual(["count", "users"]);
    expect(why.features[0]).toMatchObject({ column: 0, actual: 40, typical: 1 });
    expect(why.features[0].deviation).toBeCloseTo(39 / Math.sqrt(2 / 9), 10); // MAD 0: the standard deviation
    expect(why.features[1]).toMatchObject({ actual: 1, typical: 1, deviation: 0 });
  });

  it("orders by the Isolation Forest's attribution when given: the feature that isolated the row first", () => {
    const rng = new RandomState(2);
    const X = Array.from({ length: 200 }, () => [rng.normal(), rng.normal() * 10]);
    X.push([0, 120]); // far out on feature 1 only
    const forest = new IsolationForest({ seed: 0, contamination: 0.01 }).fit(X);
    const [why] = actualVsTypical({ X, rows: [200], reference: X, attribution: forest.featureAttribution(X) });
    expect(why.features[0].column).toBe(1);
    expect(why.features[0].share).toBeGreaterThan(0.8);
    expect(why.features.reduce((s, f) => s + (f.share ?? 0), 0)).toBeCloseTo(1, 12);
  });

  it("rejects mismatched shapes and rows with the fix", () => {
    expect(() => actualVsTypical({ X: [[1, 2]], rows: [0], reference: [[1]] })).toThrow(DataError);
    expect(() => actualVsTypical({ X: [[1, 2]], rows: [3], reference: [[1, 2]] })).toThrow(/Row 3 is outside X's 1 rows/);
    expect(() => actualVsTypical({ X: [[1, 2]], rows: [0], reference: [[1, 2]], featureNames: ["a"] })).toThrow(OptionError);
    expect(() => actualVsTypical({ X: [[1, 2]], rows: [0], reference: [[1, 2]], attribution: { data: new Float64Array(1), rows: 1, cols: 1 } })).toThrow(/attribute the same rows/);
  });
});
