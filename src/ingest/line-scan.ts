import { LINE_SCAN_WASM } from "./line-scan-wasm";

/**
 * i32 fields per line in a scan record (see assembly/line-scan.ts for their meaning): status (1: a classic
 * stamp, 2: RFC 3339), line length, month letters (or the year), month, day, clock, host, process, pid, message
 * start, flags, kind, user, source address, port, invalid-user flag, milliseconds, zone.
 */
export const SCAN_RECORD = 24;

/** The largest piece of bytes one {@link LineScanner.scan} call reads. */
export const SCAN_MAX_BYTES = 65536;

/** The parts of the WebAssembly API used here (the build's TypeScript libraries do not declare them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

let enabled = true;

/**
 * Turn the WebAssembly line scanner on or off (on by default) and return the previous setting. Internal, for
 * the tests that compare the scanned path with the JavaScript parser alone (not exported from the package index).
 *
 * @example
 * const was = setLineScanner(false);
 * setLineScanner(was); // false
 */
export function setLineScanner(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * The RFC 3164 line scanner: a small WebAssembly module (compiled from assembly/line-scan.ts with AssemblyScript)
 * that reads a piece of printable-ASCII lines as bytes and writes, per line, where the header's fields are (a
 * classic `MMM dd HH:MM:SS` stamp or RFC 3339's, host, tag, pid, message) and,
 * for the commonest sshd and PAM shapes, what the classifier would answer (offsets into the line, which are
 * string offsets too: one byte, one character). The parser builds its events from these records and parses
 * every line the scanner is not sure of in JavaScript as before, so events, rejects and counts are the same
 * with and without it (test/ingest/line-scan.test.ts). One instance per thread; its memory is reused by each call.
 *
 * @example
 * const bytes = Buffer.from("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4\nnot syslog\n");
 * const r = lineScanner()!.scan(bytes, 0, bytes.length, 10);
 * [r.length / SCAN_RECORD, r[0], r[13], r[SCAN_RECORD]] // [2, 1, 3, 0] (two lines; the first read, kind 3: invalid user; the second left to JavaScript)
 */
export class LineScanner {
  private readonly memory: WasmMemory;
  private readonly scanFn: (input: number, len: number, out: number, eol: number) => number;
  private readonly input: number;
  private readonly output: number;
  private bytes: Uint8Array;

  constructor() {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasm.Module(Buffer.from(LINE_SCAN_WASM, "base64"));
    const instance = new wasm.Instance(module, { env: { abort: () => { throw new Error("line scanner: abort"); } } });
    const api = instance.exports as unknown as { memory: WasmMemory; scan: LineScanner["scanFn"]; heapBase: () => number };
    this.memory = api.memory;
    this.scanFn = api.scan;
    this.input = (api.heapBase() + 15) & ~15;
    this.output = this.input + SCAN_MAX_BYTES + 16;
    // Room for a record per byte (a piece of empty lines).
    const need = this.output + SCAN_MAX_BYTES * SCAN_RECORD * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / 65536));
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /**
   * Records of the lines of `bytes[from, to)` (at most {@link SCAN_MAX_BYTES} bytes, each line ended by `eol`,
   * 10 or 13, the last one too): a view of {@link SCAN_RECORD} i32 per line, valid until the next call. Throws a
   * RangeError for a longer piece or one that does not end with `eol`.
   */
  scan(bytes: Uint8Array, from: number, to: number, eol: number): Int32Array {
    if (to - from > SCAN_MAX_BYTES) throw new RangeError(`line scanner: a piece of at most ${SCAN_MAX_BYTES} bytes, got ${to - from}`);
    if (to <= from || bytes[to - 1] !== eol) throw new RangeError("line scanner: a piece must end with its line end byte");
    if (this.bytes.buffer !== this.memory.buffer) this.bytes = new Uint8Array(this.memory.buffer);
    this.bytes.set(bytes.subarray(from, to), this.input);
    const lines = this.scanFn(this.input, to - from, this.output, eol);
    return new Int32Array(this.memory.buffer, this.output, lines * SCAN_RECORD);
  }
}

let instance: LineScanner | undefined;
/** Why the module could not be made on this machine (a CPU or runtime without WebAssembly SIMD), if it could not. */
let unavailable: string | undefined;

/**
 * This thread's {@link LineScanner}, made on first use; undefined when it is turned off ({@link setLineScanner})
 * or cannot run here (WebAssembly SIMD needs SSE4.1 on x86-64; every arm64 has it): the parser then reads every
 * line in JavaScript, with the same results, only slower.
 *
 * @example
 * lineScanner() instanceof LineScanner // true
 */
export function lineScanner(): LineScanner | undefined {
  if (!enabled || unavailable !== undefined) return undefined;
  if (instance === undefined) {
    try {
      instance = new LineScanner();
    } catch (e) {
      unavailable = (e as Error).message;
      return undefined;
    }
  }
  return instance;
}

/**
 * Why the {@link LineScanner} cannot run on this machine (the WebAssembly compiler's message), or undefined when
 * it runs. For `npm run doctor`: without it logs are read in JavaScript, with the same results.
 *
 * @example
 * lineScannerProblem() // undefined (it runs here)
 */
export function lineScannerProblem(): string | undefined {
  if (instance !== undefined) return undefined;
  const was = setLineScanner(true);
  try {
    lineScanner();
  } finally {
    setLineScanner(was);
  }
  return unavailable;
}
