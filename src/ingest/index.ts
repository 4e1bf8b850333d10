/**
 * `sl.ingest`: logs in — read lines (plain, gzip, stdin), detect and parse formats into {@link LogEvent}
 * records with rejects kept, the data-set catalogue, Drain templates, the tutorial format, Danfo frames.
 * Explicit list: a name not here is internal (test/public-api.test.ts pins this list).
 */
export { parseLog, parseLogLines, parseLogStream, detectLogFormat } from "./parse-log";
export type { ParseLogOptions, ParseCounts, FormatScore, FormatDetection, ParseResult, ParseSink, ParseSummary } from "./parse-log";
export { listLogFormats, getLogFormat, registerLogFormat } from "./formats";
export { DEFERRED } from "./log-format";
export type { LineResult, LineParser, FormatOptions, MappedField, LogFormat, SettledLine, ParserNotes } from "./log-format";
export { readLines, readLinesSync } from "./read-lines";
export type { LogLine, ReadLinesOptions, LineSource } from "./read-lines";
export { AUTH_EVENT_TYPES, classifyAuthMessage } from "./auth-events";
export type { AuthFacts } from "./auth-events";
export { DEFAULT_FIELD_MAP } from "./field-map";
export { parseTutorialLog, tutorialEventsToDataFrame } from "./tutorial";
export type { TutorialParseResult, TutorialParseOptions } from "./tutorial";
export { logEventsToDataFrame, rejectsToDataFrame } from "./event-frames";
export { registerDataset, listDatasets, getDatasetInfo, sharedDatasetsDir, findDatasetSync, loadDatasetPath } from "./datasets";
export type { DatasetInfo, DatasetLookupOptions } from "./datasets";
export { hostileLines } from "./hostile-lines";
export { adversarialLines } from "./adversarial-lines";
export type { AdversarialLine } from "./adversarial-lines";
export type { HostileLinesOptions } from "./hostile-lines";
export { WILDCARD, DEFAULT_DRAIN_MASKS, Drain, mineTemplates, templatesToDataFrame } from "./drain";
export type { DrainOptions, DrainTemplate, MinedTemplates } from "./drain";
export { resolveTimeZone } from "./time-zone";
export type { TimeZone } from "./time-zone";
export { civilToUtc, epochToMs, parseIsoTimestamp, parseClfTimestamp, readTimeValue } from "./timestamps";
export type { CivilTime, EpochUnit, TimeValueOptions } from "./timestamps";
export { decodeAccessLogEscapes } from "./access-log";
export type {
  DrainMask, DrainAddResult, DrainChangeType, DrainFullSearchStrategy, DrainMatchOptions, DrainExtractOptions,
  ExtractedParameter, DrainState, DrainTreeNodeState,
} from "./drain";
