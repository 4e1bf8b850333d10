// Public exports of src/detectors. Add one `export * from "./module"` line per module.
export * from "./types";
