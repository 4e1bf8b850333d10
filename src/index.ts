/**
 * siemlab's public API: every notebook imports from here (`import * as sl from "./src/index"`).
 * Each area re-exports its own modules from its folder's index.
 */
export * from "./errors";
export * from "./events";
export * from "./detectors/index";
export * from "./ingest/index";
export * from "./charts/index";
export * from "./eval/index";
export * from "./features/index";
export * from "./respond/index";
export * from "./tf";
export * from "./random";
export * from "./simulate/samples";
export * from "./simulate/attacks";
