/**
 * `show(spec)`: draw a chart in a Jupyter notebook run by the tslab kernel, offline.
 *
 * The first chart of a kernel session is preceded by one output carrying the Plotly.js bundle from the installed
 * npm package (≈ 1.5 MB, the cartesian partial bundle; like Python plotly's `init_notebook_mode`); every chart output after that is a small
 * div + script (plus the `application/vnd.plotly.v1+json` form JupyterLab's Plotly renderer uses, plus a text
 * fallback). A notebook with ten charts therefore carries the bundle once.
 *
 * Outside a kernel (a plain script, a test) `show` draws nothing: it prints one line saying so and suggesting
 * `saveHtml` / `savePng`, and returns normally, so code written for a notebook also runs as a script.
 */
import { jsonForScript } from "../charts/escape";
import { sendDisplay, type DisplayBundle } from "./display";
import { plotlyBundle, plotlyChartHtml, plotlyLoaderHtml } from "./plotly-html";
import type { PlotlySpec } from "../charts/spec";

/** Options of {@link show}. */
export interface ShowOptions {
  /** Height in CSS pixels. Default: `spec.layout.height`, else 450. */
  readonly height?: number;
  /** Width in CSS pixels. Default: `spec.layout.width`, else the full output width. */
  readonly width?: number;
}

const INJECTED = Symbol.for("siemlab.charts.plotlyInjected");
const SESSION = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let chartCounter = 0;

function injectedFlag(): boolean {
  return (globalThis as Record<symbol, unknown>)[INJECTED] === true;
}

function setInjected(value: boolean): void {
  (globalThis as Record<symbol, unknown>)[INJECTED] = value;
}

/**
 * Forget that Plotly.js was sent, so the next {@link show} sends it again. For tests, and for a notebook whose
 * first chart output was cleared (prefer {@link initPlotly} there).
 *
 * @example
 * resetPlotlyInjection();
 */
export function resetPlotlyInjection(): void {
  setInjected(false);
}

/**
 * The display bundle carrying the Plotly.js loader (text/html) and a text/plain note.
 *
 * @example
 * const b = plotlyLoaderBundle(); // b.data["text/html"] ≈ 1.5 MB
 */
export function plotlyLoaderBundle(): DisplayBundle {
  return {
    data: {
      "text/html": plotlyLoaderHtml(),
      "text/plain": `Plotly.js ${plotlyBundle().version} loaded for this notebook (offline, from the npm package plotly.js-cartesian-dist-min)`,
    },
    metadata: {},
    transient: {},
  };
}

/**
 * One-line plain-text description of a chart (the text/plain fallback of {@link show}).
 *
 * @example
 * chartSummary({ data: [{ type: "bar", y: [1] }], layout: { title: { text: "Alerts" } } }); // 'Plotly chart "Alerts": 1 trace (bar)'
 */
export function chartSummary(spec: PlotlySpec): string {
  const title = spec.layout.title;
  const text = typeof title === "string" ? title : title?.text;
  const types = spec.data.map((d) => (d as { type?: string }).type ?? "scatter");
  const n = spec.data.length;
  return `Plotly chart${text ? ` "${text}"` : ""}: ${n} trace${n === 1 ? "" : "s"} (${types.join(", ")})`;
}

/**
 * The display bundle of one chart: text/html (div + script), application/vnd.plotly.v1+json and text/plain.
 * `divId` defaults to a new id unique in the kernel session.
 *
 * @example
 * const b = chartDisplayBundle({ data: [{ type: "bar", y: [1, 2] }], layout: {} });
 */
export function chartDisplayBundle(spec: PlotlySpec, options: ShowOptions & { readonly divId?: string } = {}): DisplayBundle {
  const divId = options.divId ?? `siemlab-plot-${SESSION}-${++chartCounter}`;
  return {
    data: {
      "text/html": plotlyChartHtml(spec, { divId, height: options.height, width: options.width }),
      "application/vnd.plotly.v1+json": JSON.parse(jsonForScript({ data: spec.data, layout: spec.layout, config: spec.config ?? {} })),
      "text/plain": chartSummary(spec),
    },
    metadata: {},
    transient: {},
  };
}

/**
 * Send the Plotly.js bundle to the notebook now (again, if it was sent before). Call it in an early cell of a
 * notebook you edit interactively, so clearing or re-running the first chart cell never loses the bundle.
 *
 * @example
 * sl.initPlotly();
 */
export function initPlotly(): void {
  if (sendDisplay(plotlyLoaderBundle())) setInjected(true);
  else console.log("initPlotly(): not running in a Jupyter kernel (tslab); nothing to load");
}

/**
 * Draw a chart in the notebook (tslab kernel), offline. Sends Plotly.js once per kernel session, then the
 * chart. Outside a kernel it prints a one-line note and draws nothing (use `saveHtml` / `savePng` there).
 *
 * @example
 * sl.show(sl.timelineChart({ x: [0, 1, 2], y: [3, 9, 3], anomalies: [1], title: "Logins" }), { height: 350 });
 */
export function show(spec: PlotlySpec, options: ShowOptions = {}): void {
  if (!injectedFlag()) {
    if (!sendDisplay(plotlyLoaderBundle())) {
      console.log(`show(): not running in a Jupyter kernel (tslab), so nothing is drawn: ${chartSummary(spec)}. Use saveHtml / savePng to write it to a file.`);
      return;
    }
    setInjected(true);
  }
  sendDisplay(chartDisplayBundle(spec, options));
}
