/**
 * Contamination explored inside the figure: a Plotly slider whose steps re-colour the flagged points, move the
 * threshold line and update the count in the title. Everything is precomputed from scores computed once, so it
 * works in a saved notebook or an HTML export with no kernel round-trip (tslab has no widgets).
 */
import { DataError, OptionError } from "../errors";
import { contaminationThreshold } from "./score-histogram";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, chartMarkers, thresholdLine } from "./theme";
import { plotlyXValues, type ChartX } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link ContaminationSliderOptions} (unknown names fail with a suggestion). */
const CONTAMINATION_SLIDER_OPTIONS_KEYS: OptionKeys<ContaminationSliderOptions> = { scores: true, x: true, contaminations: true, initial: true, title: true, xTitle: true, yTitle: true, hoverText: true };

/** Options of {@link contaminationSliderChart}. */
export interface ContaminationSliderOptions {
  /** Scores, lower = more abnormal (`decisionFunction` or `scoreSamples` on the training rows). Required. */
  readonly scores: ArrayLike<number>;
  /** Position of each point: time (numbers, Dates, ISO strings) or index. Default: 0, 1, 2, … */
  readonly x?: readonly ChartX[] | ArrayLike<number>;
  /** Contamination of each slider step, each in (0, 0.5]. Default: [0.01, 0.02, 0.05, 0.1, 0.2]. */
  readonly contaminations?: readonly number[];
  /** Contamination selected at first. Default: the step closest to 0.05. */
  readonly initial?: number;
  /** Chart title; the flagged count is appended. Default: "Anomalies by contamination". */
  readonly title?: string;
  /** x axis title. Default: "time (UTC)" for times, "row" for indices. */
  readonly xTitle?: string;
  /** y axis title. Default: "score (lower = more anomalous)". */
  readonly yTitle?: string;
  /** Extra hover line per point (entity, window). Default: none. */
  readonly hoverText?: readonly string[];
}

/**
 * Scores over time with a contamination slider: each step flags the points strictly below that contamination's
 * threshold (the `100·c`-th percentile, scikit-learn's offset rule) in red, moves the dashed threshold line and
 * updates "N flagged" in the title. The figure is self-contained (Plotly `sliders` with `method: "update"`).
 *
 * @example
 * const spec = contaminationSliderChart({ scores: model.scoreSamples(X), contaminations: [0.02, 0.05, 0.1] });
 * spec.layout.sliders?.[0].steps?.length; // 3
 */
export function contaminationSliderChart(options: ContaminationSliderOptions): PlotlySpec {
  checkOptions(options, CONTAMINATION_SLIDER_OPTIONS_KEYS, "contaminationSliderChart");
  const scores = Array.from(options.scores);
  const n = scores.length;
  if (n === 0) throw new DataError("Expected at least one score, got none");
  if (scores.some((v) => !Number.isFinite(v))) throw new DataError("Expected finite scores; drop rows with NaN or Infinity first");
  const xs = options.x === undefined ? { values: scores.map((_, i) => i) as (number | string)[], isTime: false } : plotlyXValues(options.x);
  if (xs.values.length !== n) throw new DataError(`Expected \`x\` to have one value per score (${n}), got ${xs.values.length}`);
  if (options.hoverText !== undefined && options.hoverText.length !== n) {
    throw new DataError(`Expected \`hoverText\` to have one string per score (${n}), got ${options.hoverText.length}`);
  }
  const contaminations = [...(options.contaminations ?? [0.01, 0.02, 0.05, 0.1, 0.2])].sort((a, b) => a - b);
  if (contaminations.length === 0) throw new OptionError("Expected at least one contamination for the slider, got none");
  const target = options.initial ?? 0.05;
  let active = 0;
  contaminations.forEach((c, k) => {
    if (Math.abs(c - target) < Math.abs(contaminations[active] - target)) active = k;
  });
  const title = options.title ?? "Anomalies by contamination";
  const xTitle = options.xTitle ?? (xs.isTime ? "time (UTC)" : "row");
  const yTitle = options.yTitle ?? "score (lower = more anomalous)";

  const steps = contaminations.map((c) => {
    const { value, flagged } = contaminationThreshold(scores, c);
    const isFlagged = scores.map((s) => (s < value ? 1 : 0));
    return {
      c,
      value,
      flagged,
      color: isFlagged,
      size: isFlagged.map((f) => (f ? chartMarkers.anomaly : chartMarkers.normal)),
      title: `${escapePlotlyText(title)}: contamination ${formatNumber(c)} → ${formatNumber(flagged)} flagged`,
    };
  });
  const text = scores.map(
    (s, i) =>
      `${escapePlotlyText(xTitle)}: ${typeof xs.values[i] === "number" ? formatNumber(xs.values[i] as number) : xs.values[i]}<br>` +
      `score: ${formatNumber(s)}` +
      (options.hoverText === undefined ? "" : `<br>${escapePlotlyText(options.hoverText[i])}`),
  );
  const first = steps[active];
  const data: PlotlySpec["data"] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "score (red = flagged)",
      x: xs.values,
      y: scores.map((v) => Math.round(v * 1e6) / 1e6),
      text,
      hovertemplate: "%{text}<extra></extra>",
      line: { color: "#c6dbef", width: 1 },
      marker: {
        color: first.color,
        size: first.size,
        cmin: 0,
        cmax: 1,
        colorscale: [
          [0, chartColors.normal],
          [0.5, chartColors.normal],
          [0.5, chartColors.anomaly],
          [1, chartColors.anomaly],
        ],
        showscale: false,
        line: { color: "#ffffff", width: 0.5 },
      },
    },
  ];
  const layout = baseLayout({ title, xTitle, yTitle });
  layout.title = { text: first.title, x: 0.02, xanchor: "left" };
  if (xs.isTime) layout.xaxis = { ...layout.xaxis, type: "date" };
  layout.shapes = [thresholdLine(first.value, "y")];
  layout.margin = { ...layout.margin, b: 110 };
  layout.sliders = [
    {
      active,
      currentvalue: { prefix: "contamination: ", font: { size: 13 } },
      pad: { t: 50 },
      steps: steps.map((s) => ({
        label: formatNumber(s.c),
        method: "update",
        args: [
          { "marker.color": [s.color], "marker.size": [s.size] },
          { shapes: [thresholdLine(s.value, "y")], "title.text": s.title },
        ],
      })),
    },
  ];
  return { data, layout };
}
