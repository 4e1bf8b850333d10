import { describe, expect, test } from "vitest";
import { decisionContourChart } from "../../src/charts/decision-contour";
import { RobustZScore } from "../../src/detectors/robust-zscore";
import { DataError } from "../../src/errors";

type Contour = { x: number[]; y: number[]; z: number[][] };
type Points = { x: number[]; y: number[]; name: string };

describe("decisionContourChart", () => {
  const X = [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
    [0.5, 0.5],
    [0.4, 0.6],
    [8, 8],
  ];
  const detector = new RobustZScore({ contamination: 0.15 }).fit(X);

  test("contour of decisionFunction over the grid, threshold line at 0, flagged rows red (snapshot)", () => {
    const spec = decisionContourChart({ detector, X, gridSize: 4, padding: 0 });
    const [fill, boundary, normal, flagged] = spec.data as [Contour, Contour & { contours: object }, Points, Points];
    expect(fill.x).toEqual([0, 2.666667, 5.333333, 8]);
    expect(fill.z).toHaveLength(4);
    // the grid values are the detector's own decision values
    const expected = detector.decisionFunction([[fill.x[1], fill.y[2]]])[0];
    expect(fill.z[2][1]).toBe(Math.round(expected * 1e6) / 1e6);
    expect(boundary.contours).toMatchObject({ start: 0, end: 0, coloring: "lines" });
    const predicted = detector.predict(X);
    expect(flagged.name).toBe(`flagged (${predicted.filter((p) => p === -1).length})`);
    expect(normal.x.length + flagged.x.length).toBe(X.length);
    expect(flagged.x).toContain(8);
    expect(spec).toMatchSnapshot();
  });

  test("needs two features on both the data and the detector", () => {
    const d3 = new RobustZScore().fit([
      [1, 2, 3],
      [2, 3, 4],
    ]);
    expect(() => decisionContourChart({ detector: d3, X })).toThrow(/fitted on 3/);
    expect(() => decisionContourChart({ detector, X: [[1, 2, 3]] })).toThrow(DataError);
  });
});
