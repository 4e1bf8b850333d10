/**
 * CSV files with a header row, numeric feature columns and a 0/1 label column, as a labelled data set.
 */
import { readFileSync } from "node:fs";
import { CsvRecordReader } from "../csv-record";
import { DataError, OptionError, ParseError } from "../errors";
import { readLinesSync } from "../ingest/read-lines";
import type { LabelledData } from "./labelled-data";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link LoadLabelledCsvOptions} (unknown names fail with a suggestion). */
const LOAD_LABELLED_CSV_OPTIONS_KEYS: OptionKeys<LoadLabelledCsvOptions> = { labelColumn: true, delimiter: true, dropColumns: true };

/** Options of {@link loadLabelledCsv}. */
export interface LoadLabelledCsvOptions {
  /** Header name of the label column (values 0/1 or true/false; 1/true = anomaly). Default: "label". */
  readonly labelColumn?: string;
  /** Field separator: a non-empty string without a quote or line break. Default: ",". */
  readonly delimiter?: string;
  /** Columns to ignore besides the label (ids, timestamps). Default: none. */
  readonly dropColumns?: readonly string[];
}

/**
 * A CSV file with a header row, numeric feature columns and a 0/1 label column, as a labelled data set.
 * Records are split as RFC 4180 by {@link CsvRecordReader} (quoted fields, `""` escapes, line breaks
 * inside quotes, CRLF or LF line endings); blank lines are skipped. Malformed records raise a ParseError
 * with the line number (of the record's first line).
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * fs.writeFileSync("out/labelled.csv", "failures,users,is_attack\n1,1,0\n40,9,1\n");
 * const { X, y, columns } = loadLabelledCsv("out/labelled.csv", { labelColumn: "is_attack" });
 * [X.rows, columns, y]; // [2, ["failures", "users"], Int8Array [0, 1]]
 */
export function loadLabelledCsv(path: string, options: LoadLabelledCsvOptions = {}): LabelledData {
  checkOptions(options, LOAD_LABELLED_CSV_OPTIONS_KEYS, "loadLabelledCsv");
  const labelColumn = options.labelColumn ?? "label";
  const delimiter = options.delimiter ?? ",";
  const reader = new CsvRecordReader({ delimiter });
  const drop = new Set(options.dropColumns ?? []);
  const records = csvRecords(readFileSync(path, "utf8"), reader);
  const first = records.next();
  if (first.done) throw new DataError(`${path}: the file is empty: expected a header row and data rows`);
  const header = first.value.fields.map((h) => h.trim());
  const labelIdx = header.indexOf(labelColumn);
  if (labelIdx < 0) {
    throw new OptionError(`${path}: no label column ${JSON.stringify(labelColumn)}; columns are ${header.map((h) => JSON.stringify(h)).join(", ")}: set \`labelColumn\``);
  }
  for (const d of drop) {
    if (!header.includes(d)) throw new OptionError(`${path}: cannot drop unknown column ${JSON.stringify(d)}`);
  }
  const featureIdx = header.map((_, j) => j).filter((j) => j !== labelIdx && !drop.has(header[j]));
  const values: number[] = [];
  const labels: number[] = [];
  for (const { lineNo, raw, fields } of records) {
    if (fields.length !== header.length) throw new ParseError(lineNo, raw, `expected ${header.length} fields as the header, got ${fields.length}`);
    const l = fields[labelIdx].trim().toLowerCase();
    if (l === "1" || l === "true") labels.push(1);
    else if (l === "0" || l === "false") labels.push(0);
    else throw new ParseError(lineNo, raw, `label ${JSON.stringify(fields[labelIdx])} in column ${JSON.stringify(labelColumn)} is not 0/1 or true/false`);
    for (const j of featureIdx) {
      const s = fields[j].trim();
      const v = s === "" ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) throw new ParseError(lineNo, raw, `column ${JSON.stringify(header[j])} has non-numeric value ${JSON.stringify(fields[j])}`);
      values.push(v);
    }
  }
  if (labels.length === 0) throw new DataError(`${path}: no data rows after the header`);
  const cols = featureIdx.length;
  if (cols === 0) throw new DataError(`${path}: no feature columns besides the label`);
  return {
    X: { data: Float64Array.from(values), rows: labels.length, cols },
    y: Int8Array.from(labels),
    columns: featureIdx.map((j) => header[j]),
  };
}

/** Non-blank records of a CSV text with the line number and text of their first line; throws ParseError on bad syntax. */
function* csvRecords(text: string, reader: CsvRecordReader): Generator<{ lineNo: number; raw: string; fields: string[] }> {
  let firstLineNo = 0;
  let raw = "";
  for (const line of readLinesSync(text, { maxLineLength: Number.MAX_SAFE_INTEGER })) {
    if (!reader.pending) {
      if (line.text.trim() === "") continue;
      firstLineNo = line.lineNo;
      raw = line.text;
    }
    const got = reader.readLine(line.text);
    if (typeof got === "string") throw new ParseError(firstLineNo, raw, got);
    if (got !== null) yield { lineNo: firstLineNo, raw, fields: got };
  }
  const problem = reader.finish();
  if (problem !== undefined) throw new ParseError(firstLineNo, raw, problem);
}
