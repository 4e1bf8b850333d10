/**
 * NumPy `.npz` archives (as ADBench ships them: a zip of `.npy` arrays, deflate-compressed, X stored
 * column-major): the zip container, and ADBench's arrays X, y as a labelled data set.
 *
 * @example
 * const { X, y } = loadAdbench(path.join(sharedDatasetsDir(), "adbench/4_breastw.npz"));
 * [X.rows, X.cols]; // [683, 9]
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { DataError } from "../errors";
import type { LabelledData } from "./labelled-data";
import { type NpyArray, parseNpy } from "./npy";

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
