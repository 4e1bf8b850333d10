import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DataError, OptionError } from "../errors";
import type { Reject } from "../events";
import { parseLogStream, type ParseLogOptions, type ParseSummary } from "../ingest/parse-log";
import { checkOptions, type OptionKeys } from "../options";
import { eventRow, type EventRow } from "./event-row";
import type { EventStore, LoadedFile } from "./source";

/** Options of {@link loadFiles}. */
export interface LoadOptions {
  /** How to read the logs (format, year, time zone, …), as for `parseLogStream`. Default: auto-detected format. */
  readonly parse?: ParseLogOptions;
  /** Events per insert (one transaction in DuckDB, one HTTP request to ClickHouse). Default: 50,000. */
  readonly batchSize?: number;
  /**
   * Called with each reject (lines of loaded files that did not parse), `file` the absolute path as in
   * {@link LoadFileResult.file}. Default: none (they are counted).
   */
  readonly onReject?: (file: string, reject: Reject) => void;
  /** Called after each file. Default: none. */
  readonly onFile?: (result: LoadFileResult) => void;
}

const LOAD_OPTIONS_KEYS: OptionKeys<LoadOptions> = { parse: true, batchSize: true, onReject: true, onFile: true };

/** What happened to one file. */
export interface LoadFileResult {
  readonly file: string;
  readonly fileId: string;
  /**
   * 'loaded' (new), 'resumed' (a cut load continued), 'reloaded' (a file that grew since its complete load: its
   * events replaced), 'skipped' (already complete at this size).
   */
  readonly status: "loaded" | "resumed" | "reloaded" | "skipped";
  /** Line accounting of this read (undefined when skipped: the file was not read). */
  readonly summary?: ParseSummary;
  /**
   * Events stored by this run, and events that were already stored (skipped on a resumed read; on a reload, the
   * events the earlier load had stored, now replaced).
   */
  readonly stored: number;
  readonly alreadyStored: number;
  /** When the same content was loaded before under another path (a rotated file): that path. */
  readonly sameAs?: string;
}

/** Bytes of a file's head that identify it. */
const HEAD_BYTES = 4096;

function headHash(file: string, bytes: number): string {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return createHash("sha256").update(buf.subarray(0, n)).digest("hex").slice(0, 32);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Which record a file on disk continues: the same identity (its first min(size, 4 KiB) bytes), or — for a
 * file first loaded when it was smaller than 4 KiB — a record whose head still matches the file's start.
 */
function matchRecord(file: string, size: number, records: readonly LoadedFile[]): { id: string; head: number; record?: LoadedFile } {
  const head = Math.min(size, HEAD_BYTES);
  const id = headHash(file, head);
  const exact = records.find((r) => r.fileId === id);
  if (exact) return { id, head, record: exact };
  for (const r of records) {
    if (r.headBytes < HEAD_BYTES && r.headBytes > 0 && r.headBytes <= size && r.sourceFile === file && headHash(file, r.headBytes) === r.fileId) {
      return { id: r.fileId, head: r.headBytes, record: r };
    }
  }
  return { id, head };
}

/**
 * Load log files into a store (DuckDB or ClickHouse): each file is streamed through siemlab's parsers once
 * (`parseLogStream`, the CLI's reader) and its events are inserted in batches with the file's progress
 * (events stored so far) — every line accounted for (read = parsed + rejected, per file). Resumable per
 * file: a `loaded_files` record keyed by the file's identity (a hash of its first 4 KiB, so a rotated file
 * under a new name is recognised) makes a re-run skip a complete file, continue a load cut short after its
 * stored events, and read a file that grew since its complete load again, replacing its events (those at its
 * old end can change meaning with the lines that follow: a PAM record paired with the sshd record after it, a
 * half-written last line completed); nothing is stored twice. Throws a DataError when a
 * file shrank since it was loaded, or when the store holds more events of a file than its record says (a
 * ClickHouse load cut between the rows and their record; DuckDB stores both in one transaction).
 *
 * @example
 * const db = await openDuckDb("out/examples/load.duckdb", { create: true });
 * const [r] = await loadFiles(db, ["data/sim/auth.log"], { parse: { year: 2025 } });
 * r.status === "skipped" ? r.alreadyStored : r.stored; // 1235
 * await db.close();
 */
export async function loadFiles(store: EventStore, files: readonly string[], options: LoadOptions = {}): Promise<LoadFileResult[]> {
  checkOptions(options, LOAD_OPTIONS_KEYS, "loadFiles");
  const batchSize = options.batchSize ?? 50_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new OptionError(`Expected \`batchSize\` to be a positive integer, got ${batchSize}`);
  const results: LoadFileResult[] = [];
  for (const given of files) {
    const file = path.resolve(given);
    let size: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) throw new Error("not a regular file");
      size = st.size;
    } catch (e) {
      throw new DataError(`Cannot load ${given}: ${(e as Error).message}`);
    }
    const records = await store.loadedFiles();
    const { id, head, record } = matchRecord(file, size, records);
    const sameAs = record && record.sourceFile !== file ? record.sourceFile : undefined;
    if (record && size < record.sizeBytes) {
      throw new DataError(`${given} is smaller (${size} bytes) than when it was loaded (${record.sizeBytes} bytes, as ${record.sourceFile}): truncated or rewritten; not loaded again`);
    }
    if (record && record.complete && size === record.sizeBytes) {
      const r: LoadFileResult = { file, fileId: id, status: "skipped", stored: 0, alreadyStored: record.events, sameAs };
      results.push(r);
      options.onFile?.(r);
      continue;
    }
    const inStore = await store.storedEvents(id);
    if (inStore !== (record?.events ?? 0)) {
      throw new DataError(
        `${store.engine} at ${store.address} holds ${inStore} events of ${given} but its loaded_files record says ${record?.events ?? 0}: ` +
          `a load was cut between storing rows and recording them; delete the file's rows (file_id '${id}') and load it again`,
      );
    }
    // A file that grew since a complete load is read again from its start and its events replaced: the events at
    // its old end can change meaning with the lines that follow (a PAM record held at the end paired with the sshd
    // record after it, a half-written last line completed), so the first N events of the longer file are not the
    // N stored. The same after a load that read to a damaged end (a record with lines read but not complete). A load
    // cut short (killed: its records count no lines) never reached its end: its stored events are the first N of any
    // read of the file, and it continues after them.
    const reload = record !== undefined && size > record.sizeBytes && (record.complete || record.read > 0);
    if (reload) {
      await store.deleteEvents(id);
      // Recorded before anything is stored again: a reload cut now resumes from 0 events.
      await store.record({ ...record, events: 0, complete: false });
    }
    const already = reload ? 0 : (record?.events ?? 0);
    const sourceFile = record?.sourceFile ?? file;
    let seen = 0;
    let stored = 0;
    let batch: EventRow[] = [];
    const progress = (complete: boolean, s?: ParseSummary): LoadedFile => ({
      fileId: id,
      sourceFile,
      sizeBytes: complete ? size : (record?.sizeBytes ?? 0),
      headBytes: head,
      events: already + stored,
      read: s?.counts.read ?? record?.read ?? 0,
      parsed: s?.counts.parsed ?? record?.parsed ?? 0,
      rejected: s?.counts.rejected ?? record?.rejected ?? 0,
      complete,
    });
    // Full batches wait here until the reader's next flush (it pauses reading until they are stored).
    const full: EventRow[][] = [];
    const flush = async (): Promise<void> => {
      for (let rows = full.shift(); rows !== undefined; rows = full.shift()) {
        stored += rows.length;
        await store.append(progress(false), rows);
      }
    };
    const parse: ParseLogOptions = { ...(options.parse ?? {}) };
    const summary = await parseLogStream(
      file,
      {
        onEvent: (e) => {
          // A resumed read skips the events stored before, in parse order (the parse is deterministic).
          if (seen++ < already) return;
          batch.push(eventRow(e, id, sourceFile));
          if (batch.length >= batchSize) {
            full.push(batch);
            batch = [];
          }
        },
        onReject: options.onReject ? (r) => options.onReject!(file, r) : undefined,
        flush: () => (full.length > 0 ? flush() : undefined),
      },
      parse.year !== undefined || parse.referenceDate !== undefined ? parse : { ...parse, referenceDate: fs.statSync(file).mtimeMs },
    );
    if (batch.length > 0) full.push(batch);
    await flush();
    if (seen < already) {
      throw new DataError(`${given} gave ${seen} events but ${already} were stored from it before: read with other options (format, year, time zone) than its first load? Not loaded again`);
    }
    if (summary.readError !== undefined) {
      await store.record(progress(false, summary));
    } else await store.record(progress(true, summary));
    const r: LoadFileResult = { file, fileId: id, status: reload ? "reloaded" : record ? "resumed" : "loaded", summary, stored, alreadyStored: reload ? record.events : already, sameAs };
    results.push(r);
    options.onFile?.(r);
  }
  return results;
}
