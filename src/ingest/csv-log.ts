import type { LogEvent } from "../events";
import { OptionError } from "../errors";
import { mappedEvent, resolveFieldMap } from "./field-map";
import type { FormatOptions, LineParser, LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { checkEpochUnit, type TimeValueOptions } from "./timestamps";

/** Reject reason given to the header line (it is read and accounted for, but is not an event). */
export const CSV_HEADER_REASON = "CSV header (column names), not an event";
const MAX_RECORD_LINES = 1000;
const NUMERIC = /^-?\d{1,15}(\.\d+)?$/;

function normName(s: string): string {
  return s.toLowerCase().replace(/[\s_.\-@]+/g, "");
}

/**
 * Create a parser for CSV with a header row (RFC 4180: quoted fields, `""` for a quote, line breaks inside
 * quotes join lines into one record). Columns are mapped to LogEvent fields by `fieldMap` (column names) or
 * the defaults of {@link DEFAULT_FIELD_MAP}, matched case-insensitively ignoring `_ . - @` and spaces;
 * every column is kept in `fields` (numeric-looking values as numbers). The header line is counted as a
 * reject with reason {@link CSV_HEADER_REASON}; rows with a different number of fields than the header are
 * rejected. A quoted field may span at most 1000 lines.
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
  const delim = delimiter.charCodeAt(0);
  const map = resolveFieldMap(options.fieldMap);
  const time: TimeValueOptions = { zone: resolveTimeZone(options.timeZone), epochUnit: checkEpochUnit(options.epochUnit) };
  let header: string[] | undefined;
  let index = new Map<string, number>();
  // State of a record that continues on the next line (inside a quoted field).
  let fields: string[] = [];
  let current = "";
  let inQuotes = false;
  let heldLines = 0;
  let firstLineNo = 0;

  /** Continue parsing `text` into the current record; returns a reason on a syntax error. */
  function scan(text: string): string | undefined {
    let i = 0;
    const n = text.length;
    while (i <= n) {
      if (inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          current += text.slice(i) + "\n";
          return undefined;
        }
        current += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          current += '"';
          i = q + 2;
          continue;
        }
        inQuotes = false;
        i = q + 1;
        if (i < n && text.charCodeAt(i) !== delim) return `unexpected character after a closing quote at column ${i + 1}`;
        if (i >= n) {
          fields.push(current);
          current = "";
          return undefined;
        }
        fields.push(current);
        current = "";
        i++;
        if (i === n) {
          fields.push("");
          return undefined;
        }
        continue;
      }
      if (text.charCodeAt(i) === 34 && current === "") {
        inQuotes = true;
        i++;
        continue;
      }
      let d = i;
      while (d < n && text.charCodeAt(d) !== delim) d++;
      fields.push(current + text.slice(i, d));
      current = "";
      if (d >= n) return undefined;
      i = d + 1;
      if (i === n) {
        fields.push("");
        return undefined;
      }
    }
    return undefined;
  }

  function reset(): void {
    fields = [];
    current = "";
    inQuotes = false;
    heldLines = 0;
  }

  function settle(lineNo: number, raw: string): LogEvent | string {
    const row = fields;
    reset();
    if (header === undefined) {
      if (row.length < 2) return `CSV header must have at least 2 columns separated by ${JSON.stringify(delimiter)}, got ${row.length}`;
      const seen = new Map<string, number>();
      header = row.map((h) => {
        const name = h.trim() || "column";
        const k = (seen.get(name) ?? 0) + 1;
        seen.set(name, k);
        return k === 1 ? name : `${name}_${k}`;
      });
      index = new Map();
      header.forEach((h, i) => {
        const k = normName(h);
        if (!index.has(k)) index.set(k, i);
      });
      return CSV_HEADER_REASON;
    }
    if (row.length !== header.length) return `expected ${header.length} fields (as in the header), got ${row.length}`;
    const record: Record<string, string | number | boolean | null> = {};
    for (let i = 0; i < header.length; i++) {
      if (header[i] === "__proto__") continue;
      const v = row[i];
      record[header[i]] = NUMERIC.test(v) ? +v : v;
    }
    const get = (name: string): unknown => {
      const i = index.get(normName(name));
      return i === undefined ? undefined : row[i];
    };
    return mappedEvent(lineNo, get, map, time, record, raw);
  }

  function parseLine(text: string, lineNo: number): LogEvent | string | null {
    if (!inQuotes && text.length === 0) return "empty line";
    if (heldLines === 0) firstLineNo = lineNo;
    const problem = scan(text);
    if (problem !== undefined) {
      reset();
      return problem;
    }
    if (inQuotes) {
      heldLines++;
      if (heldLines >= MAX_RECORD_LINES) {
        reset();
        return `quoted field spans more than ${MAX_RECORD_LINES} lines (a stray quote?)`;
      }
      return null;
    }
    return settle(firstLineNo, text);
  }

  function finish(): LogEvent | string | undefined {
    if (heldLines === 0) return undefined;
    reset();
    return "unterminated quoted field at end of input";
  }

  return { parseLine, finish };
}

/** CSV with a header row, registered as "csv". */
export const csvLogFormat: LogFormat = {
  name: "csv",
  description: "CSV with a header row (RFC 4180 quoting); columns mapped by name (override with fieldMap)",
  aliases: ["tsv-comma", "siem-csv"],
  priority: 60,
  createParser: createCsvLogParser,
};
