/**
 * One look for every siemlab chart: normal data blue, anomalies red, thresholds dashed orange, light grid.
 */
import type { Layout, LayoutAxis } from "plotly.js-dist-min";
import { escapePlotlyText } from "./escape";

/** The chart palette. Colour-blind-safe pairs from Plotly's default (D3 category10) palette. */
export const chartColors = {
  /** Normal observations. */
  normal: "#1f77b4",
  /** Anomalies / flagged rows. */
  anomaly: "#d62728",
  /** Threshold lines (decision offset, contamination cut). */
  threshold: "#ff7f0e",
  /** Secondary series (e.g. recall next to precision). */
  secondary: "#2ca02c",
  /** Reference lines (chance diagonal). */
  reference: "#7f7f7f",
  /** Categorical series, in order (one per detector / event type). */
  series: ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"],
} as const;

/** Marker sizes shared by the builders. */
export const chartMarkers = { normal: 6, anomaly: 11 } as const;

/** Options of {@link baseLayout}. Strings are raw text; they are escaped here. */
export interface BaseLayoutOptions {
  /** Chart title. Default: none. */
  readonly title?: string;
  /** x axis title (with unit). Default: none. */
  readonly xTitle?: string;
  /** y axis title (with unit). Default: none. */
  readonly yTitle?: string;
}

/**
 * The shared layout: white background, light grid, legend above the plot, closest-point hover.
 * Title strings are escaped (they may carry log data).
 *
 * @example
 * const layout = baseLayout({ title: "Login attempts per minute", xTitle: "time (UTC)", yTitle: "attempts / min" });
 */
export function baseLayout(options: BaseLayoutOptions = {}): Partial<Layout> {
  const axis = (title: string | undefined) => {
    const a: Partial<LayoutAxis> = { gridcolor: "#e5e5e5", zerolinecolor: "#cccccc", automargin: true };
    if (title !== undefined) a.title = { text: escapePlotlyText(title) };
    return a;
  };
  const layout: Partial<Layout> = {
    font: { family: "Helvetica Neue, Arial, sans-serif", size: 13, color: "#222222" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 60, r: 20, t: options.title === undefined ? 40 : 80, b: 50 },
    hovermode: "closest",
    legend: { orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom" },
    xaxis: axis(options.xTitle),
    yaxis: axis(options.yTitle),
  };
  if (options.title !== undefined) layout.title = { text: escapePlotlyText(options.title), x: 0.02, xanchor: "left" };
  return layout;
}

/**
 * A dashed threshold line across the plot: vertical at x = `at` (`axis: "x"`) or horizontal at y = `at`.
 *
 * @example
 * layout.shapes = [thresholdLine(0, "x")];
 */
export function thresholdLine(at: number, axis: "x" | "y", color: string = chartColors.threshold): NonNullable<Layout["shapes"]>[number] {
  const line = { color, width: 2, dash: "dash" as const };
  return axis === "x"
    ? { type: "line", xref: "x", yref: "paper", x0: at, x1: at, y0: 0, y1: 1, line }
    : { type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: at, y1: at, line };
}
