/**
 * The siemlab model-file format, shared by saved detectors (src/detectors/model-file.ts) and saved Drain
 * parsers (src/ingest/drain.ts): one versioned JSON file plus, when the state holds big arrays, a binary
 * sidecar `<path>.bin`.
 *
 * The JSON file (`format: "siemlab-model"`, `formatVersion`, `siemlabVersion`, `kind`, the kind's own header
 * fields, `state`, `sidecar`, `contentSha256`):
 * - `state` is the fitted state as JSON, with tags for what JSON cannot say: `{"$num": "NaN" | "Infinity" |
 *   "-Infinity" | "-0"}`, `{"$typed": "Float64Array", "values": [...]}` (a small typed array, inline) or
 *   `{"$typed": "Float64Array", "offset": 0, "length": 25600}` (a big one, in the sidecar; `"stored":
 *   "Float32Array"` when every value of a Float64Array is a float32, e.g. TensorFlow.js weights, which halves
 *   it and restores the same doubles), `{"$map": [[key, value], ...]}` (a Map) and `{"$object": {...}}` (a
 *   plain object whose own keys start with "$").
 * - `sidecar` is `{file, bytes, sha256}` or null; the sidecar is always read from `<json path>.bin` (`file` is
 *   its name when saved, for messages), so a pair renamed together still loads; arrays in it are little-endian
 *   and 8-byte aligned.
 * - `contentSha256` is the SHA-256 of the file's JSON text without that field (`JSON.stringify(doc, null,
 *   1)`), so an edited or damaged JSON file is refused even when it still parses.
 * Both files are written in full to temporary names, then renamed into place (sidecar first), so a failed or
 * interrupted save never leaves a half-written file under the final name, and a failure while writing leaves
 * the previous model intact; a stale pair (new sidecar, old JSON) fails the checksum instead of loading.
 * Reading checks format, version, checksums and bounds and decodes everything before returning: a bad file
 * gives a {@link ModelFileError}, never a half-built object.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { endianness } from "node:os";
import { basename, dirname, join } from "node:path";
import { ModelFileError } from "./errors";
import { SIEMLAB_VERSION } from "./version";

/** The `format` field of every siemlab model file. */
export const MODEL_FILE_FORMAT = "siemlab-model";
/** The format version this siemlab writes and reads; files of another version are refused. */
export const MODEL_FORMAT_VERSION = 1;
/** Typed arrays above this many bytes go to the binary sidecar; smaller ones stay inline in the JSON. */
const SIDECAR_MIN_BYTES = 512;

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;
type TypedArrayCtor = { new (buffer: ArrayBuffer): TypedArray; new (length: number): TypedArray; readonly BYTES_PER_ELEMENT: number; readonly name: string };

const TYPED: Record<string, TypedArrayCtor> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as unknown as Record<string, TypedArrayCtor>;

function typedName(v: unknown): string | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  const name = Object.getPrototypeOf(v)?.constructor?.name as string | undefined;
  return name !== undefined && name in TYPED ? name : undefined;
}

function encodeNumber(v: number): unknown {
  if (Number.isNaN(v)) return { $num: "NaN" };
  if (v === Infinity) return { $num: "Infinity" };
  if (v === -Infinity) return { $num: "-Infinity" };
  if (Object.is(v, -0)) return { $num: "-0" };
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Turns a state value into JSON plus sidecar bytes. */
class StateEncoder {
  readonly chunks: Uint8Array[] = [];
  bytes = 0;

  encode(v: unknown, where: string): unknown {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return encodeNumber(v);
    if (v === undefined) throw new ModelFileError(`Cannot save ${where}: undefined (leave the field out instead)`);
    const tn = typedName(v);
    if (tn !== undefined) return this.typed(v as TypedArray, tn);
    if (Array.isArray(v)) return v.map((x, i) => this.encode(x, `${where}[${i}]`));
    if (v instanceof Map) return { $map: [...v].map(([k, x], i) => [this.encode(k, `${where} key ${i}`), this.encode(x, `${where}.get(${String(k)})`)]) };
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      let dollar = false;
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        if (k.startsWith("$")) dollar = true;
        out[k] = this.encode(x, `${where}.${k}`);
      }
      return dollar ? { $object: out } : out;
    }
    const what = (v as object).constructor?.name ?? typeof v;
    throw new ModelFileError(`Cannot save ${where}: a ${what} is not plain data (numbers, strings, arrays, typed arrays, Maps, plain objects)`);
  }

  private typed(a: TypedArray, name: string): unknown {
    let stored: TypedArray = a;
    let storedName = name;
    if (name === "Float64Array" && a.length > 0) {
      let f32 = true;
      for (let i = 0; i < a.length && f32; i++) f32 = Object.is(Math.fround(a[i]), a[i]);
      if (f32) {
        stored = Float32Array.from(a as Float64Array);
        storedName = "Float32Array";
      }
    }
    if (stored.byteLength < SIDECAR_MIN_BYTES) {
      return { $typed: name, values: Array.from(a as ArrayLike<number>, encodeNumber) };
    }
    const pad = (8 - (this.bytes % 8)) % 8;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.bytes += pad;
    }
    const offset = this.bytes;
    this.chunks.push(new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength));
    this.bytes += stored.byteLength;
    return storedName === name ? { $typed: name, offset, length: a.length } : { $typed: name, offset, length: a.length, stored: storedName };
  }
}

/** Turns JSON plus sidecar bytes back into the state; every check fails with a ModelFileError naming `file`. */
class StateDecoder {
  constructor(
    private readonly sidecar: Buffer | null,
    private readonly file: string,
  ) {}

  private fail(where: string, what: string): never {
    throw new ModelFileError(`${this.file} is corrupted: ${where} ${what}; save the model again`);
  }

  decode(v: unknown, where: string): unknown {
    if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
    if (Array.isArray(v)) return v.map((x, i) => this.decode(x, `${where}[${i}]`));
    if (!isPlainObject(v)) this.fail(where, "is not JSON data");
    if ("$num" in v) return this.number(v, where);
    if ("$typed" in v) return this.typed(v, where);
    if ("$map" in v) {
      const entries = v.$map;
      if (!Array.isArray(entries)) this.fail(where, "has a $map that is not an array");
      return new Map(
        entries.map((e: unknown, i: number) => {
          if (!Array.isArray(e) || e.length !== 2) this.fail(`${where} entry ${i}`, "is not a [key, value] pair");
          return [this.decode(e[0], `${where} key ${i}`), this.decode(e[1], `${where} value ${i}`)];
        }),
      );
    }
    const body = "$object" in v ? v.$object : v;
    if (!isPlainObject(body)) this.fail(where, "has an $object that is not an object");
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(body)) {
      if (body === v && k.startsWith("$")) this.fail(where, `has an unknown tag ${JSON.stringify(k)}`);
      out[k] = this.decode(x, `${where}.${k}`);
    }
    return out;
  }

  private number(v: Record<string, unknown>, where: string): number {
    switch (v.$num) {
      case "NaN":
        return NaN;
      case "Infinity":
        return Infinity;
      case "-Infinity":
        return -Infinity;
      case "-0":
        return -0;
      default:
        return this.fail(where, `has an unknown number tag ${JSON.stringify(v.$num)}`);
    }
  }

  private typed(v: Record<string, unknown>, where: string): TypedArray {
    const name = v.$typed as string;
    const Ctor = typeof name === "string" && Object.prototype.hasOwnProperty.call(TYPED, name) ? TYPED[name] : undefined;
    if (Ctor === undefined) return this.fail(where, `has an unknown array type ${JSON.stringify(name)}`);
    if (Array.isArray(v.values)) {
      const out = new Ctor(v.values.length);
      v.values.forEach((x: unknown, i: number) => {
        const n = typeof x === "number" ? x : isPlainObject(x) && "$num" in x ? this.number(x, `${where}[${i}]`) : this.fail(`${where}[${i}]`, "is not a number");
        out[i] = n;
      });
      return out;
    }
    const storedName = (v.stored ?? name) as string;
    const Stored = Object.prototype.hasOwnProperty.call(TYPED, storedName) ? TYPED[storedName] : undefined;
    if (Stored === undefined) return this.fail(where, `has an unknown stored type ${JSON.stringify(storedName)}`);
    const { offset, length } = v;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (offset as number) < 0 || (length as number) < 0) {
      return this.fail(where, "has no valid sidecar offset and length");
    }
    if (this.sidecar === null) return this.fail(where, "points into a sidecar the file does not declare");
    const start = offset as number;
    const bytes = (length as number) * Stored.BYTES_PER_ELEMENT;
    if (start % 8 !== 0 || start + bytes > this.sidecar.length) {
      return this.fail(where, `lies outside the ${this.sidecar.length}-byte sidecar (offset ${start}, ${bytes} bytes)`);
    }
    const copy = new Uint8Array(bytes);
    copy.set(this.sidecar.subarray(start, start + bytes));
    const stored = new Stored(copy.buffer);
    if (Stored === Ctor) return stored;
    const out = new Ctor(stored.length);
    for (let i = 0; i < stored.length; i++) out[i] = stored[i];
    return out;
  }
}

/**
 * Checks that metadata is plain JSON (objects, arrays, strings, finite numbers, booleans, null), so that it
 * reads back exactly as given.
 *
 * @example
 * checkJsonValue({ by: "srcIp", window: "1m" }, "`metadata`"); // ok
 * checkJsonValue({ x: NaN }, "`metadata`"); // throws: JSON has no NaN or Infinity
 */
export function checkJsonValue(v: unknown, where: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ModelFileError(`Expected ${where} to be JSON, got ${String(v)}: JSON has no NaN or Infinity`);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => checkJsonValue(x, `${where}[${i}]`));
  if (isPlainObject(v)) return Object.entries(v).forEach(([k, x]) => checkJsonValue(x, `${where}.${k}`));
  throw new ModelFileError(`Expected ${where} to be JSON (objects, arrays, strings, finite numbers, booleans, null), got ${v === undefined ? "undefined" : ((v as object).constructor?.name ?? typeof v)}`);
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** A temporary name next to `path` (same folder, so that the rename is atomic). */
const tempName = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Writes `chunks` to `tmp` and flushes it to disk. */
function writeFlushed(tmp: string, chunks: readonly (string | Uint8Array)[]): void {
  const fd = openSync(tmp, "w");
  try {
    for (const c of chunks) {
      if (typeof c === "string") writeSync(fd, c);
      else {
        let done = 0;
        while (done < c.byteLength) done += writeSync(fd, c, done, c.byteLength - done);
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes each file to a temporary name next to it, and only when all are complete renames them into place in
 * order: a failure while writing leaves every existing file untouched (and no temporary file behind).
 */
function writeAtomic(files: readonly { readonly path: string; readonly chunks: readonly (string | Uint8Array)[] }[]): void {
  const temps: string[] = [];
  let current = files[0]?.path;
  try {
    for (const f of files) {
      current = f.path;
      const tmp = tempName(f.path);
      temps.push(tmp);
      writeFlushed(tmp, f.chunks);
    }
    files.forEach((f, i) => {
      current = f.path;
      renameSync(temps[i], f.path);
    });
  } catch (e) {
    temps.forEach(removeQuietly);
    throw new ModelFileError(`Cannot write ${current}: ${(e as Error).message}`);
  }
}

/**
 * The sidecar file of a model file: `<path>.bin`.
 *
 * @example
 * sidecarPath("/tmp/model.json"); // "/tmp/model.json.bin"
 */
export function sidecarPath(path: string): string {
  return `${path}.bin`;
}

/**
 * Writes a model file: `header` (plain JSON fields of the kind, e.g. the detector's name and options) and
 * `state` (encoded as described above, big arrays to the sidecar). Removes a stale sidecar when the new state
 * has none.
 *
 * @example
 * writeModelFile("/tmp/demo-model.json", "demo", { note: "hello" }, { weights: new Float64Array(100).fill(0.5) });
 * readModelFile("/tmp/demo-model.json", "demo").doc.note; // "hello"
 */
export function writeModelFile(path: string, kind: string, header: Readonly<Record<string, unknown>>, state: unknown): void {
  if (typeof path !== "string" || path === "") throw new ModelFileError(`Expected a file path to save to, got ${JSON.stringify(path)}`);
  if (endianness() !== "LE") throw new ModelFileError("siemlab model files store arrays little-endian; this machine is big-endian");
  for (const p of [path, sidecarPath(path)]) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      throw new ModelFileError(`Cannot save to ${JSON.stringify(p)}: it is a directory; give a file name, e.g. ${JSON.stringify(join(path, "model.json"))}`);
    }
  }
  const enc = new StateEncoder();
  const encodedState = enc.encode(state, "state");
  const sidecarFile = sidecarPath(path);
  let sidecar: { file: string; bytes: number; sha256: string } | null = null;
  if (enc.bytes > 0) {
    const hash = createHash("sha256");
    for (const c of enc.chunks) hash.update(c);
    sidecar = { file: basename(sidecarFile), bytes: enc.bytes, sha256: hash.digest("hex") };
  }
  const doc: Record<string, unknown> = {
    format: MODEL_FILE_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    siemlabVersion: SIEMLAB_VERSION,
    kind,
    savedAt: new Date().toISOString(),
    ...header,
    sidecar,
    state: encodedState,
  };
  const body = JSON.stringify(doc, null, 1);
  const text = JSON.stringify({ ...doc, contentSha256: sha256(body) }, null, 1) + "\n";
  writeAtomic(sidecar !== null ? [{ path: sidecarFile, chunks: enc.chunks }, { path, chunks: [text] }] : [{ path, chunks: [text] }]);
  if (sidecar === null && existsSync(sidecarFile)) {
    try {
      unlinkSync(sidecarFile);
    } catch {
      // a stale sidecar that cannot be removed is harmless: this file does not declare one
    }
  }
}

/** A model file read back: its header fields and its decoded state. */
export interface ModelFileContents {
  readonly doc: Readonly<Record<string, unknown>>;
  readonly state: unknown;
}

/**
 * Reads and checks a model file of `kind` ("detector", "drain"): format, version, JSON checksum, sidecar
 * presence, size and checksum, then decodes the state. `useInstead` is how to load a file of another kind.
 *
 * @example
 * writeModelFile("/tmp/demo-read.json", "demo", {}, { w: Float64Array.of(1, 2) });
 * readModelFile("/tmp/demo-read.json", "demo").doc.kind;          // "demo"
 * readModelFile("/tmp/demo-read.json", "detector");                // throws: holds a model of kind "demo", not of kind "detector"
 */
export function readModelFile(path: string, kind: string, useInstead: Readonly<Record<string, string>> = {}): ModelFileContents {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(code === "ENOENT" ? `No model file at ${path}` : `Cannot read model file ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`${path} is not a complete model file (truncated or corrupted JSON: ${(e as Error).message}); save the model again`);
  }
  if (!isPlainObject(doc) || doc.format !== MODEL_FILE_FORMAT) {
    throw new ModelFileError(`${path} is not a siemlab model file (expected "format": "${MODEL_FILE_FORMAT}")`);
  }
  if (doc.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(
      `${path} has model format version ${JSON.stringify(doc.formatVersion)} (written by siemlab ${String(doc.siemlabVersion)}); ` +
        `this siemlab ${SIEMLAB_VERSION} reads version ${MODEL_FORMAT_VERSION} only: load it with the siemlab that wrote it, or fit and save the model again`,
    );
  }
  const { contentSha256, ...rest } = doc;
  if (typeof contentSha256 !== "string" || sha256(JSON.stringify(rest, null, 1)) !== contentSha256) {
    throw new ModelFileError(`${path} is corrupted or was edited: its content checksum does not match; save the model again`);
  }
  if (doc.kind !== kind) {
    const hint = typeof doc.kind === "string" && useInstead[doc.kind] !== undefined ? `: load it with ${useInstead[doc.kind]}` : "";
    throw new ModelFileError(`${path} holds a model of kind ${JSON.stringify(doc.kind)}, not of kind ${JSON.stringify(kind)}${hint}`);
  }
  let sidecar: Buffer | null = null;
  const sc = doc.sidecar;
  if (sc !== null) {
    if (!isPlainObject(sc) || typeof sc.file !== "string" || typeof sc.sha256 !== "string" || typeof sc.bytes !== "number") {
      throw new ModelFileError(`${path} is corrupted: its "sidecar" field is not {file, bytes, sha256}`);
    }
    // Always `<path>.bin` next to the JSON, whatever name it had when saved: a renamed pair still loads.
    const scPath = sidecarPath(path);
    try {
      if (!statSync(scPath).isFile()) throw new Error("not a file");
      sidecar = readFileSync(scPath);
    } catch {
      throw new ModelFileError(
        `${path} needs its binary sidecar ${scPath}, which is missing: copy or rename both files together (saved as ${sc.file} next to the JSON)`,
      );
    }
    if (sidecar.length !== sc.bytes) {
      throw new ModelFileError(`${scPath} has ${sidecar.length} bytes, ${path} expects ${sc.bytes}: the sidecar is truncated or belongs to another save`);
    }
    if (sha256(sidecar) !== sc.sha256) {
      throw new ModelFileError(`${scPath} is corrupted or belongs to another save: its SHA-256 does not match the one in ${path}`);
    }
  }
  let state: unknown;
  try {
    state = new StateDecoder(sidecar, path).decode(doc.state, "state");
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${path} is corrupted: its state cannot be decoded (${(e as Error).message}); save the model again`);
  }
  return { doc, state };
}
