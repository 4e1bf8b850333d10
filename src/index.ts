/**
 * siemlab's public API: every notebook imports from here (`import * as sl from "./src"`).
 * Each area re-exports its own modules from its folder's index.
 */
export * from "./errors";
export * from "./events";
export * from "./detectors";
export * from "./ingest";
export * from "./charts";
export * from "./eval";
export * from "./features";
export * from "./respond";
export * from "./tf";
