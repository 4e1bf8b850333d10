import { describe, expect, test } from "vitest";
import { contaminationThreshold, scoreHistogram } from "../../src/charts/score-histogram";
import { OptionError } from "../../src/errors";

type Bar = { type: string; x: number[]; y: number[]; name: string; marker: { color: string } };

describe("scoreHistogram", () => {
  const scores = [-0.3, -0.2, 0.05, 0.1, 0.12, 0.2, 0.22, 0.25, 0.3, 0.31];

  test("pre-bins scores into bars and draws a threshold line per contamination (snapshot)", () => {
    const spec = scoreHistogram({ scores, contaminations: [0.1, 0.2], bins: 4 });
    const bars = spec.data as Bar[];
    expect(bars).toHaveLength(1);
    expect(bars[0].y).toEqual([2, 0, 3, 5]);
    expect(bars[0].y.reduce((a, b) => a + b)).toBe(scores.length);
    expect(spec.layout.shapes).toHaveLength(2);
    expect((spec.layout.annotations ?? []).map((a) => a.text)).toEqual(["contamination 0.1: 1 flagged", "contamination 0.2: 2 flagged"]);
    expect(JSON.parse(JSON.stringify(spec, (_k, v) => (typeof v === "number" ? Math.round(v * 1e4) / 1e4 : v)))).toMatchSnapshot();
  });

  test("labels split bars into normal (blue) and anomalous (red) counts", () => {
    const labels = scores.map((s) => (s < 0 ? 1 : 0));
    const [normal, anomalous] = scoreHistogram({ scores, labels, bins: 4 }).data as Bar[];
    expect(anomalous.y).toEqual([2, 0, 0, 0]);
    expect(normal.y).toEqual([0, 0, 3, 5]);
    expect([normal.marker.color, anomalous.marker.color]).toEqual(["#1f77b4", "#d62728"]);
  });

  test("without contaminations it marks the fitted threshold at 0", () => {
    const spec = scoreHistogram({ scores });
    expect(spec.layout.shapes).toEqual([expect.objectContaining({ x0: 0, x1: 0, line: expect.objectContaining({ dash: "dash" }) })]);
  });

  test("contaminationThreshold matches scikit-learn's percentile offset and counts rows strictly below", () => {
    // np.percentile([-0.3, -0.2, 0.05, ...], 10) = -0.21 (NumPy 1.24, linear interpolation)
    const t = contaminationThreshold(scores, 0.1);
    expect(Math.round(t.value * 1e6) / 1e6).toBe(-0.21);
    expect(t.flagged).toBe(1);
    expect(() => contaminationThreshold(scores, 0.7)).toThrow(OptionError);
  });

  test("hostile threshold labels are escaped", () => {
    const spec = scoreHistogram({ scores, thresholds: [{ value: 0.1, label: "<img src=x onerror=alert(1)>" }] });
    expect(spec.layout.annotations?.[0].text).toBe("&lt;img src=x onerror=alert(1)&gt;");
  });
});
