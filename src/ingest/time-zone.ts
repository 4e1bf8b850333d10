import { OptionError } from "../errors";
import { editDistance } from "../options";

const FIXED = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const MINUTE = 60000;
const HOUR = 3600000;
const DAY = 86400000;

/** A fixed offset string or number as minutes east of UTC, or undefined when `tz` is not one. Throws on a bad number. */
function fixedOffset(timeZone: string | number): number | undefined {
  if (typeof timeZone === "number") {
    if (!Number.isFinite(timeZone) || Math.abs(timeZone) > 18 * 60) {
      throw new OptionError(`Expected \`timeZone\` minutes to be within ±1080, got ${timeZone}`);
    }
    return timeZone;
  }
  const tz = timeZone.trim();
  if (/^(utc|z|gmt)$/i.test(tz)) return 0;
  const m = FIXED.exec(tz);
  if (m) {
    const minutes = +m[2] * 60 + (m[3] ? +m[3] : 0);
    if (+m[2] <= 18 && (!m[3] || +m[3] < 60)) return m[1] === "-" ? -minutes : minutes;
  }
  return undefined;
}

/**
 * Read a `timeZone` option as minutes east of UTC: 'UTC' / 'Z' / 'GMT', a fixed offset such as '+02:00',
 * '-0500' or '+2', or a number of minutes. For parsers that take a fixed offset only; a named zone
 * ('Europe/Berlin') is refused here with a pointer to {@link resolveTimeZone}, which handles daylight saving.
 *
 * @example
 * timeZoneOffsetMinutes("+02:00") // 120
 */
export function timeZoneOffsetMinutes(timeZone: string | number | undefined): number {
  if (timeZone === undefined) return 0;
  const fixed = fixedOffset(timeZone);
  if (fixed !== undefined) return fixed;
  const named = typeof timeZone === "string" && timeZone.includes("/");
  throw new OptionError(
    `Expected \`timeZone\` to be 'UTC', a fixed offset like '+02:00' or '-0500', or minutes east of UTC, got ${JSON.stringify(timeZone)}` +
      (named ? " (named zones are not supported by this format: give the offset the log was written in; the JSON, CSV, access-log, Apache error, tutorial and raw formats take named zones)" : ""),
  );
}

/**
 * A time zone for timestamps written without an offset: a fixed offset, or an IANA zone with daylight
 * saving (through Node's ICU data, `Intl.DateTimeFormat`).
 */
export interface TimeZone {
  /** 'UTC', the fixed offset as '+02:00', or the canonical IANA name, e.g. 'Europe/Berlin'. */
  readonly name: string;
  /** Minutes east of UTC when the offset never changes (UTC, '+02:00'); undefined for a named zone. */
  readonly fixedOffsetMinutes: number | undefined;
  /** The offset in force at a UTC instant (epoch ms), in minutes east of UTC. */
  offsetAt(utcMs: number): number;
  /**
   * The UTC instant (epoch ms) of a wall-clock time in this zone, the wall clock given as if it were UTC
   * (`Date.UTC(y, m, d, h, mi, s)`). Daylight saving, as RFC 5545 and JavaScript's Temporal ('compatible')
   * resolve it: a wall time that occurs twice (the repeated hour when clocks go back) is the earlier
   * instant; a wall time that does not exist (the hour skipped when clocks go forward) is moved forward
   * by the length of the gap (02:30 on a spring-forward night in Berlin is 03:30 CEST, 01:30 UTC).
   */
  toUtc(wallMs: number): number;
}

function fixedZone(minutes: number): TimeZone {
  const ms = minutes * MINUTE;
  const a = Math.abs(minutes);
  const name = minutes === 0 ? "UTC" : `${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  return { name, fixedOffsetMinutes: minutes, offsetAt: () => minutes, toUtc: (wall) => wall - ms };
}

/** Wall-clock epoch ms (as if UTC) of the parts ICU gives for an instant. */
function wallOf(parts: Intl.DateTimeFormatPart[]): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of parts) {
    switch (p.type) {
      case "year": y = +p.value; break;
      case "month": mo = +p.value; break;
      case "day": d = +p.value; break;
      case "hour": h = +p.value % 24; break;
      case "minute": mi = +p.value; break;
      case "second": s = +p.value; break;
    }
  }
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getTime();
}

function namedZone(name: string, dtf: Intl.DateTimeFormat): TimeZone {
  /** UTC hour → offset minutes, for hours with no transition inside. */
  const byHour = new Map<number, number>();
  const exact = (t: number): number => {
    const sec = Math.floor(t / 1000) * 1000;
    return Math.round((wallOf(dtf.formatToParts(sec)) - sec) / MINUTE);
  };
  const offsetAt = (t: number): number => {
    const hour = Math.floor(t / HOUR);
    const have = byHour.get(hour);
    if (have !== undefined) return have;
    const a = exact(hour * HOUR);
    const b = exact(hour * HOUR + HOUR - 1000);
    if (a !== b) return exact(t); // a transition inside this hour: no caching
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(hour, a);
    return a;
  };
  // Local day → its single offset, for days far (> 1 day) from any transition.
  let cacheDay = NaN;
  let cacheOffsetMs = 0;
  const toUtc = (wall: number): number => {
    const day = Math.floor(wall / DAY);
    if (day === cacheDay) return wall - cacheOffsetMs;
    const before = offsetAt(day * DAY - DAY);
    const after = offsetAt(day * DAY + 2 * DAY);
    if (before === after) {
      cacheDay = day;
      cacheOffsetMs = before * MINUTE;
      return wall - cacheOffsetMs;
    }
    // A transition near this day: try both offsets; keep those that are consistent.
    const u1 = wall - before * MINUTE;
    const u2 = wall - after * MINUTE;
    const ok1 = offsetAt(u1) === before;
    const ok2 = offsetAt(u2) === after;
    if (ok1 && ok2) return Math.min(u1, u2); // repeated hour: the earlier instant
    if (ok1) return u1;
    if (ok2) return u2;
    return u1; // skipped hour: read with the offset before the gap, i.e. moved forward by the gap
  };
  return { name, fixedOffsetMinutes: undefined, offsetAt, toUtc };
}

function suggestZone(given: string): string | undefined {
  const list = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = list ? list("timeZone") : [];
  const g = given.toLowerCase().replace(/ /g, "_");
  const city = g.slice(g.lastIndexOf("/") + 1);
  let best: string | undefined;
  let bestD = Infinity;
  for (const z of zones) {
    const l = z.toLowerCase();
    if (l.slice(l.lastIndexOf("/") + 1) === city) return z;
    const d = editDistance(g, l);
    if (d < bestD) {
      bestD = d;
      best = z;
    }
  }
  return bestD <= 3 ? best : undefined;
}

const named = new Map<string, TimeZone>();

/**
 * Resolve a `timeZone` option: undefined → UTC; 'UTC' / 'Z' / 'GMT', a fixed offset ('+02:00', '-0500',
 * '+2') or minutes east of UTC → a fixed zone; an IANA name ('Europe/Berlin', 'America/New_York', read
 * case-insensitively) → a zone with daylight saving through Node's ICU data. An unknown name throws an
 * {@link OptionError} suggesting the nearest IANA name. See {@link TimeZone.toUtc} for the repeated and
 * the missing hour.
 *
 * @example
 * const tz = resolveTimeZone("Europe/Berlin");
 * new Date(tz.toUtc(Date.UTC(2024, 6, 1, 12, 0, 0))).toISOString() // "2024-07-01T10:00:00.000Z" (CEST, +02:00)
 * new Date(tz.toUtc(Date.UTC(2024, 9, 27, 2, 30, 0))).toISOString() // "2024-10-27T00:30:00.000Z" (repeated hour: the first, CEST)
 * new Date(tz.toUtc(Date.UTC(2024, 2, 31, 2, 30, 0))).toISOString() // "2024-03-31T01:30:00.000Z" (missing hour: 03:30 CEST)
 */
export function resolveTimeZone(timeZone: string | number | undefined): TimeZone {
  if (timeZone === undefined) return fixedZone(0);
  const fixed = fixedOffset(timeZone);
  if (fixed !== undefined) return fixedZone(fixed);
  const given = String(timeZone).trim();
  const key = given.toLowerCase();
  const have = named.get(key);
  if (have) return have;
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: given,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    const hint = suggestZone(given);
    throw new OptionError(
      `Expected \`timeZone\` to be 'UTC', a fixed offset like '+02:00', or an IANA zone name like 'Europe/Berlin', got ${JSON.stringify(timeZone)}` +
        (hint ? `. Did you mean '${hint}'?` : ""),
    );
  }
  const zone = namedZone(dtf.resolvedOptions().timeZone, dtf);
  named.set(key, zone);
  return zone;
}
