// Public exports of src/detectors. Add one `export * from "./module"` line per module.
export * from "./types";
export * from "./lof";
export * from "./nearest-neighbors";
export * from "./ocsvm";
export * from "./robust-zscore";
export * from "./autoencoder";
export * from "./threshold-rule";
export * from "./correlation-rule";
export * from "./isolation-forest";
export * from "./ml-isolation-forest";
export * from "./registry";
