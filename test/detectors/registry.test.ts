import { describe, expect, it } from "vitest";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { MlIsolationForest } from "../../src/detectors/ml-isolation-forest";
import { createDetector, detectorRegistry, getDetectorEntry, listDetectors } from "../../src/detectors/registry";
import { OptionError } from "../../src/errors";

describe("detector registry", () => {
  it("lists iforest and ml-iforest first, with unique names matching each detector's name", () => {
    const names = listDetectors().map((d) => d.name);
    expect(names.slice(0, 2)).toEqual(["iforest", "ml-iforest"]);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of detectorRegistry) {
      expect(entry.create({ seed: 1 }).name).toBe(entry.name);
      expect(entry.title.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(20);
    }
  });

  it("creates detectors with options passed through", () => {
    const det = createDetector("iforest", { contamination: 0.05, seed: 42, nEstimators: 10 });
    expect(det).toBeInstanceOf(IsolationForest);
    expect((det as IsolationForest).nEstimators).toBe(10);
    expect((det as IsolationForest).seed).toBe(42);
    expect(createDetector("ml-iforest")).toBeInstanceOf(MlIsolationForest);
    expect(Array.from(createDetector("iforest", { contamination: 0.25, seed: 0 }).fit([[1], [2], [3], [40]]).predict([[40]]))).toEqual([-1]);
  });

  it("rejects unknown names and bad options with fix-it messages", () => {
    expect(() => createDetector("iforrest")).toThrow(OptionError);
    expect(() => getDetectorEntry("iforrest")).toThrow(/Unknown detector "iforrest" \(did you mean "iforest"\?\): expected one of "iforest", "ml-iforest"/);
    expect(() => createDetector("iforest", { contamination: 0.7 })).toThrow("got 0.7");
    expect(() => createDetector("iforest", { nEstimator: 10 })).toThrow(/Unknown option `nEstimator` for IsolationForest \(did you mean `nEstimators`\?\)/);
  });

  it("every registered detector rejects an unknown option, suggesting the closest name", () => {
    for (const entry of detectorRegistry) {
      expect(() => entry.create({ contamnation: 0.1 }), entry.name).toThrow(/Unknown option `contamnation` for \w+ \(did you mean `contamination`\?\)/);
    }
  });
});
