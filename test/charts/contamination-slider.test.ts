import { describe, expect, test } from "vitest";
import { contaminationSliderChart } from "../../src/charts/contamination-slider";

type Step = { label: string; method: string; args: [{ "marker.color": number[][] }, { shapes: { y0: number }[]; "title.text": string }] };

describe("contaminationSliderChart", () => {
  const scores = [0.3, 0.2, 0.25, -0.1, 0.28, -0.4, 0.26, 0.27, 0.22, 0.21];

  test("one update step per contamination re-colours points, moves the line and retitles (snapshot)", () => {
    const spec = contaminationSliderChart({ scores, contaminations: [0.2, 0.1], title: "Logins" });
    const slider = spec.layout.sliders?.[0] as unknown as { active: number; steps: Step[] };
    expect(slider.steps.map((s) => s.label)).toEqual(["0.1", "0.2"]);
    expect(slider.steps.every((s) => s.method === "update")).toBe(true);
    const [s10, s20] = slider.steps;
    expect(s10.args[0]["marker.color"][0]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(s20.args[0]["marker.color"][0]).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect(s10.args[1]["title.text"]).toBe("Logins: contamination 0.1 → 1 flagged");
    expect(Math.round(s20.args[1].shapes[0].y0 * 1e6) / 1e6).toBe(0.14) // np.percentile(scores, 20);
    // starts at the step closest to 0.05
    expect(slider.active).toBe(0);
    expect(spec.layout.title).toMatchObject({ text: s10.args[1]["title.text"] });
    expect(spec).toMatchSnapshot();
  });

  test("the flagged count matches a detector refitted at that contamination (scores strictly below the percentile)", () => {
    const spec = contaminationSliderChart({ scores, contaminations: [0.3] });
    const step = (spec.layout.sliders?.[0] as unknown as { steps: Step[] }).steps[0];
    expect(step.args[0]["marker.color"][0].reduce((a, b) => a + b)).toBe(3);
  });
});
