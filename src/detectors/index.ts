/**
 * `sl.detect`: detectors with scikit-learn's contract (`fit`, `scoreSamples`, `decisionFunction`, `predict`,
 * `offset`), the registry notebooks and comparisons use, rules, and what a custom detector needs:
 * {@link BaseDetector} and the matrix helpers. Explicit list (test/public-api.test.ts pins it).
 */
export type { Contamination, DetectorOptions, Detector } from "./types";
export { BaseDetector, checkFeatureCount, offsetFromContamination, validatePositiveInteger } from "./base";
export type { FittedModel } from "./base";
export { toDense } from "../matrix";
export type { DenseMatrix, Matrix } from "../matrix";
export { percentile, medianOfSorted } from "../percentile";
export { IsolationForest } from "./isolation-forest";
export type { IsolationForestOptions } from "./isolation-forest";
export { MlIsolationForest } from "./ml-isolation-forest";
export type { MlIsolationForestOptions } from "./ml-isolation-forest";
export { LocalOutlierFactor } from "./lof";
export type { LocalOutlierFactorOptions } from "./lof";
export type { NeighborAlgorithm } from "./nearest-neighbors";
export { OneClassSVM } from "./ocsvm";
export type { OneClassSVMOptions } from "./ocsvm";
export { RobustZScore } from "./robust-zscore";
export type { RobustZScoreOptions } from "./robust-zscore";
export { Autoencoder } from "./autoencoder";
export type { AutoencoderOptions } from "./autoencoder";
export { ThresholdRule } from "./threshold-rule";
export type { ThresholdRuleOptions } from "./threshold-rule";
export { slidingWindowRule } from "./correlation-rule";
export type { SlidingWindowRuleOptions, SlidingWindowHit } from "./correlation-rule";
export { createDetector, listDetectors, getDetectorEntry } from "./registry";
export type { DetectorFactoryOptions, DetectorCapabilities, RegisteredDetector } from "./registry";
