import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const Q = '"((?:[^"\\\\]|\\\\.)*)"';
// client ident authuser [time] "request" status bytes ["referrer" "user agent"] [anything else]
const LINE = new RegExp(`^(\\S+) (\\S+) (\\S+) \\[([^\\]]{1,64})\\] ${Q} (\\d{3}) (\\d+|-)(?: ${Q} ${Q})?([\\s\\S]*)$`);
const TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/;
const SHAPE =
  'expected an access log line `IP - user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 "referrer" "agent"`';

function unescape(s: string): string {
  return s.indexOf("\\") < 0 ? s : s.replace(/\\(.)/g, "$1");
}

/** Parse an access-log time `10/Oct/2000:13:55:36 -0700` to epoch ms, or NaN. */
function parseAccessTime(s: string): number {
  const m = TIME.exec(s);
  if (!m) return NaN;
  const month = MONTHS[m[2]];
  if (month === undefined) return NaN;
  const day = +m[1];
  const t = Date.UTC(+m[3], month, day, +m[4], +m[5], +m[6]);
  if (new Date(t).getUTCDate() !== day || +m[4] > 23 || +m[5] > 59 || +m[6] > 60) return NaN;
  const offset = m[7] ? (m[7] === "-" ? -1 : 1) * (+m[8] * 60 + +m[9]) : 0;
  return t - offset * 60000;
}

/**
 * Create a parser for Apache / Nginx access logs in the combined or common format. Each line is an
 * `http_request` event: `srcIp` is the client, `user` the authenticated user (when not `-`), `outcome` is
 * failure for status ≥ 400; `fields` holds method, path, protocol, status, bytes (`-` → 0), referrer and
 * userAgent (null in the common format). A request that is not `METHOD PATH PROTOCOL` (scanners send
 * binary junk) is kept with the raw request in `fields.request` and method null.
 *
 * @example
 * createAccessLogParser().parseLine('1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "curl"', 1)
 */
export function createAccessLogParser(_options: FormatOptions = {}): LineParser {
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const m = LINE.exec(text);
    if (!m) return SHAPE;
    const time = parseAccessTime(m[4]);
    if (Number.isNaN(time)) return `invalid access-log time [${m[4]}], expected [dd/Mon/yyyy:HH:MM:SS +zzzz]`;
    const request = unescape(m[5]);
    const sp1 = request.indexOf(" ");
    const sp2 = sp1 < 0 ? -1 : request.indexOf(" ", sp1 + 1);
    let method: string | null = null;
    let path: string | null = null;
    let protocol: string | null = null;
    if (sp1 > 0 && /^[A-Z]{3,10}$/.test(request.slice(0, sp1))) {
      method = request.slice(0, sp1);
      path = sp2 < 0 ? request.slice(sp1 + 1) : request.slice(sp1 + 1, sp2);
      protocol = sp2 < 0 ? null : request.slice(sp2 + 1);
    }
    const status = +m[6];
    const bytes = m[7] === "-" ? 0 : +m[7];
    const fields: Record<string, string | number | boolean | null> = {
      method,
      path,
      protocol,
      status,
      bytes,
      referrer: m[8] === undefined ? null : unescape(m[8]),
      userAgent: m[9] === undefined ? null : unescape(m[9]),
    };
    if (method === null) fields.request = request;
    const extra = m[10].trim();
    if (extra !== "") fields.extra = extra;
    return {
      lineNo,
      time,
      host: undefined,
      process: undefined,
      pid: undefined,
      level: undefined,
      eventType: "http_request",
      user: m[3] === "-" ? undefined : m[3],
      srcIp: m[1],
      srcPort: undefined,
      outcome: status >= 400 ? "failure" : "success",
      message: request,
      fields,
    };
  }
  return { parseLine };
}

/** Apache / Nginx combined and common access log, registered as "combined". */
export const accessLogFormat: LogFormat = {
  name: "combined",
  description: 'Apache/Nginx access log (combined or common): `IP - user [time] "GET /p HTTP/1.1" 200 512 "ref" "agent"`',
  aliases: ["access", "access-log", "common", "clf", "nginx", "apache-access"],
  priority: 30,
  createParser: createAccessLogParser,
};
