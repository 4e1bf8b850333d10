import { OptionError } from "../errors";

/**
 * Read a `timeZone` option as minutes east of UTC: 'UTC' / 'Z' / 'GMT', a fixed offset such as '+02:00',
 * '-0500' or '+2', or a number of minutes. Named zones ('Europe/Paris') are refused with a hint, because a
 * log file's daylight-saving changes are ambiguous.
 *
 * @example
 * timeZoneOffsetMinutes("+02:00") // 120
 */
export function timeZoneOffsetMinutes(timeZone: string | number | undefined): number {
  if (timeZone === undefined) return 0;
  if (typeof timeZone === "number") {
    if (!Number.isFinite(timeZone) || Math.abs(timeZone) > 18 * 60) {
      throw new OptionError(`Expected \`timeZone\` minutes to be within ±1080, got ${timeZone}`);
    }
    return timeZone;
  }
  const tz = timeZone.trim();
  if (/^(utc|z|gmt)$/i.test(tz)) return 0;
  const m = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (m) {
    const minutes = +m[2] * 60 + (m[3] ? +m[3] : 0);
    if (+m[2] <= 18 && (!m[3] || +m[3] < 60)) return m[1] === "-" ? -minutes : minutes;
  }
  throw new OptionError(
    `Expected \`timeZone\` to be 'UTC', a fixed offset like '+02:00' or '-0500', or minutes east of UTC, got ${JSON.stringify(timeZone)}` +
      (tz.includes("/") ? " (named zones are not supported: give the offset the log was written in)" : ""),
  );
}
