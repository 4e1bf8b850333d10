/**
 * `sl.respond`: from scores to action — findings with evidence, a tiered policy, a plan (dry run by
 * default), executors behind one interface, the audit log, investigation context, summaries and the LLM
 * client. Explicit list (test/public-api.test.ts pins it).
 */
export { ACTION_KINDS, DEFAULT_MIN_CIDR_PREFIX, PolicyError, validatePolicy, loadPolicy, selectTier } from "./policy";
export type { ActionKind, CidrPrefixLimits, TierCondition, PolicyTier, AllowList, ResponsePolicy } from "./policy";
export { SYSTEM_ACCOUNTS, parsePasswd } from "./system-accounts";
export type { PasswdUids } from "./system-accounts";
export { ANOMALY_SCORE_THRESHOLD, ANOMALY_SEVERITY_BANDS, decisionToAnomalyScore, fittedAnomalyScores, severityOf } from "./anomaly-score";
export type { AnomalyScoreOptions, AnomalySeverity } from "./anomaly-score";
export { scoredByDetector, findingsFromScores } from "./finding";
export type { EntityType, Finding, ScoredBy, WindowKey, FindingsOptions } from "./finding";
export { planResponse, planRows } from "./plan";
export type { EventExcerpt, Evidence, PlanStatus, PlannedAction, PlanOptions } from "./plan";
export { previewAction, executePlan, respond } from "./execute-plan";
export type { ExecuteOptions, ExecutionReport, RespondOptions } from "./execute-plan";
export type { ExecutorOutcome, Executor } from "./executors/executor";
export { slackPayload, consoleAlert, consoleLog, jsonLinesAlert, webhookAlert } from "./executors/alert";
export type { SlackPayload, ConsoleAlertOptions, JsonLinesAlertOptions, WebhookAlertOptions, PostJsonOptions, RedirectPolicy } from "./executors/alert";
export { blockIpCommand, blockIpCommandFile, blocklistFile } from "./executors/block-ip";
export type { FirewallFormat, BlockCommandOptions, BlockIpFileOptions } from "./executors/block-ip";
export { lockUserCommand, lockUserCommandFile } from "./executors/lock-user";
export type { LockTool } from "./executors/lock-user";
export { ticketFile } from "./executors/ticket";
export type { Ticket } from "./executors/ticket";
export { AUDIT_COLUMNS, AuditLog, loadAuditLog } from "./audit";
export type { AuditStatus, AuditRow, AuditLogOptions, LoadedAuditLog } from "./audit";
export { Deduplicator } from "./dedup";
export type { DeduplicatorOptions } from "./dedup";
export { investigationContext, contextTimeline, contextTimelineChart, contextCountChart } from "./context";
export type { ContextOptions, EntityCount, ContextEventRow, InvestigationContext, ContextTimeline } from "./context";
export { incidentFacts, summaryText, summarizeIncident } from "./summary";
export type { SummaryOptions, FeatureComparison, ExplainedFeature, SummaryExplanation, FeatureDriver, IncidentFacts, IncidentSummary } from "./summary";
export { Redactor } from "./redact";
export type { RedactorOptions, RestoreOptions } from "./redact";
export { buildSummaryPrompt, llmRequestPreview, llmSummary, llmSummaryFromFacts, llmSummaryHtml, formatLlmSummary } from "./llm";
export type { ChatMessage, LlmOptions, LlmRequestPreview, LlmSummary, SummaryPrompt } from "./llm";
export { checkReplyAgainstEvidence } from "./reply-check";
export type { ReplyCheck, ReplyEvidence } from "./reply-check";
export { watchLog } from "../watch/watcher";
export type { WatchLogOptions, WatchFinding, WatchStatus, WatchSummary, LogWatch, ScoredWindow } from "../watch/watcher";
export type { ClosedWindow, LateEvent } from "../watch/window-clock";
