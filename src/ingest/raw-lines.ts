import type { LogEvent } from "../events";
import { parseTimeValue } from "./field-map";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { timeZoneOffsetMinutes } from "./time-zone";

const LEADING_ISO = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?[\s,;|]/;

/**
 * Create the catch-all parser for formats nobody wrote a parser for: every non-empty line becomes an event
 * of type "raw" with the whole line as message, timed by a leading ISO timestamp when there is one (else
 * NaN). Pair it with {@link Drain} to give each line a template. Only empty lines are rejected.
 *
 * @example
 * createRawLineParser().parseLine("2024-01-02 03:04:05 worker-3 job 17 done", 1).time // 1704164645000
 */
export function createRawLineParser(options: FormatOptions = {}): LineParser {
  const offset = timeZoneOffsetMinutes(options.timeZone);
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.trim().length === 0) return "empty line";
    const m = LEADING_ISO.exec(text);
    return {
      lineNo,
      time: m ? parseTimeValue(m[1].replace(",", "."), offset) : NaN,
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
