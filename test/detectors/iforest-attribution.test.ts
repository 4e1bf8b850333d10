import { describe, expect, it } from "vitest";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { RandomState } from "../../src/random";

/** 300 rows of a 3-feature standard normal blob (feature 2 constant), seeded. */
function blob(): number[][] {
  const rng = new RandomState(7);
  return Array.from({ length: 300 }, () => [rng.normal(), rng.normal(), 5]);
}
const row = (m: { data: Float64Array; cols: number }, i: number) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));

describe("IsolationForest.featureAttribution (path-based)", () => {
  const X = blob();
  for (const treeBuilder of ["fast", "sklearn"] as const) {
    it(`${treeBuilder}: credits the feature an outlier is far out on, sums to 1, gives a constant feature 0`, () => {
      const forest = new IsolationForest({ seed: 3, treeBuilder }).fit(X);
      const a = forest.featureAttribution([[9, 0, 5], [0, -9, 5], [0.1, 0.2, 5]]);
      const [far0, far1, inlier] = [row(a, 0), row(a, 1), row(a, 2)];
      for (const r of [far0, far1, inlier]) expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(far0[0]).toBeGreaterThan(0.8);
      expect(far1[1]).toBeGreaterThan(0.8);
      for (const r of [far0, far1, inlier]) expect(r[2]).toBe(0);
      // An inlier is cut off by both features alike.
      expect(Math.abs(inlier[0] - inlier[1])).toBeLessThan(0.25);
    });
  }

  it("gives all zeros when no tree splits (constant data)", () => {
    const forest = new IsolationForest({ seed: 0 }).fit(Array.from({ length: 50 }, () => [1, 2]));
    expect(Array.from(forest.featureAttribution([[1, 2], [3, 4]]).data)).toEqual([0, 0, 0, 0]);
  });
});
