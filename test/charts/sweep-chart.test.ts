import { describe, expect, test } from "vitest";
import { sweepChart } from "../../src/charts/sweep-chart";
import { DataError } from "../../src/errors";

describe("sweepChart", () => {
  const rows = [
    { contamination: 0.05, offset: -0.5, flagged: 50, precision: 0.5, recall: 0.8, f1: 0.615 },
    { contamination: 0.01, offset: -0.6, flagged: 10, precision: 0.9, recall: 0.3, f1: 0.45 },
  ];
  test("alerts as bars, precision/recall/F1 on a second axis, sorted by contamination (snapshot)", () => {
    const spec = sweepChart(rows);
    expect(spec.data.map((d) => d.name)).toEqual(["alerts raised", "precision", "recall", "F1"]);
    expect((spec.data[0] as { x: string[]; y: number[] }).x).toEqual(["0.01", "0.05"]);
    expect((spec.data[0] as { y: number[] }).y).toEqual([10, 50]);
    expect(spec.layout.yaxis2?.range).toEqual([0, 1.05]);
    expect(spec).toMatchSnapshot();
  });
  test("without labels only the alerts are drawn; perDay needs alertsPerDay", () => {
    const spec = sweepChart([{ contamination: 0.1, offset: 0, flagged: 3 }]);
    expect(spec.data).toHaveLength(1);
    expect(spec.layout.yaxis2).toBeUndefined();
    expect(() => sweepChart(rows, { perDay: true })).toThrow(DataError);
    expect((sweepChart([{ contamination: 0.1, offset: 0, flagged: 3, alertsPerDay: 1.5 }], { perDay: true }).data[0] as { y: number[] }).y).toEqual([1.5]);
  });
});
