import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { civilToUtc, monthNumber, timestampReason } from "./timestamps";

// [Sun Dec 04 04:47:44 2005] [notice] message    (2.2)
// [Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4:5] message (2.4)
const LINE = /^\[(?:[A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})? (\d{4})\] \[(?:([\w.-]+):)?([a-z]+\d?)\] ?(.*)$/;
const PID = /\[pid (\d+)(?::tid (\d+))?\]/;
const ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

/**
 * The client of an Apache error-log message, from `[client ADDR]` (2.2: never a port, IPv6 as is) or
 * `[client ADDR:PORT]` (2.4: the port follows the last colon, IPv6 unbracketed); `[client [v6]:PORT]` and
 * IPv4 `ADDR:PORT` are read in either layout.
 */
function clientOf(message: string, layout24: boolean): { ip: string; port: number | undefined } | undefined {
  const k = message.indexOf("[client ");
  if (k < 0) return undefined;
  const from = k + 8;
  if (message.charCodeAt(from) === 91 /* [ */) {
    const close = message.indexOf("]", from);
    if (close < 0) return undefined;
    const ip = message.slice(from + 1, close);
    const end = message.indexOf("]", close + 1);
    const port = message.charCodeAt(close + 1) === 58 && end > close ? message.slice(close + 2, end) : "";
    return ADDRESS.test(ip) ? { ip, port: /^\d{1,5}$/.test(port) ? +port : undefined } : undefined;
  }
  const end = message.indexOf("]", from);
  if (end < 0) return undefined;
  const addr = message.slice(from, end);
  if (!ADDRESS.test(addr)) return undefined;
  const colon = addr.lastIndexOf(":");
  const first = addr.indexOf(":");
  const portText = colon < 0 ? "" : addr.slice(colon + 1);
  const isPort = portText.length >= 1 && portText.length <= 5 && /^\d+$/.test(portText) && +portText <= 65535;
  // IPv4 with one colon: ADDR:PORT in any layout. IPv6: a port only in the 2.4 layout.
  if (isPort && ((first === colon && addr.indexOf(".") > 0) || (layout24 && first !== colon))) {
    return { ip: addr.slice(0, colon), port: +portText };
  }
  return { ip: addr, port: undefined };
}

/** The user of a basic/digest authentication failure (`user bob: authentication failure for "/x": …`, `user bob not found: /x`). */
function authUser(message: string): string | undefined {
  let at = message.indexOf(": authentication failure for ");
  if (at < 0) at = message.indexOf(" not found");
  if (at < 0) return undefined;
  const u = message.lastIndexOf("user ", at);
  if (u < 0 || at - u > 260) return undefined;
  const user = message.slice(u + 5, at);
  return user !== "" && user.indexOf(" ") < 0 ? user : undefined;
}
const SHAPE = "expected an Apache error log line `[Sun Dec 04 04:47:44 2005] [level] message`";

/**
 * Create a parser for the Apache error log (2.2 and 2.4 layouts), e.g. Loghub's Apache sample:
 * `[Sun Dec 04 05:15:09 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/`.
 * `level` is the bracketed level, `message` everything after it (as in Loghub's Content column);
 * `[client ADDR]` (2.2, no port; IPv6 as written) or `[client ADDR:PORT]` (2.4) sets `srcIp` / `srcPort`,
 * `[pid N]` sets pid. Event types: access_denied (forbidden / denied by server configuration),
 * auth_failure (`user bob: authentication failure for "/x": Password Mismatch`, `user bob not found`; sets
 * `user`), file_not_found, client_error (other messages naming a client), server_message (the rest).
 * Times are validated by `civilToUtc` (impossible dates are rejects) and read in `timeZone` (default UTC;
 * named zones with daylight saving work).
 *
 * @example
 * createApacheErrorParser().parseLine("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties", 1)
 */
export function createApacheErrorParser(options: FormatOptions = {}): LineParser {
  const zone = resolveTimeZone(options.timeZone);
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const m = LINE.exec(text);
    if (!m) return SHAPE;
    const month = monthNumber(m[1]);
    if (month === 0) return SHAPE;
    const t = civilToUtc(
      { year: +m[7], month, day: +m[2], hour: +m[3], minute: +m[4], second: +m[5], millisecond: m[6] ? Math.floor(+m[6] * 1000) : 0 },
      zone,
    );
    if (typeof t === "string") return timestampReason(text.slice(1, text.indexOf("]")), t);
    const message = m[10];
    const fields: Record<string, string | number | boolean | null> = {};
    if (m[8]) fields.module = m[8];
    const pid = PID.exec(message);
    if (pid && pid[2]) fields.tid = +pid[2];
    const client = clientOf(message, m[8] !== undefined || m[6] !== undefined || pid !== null);
    let eventType = client ? "client_error" : "server_message";
    let user: string | undefined;
    if (/Directory index forbidden|denied by server configuration|AH01630|AH01276|AH01797/.test(message)) eventType = "access_denied";
    else if (/File does not exist|AH00128/.test(message)) eventType = "file_not_found";
    else if ((user = authUser(message)) !== undefined) eventType = "auth_failure";
    return {
      lineNo,
      time: t,
      host: undefined,
      process: undefined,
      pid: pid ? +pid[1] : undefined,
      level: m[9],
      eventType,
      user,
      srcIp: client?.ip,
      srcPort: client?.port,
      outcome: client || user !== undefined ? "failure" : undefined,
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
