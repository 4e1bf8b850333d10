/**
 * The one CSV record splitter (RFC 4180), used by the CSV log format (`ingest/csv-log.ts`) and the
 * labelled-CSV loader (`eval/labelled-csv.ts`): fields separated by a delimiter, a field that starts with
 * `"` is quoted, `""` inside it is one quote, and a line break inside quotes continues the record on the
 * next line (joined with "\n"). Lines are fed one at a time without their line ending (CRLF or LF, as
 * `readLines` gives them), so a record spanning lines streams without holding the input.
 *
 * Deviations from RFC 4180, kept for real logs: a quote inside an unquoted field is an ordinary character
 * (RFC 4180 forbids it), and any non-empty delimiter other than a quote or line break is allowed.
 */
import { OptionError } from "./errors";

/** Default bound on the lines one record may span: past it, a stray quote is reported, not read to the end. */
export const CSV_MAX_RECORD_LINES = 1000;

/** Options of {@link CsvRecordReader}. */
export interface CsvRecordReaderOptions {
  /** Field separator: a non-empty string without `"`, CR or LF. Default: ",". */
  readonly delimiter?: string;
  /** Most lines one record may span (quoted fields with line breaks). Default: {@link CSV_MAX_RECORD_LINES}. */
  readonly maxRecordLines?: number;
}

/**
 * Incremental RFC 4180 record splitter: feed lines with {@link CsvRecordReader.readLine}; each call returns
 * the record's fields when the line completes it, `null` when a quoted field continues on the next line, or
 * a string (the reason) on a syntax error, after which the reader starts afresh. Fields are strings, not
 * trimmed or converted; an empty line outside quotes is one empty field (callers decide whether to skip it).
 *
 * @example
 * const r = new CsvRecordReader();
 * r.readLine('1,"say ""hi""",,x'); // ["1", 'say "hi"', "", "x"]
 * r.readLine('2,"two'); // null
 * r.readLine('lines",end'); // ["2", "two\nlines", "end"]
 * r.readLine('3,"a"b'); // "unexpected character after a closing quote at column 6"
 */
export class CsvRecordReader {
  readonly delimiter: string;
  readonly maxRecordLines: number;
  private fields: string[] = [];
  private current = "";
  private inQuotes = false;
  private heldLines = 0;

  constructor(options: CsvRecordReaderOptions = {}) {
    const delimiter = options.delimiter ?? ",";
    if (typeof delimiter !== "string" || delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
      throw new OptionError(`Expected \`delimiter\` to be a non-empty string without a quote or line break, got ${JSON.stringify(delimiter)}`);
    }
    const maxRecordLines = options.maxRecordLines ?? CSV_MAX_RECORD_LINES;
    if (!(Number.isInteger(maxRecordLines) && maxRecordLines >= 1)) {
      throw new OptionError(`Expected \`maxRecordLines\` to be an integer ≥ 1, got ${JSON.stringify(maxRecordLines)}`);
    }
    this.delimiter = delimiter;
    this.maxRecordLines = maxRecordLines;
  }

  /** True while a quoted field is open (the last line did not complete its record). */
  get pending(): boolean {
    return this.inQuotes;
  }

  /** Lines of the open record read so far (0 when none is open). */
  get pendingLines(): number {
    return this.heldLines;
  }

  /**
   * The open record, when a quoted field continues on the next line: the fields completed so far, the open
   * field's text and the lines read; undefined when no record is open. Two readers with equal open records
   * (and delimiters) read every later line alike (the parallel CSV reader compares them at range boundaries).
   *
   * @example
   * const r = new CsvRecordReader();
   * r.readLine('2,"two');
   * r.openRecord(); // { fields: ["2"], current: "two\n", lines: 1 }
   */
  openRecord(): { readonly fields: readonly string[]; readonly current: string; readonly lines: number } | undefined {
    return this.inQuotes ? { fields: [...this.fields], current: this.current, lines: this.heldLines } : undefined;
  }

  /** Feed one line (without its line ending): the record's fields, `null` (record continues) or an error reason. */
  readLine(text: string): string[] | null | string {
    const problem = this.scan(text);
    if (problem !== undefined) {
      this.reset();
      return problem;
    }
    if (this.inQuotes) {
      this.heldLines++;
      if (this.heldLines >= this.maxRecordLines) {
        this.reset();
        return `quoted field spans more than ${this.maxRecordLines} lines (a stray quote?)`;
      }
      return null;
    }
    const row = this.fields;
    this.reset();
    return row;
  }

  /** End of input: an error reason when a quoted field is still open (the partial record is dropped). */
  finish(): string | undefined {
    if (!this.inQuotes) return undefined;
    this.reset();
    return "unterminated quoted field at end of input";
  }

  /** Drop any open record. */
  reset(): void {
    this.fields = [];
    this.current = "";
    this.inQuotes = false;
    this.heldLines = 0;
  }

  /** Continue parsing `text` into the current record; returns a reason on a syntax error. */
  private scan(text: string): string | undefined {
    const delim = this.delimiter;
    const dl = delim.length;
    const n = text.length;
    let i = 0;
    while (i <= n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.current += text.slice(i) + "\n";
          return undefined;
        }
        this.current += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          this.current += '"';
          i = q + 2;
          continue;
        }
        this.inQuotes = false;
        i = q + 1;
        this.fields.push(this.current);
        this.current = "";
        if (i >= n) return undefined;
        if (!text.startsWith(delim, i)) return `unexpected character after a closing quote at column ${i + 1}`;
        i += dl;
        if (i === n) {
          this.fields.push("");
          return undefined;
        }
        continue;
      }
      if (text.charCodeAt(i) === 34) {
        this.inQuotes = true;
        i++;
        continue;
      }
      const d = text.indexOf(delim, i);
      if (d < 0) {
        this.fields.push(text.slice(i));
        return undefined;
      }
      this.fields.push(text.slice(i, d));
      i = d + dl;
      if (i === n) {
        this.fields.push("");
        return undefined;
      }
    }
    return undefined;
  }
}
