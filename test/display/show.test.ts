import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { chartDisplayBundle, chartSummary, initPlotly, resetPlotlyInjection, show } from "../../src/display/show";
import { plotlyBundle } from "../../src/display/plotly-html";
import { timelineChart } from "../../src/charts/timeline";
import type { PlotlySpec } from "../../src/charts/spec";
import { captureDisplay } from "./capture-display";

const spec: PlotlySpec = timelineChart({ x: [0, 1, 2, 3], y: [1, 2, 30, 2], anomalies: [2], title: "Logins" });
const bundleText = plotlyBundle().text;

function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

describe("show", () => {
  let cap: ReturnType<typeof captureDisplay>;
  beforeEach(() => {
    resetPlotlyInjection();
    cap = captureDisplay();
  });
  afterEach(() => cap.restore());

  test("ten charts in one kernel session carry the Plotly.js bundle once", () => {
    for (let i = 0; i < 10; i++) show(spec);
    expect(cap.bundles).toHaveLength(11);
    const all = cap.bundles.map((b) => JSON.stringify(b.data)).join("\n");
    expect(occurrences(all, bundleText.slice(1000, 1200))).toBe(1);
    expect(String(cap.bundles[0].data["text/html"]).includes(bundleText)).toBe(true);
    // what the ten chart outputs add on top of the bundle stays small
    const chartsBytes = cap.bundles.slice(1).reduce((s, b) => s + JSON.stringify(b.data).length, 0);
    expect(chartsBytes).toBeLessThan(100_000);
    expect(all.length).toBeLessThan(6_000_000);
  });

  test("each chart output is multi-MIME with a unique div id", () => {
    show(spec);
    show(spec);
    const [c1, c2] = cap.bundles.slice(1).map((b) => b.data);
    expect(Object.keys(c1).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    expect(c1["text/plain"]).toBe('Plotly chart "Logins": 2 traces (scatter, scatter)');
    const plotlyJson = c1["application/vnd.plotly.v1+json"] as PlotlySpec;
    expect(plotlyJson.data).toHaveLength(2);
    expect(plotlyJson.layout.title).toEqual(spec.layout.title);
    const id = (html: unknown) => /<div id="([^"]+)"/.exec(String(html))?.[1];
    expect(id(c1["text/html"])).toMatch(/^siemlab-plot-/);
    expect(id(c1["text/html"])).not.toBe(id(c2["text/html"]));
  });

  test("initPlotly sends the bundle again on request", () => {
    show(spec);
    initPlotly();
    show(spec);
    const withBundle = cap.bundles.filter((b) => String(b.data["text/html"]).includes(bundleText));
    expect(withBundle).toHaveLength(2);
  });

  test("the loader hides AMD define while the bundle runs and registers the 'plotly' module", () => {
    show(spec);
    const html = String(cap.bundles[0].data["text/html"]);
    expect(html.indexOf("w.define = undefined")).toBeLessThan(html.indexOf(bundleText));
    expect(html.lastIndexOf('w.define("plotly"')).toBeGreaterThan(html.indexOf(bundleText));
    expect(/https?:/i.test(html.replace(bundleText, ""))).toBe(false); // nothing but the bundle itself names a URL
    expect(cap.bundles[0].data["text/plain"]).toMatch(/^Plotly\.js 4\.1\.1 loaded/);
  });
});

describe("show outside a kernel", () => {
  test("draws nothing, says so, and does not throw", () => {
    resetPlotlyInjection();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(() => show(spec)).not.toThrow();
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0][0])).toMatch(/not running in a Jupyter kernel.*saveHtml/);
    } finally {
      log.mockRestore();
    }
  });
});

describe("chartDisplayBundle", () => {
  test("data cannot break out of the chart script", () => {
    const hostile: PlotlySpec = {
      data: [{ type: "bar", x: ["</script><script>window.__pwned=1</script>"], y: [1] }],
      layout: { title: { text: "<!-- \u2028 & </SCRIPT>" } },
    };
    const html = String(chartDisplayBundle(hostile, { divId: "t" }).data["text/html"]);
    const script = html.slice(html.indexOf("<script"));
    expect(script.toLowerCase().match(/<\/script/g)).toHaveLength(1);
    expect(script).not.toContain("<!--");
    expect(script).not.toContain("\u2028");
    expect(script).toContain("\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1");
  });

  test("typed arrays are written as plain arrays", () => {
    const b = chartDisplayBundle({ data: [{ type: "scatter", y: new Float64Array([1.5, NaN]) as unknown as number[] }], layout: {} }, { divId: "t" });
    expect((b.data["application/vnd.plotly.v1+json"] as PlotlySpec).data[0]).toEqual({ type: "scatter", y: [1.5, null] });
  });

  test("chartSummary names the title and trace types", () => {
    expect(chartSummary({ data: [{ type: "bar" }], layout: {} })).toBe("Plotly chart: 1 trace (bar)");
  });
});
