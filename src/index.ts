/**
 * siemlab's public API: every notebook imports from here (`import * as sl from "./src/index"`).
 * Each area re-exports its own modules from its folder's index.
 */
export * from "./errors";
export * from "./events";
export * from "./detectors/index";
export * from "./ingest/index";
export * from "./charts/index";
export * from "./display/display";
export * from "./display/plotly-html";
export * from "./display/show";
export * from "./display/show-table";
export * from "./export/chromium";
export * from "./export/chart-export";
export * from "./eval/index";
export * from "./features/index";
export * from "./respond/index";
export * from "./tf";
export * from "./matrix";
export * from "./percentile";
export * from "./lazy-danfo";
export * from "./random";
export * from "./simulate/samples";
export * from "./simulate/attacks";
