// Public exports of src/features. Add one `export * from "./module"` line per module.
export {};
export * from "./duration";
export * from "./window-counts";
export * from "./entity-key";
export * from "./event-filter";
export * from "./window-plan";
export * from "./window-frame";
export * from "./entity-window-count";
export * from "./template-counts";
export * from "./entity-verdicts";
