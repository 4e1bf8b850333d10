import type { LogEvent } from "../events";
import { addressProblem, classifyAuthMessage } from "./auth-events";
import { STATELESS_BOUNDARY, type FormatOptions, type LineParser, type LogFormat } from "./log-format";
import { SYSLOG_SEVERITIES } from "./syslog-rfc3164";
import { parseIsoTimestamp } from "./timestamps";

const HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const SHAPE = "expected an RFC 5424 syslog line `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`";

function nil(s: string): string | undefined {
  return s === "-" ? undefined : s;
}

/**
 * Parse RFC 5424 structured data (`[id k="v" ...][...]` or `-`) starting at `p`; returns the fields
 * (`"id.k": "v"`) and the index after it, or a reason.
 */
function parseStructuredData(text: string, p: number, out: Record<string, string>): number | string {
  if (text.charCodeAt(p) === 45 /* - */) return p + 1;
  if (text.charCodeAt(p) !== 91 /* [ */) return "expected structured data `[id k=\"v\"]` or `-`";
  while (text.charCodeAt(p) === 91) {
    p++;
    const idEnd = p + (text.slice(p).search(/[ \]]/));
    if (idEnd < p + 1) return "unterminated structured data element";
    const id = text.slice(p, idEnd);
    p = idEnd;
    while (text.charCodeAt(p) === 32) {
      p++;
      const eq = text.indexOf("=", p);
      if (eq < 0 || text.charCodeAt(eq + 1) !== 34) return "expected `name=\"value\"` in structured data";
      const name = text.slice(p, eq);
      let q = eq + 2;
      let value = "";
      for (;;) {
        if (q >= text.length) return "unterminated quoted value in structured data";
        const c = text.charCodeAt(q);
        if (c === 92 /* \ */ && q + 1 < text.length) {
          const next = text[q + 1];
          value += next === '"' || next === "\\" || next === "]" ? next : "\\" + next;
          q += 2;
        } else if (c === 34) {
          break;
        } else {
          value += text[q];
          q++;
        }
      }
      out[`${id}.${name}`] = value;
      p = q + 1;
    }
    if (text.charCodeAt(p) !== 93 /* ] */) return "unterminated structured data element";
    p++;
  }
  return p;
}

/**
 * Create a parser for RFC 5424 syslog lines:
 * `<34>1 2003-10-11T22:14:15.003Z mymachine sshd 4123 - - Failed password for root from 1.2.3.4 port 22 ssh2`.
 * Structured data goes into `fields` as `"sdId.param"`; `level` is the severity name; sshd / PAM / su / sudo
 * messages are classified as in RFC 3164.
 *
 * @example
 * createRfc5424Parser().parseLine("<38>1 2024-01-02T03:04:05Z h sshd 12 - - Accepted password for bob from 10.0.0.1 port 5 ssh2", 1)
 */
export function createRfc5424Parser(_options: FormatOptions = {}): LineParser {
  function parseLine(text: string, lineNo: number): LogEvent | string {
    if (text.length === 0) return "empty line";
    const h = HEADER.exec(text);
    if (!h) return SHAPE;
    const pri = +h[1];
    if (pri > 191) return "invalid syslog priority <PRI>";
    let time = NaN;
    if (h[3] !== "-") {
      const m = STAMP.exec(h[3]);
      if (!m) return `invalid RFC 5424 timestamp ${JSON.stringify(h[3].slice(0, 40))}`;
      // Shared validation (src/ingest/timestamps): month 13, Feb 29 in a common year, 24:00, offsets beyond ±14:00.
      const t = parseIsoTimestamp(h[3]);
      if (typeof t !== "number") return `invalid RFC 5424 timestamp ${JSON.stringify(h[3].slice(0, 40))}: ${t ?? "not RFC 3339"}`;
      time = t;
    }
    const sd: Record<string, string> = {};
    const after = parseStructuredData(text, h[0].length, sd);
    if (typeof after === "string") return after;
    if (after < text.length && text.charCodeAt(after) !== 32) return "expected a space after the structured data";
    let message = after < text.length ? text.slice(after + 1) : "";
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
    const process = nil(h[5]);
    const procId = nil(h[6]);
    const pid = procId !== undefined && /^\d{1,10}$/.test(procId) ? +procId : undefined;
    const facts = classifyAuthMessage(process, message);
    if (facts.srcIp !== undefined) {
      const bad = addressProblem(facts.srcIp);
      if (bad !== undefined) return bad;
    }
    const msgId = nil(h[7]);
    const fields: Record<string, string | number | boolean | null> = { facility: pri >> 3, ...sd, ...facts.fields };
    if (msgId !== undefined) fields.msgId = msgId;
    if (procId !== undefined && pid === undefined) fields.procId = procId;
    return {
      lineNo,
      time,
      host: nil(h[4]),
      process,
      pid,
      level: SYSLOG_SEVERITIES[pri & 7],
      eventType: facts.eventType,
      user: facts.user,
      srcIp: facts.srcIp,
      srcPort: facts.srcPort,
      outcome: facts.outcome,
      message,
      fields,
    };
  }
  return { parseLine, boundary: STATELESS_BOUNDARY };
}

/** RFC 5424 syslog, registered as "rfc5424". */
export const rfc5424Format: LogFormat = {
  name: "rfc5424",
  description: "IETF syslog: `<34>1 2024-01-02T03:04:05Z host app procid msgid [sd] message`",
  aliases: ["syslog5424", "ietf-syslog"],
  priority: 10,
  createParser: createRfc5424Parser,
};
