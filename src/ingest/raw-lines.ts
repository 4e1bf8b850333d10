import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { parseIsoTimestamp, timestampReason } from "./timestamps";

const LEADING_ISO = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?[\s,;|]/;

/**
 * Create the catch-all parser for formats nobody wrote a parser for: every non-empty line becomes an event
 * of type "raw" with the whole line as message, timed by a leading ISO timestamp when there is one (else
 * NaN; read in `timeZone` when it has no offset). Pair it with {@link Drain} to give each line a template.
 * Rejected: empty lines, and lines whose leading timestamp is an impossible date (month 13, Feb 29 in a
 * common year, 24:00:00, an offset beyond ±14:00; see src/ingest/timestamps).
 *
 * @example
 * createRawLineParser().parseLine("2024-01-02 03:04:05 worker-3 job 17 done", 1).time // 1704164645000
 */
export function createRawLineParser(options: FormatOptions = {}): LineParser {
  const zone = resolveTimeZone(options.timeZone);
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.trim().length === 0) return "empty line";
    const m = LEADING_ISO.exec(text);
    let time = NaN;
    if (m) {
      const t = parseIsoTimestamp(m[1], zone);
      if (typeof t === "string") return timestampReason(m[1], t);
      if (t !== undefined) time = t;
    }
    return {
      lineNo,
      time,
      host: undefined,
      process: undefined,
      pid: undefined,
      level: undefined,
      eventType: "raw",
      user: undefined,
      srcIp: undefined,
      srcPort: undefined,
      outcome: undefined,
      message: m ? text.slice(m[0].length).trimStart() : text,
      fields: undefined,
    };
  }
  return { parseLine };
}

/** Any text, one event per non-empty line, registered as "raw" (auto-detection's fallback). */
export const rawLineFormat: LogFormat = {
  name: "raw",
  description: "any text: one event per non-empty line (time from a leading ISO timestamp); use with templates",
  aliases: ["text", "plain"],
  priority: 1000,
  detectable: false,
  createParser: createRawLineParser,
};
