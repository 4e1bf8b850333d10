// Public exports of src/charts. Add one `export * from "./module"` line per module.
export {};
export * from "./spec";
export * from "./escape";
export * from "./theme";
export * from "./format";
export * from "./anomaly-marks";
export * from "./time-axis";
export * from "./timeline";
export * from "./display";
export * from "./plotly-html";
export * from "./show";
export * from "./chromium";
export * from "./export";
export * from "./table";
