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
    // MAD 0: 1.253314 × the mean absolute deviation from the median (1/3), as the modified z-score does.
    expect(why.features[0].deviation).toBeCloseTo(39 / (1.253314 / 3), 10);
    expect(why.features[1]).toMatchObject({ actual: 1, typical: 1, deviation: 0 });
  });

  it("sparse counts (MAD 0): one huge outlier in the reference does not make a small burst look ordinary (new-user trial T16)", () => {
    // 95 quiet windows, four with 1–3 failures and a brute force of 332: the standard deviation (~34) made a
    // scanner's 3 failures "0.09 deviations" from typical; the mean absolute deviation keeps it visible.
    const counts = [...Array(95).fill(0), 1, 2, 3, 1, 332];
    const reference = counts.map((c) => [c]);
    const [scanner] = actualVsTypical({ X: [[3]], rows: [0], reference });
    const meanAd = counts.reduce((a, c) => a + c, 0) / counts.length;
    expect(scanner.features[0]).toMatchObject({ actual: 3, typical: 0 });
    expect(scanner.features[0].deviation).toBeCloseTo(3 / (1.253314 * meanAd), 10);
    expect(scanner.features[0].deviation).toBeGreaterThan(0.5);
    // A constant reference: deviation is the plain difference (spread 1).
    expect(actualVsTypical({ X: [[5]], rows: [0], reference: [[2], [2], [2]] })[0].features[0].deviation).toBe(3);
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
