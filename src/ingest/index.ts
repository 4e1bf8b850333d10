// Public exports of src/ingest. Add one `export * from "./module"` line per module.
export * from "./tutorial";
