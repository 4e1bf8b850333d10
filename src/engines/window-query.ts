import { DataError, OptionError } from "../errors";
import { parseDuration } from "../features/duration";
import { WindowAccumulator, type WindowCountsOptions, type WindowFeatures } from "../features/window-counts";
import { plan } from "../features/window-plan";
import { clickhouseString } from "./event-row";

/** The SQL flavour a query is written for: the text differs only in casts and how values are passed. */
export type SqlDialect = "duckdb" | "clickhouse";

/** Options of a store's windowed count: {@link WindowCountsOptions} plus the bound on fetched cells. */
export interface SourceWindowCountsOptions extends WindowCountsOptions {
  /**
   * Most (entity, window) cells the feature query may return. A result with more fails with a DataError
   * that says so (never a silently truncated result); narrow `start`/`end`/`filter` or raise it.
   * Default: 20,000,000.
   */
  readonly maxCells?: number;
}

/** The queries behind one windowed count, as they run (see {@link windowQueries}). */
export interface WindowQueries {
  /** entity, w (window index), then one column per numeric slot and one per distinct slot. */
  readonly cells: string;
  /**
   * One scan of the events passing the filter: counted, min and max time of the counted ones, then those
   * skipped for want of an entity, for want of a time, and as companions of a counted attempt.
   */
  readonly totals: string;
  /** Values bound to the `?` placeholders of `cells` (DuckDB); empty for ClickHouse (literals escaped). */
  readonly params: string[];
  /** Values bound to the `?` placeholders of `totals` (DuckDB); empty for ClickHouse. */
  readonly totalsParams: string[];
  readonly numericKeys: string[];
  readonly distinctKeys: string[];
  readonly windowMs: number;
}

const ENTITY_COLUMN: Record<string, string> = { srcIp: "src_ip", ip: "src_ip", user: "user_name", host: "host", process: "process" };
const NUMERIC_SQL: Record<string, string> = {
  count: "count(*)",
  failures: "sum(CASE WHEN coalesce(outcome, '') = 'failure' AND companion = 0 THEN 1 ELSE 0 END)",
  successes: "sum(CASE WHEN coalesce(outcome, '') = 'success' THEN 1 ELSE 0 END)",
  bytes: "sum(coalesce(bytes, 0))",
};
const DISTINCT_COLUMN: Record<string, string> = { user: "user_name", srcIp: "src_ip", host: "host" };

/** Default bound on fetched cells ({@link SourceWindowCountsOptions.maxCells}). */
export const DEFAULT_MAX_CELLS = 20_000_000;

function timeOption(v: number | Date | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** A number for SQL text: only finite numbers we computed ourselves are inlined. */
function num(x: number): string {
  if (!Number.isFinite(x)) throw new OptionError(`Expected a finite number in SQL, got ${x}`);
  return String(x);
}

/**
 * The SQL of a windowed count pushed down to a column store of parsed events (table `table` with
 * {@link EVENT_COLUMNS}): the GROUP BY (entity, window index) with one aggregate per feature slot, plus the
 * totals `finish()` needs. Windows are integer epoch buckets, `floor(time_ms / window_ms)` — the same double
 * division and floor as the in-memory path (`intDiv` would truncate pre-1970 times toward zero). Event types
 * are bound parameters (DuckDB) or escaped literals (ClickHouse 18.16 has no parameters); numbers are ours.
 * Throws an OptionError for what SQL cannot do: a function as `by`, `filter` or custom feature. A companion
 * row whose `companion_type` passes the filter too is skipped, as in memory (one attempt, one event);
 * `companionTypes: false` is for a store made before that column (every row counted, as then).
 *
 * @example
 * windowQueries("duckdb", "events", { by: "srcIp", window: "1m", filter: "failed_password" }).cells.includes("GROUP BY entity, w") // true
 * windowQueries("clickhouse", "events; DROP TABLE x", {}); // throws: Expected a table name
 */
export function windowQueries(dialect: SqlDialect, table: string, options: SourceWindowCountsOptions, companionTypes = true): WindowQueries {
  if (!/^[A-Za-z_]\w{0,63}(?:\.[A-Za-z_]\w{0,63})?$/.test(table)) throw new OptionError(`Expected a table name such as events or db.events, got ${JSON.stringify(table)}`);
  const by = options.by ?? "srcIp";
  if (typeof by !== "string" || ENTITY_COLUMN[by] === undefined) {
    throw new OptionError(`A column store groups by 'srcIp', 'user', 'host' or 'process'; a function as \`by\` runs only on the in-memory source`);
  }
  const entity = ENTITY_COLUMN[by];
  const windowMs = parseDuration(options.window ?? "1m");
  const p = plan(options.features ?? ["count"]);
  // Each query's `?` values, in the order they appear in its text.
  const params: string[] = [];
  const totalsParams: string[] = [];
  const valueIn =
    (into: string[]) =>
    (v: string): string => {
      if (dialect === "clickhouse") return clickhouseString(v);
      into.push(v);
      return "?";
    };
  const filter = options.filter;
  if (typeof filter === "string" && filter === "") throw new OptionError("Expected `filter` to be an event type such as 'failed_password', got ''");
  if (filter !== undefined && typeof filter !== "string" && !Array.isArray(filter)) {
    throw new OptionError("A column store filters by event type (a string or a list); a predicate as `filter` runs only on the in-memory source");
  }
  /** SQL: `col` is an event type the filter counts. */
  const counts = (col: string, into: string[]): string => {
    const value = valueIn(into);
    if (filter === undefined) return "1 = 1";
    if (typeof filter === "string") return `${col} = ${value(filter)}`;
    const types = filter as readonly string[];
    return types.length === 0 ? "1 = 0" : `${col} IN (${types.map(value).join(", ")})`;
  };
  /** SQL: a companion whose attempt's type is counted too (skipped: the attempt counts once). */
  const skip = (into: string[]): string =>
    companionTypes && filter !== undefined ? `(companion = 1 AND coalesce(companion_type, '') <> '' AND ${counts("coalesce(companion_type, '')", into)})` : "1 = 0";
  const aggs: string[] = [];
  for (const k of p.numericKeys) {
    const sql = NUMERIC_SQL[k];
    if (sql === undefined) throw new OptionError("Custom features run only on the in-memory source; a column store computes count, failures, successes, failureRate, distinctUsers, distinctIps, distinctHosts and bytesSum");
    aggs.push(sql);
  }
  for (const k of p.distinctKeys) {
    const col = DISTINCT_COLUMN[k];
    if (col === undefined) throw new OptionError("Custom features run only on the in-memory source; a column store computes count, failures, successes, failureRate, distinctUsers, distinctIps, distinctHosts and bytesSum");
    aggs.push(`coalesce(count(DISTINCT ${col}), 0)`); // ClickHouse 18.16: NULL when every value is NULL
  }
  const bucket = dialect === "clickhouse" ? `toInt64(floor(time_ms / ${num(windowMs)}))` : `CAST(floor(time_ms / ${num(windowMs)}) AS BIGINT)`;
  const hasEntity = `coalesce(${entity}, '') <> ''`;
  // Only windows inside an explicit start/end can become rows: cells outside are not fetched.
  const start = timeOption(options.start);
  const end = timeOption(options.end);
  const range = [start !== undefined ? `w >= ${num(Math.floor(start / windowMs))}` : "", end !== undefined ? `w <= ${num(Math.floor(end / windowMs))}` : ""].filter((s) => s !== "");
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  if (!Number.isInteger(maxCells) || maxCells < 1) throw new OptionError(`Expected \`maxCells\` to be a positive integer, got ${maxCells}`);
  const filterSql = `${counts("event_type", params)} AND NOT ${skip(params)}`;
  const cells =
    `SELECT entity, w,\n       ${aggs.join(",\n       ")}\n` +
    `FROM (\n` +
    `  SELECT ${entity} AS entity, ${bucket} AS w,\n` +
    `         outcome, companion, user_name, src_ip, host, bytes\n` +
    `  FROM ${table}\n` +
    `  WHERE ${filterSql}\n` +
    `    AND ${hasEntity} AND time_ms IS NOT NULL\n` +
    `) AS e\n` +
    (range.length > 0 ? `WHERE ${range.join(" AND ")}\n` : "") +
    `GROUP BY entity, w\n` +
    `ORDER BY w\n` +
    `LIMIT ${maxCells + 1}`;
  const kept = `skipped = 0 AND ${hasEntity} AND time_ms IS NOT NULL`;
  const totals =
    `SELECT sum(CASE WHEN ${kept} THEN 1 ELSE 0 END),\n` +
    `       min(CASE WHEN ${kept} THEN time_ms ELSE NULL END),\n` +
    `       max(CASE WHEN ${kept} THEN time_ms ELSE NULL END),\n` +
    `       sum(CASE WHEN skipped = 0 AND coalesce(${entity}, '') = '' THEN 1 ELSE 0 END),\n` +
    `       sum(CASE WHEN skipped = 0 AND ${hasEntity} AND time_ms IS NULL THEN 1 ELSE 0 END),\n` +
    `       sum(skipped)\n` +
    `FROM (\n` +
    `  SELECT ${entity}, time_ms, CASE WHEN ${skip(totalsParams)} THEN 1 ELSE 0 END AS skipped\n` +
    `  FROM ${table}\n` +
    `  WHERE ${counts("event_type", totalsParams)}\n` +
    `) AS e`;
  return { cells, totals, params, totalsParams, numericKeys: p.numericKeys, distinctKeys: p.distinctKeys, windowMs };
}

/**
 * Runs one SQL text (with the `?` values for DuckDB) and returns its result column by column (one array of
 * values per selected column; NULL as null or undefined). Columns, not rows: a feature query returns up to
 * millions of cells, and column arrays cost far less to build than one array per row.
 */
export type SqlRunner = (sql: string, params: readonly string[]) => Promise<ArrayLike<unknown>[]>;

const toNumber = (v: unknown): number => (v === null || v === undefined ? NaN : typeof v === "bigint" ? Number(v) : Number(v));

/**
 * A windowed count on a column store: runs {@link windowQueries} and hands the cells to the in-memory
 * path's {@link WindowAccumulator} (`addCells` then `finish`), which does the zero-fill, ordering and
 * `maxRows` cap — one code path for every engine, so the result is the in-memory result. `onSql` sees each
 * SQL text before it runs. Throws a DataError naming `where` when the cells exceed `maxCells`.
 *
 * @example
 * // A stand-in store answering the two queries (column by column): one cell (10.0.0.1, minute 2) of 3 events.
 * const run = async (sql: string) => (sql.includes("GROUP BY") ? [["10.0.0.1"], [2], [3]] : [[3], [120000], [179000], [0], [0]]);
 * const f = await windowCountsBySql(run, "duckdb", "events", { window: "1m" }, "a stand-in");
 * f.toRows(); // [[3]]
 */
export async function windowCountsBySql(
  run: SqlRunner,
  dialect: SqlDialect,
  table: string,
  options: SourceWindowCountsOptions,
  where: string,
  onSql?: (sql: string) => void,
  companionTypes = true,
): Promise<WindowFeatures> {
  const { maxCells, ...counts } = options;
  const acc = new WindowAccumulator(counts); // validates the options first
  const q = windowQueries(dialect, table, options, companionTypes);
  const limit = maxCells ?? DEFAULT_MAX_CELLS;
  const go = (sql: string, params: string[]): Promise<ArrayLike<unknown>[]> => {
    onSql?.(sql);
    return run(sql, params);
  };
  const cols = await go(q.cells, q.params);
  const n = cols[0]?.length ?? 0;
  if (n > limit) {
    throw new DataError(`${where}: the feature query returned more than ${limit} (entity, window) cells (maxCells / --max-cells); narrow it with start/end or an event filter, or raise the limit`);
  }
  const totals = (await go(q.totals, q.totalsParams)).map((c) => c[0]);
  const col = (i: number): ArrayLike<unknown> => cols[i] ?? [];
  const entities = Array.from(col(0), String);
  const windows = Float64Array.from(col(1), toNumber);
  const slots: Record<string, Float64Array> = {};
  [...q.numericKeys, ...q.distinctKeys].forEach((k, i) => (slots[k] = Float64Array.from(col(2 + i), toNumber)));
  const zero = (v: unknown) => (v === null || v === undefined ? 0 : toNumber(v));
  acc.addCells({
    entities,
    windows,
    slots,
    counted: zero(totals[0]),
    minTime: toNumber(totals[1]),
    maxTime: toNumber(totals[2]),
    skippedNoEntity: zero(totals[3]),
    skippedNoTime: zero(totals[4]),
    skippedCompanions: zero(totals[5]),
  });
  return acc.finish();
}
