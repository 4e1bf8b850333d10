import { MONTH_ABBREVIATIONS } from "../ingest/timestamps";

/**
 * The RFC 3164 timestamp of an instant, as the simulators write it: `Mmm dd hh:mm:ss` in UTC, the day padded
 * with a space (`Mar  6`), no year. Source: RFC 3164 section 4.1.2 (TIMESTAMP).
 *
 * @example
 * syslogStamp(Date.UTC(2025, 2, 6, 10, 0, 27)); // "Mar  6 10:00:27"
 * syslogStamp(Date.UTC(2024, 11, 31, 23, 59, 5)); // "Dec 31 23:59:05"
 */
export function syslogStamp(t: number): string {
  const d = new Date(t);
  const day = d.getUTCDate();
  return `${MONTH_ABBREVIATIONS[d.getUTCMonth()]} ${day < 10 ? " " + day : day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const pad = (n: number): string => (n < 10 ? "0" + n : String(n));
