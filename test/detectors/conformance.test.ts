/**
 * The detector contract, checked for EVERY detector in the registry (a new registry entry is checked
 * automatically). The checks live in src/detectors/conformance.ts so that a notebook can run them on a detector
 * of its own; detectors may declare exceptions in their entry's `capabilities`, with the reason.
 */
import { describe, expect, it } from "vitest";
import { checkConformance, conformanceChecks } from "../../src/detectors/conformance";
import { detectorRegistry } from "../../src/detectors/registry";
import { IsolationForest } from "../../src/detectors/isolation-forest";

describe.each(detectorRegistry.map((e) => [e.name, e] as const))("detector %s follows the contract", (_name, entry) => {
  for (const check of conformanceChecks(entry)) it(check.name, () => check.run());
});

describe("checkConformance", () => {
  it("reports what a broken detector breaks (wrong name, predict ignoring the offset)", () => {
    const broken = {
      name: "broken",
      create: (o?: object) => {
        const det = new IsolationForest({ nEstimators: 10, ...o });
        const predict = () => new Int8Array(det.nFeaturesIn === 0 ? 0 : 0);
        return Object.assign(Object.create(det), { predict: (X: number[][]) => (det.predict(X), predict()) });
      },
    };
    const results = checkConformance(broken);
    expect(results.length).toBe(conformanceChecks(broken).length);
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => r.check)).toContain("has its registry name and records nFeaturesIn");
    expect(failed.find((r) => r.check.startsWith("has its registry name"))?.message).toBe('name is "iforest", expected "broken"');
    expect(failed.some((r) => r.check.startsWith("keeps scikit-learn's sign relations"))).toBe(true);
  });
});
