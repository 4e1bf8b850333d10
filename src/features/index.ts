/**
 * `sl.features`: events to numbers — counts per entity per time window (zero-filled), template counts,
 * durations, rule-vs-detector verdicts. Explicit list (test/public-api.test.ts pins it).
 */
export { windowCounts, WindowAccumulator } from "./window-counts";
export type { WindowCountsOptions, WindowRowKey, WindowFeatures } from "./window-counts";
export type { AggregatedCells } from "./window-counts";
export type { ZeroFillCap } from "./zero-fill-cap";
export type { WindowFeature, CustomWindowFeature } from "./window-plan";
export type { EntityKey } from "./entity-key";
export type { EventFilter } from "./event-filter";
export { parseDuration, formatDuration } from "./duration";
export { countByEntityWindow } from "./entity-window-count";
export type { EntityWindowCounts } from "./entity-window-count";
export { templateWindowCounts } from "./template-counts";
export type { TemplateWindowCounts } from "./template-counts";
export { entityVerdicts, featureCells } from "./entity-verdicts";
export type { EntityVerdict, EntityVerdictsOptions, FeatureCell } from "./entity-verdicts";
export { ENTITY_FEATURES, entityFeatures, entityCode } from "./entity-features";
export type { EntityFeatureName, EntityFeatures, EntityFeaturesOptions, FeatureTail } from "./entity-features";
export { featurizeLog } from "./featurize-log";
export type { FeaturizeLogOptions, FeaturizeLogResult, ParallelReport } from "./featurize-log";
export type { WindowAccumulatorState } from "./window-counts";
