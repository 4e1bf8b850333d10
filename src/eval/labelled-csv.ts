/**
 * CSV files with a header row, numeric feature columns and a 0/1 label column, as a labelled data set.
 */
import { readFileSync } from "node:fs";
import { DataError, OptionError, ParseError } from "../errors";
import type { LabelledData } from "./labelled-data";

/** Splits one CSV line; supports double-quoted fields with "" escapes. */
function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line.slice(i, i + delimiter.length) !== delimiter) throw new Error("text after a closing quote");
      i += delimiter.length;
    } else {
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, d));
      i = d + delimiter.length;
    }
  }
}

/** Options of {@link loadLabelledCsv}. */
export interface LoadLabelledCsvOptions {
  /** Header name of the label column (values 0/1 or true/false; 1/true = anomaly). Default: "label". */
  readonly labelColumn?: string;
  /** Field separator. Default: ",". */
  readonly delimiter?: string;
  /** Columns to ignore besides the label (ids, timestamps). Default: none. */
  readonly dropColumns?: readonly string[];
}

/**
 * A CSV file with a header row, numeric feature columns and a 0/1 label column, as a labelled data set.
 * Malformed lines raise a ParseError with the line number.
 *
 * @example
 * const { X, y, columns } = loadLabelledCsv("data/labelled.csv", { labelColumn: "is_attack" });
 */
export function loadLabelledCsv(path: string, options: LoadLabelledCsvOptions = {}): LabelledData {
  const labelColumn = options.labelColumn ?? "label";
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length === 0) throw new OptionError("Expected `delimiter` to be a non-empty string, got \"\"");
  const drop = new Set(options.dropColumns ?? []);
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  let lineNo = 0;
  while (lineNo < lines.length && lines[lineNo].trim() === "") lineNo++;
  if (lineNo >= lines.length) throw new DataError(`${path}: the file is empty: expected a header row and data rows`);
  const header = splitCsvLine(lines[lineNo], delimiter).map((h) => h.trim());
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
  for (let i = lineNo + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    let fields: string[];
    try {
      fields = splitCsvLine(raw, delimiter);
    } catch (e) {
      throw new ParseError(i + 1, raw, (e as Error).message);
    }
    if (fields.length !== header.length) throw new ParseError(i + 1, raw, `expected ${header.length} fields as the header, got ${fields.length}`);
    const l = fields[labelIdx].trim().toLowerCase();
    if (l === "1" || l === "true") labels.push(1);
    else if (l === "0" || l === "false") labels.push(0);
    else throw new ParseError(i + 1, raw, `label ${JSON.stringify(fields[labelIdx])} in column ${JSON.stringify(labelColumn)} is not 0/1 or true/false`);
    for (const j of featureIdx) {
      const s = fields[j].trim();
      const v = s === "" ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) throw new ParseError(i + 1, raw, `column ${JSON.stringify(header[j])} has non-numeric value ${JSON.stringify(fields[j])}`);
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
