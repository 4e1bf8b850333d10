import type { LogEvent } from "../events";
import { windowCounts, type WindowFeatures } from "../features/window-counts";
import type { EventRow } from "./event-row";
import type { SourceWindowCountsOptions } from "./window-query";

/** Where window features come from: the events in memory, or a column store of parsed events. */
export type EngineName = "memory" | "duckdb" | "clickhouse";

/**
 * A source of window features. Every implementation returns exactly what the in-memory `windowCounts`
 * returns for the same events and options (same rows, order, zero-fill, numbers, `maxRows` cap): stores
 * push the GROUP BY down and hand the cells to the in-memory code for the rest.
 */
export interface EventSource {
  readonly engine: EngineName;
  /** Where it reads: 'memory', a DuckDB file path, or the ClickHouse URL(s). */
  readonly address: string;
  /** Counts per entity per window ({@link WindowFeatures}); see `sl.features.windowCounts` for the options. */
  windowCounts(options?: SourceWindowCountsOptions): Promise<WindowFeatures>;
  /** The SQL texts the last `windowCounts` ran, in order (empty for the in-memory source). */
  readonly lastSql: readonly string[];
  /** Release the connection (a DuckDB file lock, HTTP keep-alive). */
  close(): Promise<void>;
}

/** What a store remembers about one loaded file (the `loaded_files` table). */
export interface LoadedFile {
  /** Identity: SHA-256 (hex, 32 chars) of the file's first `headBytes` bytes. */
  readonly fileId: string;
  /** Path as loaded (absolute). */
  readonly sourceFile: string;
  readonly sizeBytes: number;
  /** How many leading bytes the identity hashes: min(size, 4096) when first loaded. */
  readonly headBytes: number;
  /** Events stored so far, in parse order (a resumed load skips this many). */
  readonly events: number;
  /** Line accounting of the last complete read. */
  readonly read: number;
  readonly parsed: number;
  readonly rejected: number;
  /** Whether the whole file (at `sizeBytes`) was stored. */
  readonly complete: boolean;
  /**
   * The parse settings its events were read with, as JSON (`LoadSettings`, written by loadFiles); undefined for
   * a record written before siemlab stored them (column `parse_settings` empty): unknown.
   */
  readonly parseSettings?: string;
}

/**
 * A `loaded_files` row read back in column order (file_id, source_file, size_bytes, head_bytes, events, read,
 * parsed, rejected, complete, parse_settings), whatever the engine's types: numbers, bigints or TSV text;
 * `complete` as a boolean (DuckDB) or "1"/"0" (ClickHouse's UInt8 in TSV); `parse_settings` '' or NULL
 * (a record from before the column) as undefined.
 *
 * @example
 * loadedFileFromRow(["ab", "/x.log", "10", 10n, 3, 4, 4, 0, "1"]).complete // true
 * loadedFileFromRow(["ab", "/x.log", 10, 10, 3, 4, 4, 0, false, ""]).parseSettings // undefined
 */
export function loadedFileFromRow(r: readonly unknown[]): LoadedFile {
  return {
    fileId: String(r[0] ?? ""),
    sourceFile: String(r[1] ?? ""),
    sizeBytes: Number(r[2]),
    headBytes: Number(r[3]),
    events: Number(r[4]),
    read: Number(r[5]),
    parsed: Number(r[6]),
    rejected: Number(r[7]),
    complete: r[8] === true || r[8] === "1",
    parseSettings: r[9] === undefined || r[9] === null || r[9] === "" ? undefined : String(r[9]),
  };
}

/** A source that can also store parsed events: DuckDB and ClickHouse. */
export interface EventStore extends EventSource {
  readonly engine: "duckdb" | "clickhouse";
  /** Every loaded-file record (the latest state of each). */
  loadedFiles(): Promise<LoadedFile[]>;
  /** Events stored for a file identity (to check a record against the data). */
  storedEvents(fileId: string): Promise<number>;
  /**
   * Store a batch of a file's events and its new progress record (`file.events` already counts them) —
   * atomically in DuckDB (one transaction); in ClickHouse the rows first, then the record.
   */
  append(file: LoadedFile, rows: readonly EventRow[]): Promise<void>;
  /** Record a file's progress without rows (a file done, or one with no events). */
  record(file: LoadedFile): Promise<void>;
  /**
   * Remove every stored event of a file identity (a grown file is loaded again); resolves once they are gone
   * (ClickHouse: its DELETE mutation on each shard has finished).
   */
  deleteEvents(fileId: string): Promise<void>;
}

/**
 * The in-memory source: `windowCounts` over an array of events (the reference every store is compared with).
 *
 * @example
 * const src = memorySource(parseLogLines(["Mar  6 10:00:01 gw sshd[1]: Failed password for root from 10.0.0.1 port 1 ssh2"], { year: 2025 }).events);
 * (await src.windowCounts({ by: "srcIp", window: "1m" })).toRows(); // [[1]]
 */
export function memorySource(events: readonly LogEvent[]): EventSource {
  return {
    engine: "memory",
    address: "memory",
    lastSql: [],
    windowCounts: async (options = {}) => {
      const { maxCells: _ignored, ...rest } = options;
      return windowCounts(events, rest);
    },
    close: async () => undefined,
  };
}
