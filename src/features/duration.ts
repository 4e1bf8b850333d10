import { OptionError } from "../errors";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60000, min: 60000, h: 3600000, d: 86400000, w: 604800000 };

/**
 * Read a duration as milliseconds: a number of ms, or text such as '250ms', '90s', '1m', '5min', '1h',
 * '1d', '1w', or combined '1h30m'. Zero, negative and unknown units are refused with the accepted forms; so are
 * text without a unit ('90': seconds or milliseconds?) and an upper-case 'M' (a month elsewhere, not minutes).
 *
 * @example
 * parseDuration("5m") // 300000
 */
export function parseDuration(value: string | number, name = "window"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) throw new OptionError(`Expected \`${name}\` to be a positive number of milliseconds, got ${value}`);
    return value;
  }
  const raw = value.trim();
  // 'M' is a month in pandas' and Java's notation: months have no fixed length, and reading it as minutes is a trap.
  if (/\d\s*M(?![sS]|[iI][nN])/.test(raw)) {
    throw new OptionError(`Expected \`${name}\` in units ms, s, m/min, h, d, w, got ${JSON.stringify(value)}: 'M' would be a month, which has no fixed length (write 'm' for minutes, or '30d')`);
  }
  if (/^\d+(?:\.\d+)?$/.test(raw)) {
    throw new OptionError(`Expected \`${name}\` with a unit, got ${JSON.stringify(value)}: write '${raw}s' (seconds) or '${raw}ms' (milliseconds)`);
  }
  const s = raw.toLowerCase();
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) {
      total = NaN;
      break;
    }
    total += +m[1] * UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (s !== "" && total === 0) throw new OptionError(`Expected \`${name}\` to be longer than zero, got ${JSON.stringify(value)}`);
  if (s === "" || !(total > 0)) {
    throw new OptionError(
      `Expected \`${name}\` to be a duration like '90s', '1m', '5m', '1h', '1d' (units ms, s, m/min, h, d, w) or milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return total;
}

/**
 * Format milliseconds as the shortest duration text ('1m', '90s', '1h30m').
 *
 * @example
 * formatDuration(5400000) // "1h30m"
 */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [u, size] of [["d", 86400000], ["h", 3600000], ["m", 60000], ["s", 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${u}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join("");
}
