// Public exports of src/charts. Add one `export * from "./module"` line per module.
export {};
