/**
 * The tutorial chart: one metric over time, anomalies as red markers on top of the blue line.
 */
import { DataError } from "../errors";
import { anomalyMask, type AnomalyMarks } from "./anomaly-marks";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, chartMarkers } from "./theme";
import { plotlyXValues, type ChartX } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link TimelineChartOptions} (unknown names fail with a suggestion). */
const TIMELINE_CHART_OPTIONS_KEYS: OptionKeys<TimelineChartOptions> = { x: true, y: true, anomalies: true, title: true, xTitle: true, yTitle: true, hoverText: true, name: true, anomalyName: true };

/** Options of {@link timelineChart}. All strings are raw text (escaped by the builder). */
export interface TimelineChartOptions {
  /** Time (or any ordered position) of each point: numbers, Dates or ISO-8601 strings. Required. */
  readonly x: readonly ChartX[] | ArrayLike<number>;
  /** Metric value of each point. Required, same length as `x`. */
  readonly y: ArrayLike<number>;
  /** Which points are anomalies (flags, predict() output or indices). Default: none (no red trace). */
  readonly anomalies?: AnomalyMarks;
  /** Chart title. Default: none. */
  readonly title?: string;
  /** x axis title. Default: "time (UTC)" for Dates/ISO strings, none for numbers. */
  readonly xTitle?: string;
  /** y axis title, with the unit. Default: "value". */
  readonly yTitle?: string;
  /** Extra hover line per point (e.g. entity or score). Default: none. */
  readonly hoverText?: readonly string[];
  /** Legend name of the metric trace. Default: `yTitle`. */
  readonly name?: string;
  /** Legend name of the anomaly trace; the count is appended. Default: "anomaly". */
  readonly anomalyName?: string;
}

/**
 * A metric over time as a blue line with markers, anomalies as red markers (the tutorial's "Login attempts
 * per minute" chart). Hover shows the time, the value and `hoverText`.
 *
 * @example
 * const spec = timelineChart({
 *   x: [0, 1, 2, 3], y: [5, 6, 40, 5], anomalies: [2],
 *   title: "Login attempts per minute", xTitle: "minute", yTitle: "attempts / min",
 * });
 * // show(spec);
 */
export function timelineChart(options: TimelineChartOptions): PlotlySpec {
  checkOptions(options, TIMELINE_CHART_OPTIONS_KEYS, "timelineChart");
  const { values: x, isTime } = plotlyXValues(options.x);
  const n = x.length;
  if (options.y.length !== n) {
    throw new DataError(`Expected \`y\` to have one value per \`x\` (${n}), got ${options.y.length}`);
  }
  if (options.hoverText !== undefined && options.hoverText.length !== n) {
    throw new DataError(`Expected \`hoverText\` to have one string per point (${n}), got ${options.hoverText.length}`);
  }
  const y: (number | null)[] = Array.from(options.y, (v) => (Number.isFinite(v) ? v : null));
  const mask = anomalyMask(options.anomalies, n);
  const yTitle = options.yTitle ?? "value";
  const xTitle = options.xTitle ?? (isTime ? "time (UTC)" : undefined);
  const name = options.name ?? yTitle;
  const text = x.map((xi, i) => {
    const lines = [
      `<b>${escapePlotlyText(name)}</b>${mask[i] ? " (anomaly)" : ""}`,
      `${escapePlotlyText(xTitle ?? "x")}: ${typeof xi === "number" ? formatNumber(xi) : xi}`,
      `${escapePlotlyText(yTitle)}: ${y[i] === null ? "missing" : formatNumber(y[i] as number)}`,
    ];
    if (options.hoverText !== undefined) lines.push(escapePlotlyText(options.hoverText[i]));
    return lines.join("<br>");
  });
  const data: PlotlySpec["data"] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: escapePlotlyText(name),
      x,
      y,
      text,
      hovertemplate: "%{text}<extra></extra>",
      line: { color: chartColors.normal, width: 1.5 },
      marker: { color: chartColors.normal, size: chartMarkers.normal },
    },
  ];
  if (options.anomalies !== undefined) {
    const idx = mask.flatMap((m, i) => (m ? [i] : []));
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${escapePlotlyText(options.anomalyName ?? "anomaly")} (${idx.length})`,
      x: idx.map((i) => x[i]),
      y: idx.map((i) => y[i]),
      text: idx.map((i) => text[i]),
      hovertemplate: "%{text}<extra></extra>",
      marker: { color: chartColors.anomaly, size: chartMarkers.anomaly, line: { color: "#ffffff", width: 1 } },
    });
  }
  const layout = baseLayout({ title: options.title, xTitle, yTitle });
  if (isTime) layout.xaxis = { ...layout.xaxis, type: "date" };
  return { data, layout };
}
