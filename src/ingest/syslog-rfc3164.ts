import type { LogEvent } from "../events";
import { OptionError } from "../errors";
import { classifyAuthMessage } from "./auth-events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { timeZoneOffsetMinutes } from "./time-zone";

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Month index by its three ASCII letters packed as `a << 14 | b << 7 | c`. */
const MONTH_CODES = new Map(MONTH_NAMES.map((m, i) => [(m.charCodeAt(0) << 14) | (m.charCodeAt(1) << 7) | m.charCodeAt(2), i]));

/** 0–11 for the char codes of "Jan" … "Dec" (exact case), else -1. */
function monthIndex(a: number, b: number, c: number): number {
  if ((a | b | c) >= 128) return -1;
  const m = MONTH_CODES.get((a << 14) | (b << 7) | c);
  return m === undefined ? -1 : m;
}

/** Whether a char code can start or end a tag without `trim()` having anything to remove (printable ASCII). */
function plain(c: number): boolean {
  return c > 32 && c < 127;
}

/** Syslog severities by number (RFC 3164 / 5424). */
export const SYSLOG_SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;

const ISO_STAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})? /;
const SHAPE = "expected an RFC 3164 syslog line `MMM dd HH:MM:SS host tag[pid]: message`";

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

function referenceTime(ref: FormatOptions["referenceDate"]): number {
  if (ref === undefined) return Date.now();
  const t = ref instanceof Date ? ref.getTime() : typeof ref === "number" ? ref : Date.parse(ref);
  if (!Number.isFinite(t)) throw new OptionError(`Expected \`referenceDate\` to be a valid date, got ${String(ref)}`);
  return t;
}

function offsetOf(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4));
}

/** `<PRI>` at the start of a line: its value, or why it is refused. Kept out of the per-line parser (rare). */
function readPri(text: string): number | string {
  const close = text.indexOf(">", 1);
  if (close < 2 || close > 4) return SHAPE;
  const pri = +text.slice(1, close);
  if (!Number.isInteger(pri) || pri > 191) return "invalid syslog priority <PRI>";
  return pri;
}

/** Epoch ms of an {@link ISO_STAMP} match (zone from the stamp, else `offsetMs`), or why it is refused. */
function isoTime(m: RegExpExecArray, offsetMs: number): number | string {
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Math.round(+m[7] * 1000) : 0);
  if (new Date(t).getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59 || +m[6] > 60) return "invalid date or time in the timestamp";
  return t - (m[8] ? offsetOf(m[8]) * 60000 : offsetMs);
}

/** The general `tag[pid]` split (a tag with spaces, odd characters or no pid): process name and pid. */
function splitTag(tag: string): { process: string | undefined; pid: number | undefined } {
  let pid: number | undefined;
  if (tag.charCodeAt(tag.length - 1) === 93 /* ] */) {
    const open = tag.lastIndexOf("[");
    if (open > 0 && tag.length - open - 2 >= 1 && tag.length - open - 2 <= 10) {
      let v = 0;
      let k = open + 1;
      for (; k < tag.length - 1; k++) {
        const c = tag.charCodeAt(k);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (k === tag.length - 1) {
        pid = v;
        tag = tag.slice(0, open);
      }
    }
  }
  return { process: tag === "" ? undefined : tag, pid };
}

/**
 * Create a parser for RFC 3164 (BSD) syslog lines such as `/var/log/auth.log`:
 * `Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 1.2.3.4 port 22 ssh2`, with an optional
 * `<PRI>` prefix; lines stamped RFC 3339-style by rsyslog (`2025-03-06T08:00:00.123+01:00 host tag: msg`)
 * are read too. sshd / PAM / su / sudo messages get a normalised `eventType`, outcome, user, source IP
 * and port ({@link classifyAuthMessage}).
 *
 * The year is not in the line: the first line's year is `year`, or else the latest year that does not put
 * it after `referenceDate` (default now); within the input, a jump back of more than six months (Dec → Jan)
 * starts the next year, and a single line jumping forward more than six months (a late December line just
 * after the roll-over) is placed in the year before. Times are read in `timeZone` (default UTC).
 *
 * @example
 * const p = createRfc3164Parser({ year: 2024 });
 * p.parseLine("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4", 1)
 */
export function createRfc3164Parser(options: FormatOptions = {}): LineParser {
  const offsetMs = timeZoneOffsetMinutes(options.timeZone) * 60000;
  if (options.year !== undefined && !(Number.isInteger(options.year) && options.year >= 1 && options.year <= 9999)) {
    throw new OptionError(`Expected \`year\` to be an integer year such as 2024, got ${String(options.year)}`);
  }
  const refTime = options.year === undefined ? referenceTime(options.referenceDate) : 0;
  let year = options.year ?? NaN;
  let lastMonth = -1;
  // Cache: the same "MMM dd HH:MM:SS" as the previous line (month letters, day, seconds of the day) gives the same time.
  let lastA = -1;
  let lastB = -1;
  let lastC = -1;
  let lastDay = -1;
  let lastClock = -1;
  let lastTime = NaN;

  // Midnight (UTC) of the last resolved day, and whether that day exists.
  let dayYear = NaN;
  let dayMonth = -1;
  let dayOfMonth = -1;
  let dayStart = NaN;
  let dayExists = false;

  function resolveTime(month: number, day: number, h: number, mi: number, s: number): number | string {
    if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return `invalid date or time in the timestamp`;
    let y: number;
    if (lastMonth < 0) {
      if (Number.isNaN(year)) {
        const ref = new Date(refTime + offsetMs);
        year = ref.getUTCFullYear();
        if (Date.UTC(year, month, day, h, mi, s) - offsetMs > refTime + 86400000) year--;
      }
      lastMonth = month;
      y = year;
    } else if (month < lastMonth - 6) {
      year++;
      lastMonth = month;
      y = year;
    } else if (month > lastMonth + 6) {
      y = year - 1;
    } else {
      lastMonth = month;
      y = year;
    }
    // Date.UTC(y, month, day, h, mi, s) is midnight + seconds of the day (UTC has no DST): midnight and whether
    // the day exists are computed once per day. 23:59:60 rolls into the next day and is refused, as before.
    if (y !== dayYear || month !== dayMonth || day !== dayOfMonth) {
      dayYear = y;
      dayMonth = month;
      dayOfMonth = day;
      dayStart = Date.UTC(y, month, day);
      dayExists = new Date(dayStart).getUTCDate() === day;
    }
    const secs = (h * 60 + mi) * 60 + s;
    if (!dayExists || secs >= 86400) return `invalid date: day ${day} does not exist in that month of ${y}`;
    return dayStart + secs * 1000 - offsetMs;
  }

  function parseLine(text: string, lineNo: number): LogEvent | string {
    const n = text.length;
    if (n === 0) return "empty line";
    let p = 0;
    let level: string | undefined;
    let facility: number | undefined;
    if (text.charCodeAt(0) === 60 /* < */) {
      const pri = readPri(text);
      if (typeof pri === "string") return pri;
      facility = pri >> 3;
      level = SYSLOG_SEVERITIES[pri & 7];
      p = text.indexOf(">", 1) + 1;
    }
    let time: number;
    const c0 = text.charCodeAt(p);
    if (c0 >= 48 && c0 <= 57) {
      const m = ISO_STAMP.exec(p === 0 ? text : text.slice(p));
      if (!m) return SHAPE;
      const t = isoTime(m, offsetMs);
      if (typeof t === "string") return t;
      time = t;
      p += m[0].length;
    } else {
      if (n < p + 16 || text.charCodeAt(p + 3) !== 32 || text.charCodeAt(p + 6) !== 32 || text.charCodeAt(p + 15) !== 32) {
        return SHAPE;
      }
      // Read "MMM dd HH:MM:SS" from char codes (no slicing); a line stamped like the previous one reuses its time.
      const a = text.charCodeAt(p);
      const b = text.charCodeAt(p + 1);
      const c = text.charCodeAt(p + 2);
      const d1 = text.charCodeAt(p + 4) === 32 ? 0 : digit(text.charCodeAt(p + 4));
      const d2 = digit(text.charCodeAt(p + 5));
      const h1 = digit(text.charCodeAt(p + 7));
      const h2 = digit(text.charCodeAt(p + 8));
      const m1 = digit(text.charCodeAt(p + 10));
      const m2 = digit(text.charCodeAt(p + 11));
      const s1 = digit(text.charCodeAt(p + 13));
      const s2 = digit(text.charCodeAt(p + 14));
      if ((d1 | d2 | h1 | h2 | m1 | m2 | s1 | s2) < 0 || text.charCodeAt(p + 9) !== 58 || text.charCodeAt(p + 12) !== 58) return SHAPE;
      const day = d1 * 10 + d2;
      const clock = ((h1 * 10 + h2) * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2;
      if (a === lastA && b === lastB && c === lastC && day === lastDay && clock === lastClock) {
        time = lastTime;
      } else {
        const month = monthIndex(a, b, c);
        if (month < 0) return SHAPE;
        const r = resolveTime(month, day, h1 * 10 + h2, m1 * 10 + m2, s1 * 10 + s2);
        if (typeof r === "string") return r;
        time = r;
        lastA = a;
        lastB = b;
        lastC = c;
        lastDay = day;
        lastClock = clock;
        lastTime = r;
      }
      p += 16;
    }
    // host
    const hostEnd = text.indexOf(" ", p);
    if (hostEnd <= p) return "missing host name after the timestamp";
    const host = text.slice(p, hostEnd);
    // tag[pid]: (the tag may hold spaces, e.g. "syslogd 1.4.1: restart.")
    let process: string | undefined;
    let pid: number | undefined;
    let message: string;
    const colon = text.indexOf(":", hostEnd + 1);
    if (colon > hostEnd && colon - hostEnd <= 64 && (colon + 1 === n || text.charCodeAt(colon + 1) === 32)) {
      // "name[digits]:" read backwards from the colon: the '[' found is the tag's last one.
      let open = -1;
      let pidFound = 0;
      if (text.charCodeAt(colon - 1) === 93 /* ] */ && plain(text.charCodeAt(hostEnd + 1))) {
        let k = colon - 2;
        let v = 0;
        let scale = 1;
        for (let c = text.charCodeAt(k); k > hostEnd + 1 && c >= 48 && c <= 57; c = text.charCodeAt(--k)) {
          v += (c - 48) * scale;
          scale *= 10;
        }
        if (k > hostEnd + 1 && text.charCodeAt(k) === 91 /* [ */ && colon - k - 2 >= 1 && colon - k - 2 <= 10) {
          open = k;
          pidFound = v;
        }
      }
      if (open >= 0) {
        // Fast path for the usual "name[pid]": same result as the general path below, without trim() or slices.
        pid = pidFound;
        process = text.slice(hostEnd + 1, open);
      } else {
        const tag = splitTag(text.slice(hostEnd + 1, colon).trim());
        process = tag.process;
        pid = tag.pid;
      }
      message = text.slice(colon + 1 < n && text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    } else {
      message = text.slice(hostEnd + 1);
    }
    const facts = classifyAuthMessage(process, message);
    let fields = facts.fields;
    if (facility !== undefined) fields = { ...fields, facility };
    return {
      lineNo,
      time,
      host,
      process,
      pid,
      level,
      eventType: facts.eventType,
      user: facts.user,
      srcIp: facts.srcIp,
      srcPort: facts.srcPort,
      outcome: facts.outcome,
      message,
      fields,
    };
  }
  return { parseLine };
}

/** RFC 3164 / BSD syslog (`auth.log`, `/var/log/messages`), registered as "rfc3164". */
export const rfc3164Format: LogFormat = {
  name: "rfc3164",
  description: "BSD syslog, e.g. auth.log: `Dec 10 06:55:46 host sshd[123]: message` (sshd/PAM/su/sudo events classified)",
  aliases: ["syslog", "auth.log", "authlog", "bsd-syslog"],
  priority: 20,
  createParser: createRfc3164Parser,
};
