import * as fs from "node:fs";
import * as path from "node:path";
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DataError } from "../errors";
import type { WindowFeatures } from "../features/window-counts";
import type { EventRow } from "./event-row";
import { loadedFileFromRow, type EventStore, type LoadedFile } from "./source";
import { windowCountsBySql, type SourceWindowCountsOptions } from "./window-query";

/** Options of {@link openDuckDb}. */
export interface DuckDbOptions {
  /**
   * Open for loading: create the file and its tables when missing. false: open an existing file read-only
   * for queries (several processes may then read it at once; none may write). Default: false.
   */
  readonly create?: boolean;
  /** DuckDB worker threads. Default: DuckDB's (the number of cores). */
  readonly threads?: number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    file_id VARCHAR NOT NULL, source_file VARCHAR NOT NULL, line_no UINTEGER NOT NULL, time_ms DOUBLE,
    event_type VARCHAR NOT NULL, outcome VARCHAR, user_name VARCHAR, src_ip VARCHAR, host VARCHAR, process VARCHAR,
    companion UTINYINT NOT NULL, bytes DOUBLE, companion_type VARCHAR)`,
  // Stores created before companions carried their attempt's type: the column added (their rows NULL: counted as then).
  `ALTER TABLE events ADD COLUMN IF NOT EXISTS companion_type VARCHAR`,
  `CREATE TABLE IF NOT EXISTS loaded_files (
    file_id VARCHAR PRIMARY KEY, source_file VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, head_bytes INTEGER NOT NULL,
    events BIGINT NOT NULL, read BIGINT NOT NULL, parsed BIGINT NOT NULL, rejected BIGINT NOT NULL,
    complete BOOLEAN NOT NULL, updated_ms DOUBLE NOT NULL, parse_settings VARCHAR DEFAULT '')`,
  // Stores created before the parse settings were recorded: the column added (their records read as '' — unknown).
  `ALTER TABLE loaded_files ADD COLUMN IF NOT EXISTS parse_settings VARCHAR DEFAULT ''`,
];

const LOADED_FILES_COLUMNS = "file_id, source_file, size_bytes, head_bytes, events, read, parsed, rejected, complete";

/** Append a text value or NULL. */
function text(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

/** Rows from columns (small results only: the loaded-files list, a count). */
function transpose(cols: unknown[][]): unknown[][] {
  const n = cols[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}

class DuckDbStore implements EventStore {
  readonly engine = "duckdb" as const;
  lastSql: string[] = [];
  constructor(
    readonly address: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** Whether `loaded_files` has the parse_settings column (a store opened read-only may predate it). */
    private readonly hasSettings: boolean,
    /** Whether `events` has the companion_type column (a store opened read-only may predate it). */
    private readonly hasCompanionType: boolean,
  ) {}

  private where(): string {
    return `DuckDB at ${this.address}`;
  }

  private async rows(sql: string, params: readonly string[] = []): Promise<unknown[][]> {
    return transpose(await this.columns(sql, params));
  }

  private async columns(sql: string, params: readonly string[] = []): Promise<unknown[][]> {
    try {
      const r = await this.conn.runAndReadAll(sql, params.length > 0 ? [...params] : undefined);
      return r.getColumnsJS() as unknown[][];
    } catch (e) {
      throw new DataError(`${this.where()}: ${(e as Error).message}`);
    }
  }

  async windowCounts(options: SourceWindowCountsOptions = {}): Promise<WindowFeatures> {
    const sql: string[] = [];
    this.lastSql = sql;
    return windowCountsBySql((q, p) => this.columns(q, p), "duckdb", "events", options, this.where(), (q) => sql.push(q), this.hasCompanionType);
  }

  async loadedFiles(): Promise<LoadedFile[]> {
    const rows = await this.rows(`SELECT ${LOADED_FILES_COLUMNS}, ${this.hasSettings ? "parse_settings" : "''"} FROM loaded_files ORDER BY source_file`);
    return rows.map(loadedFileFromRow);
  }

  async storedEvents(fileId: string): Promise<number> {
    const [[n]] = await this.rows("SELECT count(*) FROM events WHERE file_id = ?", [fileId]);
    return Number(n);
  }

  async deleteEvents(fileId: string): Promise<void> {
    await this.conn.run("DELETE FROM events WHERE file_id = $1", [fileId]);
  }

  private async upsert(f: LoadedFile): Promise<void> {
    await this.conn.run(`INSERT OR REPLACE INTO loaded_files (${LOADED_FILES_COLUMNS}, updated_ms, parse_settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
      f.fileId, f.sourceFile, f.sizeBytes, f.headBytes, f.events, f.read, f.parsed, f.rejected, f.complete, Date.now(), f.parseSettings ?? "",
    ]);
  }

  async append(file: LoadedFile, rows: readonly EventRow[]): Promise<void> {
    try {
      await this.conn.run("BEGIN TRANSACTION");
      const a = await this.conn.createAppender("events");
      for (const r of rows) {
        a.appendVarchar(r.fileId);
        a.appendVarchar(r.sourceFile);
        a.appendUInteger(r.lineNo);
        if (r.timeMs === null) a.appendNull();
        else a.appendDouble(r.timeMs);
        a.appendVarchar(r.eventType);
        text(a, r.outcome);
        text(a, r.user);
        text(a, r.srcIp);
        text(a, r.host);
        text(a, r.process);
        a.appendUTinyInt(r.companion);
        if (r.bytes === null) a.appendNull();
        else a.appendDouble(r.bytes);
        text(a, r.companionType);
        a.endRow();
      }
      a.closeSync();
      await this.upsert(file);
      await this.conn.run("COMMIT");
    } catch (e) {
      await this.conn.run("ROLLBACK").catch(() => undefined);
      throw new DataError(`${this.where()}: storing events failed, nothing of this batch was kept: ${(e as Error).message}`);
    }
  }

  async record(file: LoadedFile): Promise<void> {
    try {
      await this.upsert(file);
    } catch (e) {
      throw new DataError(`${this.where()}: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Open (or create) a DuckDB database file of parsed events: the embedded, default store. It grows across
 * many log files (`loadFiles`) and answers `windowCounts` with one GROUP BY, the rest done by the in-memory
 * path. The instance is created with automatic extension install and load off (no network). One process
 * at a time may open a file for writing (DuckDB's lock). Opened with `create`, a store made by an earlier
 * siemlab gets the columns added since (`loaded_files.parse_settings`, empty for its old records;
 * `events.companion_type`, NULL for its old rows, which then count as they did); opened
 * read-only it is read as it is. Throws a DataError naming the path when the file is missing (without
 * `create`), locked or not a DuckDB database.
 *
 * @example
 * const db = await openDuckDb("out/examples/duckdb.duckdb", { create: true });
 * await loadFiles(db, ["data/sim/auth.log"], { parse: { year: 2025 } });
 * (await db.windowCounts({ by: "srcIp", window: "1m", filter: "failed_password" })).counted; // 479
 * await db.close();
 */
export async function openDuckDb(file: string, options: DuckDbOptions = {}): Promise<EventStore> {
  const abs = path.resolve(file);
  const where = `DuckDB at ${abs}`;
  if (!(options.create ?? false) && !fs.existsSync(abs)) {
    throw new DataError(`${where}: no such database file; create it with 'siemlab load FILE --into duckdb:${file}' (or openDuckDb(path, { create: true }))`);
  }
  // Loaded on first use: the engine is a 68 MB native module that `import * as sl` should not pay for.
  type DuckDb = typeof import("@duckdb/node-api");
  const { DuckDBInstance }: DuckDb = typeof require === "function" ? require("@duckdb/node-api") : await import("@duckdb/node-api");
  const config: Record<string, string> = { autoinstall_known_extensions: "false", autoload_known_extensions: "false" };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (!(options.create ?? false)) config.access_mode = "READ_ONLY";
  let instance: DuckDBInstance;
  try {
    if (options.create) fs.mkdirSync(path.dirname(abs), { recursive: true });
    instance = await DuckDBInstance.create(abs, config);
  } catch (e) {
    throw new DataError(`${where}: cannot open: ${(e as Error).message}`);
  }
  const conn = await instance.connect();
  let hasSettings = true;
  let hasCompanionType = true;
  try {
    if (options.create) for (const s of SCHEMA) await conn.run(s);
    else {
      await conn.run("SELECT 1 FROM events LIMIT 0");
      const has = async (table: string, column: string): Promise<boolean> => {
        const r = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_columns() WHERE table_name = '${table}' AND column_name = '${column}'`);
        return Number(r.getRows()[0][0]) > 0;
      };
      hasSettings = await has("loaded_files", "parse_settings");
      hasCompanionType = await has("events", "companion_type");
    }
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw new DataError(`${where}: ${options.create ? "cannot create the tables" : "not a siemlab event store (no events table)"}: ${(e as Error).message}`);
  }
  return new DuckDbStore(abs, instance, conn, hasSettings, hasCompanionType);
}
