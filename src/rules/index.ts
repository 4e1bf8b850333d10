/** Sigma detection and correlation rules, run locally on siemlab's parsed events. */
export { type DiagnosticSeverity, type RuleDiagnostic, SigmaRuleError, formatDiagnostic, didYouMean } from "./rule-diagnostic";
export { type SigmaYamlOptions, type SigmaYamlDocument, type SigmaYamlResult, parseSigmaYaml } from "./sigma-yaml";
export { WINDASH_CHARS, type SigmaWildcardOptions, compileSigmaWildcard, hasSigmaWildcard, escapeSigmaWildcards } from "./sigma-wildcard";
export { SIGMA_MODIFIERS, type SigmaValueTest, SigmaValueError, base64OffsetVariants, compileSigmaValue } from "./sigma-modifiers";
export { type SigmaCondition, SigmaConditionSyntaxError, parseSigmaCondition, evaluateSigmaCondition } from "./sigma-condition";
export {
  type SigmaFieldValue, type SigmaFieldSource, type SigmaFieldMapEntry, SIGMA_FIELD_MAP, type SigmaFieldGetter, sigmaFieldGetter,
  type EventLogsource, eventLogsource,
} from "./sigma-field-map";
export {
  SIGMA_LEVELS, type SigmaLevel, type SigmaLogsource, type SigmaRuleMeta, type SigmaDetectionRule, type CompileSigmaOptions,
  readSigmaMeta, compileSigmaRule,
} from "./sigma-rule";
export {
  CORRELATION_TYPES, type CorrelationType, type CorrelationCondition, type SigmaCorrelationRule, parseSigmaTimespan,
  compileSigmaCorrelation, correlationConditionHolds, type CorrelationMode, type CorrelatedRule, type CorrelationHit,
  type CorrelationResult, type EvaluateCorrelationOptions, evaluateCorrelation,
} from "./sigma-correlation";
export {
  type SigmaRuleSet, type LoadSigmaRulesOptions, type SigmaSource, compileSigmaRuleSet, loadSigmaRules, type SigmaAlert,
  type RunSigmaRulesOptions, type SigmaRunResult, runSigmaRules,
} from "./sigma-rule-set";
export { SIGMA_LEVEL_SCORES, sigmaAlertsToFindings } from "./sigma-findings";
export {
  type CompareRulesOptions, type RuleComparisonRow, type RuleFiring, type RuleComparison, compareRulesWithDetectors, formatPrecision,
} from "./rule-evaluation";
