/**
 * Loaders for labelled benchmark data: NumPy `.npz` archives (as ADBench ships them: a zip of `.npy`
 * arrays, deflate-compressed, X stored column-major) and CSV files with a label column.
 *
 * @example
 * const { X, y } = loadAdbench(path.join(sharedDatasetsDir(), "adbench/4_breastw.npz"));
 * [X.rows, X.cols]; // [683, 9]
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import type { DenseMatrix } from "../detectors/types";
import { DataError, OptionError, ParseError } from "../errors";

/** One array from a `.npy` file, converted to float64 in C (row-major) order. */
export interface NpyArray {
  /** NumPy dtype string from the header, e.g. "<f8", "|u1". */
  readonly descr: string;
  /** Shape, e.g. [683, 9]; [] for a scalar. */
  readonly shape: number[];
  /** Whether the file stored the array column-major (the data below is always row-major). */
  readonly fortranOrder: boolean;
  /** Values in row-major order (64-bit integers beyond 2**53 lose precision). */
  readonly data: Float64Array;
}

/** A labelled data set: features and labels (1 = anomaly, 0 = normal). */
export interface LabelledData {
  readonly X: DenseMatrix;
  readonly y: Int8Array;
  /** Feature names when the source has them (CSV header); else "x0", "x1", ... */
  readonly columns: string[];
}

type Reader = (view: DataView, offset: number) => number;

function readerFor(descr: string, where: string): { size: number; read: Reader } {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (m === null) throw new DataError(`${where}: unsupported dtype ${JSON.stringify(descr)}: save numeric arrays (f4, f8, i1–i8, u1–u8, b1)`);
  const le = m[1] !== ">";
  const kind = m[2];
  const size = Number(m[3]);
  const key = `${kind}${size}`;
  switch (key) {
    case "f8":
      return { size, read: (v, o) => v.getFloat64(o, le) };
    case "f4":
      return { size, read: (v, o) => v.getFloat32(o, le) };
    case "i8":
      return { size, read: (v, o) => Number(v.getBigInt64(o, le)) };
    case "i4":
      return { size, read: (v, o) => v.getInt32(o, le) };
    case "i2":
      return { size, read: (v, o) => v.getInt16(o, le) };
    case "i1":
      return { size, read: (v, o) => v.getInt8(o) };
    case "u8":
      return { size, read: (v, o) => Number(v.getBigUint64(o, le)) };
    case "u4":
      return { size, read: (v, o) => v.getUint32(o, le) };
    case "u2":
      return { size, read: (v, o) => v.getUint16(o, le) };
    case "u1":
    case "b1":
      return { size, read: (v, o) => v.getUint8(o) };
    default:
      throw new DataError(`${where}: unsupported dtype ${JSON.stringify(descr)}: save numeric arrays (f4, f8, i1–i8, u1–u8, b1)`);
  }
}

/**
 * Parses one `.npy` file (format versions 1, 2 and 3) into an {@link NpyArray}.
 *
 * @example
 * const a = parseNpy(readFileSync("x.npy")); // { descr: "<f8", shape: [3, 2], data: Float64Array(6), ... }
 */
export function parseNpy(buf: Uint8Array, name = "array"): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (buf.length < 10 || magic.some((b, i) => buf[i] !== b)) {
    throw new DataError(`${name}: not a .npy file (missing the \\x93NUMPY magic)`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = buf[6];
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataError(`${name}: unsupported .npy format version ${major}.${buf[7]}`);
  }
  const header = Buffer.from(buf.buffer, buf.byteOffset + headerStart, headerLen).toString(major === 3 ? "utf8" : "latin1");
  const descrM = /'descr'\s*:\s*'([^']+)'/.exec(header);
  const fortranM = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^()]*)\)/.exec(header);
  if (descrM === null || fortranM === null || shapeM === null) {
    throw new DataError(`${name}: cannot read the .npy header ${JSON.stringify(header.trim())} (structured dtypes are not supported)`);
  }
  const descr = descrM[1];
  const fortranOrder = fortranM[1] === "True";
  const shape = shapeM[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const { size, read } = readerFor(descr, name);
  const dataStart = headerStart + headerLen;
  if (buf.length - dataStart < count * size) {
    throw new DataError(`${name}: truncated .npy data: shape (${shape.join(", ")}) needs ${count * size} bytes, found ${buf.length - dataStart}`);
  }
  const data = new Float64Array(count);
  if (!fortranOrder || shape.length < 2) {
    for (let i = 0; i < count; i++) data[i] = read(view, dataStart + i * size);
  } else {
    // Column-major: the first axis varies fastest. Convert to row-major.
    const nd = shape.length;
    const cStrides = new Array<number>(nd);
    cStrides[nd - 1] = 1;
    for (let k = nd - 2; k >= 0; k--) cStrides[k] = cStrides[k + 1] * shape[k + 1];
    const idx = new Array<number>(nd).fill(0);
    for (let f = 0; f < count; f++) {
      let c = 0;
      for (let k = 0; k < nd; k++) c += idx[k] * cStrides[k];
      data[c] = read(view, dataStart + f * size);
      for (let k = 0; k < nd; k++) {
        if (++idx[k] < shape[k]) break;
        idx[k] = 0;
      }
    }
  }
  return { descr, shape, fortranOrder, data };
}

/** The files of a zip archive (stored or deflate), by name. Handles zip64 size and offset fields. */
function readZip(buf: Buffer, where: string): Map<string, Uint8Array> {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DataError(`${where}: not a zip/.npz archive (no end of central directory)`);
  let entries = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || entries === 0xffff) {
    const locator = eocd - 20;
    if (locator >= 0 && buf.readUInt32LE(locator) === 0x07064b50) {
      const z64 = Number(buf.readBigUInt64LE(locator + 8));
      entries = Number(buf.readBigUInt64LE(z64 + 32));
      cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
    }
  }
  const files = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let e = 0; e < entries; e++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new DataError(`${where}: corrupt zip central directory`);
    const method = buf.readUInt16LE(p + 10);
    let compSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    // zip64 extra field (id 1): the 0xffffffff fields, in the order size, compressed size, offset.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (compSize === 0xffffffff) {
          compSize = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(buf.readBigUInt64LE(q));
      }
      x += 4 + len;
    }
    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new DataError(`${where}: corrupt zip entry ${name}`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(start, start + compSize);
    let content: Uint8Array;
    if (method === 0) content = raw;
    else if (method === 8) content = inflateRawSync(raw);
    else throw new DataError(`${where}: entry ${name} uses zip compression method ${method}; only stored and deflate are supported`);
    if (content.length !== size) throw new DataError(`${where}: entry ${name} inflated to ${content.length} bytes, expected ${size}`);
    files.set(name, content);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

/**
 * Every array of a NumPy `.npz` archive (`np.savez` / `np.savez_compressed`), by name without ".npy".
 *
 * @example
 * const arrays = loadNpz("data.npz");
 * arrays.X.shape; // e.g. [683, 9]
 */
export function loadNpz(path: string): Record<string, NpyArray> {
  const buf = readFileSync(path);
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of readZip(buf, path)) {
    const key = name.endsWith(".npy") ? name.slice(0, -4) : name;
    out[key] = parseNpy(content, `${path}:${name}`);
  }
  return out;
}

/**
 * An ADBench-style `.npz` (arrays `X`, rows × features, and `y`, 1 = anomaly) as a labelled data set.
 *
 * @example
 * const { X, y } = loadAdbench("../shared/datasets/adbench/29_Pima.npz");
 * [X.rows, X.cols, y.length]; // [768, 8, 768]
 */
export function loadAdbench(path: string): LabelledData {
  const arrays = loadNpz(path);
  const X = arrays.X;
  const y = arrays.y;
  if (X === undefined || y === undefined) {
    throw new DataError(`${path}: expected arrays X and y, found ${Object.keys(arrays).join(", ") || "none"}`);
  }
  if (X.shape.length !== 2) throw new DataError(`${path}: expected X to be 2-D (rows × features), got shape (${X.shape.join(", ")})`);
  const [rows, cols] = X.shape;
  if (y.data.length !== rows) throw new DataError(`${path}: y has ${y.data.length} labels for ${rows} rows of X`);
  const labels = new Int8Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = y.data[i];
    if (v !== 0 && v !== 1) throw new DataError(`${path}: expected labels 0/1 in y, got ${v} at row ${i}`);
    labels[i] = v;
  }
  return { X: { data: X.data, rows, cols }, y: labels, columns: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

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
