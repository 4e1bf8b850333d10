// Public exports of src/respond. Add one `export * from "./module"` line per module.
export {};
