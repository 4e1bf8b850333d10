/**
 * `sl.detect`: detectors with scikit-learn's contract (`fit`, `scoreSamples`, `decisionFunction`, `predict`,
 * `offset`), the registry notebooks and comparisons use, rules, and what a custom detector needs:
 * {@link BaseDetector} and the matrix helpers. Explicit list (test/public-api.test.ts pins it).
 */
export type { Contamination, DetectorOptions, Detector } from "./types";
export { BaseDetector, DETECTOR_OPTION_KEYS, checkFeatureCount, offsetFromContamination, validatePositiveInteger } from "./base";
export type { OptionKeys } from "../options";
export type { FittedModel } from "./base";
export { toDense } from "../matrix";
export type { DenseMatrix, Matrix } from "../matrix";
export { percentile, medianOfSorted } from "../percentile";
export { IsolationForest } from "./isolation-forest";
export type { IsolationForestOptions, TreeBuilder } from "./isolation-forest";
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
export { createDetector, listDetectors, getDetectorEntry, registerDetector } from "./registry";
export { checkConformance, conformanceChecks } from "./conformance";
export type { DetectorUnderTest, ConformanceCheck, ConformanceResult } from "./conformance";
export type { DetectorFactoryOptions, DetectorCapabilities, RegisteredDetector } from "./registry";
export { decisionScale } from "./anomaly-scale";
export { isolationPathAttribution } from "./iforest-attribution";
export { actualVsTypical } from "./actual-vs-typical";
export type { ActualVsTypical, ActualVsTypicalOptions } from "./actual-vs-typical";
export { EntityBaseline } from "./entity-baseline";
export type { EntityBaselineOptions, BaselineTail, FeatureDeviation, RowExplanation } from "./entity-baseline";
export { saveDetector, loadDetector, checkModelFeatures, ModelFileError, MODEL_FORMAT_VERSION } from "./model-file";
export type { SaveModelOptions, LoadedModel } from "./model-file";
