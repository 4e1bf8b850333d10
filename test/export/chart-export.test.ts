// Rendering to PNG/SVG needs Chromium and is tested in test/browser/charts.test.ts; here: the parts that don't.
import { afterEach, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveHtml, standaloneHtml, savePng } from "../../src/export/chart-export";
import { plotlyBundle } from "../../src/display/plotly-html";
import { timelineChart } from "../../src/charts/timeline";
import { SiemlabError } from "../../src/errors";

const spec = timelineChart({ x: [0, 1], y: [1, 2], title: "<b>Logins</b> & more" });

describe("standaloneHtml / saveHtml", () => {
  test("one page with the inlined bundle, the chart div and an escaped title", () => {
    const html = standaloneHtml(spec, { height: 321 });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.includes(plotlyBundle().text)).toBe(true);
    expect(html).toContain('<div id="siemlab-chart" class="siemlab-plot" style="width:100%;height:321px;">');
    expect(html).toContain("<title>&lt;b&gt;Logins&lt;/b&gt; &amp; more</title>");
    expect(/https?:\/\//.test(html.replace(plotlyBundle().text, ""))).toBe(false);
  });

  test("saveHtml creates parent folders and writes the page", () => {
    const file = join(mkdtempSync(join(tmpdir(), "siemlab-")), "a", "b", "chart.html");
    saveHtml(spec, file);
    expect(readFileSync(file, "utf8")).toBe(standaloneHtml(spec));
  });
});

describe("image export without Chromium", () => {
  const saved = process.env.SIEMLAB_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.SIEMLAB_CHROMIUM;
    else process.env.SIEMLAB_CHROMIUM = saved;
  });
  test("says how to install it instead of downloading a browser", async () => {
    process.env.SIEMLAB_CHROMIUM = "/nonexistent/chromium";
    await expect(savePng(spec, join(tmpdir(), "never.png"))).rejects.toThrow(SiemlabError);
    await expect(savePng(spec, join(tmpdir(), "never.png"))).rejects.toThrow(/apt-get install chromium.*SIEMLAB_CHROMIUM/);
  });
});
