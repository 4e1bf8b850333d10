/**
 * ROC and precision–recall curves of several detectors on one chart.
 */
import { averagePrecision, precisionRecallCurve, rocAuc, rocCurve, type BinaryLabels } from "../eval/metrics";
import { DataError } from "../errors";
import { escapePlotlyText } from "./escape";
import { formatNumber } from "./format";
import type { PlotlySpec } from "./spec";
import { baseLayout, chartColors } from "./theme";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link CurveChartOptions} (unknown names fail with a suggestion). */
const CURVE_CHART_OPTIONS_KEYS: OptionKeys<CurveChartOptions> = { title: true, digits: true };

/**
 * Scores of one detector with ground truth, from which a curve is computed. Give either `scores`
 * (higher = more anomalous, as src/eval/metrics expects) or `decision` (a detector's `decisionFunction`, lower =
 * more anomalous; it is negated).
 */
export interface DetectorScores {
  readonly name: string;
  /** 1/true = anomaly. */
  readonly labels: BinaryLabels;
  readonly scores?: ArrayLike<number>;
  readonly decision?: ArrayLike<number>;
}

/** A precomputed ROC curve. */
export interface RocSeries {
  readonly name: string;
  readonly fpr: ArrayLike<number>;
  readonly tpr: ArrayLike<number>;
  /** Area under the curve, shown in the legend. Default: computed from the points (trapezoids). */
  readonly auc?: number;
}

/** A precomputed precision–recall curve. */
export interface PrSeries {
  readonly name: string;
  readonly precision: ArrayLike<number>;
  readonly recall: ArrayLike<number>;
  /** Average precision, shown in the legend. Default: none. */
  readonly ap?: number;
}

/** Options shared by {@link rocChart} and {@link prChart}. */
export interface CurveChartOptions {
  /** Chart title. Default: "ROC curves" / "Precision–recall curves". */
  readonly title?: string;
  /** Digits of AUC / AP in the legend. Default: 3. */
  readonly digits?: number;
}

function anomalyScoresOf(d: DetectorScores): ArrayLike<number> {
  if (d.scores !== undefined) return d.scores;
  if (d.decision !== undefined) return Array.from(d.decision, (v) => -v);
  throw new DataError(`Detector ${JSON.stringify(d.name)}: give \`scores\` (higher = more anomalous) or \`decision\` (decisionFunction output)`);
}

function isScores(x: RocSeries | PrSeries | DetectorScores): x is DetectorScores {
  return (x as DetectorScores).labels !== undefined;
}

/** The dotted "chance" reference line from (0, y0) to (1, y1), without hover. */
function chanceLine(name: string, y0: number, y1: number): PlotlySpec["data"][number] {
  return {
    type: "scatter",
    mode: "lines",
    name,
    x: [0, 1],
    y: [y0, y1],
    line: { color: chartColors.reference, dash: "dot", width: 1 },
    hoverinfo: "skip",
  };
}

/** A boxed legend inside the plot's bottom corner on `side`, clear of the title however long it gets. */
function insideLegend(side: "left" | "right"): PlotlySpec["layout"]["legend"] {
  const x = side === "left" ? 0.02 : 0.98;
  return { x, y: 0.02, xanchor: side, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#cccccc", borderwidth: 1 };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

/**
 * ROC curves (true vs false positive rate) of several detectors, with the chance diagonal. Each input is a
 * precomputed curve `{name, fpr, tpr, auc?}` or `{name, labels, scores | decision}`.
 *
 * @example
 * const spec = rocChart([
 *   { name: "IsolationForest", labels: y, decision: iforest.decisionFunction(X) },
 *   { name: "LOF", labels: y, decision: lof.decisionFunction(X) },
 * ]);
 */
export function rocChart(series: readonly (RocSeries | DetectorScores)[], options: CurveChartOptions = {}): PlotlySpec {
  checkOptions(options, CURVE_CHART_OPTIONS_KEYS, "rocChart");
  const digits = options.digits ?? 3;
  const data: PlotlySpec["data"] = series.map((s, k) => {
    let fpr: ArrayLike<number>, tpr: ArrayLike<number>, auc: number;
    if (isScores(s)) {
      const scores = anomalyScoresOf(s);
      ({ fpr, tpr } = rocCurve(s.labels, scores));
      auc = rocAuc(s.labels, scores);
    } else {
      ({ fpr, tpr } = s);
      if (fpr.length !== tpr.length) throw new DataError(`ROC curve ${JSON.stringify(s.name)}: fpr and tpr differ in length (${fpr.length} vs ${tpr.length})`);
      auc = s.auc ?? trapezoid(fpr, tpr);
    }
    const name = `${escapePlotlyText(s.name)} (AUC ${auc.toFixed(digits)})`;
    return {
      type: "scatter",
      mode: "lines",
      name,
      x: Array.from(fpr, round),
      y: Array.from(tpr, round),
      line: { color: chartColors.series[k % chartColors.series.length], width: 2, shape: "linear" },
      hovertemplate: `<b>${escapePlotlyText(s.name)}</b><br>false positive rate: %{x:.3f}<br>true positive rate: %{y:.3f}<extra></extra>`,
    };
  });
  data.push(chanceLine("chance (AUC 0.5)", 0, 1));
  const layout = baseLayout({
    title: options.title ?? "ROC curves",
    xTitle: "false positive rate (normal rows flagged / all normal rows)",
    yTitle: "true positive rate (recall)",
  });
  layout.xaxis = { ...layout.xaxis, range: [-0.01, 1.01], constrain: "domain" };
  layout.yaxis = { ...layout.yaxis, range: [-0.01, 1.01], scaleanchor: "x", scaleratio: 1 };
  // Inside the plot, bottom right: ROC curves rarely go there, and a long legend never hits the title.
  layout.legend = insideLegend("right");
  return { data, layout };
}

/**
 * Precision–recall curves of several detectors (step-wise, as average precision integrates them), with the
 * positive-rate baseline when labels are given. Each input is `{name, precision, recall, ap?}` or
 * `{name, labels, scores | decision}`.
 *
 * @example
 * const spec = prChart([{ name: "IsolationForest", labels: y, decision: iforest.decisionFunction(X) }]);
 */
export function prChart(series: readonly (PrSeries | DetectorScores)[], options: CurveChartOptions = {}): PlotlySpec {
  checkOptions(options, CURVE_CHART_OPTIONS_KEYS, "prChart");
  const digits = options.digits ?? 3;
  let baseline: number | undefined;
  const data: PlotlySpec["data"] = series.map((s, k) => {
    let precision: ArrayLike<number>, recall: ArrayLike<number>, ap: number | undefined;
    if (isScores(s)) {
      const scores = anomalyScoresOf(s);
      ({ precision, recall } = precisionRecallCurve(s.labels, scores));
      ap = averagePrecision(s.labels, scores);
      const labels = Array.from(s.labels as ArrayLike<number | boolean>);
      baseline ??= labels.filter((v) => v === 1 || v === true).length / labels.length;
    } else {
      ({ precision, recall, ap } = s);
      if (precision.length !== recall.length) {
        throw new DataError(`PR curve ${JSON.stringify(s.name)}: precision and recall differ in length (${precision.length} vs ${recall.length})`);
      }
    }
    const name = `${escapePlotlyText(s.name)}${ap === undefined ? "" : ` (AP ${ap.toFixed(digits)})`}`;
    return {
      type: "scatter",
      mode: "lines",
      name,
      x: Array.from(recall, round),
      y: Array.from(precision, round),
      line: { color: chartColors.series[k % chartColors.series.length], width: 2, shape: "hv" },
      hovertemplate: `<b>${escapePlotlyText(s.name)}</b><br>recall: %{x:.3f}<br>precision: %{y:.3f}<extra></extra>`,
    };
  });
  if (baseline !== undefined) {
    data.push(chanceLine(`chance (anomaly rate ${formatNumber(baseline, 3)})`, baseline, baseline));
  }
  const layout = baseLayout({
    title: options.title ?? "Precision–recall curves",
    xTitle: "recall (anomalies found / all anomalies)",
    yTitle: "precision (anomalies / rows flagged)",
  });
  layout.xaxis = { ...layout.xaxis, range: [-0.01, 1.01] };
  layout.yaxis = { ...layout.yaxis, range: [-0.01, 1.05] };
  // Inside the plot, bottom left: PR curves fall to the right, and a long legend never hits the title.
  layout.legend = insideLegend("left");
  return { data, layout };
}
