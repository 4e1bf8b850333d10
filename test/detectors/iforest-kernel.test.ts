import { describe, expect, it } from "vitest";
import { ForestKernel } from "../../src/detectors/iforest-kernel";
import { IsolationForest, type IsolationForestOptions } from "../../src/detectors/isolation-forest";
import { OptionError } from "../../src/errors";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";

describe("WebAssembly scoring kernel", () => {
  it("assembles, compiles and instantiates", () => {
    const kernel = ForestKernel.create({
      feature: Int32Array.of(0, -1, -1),
      threshold: Float64Array.of(0.5, 0, 0),
      children: Int32Array.of(1, 0, 0),
      value: Float64Array.of(0, 1, 2),
      roots: Int32Array.of(0),
      depth: 1,
    });
    expect(kernel).not.toBeNull();
    const out = new Float64Array(3);
    kernel?.pathLengthSums(Float64Array.of(0.2, 0.5, 0.9), 3, 1, out);
    expect(Array.from(out)).toEqual([1, 1, 2]); // <= 0.5 goes left (value 1), > 0.5 right (value 2)
  });

  const cases: [string, number, number, IsolationForestOptions][] = [
    ["1 feature", 3000, 1, {}],
    ["10 features, several blocks", 9000, 10, { nEstimators: 30 }],
    ["120 features, small blocks", 600, 120, { nEstimators: 20, maxFeatures: 0.5 }],
    ["all rows per tree (deeper trees)", 700, 3, { maxSamples: 1.0, nEstimators: 20 }],
    ["bootstrap", 500, 2, { bootstrap: true, nEstimators: 20 }],
  ];
  for (const [what, n, d, options] of cases) {
    it(`gives bit-identical scores to the JavaScript engine: ${what}`, () => {
      const { X } = simulateBlobWithOutliers({ n, d, outlierFraction: 0.02, seed: 4 });
      const wasm = new IsolationForest({ seed: 8, ...options }).fit(X);
      const js = new IsolationForest({ seed: 8, engine: "js", ...options }).fit(X);
      expect(wasm.scoreSamples(X)).toEqual(js.scoreSamples(X));
    });
  }

  it("gives identical offsets and handles constant data", () => {
    const constant = Array.from({ length: 50 }, () => [1, 2]);
    const a = new IsolationForest({ contamination: 0.1 }).fit(constant);
    const b = new IsolationForest({ contamination: 0.1, engine: "js" }).fit(constant);
    expect(a.offset).toBe(b.offset);
    expect(a.scoreSamples(constant)).toEqual(b.scoreSamples(constant));
  });

  it("rejects an unknown engine", () => {
    expect(() => new IsolationForest({ engine: "gpu" as never })).toThrow(OptionError);
    expect(() => new IsolationForest({ engine: "gpu" as never })).toThrow("Expected `engine` to be 'wasm' or 'js', got \"gpu\"");
  });
});
