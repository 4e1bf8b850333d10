/**
 * `sl.charts`: pure Plotly spec builders (`{data, layout}`, snapshot-tested, no I/O), tables, and the two
 * edges that use them — `show`/`showTable` (notebook output, src/display/) and HTML/PNG/SVG files
 * (src/export/, headless Chromium). Explicit list (test/public-api.test.ts pins it).
 */
export type { PlotlySpec } from "./spec";
export type { ChartX } from "./time-axis";
export { timelineChart } from "./timeline";
export type { TimelineChartOptions, ExpectedBand } from "./timeline";
export { scoreHistogram, contaminationThreshold } from "./score-histogram";
export type { ScoreThreshold, ScoreHistogramOptions } from "./score-histogram";
export { rocChart, prChart } from "./curves";
export type { DetectorScores, RocSeries, PrSeries, CurveChartOptions } from "./curves";
export { sweepChart } from "./sweep-chart";
export type { SweepChartRow, SweepChartOptions } from "./sweep-chart";
export { entityHeatmap } from "./entity-heatmap";
export type { HeatmapCell, EntityHeatmapOptions } from "./entity-heatmap";
export { decisionContourChart } from "./decision-contour";
export type { DecisionContourOptions } from "./decision-contour";
export { entityTimelineChart } from "./entity-timeline";
export type { AnomalyWindow, EntityTimelineOptions } from "./entity-timeline";
export { alertTimelineChart } from "./alert-timeline";
export type { AlertTimelineFiring, AlertTimelineSpan, AlertTimelineOptions } from "./alert-timeline";
export { contaminationSliderChart } from "./contamination-slider";
export type { ContaminationSliderOptions } from "./contamination-slider";
export { htmlTable, textTable } from "./table";
export type { TableInput, DataFrameLike, TableOptions } from "./table";
export { show, initPlotly } from "../display/show";
export type { ShowOptions } from "../display/show";
export { showTable } from "../display/show-table";
export { standaloneHtml, saveHtml, savePng, saveSvg, openChartRenderer, renderChartImage } from "../export/chart-export";
export type { HtmlExportOptions, ImageExportOptions, ChartRenderer } from "../export/chart-export";
