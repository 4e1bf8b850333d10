import { describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { caseRecall, caseRecallTable, flaggedOnlyBy } from "../../src/eval/detector-overlap";

describe("caseRecall / caseRecallTable / flaggedOnlyBy", () => {
  const labels = ["normal", "burst", "burst", "spray", "normal", "stuffing", "stuffing", "stuffing"];
  const flags = {
    forest: Int8Array.from([-1, -1, 1, -1, 1, 1, 1, 1]),
    baseline: [1, -1, -1, -1, 1, 1, 1, 1],
    rule: [1, 1, 1, 1, -1, -1, -1, 1],
  };

  it("counts each case's windows, what each detector flags, and what it flags alone", () => {
    expect(caseRecall(labels, flags)).toEqual([
      { label: "burst", windows: 2, caught: { forest: 1, baseline: 2, rule: 0 }, caughtAlone: { forest: 0, baseline: 1, rule: 0 } },
      { label: "spray", windows: 1, caught: { forest: 1, baseline: 1, rule: 0 }, caughtAlone: { forest: 0, baseline: 0, rule: 0 } },
      { label: "stuffing", windows: 3, caught: { forest: 0, baseline: 0, rule: 2 }, caughtAlone: { forest: 0, baseline: 0, rule: 2 } },
    ]);
    // Cases in the order asked, including one with no windows.
    expect(caseRecall(labels, flags, { cases: ["stuffing", "absent"] }).map((r) => [r.label, r.windows])).toEqual([
      ["stuffing", 3],
      ["absent", 0],
    ]);
  });

  it("turns the counts into recall per detector and names who caught something alone", () => {
    expect(caseRecallTable(caseRecall(labels, flags, { cases: ["burst", "spray", "stuffing", "absent"] }))).toEqual([
      { case: "burst", windows: 2, forest: 0.5, baseline: 1, rule: 0, caughtOnlyBy: "baseline" },
      { case: "spray", windows: 1, forest: 1, baseline: 1, rule: 0, caughtOnlyBy: "—" },
      { case: "stuffing", windows: 3, forest: 0, baseline: 0, rule: 2 / 3, caughtOnlyBy: "rule" },
      { case: "absent", windows: 0, forest: 0, baseline: 0, rule: 0, caughtOnlyBy: "—" },
    ]);
  });

  it("lists the rows each detector flags alone, without labels", () => {
    expect(flaggedOnlyBy(flags)).toEqual({ forest: [0], baseline: [2], rule: [4, 5, 6] });
    expect(flaggedOnlyBy({ only: [-1, 1, -1] })).toEqual({ only: [0, 2] });
  });

  it("refuses flags of another length, and no detectors", () => {
    expect(() => caseRecall(labels, { forest: [1, 1] })).toThrow(DataError);
    expect(() => flaggedOnlyBy({ a: [1, 1], b: [1] })).toThrow(/Expected 2 flags/);
    expect(() => caseRecall(labels, {})).toThrow(OptionError);
  });
});
