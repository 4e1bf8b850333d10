import type { LogEvent } from "../events";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";

/** Whether a syslog line's stamp carries its own UTC offset (an RFC 3339 stamp ending in Z or ±hh:mm). */
function stampHasOffset(text: string): boolean {
  let p = 0;
  if (text.charCodeAt(0) === 60 /* < */) {
    const close = text.indexOf(">");
    if (close > 0 && close < 5) p = close + 1;
  }
  const c = text.charCodeAt(p);
  if (c < 48 || c > 57) return false; // "Mmm dd HH:MM:SS": never an offset
  let end = text.indexOf(" ", p);
  if (end < 0) end = text.length;
  const stamp = text.slice(p, end);
  const z = stamp.charCodeAt(stamp.length - 1);
  if (z === 90 || z === 122) return true; // Z
  const tail = stamp.slice(-6);
  return /^[+-]\d{2}:?\d{2}$/.test(tail) || /^[+-]\d{4}$/.test(stamp.slice(-5));
}

/**
 * Give a format whose parser takes fixed UTC offsets only (RFC 3164 syslog) named time zones with daylight
 * saving: with an IANA `timeZone` the parser reads wall-clock times as UTC and each event's time is moved
 * to the zone ({@link TimeZone.toUtc}: repeated hour → earlier instant, missing hour → moved forward);
 * lines whose stamp has its own offset are left as they are. Fixed offsets go to the parser unchanged, so
 * the usual path costs nothing extra. To be dropped once the parser resolves named zones itself.
 *
 * @example
 * const f = withNamedZones(getLogFormat("rfc3164"));
 * f.createParser({ year: 2024, timeZone: "Europe/Berlin" }).parseLine("Jul  1 12:00:00 h sshd[1]: x", 1) // time 2024-07-01T10:00:00Z
 */
export function withNamedZones(format: LogFormat): LogFormat {
  return {
    ...format,
    createParser(options: FormatOptions = {}): LineParser {
      const tz = options.timeZone;
      const zone = tz === undefined ? undefined : resolveTimeZone(tz);
      if (zone === undefined || zone.fixedOffsetMinutes !== undefined) return format.createParser(options);
      const inner = format.createParser({ ...options, timeZone: undefined });
      const moveEvent = (e: LogEvent, text: string | undefined): LogEvent =>
        !Number.isFinite(e.time) || (text !== undefined && stampHasOffset(text)) ? e : { ...e, time: zone.toUtc(e.time) };
      const move = <R>(r: R, text: string | undefined): R =>
        (r !== null && typeof r === "object" ? moveEvent(r as unknown as LogEvent, text) : r) as R;
      const drain = inner.drain;
      return {
        parseLine: (text, lineNo) => move(inner.parseLine(text, lineNo), text),
        parseScanned: inner.parseScanned ? (text, lineNo, scan, at) => move(inner.parseScanned!(text, lineNo, scan, at), text) : undefined,
        finish: inner.finish ? () => move(inner.finish!(), undefined) : undefined,
        drain: drain
          ? (final) =>
              drain(final)?.map((s) => ({
                ...s,
                result: Array.isArray(s.result)
                  ? s.result.map((e: LogEvent) => moveEvent(e, s.text))
                  : move(s.result as LogEvent | string, s.text),
              }))
          : undefined,
        notes: inner.notes ? () => inner.notes!() : undefined,
        boundary: inner.boundary,
      };
    },
  };
}
