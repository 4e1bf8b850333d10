// Public exports of src/eval. Add one `export * from "./module"` line per module.
export {};
export * from "./metrics";
export * from "./sweep";
export * from "./compare";
export * from "./subsample";
export * from "./npz";
export * from "./npy";
export * from "./labelled-data";
export * from "./labelled-csv";
export * from "./comparison-datasets";
