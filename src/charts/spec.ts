/**
 * The chart value every siemlab builder returns: a plain Plotly figure (`{data, layout, config?}`), JSON-ready,
 * so a test can snapshot it and `show` / `saveHtml` / `savePng` can render it anywhere Plotly.js runs.
 * Types come from plotly.js-dist-min's own declarations (type-only import: the bundle cannot run in Node).
 */
import type { Config, Data, Layout } from "plotly.js-dist-min";

export type { Config as PlotlyConfig, Data as PlotlyData, Layout as PlotlyLayout } from "plotly.js-dist-min";

/** A Plotly figure: traces, layout and optional config. Arrays are plain JS arrays (typed arrays are converted on output). */
export interface PlotlySpec {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
}
