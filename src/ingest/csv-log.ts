import type { LogEvent } from "../events";
import { CSV_MAX_RECORD_LINES, CsvRecordReader } from "../csv-record";
import { OptionError } from "../errors";
import { mappedEventFrom, mappedFieldNames, resolveFieldMap } from "./field-map";
import type { BoundaryHooks, FormatOptions, LineParser, LogFormat, MappedField } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { checkEpochUnit, isAsciiDigit, type TimeValueOptions } from "./timestamps";

/** Reject reason given to the header line (it is read and accounted for, but is not an event). */
export const CSV_HEADER_REASON = "CSV header (column names), not an event";

/**
 * Whether a CSV value reads as a number into `fields`: `-?\d{1,15}(\.\d+)?` and nothing else (an optional minus,
 * 1–15 digits, optionally a point and at least one digit). Read by char codes: most values are not numbers and
 * fail at their first or fifth character (a regular expression test cost a call into the regex engine per value).
 *
 * @example
 * [csvNumber("-12.5"), csvNumber("2025-03-06T00:00:00Z"), csvNumber("1234567890123456")] // [true, false, false]
 */
export function csvNumber(v: string): boolean {
  const n = v.length;
  let p = v.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const intStart = p;
  while (p < n && isAsciiDigit(v.charCodeAt(p))) p++;
  const intDigits = p - intStart;
  if (intDigits < 1 || intDigits > 15) return false;
  if (p === n) return true;
  if (v.charCodeAt(p) !== 46 /* . */) return false;
  const fracStart = ++p;
  while (p < n && isAsciiDigit(v.charCodeAt(p))) p++;
  return p > fracStart && p === n;
}

function normName(s: string): string {
  return s.toLowerCase().replace(/[\s_.\-@]+/g, "");
}

/**
 * Create a parser for CSV with a header row (RFC 4180: quoted fields, `""` for a quote, line breaks inside
 * quotes join lines into one record). Columns are mapped to LogEvent fields by `fieldMap` (column names) or
 * the defaults of {@link DEFAULT_FIELD_MAP}, matched case-insensitively ignoring `_ . - @` and spaces;
 * every column is kept in `fields` (numeric-looking values as numbers). The header line is counted as a
 * reject with reason {@link CSV_HEADER_REASON}; rows with a different number of fields than the header are
 * rejected. A quoted field may span at most 1000 lines. Records are split by {@link CsvRecordReader}. A file
 * can be read on every core (`featurizeLog`): each range's parser reads the header first, and a record open at
 * a range boundary is checked like any other state there (see `BoundaryHooks`).
 *
 * @example
 * const p = createCsvLogParser();
 * p.parseLine("time,user,src_ip,action", 1); // header
 * p.parseLine("2024-01-02T03:04:05Z,alice,1.2.3.4,login_failed", 2).user // "alice"
 */
export function createCsvLogParser(options: FormatOptions = {}): LineParser {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new OptionError(`Expected \`delimiter\` to be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const map = resolveFieldMap(options.fieldMap);
  const time: TimeValueOptions = { zone: resolveTimeZone(options.timeZone), epochUnit: checkEpochUnit(options.epochUnit) };
  let header: string[] | undefined;
  // Per header: the columns each mapped field's candidate names read, in the map's order (names that match no
  // column left out), and errorCode's (-1: none): a row's values are then array reads, resolved once per header.
  let columns = {} as Record<MappedField, number[]>;
  let errorColumn = -1;
  let row: string[] = [];
  const pick = (f: MappedField): unknown => {
    const cs = columns[f];
    for (let k = 0; k < cs.length; k++) {
      const v = row[cs[k]];
      if (v !== undefined && v !== "") return v;
    }
    return undefined;
  };
  const errorCode = (): unknown => (errorColumn < 0 ? undefined : row[errorColumn]);
  // The record being read; it continues on the next line while a quoted field is open.
  const reader = new CsvRecordReader({ delimiter, maxRecordLines: CSV_MAX_RECORD_LINES });
  let firstLineNo = 0;

  function settle(lineNo: number, raw: string, fieldsRead: string[]): LogEvent | string {
    row = fieldsRead;
    if (header === undefined) {
      if (row.length < 2) return `CSV header must have at least 2 columns separated by ${JSON.stringify(delimiter)}, got ${row.length}`;
      const seen = new Map<string, number>();
      header = row.map((h) => {
        const name = h.trim() || "column";
        const k = (seen.get(name) ?? 0) + 1;
        seen.set(name, k);
        return k === 1 ? name : `${name}_${k}`;
      });
      const index = new Map<string, number>();
      header.forEach((h, i) => {
        const k = normName(h);
        if (!index.has(k)) index.set(k, i);
      });
      const columnOf = (name: string): number => index.get(normName(name)) ?? -1;
      columns = {} as Record<MappedField, number[]>;
      for (const f of mappedFieldNames()) columns[f] = map[f].map(columnOf).filter((i) => i >= 0);
      errorColumn = columnOf("errorCode");
      return CSV_HEADER_REASON;
    }
    if (row.length !== header.length) return `expected ${header.length} fields (as in the header), got ${row.length}`;
    const record: Record<string, string | number | boolean | null> = {};
    for (let i = 0; i < header.length; i++) {
      if (header[i] === "__proto__") continue;
      const v = row[i];
      const c = v.charCodeAt(0);
      record[header[i]] = ((c >= 48 && c <= 57) || c === 45) && csvNumber(v) ? +v : v;
    }
    return mappedEventFrom(lineNo, pick, errorCode, time, record, raw);
  }

  function parseLine(text: string, lineNo: number): LogEvent | string | null {
    if (!reader.pending && text.length === 0) return "empty line";
    if (!reader.pending) firstLineNo = lineNo;
    const read = reader.readLine(text);
    // Two tests, not one `||`: tslab compiles without strictNullChecks, where `read === null ||` does not narrow.
    if (read === null) return null;
    if (typeof read === "string") return read;
    return settle(firstLineNo, text, read);
  }

  function finish(): LogEvent | string | undefined {
    return reader.finish();
  }

  // Parallel reading: everything that decides how the next line reads is the header and the open record.
  const boundary: BoundaryHooks = {
    headerRecord: true,
    openGate() {},
    state(lineBase) {
      const open = reader.openRecord();
      return JSON.stringify([header ?? null, open === undefined ? null : [firstLineNo - lineBase, open]]);
    },
    report: () => ({ unsafe: undefined, hosts: [], lastReads: [], lastWrites: [] }),
  };

  return { parseLine, finish, boundary };
}

/** CSV with a header row, registered as "csv". */
export const csvLogFormat: LogFormat = {
  name: "csv",
  description: "CSV with a header row (RFC 4180 quoting); columns mapped by name (override with fieldMap)",
  aliases: ["tsv-comma", "siem-csv"],
  priority: 60,
  createParser: createCsvLogParser,
};
