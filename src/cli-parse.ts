import * as fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { SiemlabError } from "./errors";
import type { LogEvent, Reject } from "./events";
import { ingestOptions, rejectText, summaryText, UsageError, withReferenceDate, writeAll, type OptionValues } from "./cli-ingest";
import { parseLogStream, type ParseSummary } from "./ingest/parse-log";
import { csvCell, safeJsonLine } from "./terminal-text";

/**
 * The columns of `siemlab parse --csv`, in order (`fields` is the format-specific extras as JSON text;
 * `companionOf`, `folded` and `companionType` as in {@link LogEvent}, empty when absent).
 */
export const PARSE_CSV_COLUMNS = ["lineNo", "time", "eventType", "outcome", "user", "srcIp", "srcPort", "host", "process", "pid", "level", "message", "fields", "companionOf", "folded", "companionType"] as const;

/**
 * One event as the JSON object `siemlab parse` writes: `time` in ISO 8601 UTC (null when the line had
 * none), absent fields left out, `fields` kept as parsed. `companionOf` (the line of the record this one is
 * a companion of), `companionType` (that record's event type: a count that takes this type skips the
 * companion, as siemlab does) and `folded` (the N of a `message repeated N
 * times` line) are written when set, so a downstream tool can count as siemlab counts.
 *
 * @example
 * eventRecord({ lineNo: 1, time: 0, eventType: "raw", message: "x" }) // { lineNo: 1, time: "1970-01-01T00:00:00.000Z", eventType: "raw", message: "x" }
 * eventRecord({ lineNo: 3, time: 0, eventType: "auth_failure", message: "x", companionOf: 4 }).companionOf // 4
 * eventRecord({ lineNo: 3, time: 0, eventType: "auth_failure", message: "x", companionOf: 4, companionType: "failed_password" }).companionType // "failed_password"
 */
export function eventRecord(e: LogEvent): Record<string, unknown> {
  return {
    lineNo: e.lineNo,
    time: Number.isFinite(e.time) ? new Date(e.time).toISOString() : null,
    eventType: e.eventType,
    outcome: e.outcome,
    user: e.user,
    srcIp: e.srcIp,
    srcPort: e.srcPort,
    host: e.host,
    process: e.process,
    pid: e.pid,
    level: e.level,
    message: e.message,
    fields: e.fields,
    companionOf: e.companionOf,
    folded: e.folded,
    companionType: e.companionOf === undefined ? undefined : e.companionType,
  };
}

function csvRow(e: LogEvent): string {
  const text = (v: string | undefined) => (v === undefined ? "" : csvCell(v));
  const num = (v: number | undefined) => (v === undefined ? "" : String(v));
  return [
    String(e.lineNo),
    Number.isFinite(e.time) ? new Date(e.time).toISOString() : "",
    text(e.eventType),
    e.outcome ?? "",
    text(e.user),
    text(e.srcIp),
    num(e.srcPort),
    text(e.host),
    text(e.process),
    num(e.pid),
    text(e.level),
    text(e.message),
    e.fields === undefined ? "" : csvCell(JSON.stringify(e.fields)),
    num(e.companionOf),
    num(e.folded),
    e.companionOf === undefined ? "" : text(e.companionType),
  ].join(",");
}

/** Where the CLI reads and writes. */
interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * `siemlab parse FILE|-`: every event as a JSON line (or a CSV row with `--csv`) on stdout, every reject as
 * `line N: reason: "raw"` on stderr (or as JSON lines `{lineNo, reason, raw}` in `--rejects FILE`), the
 * summary on stderr. Text from the log is escaped for terminals ({@link safeJsonLine}, {@link csvCell}).
 * Resolves to the exit code: 0 when the input was read to its end (rejects or not), 1 when it was
 * damaged or cut by `--max-bytes` (everything before was written).
 *
 * @example
 * await parseCommand("data/sim/auth.log", { csv: true }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
 */
export async function parseCommand(file: string | undefined, values: OptionValues, io: Io): Promise<number> {
  for (const k of ["by", "event", "window", "sparse", "detector", "contamination", "seed", "out", "max-rows", "into", "from", "batch", "max-cells", "reload"]) {
    if (values[k] !== undefined) throw new UsageError(`--${k} does not apply to 'siemlab parse'`);
  }
  const options = ingestOptions(values);
  const csv = values.csv === true;
  const rejectsPath = values.rejects as string | undefined;
  if (rejectsPath !== undefined && (rejectsPath === "" || rejectsPath === "-")) throw new UsageError("--rejects expects a file path (rejects go to stderr without it)");
  let rejectsOut: fs.WriteStream | undefined;
  let out = csv ? PARSE_CSV_COLUMNS.join(",") + "\n" : "";
  let err = "";
  const onReject = (r: Reject): void => {
    if (rejectsOut) rejectsOut.write(safeJsonLine({ lineNo: r.lineNo, reason: r.reason, raw: r.raw }) + "\n");
    else err += `siemlab: ${rejectText(r)}\n`;
  };
  const flush = async (): Promise<void> => {
    if (out.length > 0) {
      const text = out;
      out = "";
      await writeAll(io.stdout, text);
    }
    if (err.length > 0) {
      const text = err;
      err = "";
      await writeAll(io.stderr, text);
    }
  };
  const source = file === undefined || file === "-" ? io.stdin : file;
  // The first error writing the rejects file (a full disk): the run then fails, never "N rejects written".
  let rejectsError: Error | undefined;
  if (rejectsPath !== undefined) {
    rejectsOut = fs.createWriteStream(rejectsPath);
    await new Promise<void>((resolve, reject) => {
      rejectsOut!.once("open", () => resolve());
      rejectsOut!.once("error", (e) => reject(new SiemlabError(`Cannot write --rejects ${rejectsPath}: ${e.message}`)));
    });
    rejectsOut.on("error", (e) => (rejectsError ??= e));
  }
  let summary: ParseSummary;
  try {
    summary = await parseLogStream(
      source,
      {
        onEvent: (e) => {
          out += (csv ? csvRow(e) : safeJsonLine(eventRecord(e))) + "\n";
        },
        onReject,
        flush: () => (out.length > 1 << 16 || err.length > 1 << 14 ? flush() : undefined),
      },
      withReferenceDate(options, source),
    );
    await flush();
  } finally {
    if (rejectsOut) {
      const w = rejectsOut;
      // Ends when the file is flushed and closed, or failed (then `close` follows the error).
      await new Promise<void>((resolve) => {
        w.once("close", () => resolve());
        w.end();
      });
    }
  }
  if (rejectsError !== undefined) throw new SiemlabError(`Cannot write --rejects ${rejectsPath}: ${rejectsError.message} (it may lack some of the ${summary.counts.rejected} rejected lines)`);
  io.stderr.write(summaryText(summary, rejectsPath !== undefined ? `siemlab: ${summary.counts.rejected} rejects written to ${rejectsPath}\n` : ""));
  return summary.readError === undefined ? 0 : 1;
}
