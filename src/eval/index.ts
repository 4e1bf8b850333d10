/**
 * `sl.eval`: how good is a detector — ROC/PR metrics as scikit-learn computes them, contamination sweeps,
 * side-by-side comparisons on labelled data, ADBench `.npz` and labelled CSV loaders. Explicit list
 * (test/public-api.test.ts pins it).
 */
export {
  flagsFromPredictions,
  outlierScores,
  rocCurve,
  rocAuc,
  precisionRecallCurve,
  averagePrecision,
  precisionAtK,
  confusionMatrix,
  precisionRecallF1,
} from "./metrics";
export type { BinaryLabels, RocCurve, PrecisionRecallCurve, ConfusionMatrix, PrecisionRecallF1 } from "./metrics";
export { DEFAULT_SWEEP_CONTAMINATIONS, contaminationSweep, contaminationForMaxAlerts } from "./sweep";
export type { ContaminationSweepOptions, ContaminationSweepRow, MaxAlertsOptions, MaxAlertsAnswer } from "./sweep";
export {
  detectorEntries,
  compareDetectors,
  summarizeComparison,
  comparisonToDataFrame,
  flaggedByDetector,
  scoreDetectors,
  flaggedByKind,
} from "./compare";
export type {
  DetectorEntry,
  LabelledDataset,
  CompareDetectorsOptions,
  ComparisonRow,
  ComparisonSummaryRow,
  FlaggedRows,
  ScoredDetector,
} from "./compare";
export { loadComparisonDatasets, SIM_AUTH_COLUMNS, simulatedAuthWindows } from "./comparison-datasets";
export type { ComparisonDatasetsOptions, ComparisonDataset, ComparisonDatasets, SimulatedAuthWindowsOptions } from "./comparison-datasets";
export { subsampleLabelled } from "./subsample";
export type { LabelledSubsample } from "./subsample";
export type { LabelledData } from "./labelled-data";
export { loadNpz, loadAdbench } from "./npz";
export { parseNpy } from "./npy";
export type { NpyArray } from "./npy";
export { loadLabelledCsv } from "./labelled-csv";
export type { LoadLabelledCsvOptions } from "./labelled-csv";
export { caseRecall, caseRecallTable, flaggedOnlyBy } from "./detector-overlap";
export type { DetectorFlags, CaseRecallOptions, CaseRecall } from "./detector-overlap";
