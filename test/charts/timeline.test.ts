import { describe, expect, test } from "vitest";
import { timelineChart } from "../../src/charts/timeline";
import { DataError, OptionError } from "../../src/errors";

describe("timelineChart", () => {
  test("blue line with markers plus red anomaly markers (snapshot)", () => {
    const spec = timelineChart({
      x: [0, 1, 2, 3],
      y: [5, 6, 40.123456, 5],
      anomalies: new Int8Array([1, 1, -1, 1]),
      title: "Login attempts per minute",
      xTitle: "minute",
      yTitle: "attempts / min",
    });
    expect(spec).toMatchSnapshot();
    expect(spec.data).toHaveLength(2);
    const [line, red] = spec.data as { mode: string; x: number[]; y: number[]; marker: { color: string }; name: string }[];
    expect(line.mode).toBe("lines+markers");
    expect(line.marker.color).toBe("#1f77b4");
    expect(red).toMatchObject({ mode: "markers", x: [2], y: [40.123456], name: "anomaly (1)", marker: { color: "#d62728" } });
  });

  test("anomalies as booleans, predict output as number[], or indices mark the same points", () => {
    const base = { x: [0, 1, 2, 3], y: [1, 2, 3, 4] };
    const xs = (a: Parameters<typeof timelineChart>[0]["anomalies"]) => (timelineChart({ ...base, anomalies: a }).data[1] as { x: number[] }).x;
    expect(xs([false, true, false, true])).toEqual([1, 3]);
    expect(xs([1, -1, 1, -1])).toEqual([1, 3]);
    expect(xs([1, 3])).toEqual([1, 3]);
    expect(xs([])).toEqual([]);
  });

  test("Dates and ISO strings become UTC date strings on a date axis", () => {
    const spec = timelineChart({ x: [new Date(Date.UTC(2024, 2, 1, 10, 5)), "2024-03-01T12:06:00+02:00"], y: [1, 2] });
    expect((spec.data[0] as { x: string[] }).x).toEqual(["2024-03-01 10:05:00", "2024-03-01 10:06:00"]);
    expect(spec.layout.xaxis?.type).toBe("date");
    expect(spec.layout.xaxis?.title).toEqual({ text: "time (UTC)" });
  });

  test("hostile strings are escaped in title, axis titles, names and hover", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const spec = timelineChart({ x: [0], y: [1], title: evil, yTitle: evil, name: evil, hoverText: [evil], anomalies: [0], anomalyName: evil });
    const json = JSON.stringify(spec);
    expect(json).not.toContain("<img");
    expect(json).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  test("missing values become gaps; mismatched lengths and bad indices are explained", () => {
    expect((timelineChart({ x: [0, 1], y: [NaN, 1] }).data[0] as { y: unknown[] }).y).toEqual([null, 1]);
    expect(() => timelineChart({ x: [0, 1], y: [1] })).toThrow(DataError);
    expect(() => timelineChart({ x: [0, 1], y: [1, 2], anomalies: [5] })).toThrow(/point indices in \[0, 1\], got 5/);
    expect(() => timelineChart({ x: ["yesterday"], y: [1] })).toThrow(/ISO-8601/);
  });

  test("an expected band (typical ± width × spread) is drawn under the metric (snapshot)", () => {
    const spec = timelineChart({
      x: [0, 1, 2, 3], y: [5, 6, 40, 5], anomalies: [2],
      expected: { typical: [5, 5, 6, NaN], spread: [1, 0.5, 2, 1], width: 3, name: "root's baseline" },
    });
    expect(spec).toMatchSnapshot();
    expect(spec.data).toHaveLength(5);
    const [lower, upper, typical, line, red] = spec.data as {
      y: (number | null)[]; fill?: string; showlegend?: boolean; name: string; hoverinfo?: string; text?: string[];
    }[];
    expect(lower.y).toEqual([2, 3.5, 0, null]);
    expect(upper.y).toEqual([8, 6.5, 12, null]);
    expect(upper.fill).toBe("tonexty");
    expect(lower.showlegend).toBe(false);
    expect(upper.name).toBe("root's baseline");
    expect(upper.text?.[3]).toBe("no expected value");
    expect(typical.y).toEqual([5, 5, 6, null]);
    // The metric and the anomalies come after the band, so they are drawn on top of it.
    expect(line.y).toEqual([5, 6, 40, 5]);
    expect(red.name).toBe("anomaly (1)");
    // One number for all points; the default width is 2.
    expect((timelineChart({ x: [0, 1], y: [1, 2], expected: { typical: 1, spread: 0.5 } }).data[1] as { y: number[] }).y).toEqual([2, 2]);
  });

  test("a bad expected band is explained", () => {
    const base = { x: [0, 1], y: [1, 2] };
    expect(() => timelineChart({ ...base, expected: { typical: [1], spread: 1 } })).toThrow(/expected.typical.*one value per point \(2\), got 1/);
    expect(() => timelineChart({ ...base, expected: { typical: 1, spread: [1, -1] } })).toThrow(/≥ 0, got -1 at point 1/);
    expect(() => timelineChart({ ...base, expected: { typical: 1, spread: 1, width: -2 } })).toThrow(OptionError);
    expect(() => timelineChart({ ...base, expected: { typical: 1, spred: 1 } as never })).toThrow(/spread/);
  });
});
