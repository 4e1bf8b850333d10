import * as fs from "node:fs";
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import { DataError, OptionError } from "../errors";
import { checkOptions, type OptionKeys } from "../options";
import { DamagedInputError, gunzipMembers } from "./gzip-members";
import { SCAN_MAX_BYTES, SCAN_RECORD, type LineScanner } from "./line-scan";

/** Every option name of {@link ReadLinesOptions} (unknown names fail with a suggestion). */
export const READ_LINES_OPTIONS_KEYS: OptionKeys<ReadLinesOptions> = { maxLineLength: true, chunkSize: true, maxBytes: true };

/** Bit flags on a {@link LogLine}: what the reader had to repair. */
export const LineFlags = {
  /** The line held bytes that are not valid UTF-8; they were replaced by U+FFFD. */
  INVALID_UTF8: 1,
  /** The line was longer than `maxLineLength` characters and was cut to that length. */
  TRUNCATED: 2,
  /**
   * The input ended inside the line (a read error, a damaged or cut gzip stream, the `maxBytes` cap): the text is
   * the start of a line whose end was never read (set with TRUNCATED). Parsers never see it: it is a reject.
   */
  CUT_SHORT: 4,
} as const;

/** One line of input: 1-based line number, text without its line ending, repair flags. */
export interface LogLine {
  readonly lineNo: number;
  readonly text: string;
  /** Bitwise OR of {@link LineFlags}; 0 for a clean line. */
  readonly flags: number;
}

export interface ReadLinesOptions {
  /** Lines longer than this many characters are cut to it and flagged TRUNCATED. Default: 65536. */
  readonly maxLineLength?: number;
  /** Bytes read from a file per chunk. Default: 262144. */
  readonly chunkSize?: number;
  /**
   * Stop after this many bytes of (decompressed) input, a guard against gzip bombs and runaway pipes; the
   * lines before the cut are read and the stop is reported as a read error (see {@link TextBatch.readError}).
   * Default: no limit.
   */
  readonly maxBytes?: number;
}

/** What the readers accept: a file path (plain or gzip), a Node readable stream (e.g. stdin), or lines in memory. */
export type LineSource = string | Readable | AsyncIterable<Buffer | string> | readonly string[];

const DEFAULT_MAX_LINE = 65536;
/** Bytes decoded to one string at a time by the batch reader (below V8's large-object threshold of 128 KiB). */
const DECODE_PIECE = 65536;

/**
 * How an input's lines end: "lf" (LF or CRLF, the default) or "cr" (a carriage return alone: classic Mac OS and
 * some exporters). A whole input has one; see {@link LineEndingSniffer} for the rule that decides it.
 */
export type LineEnding = "lf" | "cr";

/** The bytes of an input's start that decide its {@link LineEnding} (see {@link LineEndingSniffer}). */
export const LINE_ENDING_SNIFF_BYTES = 65536;

/**
 * Decides an input's line ending from its first bytes, fed in pieces: the input's lines end with CR when its
 * first {@link LINE_ENDING_SNIFF_BYTES} bytes hold a CR and its first LINE_ENDING_SNIFF_BYTES + 1 bytes hold no
 * LF (the whole input, when shorter); otherwise with LF (a CRLF file, an LF file with stray CRs, and a file whose
 * first 64 KiB hold no line end at all are read as today, at LF). One LF within the first 64 KiB decides "lf" at
 * once, so a reader of an ordinary file waits for nothing.
 *
 * @example
 * const s = new LineEndingSniffer();
 * s.add(Buffer.from("Dec 10 06:55:46 a\rDec 10 06:55:47 b")); // undefined (no LF yet: more bytes may come)
 * s.end(); // "cr"
 */
export class LineEndingSniffer {
  private seen = 0;
  private cr = false;
  /** Feed the next bytes; the line ending once decided (then the rest of the input need not be fed). */
  add(bytes: Uint8Array): LineEnding | undefined {
    const at = this.seen;
    const room = LINE_ENDING_SNIFF_BYTES + 1 - at;
    if (room <= 0) return this.cr ? "cr" : "lf";
    const n = Math.min(bytes.length, room);
    const lf = bytes.indexOf(10);
    if (lf >= 0 && lf < n) return "lf";
    if (!this.cr) {
      const cr = bytes.indexOf(13);
      if (cr >= 0 && at + cr < LINE_ENDING_SNIFF_BYTES) this.cr = true;
    }
    this.seen = at + n;
    return this.seen > LINE_ENDING_SNIFF_BYTES ? (this.cr ? "cr" : "lf") : undefined;
  }
  /** The input ended: the line ending of what was fed. */
  end(): LineEnding {
    return this.cr ? "cr" : "lf";
  }
}

/**
 * The line ending of an input whose first bytes are `head` (see {@link LineEndingSniffer}); `whole` says `head`
 * is the whole input. Undefined when `head` is too short to decide.
 *
 * @example
 * sniffLineEnding(Buffer.from("a\r\nb\r\n"), true) // "lf"
 * sniffLineEnding(Buffer.from("a\rb\r"), true) // "cr"
 */
export function sniffLineEnding(head: Uint8Array, whole: boolean): LineEnding | undefined {
  const s = new LineEndingSniffer();
  return s.add(head) ?? (whole ? s.end() : undefined);
}

/**
 * Describe a line's flags in words, e.g. "invalid UTF-8, truncated"; "" for a clean line.
 *
 * @example
 * describeLineFlags(LineFlags.INVALID_UTF8 | LineFlags.TRUNCATED) // "invalid UTF-8, truncated"
 */
export function describeLineFlags(flags: number): string {
  const parts: string[] = [];
  if (flags & LineFlags.INVALID_UTF8) parts.push("invalid UTF-8");
  if (flags & LineFlags.TRUNCATED) parts.push("truncated");
  if (flags & LineFlags.CUT_SHORT) parts.push("cut short by the end of the input");
  return parts.join(", ");
}

function maxLineOf(options: ReadLinesOptions): number {
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE;
  if (!Number.isInteger(max) || max < 1) {
    throw new OptionError(`Expected \`maxLineLength\` to be a positive integer, got ${String(max)}`);
  }
  return max;
}

/** Cut a decoded line to `max` characters (not splitting a surrogate pair) and strip CR / BOM. */
function finishLine(text: string, lineNo: number, flags: number, max: number, bomLine = 1): LogLine {
  if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  if (lineNo === bomLine && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > max) {
    let cut = max;
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    text = text.slice(0, cut);
    flags |= LineFlags.TRUNCATED;
  }
  return { lineNo, text, flags };
}

/**
 * Read lines in memory synchronously: a whole text (split on LF; CRLF and a leading BOM handled; split on CR
 * when the text's lines end with CR alone, by the rule of {@link LineEndingSniffer} counted in characters) or an
 * array with one line per element. A trailing line ending does not make an extra empty line.
 *
 * @example
 * readLinesSync("a\r\nb\n").map((l) => l.text) // ["a", "b"]
 * readLinesSync("a\rb\r").map((l) => l.text) // ["a", "b"]
 */
export function readLinesSync(input: string | readonly string[], options: ReadLinesOptions = {}): LogLine[] {
  checkOptions(options, READ_LINES_OPTIONS_KEYS, "readLinesSync");
  const max = maxLineOf(options);
  const out: LogLine[] = [];
  if (typeof input === "string") {
    let start = 0;
    let lineNo = 0;
    const cr = input.lastIndexOf("\n", LINE_ENDING_SNIFF_BYTES) < 0 && input.lastIndexOf("\r", LINE_ENDING_SNIFF_BYTES - 1) >= 0;
    const eol = cr ? "\r" : "\n";
    while (start < input.length) {
      let nl = input.indexOf(eol, start);
      if (nl < 0) nl = input.length;
      out.push(finishLine(input.slice(start, nl), ++lineNo, 0, max));
      start = nl + 1;
    }
    return out;
  }
  for (let i = 0; i < input.length; i++) out.push(finishLine(String(input[i]), i + 1, 0, max));
  return out;
}

function isReadableLike(x: unknown): x is AsyncIterable<Buffer | string> {
  return typeof x === "object" && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Open a file as a chunk stream, gunzipping it when it starts with the gzip magic bytes, as `readTextBatches` reads
 * a path and `featurizeLog` inflates a gzip file for its workers. A damaged gzip file (trailing garbage, cut short,
 * corrupt) gives exactly the bytes `gzip -dc` writes, then throws a DataError saying what and where (see
 * `gunzipMembers` in ./gzip-members).
 *
 * @example
 * let bytes = 0;
 * for await (const chunk of fileChunks("data/sim/auth.log", 65536)) bytes += chunk.length;
 * bytes === fs.statSync("data/sim/auth.log").size // true
 */
export function fileChunks(path: string, chunkSize: number): AsyncIterable<Buffer> {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new DataError(`File not found: ${path} (resolved from ${process.cwd()}). Check the path (from code you can also pass the lines as an array).`);
    }
    if (code === "EISDIR") throw new DataError(`Expected a file, got the directory ${path}`);
    throw new DataError(`Cannot open ${path}: ${(e as Error).message}`);
  }
  const magic = Buffer.alloc(2);
  let n: number;
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new DataError(`Expected a file, got the directory ${path}`);
    // A named pipe, a character device or a shell's `<(zcat …)` (/dev/fd/N) cannot seek: read it as a stream.
    if (!st.isFile()) return sniffGzip(fs.createReadStream(path, { fd, highWaterMark: chunkSize }), path) as AsyncIterable<Buffer>;
    n = fs.readSync(fd, magic, 0, 2, 0);
  } catch (e) {
    fs.closeSync(fd);
    if (e instanceof DataError) throw e;
    throw new DataError(`Cannot read ${path}: ${(e as Error).message}`);
  }
  const stream = fs.createReadStream(path, { fd, highWaterMark: chunkSize, start: 0 });
  if (n === 2 && magic[0] === 0x1f && magic[1] === 0x8b) {
    // After damaged deflate data the reader decodes the member again from the file (see gunzipMembers).
    return sniffGzip(
      gunzipMembers(stream, path, (from) => fs.createReadStream(path, { highWaterMark: chunkSize, start: from })),
      path,
      2,
    ) as AsyncIterable<Buffer>;
  }
  return stream as AsyncIterable<Buffer>;
}

/** A gzip layer's text; its damage says to check it with `check` (a command) instead of `gzip -t`. */
async function* withCheck(layer: AsyncIterable<Buffer>, check: string): AsyncGenerator<Buffer, void, undefined> {
  try {
    yield* layer;
  } catch (e) {
    if (!(e instanceof DamagedInputError)) throw e;
    throw new DamagedInputError(e.message.replace(/check (?:it|the file) with `gzip -t`/, `check it with \`${check}\``));
  }
}

/** Most gzip layers inflated one inside the other (then the text is read as it is). */
const MAX_GZIP_LAYERS = 4;

/**
 * Sniff the first bytes of a stream for gzip; decompress if present. `layer` 1 is the input as given (the magic
 * bytes 1f 8b); from layer 2 on the stream is text inflated `layer − 1` times, decompressed again when it starts
 * with a gzip member header (1f 8b 08: a file gzipped twice, `gzip -c f.gz > f.gz.gz`, is read as
 * `gzip -dc | gzip -dc` would read it), up to {@link MAX_GZIP_LAYERS}.
 */
async function* sniffGzip(source: AsyncIterable<Buffer | string>, label: string, layer = 1): AsyncGenerator<Buffer | string, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  let head = first.value;
  const need = layer === 1 ? 2 : 3;
  // Two (three) bytes to sniff, even from a stream that gives one byte at a time.
  while (typeof head !== "string" && head.length < need) {
    const more = await it.next();
    if (more.done) break;
    head = Buffer.concat([head, typeof more.value === "string" ? Buffer.from(more.value) : more.value]);
  }
  const rest: AsyncIterable<Buffer | string> = {
    [Symbol.asyncIterator]: () => {
      let sentFirst = false;
      return {
        next: () => (sentFirst ? it.next() : ((sentFirst = true), Promise.resolve({ done: false, value: head }))),
        return: (v?: unknown) => (it.return ? it.return(v) : Promise.resolve({ done: true as const, value: v })),
      } as AsyncIterator<Buffer | string>;
    },
  };
  if (typeof head !== "string" && head.length >= need && head[0] === 0x1f && head[1] === 0x8b && (layer === 1 || head[2] === 8) && layer <= MAX_GZIP_LAYERS) {
    if (layer === 1) {
      yield* sniffGzip(gunzipMembers(rest, label), label, 2);
    } else {
      // The text inside: its messages name the layer ("the text inside x.gz (gzip inside gzip)") and say how to
      // check that layer (`gzip -dc x.gz | gzip -t`).
      const inner = `the text inside ${label} (gzip inside gzip${layer > 2 ? `, layer ${layer}` : ""})`;
      const check = `${label === "the input stream" ? "gzip -dc" : `gzip -dc ${label}`}${" | gzip -dc".repeat(layer - 2)} | gzip -t`;
      yield* sniffGzip(withCheck(gunzipMembers(rest, inner), check), label, layer + 1);
    }
  } else {
    yield* rest;
  }
}

/**
 * The lines of one chunk as parallel data, without a {@link LogLine} record per line: line `i` is
 * `texts[i]`, numbered `firstLineNo + i`, with repair flags `flags[i]` (`flags` is undefined when every line
 * of the batch is clean).
 */
export interface TextBatch {
  readonly texts: string[];
  readonly firstLineNo: number;
  readonly flags: number[] | undefined;
  /**
   * Set on the last batch when the input could not be read to its end: a damaged or truncated gzip stream, or
   * bytes after it that are not gzip (the lines before are in this and earlier batches, exactly as `gzip -dc`
   * writes them; trailing zero bytes are ignored silently, as gzip ignores them), a read error,
   * or the `maxBytes` cap. The reason names the input and says how to check it. `parseLogStream` turns it
   * into one reject numbered after the last line read.
   */
  readonly readError?: string;
  /** "cr" on every batch of an input whose lines end with CR alone (see {@link LineEndingSniffer}); absent for LF. */
  readonly lineEnding?: "cr";
  /**
   * With a {@link LineSplitter.scanner}: the {@link LineScanner}'s records, {@link SCAN_RECORD} i32 per line
   * (`scan[i * SCAN_RECORD]` is 0 for a line it did not read). With {@link LineSplitter.reuseScan} they are
   * valid until the splitter cuts the next chunk.
   */
  readonly scan?: Int32Array;
}

/** Batches `a` then `b` (consecutive lines) as one batch. */
function joinBatches(a: TextBatch | undefined, b: TextBatch | undefined): TextBatch | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const flags = a.flags === undefined && b.flags === undefined ? undefined : [...(a.flags ?? a.texts.map(() => 0)), ...(b.flags ?? b.texts.map(() => 0))];
  let scan: Int32Array | undefined;
  if (a.scan !== undefined || b.scan !== undefined) {
    scan = new Int32Array((a.texts.length + b.texts.length) * SCAN_RECORD);
    if (a.scan !== undefined) scan.set(a.scan);
    if (b.scan !== undefined) scan.set(b.scan, a.texts.length * SCAN_RECORD);
  }
  return { ...a, texts: a.texts.concat(b.texts), flags, scan };
}

/**
 * Cuts chunks of bytes into lines, the way {@link readTextBatches} reads them: CRLF, a BOM on the first line,
 * invalid UTF-8 (replaced, flagged) and over-long lines (cut, flagged); a line may span chunks. Lines are
 * numbered from `firstLineNo`; a BOM is stripped only on line `bomLine` (1: the start of a file; 0: never,
 * for a reader that starts inside a file). The same chunks give the same lines whoever feeds them, so a
 * reader of a byte range that starts at a line start and cuts its chunks on the same grid as a reader of
 * the whole file sees the same lines (the parallel reader relies on this).
 *
 * `lineEnding` "auto" (the default, for a reader of a whole input) decides it from the input's first bytes
 * ({@link LineEndingSniffer}: chunks are held until then, at most 64 KiB and one chunk, and an LF file is decided
 * at its first LF); a reader that starts inside an input is given the whole input's. With "cr" lines end at
 * each CR (an LF is then text within the line, as a lone CR is in an LF input) and every batch says
 * `lineEnding: "cr"`.
 *
 * @example
 * const s = new LineSplitter(65536);
 * s.push(Buffer.from("a\r\nb"))?.texts; // ["a"]
 * s.end(false)?.texts; // ["b"]
 */
export class LineSplitter {
  /** Bytes of the current partial line are kept up to a cap; past it the rest of the line is dropped. */
  private readonly maxBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingDropped = false;
  /** The number of the last line cut so far. */
  lineNo: number;
  /** The line-end byte (10 or 13), or -1 while "auto" has not decided it (chunks are then held in `held`). */
  private eol: number;
  private held: Buffer[] = [];
  private sniffer: LineEndingSniffer | undefined;
  /**
   * When set, pieces of printable ASCII lines are also read by this {@link LineScanner} and their records come
   * with the batch ({@link TextBatch.scan}). The parser's choice: set it once the format is known.
   */
  scanner: LineScanner | undefined;
  /**
   * Reuse one array for every batch's {@link TextBatch.scan} (each push then overwrites the last batch's
   * records). Only for a reader that consumes each batch before it pushes the next chunk.
   */
  reuseScan = false;
  private scanPool: Int32Array | undefined;

  constructor(
    private readonly max: number,
    firstLineNo = 1,
    private readonly bomLine = 1,
    lineEnding: LineEnding | "auto" = "auto",
  ) {
    this.maxBytes = max * 4 + 4;
    this.lineNo = firstLineNo - 1;
    this.eol = lineEnding === "auto" ? -1 : lineEnding === "cr" ? 13 : 10;
  }

  /** The input's line ending; undefined while "auto" has not decided it. */
  get lineEnding(): LineEnding | undefined {
    return this.eol < 0 ? undefined : this.eol === 13 ? "cr" : "lf";
  }

  /** Cut the chunks held while "auto" decided (then `last`, when given) on their own boundaries. */
  private replay(last?: Buffer): TextBatch | undefined {
    const held = this.held;
    this.held = [];
    if (last !== undefined) held.push(last);
    let out: TextBatch | undefined;
    // (batches joined here must keep their records: no reuse while replaying)
    const reuse = this.reuseScan;
    this.reuseScan = false;
    try {
      for (const c of held) out = joinBatches(out, this.push(c));
    } finally {
      this.reuseScan = reuse;
    }
    return out;
  }

  private decodePending(tail: Buffer): LogLine {
    let buf = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
    let flags = this.pendingDropped ? LineFlags.TRUNCATED : 0;
    const maxBytes = this.maxBytes;
    if (buf.length > maxBytes) {
      let cut = maxBytes;
      while (cut > 0 && (buf[cut] & 0xc0) === 0x80) cut--; // do not split a UTF-8 sequence
      buf = buf.subarray(0, cut);
      flags |= LineFlags.TRUNCATED;
    }
    if (!isUtf8(buf)) flags |= LineFlags.INVALID_UTF8;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingDropped = false;
    return finishLine(buf.toString("utf8"), ++this.lineNo, flags, this.max, this.bomLine);
  }

  /** The complete lines of one more chunk (undefined when it completes none). The chunk may be reused afterwards. */
  push(chunk: Buffer): TextBatch | undefined {
    let eol = this.eol;
    if (eol < 0) {
      // "auto", not decided yet: hold the chunk (copied) until the sniffer decides (an LF file: on its first
      // chunk, which is then cut here; the held chunks of a CR file or of a stream in small pieces: in replay).
      const e = (this.sniffer ??= new LineEndingSniffer()).add(chunk);
      if (e === undefined) {
        this.held.push(Buffer.from(chunk));
        return undefined;
      }
      this.eol = eol = e === "cr" ? 13 : 10;
      this.sniffer = undefined;
      if (this.held.length > 0) return this.replay(chunk);
    }
    const max = this.max;
    const bomLine = this.bomLine;
    const maxBytes = this.maxBytes;
    const texts: string[] = [];
    let flagsOf: number[] | undefined;
    const firstLineNo = this.lineNo + 1;
    /** Append a line that needed repairs (or may need them): through finishLine, flags kept. */
    const pushLine = (l: LogLine): void => {
      if (l.flags !== 0 && flagsOf === undefined) flagsOf = new Array<number>(texts.length).fill(0);
      texts.push(l.text);
      if (flagsOf !== undefined) flagsOf.push(l.flags);
    };
    const lastNl = chunk.lastIndexOf(eol);
    if (lastNl < 0) {
      if (!this.pendingDropped) {
        const room = maxBytes + 1 - this.pendingBytes;
        if (chunk.length > room) {
          this.pending.push(Buffer.from(chunk.subarray(0, room)));
          this.pendingBytes += room;
          this.pendingDropped = true;
        } else {
          this.pending.push(Buffer.from(chunk));
          this.pendingBytes += chunk.length;
        }
      }
      return undefined;
    }
    let start = 0;
    const firstNl = chunk.indexOf(eol);
    if (this.pendingBytes > 0 || this.pendingDropped) {
      pushLine(this.decodePending(chunk.subarray(0, firstNl)));
      start = firstNl + 1;
    }
    let lineNo = this.lineNo;
    let scanRecords: Int32Array | undefined;
    let scanUpTo = 0; // lines of the batch whose record slots are written (scanned, or zeros)
    if (start <= lastNl) {
      // Fast path: when the region of complete lines is valid UTF-8, decode it in pieces of at most
      // DECODE_PIECE bytes cut at line ends (V8 allocates larger strings in its large-object space, several
      // times slower per byte), and cut lines out of each piece.
      const region = chunk.subarray(start, lastNl + 1);
      if (isUtf8(region)) {
        let from = 0;
        while (from < region.length) {
          let to = from + DECODE_PIECE >= region.length ? region.length : region.lastIndexOf(eol, from + DECODE_PIECE - 1) + 1;
          if (to <= from) to = region.indexOf(eol, from) + 1; // a line longer than a piece: decode it alone
          const text = region.toString("utf8", from, to);
          // A piece of one-byte characters (its length in characters is its length in bytes) is scanned too.
          const scanner = this.scanner;
          let scanFrom = -1;
          let scanned: Int32Array | undefined;
          if (scanner !== undefined && text.length === to - from && to - from <= SCAN_MAX_BYTES) {
            scanFrom = texts.length;
            scanned = scanner.scan(region, from, to, eol);
          }
          let s = 0;
          const end = text.length;
          // The same loop twice, with the line end as a literal: V8 inlines indexOf of a constant one-character
          // string (a variable one costs about 1.5 % of a whole `features` run on LF files).
          if (eol === 10) {
            while (s < end) {
              const nl = text.indexOf("\n", s);
              ++lineNo;
              // A line with no CR at its end, no BOM to strip and within the length limit is kept as sliced
              // (what finishLine would return); anything else goes through finishLine.
              if (nl - s <= max && text.charCodeAt(nl - 1) !== 13 && lineNo !== bomLine && flagsOf === undefined) texts.push(text.slice(s, nl));
              else pushLine(finishLine(text.slice(s, nl), lineNo, 0, max, bomLine));
              s = nl + 1;
            }
          } else {
            while (s < end) {
              const nl = text.indexOf("\r", s);
              ++lineNo;
              if (nl - s <= max && lineNo !== bomLine && flagsOf === undefined) texts.push(text.slice(s, nl));
              else pushLine(finishLine(text.slice(s, nl), lineNo, 0, max, bomLine));
              s = nl + 1;
            }
          }
          if (scanned !== undefined && scanned.length === (texts.length - scanFrom) * SCAN_RECORD) {
            scanRecords = this.keepScan(scanRecords, scanned, scanFrom, chunk.length, scanUpTo);
            scanUpTo = texts.length;
          }
          from = to;
        }
      } else {
        let s = 0;
        while (s < region.length) {
          const nl = region.indexOf(eol, s);
          const bytes = region.subarray(s, nl);
          const flags = isUtf8(bytes) ? 0 : LineFlags.INVALID_UTF8;
          pushLine(finishLine(bytes.toString("utf8"), ++lineNo, flags, max, bomLine));
          s = nl + 1;
        }
      }
    }
    this.lineNo = lineNo;
    const tail = chunk.subarray(lastNl + 1);
    if (tail.length > 0) {
      const room = maxBytes + 1;
      // Copied: a stream may reuse its chunk buffers.
      if (tail.length > room) {
        this.pending = [Buffer.from(tail.subarray(0, room))];
        this.pendingBytes = room;
        this.pendingDropped = true;
      } else {
        this.pending = [Buffer.from(tail)];
        this.pendingBytes = tail.length;
      }
    }
    if (texts.length === 0) return undefined;
    let scan = scanRecords;
    if (scan !== undefined) {
      const n = texts.length * SCAN_RECORD;
      if (scan.length < n) {
        const grown = new Int32Array(n);
        grown.set(scan);
        scan = grown;
      }
      if (this.reuseScan) this.scanPool = scan;
      scan.fill(0, scanUpTo * SCAN_RECORD, n); // lines after the last scanned piece
      if (scan.length > n) scan = scan.subarray(0, n);
    }
    return eol === 10 ? { texts, firstLineNo, flags: flagsOf, scan } : { texts, firstLineNo, flags: flagsOf, lineEnding: "cr", scan };
  }

  /**
   * Put the records of lines `first`… of this batch into `into` (the reused array, or a new one, when none
   * yet; grown when short), lines `upTo`… before them (not scanned) set to zeros (status 0); returns the array
   * that holds them.
   */
  private keepScan(into: Int32Array | undefined, records: Int32Array, first: number, chunkBytes: number, upTo: number): Int32Array {
    if (into === undefined && this.reuseScan) into = this.scanPool;
    const need = first * SCAN_RECORD + records.length;
    if (into === undefined || into.length < need) {
      // (a first guess of the batch's lines: one per 64 bytes of the chunk)
      const grown = new Int32Array(Math.max(need, into === undefined ? (chunkBytes >> 6) * SCAN_RECORD : into.length * 2));
      if (into !== undefined) grown.set(into.subarray(0, upTo * SCAN_RECORD));
      into = grown;
    }
    into.fill(0, upTo * SCAN_RECORD, first * SCAN_RECORD);
    into.set(records, first * SCAN_RECORD);
    return into;
  }

  /**
   * End of input: the last line when it has no line ending (flagged TRUNCATED as well when `cut`: the read
   * stopped early), else undefined.
   */
  end(cut: boolean): TextBatch | undefined {
    let before: TextBatch | undefined;
    if (this.eol < 0) {
      this.eol = this.sniffer?.end() === "cr" ? 13 : 10;
      this.sniffer = undefined;
      before = this.replay();
    }
    if (this.pendingBytes === 0 && !this.pendingDropped) return before;
    const l = this.decodePending(Buffer.alloc(0));
    // A line cut by a read error or the maxBytes cap is flagged TRUNCATED like an over-long one, and CUT_SHORT.
    const f = cut ? l.flags | LineFlags.TRUNCATED | LineFlags.CUT_SHORT : l.flags;
    const last: TextBatch = { texts: [l.text], firstLineNo: l.lineNo, flags: f === 0 ? undefined : [f] };
    return joinBatches(before, this.eol === 13 ? { ...last, lineEnding: "cr" } : last);
  }
}

/**
 * Like {@link readLineBatches}, but yields {@link TextBatch}es: the same lines, numbers, repairs and errors,
 * with no object allocated per line (for callers that read millions of lines, such as `parseLogStream`).
 * `scanning.scanner`, read before each chunk is cut, has the chunks' printable-ASCII lines scanned as well
 * ({@link TextBatch.scan}); `parseLogStream` sets it once the format is known.
 *
 * @example
 * let count = 0;
 * for await (const b of readTextBatches("data/sim/auth.log")) count += b.texts.length;
 * count; // 1235
 */
export async function* readTextBatches(
  source: LineSource, options: ReadLinesOptions = {}, scanning?: { readonly scanner?: LineScanner },
): AsyncGenerator<TextBatch, void, undefined> {
  checkOptions(options, READ_LINES_OPTIONS_KEYS, "readTextBatches");
  const max = maxLineOf(options);
  if (Array.isArray(source)) {
    const all = readLinesSync(source as readonly string[], options);
    for (let i = 0; i < all.length; i += 4096) {
      const part = all.slice(i, i + 4096);
      yield { texts: part.map((l) => l.text), firstLineNo: i + 1, flags: undefined };
    }
    return;
  }
  const chunkSize = options.chunkSize ?? 262144;
  let chunks: AsyncIterable<Buffer | string>;
  if (typeof source === "string") chunks = fileChunks(source, chunkSize);
  else if (isReadableLike(source)) chunks = sniffGzip(source, "the input stream");
  else throw new OptionError(`Expected a file path, a readable stream or an array of lines, got ${typeof source}`);

  const splitter = new LineSplitter(max);
  const maxTotal = options.maxBytes ?? Infinity;
  if (!(maxTotal > 0) || (maxTotal !== Infinity && !Number.isInteger(maxTotal))) {
    throw new OptionError(`Expected \`maxBytes\` to be a positive integer, got ${String(options.maxBytes)}`);
  }
  let total = 0;
  let readError: string | undefined;
  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<Buffer | string>;
    try {
      step = await iterator.next();
    } catch (e) {
      // A damaged gzip stream or a failing read: keep what was read, report the rest as a read error.
      readError = e instanceof DamagedInputError ? e.message : `Cannot read ${typeof source === "string" ? source : "the input stream"} to its end: ${(e as Error).message}`;
      break;
    }
    if (step.done) break;
    let raw = step.value;
    if (total + raw.length > maxTotal) {
      const b = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
      raw = b.subarray(0, maxTotal - total);
      readError = `stopped reading ${typeof source === "string" ? source : "the input stream"} after maxBytes = ${maxTotal} bytes (decompressed); raise maxBytes (CLI: --max-bytes) to read more`;
    }
    total += raw.length;
    if (scanning !== undefined) {
      splitter.scanner = scanning.scanner;
      splitter.reuseScan = true; // (this generator's reader consumes each batch before asking for the next)
    }
    const batch = splitter.push(typeof raw === "string" ? Buffer.from(raw, "utf8") : raw);
    if (batch !== undefined) yield batch;
    if (readError !== undefined) {
      await iterator.return?.();
      break;
    }
  }
  const last = splitter.end(readError !== undefined);
  if (last !== undefined) yield last;
  const lineNo = splitter.lineNo;
  if (readError !== undefined) yield { texts: [], firstLineNo: lineNo + 1, flags: undefined, readError };
}

/**
 * Like {@link readLines}, but yields the lines of each chunk read as one array: far fewer async steps
 * per line, for callers that read millions of lines. Same sources, options, repairs and errors.
 *
 * @example
 * let count = 0;
 * for await (const batch of readLineBatches("data/sim/auth.log")) for (const line of batch) count++;
 * count; // 1235
 */
export async function* readLineBatches(source: LineSource, options: ReadLinesOptions = {}): AsyncGenerator<LogLine[], void, undefined> {
  checkOptions(options, READ_LINES_OPTIONS_KEYS, "readLineBatches");
  for await (const b of readTextBatches(source, options)) {
    if (b.readError !== undefined) throw new DataError(b.readError);
    const out: LogLine[] = new Array(b.texts.length);
    for (let i = 0; i < b.texts.length; i++) out[i] = { lineNo: b.firstLineNo + i, text: b.texts[i], flags: b.flags === undefined ? 0 : b.flags[i] };
    yield out;
  }
}

/**
 * Read lines one at a time from a file path (plain or gzip, detected by its magic bytes), a Node readable
 * stream such as `process.stdin`, or an array of lines. Memory stays bounded by the chunk size and
 * `maxLineLength`, whatever the file size. Handles CRLF, a UTF-8 BOM, invalid UTF-8 (replaced by U+FFFD,
 * flagged INVALID_UTF8) and over-long lines (cut, flagged TRUNCATED). A missing file or a corrupt gzip
 * throws a {@link DataError} naming the path.
 *
 * @example
 * for await (const line of readLines("data/sim/auth.log")) console.log(line.lineNo, line.text);
 */
export async function* readLines(source: LineSource, options: ReadLinesOptions = {}): AsyncGenerator<LogLine, void, undefined> {
  checkOptions(options, READ_LINES_OPTIONS_KEYS, "readLines");
  for await (const batch of readLineBatches(source, options)) yield* batch;
}
