import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { parseIsoTimestamp, timestampReason } from "./timestamps";
import { parseTutorialLine } from "./tutorial";

/**
 * Create a line parser for the tutorial's comma format (`2025-03-06 08:00:00, INFO, User login success,
 * user: admin`) on top of {@link parseTutorialLine}; times are read in `timeZone` (default UTC; named
 * zones with daylight saving work). An impossible date is a reject naming the impossible part (src/ingest/timestamps).
 *
 * @example
 * createTutorialParser().parseLine("2025-03-06 08:00:00, INFO, User login success, user: admin", 1)
 */
export function createTutorialParser(options: FormatOptions = {}): LineParser {
  const zone = resolveTimeZone(options.timeZone);
  const offsetMs = zone.fixedOffsetMinutes === undefined ? NaN : zone.fixedOffsetMinutes * 60000;
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const r = parseTutorialLine(text, lineNo);
    if ("reason" in r) {
      if (r.reason.startsWith("invalid date")) {
        // Say which part is impossible (the tutorial parser only says that one is), and read a leap
        // second (23:59:60 UTC) as every format does: 23:59:59.999 UTC.
        const stamp = text.slice(0, 19);
        const t = parseIsoTimestamp(stamp, zone);
        if (typeof t === "string") return timestampReason(stamp, t);
        if (typeof t === "number" && stamp.endsWith(":60")) {
          const again = parseTutorialLine(text.slice(0, 17) + "59" + text.slice(19), lineNo);
          if (!("reason" in again)) return { ...again, time: t };
        }
      }
      return r.reason;
    }
    if (offsetMs === 0) return r;
    return { ...r, time: Number.isNaN(offsetMs) ? zone.toUtc(r.time) : r.time - offsetMs };
  }
  return { parseLine };
}

/** The tutorial's comma format, registered as "tutorial". */
export const tutorialFormat: LogFormat = {
  name: "tutorial",
  description: "the tutorial's comma format: `2025-03-06 08:00:00, INFO, User login success, user: admin`",
  aliases: ["comma"],
  priority: 5,
  createParser: createTutorialParser,
};
