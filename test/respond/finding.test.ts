import { describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { findingsFromScores, scoredByDetector } from "../../src/respond/finding";
import type { Detector } from "../../src/detectors/types";
import { T0, failures } from "./helpers";
import type { Matrix } from "../../src/matrix";

const keys = [
  { entity: "203.0.113.7", windowStart: T0 },
  { entity: "10.0.0.2", windowStart: T0 },
  { entity: "198.51.100.4", windowStart: T0 + 60_000 },
];

describe("findingsFromScores", () => {
  it("keeps flagged windows, most anomalous first, with features, agreement and events", () => {
    const events = [...failures(3, "203.0.113.7", "alice"), ...failures(2, "203.0.113.7", "bob", T0 + 61_000, 10)];
    const fs = findingsFromScores({
      keys,
      scoredBy: [
        { name: "iforest", decision: [-0.2, 0.1, -0.05], offset: -0.5, contamination: 0.05, seed: 42 },
        { name: "rule", decision: [-1, 1, 1] },
      ],
      matrix: [[50, 1], [2, 1], [9, 4]],
      featureNames: ["failures", "users"],
      events,
      windowMs: 60_000,
    });
    expect(fs.map((f) => [f.entity, f.detectors])).toEqual([
      ["203.0.113.7", ["iforest", "rule"]],
      ["198.51.100.4", ["iforest"]],
    ]);
    const top = fs[0];
    expect(top.features).toEqual({ failures: 50, users: 1 });
    expect(top.events?.map((e) => e.lineNo)).toEqual([1, 2, 3]); // bob's events are in the next window
    expect(top.related).toEqual({ users: ["alice"], ips: ["203.0.113.7"], hosts: [] });
    expect([top.offset, top.contamination, top.seed, top.windowEnd - top.windowStart]).toEqual([-0.5, 0.05, 42, 60_000]);
    expect(top.anomalyScore).toBeGreaterThan(fs[1].anomalyScore);
    expect(fs[1].anomalyScore).toBeGreaterThan(50);
  });

  it("filters by agreement and accepts a dense matrix", () => {
    const matrix: Matrix = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
    const fs = findingsFromScores({
      keys,
      scoredBy: [{ name: "a", decision: [-1, -1, 1] }, { name: "b", decision: [1, -1, -1] }],
      matrix,
      minAgreeing: 2,
    });
    expect(fs.map((f) => [f.entity, f.features])).toEqual([["10.0.0.2", { f0: 3, f1: 4 }]]);
  });

  it("says what is wrong with mismatched inputs", () => {
    expect(() => findingsFromScores({ keys, scoredBy: [] })).toThrow(OptionError);
    expect(() => findingsFromScores({ keys, scoredBy: [{ name: "a", decision: [1] }] })).toThrow(/scored 1 rows but there are 3 keys/);
    expect(() => findingsFromScores({ keys, scoredBy: [{ name: "a", decision: [1, 1, 1] }], matrix: [[1]] })).toThrow(DataError);
  });

  it("reads a fitted detector through scoredByDetector", () => {
    const fake: Detector = {
      name: "fake",
      offset: -0.5,
      nFeaturesIn: 1,
      fit() {
        return this;
      },
      scoreSamples: (X) => Float64Array.from(X as number[][], (r) => -r[0]),
      decisionFunction: (X) => Float64Array.from(X as number[][], (r) => -r[0] + 0.5),
      predict: (X) => Int8Array.from(X as number[][], (r) => (-r[0] + 0.5 < 0 ? -1 : 1)),
    };
    const s = scoredByDetector(fake, [[0.1], [0.9]], { contamination: 0.1, seed: 7 });
    expect([s.name, Array.from(s.decision), Array.from(s.predictions!), s.offset, s.contamination, s.seed]).toEqual([
      "fake", [0.4, -0.4], [1, -1], -0.5, 0.1, 7,
    ]);
  });
});
