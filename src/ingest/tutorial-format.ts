import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { timeZoneOffsetMinutes } from "./time-zone";
import { parseTutorialLine } from "./tutorial";

/**
 * Create a line parser for the tutorial's comma format (`2025-03-06 08:00:00, INFO, User login success,
 * user: admin`) on top of {@link parseTutorialLine}; times are shifted by `timeZone` (default UTC).
 *
 * @example
 * createTutorialParser().parseLine("2025-03-06 08:00:00, INFO, User login success, user: admin", 1)
 */
export function createTutorialParser(options: FormatOptions = {}): LineParser {
  const offsetMs = timeZoneOffsetMinutes(options.timeZone) * 60000;
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const r = parseTutorialLine(text, lineNo);
    if ("reason" in r) return r.reason;
    return offsetMs === 0 ? r : { ...r, time: r.time - offsetMs };
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
