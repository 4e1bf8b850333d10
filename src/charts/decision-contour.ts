/**
 * The classic scikit-learn outlier-detection picture: a 2-D feature scatter over the detector's decision
 * function as a filled contour, with the decision boundary (decision = 0) drawn and flagged rows in red.
 */
import type { Detector } from "../detectors/types";
import { DataError, OptionError } from "../errors";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, chartMarkers } from "./theme";
import { type Matrix, toDense } from "../matrix";

/** Options of {@link decisionContourChart}. */
export interface DecisionContourOptions {
  /** A detector already fitted on two features. Required. */
  readonly detector: Detector;
  /** The rows to plot (two columns). Required. */
  readonly X: Matrix;
  /** Ground truth (1/true = anomaly): true anomalies are drawn as crosses. Default: none. */
  readonly labels?: ArrayLike<number> | readonly boolean[];
  /** Grid points per axis for the contour. Default: 60 (3,600 decision-function calls). */
  readonly gridSize?: number;
  /** Margin around the data, as a fraction of each axis range. Default: 0.1. */
  readonly padding?: number;
  /** Chart title. Default: "<detector name>: decision function". */
  readonly title?: string;
  /** Name and unit of feature 0. Default: "feature 0". */
  readonly xTitle?: string;
  /** Name and unit of feature 1. Default: "feature 1". */
  readonly yTitle?: string;
  /** Hover line per row (e.g. the entity and window). Default: none. */
  readonly hoverText?: readonly string[];
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * Filled contour of `detector.decisionFunction` over a grid spanning `X`, the decision boundary (0) as an orange
 * line, inliers as blue dots and predicted outliers as red dots (crosses mark true anomalies when `labels` are given).
 *
 * @example
 * const model = new IsolationForest({ contamination: 0.05, seed: 0 }).fit(X2);
 * const spec = decisionContourChart({ detector: model, X: X2, xTitle: "failed logins / 5 min", yTitle: "distinct users" });
 */
export function decisionContourChart(options: DecisionContourOptions): PlotlySpec {
  const { detector } = options;
  const M = toDense(options.X);
  if (M.cols !== 2) throw new DataError(`Expected \`X\` with exactly 2 feature columns for a 2-D picture, got ${M.cols}; select two features first`);
  if (detector.nFeaturesIn !== 2) {
    throw new DataError(`Expected a detector fitted on 2 features, got one fitted on ${detector.nFeaturesIn}; fit it on the same two columns as \`X\``);
  }
  const gridSize = options.gridSize ?? 60;
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 400) throw new OptionError(`Expected \`gridSize\` to be an integer in [2, 400], got ${gridSize}`);
  const padding = options.padding ?? 0.1;
  if (!(padding >= 0 && padding <= 2)) throw new OptionError(`Expected \`padding\` to be in [0, 2], got ${padding}`);
  const n = M.rows;
  if (n === 0) throw new DataError("Expected at least one row in `X`, got none");
  if (options.hoverText !== undefined && options.hoverText.length !== n) {
    throw new DataError(`Expected \`hoverText\` to have one string per row (${n}), got ${options.hoverText.length}`);
  }
  const labels = options.labels === undefined ? undefined : Array.from(options.labels as ArrayLike<number | boolean>, (v) => v === true || v === 1);
  if (labels !== undefined && labels.length !== n) throw new DataError(`Expected \`labels\` to have one entry per row (${n}), got ${labels.length}`);

  const col = (j: number) => Array.from({ length: n }, (_, i) => M.data[i * 2 + j]);
  const xs = col(0);
  const ys = col(1);
  const axisGrid = (v: number[]) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new DataError("Expected finite feature values in `X`; drop rows with NaN or Infinity first");
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const pad = (hi - lo) * padding;
    lo -= pad;
    hi += pad;
    return Array.from({ length: gridSize }, (_, k) => lo + ((hi - lo) * k) / (gridSize - 1));
  };
  const gx = axisGrid(xs);
  const gy = axisGrid(ys);
  const grid = new Float64Array(gridSize * gridSize * 2);
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) {
      const k = (r * gridSize + c) * 2;
      grid[k] = gx[c];
      grid[k + 1] = gy[r];
    }
  }
  const zFlat = detector.decisionFunction({ data: grid, rows: gridSize * gridSize, cols: 2 });
  const z = Array.from({ length: gridSize }, (_, r) => Array.from({ length: gridSize }, (_, c) => round(zFlat[r * gridSize + c])));
  const decision = detector.decisionFunction(M);
  const outlier = Array.from(decision, (d) => d < 0);

  const xTitle = options.xTitle ?? "feature 0";
  const yTitle = options.yTitle ?? "feature 1";
  const hover = (i: number) =>
    `row ${i}${outlier[i] ? " <b>(flagged)</b>" : ""}${labels?.[i] ? " · labelled anomaly" : ""}<br>` +
    `${escapePlotlyText(xTitle)}: ${formatNumber(xs[i])}<br>${escapePlotlyText(yTitle)}: ${formatNumber(ys[i])}<br>` +
    `decision: ${formatNumber(decision[i])}` +
    (options.hoverText === undefined ? "" : `<br>${escapePlotlyText(options.hoverText[i])}`);
  const points = (keep: (i: number) => boolean, name: string, color: string, size: number): PlotlySpec["data"][number] => {
    const idx = Array.from({ length: n }, (_, i) => i).filter(keep);
    return {
      type: "scatter",
      mode: "markers",
      name: `${name} (${idx.length})`,
      x: idx.map((i) => round(xs[i])),
      y: idx.map((i) => round(ys[i])),
      text: idx.map(hover),
      hovertemplate: "%{text}<extra></extra>",
      marker: {
        color,
        size,
        symbol: labels === undefined ? "circle" : idx.map((i) => (labels[i] ? "x" : "circle")),
        line: { color: "#ffffff", width: 0.8 },
      },
    };
  };
  const data: PlotlySpec["data"] = [
    {
      type: "contour",
      name: "decision function",
      x: gx.map(round),
      y: gy.map(round),
      z,
      // Light red below the threshold (decision < 0), light blue above: the points stay readable on top.
      colorscale: [
        [0, "#fcbba1"],
        [0.5, "#fff5f0"],
        [0.5, "#f7fbff"],
        [1, "#9ecae1"],
      ],
      zmid: 0,
      contours: { coloring: "heatmap", showlines: false },
      ncontours: 14,
      colorbar: { title: { text: "decision function" } },
      hovertemplate: `${escapePlotlyText(xTitle)}: %{x:.3g}<br>${escapePlotlyText(yTitle)}: %{y:.3g}<br>decision: %{z:.3f}<extra></extra>`,
    },
    {
      type: "contour",
      name: "decision = 0 (threshold)",
      x: gx.map(round),
      y: gy.map(round),
      z,
      showscale: false,
      contours: { coloring: "lines", start: 0, end: 0, size: 1 },
      line: { color: chartColors.threshold, width: 2.5 },
      hoverinfo: "skip",
      showlegend: true,
    },
    points((i) => !outlier[i], "normal", chartColors.normal, chartMarkers.normal + 1),
    points((i) => outlier[i], "flagged", chartColors.anomaly, chartMarkers.anomaly - 2),
  ];
  const layout = baseLayout({ title: options.title ?? `${detector.name}: decision function`, xTitle, yTitle });
  layout.xaxis = { ...layout.xaxis, range: [gx[0], gx[gridSize - 1]], showgrid: false, zeroline: false };
  layout.yaxis = { ...layout.yaxis, range: [gy[0], gy[gridSize - 1]], showgrid: false, zeroline: false };
  return { data, layout };
}
