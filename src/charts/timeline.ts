/**
 * The tutorial chart: one metric over time, anomalies as red markers on top of the blue line.
 */
import { DataError, OptionError } from "../errors";
import { anomalyMask, type AnomalyMarks } from "./anomaly-marks";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, chartMarkers } from "./theme";
import { plotlyXValues, type ChartX } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link TimelineChartOptions} (unknown names fail with a suggestion). */
const TIMELINE_CHART_OPTIONS_KEYS: OptionKeys<TimelineChartOptions> = { x: true, y: true, anomalies: true, title: true, xTitle: true, yTitle: true, hoverText: true, name: true, anomalyName: true, expected: true };

/** Every option name of {@link ExpectedBand}. */
const EXPECTED_BAND_KEYS: OptionKeys<ExpectedBand> = { typical: true, spread: true, width: true, name: true };

/**
 * The expected value of the metric at each point and how far it usually strays, drawn as a shaded band
 * typical ± width × spread with a dashed line at typical (Elastic's "model bounds" around actual). Use e.g.
 * the entity's baseline median and robust standard deviation (`EntityBaseline.explain`: `typical`, `scale`).
 */
export interface ExpectedBand {
  /** Typical value per point (same length as `y`), or one value for all. Required. */
  readonly typical: ArrayLike<number> | number;
  /** Spread per point (≥ 0, in the metric's unit), or one value for all. Required. */
  readonly spread: ArrayLike<number> | number;
  /** Half-width of the band in spreads. Default: 2. */
  readonly width?: number;
  /** Legend name of the band (raw text). Default: "expected (typical ± 2 × spread)". */
  readonly name?: string;
}

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
  /** An expected-value band drawn under the metric (see {@link ExpectedBand}). Default: none. */
  readonly expected?: ExpectedBand;
}

function perPoint(v: ArrayLike<number> | number, n: number, what: string): (number | null)[] {
  if (typeof v === "number") return Array.from({ length: n }, () => (Number.isFinite(v) ? v : null));
  if (v.length !== n) throw new DataError(`Expected \`expected.${what}\` to have one value per point (${n}), got ${v.length}`);
  return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
}

/** The three traces of an expected band: lower edge, upper edge filled down to it, and the typical line. */
function bandTraces(band: ExpectedBand, x: (number | string)[]): PlotlySpec["data"] {
  checkOptions(band, EXPECTED_BAND_KEYS, "timelineChart expected");
  const n = x.length;
  const width = band.width ?? 2;
  if (!(Number.isFinite(width) && width >= 0)) throw new OptionError(`Expected \`expected.width\` to be a number ≥ 0 (spreads), got ${width}`);
  const typical = perPoint(band.typical, n, "typical");
  const spread = perPoint(band.spread, n, "spread");
  const bad = spread.findIndex((v) => v !== null && v < 0);
  if (bad >= 0) throw new DataError(`Expected \`expected.spread\` to be ≥ 0, got ${spread[bad]} at point ${bad}`);
  const edge = (sign: number) => typical.map((t, i) => (t === null || spread[i] === null ? null : t + sign * width * (spread[i] as number)));
  const [lower, upper] = [edge(-1), edge(1)];
  const name = escapePlotlyText(band.name ?? `expected (typical ± ${formatNumber(width)} × spread)`);
  const text = x.map((_, i) =>
    lower[i] === null ? "no expected value" : `${name}<br>typical: ${formatNumber(typical[i] as number)}<br>band: ${formatNumber(lower[i] as number)} – ${formatNumber(upper[i] as number)}`,
  );
  const edgeLine = { color: chartColors.reference, width: 0 };
  return [
    { type: "scatter", mode: "lines", name, x, y: lower, line: edgeLine, hoverinfo: "skip", showlegend: false, legendgroup: "expected" },
    {
      type: "scatter", mode: "lines", name, x, y: upper, fill: "tonexty", fillcolor: "rgba(127, 127, 127, 0.2)",
      line: edgeLine, text, hovertemplate: "%{text}<extra></extra>", legendgroup: "expected",
    },
    {
      type: "scatter", mode: "lines", name: "typical", x, y: typical, line: { color: chartColors.reference, width: 1, dash: "dash" },
      hoverinfo: "skip", legendgroup: "expected", showlegend: false,
    },
  ];
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
 * const band = timelineChart({ x: [0, 1, 2, 3], y: [5, 6, 40, 5], expected: { typical: 5, spread: [1, 1, 1, 2] } });
 * band.data.length; // 4: lower edge, band (filled to the lower edge), dashed typical line, the metric
 * (band.data[1] as { y: number[] }).y; // [7, 7, 7, 9]: typical + 2 × spread
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
  const data: PlotlySpec["data"] = options.expected === undefined ? [] : bandTraces(options.expected, x);
  data.push(
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
  );
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
