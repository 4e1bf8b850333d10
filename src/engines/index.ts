/**
 * `sl.engines`: the same window features from other engines — the events in memory, a DuckDB file (embedded,
 * the default store) or ClickHouse over HTTP (one server or a Distributed table over shards). Events are
 * parsed once by siemlab, stored as columns, and the GROUP BY is pushed down; zero-fill, ordering and caps
 * stay in the in-memory code, so every engine returns the in-memory result. Explicit list
 * (test/public-api.test.ts pins it).
 */
export { memorySource } from "./source";
export { sameFeatures } from "./same-features";
export type { EventSource, EventStore, EngineName, LoadedFile } from "./source";
export { openDuckDb } from "./duckdb";
export type { DuckDbOptions } from "./duckdb";
export { openClickHouse } from "./clickhouse";
export type { ClickHouseOptions } from "./clickhouse";
export { openStore } from "./open-store";
export { loadFiles } from "./load";
export type { LoadOptions, LoadFileResult } from "./load";
export type { LoadSettings, GivenSettings, SettingsDifference } from "./load-settings";
export { windowQueries, windowCountsBySql, DEFAULT_MAX_CELLS } from "./window-query";
export type { SqlDialect, SourceWindowCountsOptions, WindowQueries, SqlRunner } from "./window-query";
export { EVENT_COLUMNS, eventRow, tsvField, tsvValue, clickhouseString } from "./event-row";
export type { EventRow } from "./event-row";
