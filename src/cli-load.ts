import type { Readable, Writable } from "node:stream";
import { ingestOptions, integerOption, RejectSample, summaryText, UsageError, type OptionValues } from "./cli-ingest";
import type { LoadFileResult } from "./engines/load";
import type { EventStore } from "./engines/source";
import type { SourceWindowCountsOptions } from "./engines/window-query";
import { SiemlabError } from "./errors";
import type { WindowFeatures } from "./features/window-counts";
import { escapeControlsKeepLines } from "./terminal-text";
import { lazyModule } from "./lazy-module";

/** The options `load` and `--from` add to the CLI (merged into its option table). */
export const STORE_CLI_OPTIONS = {
  into: { type: "string" },
  from: { type: "string" },
  batch: { type: "string" },
  "max-cells": { type: "string" },
  reload: { type: "boolean" },
} as const;

/** Help lines for the CLI's usage text. */
export const STORE_HELP = `
Column stores (siemlab load, --from):
  siemlab load FILE... --into duckdb:PATH | clickhouse:URL[,URL...]
                       parse the files once and store their events (time, type, outcome, user, srcIp,
                       host, process, file, line) in a DuckDB file (created if missing; grows across
                       files) or ClickHouse over HTTP (several URLs: the shards of a Distributed table;
                       ?database=NAME, default siemlab); every line accounted for per file; resumable:
                       a complete file is skipped, a cut load continues where it stopped, a file
                       that grew since its load is read again (its events replaced). Each file's
                       record keeps the settings that change its events (format, year, --tz,
                       --epoch-unit, --max-line): a file loaded before with other settings is
                       refused (exit 1, its stored events unchanged, both settings named)
  --batch N            events per insert (default: 50000)
  --reload             read the FILEs again from their start and replace their stored events: to load
                       a file with other settings (or one loaded before settings were recorded)
  siemlab features|detect --from duckdb:PATH | clickhouse:URL [options]
                       the same CSV as from the log file, the counting pushed down to the store
  --max-cells N        bound on the (entity, window) cells a store may return (default: 20000000);
                       a larger result fails and says so (never truncated silently)
`;

interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Open a store for the CLI: an unknown scheme is a usage error (exit 2), an unreachable store an input error (exit 1). */
async function open(address: string, create: boolean): Promise<EventStore> {
  try {
    // Loaded when a store is used: the engines (HTTP, crypto, DuckDB) are not part of every CLI start-up.
    const { openStore } = await lazyModule(() => require("./engines/open-store") as typeof import("./engines/open-store"), () => import("./engines/open-store"));
    return await openStore(address, { create });
  } catch (e) {
    if (e instanceof SiemlabError && e.name === "OptionError") throw new UsageError(e.message);
    throw e;
  }
}

/**
 * `siemlab load FILE... --into duckdb:PATH | clickhouse:URL`: each file streamed through the parsers and
 * stored in batches (`loadFiles`), a summary per file on stderr (format, lines read/parsed/rejected, events
 * stored, skipped, resumed, reloaded or refused) and a total. Resolves to the exit code: 0, or 1 when a file could
 * not be read to its end or was refused (loaded before with other parse settings; `--reload` replaces its events).
 *
 * @example
 * await loadCommand(["data/sim/auth.log"], { into: "duckdb:out/examples/cli.duckdb", year: "2025" }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }); // 0
 */
export async function loadCommand(files: readonly string[], values: OptionValues, io: Io): Promise<number> {
  for (const k of ["by", "event", "window", "sparse", "detector", "contamination", "seed", "out", "max-rows", "csv", "rejects", "from", "max-cells"]) {
    if (values[k] !== undefined) throw new UsageError(`--${k} does not apply to 'siemlab load'`);
  }
  const into = values.into as string | undefined;
  if (into === undefined) throw new UsageError("load needs --into duckdb:PATH or --into clickhouse:URL");
  if (files.length === 0 || files.includes("-")) throw new UsageError("load needs one or more FILEs (stdin cannot be resumed)");
  const parse = ingestOptions(values);
  const batchSize = integerOption("batch", values.batch as string | undefined, 1, 10_000_000) ?? 50_000;
  const store = await open(into, true);
  let status = 0;
  let total = 0;
  let refused = 0;
  const t0 = performance.now();
  try {
    const samples = new Map<string, RejectSample>();
    const { loadFiles } = await lazyModule(() => require("./engines/load") as typeof import("./engines/load"), () => import("./engines/load"));
    await loadFiles(store, files, {
      parse,
      batchSize,
      reload: values.reload === true,
      onReject: (file, r) => {
        let s = samples.get(file);
        if (!s) samples.set(file, (s = new RejectSample(5)));
        s.add(r);
      },
      onFile: (r) => {
        const name = escapeControlsKeepLines(r.file);
        if (r.status === "skipped") {
          io.stderr.write(
            `siemlab: ${name}: already loaded (${r.alreadyStored} events${r.sameAs ? `, as ${escapeControlsKeepLines(r.sameAs)}` : ""}); skipped` +
              (r.storedSettings === undefined
                ? ` (loaded by an earlier siemlab that did not record its parse settings: they cannot be compared with these; add --reload to read it again with these settings)`
                : "") +
              `\n`,
          );
          return;
        }
        if (r.status === "refused") {
          status = 1;
          refused++;
          io.stderr.write(refusedText(name, r));
          return;
        }
        const s = r.summary!;
        if (s.readError !== undefined) status = 1;
        total += r.stored;
        io.stderr.write(
          `siemlab: ${name}:\n` +
            summaryText(
              s,
              (samples.get(r.file)?.text() ?? "") +
                `siemlab: ${r.stored} events stored` +
                (r.status === "resumed" ? ` (resumed: ${r.alreadyStored} were stored before and skipped)` : "") +
                (r.status === "reloaded" && r.reloadReason === "grown" ? ` (reloaded: it grew since its complete load; the ${r.alreadyStored} events stored then were replaced)` : "") +
                (r.status === "reloaded" && r.reloadReason === "requested" ? ` (reloaded with --reload: the ${r.alreadyStored} events stored before were replaced)` : "") +
                (r.sameAs ? ` (same content as ${r.sameAs})` : "") +
                `\n`,
            ),
        );
      },
    });
  } finally {
    await store.close();
  }
  io.stderr.write(`siemlab: ${files.length} file${files.length === 1 ? "" : "s"}${refused > 0 ? ` (${refused} refused)` : ""}, ${total} events stored into ${store.engine} at ${escapeControlsKeepLines(store.address)} in ${((performance.now() - t0) / 1000).toFixed(3)} s\n`);
  return status;
}

/** The CLI option of each setting (the others have none: library options of `parse`). */
const SETTING_FLAGS: Readonly<Record<string, string>> = { format: "--format", year: "--year", timeZone: "--tz", epochUnit: "--epoch-unit", maxLineLength: "--max-line" };

/**
 * What `load` says about a refused file: each setting that differs, stored and asked, and the two ways on.
 *
 * @example
 * refusedText("/logs/a.log", { file: "/logs/a.log", fileId: "x", status: "refused", stored: 0, alreadyStored: 7,
 *   storedSettings: { ...requestedSettings({ year: 2025 }), format: "rfc3164", year: 2025, yearSource: "given" },
 *   differences: [{ setting: "year", stored: "2025 (given)", requested: "2024 (given)" }] }).split("\n")[1]; // "  year (--year): stored 2025 (given), asked 2024 (given)"
 */
export function refusedText(name: string, r: LoadFileResult): string {
  const before = r.storedSettings;
  const hints: string[] = [];
  const lines = (r.differences ?? []).map((d) => {
    const flag = SETTING_FLAGS[d.setting];
    if (flag !== undefined && before !== undefined) {
      const v = d.setting === "format" ? before.format : d.setting === "year" ? before.year : before[d.setting as "timeZone" | "epochUnit" | "maxLineLength"];
      if (v !== undefined) hints.push(`${flag} ${v}`);
    }
    return `  ${d.setting}${flag ? ` (${flag})` : ""}: stored ${d.stored}, asked ${d.requested}\n`;
  });
  return (
    `siemlab: ${name}: refused: loaded before with other parse settings; its ${r.alreadyStored} stored events are unchanged:\n` +
    lines.join("") +
    `siemlab: to keep them, load it as it was loaded${hints.length > 0 ? ` (${hints.join(" ")})` : ""}; to replace them with events read with these settings, add --reload\n`
  );
}

/** The reading options that only apply to a log FILE (the store's events were parsed at load time). */
const PARSE_ONLY = ["format", "year", "tz", "epoch-unit", "max-line", "max-bytes"];

/**
 * The window features of `features`/`detect --from ADDRESS`: the same options as from a file, counted by
 * the store. Returns the features and the summary lines for stderr.
 *
 * @example
 * const { features } = await storeFeatures("duckdb:out/examples/cli.duckdb", { by: "srcIp", window: "1m", filter: "failed_password" }, {});
 * features.counted; // 479
 */
export async function storeFeatures(
  address: string,
  options: SourceWindowCountsOptions,
  values: OptionValues,
): Promise<{ features: WindowFeatures; summary: string }> {
  for (const k of PARSE_ONLY) if (values[k] !== undefined) throw new UsageError(`--${k} applies when reading a log FILE; with --from the events were parsed when they were loaded`);
  if (values.into !== undefined || values.batch !== undefined) throw new UsageError("--into and --batch only apply to 'siemlab load'");
  if (values.reload !== undefined) throw new UsageError("--reload only applies to 'siemlab load'");
  const maxCells = integerOption("max-cells", values["max-cells"] as string | undefined, 1, 1e9);
  const store = await open(address, false);
  const t0 = performance.now();
  try {
    const features = await store.windowCounts({ ...options, maxCells });
    const s = (performance.now() - t0) / 1000;
    return { features, summary: `siemlab: ${store.engine} at ${escapeControlsKeepLines(store.address)}: ${store.lastSql.length} queries in ${s.toFixed(3)} s\n` };
  } finally {
    await store.close();
  }
}
