import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { timeZoneOffsetMinutes } from "./time-zone";

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
// [Sun Dec 04 04:47:44 2005] [notice] message    (2.2)
// [Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4:5] message (2.4)
const LINE = /^\[(?:[A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})? (\d{4})\] \[(?:([\w.-]+):)?([a-z]+\d?)\] ?(.*)$/;
const PID = /\[pid (\d+)(?::tid (\d+))?\]/;
const CLIENT = /\[client ([0-9A-Fa-f.:]+?)(?::(\d+))?\]/;
const SHAPE = "expected an Apache error log line `[Sun Dec 04 04:47:44 2005] [level] message`";

/**
 * Create a parser for the Apache error log (2.2 and 2.4 layouts), e.g. Loghub's Apache sample:
 * `[Sun Dec 04 05:15:09 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/`.
 * `level` is the bracketed level, `message` everything after it (as in Loghub's Content column);
 * `[client IP]` sets `srcIp` / `srcPort`, `[pid N]` sets pid. Event types: access_denied (forbidden /
 * denied by server configuration), file_not_found, client_error (other messages naming a client),
 * server_message (the rest). Times are read in `timeZone` (default UTC).
 *
 * @example
 * createApacheErrorParser().parseLine("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties", 1)
 */
export function createApacheErrorParser(options: FormatOptions = {}): LineParser {
  const offsetMs = timeZoneOffsetMinutes(options.timeZone) * 60000;
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const m = LINE.exec(text);
    if (!m) return SHAPE;
    const month = MONTHS[m[1]];
    const day = +m[2];
    if (month === undefined) return SHAPE;
    const t = Date.UTC(+m[7], month, day, +m[3], +m[4], +m[5], m[6] ? Math.floor(+m[6] * 1000) : 0);
    if (new Date(t).getUTCDate() !== day || +m[3] > 23 || +m[4] > 59 || +m[5] > 60) return "invalid date or time in the timestamp";
    const message = m[10];
    const fields: Record<string, string | number | boolean | null> = {};
    if (m[8]) fields.module = m[8];
    const pid = PID.exec(message);
    if (pid && pid[2]) fields.tid = +pid[2];
    const client = CLIENT.exec(message);
    let eventType = client ? "client_error" : "server_message";
    if (/Directory index forbidden|denied by server configuration|AH01630|AH01276/.test(message)) eventType = "access_denied";
    else if (/File does not exist|AH00128/.test(message)) eventType = "file_not_found";
    return {
      lineNo,
      time: t - offsetMs,
      host: undefined,
      process: undefined,
      pid: pid ? +pid[1] : undefined,
      level: m[9],
      eventType,
      user: undefined,
      srcIp: client ? client[1] : undefined,
      srcPort: client && client[2] ? +client[2] : undefined,
      outcome: client ? "failure" : undefined,
      message,
      fields,
    };
  }
  return { parseLine };
}

/** Apache error log, registered as "apache-error". */
export const apacheErrorFormat: LogFormat = {
  name: "apache-error",
  description: "Apache error log: `[Sun Dec 04 04:47:44 2005] [notice] message` (2.2 and 2.4 layouts)",
  aliases: ["apache_error", "error-log"],
  priority: 40,
  createParser: createApacheErrorParser,
};
