import { describe, expect, test } from "vitest";
import { prChart, rocChart } from "../../src/charts/curves";

type Line = { name: string; x: number[]; y: number[] };
const labels = [0, 0, 1, 1];
const scores = [0.1, 0.4, 0.35, 0.8];

describe("rocChart", () => {
  test("computes curves from labels and scores, with AUC in the legend and a chance diagonal (snapshot)", () => {
    const spec = rocChart([{ name: "A", labels, scores }]);
    const [a, chance] = spec.data as Line[];
    expect(a.name).toBe("A (AUC 0.750)");
    // scikit-learn: roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) → fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
    expect(a.x).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(a.y).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(chance).toMatchObject({ x: [0, 1], y: [0, 1] });
    expect(spec).toMatchSnapshot();
  });

  test("decision values (lower = more anomalous) give the same curve as negated scores", () => {
    const decision = scores.map((s) => -s);
    const fromDecision = rocChart([{ name: "d", labels, decision }]).data[0] as Line;
    const fromScores = rocChart([{ name: "d", labels, scores }]).data[0] as Line;
    expect(fromDecision).toEqual(fromScores);
  });

  test("accepts precomputed curves and escapes detector names", () => {
    const spec = rocChart([{ name: "<b>x</b>", fpr: [0, 1], tpr: [0, 1] }]);
    expect((spec.data[0] as Line).name).toBe("&lt;b&gt;x&lt;/b&gt; (AUC 0.500)");
  });
});

describe("prChart", () => {
  test("precision against recall with AP in the legend and the anomaly-rate baseline", () => {
    const spec = prChart([{ name: "A", labels, scores }]);
    const [a, base] = spec.data as Line[];
    expect(a.name).toBe("A (AP 0.833)");
    // scikit-learn 1.2: precision_recall_curve → precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0]
    expect(a.x).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(a.y.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.5, 0.667, 0.5, 1, 1]);
    expect(base).toMatchObject({ y: [0.5, 0.5] });
  });
});
