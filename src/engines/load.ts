import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DataError, OptionError } from "../errors";
import type { Reject } from "../events";
import { parseLogStream, type ParseLogOptions, type ParseSummary } from "../ingest/parse-log";
import { checkOptions, type OptionKeys } from "../options";
import { eventRow, type EventRow } from "./event-row";
import { compareSettings, requestedSettings, settingsText, storedSettings, withOutcome, type LoadSettings, type SettingsDifference } from "./load-settings";
import type { EventStore, LoadedFile } from "./source";

/** Options of {@link loadFiles}. */
export interface LoadOptions {
  /**
   * How to read the logs (format, year, time zone, …), as for `parseLogStream`. Default: auto-detected format;
   * without `year` (and `referenceDate`), a year-less syslog's year inferred from the file's modification time.
   */
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
  /**
   * Read every file that has a load record again from its start and replace the events stored from it (DuckDB
   * DELETE; ClickHouse ALTER … DELETE on every shard, waited for), whatever it was loaded with: the way to
   * read a file again with other parse settings (without `reload` such a file is refused), one recorded before
   * siemlab stored its settings, one that shrank or whose rows and record disagree. Default: false.
   */
  readonly reload?: boolean;
}

const LOAD_OPTIONS_KEYS: OptionKeys<LoadOptions> = { parse: true, batchSize: true, onReject: true, onFile: true, reload: true };

/** What happened to one file. */
export interface LoadFileResult {
  readonly file: string;
  readonly fileId: string;
  /**
   * 'loaded' (new), 'resumed' (a cut load continued), 'reloaded' (its events replaced: it grew since its
   * complete load, or `reload` was asked), 'skipped' (already complete at this size, read with the same
   * settings — or with settings not recorded, see {@link LoadFileResult.storedSettings}), 'refused' (loaded
   * before with other parse settings: not read, its events unchanged; see {@link LoadFileResult.differences}).
   */
  readonly status: "loaded" | "resumed" | "reloaded" | "skipped" | "refused";
  /** 'reloaded': 'grown' (it grew since its complete load) or 'requested' (the `reload` option). */
  readonly reloadReason?: "grown" | "requested";
  /** Line accounting of this read (undefined when skipped or refused: the file was not read). */
  readonly summary?: ParseSummary;
  /**
   * Events stored by this run, and events that were already stored (skipped on a resumed read; on a reload, the
   * events the earlier load had stored, now replaced; when skipped or refused, the events the store keeps).
   */
  readonly stored: number;
  readonly alreadyStored: number;
  /** When the same content was loaded before under another path (a rotated file): that path. */
  readonly sameAs?: string;
  /**
   * The settings the file's stored events were read with, from its load record (skipped, refused, and the
   * earlier load's for a resumed or reloaded file). Undefined when the file had no record, or a record written
   * before siemlab stored the settings: a file 'skipped' without them could not be compared (it is kept as it
   * is; `reload` reads it again with the settings given).
   */
  readonly storedSettings?: LoadSettings;
  /** The settings this run read the file with (format and year as they came out), or asked for when refused. */
  readonly settings?: LoadSettings;
  /** 'refused': each setting asked for that differs from the stored one. */
  readonly differences?: readonly SettingsDifference[];
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
 * half-written last line completed); nothing is stored twice.
 *
 * The record keeps the parse settings that change events ({@link LoadSettings}: format, year, time zone, …).
 * A file loaded before with other settings is refused — status 'refused', its events unchanged, the
 * differences listed — rather than skipped or continued as if its events were what was asked; `reload`
 * replaces its events with ones read with the settings given. A record written before siemlab stored the
 * settings cannot be compared: a complete file is skipped (`storedSettings` undefined says so), a cut or
 * grown one continues as before and its record then holds the settings of this load. Throws a DataError when
 * a file shrank since it was loaded, or when the store holds more events of a file than its record says (a
 * ClickHouse load cut between the rows and their record; DuckDB stores both in one transaction) — unless
 * `reload` is given, which replaces them.
 *
 * @example
 * for (const f of ["out/examples/load.duckdb", "out/examples/load.duckdb.wal"]) require("node:fs").rmSync(f, { force: true });
 * const db = await openDuckDb("out/examples/load.duckdb", { create: true });
 * const [r] = await loadFiles(db, ["data/sim/auth.log"], { parse: { year: 2025 } });
 * r.status === "skipped" ? r.alreadyStored : r.stored; // 1235
 * const [other] = await loadFiles(db, ["data/sim/auth.log"], { parse: { year: 2024 } });
 * [other.status, other.differences?.[0].setting]; // ["refused", "year"]
 * const [again] = await loadFiles(db, ["data/sim/auth.log"], { parse: { year: 2025 } });
 * [again.status, again.storedSettings?.year]; // ["skipped", 2025]
 * await db.close();
 */
export async function loadFiles(store: EventStore, files: readonly string[], options: LoadOptions = {}): Promise<LoadFileResult[]> {
  checkOptions(options, LOAD_OPTIONS_KEYS, "loadFiles");
  const batchSize = options.batchSize ?? 50_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new OptionError(`Expected \`batchSize\` to be a positive integer, got ${batchSize}`);
  const reloadAsked = options.reload ?? false;
  const results: LoadFileResult[] = [];
  const done = (r: LoadFileResult): void => {
    results.push(r);
    options.onFile?.(r);
  };
  for (const given of files) {
    const file = path.resolve(given);
    let size: number;
    let mtimeMs: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) throw new Error("not a regular file");
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch (e) {
      throw new DataError(`Cannot load ${given}: ${(e as Error).message}`);
    }
    // The year of a year-less syslog is inferred from the file's modification time unless given.
    const base = options.parse ?? {};
    const parse: ParseLogOptions = base.year !== undefined || base.referenceDate !== undefined ? { ...base } : { ...base, referenceDate: mtimeMs };
    const requested = requestedSettings(parse);
    const records = await store.loadedFiles();
    const { id, head, record } = matchRecord(file, size, records);
    const sameAs = record && record.sourceFile !== file ? record.sourceFile : undefined;
    const before = storedSettings(record?.parseSettings);
    const replace = record !== undefined && reloadAsked;
    if (record && size < record.sizeBytes && !replace) {
      throw new DataError(
        `${given} is smaller (${size} bytes) than when it was loaded (${record.sizeBytes} bytes, as ${record.sourceFile}): truncated or rewritten; ` +
          `not loaded again (reload: true, or siemlab load --reload, replaces its events with the file as it is now)`,
      );
    }
    if (record && !replace) {
      // Read with other settings, its events would not be the ones stored: refused, not skipped or continued.
      const differences = before === undefined ? [] : await compareSettings(file, before, requested);
      if (differences.length > 0) {
        done({ file, fileId: id, status: "refused", stored: 0, alreadyStored: record.events, sameAs, storedSettings: before, settings: requested, differences });
        continue;
      }
      if (record.complete && size === record.sizeBytes) {
        done({ file, fileId: id, status: "skipped", stored: 0, alreadyStored: record.events, sameAs, storedSettings: before });
        continue;
      }
    }
    if (!replace) {
      const inStore = await store.storedEvents(id);
      if (inStore !== (record?.events ?? 0)) {
        throw new DataError(
          `${store.engine} at ${store.address} holds ${inStore} events of ${given} but its loaded_files record says ${record?.events ?? 0}: ` +
            `a load was cut between storing rows and recording them; load it again with reload: true (siemlab load --reload), or delete the file's rows (file_id '${id}') and load it again`,
        );
      }
    }
    // A file that grew since a complete load is read again from its start and its events replaced: the events at
    // its old end can change meaning with the lines that follow (a PAM record held at the end paired with the sshd
    // record after it, a half-written last line completed), so the first N events of the longer file are not the
    // N stored. The same after a load that read to a damaged end (a record with lines read but not complete). A load
    // cut short (killed: its records count no lines) never reached its end: its stored events are the first N of any
    // read of the file, and it continues after them.
    const grown = record !== undefined && !replace && size > record.sizeBytes && (record.complete || record.read > 0);
    const reload = replace || grown;
    const asked = settingsText(requested);
    if (reload) {
      await store.deleteEvents(id);
      // Recorded before anything is stored again: a reload cut now resumes from 0 events.
      await store.record({ ...record!, events: 0, complete: false, parseSettings: asked });
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
      // Until the read ends, what was asked (format and year not known yet); then what it came to.
      parseSettings: s === undefined ? asked : settingsText(withOutcome(requested, s.format, s.notes)),
    });
    // Full batches wait here until the reader's next flush (it pauses reading until they are stored).
    const full: EventRow[][] = [];
    const flush = async (): Promise<void> => {
      for (let rows = full.shift(); rows !== undefined; rows = full.shift()) {
        stored += rows.length;
        await store.append(progress(false), rows);
      }
    };
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
      parse,
    );
    if (batch.length > 0) full.push(batch);
    await flush();
    if (seen < already) {
      throw new DataError(`${given} gave ${seen} events but ${already} were stored from it before: read with other options (format, year, time zone) than its first load? Not loaded again`);
    }
    await store.record(progress(summary.readError === undefined, summary));
    done({
      file,
      fileId: id,
      status: reload ? "reloaded" : record ? "resumed" : "loaded",
      reloadReason: replace ? "requested" : grown ? "grown" : undefined,
      summary,
      stored,
      alreadyStored: reload ? record!.events : already,
      sameAs,
      storedSettings: before,
      settings: withOutcome(requested, summary.format, summary.notes),
    });
  }
  return results;
}
