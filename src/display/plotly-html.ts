/**
 * HTML that draws a Plotly figure offline: the Plotly.js bundle taken from the installed npm package
 * (plotly.js-cartesian-dist-min, never a CDN), and a div + script per chart that waits for it.
 *
 * The cartesian partial bundle (≈ 1.5 MB) has every trace type siemlab's builders use (scatter, bar, histogram,
 * heatmap, contour) plus sliders and shapes; the full bundle (plotly.js-dist-min, ≈ 4.8 MB) would triple the
 * size of every executed notebook. Types still come from plotly.js-dist-min, the same release line.
 */
import { readFileSync } from "fs";
import { SiemlabError } from "../errors";
import { escapeHtmlText, jsonForScript } from "../charts/escape";
import type { PlotlySpec } from "../charts/spec";

let bundleCache: { text: string; version: string } | undefined;

/**
 * The Plotly.js browser bundle as text, read once from `require.resolve("plotly.js-cartesian-dist-min")`.
 * (The bundle cannot be `require`d in Node: it needs a browser.)
 *
 * @example
 * const { version, text } = plotlyBundle(); // version "4.1.1", text ≈ 1.5 MB
 */
export function plotlyBundle(): { readonly text: string; readonly version: string } {
  if (bundleCache === undefined) {
    const file = require.resolve("plotly.js-cartesian-dist-min");
    const text = readFileSync(file, "utf8");
    if (/<\/?script/i.test(text)) {
      throw new SiemlabError(`${file} contains a "<script" or "</script" sequence and cannot be inlined into HTML; pin plotly.js-cartesian-dist-min to 4.1.1`);
    }
    const head = text.slice(0, 200);
    const at = head.indexOf("plotly.js");
    const version = (at < 0 ? null : / v(\d+\.\d+\.\d+)/.exec(head.slice(at).split("\n")[0]))?.[1] ?? "unknown";
    bundleCache = { text, version };
  }
  return bundleCache;
}

/**
 * Three `<script>` elements that load the inlined Plotly.js bundle so that `window.Plotly` is set, in any page:
 * a plain page, nbconvert's HTML export opened offline, classic Jupyter Notebook 6 (which loads require.js, so
 * `define` is hidden while the bundle runs and Plotly is then registered as the AMD module "plotly", as Python
 * plotly's offline mode does) and JupyterLab. Separate elements so a failure in one still runs the restore step.
 *
 * @example
 * const html = plotlyLoaderHtml(); // "<script …>…</script>" ×3, ≈ 1.5 MB
 */
export function plotlyLoaderHtml(): string {
  const { text, version } = plotlyBundle();
  const before =
    `/* siemlab: plotly.js ${version} inlined from the npm package plotly.js-cartesian-dist-min (offline; once per kernel session) */\n` +
    `(function (w) { w.__siemlabAmd = { had: Object.prototype.hasOwnProperty.call(w, "define"), define: w.define }; w.define = undefined; })(window);`;
  const after =
    `(function (w) {\n` +
    `  var s = w.__siemlabAmd;\n` +
    `  if (s) { if (s.had) { w.define = s.define; } else { try { delete w.define; } catch (e) { w.define = undefined; } } try { delete w.__siemlabAmd; } catch (e) { w.__siemlabAmd = undefined; } }\n` +
    `  if (w.Plotly && typeof w.define === "function" && w.define.amd) {\n` +
    `    try { if (w.require && w.require.undef) { w.require.undef("plotly"); } w.define("plotly", [], function () { return w.Plotly; }); } catch (e) { /* already registered */ }\n` +
    `  }\n` +
    `})(window);`;
  return (
    `<script type="text/javascript">${before}</script>\n` +
    `<script type="text/javascript">${text}\n</script>\n` +
    `<script type="text/javascript">${after}</script>`
  );
}

/** Options of {@link plotlyChartHtml}. */
export interface PlotlyChartHtmlOptions {
  /** id of the chart's div; must be unique in the page. Required. */
  readonly divId: string;
  /** Height in CSS pixels. Default: `spec.layout.height`, else 450. */
  readonly height?: number;
  /** Width in CSS pixels. Default: `spec.layout.width`, else the full width of the output area. */
  readonly width?: number;
  /** Milliseconds to wait for `window.Plotly` before showing an explanation instead. Default: 20000. */
  readonly waitMs?: number;
}

/**
 * A div and a script that draws `spec` into it with `Plotly.newPlot` once `window.Plotly` exists (it polls,
 * because in JupyterLab outputs may run out of order), and otherwise shows a readable message. The spec is
 * embedded as script-safe JSON (no `</script>` break-out possible).
 *
 * @example
 * const html = plotlyChartHtml({ data: [{ type: "bar", y: [1, 2] }], layout: {} }, { divId: "c1" });
 */
export function plotlyChartHtml(spec: PlotlySpec, options: PlotlyChartHtmlOptions): string {
  const height = options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 450);
  const width = options.width ?? (typeof spec.layout.width === "number" ? spec.layout.width : undefined);
  const waitMs = options.waitMs ?? 20000;
  const id = escapeHtmlText(options.divId);
  const style = `width:${width === undefined ? "100%" : `${width}px`};height:${height}px;`;
  const config = { responsive: true, displaylogo: false, ...(spec.config ?? {}) };
  const payload = jsonForScript({ data: spec.data, layout: spec.layout, config });
  return (
    `<div id="${id}" class="siemlab-plot" style="${style}">` +
    `<div class="siemlab-plot-message" style="font:13px sans-serif;color:#666;padding:8px;">` +
    `Plotly chart: waiting for Plotly.js. If this text stays, JavaScript did not run here ` +
    `(in Jupyter: trust the notebook, or re-run the cell).</div></div>\n` +
    `<script type="text/javascript">\n` +
    `(function () {\n` +
    `  var id = ${jsonForScript(options.divId)}, fig = ${payload}, waited = 0;\n` +
    `  function say(el, text) { var m = el.querySelector(".siemlab-plot-message"); if (m) { m.textContent = text; } }\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    if (!el) { return; }\n` +
    `    if (window.Plotly && typeof window.Plotly.newPlot === "function") {\n` +
    `      var m = el.querySelector(".siemlab-plot-message"); if (m) { el.removeChild(m); }\n` +
    `      try {\n` +
    `        var p = window.Plotly.newPlot(el, fig.data, fig.layout, fig.config);\n` +
    `        if (p && p.then) { p.then(null, function (e) { el.textContent = "Plotly could not draw this chart: " + e; }); }\n` +
    `      } catch (e) { el.textContent = "Plotly could not draw this chart: " + e; }\n` +
    `      return;\n` +
    `    }\n` +
    `    if (waited >= ${waitMs}) {\n` +
    `      say(el, "Chart not drawn: Plotly.js is not loaded in this page. siemlab embeds it once, in the output of the " +\n` +
    `        "first chart of a kernel session; that output is missing or did not run. Re-run the notebook from the top, " +\n` +
    `        "or call sl.initPlotly() in an early cell.");\n` +
    `      return;\n` +
    `    }\n` +
    `    waited += 50;\n` +
    `    setTimeout(draw, 50);\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n` +
    `</script>`
  );
}
