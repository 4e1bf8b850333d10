/**
 * Many entities over time: an entity × time-window heatmap of a metric, anomalous cells outlined in red.
 */
import { DataError, OptionError } from "../errors";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors } from "./theme";
import { plotlyXValues, type ChartX } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link EntityHeatmapOptions} (unknown names fail with a suggestion). */
const ENTITY_HEATMAP_OPTIONS_KEYS: OptionKeys<EntityHeatmapOptions> = { title: true, valueTitle: true, entityTitle: true, maxEntities: true, missingValue: true };

/** One entity × window cell (a row of an entity-window feature table). */
export interface HeatmapCell {
  /** Entity name (user, source IP, host). Raw text; escaped for display. */
  readonly entity: string;
  /** Window start: number, Date or ISO string. */
  readonly window: ChartX;
  /** Metric value shown as colour (e.g. failed logins in the window). */
  readonly value: number;
  /** Flagged by a detector. Default: false. */
  readonly anomaly?: boolean;
  /** The detector's decision-function value of the cell (negative = outlier), shown on hover. Default: none. */
  readonly decision?: number;
}

/** Options of {@link entityHeatmap}. */
export interface EntityHeatmapOptions {
  /** Chart title. Default: none. */
  readonly title?: string;
  /** Name and unit of the metric (colour bar, hover). Default: "value". */
  readonly valueTitle?: string;
  /** What an entity is, for the y axis and hover ("user", "source IP"). Default: "entity". */
  readonly entityTitle?: string;
  /** Most entities shown: those with an anomaly first, then by total value. Default: 30. */
  readonly maxEntities?: number;
  /** Value of windows without a cell. Default: 0 (no events counted). Use null for "no data" (blank). */
  readonly missingValue?: number | null;
}

/**
 * Entity × time-window heatmap (white → blue), anomalous cells marked with red squares; hover shows the
 * entity, the window, the value and the decision value. Entities with anomalies come first, then the busiest.
 *
 * @example
 * const spec = entityHeatmap([
 *   { entity: "alice", window: "2024-03-01T10:00:00Z", value: 2 },
 *   { entity: "mallory", window: "2024-03-01T10:00:00Z", value: 45, anomaly: true, decision: -0.21 },
 * ], { title: "Failed logins per user and 5-minute window", valueTitle: "failed logins" });
 */
export function entityHeatmap(cells: readonly HeatmapCell[], options: EntityHeatmapOptions = {}): PlotlySpec {
  checkOptions(options, ENTITY_HEATMAP_OPTIONS_KEYS, "entityHeatmap");
  if (cells.length === 0) throw new DataError("Expected at least one heatmap cell, got none");
  const maxEntities = options.maxEntities ?? 30;
  if (!Number.isInteger(maxEntities) || maxEntities < 1) throw new OptionError(`Expected \`maxEntities\` to be a positive integer, got ${maxEntities}`);
  const missing = options.missingValue === undefined ? 0 : options.missingValue;
  const valueTitle = options.valueTitle ?? "value";
  const entityTitle = options.entityTitle ?? "entity";
  const { values: windows, isTime } = plotlyXValues(cells.map((c) => c.window) as ChartX[]);

  // Order windows (numbers numerically, date strings lexically = chronologically) and entities.
  const windowKeys = [...new Set(windows)].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const windowIndex = new Map(windowKeys.map((w, i) => [w, i]));
  const stats = new Map<string, { total: number; anomalies: number }>();
  for (const c of cells) {
    const s = stats.get(c.entity) ?? { total: 0, anomalies: 0 };
    s.total += Number.isFinite(c.value) ? c.value : 0;
    if (c.anomaly) s.anomalies++;
    stats.set(c.entity, s);
  }
  const entities = [...stats.entries()]
    .sort((a, b) => b[1].anomalies - a[1].anomalies || b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxEntities)
    .map(([e]) => e);
  const entityIndex = new Map(entities.map((e, i) => [e, i]));

  const z: (number | null)[][] = entities.map(() => windowKeys.map(() => missing));
  const decision: (number | undefined)[][] = entities.map(() => windowKeys.map(() => undefined));
  const flagged: boolean[][] = entities.map(() => windowKeys.map(() => false));
  cells.forEach((c, k) => {
    const i = entityIndex.get(c.entity);
    if (i === undefined) return;
    const j = windowIndex.get(windows[k]) as number;
    z[i][j] = (z[i][j] ?? 0) + (Number.isFinite(c.value) ? c.value : 0);
    if (c.decision !== undefined) decision[i][j] = c.decision;
    if (c.anomaly) flagged[i][j] = true;
  });

  // Labels on the y axis must be unique after escaping (escaping is injective, so they are).
  const yLabels = entities.map((e) => escapePlotlyText(e));
  const xLabels = windowKeys;
  const windowText = (w: string | number) => (typeof w === "number" ? formatNumber(w) : w);
  const hover = (i: number, j: number) =>
    `${escapePlotlyText(entityTitle)}: <b>${yLabels[i]}</b><br>window: ${windowText(xLabels[j])}<br>` +
    `${escapePlotlyText(valueTitle)}: ${z[i][j] === null ? "no data" : formatNumber(z[i][j] as number)}` +
    (decision[i][j] === undefined ? "" : `<br>decision: ${formatNumber(decision[i][j] as number)}`) +
    (flagged[i][j] ? "<br><b>anomaly</b>" : "");
  const text = entities.map((_, i) => windowKeys.map((_, j) => hover(i, j)));
  const ax: (string | number)[] = [];
  const ay: string[] = [];
  const atext: string[] = [];
  flagged.forEach((row, i) =>
    row.forEach((f, j) => {
      if (!f) return;
      ax.push(xLabels[j]);
      ay.push(yLabels[i]);
      atext.push(text[i][j]);
    }),
  );
  const data: PlotlySpec["data"] = [
    {
      type: "heatmap",
      name: escapePlotlyText(valueTitle),
      x: xLabels,
      y: yLabels,
      z,
      text,
      hovertemplate: "%{text}<extra></extra>",
      colorscale: [
        [0, "#f7fbff"],
        [0.5, "#6baed6"],
        [1, "#08306b"],
      ],
      colorbar: { title: { text: escapePlotlyText(valueTitle) } },
      xgap: 1,
      ygap: 1,
    },
    {
      type: "scatter",
      mode: "markers",
      name: `anomaly (${ax.length})`,
      x: ax,
      y: ay,
      text: atext,
      hovertemplate: "%{text}<extra></extra>",
      marker: { symbol: "square-open", color: chartColors.anomaly, size: 12, line: { width: 2.5, color: chartColors.anomaly } },
    },
  ];
  const shown = stats.size > entities.length ? ` (top ${entities.length} of ${stats.size})` : "";
  const layout = baseLayout({ title: options.title, xTitle: isTime ? "window start (UTC)" : "window", yTitle: `${entityTitle}${shown}` });
  layout.yaxis = { ...layout.yaxis, type: "category", autorange: "reversed", gridcolor: "rgba(0,0,0,0)" };
  layout.xaxis = { ...layout.xaxis, type: isTime ? "date" : "linear", gridcolor: "rgba(0,0,0,0)" };
  layout.height = Math.max(300, Math.min(900, 120 + 22 * entities.length));
  return { data, layout };
}
