import type { LogEvent } from "../events";
import { OptionError } from "../errors";
import { AttemptPairing, type PendingLine } from "./auth-attempts";
import { type AuthFacts, authFastPathsOn, classifyAuthMessage, repeatedMessage, SCANNED_EVENT_TYPES, SCANNED_OUTCOMES, scannedFields } from "./auth-events";
import { type BoundaryHooks, DEFERRED, type FormatOptions, type LineParser, type LineResult, type LogFormat, type ParserNotes, type SettledLine } from "./log-format";
import { timeZoneOffsetMinutes } from "./time-zone";
import { MONTH_ABBREVIATIONS } from "./timestamps";

/** Month index by its three ASCII letters packed as `a << 14 | b << 7 | c`. */
const MONTH_CODES = new Map(MONTH_ABBREVIATIONS.map((m, i) => [(m.charCodeAt(0) << 14) | (m.charCodeAt(1) << 7) | m.charCodeAt(2), i]));

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

/** Options of {@link createRfc3164Parser}: every format's {@link FormatOptions} (`year`, `referenceDate`, `timeZone`, `yearLookahead`, `maxFolded`, `pairAttempts`). */
export type Rfc3164Options = FormatOptions;

/** Where a year-less stamp sits, kept until the year is fixed. */
interface Stamp {
  readonly month: number;
  readonly day: number;
  /** Milliseconds since midnight (fraction included). */
  readonly ms: number;
  /** The provisional year it was read in. */
  readonly year: number;
}

interface Held extends PendingLine {
  stamp?: Stamp;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const FOLD_LAST = "last message repeated ";

/** sysklogd's `last message repeated N times` (FreeBSD: `--- last message repeated N times ---`): N, or -1. */
function lastRepeated(message: string, from = 0): number {
  let p = from;
  if (message.charCodeAt(p) === 45 /* - */ && message.startsWith("--- ", p)) p += 4;
  if (message.charCodeAt(p) !== 108 /* l */ || !message.startsWith(FOLD_LAST, p)) return -1;
  let q = p + FOLD_LAST.length;
  let n = 0;
  const d0 = q;
  for (; q < message.length && q - d0 < 10; q++) {
    const c = message.charCodeAt(q);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (q === d0) return -1;
  const tail = message.slice(q);
  return tail === " times" || tail === " time" || tail === " times ---" || tail === " time ---" ? n : -1;
}

/**
 * Create a parser for RFC 3164 (BSD) syslog lines such as `/var/log/auth.log`:
 * `Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 1.2.3.4 port 22 ssh2`. Also read: an
 * optional `<PRI>`; a day written with one space (`Jan 5`) or padded (`Jan  5`, `Jan 05`); fractional seconds
 * (`11:15:07.123`); RFC 3339 stamps in the same place (rsyslog's high-precision format, the default on current
 * Debian and Ubuntu: `2025-03-06T08:00:00.123456+01:00 host tag: msg`); no HOSTNAME (busybox, appliances:
 * `Jan  5 10:00:00 sshd[123]: …` has no host, never the host `sshd[123]:`); Solaris' `[ID n facility.level]`
 * message prefix. sshd / PAM / su / sudo messages get a normalised `eventType`, outcome, user, source IP and
 * port ({@link classifyAuthMessage}).
 *
 * Folded lines stand for several events: rsyslog's `message repeated N times: [ MSG]` yields N events of MSG,
 * sysklogd's `last message repeated N times` N more of the host's previous message; each carries `folded: N`.
 * sshd and PAM records of one attempt are paired ({@link AttemptPairing}): the earlier ones get `companionOf`.
 *
 * The year is not in the line. With `year`, it is the first line's year. Without, it is inferred from
 * `referenceDate` (default now; the CLI passes the file's modification time): the latest year in which every
 * line read (up to `yearLookahead` lines) is a valid date (Feb 29 needs a leap year) and the last of them is
 * not after the reference date (a day of slack for time zones). Within the input, a jump back of more than six
 * months (Dec → Jan) starts the next year, and a single line jumping forward more than six months (a late
 * December line just after the roll-over) is placed in the year before. Times are read in `timeZone` (default
 * UTC). `notes()` tells the year chosen and why. Lines whose result waits (year inference, pairing, folds) are
 * answered {@link DEFERRED} and handed out by `drain()` (the {@link LineDriver} does this).
 *
 * @example
 * const p = createRfc3164Parser({ year: 2024 });
 * p.parseLine("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4", 1) // DEFERRED: held for pairing
 * p.parseLine("Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user admin from 1.2.3.4 port 22 ssh2", 2)
 * p.drain(false).map((l) => l.lineNo); // [1, 2] (line 1 becomes a companion of line 2)
 */
export function createRfc3164Parser(options: Rfc3164Options = {}): LineParser {
  const offsetMs = timeZoneOffsetMinutes(options.timeZone) * 60000;
  if (options.year !== undefined && !(Number.isInteger(options.year) && options.year >= 1 && options.year <= 9999)) {
    throw new OptionError(`Expected \`year\` to be an integer year such as 2024, got ${String(options.year)}`);
  }
  const lookahead = options.yearLookahead ?? 100_000;
  if (!(Number.isInteger(lookahead) && lookahead >= 1)) {
    throw new OptionError(`Expected \`yearLookahead\` to be a positive integer (lines), got ${String(options.yearLookahead)}`);
  }
  const maxFolded = options.maxFolded ?? 10_000;
  if (!(Number.isInteger(maxFolded) && maxFolded >= 1)) {
    throw new OptionError(`Expected \`maxFolded\` to be a positive integer, got ${String(options.maxFolded)}`);
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
  let lastYear = NaN;
  // The first 15 characters of the line that last set or hit that cache (the first 12 as text, empty: none or
  // a <PRI> line; the last 3 as codes), and where its clock starts.
  let lastHead = "";
  let lastHead12 = -1;
  let lastHead13 = -1;
  let lastHead14 = -1;
  let lastClockAt = 7;

  // Midnight (UTC) of the last resolved day, and whether that day exists.
  let dayYear = NaN;
  let dayMonth = -1;
  let dayOfMonth = -1;
  let dayStart = NaN;
  let dayExists = false;

  // Year inference: lines held until the year is fixed, the years their Feb 29 stamps fell in, the last stamp.
  let deciding = options.year === undefined;
  const held: Held[] = [];
  let provisional = NaN;
  const feb29Years = new Set<number>();
  let lastStamp: Stamp | undefined;
  let notes: ParserNotes = options.year === undefined ? {} : { year: options.year, yearSource: "given", yearReason: `${options.year}: given` };

  const pairing = options.pairAttempts === false ? undefined : new AttemptPairing();
  let out: PendingLine[] = [];
  // The previous event, and the last event of other hosts (for "last message repeated N times").
  let prev: LogEvent | undefined;
  const lastByHost = new Map<string | undefined, LogEvent>();
  // Parallel reading (BoundaryHooks): hosts whose last event was written since the gate opened, every host
  // seen, and why the worker's lines may depend on state it did not see.
  let lbWritten: Set<string | undefined> | undefined;
  const hostsSeen = new Set<string | undefined>();
  const lbReads: { host: string | undefined; key: string | null }[] = [];

  /** The year of a stamp (roll-over rules), updating the roll-over state. */
  function yearOf(month: number, day: number, h: number, mi: number, s: number): number {
    if (lastMonth < 0) {
      if (Number.isNaN(year)) {
        const ref = new Date(refTime + offsetMs);
        year = ref.getUTCFullYear();
        if (Date.UTC(year, month, day, h, mi, s) - offsetMs > refTime + 86400000) year--;
        provisional = year;
      }
      lastMonth = month;
      return year;
    }
    if (month < lastMonth - 6) {
      year++;
      lastMonth = month;
      return year;
    }
    if (month > lastMonth + 6) return year - 1;
    lastMonth = month;
    return year;
  }

  function resolveTime(month: number, day: number, h: number, mi: number, s: number): number | string {
    if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return `invalid date or time in the timestamp`;
    const y = yearOf(month, day, h, mi, s);
    lastYear = y;
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
    if (secs >= 86400) return `invalid date: day ${day} does not exist in that month of ${y}`;
    // While the year is being inferred, Feb 29 in the provisional year's common year waits for the decision.
    if (!dayExists) return deciding && month === 1 && day === 29 ? NaN : `invalid date: day ${day} does not exist in that month of ${y}`;
    return dayStart + secs * 1000 - offsetMs;
  }

  /**
   * The time of a classic stamp (month letters `a b c`, `month` 0–11, or -2: from the letters), through the
   * one-entry cache: the same letters, day and clock as the last stamp resolved give its time; else it is
   * resolved (year rules) and cached. A reject reason for a month or date that is not one.
   */
  function stampTime(a: number, b: number, c: number, month: number, day: number, hh: number, mi: number, se: number, clock: number): number | string {
    if (a === lastA && b === lastB && c === lastC && day === lastDay && clock === lastClock) return lastTime;
    if (month === -2) month = monthIndex(a, b, c);
    if (month < 0) return SHAPE;
    const r = resolveTime(month, day, hh, mi, se);
    if (typeof r === "string") return r;
    lastA = a;
    lastB = b;
    lastC = c;
    lastDay = day;
    lastClock = clock;
    lastTime = r;
    return r;
  }

  /** One line into an event (the events of a folded line) or a reject reason; `stamp` set while deciding. */
  let stamp: Stamp | undefined;
  function parseCore(text: string, lineNo: number): LogEvent | LogEvent[] | string {
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
      // "MMM dd HH:MM:SS", "MMM  d HH:MM:SS" or "MMM d HH:MM:SS" (one space), then optional ".fraction".
      if (n < p + 15 || text.charCodeAt(p + 3) !== 32) return SHAPE;
      // The first 15 characters as the line that filled the time cache (most lines of a busy log): the same
      // month, day and clock. The first 12 are compared as text (a slice that short is a flat copy, compared
      // natively; a longer one is a view whose comparison goes through the runtime), the last 3 by code.
      const head = p === 0 && lastA >= 0 ? text.slice(0, 12) : "";
      const same = head !== "" && head === lastHead && text.charCodeAt(12) === lastHead12 && text.charCodeAt(13) === lastHead13 && text.charCodeAt(14) === lastHead14;
      let a = lastA;
      let b = lastB;
      let c = lastC;
      let day = lastDay;
      let clock = lastClock;
      let q = lastClockAt;
      let hh = 0;
      let mi = 0;
      let se = 0;
      if (!same) {
        a = text.charCodeAt(p);
        b = text.charCodeAt(p + 1);
        c = text.charCodeAt(p + 2);
        q = p + 7; // clock start
        let d1: number;
        let d2: number;
        const e4 = text.charCodeAt(p + 4);
        if (e4 === 32) {
          d1 = 0;
          d2 = digit(text.charCodeAt(p + 5));
          if (text.charCodeAt(p + 6) !== 32) return SHAPE;
        } else if (text.charCodeAt(p + 5) === 32) {
          d1 = 0;
          d2 = digit(e4);
          q = p + 6;
        } else {
          d1 = digit(e4);
          d2 = digit(text.charCodeAt(p + 5));
          if (text.charCodeAt(p + 6) !== 32) return SHAPE;
        }
        const h1 = digit(text.charCodeAt(q));
        const h2 = digit(text.charCodeAt(q + 1));
        const m1 = digit(text.charCodeAt(q + 3));
        const m2 = digit(text.charCodeAt(q + 4));
        const s1 = digit(text.charCodeAt(q + 6));
        const s2 = digit(text.charCodeAt(q + 7));
        if ((d1 | d2 | h1 | h2 | m1 | m2 | s1 | s2) < 0 || text.charCodeAt(q + 2) !== 58 || text.charCodeAt(q + 5) !== 58) return SHAPE;
        day = d1 * 10 + d2;
        hh = h1 * 10 + h2;
        mi = m1 * 10 + m2;
        se = s1 * 10 + s2;
        clock = (hh * 60 + mi) * 60 + se;
      }
      let end = q + 8;
      let frac = 0;
      if (text.charCodeAt(end) === 46 /* . */) {
        let scale = 100;
        let k = end + 1;
        for (; k < n && k - end <= 9; k++) {
          const dc = text.charCodeAt(k) - 48;
          if (dc < 0 || dc > 9) break;
          frac += dc * scale;
          scale /= 10;
        }
        if (k === end + 1) return SHAPE;
        frac = Math.floor(frac + 1e-9);
        end = k;
      }
      if (text.charCodeAt(end) !== 32) return SHAPE;
      if (same) time = lastTime;
      else {
        const r = stampTime(a, b, c, -2, day, hh, mi, se, clock);
        if (typeof r === "string") return r;
        time = r;
      }
      if (!same) {
        lastHead = head;
        lastHead12 = text.charCodeAt(12);
        lastHead13 = text.charCodeAt(13);
        lastHead14 = text.charCodeAt(14);
        lastClockAt = q;
      }
      if (deciding) {
        const month = monthIndex(a, b, c);
        stamp = { month, day, ms: clock * 1000 + frac, year: lastYear };
        if (month === 1 && day === 29) feb29Years.add(lastYear);
        lastStamp = stamp;
      }
      time += frac;
      p = end + 1;
    }
    // HOSTNAME, unless the first word is already the tag ("sshd[123]:", "kernel:") or a fold without host.
    let hostEnd = text.indexOf(" ", p);
    if (hostEnd < 0 && n > p && text.charCodeAt(n - 1) === 58) hostEnd = n;
    if (hostEnd <= p) return "missing host name after the timestamp";
    let host: string | undefined;
    let tagStart: number;
    if (text.charCodeAt(hostEnd - 1) === 58 /* : */ || ((text.charCodeAt(p) === 108 || text.charCodeAt(p) === 45) && lastRepeated(text, p) >= 0)) {
      tagStart = p;
      hostEnd = p - 1;
    } else {
      host = text.slice(p, hostEnd);
      tagStart = hostEnd + 1;
    }
    // tag[pid]: (the tag may hold spaces, e.g. "syslogd 1.4.1: restart.")
    let process: string | undefined;
    let pid: number | undefined;
    let message: string;
    const colon = text.indexOf(":", tagStart);
    if (colon >= tagStart && colon - tagStart < 64 && (colon + 1 === n || text.charCodeAt(colon + 1) === 32)) {
      // "name[digits]:" read backwards from the colon: the '[' found is the tag's last one.
      let open = -1;
      let pidFound = 0;
      if (text.charCodeAt(colon - 1) === 93 /* ] */ && plain(text.charCodeAt(tagStart))) {
        let k = colon - 2;
        let v = 0;
        let scale = 1;
        for (let c = text.charCodeAt(k); k > tagStart && c >= 48 && c <= 57; c = text.charCodeAt(--k)) {
          v += (c - 48) * scale;
          scale *= 10;
        }
        if (k > tagStart && text.charCodeAt(k) === 91 /* [ */ && colon - k - 2 >= 1 && colon - k - 2 <= 10) {
          open = k;
          pidFound = v;
        }
      }
      if (open >= 0) {
        // Fast path for the usual "name[pid]": same result as the general path below, without trim() or slices.
        pid = pidFound;
        process = text.slice(tagStart, open);
      } else {
        const tag = splitTag(text.slice(tagStart, colon).trim());
        process = tag.process;
        pid = tag.pid;
      }
      message = text.slice(colon + 1 < n && text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    } else {
      message = text.slice(tagStart);
    }
    const m0 = message.charCodeAt(0);
    if (m0 === 109 /* m */ || m0 === 108 /* l */ || m0 === 45 /* - */) {
      const folded = fold(message, lineNo, time, host, process, pid, level, facility);
      if (folded !== undefined) return folded;
    }
    return build(lineNo, time, host, process, pid, level, facility, message, message);
  }

  function build(
    lineNo: number, time: number, host: string | undefined, process: string | undefined, pid: number | undefined,
    level: string | undefined, facility: number | undefined, message: string, classified: string, folded?: number,
  ): LogEvent {
    return withFacts(classifyAuthMessage(process, classified), lineNo, time, host, process, pid, level, facility, message, folded);
  }

  function withFacts(
    facts: AuthFacts, lineNo: number, time: number, host: string | undefined, process: string | undefined, pid: number | undefined,
    level: string | undefined, facility: number | undefined, message: string, folded?: number,
  ): LogEvent {
    // (sshd and PAM write the address themselves, and half a line never gets here: no `addressProblem` check on
    // this hot path, where it cost ~5 % of the instructions.)
    let fields = facts.fields;
    if (facility !== undefined) fields = { ...fields, facility };
    const e: LogEvent = {
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
    if (folded !== undefined) (e as { folded?: number }).folded = folded;
    return e;
  }

  /** The N events of a folded line, a reject reason, or undefined when the message is no fold. */
  function fold(
    message: string, lineNo: number, time: number, host: string | undefined, process: string | undefined,
    pid: number | undefined, level: string | undefined, facility: number | undefined,
  ): LogEvent[] | string | undefined {
    let count: number;
    let base: LogEvent | undefined;
    const r = repeatedMessage(message);
    if (r !== undefined) {
      count = r.count;
      if (count >= 1 && count <= maxFolded) base = build(lineNo, time, host, process, pid, level, facility, message, r.message, count);
    } else {
      count = lastRepeated(message);
      if (count < 0) return undefined;
      const fromPrev = prev !== undefined && prev.host === host;
      const before = fromPrev ? prev : lastByHost.get(host);
      if (lbWritten !== undefined && !fromPrev && !lbWritten.has(host)) lbReads.push({ host, key: before === undefined ? null : foldKey(before) });
      if (before === undefined) return undefined; // nothing to repeat: an ordinary event of its own
      if (count >= 1 && count <= maxFolded) {
        base = { ...before, lineNo, time, folded: count };
        delete (base as { companionOf?: number }).companionOf;
        delete (base as { companionType?: string }).companionType;
      }
    }
    if (count < 1) return `folded line repeats ${count} times: expected at least 1`;
    if (base === undefined) return `folded line claims ${count} repeats, more than maxFolded (${maxFolded}): raise \`maxFolded\` to expand it`;
    const events: LogEvent[] = [base];
    for (let i = 1; i < count; i++) events.push({ ...base });
    return events;
  }

  /** Fix the year from the held lines, settle them, and stop holding. */
  function decide(): void {
    deciding = false;
    if (lastStamp === undefined || Number.isNaN(provisional)) {
      notes = { yearSource: "inferred", yearReason: "no year-less timestamps: nothing to infer" };
    } else {
      const ref = new Date(refTime + offsetMs);
      const refYear = ref.getUTCFullYear();
      const last = lastStamp;
      const notAfter = (d: number) => Date.UTC(last.year + d, last.month, last.day) + last.ms - offsetMs <= refTime + 86400000;
      const leapOk = (d: number) => [...feb29Years].every((y) => isLeap(y + d));
      let chosen: number | undefined;
      for (let base = refYear + 1; base >= refYear - 40 && chosen === undefined; base--) {
        const d = base - provisional;
        if (notAfter(d) && leapOk(d)) chosen = d;
      }
      let why = "";
      if (chosen === undefined) {
        for (let base = refYear + 1; base >= refYear - 40 && chosen === undefined; base--) if (notAfter(base - provisional)) chosen = base - provisional;
        chosen = chosen ?? 0;
        why = "; no year makes every Feb 29 valid, those lines are rejects";
      } else if (feb29Years.size > 0) why = "; Feb 29 needs a leap year";
      const first = provisional + chosen;
      const refText = new Date(refTime).toISOString().slice(0, 10);
      notes = {
        year: first,
        yearSource: "inferred",
        yearReason:
          `${first}: the latest year in which the ${held.length === lookahead ? `first ${lookahead} lines are` : "lines are"} valid dates in order ` +
          `and the last is not after the reference date ${refText}${why}`,
      };
      if (chosen !== 0) {
        year += chosen;
        lastA = -1;
        dayYear = NaN;
      }
      for (const h of held) {
        const st = h.stamp;
        if (st === undefined || typeof h.result === "string") continue;
        const y = st.year + chosen;
        const midnight = Date.UTC(y, st.month, st.day);
        if (new Date(midnight).getUTCDate() !== st.day) {
          h.result = `invalid date: day ${st.day} does not exist in that month of ${y}`;
          continue;
        }
        const t = midnight + st.ms - offsetMs;
        if (Array.isArray(h.result)) for (const e of h.result) (e as { time: number }).time = t;
        else (h.result as { time: number }).time = t;
      }
    }
    for (const h of held) if (h.hold !== 1) out.push(h);
    held.length = 0;
  }

  function remember(e: LogEvent): void {
    if (prev === undefined) hostsSeen.add(e.host);
    else if (prev.host !== e.host) {
      if (lastByHost.size > 10_000) lastByHost.clear();
      lastByHost.set(prev.host, prev);
      if (lbWritten !== undefined) lbWritten.add(prev.host);
      hostsSeen.add(e.host);
    }
    prev = e;
  }

  /** What a `last message repeated` line copies from an earlier event, as comparable text. */
  function foldKey(e: LogEvent): string {
    return JSON.stringify({ ...e, lineNo: 0, time: 0, companionOf: undefined, companionType: undefined, folded: undefined });
  }

  /** An event as comparable text, line numbers relative to `base`. */
  function eventKey(e: LogEvent, base: number): string {
    return JSON.stringify({ ...e, lineNo: e.lineNo - base, companionOf: e.companionOf === undefined ? undefined : e.companionOf - base });
  }

  const boundary: BoundaryHooks = {
    infersYear: true,
    openGate() {
      lbWritten = new Set();
      pairing?.openGate();
    },
    state(lineBase) {
      return JSON.stringify([
        deciding, year, lastMonth, lastA, lastB, lastC, lastDay, lastClock, lastTime,
        prev === undefined ? null : eventKey(prev, lineBase),
        pairing === undefined ? null : pairing.boundaryState(lineBase, (e) => eventKey(e, lineBase)),
      ]);
    },
    report() {
      const lastWrites: { host: string | undefined; key: string | null }[] = [];
      for (const h of lbWritten ?? []) {
        const e = lastByHost.get(h);
        lastWrites.push({ host: h, key: e === undefined ? null : foldKey(e) });
      }
      return { unsafe: pairing?.overflowed ? "more than 65,536 hosts" : undefined, hosts: [...hostsSeen], lastReads: lbReads, lastWrites, pairing: pairing?.gateReport() };
    },
  };

  // The host and process names of the last line parseScanned read, and its number: a record whose flags say
  // "the same bytes as the previous line's" reuses them (one string, no slice; the window accumulator then also
  // finds the entity by identity).
  let scanHost: string | undefined;
  let scanProcess: string | undefined;
  let scanLineNo = -1;
  // The same for the user and source address of the last line the scanner classified (flags 4 and 8).
  let scanUser: string | undefined;
  let scanIp: string | undefined;
  let scanFactsLineNo = -1;

  // RFC 3339 stamps of scanned lines: the last day's midnight (UTC) and whether that day exists.
  let isoDay = -1;
  let isoMidnight = NaN;
  let isoExists = false;

  /**
   * {@link isoTime} of a scanned RFC 3339 stamp: year, month (1–12 as written), day, hh<<14|mm<<7|ss,
   * milliseconds, zone minutes and whether there is a zone. Date.UTC and the day check run once per day: midnight
   * plus the time of day is what Date.UTC gives for a valid clock, and a time of day of 24 h or more (23:59:60,
   * a fraction rounded up to 1000 ms) falls on the next day, which isoTime refuses.
   */
  function isoScanned(y: number, mo: number, d: number, hms: number, ms: number, zone: number, hasZone: number): number | string {
    const hh = hms >> 14;
    const mi = (hms >> 7) & 127;
    const se = hms & 127;
    const day = (y * 100 + mo) * 100 + d;
    if (day !== isoDay) {
      isoDay = day;
      isoMidnight = Date.UTC(y, mo - 1, d);
      isoExists = new Date(isoMidnight).getUTCDate() === d;
    }
    const inDay = ((hh * 60 + mi) * 60 + se) * 1000 + ms;
    if (!isoExists || inDay >= 86400000 || hh > 23 || mi > 59 || se > 60) return "invalid date or time in the timestamp";
    return isoMidnight + inDay - (hasZone === 1 ? zone * 60000 : offsetMs);
  }

  /** {@link parseCore} of a line the line scanner read: its record `s[o]`… (status 1 or 2) instead of the text. */
  function scannedCore(text: string, lineNo: number, s: Int32Array, o: number): LogEvent | string {
    let time: number;
    if (s[o] === 2) {
      const t = isoScanned(s[o + 2], s[o + 3], s[o + 4], s[o + 5], s[o + 20], s[o + 21], s[o + 22]);
      if (typeof t === "string") return t;
      time = t;
    } else {
      const r = classicScanned(s, o);
      if (typeof r === "string") return r;
      time = r;
    }
    return scannedEvent(text, lineNo, s, o, time);
  }

  /** The time of a scanned classic stamp (`MMM dd HH:MM:SS`), through the same cache and year rules as parseCore. */
  function classicScanned(s: Int32Array, o: number): number | string {
    const key = s[o + 2];
    const a = key >> 14;
    const b = (key >> 7) & 127;
    const c = key & 127;
    const day = s[o + 4];
    const hms = s[o + 5];
    const hh = hms >> 14;
    const mi = (hms >> 7) & 127;
    const se = hms & 127;
    const clock = (hh * 60 + mi) * 60 + se;
    const time = stampTime(a, b, c, s[o + 3], day, hh, mi, se, clock);
    if (typeof time === "string") return time;
    lastHead = ""; // parseCore's text cache: not filled here
    if (deciding) {
      const month = s[o + 3];
      stamp = { month, day, ms: clock * 1000, year: lastYear };
      if (month === 1 && day === 29) feb29Years.add(lastYear);
      lastStamp = stamp;
    }
    return time;
  }

  /** The event of a scanned line whose time is `time`. */
  function scannedEvent(text: string, lineNo: number, s: Int32Array, o: number, time: number): LogEvent {
    const flags = s[o + 12];
    const follows = scanLineNo === lineNo - 1;
    const host = (flags & 1) !== 0 && follows ? scanHost : text.slice(s[o + 6], s[o + 7]);
    const process = (flags & 2) !== 0 && follows ? scanProcess : text.slice(s[o + 8], s[o + 9]);
    scanHost = host;
    scanProcess = process;
    scanLineNo = lineNo;
    const pid = s[o + 10] < 0 ? undefined : s[o + 10];
    const message = text.slice(s[o + 11]);
    const kind = s[o + 13];
    if (kind === 0 || !authFastPathsOn()) {
      scanFactsLineNo = -1;
      return withFacts(classifyAuthMessage(process, message), lineNo, time, host, process, pid, undefined, undefined, message);
    }
    // What classifyAuthMessage's fast path gives for the shape the scanner read (the same fields, in the same order).
    const us = s[o + 14];
    const is = s[o + 16];
    const port = s[o + 18];
    const classifiedBefore = follows && scanFactsLineNo === lineNo - 1;
    const user = us < 0 ? undefined : (flags & 4) !== 0 && classifiedBefore ? scanUser : text.slice(us, s[o + 15]);
    const srcIp = is < 0 ? undefined : (flags & 8) !== 0 && classifiedBefore ? scanIp : text.slice(is, s[o + 17]);
    scanUser = user;
    scanIp = srcIp;
    scanFactsLineNo = lineNo;
    return {
      lineNo,
      time,
      host,
      process,
      pid,
      level: undefined,
      eventType: SCANNED_EVENT_TYPES[kind],
      user,
      srcIp,
      srcPort: port < 0 ? undefined : port,
      outcome: SCANNED_OUTCOMES[kind],
      message,
      fields: scannedFields(kind, text, s, o),
    };
  }

  function parseLine(text: string, lineNo: number): LineResult {
    stamp = undefined;
    return settle(parseCore(text, lineNo), text, lineNo);
  }

  function parseScanned(text: string, lineNo: number, s: Int32Array, o: number): LineResult {
    if (text.length !== s[o + 1]) return parseLine(text, lineNo);
    stamp = undefined;
    return settle(scannedCore(text, lineNo, s, o), text, lineNo);
  }

  /** What parseLine answers for a line parsed into `r` (held while the year is decided or attempts paired). */
  function settle(r: LogEvent | LogEvent[] | string, text: string, lineNo: number): LineResult {
    if (typeof r === "string") {
      if (deciding) {
        held.push({ lineNo, text, result: r, hold: 0 });
        if (held.length >= lookahead) decide();
        return DEFERRED;
      }
      if (out.length === 0) return r;
      out.push({ lineNo, text, result: r, hold: 0 });
      return DEFERRED;
    }
    const first = Array.isArray(r) ? r[0] : r;
    remember(first);
    if (deciding) {
      const h: Held = { lineNo, text, result: r, hold: 0, stamp };
      held.push(h);
      if (pairing !== undefined) pairing.offer(first, lineNo, text, r, [], h);
      if (held.length >= lookahead) decide();
      return DEFERRED;
    }
    if (pairing !== undefined) {
      if (pairing.offer(first, lineNo, text, r, out)) return DEFERRED;
      // Lines that only waited too long (other sessions) come out after this one, through drain(); lines of
      // this line's own session come before it.
      if (!pairing.sessionReleased && !Array.isArray(r)) return r;
    } else if (out.length === 0 && !Array.isArray(r)) return r;
    out.push({ lineNo, text, result: r, hold: 0 });
    return DEFERRED;
  }

  return {
    parseLine,
    parseScanned,
    drain(final: boolean): readonly SettledLine[] | undefined {
      if (final) {
        if (deciding) decide();
        if (pairing !== undefined) {
          const rest: PendingLine[] = [];
          pairing.flush(rest);
          for (const h of rest) out.push(h);
        }
      }
      if (out.length === 0) return undefined;
      const o = out;
      out = [];
      return o;
    },
    notes: () => notes,
    boundary,
  };
}

/** RFC 3164 / BSD syslog (`auth.log`, `/var/log/messages`), registered as "rfc3164". */
export const rfc3164Format: LogFormat = {
  name: "rfc3164",
  description: "BSD syslog, e.g. auth.log: `Dec 10 06:55:46 host sshd[123]: message` (sshd/PAM/su/sudo events classified)",
  aliases: ["syslog", "auth.log", "authlog", "bsd-syslog"],
  priority: 20,
  createParser: createRfc3164Parser,
};
