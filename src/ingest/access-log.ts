import { isUtf8 } from "node:buffer";
import type { LogEvent } from "../events";
import { STATELESS_BOUNDARY, type FormatOptions, type LineParser, type LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { parseClfTimestamp, timestampReason } from "./timestamps";

const SHAPE =
  'expected an access log line `IP - user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 "referrer" "agent"`';
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", t: "\t", n: "\n", r: "\r", b: "\b", v: "\v", f: "\f" };

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Decode a run of `\xhh` bytes: ASCII as is, else UTF-8 when valid, else one character per byte (Latin-1). */
function decodeBytes(bytes: number[]): string {
  let high = false;
  for (const b of bytes) if (b >= 0x80) high = true;
  if (!high) return String.fromCharCode(...bytes);
  const buf = Buffer.from(bytes);
  return isUtf8(buf) ? buf.toString("utf8") : buf.toString("latin1");
}

/**
 * Decode the escapes Apache (`ap_escape_logitem`) and Nginx (`escape=default`) write into logged strings:
 * `\xhh` for a byte (control characters, `"` and `\` in Nginx, bytes ≥ 0x7f), `\"`, `\\`, `\t`, `\n`,
 * `\r`, `\b`, `\v`, `\f`. A run of `\xhh` bytes is decoded as UTF-8 when it is valid UTF-8 that is not
 * plain ASCII, else byte by byte (each byte becomes the character with that code, Latin-1), so a binary
 * request keeps its bytes: a TLS handshake on a plain-HTTP port (`\x16\x03\x01…`) decodes to the
 * characters U+0016 U+0003 U+0001. Any other backslash is kept as written.
 *
 * @example
 * decodeAccessLogEscapes("GET /x\\ty HTTP/1.1") // "GET /x\ty HTTP/1.1" (a real tab)
 * decodeAccessLogEscapes("\\x16\\x03\\x01").split("").map((c) => c.charCodeAt(0)) // [22, 3, 1]
 * decodeAccessLogEscapes("/caf\\xc3\\xa9") // "/café"
 */
export function decodeAccessLogEscapes(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  let bytes: number[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < n) {
      const next = s[i + 1];
      if ((next === "x" || next === "X") && i + 3 < n && hexValue(s.charCodeAt(i + 2)) >= 0 && hexValue(s.charCodeAt(i + 3)) >= 0) {
        bytes.push(hexValue(s.charCodeAt(i + 2)) * 16 + hexValue(s.charCodeAt(i + 3)));
        i += 4;
        continue;
      }
      if (bytes.length > 0) {
        out += decodeBytes(bytes);
        bytes = [];
      }
      const simple = SIMPLE_ESCAPES[next];
      out += simple ?? "\\" + next;
      i += 2;
      continue;
    }
    if (bytes.length > 0) {
      out += decodeBytes(bytes);
      bytes = [];
    }
    out += s[i];
    i++;
  }
  if (bytes.length > 0) out += decodeBytes(bytes);
  return out;
}

/** End (index of the closing quote) of a quoted field whose opening quote is at `open`, or -1. */
function quotedEnd(text: string, open: number): number {
  let i = open + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i;
    else i++;
  }
  return -1;
}

/** Digits or `-` from `p` up to the next space or the end: [value or null, end], or undefined. */
function numberField(text: string, p: number): [number | null, number] | undefined {
  let e = p;
  while (e < text.length && text.charCodeAt(e) !== 32) e++;
  const s = text.slice(p, e);
  if (s === "-") return [null, e];
  if (s.length === 0 || s.length > 15) return undefined;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return undefined;
  }
  return [+s, e];
}

/**
 * Create a parser for Apache / Nginx access logs: common (`%h %l %u %t "%r" %>s %b`), combined (plus
 * `"%{Referer}i" "%{User-agent}i"`), and the virtual-host variants with `%v` or `%v:%p` in front
 * (Apache's `vhost_combined`); anything after the user agent (Nginx's `"$http_x_forwarded_for"`, request
 * times) is kept in `fields.extra`. Each line is an `http_request` event: `srcIp` is the client, `user` the
 * authenticated user (when not `-`), `outcome` is failure for status ≥ 400. `fields` holds method, path,
 * protocol, status, bytes (`-` → 0), referrer and userAgent (null in the common format), vhost and
 * serverPort when logged. Logged escapes are decoded ({@link decodeAccessLogEscapes}); a field that had
 * escapes also keeps the text as logged in `requestRaw`, `referrerRaw` or `userAgentRaw`. A request that is
 * not `METHOD PATH [PROTOCOL]` (scanners send binary junk) has method null and the decoded request in
 * `fields.request`; one starting with the TLS handshake bytes 0x16 0x03 has `fields.tlsHandshake` true.
 * Times go through `parseClfTimestamp` (impossible dates and offsets beyond ±14:00 are rejects); a time
 * without an offset is read in `timeZone`.
 *
 * @example
 * createAccessLogParser().parseLine('1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "curl"', 1)
 */
export function createAccessLogParser(options: FormatOptions = {}): LineParser {
  const zone = resolveTimeZone(options.timeZone);
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const open = text.indexOf(" [");
    if (open < 0 || open > 600) return SHAPE;
    const head = text.slice(0, open).split(" ");
    if (head.length !== 3 && head.length !== 4) return SHAPE;
    for (const h of head) if (h === "") return SHAPE;
    const close = text.indexOf("]", open + 2);
    if (close < 0 || close - open > 66 || text.charCodeAt(close + 1) !== 32 || text.charCodeAt(close + 2) !== 34) return SHAPE;
    const timeText = text.slice(open + 2, close);
    const time = parseClfTimestamp(timeText, zone);
    if (time === undefined) return `invalid access-log time [${timeText}], expected [dd/Mon/yyyy:HH:MM:SS +zzzz]`;
    if (typeof time === "string") return timestampReason(timeText, time);
    const rq = close + 2;
    const rqEnd = quotedEnd(text, rq);
    if (rqEnd < 0 || text.charCodeAt(rqEnd + 1) !== 32) return SHAPE;
    const st = numberField(text, rqEnd + 2);
    if (!st || (st[0] !== null && (st[0] < 100 || st[0] > 999))) return SHAPE;
    if (text.charCodeAt(st[1]) !== 32) return SHAPE;
    const by = numberField(text, st[1] + 1);
    if (!by) return SHAPE;
    let p = by[1];
    let referrerText: string | undefined;
    let agentText: string | undefined;
    if (text.charCodeAt(p) === 32 && text.charCodeAt(p + 1) === 34) {
      const rEnd = quotedEnd(text, p + 1);
      if (rEnd > 0 && text.charCodeAt(rEnd + 1) === 32 && text.charCodeAt(rEnd + 2) === 34) {
        const aEnd = quotedEnd(text, rEnd + 2);
        if (aEnd > 0) {
          referrerText = text.slice(p + 2, rEnd);
          agentText = text.slice(rEnd + 3, aEnd);
          p = aEnd + 1;
        }
      }
    }
    const requestText = text.slice(rq + 1, rqEnd);
    const request = decodeAccessLogEscapes(requestText);
    let method: string | null = null;
    let path: string | null = null;
    let protocol: string | null = null;
    const sp1 = request.indexOf(" ");
    if (sp1 >= 3 && sp1 <= 20 && /^[A-Z][A-Z_-]*$/.test(request.slice(0, sp1))) {
      method = request.slice(0, sp1);
      const last = request.lastIndexOf(" ");
      if (last > sp1 && /^HTTP\/\d(?:\.\d)?$/.test(request.slice(last + 1))) {
        path = request.slice(sp1 + 1, last);
        protocol = request.slice(last + 1);
      } else {
        path = request.slice(sp1 + 1);
      }
    }
    const status = st[0];
    const fields: Record<string, string | number | boolean | null> = {
      method,
      path,
      protocol,
      status,
      bytes: by[0] ?? 0,
      referrer: referrerText === undefined ? null : decodeAccessLogEscapes(referrerText),
      userAgent: agentText === undefined ? null : decodeAccessLogEscapes(agentText),
    };
    if (method === null) fields.request = request;
    if (requestText !== request) fields.requestRaw = requestText;
    if (referrerText !== undefined && referrerText !== fields.referrer) fields.referrerRaw = referrerText;
    if (agentText !== undefined && agentText !== fields.userAgent) fields.userAgentRaw = agentText;
    if (request.charCodeAt(0) === 0x16 && request.charCodeAt(1) === 0x03) fields.tlsHandshake = true;
    let client = 0;
    if (head.length === 4) {
      client = 1;
      const v = head[0];
      const colon = v.lastIndexOf(":");
      if (colon > 0 && /^\d{1,5}$/.test(v.slice(colon + 1))) {
        fields.vhost = v.slice(0, colon);
        fields.serverPort = +v.slice(colon + 1);
      } else fields.vhost = v;
    }
    const extra = text.slice(p).trim();
    if (extra !== "") fields.extra = extra;
    const user = head[client + 2];
    return {
      lineNo,
      time,
      host: undefined,
      process: undefined,
      pid: undefined,
      level: undefined,
      eventType: "http_request",
      user: user === "-" ? undefined : user,
      srcIp: head[client],
      srcPort: undefined,
      outcome: status === null ? undefined : status >= 400 ? "failure" : "success",
      message: request,
      fields,
    };
  }
  return { parseLine, boundary: STATELESS_BOUNDARY };
}

/** Apache / Nginx combined and common access log, registered as "combined". */
export const accessLogFormat: LogFormat = {
  name: "combined",
  description: 'Apache/Nginx access log (combined, common, vhost): `IP - user [time] "GET /p HTTP/1.1" 200 512 "ref" "agent"`',
  aliases: ["access", "access-log", "common", "clf", "nginx", "apache-access", "vhost_combined"],
  priority: 30,
  createParser: createAccessLogParser,
};
