import { DataError } from "../errors";
import { escapePlotlyText } from "./escape";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors, chartMarkers } from "./theme";
import { plotlyDate } from "./time-axis";

/** One alert to place on the timeline. Strings are raw text (escaped by the builder). */
export interface AlertTimelineFiring {
  /** Rule or detector that raised it: one row of the chart per name. */
  readonly name: string;
  /** Epoch ms. */
  readonly time: number;
  /** What it is about (source IP, user), shown on hover. */
  readonly entity: string;
  /** True when the alert is on an attack (drawn red), false for a false positive (drawn blue). */
  readonly attack: boolean;
}

/** A labelled attack, drawn as a shaded band. */
export interface AlertTimelineSpan {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** Options of {@link alertTimelineChart}. */
export interface AlertTimelineOptions {
  readonly firings: readonly AlertTimelineFiring[];
  /** Attack spans shaded behind the markers. Default: none. */
  readonly attacks?: readonly AlertTimelineSpan[];
  /** Row order (top to bottom). Default: names in order of first appearance in `firings`. */
  readonly names?: readonly string[];
  /** Chart title. Default: "When each rule and detector fires". */
  readonly title?: string;
}

/**
 * When each rule and detector fires, on one time axis: one row per rule/detector, a marker per alert
 * (red on an attack, blue otherwise), and the true attacks as shaded, labelled bands. A pure Plotly spec
 * (x in UTC date strings); every label is escaped, as names and entities may come from logs.
 *
 * @example
 * const cmp = compareRulesWithDetectors({ rules: loadSigmaRules("data/rules") });
 * const spec = alertTimelineChart({ firings: cmp.firings, attacks: cmp.attacks });
 * spec.data.map((t) => t.name) // ["on an attack (132)", "false positive (41)"]
 * show(spec);
 */
export function alertTimelineChart(options: AlertTimelineOptions): PlotlySpec {
  const names = options.names ?? [...new Set(options.firings.map((f) => f.name))];
  const row = new Map(names.map((n, i) => [n, i]));
  for (const f of options.firings) {
    if (!row.has(f.name)) throw new DataError(`Firing of '${escapePlotlyText(f.name)}' is not in \`names\`; add it or leave \`names\` out`);
    if (!Number.isFinite(f.time)) throw new DataError(`Firing of '${escapePlotlyText(f.name)}' has no time`);
  }
  const trace = (attack: boolean): PlotlySpec["data"][number] => {
    const fs = options.firings.filter((f) => f.attack === attack);
    return {
      type: "scatter",
      mode: "markers",
      name: `${attack ? "on an attack" : "false positive"} (${fs.length})`,
      x: fs.map((f) => plotlyDate(f.time)),
      y: fs.map((f) => escapePlotlyText(f.name)),
      text: fs.map((f) => `<b>${escapePlotlyText(f.name)}</b><br>${plotlyDate(f.time)}<br>${escapePlotlyText(f.entity)}`),
      hovertemplate: "%{text}<extra></extra>",
      marker: { color: attack ? chartColors.anomaly : chartColors.normal, size: attack ? chartMarkers.anomaly - 2 : chartMarkers.normal, symbol: attack ? "diamond" : "circle", opacity: 0.8 },
    };
  };
  const layout = baseLayout({ title: options.title ?? "When each rule and detector fires", xTitle: "time (UTC)" });
  layout.yaxis = { ...layout.yaxis, type: "category", categoryorder: "array", categoryarray: names.map(escapePlotlyText).reverse(), automargin: true };
  layout.height = Math.max(300, 120 + 32 * names.length);
  layout.shapes = (options.attacks ?? []).map((a) => ({
    type: "rect" as const,
    xref: "x" as const,
    yref: "paper" as const,
    x0: plotlyDate(a.start),
    x1: plotlyDate(Math.max(a.end, a.start + 60_000)),
    y0: 0,
    y1: 1,
    fillcolor: chartColors.threshold,
    opacity: 0.12,
    line: { width: 0 },
    layer: "below" as const,
  }));
  layout.annotations = (options.attacks ?? []).map((a) => ({
    x: plotlyDate(a.start),
    y: 1,
    xref: "x" as const,
    yref: "paper" as const,
    text: escapePlotlyText(a.kind),
    showarrow: false,
    xanchor: "left" as const,
    yanchor: "bottom" as const,
    font: { size: 11, color: "#555555" },
  }));
  return { data: [trace(true), trace(false)], layout };
}
