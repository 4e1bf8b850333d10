/**
 * NumPy `.npy` arrays (format version 1–3): the header, numeric dtypes, C and Fortran order.
 */
import { DataError } from "../errors";

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
