import { getLogFormat } from "../ingest/formats";
import type { FormatOptions } from "../ingest/log-format";
import { parseLogStream, type ParseLogOptions } from "../ingest/parse-log";
import { readTextBatches } from "../ingest/read-lines";
import { resolveTimeZone } from "../ingest/time-zone";

/**
 * The parse settings that change a file's events, as a store records them with the file (`loaded_files`,
 * column `parse_settings`, as JSON) so that a later load can tell whether it would read the file the same way.
 * Left out, because they do not change an event: `chunkSize` (read speed), `maxBytes` (where a read stops; a
 * stopped read is not complete and is read again), and `sampleLines`, `referenceDate`, `yearLookahead`, which
 * only act through the format and the year they lead to (both recorded). Defaults are filled in, so an option
 * given at its default compares equal to the option left out.
 */
export interface LoadSettings {
  /**
   * The format the events were read with (given, or detected from the first lines), e.g. 'rfc3164'.
   * Undefined while a file's first read has not finished (a cut load records the given settings only).
   */
  readonly format?: string;
  /** Year-less syslog: the first line's year (given or inferred). Undefined for formats whose lines carry the year. */
  readonly year?: number;
  /** How that year was chosen: "given" (`year`) or "inferred" (from the reference date, the file's mtime). */
  readonly yearSource?: "given" | "inferred";
  /** Time zone of timestamps without an offset, canonical: 'UTC', '+02:00' or an IANA name. Default 'UTC'. */
  readonly timeZone: string;
  /** JSON lines / CSV: unit of numeric epoch timestamps. Default 'auto'. */
  readonly epochUnit: string;
  /** Lines longer than this are cut (the event holds the cut text). Default 65,536. */
  readonly maxLineLength: number;
  /** Syslog: the largest folded line expanded into events. Default 10,000. */
  readonly maxFolded: number;
  /** Syslog: PAM / `Invalid user` records paired with sshd's record of the same attempt. Default true. */
  readonly pairAttempts: boolean;
  /** CSV: the field delimiter. Default ','. */
  readonly delimiter: string;
  /** JSON lines / CSV: the field map as given (JSON text), '' for the default names. */
  readonly fieldMap: string;
  /** What the load was asked for, before detection and inference (to compare a re-load without reading the file). */
  readonly given: GivenSettings;
}

/** The options of a load that lead to the format and the year. */
export interface GivenSettings {
  /** A format's registered name, or 'auto'. */
  readonly format: string;
  /** Lines auto-detection scored (only with format 'auto'). */
  readonly sampleLines: number;
  /** The year given; undefined: inferred. */
  readonly year?: number;
  /** Without a year: the reference date of the inference (epoch ms; the CLI and loadFiles use the file's mtime). */
  readonly referenceDate?: number;
  /** Without a year: the lines that decide it. */
  readonly yearLookahead: number;
}

/** One setting a re-load asks for that differs from the one the stored events were read with. */
export interface SettingsDifference {
  /** The {@link LoadSettings} field, e.g. 'year', 'format', 'timeZone'. */
  readonly setting: "format" | "year" | "timeZone" | "epochUnit" | "maxLineLength" | "maxFolded" | "pairAttempts" | "delimiter" | "fieldMap";
  /** The stored value in words, e.g. "2025 (given)". */
  readonly stored: string;
  /** The requested value in words, e.g. "2026 (inferred from the file's date)". */
  readonly requested: string;
}

/** A value's JSON with object keys sorted (a field map given in another key order is the same map). */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function timeZoneName(tz: FormatOptions["timeZone"]): string {
  try {
    return resolveTimeZone(tz).name;
  } catch {
    return String(tz); // the parse reports the bad zone
  }
}

function epochMs(d: FormatOptions["referenceDate"]): number | undefined {
  if (d === undefined) return undefined;
  return d instanceof Date ? d.getTime() : typeof d === "number" ? d : Date.parse(d);
}

/**
 * The settings a load asks for (`parse` as loadFiles passes it to the parser, the file's mtime as its
 * reference date when no year is given), before the file is read: `format` and `year` stay unknown.
 *
 * @example
 * requestedSettings({ year: 2024, timeZone: "+0000" }).timeZone // "UTC"
 * requestedSettings({ format: "auth.log" }).given.format        // "rfc3164"
 */
export function requestedSettings(parse: ParseLogOptions): LoadSettings {
  const format = parse.format === undefined || parse.format.toLowerCase() === "auto" ? "auto" : getLogFormat(parse.format).name;
  const inferred = parse.year === undefined;
  return {
    timeZone: timeZoneName(parse.timeZone),
    epochUnit: parse.epochUnit ?? "auto",
    maxLineLength: parse.maxLineLength ?? 65536,
    maxFolded: parse.maxFolded ?? 10_000,
    pairAttempts: parse.pairAttempts ?? true,
    delimiter: parse.delimiter ?? ",",
    fieldMap: parse.fieldMap === undefined ? "" : stableJson(parse.fieldMap),
    given: {
      format,
      sampleLines: parse.sampleLines ?? 200,
      year: parse.year,
      referenceDate: inferred ? epochMs(parse.referenceDate) : undefined,
      yearLookahead: parse.yearLookahead ?? 100_000,
    },
  };
}

/**
 * The settings as a load record stores them: JSON with sorted keys (a record from before siemlab stored them
 * has '' instead: unknown).
 *
 * @example
 * settingsText(requestedSettings({ year: 2025 })).startsWith('{"delimiter":",","epochUnit":"auto"') // true
 */
export function settingsText(s: LoadSettings): string {
  return stableJson(s);
}

/**
 * Read stored settings back; undefined for '' or undefined (a record written before siemlab stored them)
 * and for text that is not such a record (treated the same: unknown).
 *
 * @example
 * storedSettings(settingsText(requestedSettings({ year: 2025 })))?.given.year // 2025
 * storedSettings("") // undefined
 */
export function storedSettings(text: string | undefined): LoadSettings | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const s = JSON.parse(text) as LoadSettings;
    return s !== null && typeof s === "object" && typeof s.timeZone === "string" && s.given !== undefined ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The parse options that give these settings (to read a file's head the way a load with them would). */
function parseOptionsOf(s: LoadSettings): ParseLogOptions {
  const g = s.given;
  return {
    format: g.format,
    sampleLines: g.sampleLines,
    year: g.year,
    referenceDate: g.year === undefined ? g.referenceDate : undefined,
    yearLookahead: g.yearLookahead,
    timeZone: s.timeZone,
    epochUnit: s.epochUnit as FormatOptions["epochUnit"],
    maxLineLength: s.maxLineLength,
    maxFolded: s.maxFolded,
    pairAttempts: s.pairAttempts,
    delimiter: s.delimiter,
    fieldMap: s.fieldMap === "" ? undefined : (JSON.parse(s.fieldMap) as FormatOptions["fieldMap"]),
  };
}

/**
 * The format and year a load with these options gives a file, from the lines that decide them: the first
 * `sampleLines` (detection) and, without a year, the first `yearLookahead` (inference) — the same lines a
 * whole read decides on, so the same answer. Without `needYear` (the other side's format has no year) only
 * the format is decided: its year, if any, is not the whole read's.
 */
async function decide(file: string, options: ParseLogOptions, needYear: boolean): Promise<{ format: string; year?: number; yearSource?: "given" | "inferred" }> {
  const n = Math.max(options.sampleLines ?? 200, needYear && options.year === undefined ? (options.yearLookahead ?? 100_000) : 0);
  const lines: string[] = [];
  for await (const b of readTextBatches(file, { maxLineLength: options.maxLineLength })) {
    for (const t of b.texts) {
      if (lines.length >= n) break;
      lines.push(t);
    }
    if (lines.length >= n || b.readError !== undefined) break;
  }
  const s = await parseLogStream(lines, { onEvent: () => undefined }, options);
  return { format: s.format, year: s.notes?.year, yearSource: s.notes?.yearSource };
}

function sameGiven(a: GivenSettings, b: GivenSettings): boolean {
  if (a.format !== b.format || a.year !== b.year) return false;
  if (a.format === "auto" && a.sampleLines !== b.sampleLines) return false;
  if (a.year === undefined && (a.referenceDate !== b.referenceDate || a.yearLookahead !== b.yearLookahead)) return false;
  return true;
}

function yearText(year: number | undefined, source: "given" | "inferred" | undefined): string {
  if (year === undefined) return "none (the lines carry their year)";
  return source === "inferred" ? `${year} (inferred from the file's date)` : `${year} (given)`;
}

/**
 * What differs between the settings a file's stored events were read with and the ones a re-load asks for
 * (empty: the re-load would read the same events). The fixed settings are compared as they are; format and
 * year as they come out: when what was asked differs (another `format`, `year`, or a year inferred from
 * another date), both are decided from the file's first lines, the way a whole read decides them, so a
 * re-load of a year-less syslog without `year` compares the year it would infer.
 *
 * @example
 * const s = requestedSettings({ year: 2025 });
 * (await compareSettings("data/sim/auth.log", { ...s, format: "rfc3164", year: 2025, yearSource: "given" }, requestedSettings({ year: 2024 }))).map((d) => d.setting); // ["year"]
 */
export async function compareSettings(file: string, stored: LoadSettings, requested: LoadSettings): Promise<SettingsDifference[]> {
  const out: SettingsDifference[] = [];
  const fixed = ["timeZone", "epochUnit", "maxLineLength", "maxFolded", "pairAttempts", "delimiter", "fieldMap"] as const;
  for (const k of fixed) {
    if (stored[k] !== requested[k]) {
      const word = (v: unknown) => (k === "fieldMap" && v === "" ? "the default names" : String(v));
      out.push({ setting: k, stored: word(stored[k]), requested: word(requested[k]) });
    }
  }
  if (sameGiven(stored.given, requested.given)) return out;
  // Asked differently: decide both from the file's first lines (the stored ones from the record when it has them).
  const was = stored.format !== undefined ? { format: stored.format, year: stored.year, yearSource: stored.yearSource } : await decide(file, parseOptionsOf(stored), true);
  // A format without a year on the stored side (JSON, access log, …): only the format needs deciding.
  const now = await decide(file, parseOptionsOf(requested), was.year !== undefined);
  if (was.format !== now.format) {
    const how = (g: GivenSettings) => (g.format === "auto" ? " (detected)" : "");
    out.push({ setting: "format", stored: was.format + how(stored.given), requested: now.format + how(requested.given) });
  } else if (was.year !== undefined && was.year !== now.year) {
    out.push({ setting: "year", stored: yearText(was.year, was.yearSource), requested: yearText(now.year, now.yearSource) });
  }
  return out;
}

/**
 * The settings of a finished read: the requested ones with the format and the year (with its source, from
 * the parser's notes) the read used.
 *
 * @example
 * withOutcome(requestedSettings({}), "rfc3164", { year: 2026, yearSource: "inferred" }).year // 2026
 */
export function withOutcome(s: LoadSettings, format: string, notes: { readonly year?: number; readonly yearSource?: "given" | "inferred" } | undefined): LoadSettings {
  return { ...s, format, year: notes?.year, yearSource: notes?.year === undefined ? undefined : notes.yearSource };
}
