/**
 * The score distribution: a histogram of `decisionFunction` values with the threshold line(s) that one or
 * several contamination values would put on it.
 */
import type { Annotation, Shape } from "plotly.js-dist-min";
import { DataError, OptionError } from "../errors";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, thresholdLine } from "./theme";
import { percentile } from "../percentile";

/** A named threshold on the score axis. */
export interface ScoreThreshold {
  /** Position on the score axis. */
  readonly value: number;
  /** Label next to the line. Default: the value. */
  readonly label?: string;
}

/** Options of {@link scoreHistogram}. */
export interface ScoreHistogramOptions {
  /** Scores, lower = more abnormal (a detector's `decisionFunction` or `scoreSamples`). Required. */
  readonly scores: ArrayLike<number>;
  /**
   * Contamination values whose thresholds to draw: the `100·c`-th percentile of `scores`, i.e. where a detector
   * fitted on these rows with that contamination would cut. Default: none.
   */
  readonly contaminations?: readonly number[];
  /** Extra threshold lines. Default: `[{ value: 0, label: "0 (fitted threshold)" }]` when no contaminations are given. */
  readonly thresholds?: readonly ScoreThreshold[];
  /** Ground truth per row (1/true = anomaly): splits each bar into normal (blue) and anomaly (red). Default: none. */
  readonly labels?: ArrayLike<number> | readonly boolean[];
  /** Number of bins. Default: 40. */
  readonly bins?: number;
  /** Chart title. Default: "Score distribution". */
  readonly title?: string;
  /** x axis title. Default: "decision function (lower = more anomalous)". */
  readonly xTitle?: string;
}

/**
 * The threshold a contamination puts on scores (NumPy-exact percentile, scikit-learn's offset rule) and how many
 * rows fall strictly below it.
 *
 * @example
 * contaminationThreshold([-0.3, 0.1, 0.2, 0.3], 0.25); // { value: 0, flagged: 1 }
 */
export function contaminationThreshold(scores: ArrayLike<number>, contamination: number): { value: number; flagged: number } {
  if (!(contamination > 0 && contamination <= 0.5)) {
    throw new OptionError(`Expected each contamination to be a number in (0, 0.5], got ${contamination}`);
  }
  const value = percentile(scores, 100 * contamination);
  let flagged = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] < value) flagged++;
  return { value, flagged };
}

/**
 * Histogram of scores (pre-binned, so the chart stays small for any number of rows) with dashed orange
 * threshold lines; with `labels`, bars are split into normal (blue) and anomalous (red) rows.
 *
 * @example
 * const spec = scoreHistogram({ scores: model.decisionFunction(X), contaminations: [0.01, 0.05, 0.1] });
 */
export function scoreHistogram(options: ScoreHistogramOptions): PlotlySpec {
  const scores = Array.from(options.scores);
  const finite = scores.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new DataError("Expected at least one finite score to draw a histogram, got none");
  const bins = options.bins ?? 40;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new OptionError(`Expected \`bins\` to be an integer in [1, 1000], got ${bins}`);
  const labels = options.labels === undefined ? undefined : Array.from(options.labels as ArrayLike<number | boolean>, (v) => v === true || v === 1);
  if (labels !== undefined && labels.length !== scores.length) {
    throw new DataError(`Expected \`labels\` to have one entry per score (${scores.length}), got ${labels.length}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) {
    hi = lo + 0.5;
    lo = lo - 0.5;
  }
  const width = (hi - lo) / bins;
  const normal = new Array<number>(bins).fill(0);
  const anomalous = new Array<number>(bins).fill(0);
  scores.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const b = Math.min(bins - 1, Math.floor((v - lo) / width));
    if (labels?.[i]) anomalous[b]++;
    else normal[b]++;
  });
  const centers = normal.map((_, b) => lo + (b + 0.5) * width);
  const hover = (b: number, count: number, what: string) =>
    `score in [${formatNumber(lo + b * width)}, ${formatNumber(lo + (b + 1) * width)})<br>${formatNumber(count)} ${what}`;
  const bar = (counts: number[], name: string, color: string, what: string): PlotlySpec["data"][number] => ({
    type: "bar",
    name,
    x: centers,
    y: counts,
    width: counts.map(() => width),
    text: counts.map((c, b) => hover(b, c, what)),
    textposition: "none",
    hovertemplate: "%{text}<extra></extra>",
    marker: { color, line: { color: "#ffffff", width: 0.5 } },
  });
  const data: PlotlySpec["data"] =
    labels === undefined
      ? [bar(normal, "rows", chartColors.normal, "rows")]
      : [bar(normal, "normal (label)", chartColors.normal, "normal rows"), bar(anomalous, "anomaly (label)", chartColors.anomaly, "anomalous rows")];

  const lines: { value: number; label: string }[] = [];
  for (const c of options.contaminations ?? []) {
    const t = contaminationThreshold(finite, c);
    lines.push({ value: t.value, label: `contamination ${formatNumber(c)}: ${formatNumber(t.flagged)} flagged` });
  }
  const extra = options.thresholds ?? (options.contaminations === undefined ? [{ value: 0, label: "0 (fitted threshold)" }] : []);
  for (const t of extra) lines.push({ value: t.value, label: escapePlotlyText(t.label ?? formatNumber(t.value)) });
  const shapes: Partial<Shape>[] = lines.map((l) => thresholdLine(l.value, "x"));
  const annotations: Partial<Annotation>[] = lines.map((l, k) => ({
    x: l.value,
    xref: "x",
    y: 1 - k * 0.07,
    yref: "paper",
    text: l.label,
    showarrow: false,
    xanchor: "left",
    xshift: 4,
    font: { size: 11, color: "#b35806" },
    bgcolor: "rgba(255,255,255,0.8)",
  }));
  const layout = baseLayout({
    title: options.title ?? "Score distribution",
    xTitle: options.xTitle ?? "decision function (lower = more anomalous)",
    yTitle: "rows",
  });
  layout.barmode = "stack";
  layout.bargap = 0;
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout };
}
