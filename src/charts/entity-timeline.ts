/**
 * The investigation view: every event of one entity over time, one row per event type, failures marked,
 * anomalous events ringed in red and anomalous windows shaded.
 */
import type { Shape } from "plotly.js-dist-min";
import type { LogEvent } from "../events";
import { DataError } from "../errors";
import { anomalyMask, type AnomalyMarks } from "./anomaly-marks";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors } from "./theme";
import { plotlyDate, plotlyXValues, type ChartX } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link EntityTimelineOptions} (unknown names fail with a suggestion). */
const ENTITY_TIMELINE_OPTIONS_KEYS: OptionKeys<EntityTimelineOptions> = { events: true, entity: true, anomalies: true, anomalyWindows: true, title: true, maxMessageChars: true };

/** A time span to shade as anomalous (e.g. a flagged 5-minute window). */
export interface AnomalyWindow {
  readonly start: ChartX;
  readonly end: ChartX;
}

/** Options of {@link entityTimelineChart}. */
export interface EntityTimelineOptions {
  /** The entity's events (any order). Required. */
  readonly events: readonly LogEvent[];
  /** Entity name for the title (raw text). Default: none. */
  readonly entity?: string;
  /** Anomalous events, one mark per entry of `events` (flags, predict output or indices). Default: none. */
  readonly anomalies?: AnomalyMarks;
  /** Time spans to shade in red. Default: none. */
  readonly anomalyWindows?: readonly AnomalyWindow[];
  /** Chart title. Default: "Events of <entity>". */
  readonly title?: string;
  /** Longest message shown on hover. Default: 160 characters. */
  readonly maxMessageChars?: number;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

/**
 * Events by type over time for one entity: x = time, y = event type; failures drawn as crosses; anomalous
 * events ringed in red; anomalous windows shaded. Hover shows time, type, outcome, user, source IP, host and
 * the (escaped, clipped) message. Events without a time are left out and counted in the title.
 *
 * @example
 * const spec = entityTimelineChart({ events: eventsOfMallory, entity: "mallory", anomalyWindows: [{ start: t0, end: t1 }] });
 */
export function entityTimelineChart(options: EntityTimelineOptions): PlotlySpec {
  checkOptions(options, ENTITY_TIMELINE_OPTIONS_KEYS, "entityTimelineChart");
  const all = options.events;
  const mask = anomalyMask(options.anomalies, all.length);
  const maxChars = options.maxMessageChars ?? 160;
  const idx = all.map((_, i) => i).filter((i) => Number.isFinite(all[i].time));
  const untimed = all.length - idx.length;
  if (idx.length === 0 && all.length > 0) throw new DataError(`None of the ${all.length} events has a time; parse timestamps first`);
  idx.sort((a, b) => all[a].time - all[b].time || a - b);
  const types = [...new Set(idx.map((i) => all[i].eventType))].sort();

  const hover = (e: LogEvent, anomalous: boolean) => {
    const lines = [`<b>${escapePlotlyText(e.eventType)}</b>${anomalous ? " (anomaly)" : ""}`, `time: ${plotlyDate(e.time)} UTC`];
    if (e.outcome !== undefined) lines.push(`outcome: ${escapePlotlyText(e.outcome)}`);
    if (e.user !== undefined) lines.push(`user: ${escapePlotlyText(e.user)}`);
    if (e.srcIp !== undefined) lines.push(`source IP: ${escapePlotlyText(e.srcIp)}${e.srcPort === undefined ? "" : `:${e.srcPort}`}`);
    if (e.host !== undefined) lines.push(`host: ${escapePlotlyText(e.host)}`);
    lines.push(`line ${formatNumber(e.lineNo)}: ${escapePlotlyText(clip(e.message, maxChars))}`);
    return lines.join("<br>");
  };

  const data: PlotlySpec["data"] = types.map((type, k) => {
    const rows = idx.filter((i) => all[i].eventType === type);
    // The series palette has no red: red stays reserved for anomalies.
    const color = chartColors.series[k % chartColors.series.length];
    return {
      type: "scatter",
      mode: "markers",
      name: `${escapePlotlyText(type)} (${rows.length})`,
      x: rows.map((i) => plotlyDate(all[i].time)),
      y: rows.map(() => escapePlotlyText(type)),
      text: rows.map((i) => hover(all[i], mask[i])),
      hovertemplate: "%{text}<extra></extra>",
      marker: {
        color,
        size: 8,
        opacity: 0.85,
        symbol: rows.map((i) => (all[i].outcome === "failure" ? "x" : "circle")),
      },
    };
  });
  if (options.anomalies !== undefined) {
    const rows = idx.filter((i) => mask[i]);
    data.push({
      type: "scatter",
      mode: "markers",
      name: `anomaly (${rows.length})`,
      x: rows.map((i) => plotlyDate(all[i].time)),
      y: rows.map((i) => escapePlotlyText(all[i].eventType)),
      text: rows.map((i) => hover(all[i], true)),
      hovertemplate: "%{text}<extra></extra>",
      marker: { symbol: "circle-open", color: chartColors.anomaly, size: 16, line: { width: 2.5, color: chartColors.anomaly } },
    });
  }
  const shapes: Partial<Shape>[] = [];
  if (options.anomalyWindows !== undefined && options.anomalyWindows.length > 0) {
    const starts = plotlyXValues(options.anomalyWindows.map((w) => w.start) as ChartX[]).values;
    const ends = plotlyXValues(options.anomalyWindows.map((w) => w.end) as ChartX[]).values;
    starts.forEach((s, k) =>
      shapes.push({ type: "rect", xref: "x", yref: "paper", x0: s, x1: ends[k], y0: 0, y1: 1, fillcolor: chartColors.anomaly, opacity: 0.12, line: { width: 0 }, layer: "below" }),
    );
  }
  const who = options.entity === undefined ? "" : ` of ${options.entity}`;
  const note = untimed > 0 ? ` (${untimed} without time not shown)` : "";
  const layout = baseLayout({ title: (options.title ?? `Events${who}`) + note, xTitle: "time (UTC)", yTitle: "event type" });
  layout.xaxis = { ...layout.xaxis, type: "date" };
  layout.yaxis = { ...layout.yaxis, type: "category", categoryorder: "array", categoryarray: types.map((t) => escapePlotlyText(t)) };
  layout.shapes = shapes;
  layout.height = Math.max(280, Math.min(700, 160 + 40 * types.length));
  return { data, layout };
}
