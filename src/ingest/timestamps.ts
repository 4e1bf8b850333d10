import { OptionError } from "../errors";
import { resolveTimeZone, type TimeZone } from "./time-zone";

/**
 * Shared timestamp validation for every parser: a calendar date and clock time (as written in a log) is
 * checked field by field and turned into epoch milliseconds (UTC), or refused with a reason that names
 * the impossible part. Every function here returns `number | string`: the epoch ms, or the reject reason
 * (parsers return that string as the line's reject reason). Nothing throws on bad input.
 *
 * Rules (the same in every format):
 * - year 0001–9999 (year 0000 does not exist in the Gregorian calendar as logs write it);
 * - month 1–12; day 1 to the month's length (Feb 29 only in leap years: divisible by 4, centuries only
 *   when divisible by 400);
 * - hour 00–23 (24:00:00 is refused; ISO 8601-1:2019 dropped it), minute 00–59, second 00–60;
 * - second 60 is a leap second, valid only at 23:59:60 UTC: it is read as **23:59:59.999 UTC**, so the
 *   event stays in the minute, hour and day it was written in and sorts after the rest of that second
 *   (JavaScript time, like POSIX time, has no leap seconds); 23:59:60 at any other UTC time is refused;
 * - a UTC offset is at most ±14:00 (the widest in use, Line Islands +14:00), its minutes 00–59;
 * - fractions of a second are kept to the millisecond (truncated, not rounded).
 */

/** The English month abbreviations logs write (syslog stamps, access logs), January first. */
export const MONTH_ABBREVIATIONS: readonly string[] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A calendar date and clock time as written, before any time zone is applied. */
export interface CivilTime {
  /** 1–9999. */
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31 (checked against the month). */
  readonly day: number;
  /** 0–23. Default: 0. */
  readonly hour?: number;
  /** 0–59. Default: 0. */
  readonly minute?: number;
  /** 0–60 (60: leap second, see the module rules). Default: 0. */
  readonly second?: number;
  /** Milliseconds within the second, 0 ≤ ms < 1000 (fractions allowed, truncated). Default: 0. */
  readonly millisecond?: number;
}

/** Unit of a numeric epoch timestamp; 'auto' infers it from the magnitude (see {@link epochToMs}). */
export type EpochUnit = "auto" | "s" | "ms" | "us" | "ns";

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const UTC_ZONE: TimeZone = resolveTimeZone(undefined);

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Date.UTC that also means years 0–99 literally (Date.UTC maps them to 1900–1999). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y >= 100) return t;
  const date = new Date(t);
  date.setUTCFullYear(y);
  return date.getTime();
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Why a civil date and time is impossible, or undefined when it is a real one. Second 60 passes here (it
 * is checked against UTC by {@link civilToUtc}).
 *
 * @example
 * civilProblem({ year: 2023, month: 2, day: 29 }) // "February 29 does not exist in 2023 (not a leap year)"
 * civilProblem({ year: 2024, month: 2, day: 29 }) // undefined
 */
export function civilProblem(c: CivilTime): string | undefined {
  const { year, month, day } = c;
  const hour = c.hour ?? 0;
  const minute = c.minute ?? 0;
  const second = c.second ?? 0;
  const ms = c.millisecond ?? 0;
  if (!Number.isInteger(year) || year < 0 || year > 9999) return `year ${year} is out of range 0001–9999`;
  if (year === 0) return "year 0000 does not exist (years start at 0001)";
  if (!Number.isInteger(month) || month < 1 || month > 12) return `month ${pad2(month)} does not exist (months are 01–12)`;
  if (!Number.isInteger(day) || day < 1) return `day ${pad2(day)} does not exist (days start at 01)`;
  if (day > daysIn(year, month)) {
    return month === 2 && day === 29 ? `February 29 does not exist in ${year} (not a leap year)` : `${MONTH_NAMES[month - 1]} ${day} does not exist (${MONTH_NAMES[month - 1]} has ${daysIn(year, month)} days)`;
  }
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    return hour === 24 ? "hour 24 does not exist (24:00:00 is refused: write 00:00:00 of the next day)" : `hour ${pad2(hour)} is out of range 00–23`;
  }
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) return `minute ${pad2(minute)} is out of range 00–59`;
  if (!Number.isInteger(second) || second < 0 || second > 60) return `second ${pad2(second)} is out of range 00–60`;
  if (!(ms >= 0 && ms < 1000)) return `millisecond ${ms} is out of range 0–999`;
  return undefined;
}

/**
 * Epoch ms (UTC) of a civil time read in a zone: `zone` is a {@link TimeZone}, or minutes east of UTC (the
 * offset written in the timestamp). Returns the reason when the date, the time or the leap second is
 * impossible (see the module rules).
 *
 * @example
 * civilToUtc({ year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5 }, 60) // 1704161045000 (02:04:05Z)
 * civilToUtc({ year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60 }, 0) // 1483228799999 (23:59:59.999Z)
 * civilToUtc({ year: 2024, month: 13, day: 1 }, 0) // "month 13 does not exist (months are 01–12)"
 */
export function civilToUtc(c: CivilTime, zone: TimeZone | number): number | string {
  const problem = civilProblem(c);
  if (problem !== undefined) return problem;
  const leap = c.second === 60;
  const wall = utc(c.year, c.month, c.day, c.hour ?? 0, c.minute ?? 0, leap ? 59 : (c.second ?? 0), leap ? 0 : Math.floor(c.millisecond ?? 0));
  const t = typeof zone === "number" ? wall - zone * 60000 : zone.fixedOffsetMinutes !== undefined ? wall - zone.fixedOffsetMinutes * 60000 : zone.toUtc(wall);
  if (!leap) return t;
  const d = new Date(t);
  if (d.getUTCHours() !== 23 || d.getUTCMinutes() !== 59) {
    return `second 60 is only valid as a leap second at 23:59:60 UTC (this one is at ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:60 UTC)`;
  }
  return t + 999;
}

/**
 * Minutes east of UTC of a written UTC offset (`+02:00`, `-0500`, `+05`, `Z`), or the reason it is
 * impossible (beyond ±14:00, minutes over 59, not an offset).
 *
 * @example
 * utcOffsetMinutes("+05:30") // 330
 * utcOffsetMinutes("+15:00") // "UTC offset +15:00 is beyond ±14:00"
 */
export function utcOffsetMinutes(s: string): number | string {
  if (s === "Z" || s === "z") return 0;
  const c = s.charCodeAt(0);
  if (c !== 43 && c !== 45 && c !== 0x2212) return `${JSON.stringify(s)} is not a UTC offset (expected Z, +HH:MM or -HHMM)`;
  const body = s.slice(1);
  let hh: number;
  let mm = 0;
  if (/^\d{2}$/.test(body)) hh = +body;
  else if (/^\d{2}:?\d{2}$/.test(body)) {
    hh = +body.slice(0, 2);
    mm = +body.slice(-2);
  } else return `${JSON.stringify(s)} is not a UTC offset (expected Z, +HH:MM or -HHMM)`;
  if (mm > 59) return `UTC offset ${s} has minutes over 59`;
  const minutes = hh * 60 + mm;
  if (minutes > 14 * 60) return `UTC offset ${s[0]}${pad2(hh)}:${pad2(mm)} is beyond ±14:00`;
  return c === 43 ? minutes : -minutes;
}

// YYYY-MM-DD[(T| )HH:MM[:SS[(.|,)fraction]]][ ][Z|±HH[:MM]]  (no nested quantifiers: linear time)
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)? ?([Zz]|[+\-\u2212]\d{2}(?::?\d{2})?)?)?$/;
// dd/Mon/yyyy:HH:MM:SS[.fraction] [±HHMM]  (the Common Log Format's %t, nginx's $time_local)
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ([+-]\d{4}))?$/;
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

/**
 * Three-letter English month name (`Jan` … `Dec`, exact case) as 1–12, or 0.
 *
 * @example
 * monthNumber("Oct") // 10
 */
export function monthNumber(name: string): number {
  return MONTHS[name] ?? 0;
}

function fractionMs(digits: string | undefined): number {
  if (digits === undefined) return 0;
  return Math.floor(+(digits + "00").slice(0, 3));
}

function withZone(c: CivilTime, written: string | undefined, zone: TimeZone): number | string {
  if (written === undefined) return civilToUtc(c, zone);
  const off = utcOffsetMinutes(written.replace("\u2212", "-"));
  if (typeof off === "string") return off;
  return civilToUtc(c, off);
}

/**
 * Read an ISO 8601 / RFC 3339 timestamp (`2024-01-02T03:04:05.123456Z`, `2024-01-02 03:04:05+0100`,
 * `2024-01-02T03:04`, `2024-01-02`): epoch ms, the reason it is impossible, or undefined when the text is
 * not shaped like one. Without an offset the time is read in `zone` (default UTC).
 *
 * @example
 * parseIsoTimestamp("2024-01-02T03:04:05Z") // 1704164645000
 * parseIsoTimestamp("2023-02-29T00:00:00Z") // "February 29 does not exist in 2023 (not a leap year)"
 * parseIsoTimestamp("yesterday") // undefined
 */
export function parseIsoTimestamp(s: string, zone: TimeZone = UTC_ZONE): number | string | undefined {
  const t = isoMinutes.read(s, zone);
  return t === t ? t : isoParse(s, zone);
}

/**
 * Reads timestamps of one layout as second 0 of their minute plus the seconds and fraction, each minute read
 * once by the layout's full reading (log lines come minute by minute). The layout: the minute's text up to
 * `colonAt`, `:`, two digits of seconds, an optional fraction of 1–9 digits after `.` (or `,` when
 * `commaFraction`), then whatever the full reading accepts as an offset. Same answers as the full reading:
 * the minute's text with `:00` and the same offset is checked by it, and seconds 00–59 and such a fraction
 * are valid in any minute that is. NaN (the full reading decides) when the text is not of that shape, its
 * seconds are 60 (a leap second), or it has no offset in a zone with daylight saving.
 */
class MinuteReader {
  private minute = "";
  private offset = "";
  private zone: TimeZone | undefined;
  private base = NaN;

  constructor(
    private readonly colonAt: number,
    private readonly commaFraction: boolean,
    private readonly full: (s: string, zone: TimeZone) => number | string | undefined,
  ) {}

  read(s: string, zone: TimeZone): number {
    const n = s.length;
    const at = this.colonAt;
    if (n < at + 3 || s.charCodeAt(at) !== 58 /* : */) return NaN;
    const s1 = s.charCodeAt(at + 1) - 48;
    const s2 = s.charCodeAt(at + 2) - 48;
    if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return NaN;
    let p = at + 3;
    let ms = 0;
    const f = s.charCodeAt(p);
    if (f === 46 /* . */ || (f === 44 /* , */ && this.commaFraction)) {
      const first = p + 1;
      let scale = 100;
      for (p = first; p < n && p < first + 9; p++) {
        const d = s.charCodeAt(p) - 48;
        if (d < 0 || d > 9) break;
        ms += d * scale;
        scale = Math.floor(scale / 10);
      }
      if (p === first) return NaN;
    }
    const offset = p === n ? "" : s.slice(p);
    // (No offset — none, or the lone space ISO allows before one — in a zone with daylight saving: the zone
    // reads the time, and the full reading decides.)
    if ((offset === "" || offset === " ") && zone.fixedOffsetMinutes === undefined) return NaN;
    const minute = s.slice(0, at);
    if (zone !== this.zone || minute !== this.minute || offset !== this.offset) {
      const base = this.full(`${minute}:00${offset}`, zone);
      if (typeof base !== "number") return NaN;
      this.minute = minute;
      this.offset = offset;
      this.zone = zone;
      this.base = base;
    }
    return this.base + (s1 * 10 + s2) * 1000 + ms;
  }
}

const isoMinutes = new MinuteReader(16, true, isoParse);
const clfMinutes = new MinuteReader(17, false, clfParse);

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction][offset]` read minute by minute (see `MinuteReader`): the answer of
 * {@link isoParse}, or NaN when that full reading must decide. Internal (not in the package index);
 * test/ingest/timestamps.test.ts compares the two.
 *
 * @example
 * isoSameMinute("2024-01-02T03:04:05.5Z", resolveTimeZone("UTC")) // 1704164645500
 * isoSameMinute("2024-01-02T03:04:60Z", resolveTimeZone("UTC")) // NaN (a leap second: the full reading decides)
 */
export function isoSameMinute(s: string, zone: TimeZone): number {
  return isoMinutes.read(s, zone);
}

/**
 * `dd/Mon/yyyy:HH:MM:SS[.fraction][ ±HHMM]` read minute by minute: the answer of {@link clfParse}, or NaN when
 * that full reading must decide. Internal, like {@link isoSameMinute}.
 *
 * @example
 * clfSameMinute("10/Oct/2000:13:55:36 -0700", resolveTimeZone("UTC")) // 971211336000
 */
export function clfSameMinute(s: string, zone: TimeZone): number {
  return clfMinutes.read(s, zone);
}

/**
 * {@link parseIsoTimestamp} by its regular expression alone, with no minute cache. Internal (not in the package
 * index), the reference of the tests.
 *
 * @example
 * isoParse("2024-01-02 03:04:05+0100", resolveTimeZone("UTC")) // 1704161045000
 */
export function isoParse(s: string, zone: TimeZone): number | string | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const c: CivilTime = {
    year: +m[1], month: +m[2], day: +m[3],
    hour: m[4] === undefined ? 0 : +m[4], minute: m[5] === undefined ? 0 : +m[5], second: m[6] === undefined ? 0 : +m[6],
    millisecond: fractionMs(m[7]),
  };
  return withZone(c, m[8], zone);
}

/**
 * Read a Common Log Format time (`10/Oct/2000:13:55:36 -0700`, Apache's `%t` and nginx's `$time_local`,
 * an optional fraction after the seconds): epoch ms, the reason it is impossible, or undefined when the
 * text is not shaped like one. Without an offset the time is read in `zone` (default UTC).
 *
 * @example
 * parseClfTimestamp("10/Oct/2000:13:55:36 -0700") // 971211336000
 */
export function parseClfTimestamp(s: string, zone: TimeZone = UTC_ZONE): number | string | undefined {
  const t = clfMinutes.read(s, zone);
  return t === t ? t : clfParse(s, zone);
}

/**
 * {@link parseClfTimestamp} by its regular expression alone, with no minute cache. Internal (not in the package
 * index), the reference of the tests.
 *
 * @example
 * clfParse("10/Oct/2000:13:55:36 -0700", resolveTimeZone("UTC")) // 971211336000
 */
export function clfParse(s: string, zone: TimeZone): number | string | undefined {
  const m = CLF.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2]];
  if (month === undefined) return `month ${JSON.stringify(m[2])} is not a month name (Jan … Dec)`;
  const c: CivilTime = { year: +m[3], month, day: +m[1], hour: +m[4], minute: +m[5], second: +m[6], millisecond: fractionMs(m[7]) };
  return withZone(c, m[8], zone);
}

// By magnitude: |v| in [1e8, 1e11) seconds, [1e11, 1e14) ms, [1e14, 1e17) µs, [1e17, 1e20) ns — each
// range is 1973-03-03 … 5138-11-16 in its unit, and the ranges do not overlap.
const UNIT_MS: Readonly<Record<Exclude<EpochUnit, "auto">, number>> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MIN_DATE_MS = utc(1, 1, 1, 0, 0, 0, 0);

/**
 * Check an `epochUnit` option.
 *
 * @example
 * checkEpochUnit("ms") // "ms"
 */
export function checkEpochUnit(unit: string | undefined): EpochUnit {
  const u = unit ?? "auto";
  if (u === "auto" || u === "s" || u === "ms" || u === "us" || u === "ns") return u;
  if (u === "µs" || u === "μs") return "us";
  throw new OptionError(`Expected \`epochUnit\` to be 'auto', 's', 'ms', 'us' or 'ns', got ${JSON.stringify(unit)}`);
}

/**
 * Epoch ms of a numeric epoch timestamp in `unit`, or the reason it is refused. With 'auto' (the default)
 * the unit is inferred from the magnitude: |v| < 1e8 is refused (ambiguous: 0, small counters, or a
 * time before 1973-03-03 in seconds), 1e8 ≤ v < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds,
 * < 1e20 nanoseconds; larger values are refused. Negative values need a declared unit. A declared unit
 * accepts any value that lands in years 0001–9999.
 *
 * @example
 * [epochToMs(1704164645), epochToMs(1704164646000), epochToMs(1704164647000000)] // [1704164645000, 1704164646000, 1704164647000]
 * epochToMs(1e20) // "epoch value 100000000000000000000 is not a plausible time in s, ms, µs or ns …"
 */
export function epochToMs(v: number, unit: EpochUnit = "auto"): number | string {
  if (!Number.isFinite(v)) return `epoch value ${v} is not a finite number`;
  let ms: number;
  if (unit === "auto") {
    const a = v;
    if (a >= 1e8 && a < 1e11) ms = v * 1000;
    else if (a >= 1e11 && a < 1e14) ms = v;
    else if (a >= 1e14 && a < 1e17) ms = v / 1e3;
    else if (a >= 1e17 && a < 1e20) ms = v / 1e6;
    else {
      return (
        `epoch value ${v} is not a plausible time in s, ms, µs or ns (by magnitude: 1e8 ≤ s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns < 1e20); ` +
        "declare the unit with epochUnit (CLI: --epoch-unit)"
      );
    }
  } else ms = v * UNIT_MS[unit];
  ms = Math.floor(ms);
  if (ms > MAX_MS || ms < MIN_DATE_MS) return `epoch value ${v} ${unit === "auto" ? "" : `(${unit}) `}is outside years 0001–9999`;
  return ms;
}

// One way to match each digit (no `\d+\.?\d*` split ambiguity): linear time on long digit runs.

/**
 * Whether text is a decimal number as an epoch is written: `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?` and
 * nothing else. Read by char codes (an ISO timestamp fails at its fifth character, without a regex call).
 *
 * @example
 * [numericText("1.7e9"), numericText("-.5"), numericText("2025-03-06"), numericText("1.")] // [true, true, false, true]
 */
export function numericText(s: string): boolean {
  const n = s.length;
  let p = 0;
  let c = s.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) p++;
  const intStart = p;
  while (p < n && isAsciiDigit(s.charCodeAt(p))) p++;
  const intDigits = p - intStart;
  if (p < n && s.charCodeAt(p) === 46 /* . */) {
    const fracStart = ++p;
    while (p < n && isAsciiDigit(s.charCodeAt(p))) p++;
    if (intDigits === 0 && p === fracStart) return false;
  } else if (intDigits === 0) return false;
  if (p === n) return true;
  c = s.charCodeAt(p);
  if (c !== 101 /* e */ && c !== 69 /* E */) return false;
  p++;
  c = s.charCodeAt(p);
  if (c === 43 || c === 45) p++;
  const expStart = p;
  while (p < n && isAsciiDigit(s.charCodeAt(p))) p++;
  return p > expStart && p === n;
}

/**
 * Whether a char code is an ASCII digit 0–9 (what `\d` matches in a regular expression without the `u` flag).
 *
 * @example
 * [isAsciiDigit(48), isAsciiDigit(57), isAsciiDigit(0x663)] // [true, true, false]
 */
export function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** How {@link readTimeValue} reads zone-less text and numbers. */
export interface TimeValueOptions {
  /** Zone of timestamps written without an offset. Default: UTC. */
  readonly zone?: TimeZone;
  /** Unit of numeric epochs (numbers and numeric strings). Default: 'auto' (by magnitude). */
  readonly epochUnit?: EpochUnit;
}

/**
 * Read a time value from JSON or CSV: a number or numeric string is an epoch ({@link epochToMs}); text is
 * ISO 8601 ({@link parseIsoTimestamp}) or the Common Log Format time ({@link parseClfTimestamp}). Returns
 * epoch ms, the reason an epoch or a date-shaped text is impossible, or undefined when the value is not
 * a time at all (then the event has no time; it is not rejected).
 *
 * @example
 * readTimeValue("2024-01-02 03:04:05", { zone: resolveTimeZone("Europe/Berlin") }) // 1704161045000
 * readTimeValue(1e20) // "epoch value 100000000000000000000 is not a plausible time …"
 * readTimeValue("2024-13-01T00:00:00Z") // "month 13 does not exist (months are 01–12)"
 */
export function readTimeValue(v: unknown, options: TimeValueOptions = {}): number | string | undefined {
  if (typeof v === "number") return epochToMs(v, options.epochUnit ?? "auto");
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (s === "") return undefined;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (numericText(s)) return epochToMs(+s, options.epochUnit ?? "auto");
    const zone = options.zone ?? UTC_ZONE;
    return parseIsoTimestamp(s, zone) ?? parseClfTimestamp(s, zone);
  }
  return undefined;
}

/**
 * A reject reason for an impossible timestamp, naming the text: `invalid timestamp "…": <why>`.
 *
 * @example
 * timestampReason("2023-02-29", "February 29 does not exist in 2023 (not a leap year)")
 * // 'invalid timestamp "2023-02-29": February 29 does not exist in 2023 (not a leap year)'
 */
export function timestampReason(text: string, why: string): string {
  return `invalid timestamp ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + "…" : text)}: ${why}`;
}
