/**
 * The contamination sweep: how many alerts each contamination raises and, with labels, how precision and
 * recall trade off.
 */
import { DataError } from "../errors";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors } from "./theme";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link SweepChartOptions} (unknown names fail with a suggestion). */
const SWEEP_CHART_OPTIONS_KEYS: OptionKeys<SweepChartOptions> = { title: true, perDay: true };

/** One row of a contamination sweep: what src/eval's `contaminationSweep` returns (extra fields are ignored). */
export interface SweepChartRow {
  readonly contamination: number;
  readonly offset: number;
  /** Rows flagged (alerts raised). */
  readonly flagged: number;
  readonly precision?: number;
  readonly recall?: number;
  readonly f1?: number;
  /** Alerts per day, when the rows span known time. */
  readonly alertsPerDay?: number;
}

/** Options of {@link sweepChart}. */
export interface SweepChartOptions {
  /** Chart title. Default: "Contamination sweep". */
  readonly title?: string;
  /** Plot alerts per day instead of alerts raised, when every row has `alertsPerDay`. Default: false. */
  readonly perDay?: boolean;
}

/**
 * Alerts raised (bars, left axis) against contamination, and precision / recall / F1 (lines, right axis, 0–1)
 * where the rows carry them.
 *
 * @example
 * const spec = sweepChart([
 *   { contamination: 0.01, offset: -0.6, flagged: 10, precision: 0.9, recall: 0.3 },
 *   { contamination: 0.05, offset: -0.5, flagged: 50, precision: 0.5, recall: 0.8 },
 * ]);
 */
export function sweepChart(rows: readonly SweepChartRow[], options: SweepChartOptions = {}): PlotlySpec {
  checkOptions(options, SWEEP_CHART_OPTIONS_KEYS, "sweepChart");
  if (rows.length === 0) throw new DataError("Expected at least one sweep row, got none");
  const sorted = [...rows].sort((a, b) => a.contamination - b.contamination);
  const x = sorted.map((r) => formatNumber(r.contamination));
  const perDay = options.perDay ?? false;
  if (perDay && sorted.some((r) => r.alertsPerDay === undefined)) {
    throw new DataError("`perDay: true` needs `alertsPerDay` on every sweep row; compute the sweep with timestamps or drop perDay");
  }
  const alerts = sorted.map((r) => (perDay ? (r.alertsPerDay as number) : r.flagged));
  const alertWord = perDay ? "alerts / day" : "alerts raised";
  const hover = sorted.map(
    (r) =>
      `contamination ${formatNumber(r.contamination)}<br>threshold (offset) ${formatNumber(r.offset)}<br>` +
      `${formatNumber(r.flagged)} rows flagged` +
      (r.alertsPerDay === undefined ? "" : `<br>${formatNumber(r.alertsPerDay, 3)} alerts / day`) +
      (r.precision === undefined ? "" : `<br>precision ${formatNumber(r.precision, 3)}`) +
      (r.recall === undefined ? "" : `<br>recall ${formatNumber(r.recall, 3)}`) +
      (r.f1 === undefined ? "" : `<br>F1 ${formatNumber(r.f1, 3)}`),
  );
  const data: PlotlySpec["data"] = [
    {
      type: "bar",
      name: alertWord,
      x,
      y: alerts,
      text: hover,
      textposition: "none",
      hovertemplate: "%{text}<extra></extra>",
      marker: { color: chartColors.normal, opacity: 0.45 },
    },
  ];
  const metric = (key: "precision" | "recall" | "f1", name: string, color: string, dash: "solid" | "dash" | "dot") => {
    if (!sorted.every((r) => r[key] !== undefined)) return;
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name,
      x,
      y: sorted.map((r) => Math.round((r[key] as number) * 1e6) / 1e6),
      yaxis: "y2",
      text: hover,
      hovertemplate: "%{text}<extra></extra>",
      line: { color, width: 2, dash },
      marker: { color, size: 6 },
    });
  };
  metric("precision", "precision", chartColors.anomaly, "solid");
  metric("recall", "recall", chartColors.secondary, "solid");
  metric("f1", "F1", chartColors.threshold, "dash");
  const layout = baseLayout({ title: options.title ?? "Contamination sweep", xTitle: "contamination (expected anomaly fraction)", yTitle: alertWord });
  layout.xaxis = { ...layout.xaxis, type: "category" };
  if (data.length > 1) {
    layout.yaxis2 = { title: { text: "precision / recall (0–1)" }, overlaying: "y", side: "right", range: [0, 1.05], tickvals: [0, 0.25, 0.5, 0.75, 1], showgrid: false, automargin: true };
    layout.margin = { ...layout.margin, r: 70 };
  }
  return { data, layout };
}
