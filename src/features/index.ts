// Public exports of src/features. Add one `export * from "./module"` line per module.
export {};
