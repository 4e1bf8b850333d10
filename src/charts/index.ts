// Public exports of src/charts. Add one `export * from "./module"` line per module.
export {};
export * from "./spec";
export * from "./escape";
export * from "./theme";
export * from "./format";
export * from "./anomaly-marks";
export * from "./time-axis";
export * from "./timeline";
export * from "./table";
export * from "./score-histogram";
export * from "./curves";
export * from "./sweep-chart";
export * from "./entity-heatmap";
export * from "./decision-contour";
export * from "./entity-timeline";
export * from "./contamination-slider";
