// Charts in a real browser: exported HTML renders offline, images export, the loader works under require.js
// (classic Jupyter), charts explain a missing Plotly.js, the slider works without a kernel, and hostile strings
// from logs stay text in every chart and table path.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  contaminationSliderChart,
  decisionContourChart,
  entityHeatmap,
  entityTimelineChart,
  htmlTable,
  prChart,
  rocChart,
  scoreHistogram,
  sweepChart,
  timelineChart,
  type PlotlySpec,
} from "../../src/charts/index";
import { chartDisplayBundle } from "../../src/display/show";
import { openChartRenderer, saveHtml } from "../../src/export/chart-export";
import { plotlyChartHtml, plotlyLoaderHtml } from "../../src/display/plotly-html";
import { RobustZScore } from "../../src/detectors/robust-zscore";
import type { LogEvent } from "../../src/events";
import { escapeControls } from "../../src/terminal-text";
import { openBrowser, pointColours, probePlots, watchedPage } from "./browser";

const repoRoot = resolve(__dirname, "../..");
const outDir = resolve(repoRoot, "out/browser");
const shots = resolve(repoRoot, "out/screenshots");
const RED = "rgb(214, 39, 40)";

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "</script><script>window.__pwned=1</script>",
  '"><svg onload=alert(2)>',
  "<a href=\"javascript:alert(3)\">click</a>",
  "&lt;b&gt; %{x} \u2028 <!--",
];

function page(body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>siemlab browser test</title></head><body>${body}</body></html>`;
}

function writePage(name: string, body: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, name);
  writeFileSync(file, page(body));
  return pathToFileURL(file).href;
}

let browser: Browser;
beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("exported charts", () => {
  const spec = timelineChart({ x: [0, 1, 2, 3, 4], y: [5, 6, 40, 5, 4], anomalies: [2], title: "Login attempts per minute", yTitle: "attempts / min" });

  test("saveHtml writes a standalone page that renders offline", async () => {
    const file = resolve(outDir, "exported-timeline.html");
    saveHtml(spec, file);
    const w = await watchedPage(browser);
    await w.page.goto(pathToFileURL(file).href);
    const plots = await probePlots(w.page);
    expect(plots).toHaveLength(1);
    expect(plots[0]).toMatchObject({ rendered: true, traces: 2, message: null });
    expect((await pointColours(w.page, plots[0].id)).filter((c) => c === RED)).toHaveLength(1);
    expect(w.errors).toEqual([]);
    expect(w.blocked).toEqual([]);
    await w.page.screenshot({ path: resolve(shots, "exported-timeline.png") });
    await w.page.close();
  });

  test("savePng and saveSvg produce images of the requested size", async () => {
    const r = await openChartRenderer();
    try {
      const png = await r.render(spec, "png", { width: 400, height: 300, scale: 2 });
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 600]);
      const svg = (await r.render(spec, "svg", { width: 400, height: 300 })).toString("utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain('width="400"');
      expect(svg).toContain("Login attempts per minute");
    } finally {
      await r.close();
    }
  });
});

describe("notebook environments", () => {
  const requireJs = "/usr/share/javascript/requirejs/require.js";
  const chart = timelineChart({ x: [0, 1, 2], y: [1, 9, 1], anomalies: [1], title: "under require.js" });

  test.skipIf(!existsSync(requireJs))("with require.js loaded (classic Notebook 6) the bundle still sets window.Plotly and registers AMD 'plotly'", async () => {
    const body =
      `<script>${readFileSync(requireJs, "utf8")}</script>` +
      plotlyLoaderHtml() +
      String(chartDisplayBundle(chart, { divId: "amd-chart" }).data["text/html"]);
    const w = await watchedPage(browser);
    await w.page.goto(writePage("requirejs.html", body));
    const plots = await probePlots(w.page);
    expect(plots[0]).toMatchObject({ rendered: true, traces: 2 });
    const amd = await w.page.evaluate(
      () =>
        new Promise<string>((ok) => {
          const req = (window as unknown as { require: (deps: string[], cb: (p: unknown) => void, err: (e: unknown) => void) => void }).require;
          req(["plotly"], (p) => ok(p === (window as unknown as { Plotly: unknown }).Plotly ? "same" : "other"), (e) => ok(`error ${String(e)}`));
        }),
    );
    expect(amd).toBe("same");
    expect(await w.page.evaluate(() => typeof (window as unknown as { define: unknown }).define)).toBe("function");
    expect(w.errors).toEqual([]);
    await w.page.close();
  });
  if (!existsSync(requireJs)) console.warn(`skipped the require.js test: ${requireJs} not found (Debian package libjs-requirejs)`);

  test("ten charts after one loader all render; a chart without the loader explains why it is empty", async () => {
    const charts = Array.from({ length: 10 }, (_, i) => String(chartDisplayBundle(chart, { divId: `c${i}`, height: 250 }).data["text/html"])).join("\n");
    const w = await watchedPage(browser);
    await w.page.goto(writePage("ten-charts.html", plotlyLoaderHtml() + charts));
    const plots = await probePlots(w.page);
    expect(plots.map((p) => p.rendered)).toEqual(Array(10).fill(true));
    await w.page.close();

    const lonely = await watchedPage(browser);
    await lonely.page.goto(writePage("no-loader.html", plotlyChartHtml(chart, { divId: "lonely", waitMs: 300 })));
    await lonely.page.waitForTimeout(800);
    const [p] = await probePlots(lonely.page, 100);
    expect(p.rendered).toBe(false);
    expect(p.message).toMatch(/Plotly\.js is not loaded in this page.*sl\.initPlotly\(\)/);
    await lonely.page.close();
  });

  test("the contamination slider re-colours points and retitles without a kernel", async () => {
    const scores = [0.3, 0.2, 0.25, -0.1, 0.28, -0.4, 0.26, 0.27, 0.22, 0.21, 0.24, 0.29];
    const spec = contaminationSliderChart({ scores, contaminations: [0.05, 0.2, 0.5], title: "Slider" });
    const w = await watchedPage(browser);
    await w.page.goto(writePage("slider.html", plotlyLoaderHtml() + plotlyChartHtml(spec, { divId: "slider" })));
    const [p] = await probePlots(w.page);
    expect(p.rendered).toBe(true);
    const title = () => w.page.evaluate(() => document.querySelector("#slider .gtitle")?.textContent ?? "");
    expect(await title()).toBe("Slider: contamination 0.05 → 1 flagged");
    expect((await pointColours(w.page, "slider")).filter((c) => c === RED)).toHaveLength(1);
    // click the slider's last step label ("0.5") like a workshop participant would
    const label = await w.page.locator("#slider .slider-label", { hasText: /^0\.5$/ }).boundingBox();
    const rail = await w.page.locator("#slider .slider-rail-touch-rect").boundingBox();
    if (label === null || rail === null) throw new Error("slider not drawn");
    await w.page.mouse.click(label.x + label.width / 2, rail.y + rail.height / 2);
    await w.page.waitForFunction(() => (document.querySelector("#slider .gtitle")?.textContent ?? "").includes("0.5"));
    expect(await title()).toBe("Slider: contamination 0.5 → 6 flagged");
    expect((await pointColours(w.page, "slider")).filter((c) => c === RED)).toHaveLength(6);
    await w.page.screenshot({ path: resolve(shots, "slider.png") });
    await w.page.close();
  });
});

describe("hostile strings stay text", () => {
  test("through every builder's titles, axes, legends, hover text and through tables", async () => {
    const [h0, h1, h2, h3, h4] = HOSTILE;
    const t0 = Date.UTC(2024, 2, 1, 10);
    const events: LogEvent[] = HOSTILE.map((h, i) => ({ lineNo: i + 1, time: t0 + i * 60_000, eventType: h, user: h, srcIp: h, host: h, message: h, outcome: "failure" }));
    const X = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5], [6, 6]];
    const detector = new RobustZScore({ contamination: 0.2 }).fit(X);
    const specs: [string, PlotlySpec][] = [
      ["timeline", timelineChart({ x: [0, 1, 2], y: [1, 5, 1], anomalies: [1], title: h0, xTitle: h1, yTitle: h2, name: h3, hoverText: [h4, h0, h1], anomalyName: h2 })],
      ["histogram", scoreHistogram({ scores: [0.1, -0.2, 0.3], thresholds: [{ value: 0, label: h1 }], title: h2, xTitle: h3 })],
      ["heatmap", entityHeatmap(HOSTILE.map((h, i) => ({ entity: h, window: i, value: i, anomaly: i === 1, decision: -i })), { title: h4, valueTitle: h0, entityTitle: h1 })],
      ["roc", rocChart([{ name: h0, labels: [0, 1, 0, 1], scores: [0.1, 0.9, 0.3, 0.4] }, { name: h1, fpr: [0, 1], tpr: [0, 1] }], { title: h2 })],
      ["pr", prChart([{ name: h3, labels: [0, 1, 0, 1], scores: [0.1, 0.9, 0.3, 0.4] }], { title: h4 })],
      ["sweep", sweepChart([{ contamination: 0.1, offset: 0, flagged: 2, precision: 0.5, recall: 1 }], { title: h0 })],
      ["contour", decisionContourChart({ detector, X, gridSize: 10, title: h1, xTitle: h2, yTitle: h3, hoverText: X.map((_, i) => HOSTILE[i % HOSTILE.length]) })],
      ["events", entityTimelineChart({ events, entity: h4, anomalies: [0] })],
      ["slider", contaminationSliderChart({ scores: [0.1, -0.3, 0.2, 0.25], title: h0, xTitle: h1, yTitle: h2, hoverText: HOSTILE.slice(0, 4) })],
    ];
    const table = htmlTable(
      HOSTILE.map((h) => ({ [h]: h, n: 1 })),
      { caption: h0 },
    );
    const body = plotlyLoaderHtml() + specs.map(([name, s]) => plotlyChartHtml(s, { divId: `h-${name}`, height: 380 })).join("\n") + table;
    const w = await watchedPage(browser, { width: 1100, height: 900 });
    await w.page.goto(writePage("hostile.html", body));
    const plots = await probePlots(w.page);
    expect(plots.map((p) => [p.id, p.rendered])).toEqual(specs.map(([name]) => [`h-${name}`, true]));
    expect(plots.filter((p) => p.drawn === 0).map((p) => p.id)).toEqual([]);

    // hover every plot's first point so hover labels are rendered too
    for (const [name, s] of specs) {
      const curve = s.data.findIndex((d) => (d as { type?: string }).type !== "contour");
      await w.page.evaluate(
        ({ id, curve }) => {
          const P = (window as unknown as { Plotly: { Fx: { hover(gd: Element, pts: unknown[]): void } } }).Plotly;
          const gd = document.getElementById(id) as Element;
          try {
            P.Fx.hover(gd, [{ curveNumber: curve, pointNumber: 0 }]);
          } catch {
            /* some traces have no point 0 */
          }
        },
        { id: `h-${name}`, curve: Math.max(0, curve) },
      );
    }
    await w.page.waitForTimeout(300);

    const state = await w.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      imgs: document.querySelectorAll("img").length,
      handlers: document.querySelectorAll("[onerror],[onload],[onclick]").length,
      jsLinks: Array.from(document.querySelectorAll("a")).filter((a) => /javascript:/i.test(a.getAttribute("href") ?? "") || /javascript:/i.test(a.getAttribute("xlink:href") ?? "")).length,
      svgText: Array.from(document.querySelectorAll(".siemlab-plot svg text")).map((t) => t.textContent ?? "").join("\n"),
      hoverText: Array.from(document.querySelectorAll(".siemlab-plot .hoverlayer text")).map((t) => t.textContent ?? "").join("\n"),
      tableText: document.querySelector(".siemlab-table")?.textContent ?? "",
    }));
    await w.page.screenshot({ path: resolve(shots, "hostile.png"), fullPage: true });
    await w.page.close();

    expect(w.dialogs).toEqual([]);
    expect(state.pwned).toBeUndefined();
    expect(state.imgs).toBe(0);
    expect(state.handlers).toBe(0);
    expect(state.jsLinks).toBe(0);
    expect(w.errors).toEqual([]);
    // Shown literally: titles/axes/legends (SVG text), hover labels, and every table cell.
    for (const h of [h0, h1, h2, h3]) expect(state.svgText).toContain(h);
    expect(state.svgText).toContain("&lt;b&gt; %{x}");
    expect(state.hoverText).toContain(h0);
    // Tables show control characters and line separators (the U+2028 above) as escapes, as the CLI does.
    for (const h of HOSTILE) expect(state.tableText).toContain(escapeControls(h));
    expect(state.tableText).not.toContain("\u2028");
  });
});

describe("Plotly template text from logs", () => {
  test("a %{x} in a series name, axis title or hover text is shown literally, never evaluated", async () => {
    // rocChart and decisionContourChart put the series name / axis titles inside their hovertemplates.
    const X = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5], [6, 6]];
    const detector = new RobustZScore({ contamination: 0.2 }).fit(X);
    const specs: [string, PlotlySpec][] = [
      ["roc", rocChart([{ name: "user %{x} %{y:.1f}", labels: [0, 1, 0, 1], scores: [0.1, 0.9, 0.3, 0.4] }])],
      ["contour", decisionContourChart({ detector, X, gridSize: 8, xTitle: "f %{x}", yTitle: "g %{y}", hoverText: X.map(() => "msg %{text}") })],
    ];
    const body = plotlyLoaderHtml() + specs.map(([name, s]) => plotlyChartHtml(s, { divId: `t-${name}`, height: 360 })).join("\n");
    const w = await watchedPage(browser, { width: 900, height: 800 });
    await w.page.goto(writePage("plotly-template.html", body));
    const plots = await probePlots(w.page);
    expect(plots.map((p) => p.rendered)).toEqual([true, true]);
    const hovers: string[] = [];
    for (const [name, s] of specs) {
      const curve = s.data.findIndex((d) => (d as { type?: string }).type !== "contour" && (d as { name?: string }).name !== undefined && !/chance/.test(String((d as { name?: string }).name)));
      hovers.push(
        await w.page.evaluate(
          async ({ id, curve }) => {
            const P = (window as unknown as { Plotly: { Fx: { hover(gd: Element, pts: unknown[]): void } } }).Plotly;
            P.Fx.hover(document.getElementById(id) as Element, [{ curveNumber: curve, pointNumber: 1 }]);
            await new Promise((r) => setTimeout(r, 100));
            return Array.from(document.querySelectorAll(`#${id} .hoverlayer text`)).map((t) => t.textContent ?? "").join("\n");
          },
          { id: `t-${name}`, curve: Math.max(0, curve) },
        ),
      );
    }
    const svgText = await w.page.evaluate(() => Array.from(document.querySelectorAll(".siemlab-plot svg text")).map((t) => t.textContent ?? "").join("\n"));
    await w.page.close();
    expect(w.errors).toEqual([]);
    expect(svgText).toContain("user %{x} %{y:.1f}"); // legend
    expect(svgText).toContain("f %{x}"); // axis title
    expect(hovers[0]).toContain("user %{x} %{y:.1f}");
    expect(hovers[1]).toContain("f %{x}");
    expect(hovers[1]).toContain("msg %{text}");
  });
});
