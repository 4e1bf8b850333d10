import type { LogEvent } from "../events";

/**
 * The columns a store keeps per parsed event, in table order: enough for every window feature that can be
 * pushed down (counts, failures/successes/failure rate, distinct users/IPs/hosts, bytes) and for finding the
 * line again (source file, line number). Events are parsed once, in TypeScript, by siemlab's parsers.
 *
 * - `time_ms`: epoch ms as a double (NULL when the line had no valid time); fractional ms are kept exactly.
 * - `companion`: 1 when the event is the companion record of another attempt ({@link LogEvent.companionOf}).
 * - `companion_type`: the event type of the attempt's record a companion belongs to ({@link LogEvent.companionType},
 *   NULL when not a companion): a count skips the companion when it counts that type too. Stores made before
 *   this column count every companion (their rows have no type).
 * - `bytes`: web logs' `fields.bytes` when it is a finite number, else NULL.
 * - Text columns are NULL when the event has no such field, '' when it is the empty string.
 */
export const EVENT_COLUMNS = [
  "file_id",
  "source_file",
  "line_no",
  "time_ms",
  "event_type",
  "outcome",
  "user_name",
  "src_ip",
  "host",
  "process",
  "companion",
  "bytes",
  "companion_type",
] as const;

/** One stored event: the values of {@link EVENT_COLUMNS} (null = SQL NULL). */
export interface EventRow {
  readonly fileId: string;
  readonly sourceFile: string;
  readonly lineNo: number;
  readonly timeMs: number | null;
  readonly eventType: string;
  readonly outcome: string | null;
  readonly user: string | null;
  readonly srcIp: string | null;
  readonly host: string | null;
  readonly process: string | null;
  readonly companion: 0 | 1;
  readonly bytes: number | null;
  readonly companionType: string | null;
}

/**
 * The stored row of a parsed event from a given file (`fileId` is the file's identity, see loadFiles).
 *
 * @example
 * eventRow({ lineNo: 3, time: 1000, eventType: "failed_password", outcome: "failure", srcIp: "10.0.0.1", message: "" }, "ab12", "/var/log/auth.log").srcIp // "10.0.0.1"
 */
export function eventRow(e: LogEvent, fileId: string, sourceFile: string): EventRow {
  const b = e.fields?.bytes;
  return {
    fileId,
    sourceFile,
    lineNo: e.lineNo,
    timeMs: Number.isFinite(e.time) ? e.time : null,
    eventType: e.eventType,
    outcome: e.outcome ?? null,
    user: e.user ?? null,
    srcIp: e.srcIp ?? null,
    host: e.host ?? null,
    process: e.process ?? null,
    companion: e.companionOf === undefined ? 0 : 1,
    bytes: typeof b === "number" && Number.isFinite(b) ? b : null,
    companionType: e.companionOf === undefined ? null : (e.companionType ?? null),
  };
}

/**
 * A value as one field of ClickHouse's TabSeparated format: backslash, tab, newline, carriage return,
 * NUL, backspace and form feed escaped, NULL as `\N` (so the text `\N` itself is written `\\N`).
 *
 * @example
 * tsvField("a\tb\\c'd") // "a\\tb\\\\c'd"
 * tsvField(null)        // "\\N"
 */
export function tsvField(v: string | number | null): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  // eslint-disable-next-line no-control-regex
  return /[\\\t\n\r\0\b\f]/.test(v) ? v.replace(/[\\\t\n\r\0\b\f]/g, (c) => TSV_ESCAPES[c]) : v;
}

const TSV_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0", "\b": "\\b", "\f": "\\f" };
const TSV_UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r", "0": "\0", b: "\b", f: "\f", a: "\x07", v: "\v", "'": "'", '"': '"' };

/**
 * One TabSeparated field back to its value (undefined for `\N`, NULL); the inverse of {@link tsvField}.
 *
 * @example
 * tsvValue("a\\tb") // "a\tb"
 */
export function tsvValue(field: string): string | undefined {
  if (field === "\\N") return undefined;
  if (field.indexOf("\\") < 0) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => TSV_UNESCAPES[c] ?? c);
}

/**
 * One event row as a TabSeparated line (newline included), columns in {@link EVENT_COLUMNS} order
 * (`companionType: false`: without the last, `companion_type`, for a table made before it).
 *
 * @example
 * tsvLine(eventRow({ lineNo: 1, time: NaN, eventType: "x", message: "" }, "id", "f.log")) // "id\tf.log\t1\t\\N\tx\t\\N\t\\N\t\\N\t\\N\t\\N\t0\t\\N\t\\N\n"
 */
export function tsvLine(r: EventRow, companionType = true): string {
  return (
    `${tsvField(r.fileId)}\t${tsvField(r.sourceFile)}\t${r.lineNo}\t${tsvField(r.timeMs)}\t${tsvField(r.eventType)}\t` +
    `${tsvField(r.outcome)}\t${tsvField(r.user)}\t${tsvField(r.srcIp)}\t${tsvField(r.host)}\t${tsvField(r.process)}\t` +
    `${r.companion}\t${tsvField(r.bytes)}${companionType ? `\t${tsvField(r.companionType)}` : ""}\n`
  );
}

/**
 * A ClickHouse string literal: quotes and backslashes escaped, control characters as
 * escapes, so a value never ends the literal (`'; DROP TABLE x --` stays one string). ClickHouse 18.16 has
 * no query parameters; every value that reaches its SQL goes through this.
 *
 * @example
 * clickhouseString("it's") // "'it\\'s'"
 */
export function clickhouseString(v: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${v.replace(/[\\'\0\n\r\t\b\f]/g, (c) => (c === "'" ? "\\'" : TSV_ESCAPES[c]))}'`;
}
