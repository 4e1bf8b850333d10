import * as fs from "node:fs";
import type { LogEvent, Reject } from "../events";
import { WindowAccumulator, type WindowAccumulatorState, type WindowCountsOptions } from "../features/window-counts";
import type { AttemptSlot, InheritedAttemptRead } from "./auth-attempts";
import { getLogFormat } from "./formats";
import type { BoundaryHooks, ParserNotes } from "./log-format";
import { feedBatch, LineDriver, recordFrom as recordNote, type ParseCounts, type ParseLogOptions } from "./parse-log";
import { LineSplitter, type LineEnding, type TextBatch } from "./read-lines";
import { lineScanner } from "./line-scan";

/**
 * One worker's share of a parallel parse (see `featurizeLog`): the lines of `[start, end)` of a plain file,
 * after a warm-up on the lines of `[warmStart, start)` (parsed, not counted) that brings the parser to the
 * state a parser reading the whole file has at `start`. Offsets are byte offsets at line starts.
 */
export interface RangeJob {
  /** The file (read from disk unless `bytes` is given; then only named in messages). */
  readonly file: string;
  /**
   * The bytes of `[warmStart, end)` of the input when they are in memory (a gzip file's inflated text, whose
   * offsets count in the inflated stream): the range is read from them instead of the file.
   */
  readonly bytes?: Uint8Array;
  readonly warmStart: number;
  readonly start: number;
  readonly end: number;
  /** Whether `end` is the end of the file (the last worker settles what is still held). */
  readonly last: boolean;
  /** Parse options; `format` is a resolved name ("rfc3164"). */
  readonly parse: ParseLogOptions;
  readonly window: WindowCountsOptions;
  /**
   * Not at the start of the file: the year to read the first warm-up line in, also when `parse` gives the year
   * (that is the first line's: a New Year may lie between). The main thread checks it against the real state at
   * `start`.
   */
  readonly yearGuess?: number;
  /**
   * The input's lines up to the end of its first record, for a format whose first record is a header
   * (`BoundaryHooks.headerRecord`): read before the warm-up when the warm-up does not start at the input's start.
   */
  readonly prologue?: readonly string[];
  /**
   * The whole input's line ending, as its first bytes decide it (`LineEndingSniffer`; a range that starts inside
   * the input cannot see them). Default: "lf". With "cr", `warmStart`, `start` and `end` are offsets just after a CR.
   */
  readonly lineEnding?: LineEnding;
}

/** Line numbers in a {@link RangeResult} count from the range's first line (0); warm-up lines are negative. */
export interface RangeResult {
  /** Line accounting of the range's own lines (and the held lines before it that it settled). */
  readonly counts: ParseCounts;
  /** Event types in the order their first event was emitted. */
  readonly typeOrder: string[];
  readonly ownLines: number;
  readonly warmLines: number;
  /**
   * Rejects of the range's lines. A line of a multi-line record rejected with it (the driver gives its first line
   * N, and ends the reason with `recordFrom(N)`) carries N in `recordFrom` (range-relative) and its reason without
   * that ending: the merge writes it again with N counted from the file's start.
   */
  readonly rejects: (Reject & { readonly recordFrom?: number })[];
  /** The range's window counts (undefined when the caller passed its own accumulator). */
  readonly acc: WindowAccumulatorState | undefined;
  /** The parser's boundary state at `start` (after the warm-up) and at `end`. */
  readonly startState: string | undefined;
  readonly endState: string | undefined;
  readonly unsafe: string | undefined;
  readonly hosts: readonly (string | undefined)[];
  readonly lastReads: readonly { readonly host: string | undefined; readonly key: string | null }[];
  readonly lastWrites: readonly { readonly host: string | undefined; readonly key: string | null }[];
  readonly reads: readonly InheritedAttemptRead[];
  readonly writes: readonly AttemptSlot[];
  readonly afterMs: number;
  readonly notes: ParserNotes | undefined;
  /** The year the worker read its first line in (its guess, or the year given). */
  readonly year: number | undefined;
}

/**
 * A range's reject with line numbers counted from line `base` of the input (see {@link RangeResult.rejects}).
 *
 * @example
 * absoluteReject({ lineNo: 2, raw: "x", reason: "unterminated quoted field", recordFrom: 1 }, 100)
 * // { lineNo: 102, raw: "x", reason: "unterminated quoted field (record from line 101)" }
 */
export function absoluteReject(r: RangeResult["rejects"][number], base: number): Reject {
  const { recordFrom, ...rest } = r;
  const lineNo = r.lineNo + base;
  return recordFrom === undefined ? { ...rest, lineNo } : { ...rest, lineNo, reason: r.reason + recordNote(recordFrom + base) };
}

/** The pieces `[pos, next)` of `[from, to)` cut on the `chunkSize` grid counted from byte 0 (as a whole-input read cuts them). */
function* grid(from: number, to: number, chunkSize: number): Generator<readonly [number, number]> {
  for (let pos = from; pos < to; ) {
    const next = Math.min((Math.floor(pos / chunkSize) + 1) * chunkSize, to);
    yield [pos, next];
    pos = next;
  }
}

/** `[from, to)` of in-memory input whose first byte is at stream offset `base`, on the chunk grid. */
function* memoryChunks(bytes: Uint8Array, base: number, from: number, to: number, chunkSize: number): Generator<Buffer> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [pos, next] of grid(from, to, chunkSize)) yield buf.subarray(pos - base, next - base);
}

/** Read `[from, to)` of a file in chunks on the chunk grid. */
function* chunks(fd: number, from: number, to: number, chunkSize: number): Generator<Buffer> {
  const buf = Buffer.allocUnsafe(chunkSize);
  for (const [pos, next] of grid(from, to, chunkSize)) {
    const want = next - pos;
    let got = 0;
    while (got < want) {
      const n = fs.readSync(fd, buf, got, want - got, pos + got);
      if (n === 0) throw new Error(`unexpected end of file at byte ${pos + got} (the file changed while being read?)`);
      got += n;
    }
    yield buf.subarray(0, want);
  }
}

function subtractCounts(a: ParseCounts, b: ParseCounts): ParseCounts {
  const out: ParseCounts = {
    read: a.read - b.read,
    parsed: a.parsed - b.parsed,
    rejected: a.rejected - b.rejected,
    events: a.events - b.events,
    byEventType: {},
    invalidUtf8: a.invalidUtf8 - b.invalidUtf8,
    truncated: a.truncated - b.truncated,
  };
  const folded = (a.folded ?? 0) - (b.folded ?? 0);
  const companions = (a.companions ?? 0) - (b.companions ?? 0);
  if (folded !== 0) out.folded = folded;
  if (companions !== 0) out.companions = companions;
  return out;
}

/**
 * The year a year-less syslog parser would infer for the first lines of a batch (a guess for a range's start):
 * the latest year, not after `referenceDate`, in which the lines are valid dates in order.
 *
 * @example
 * guessYear(["Feb 29 10:00:00 host sshd[1]: Connection closed by 10.0.0.1"], { referenceDate: Date.UTC(2026, 11, 7) }) // 2024
 */
export function guessYear(texts: readonly string[], options: ParseLogOptions): number | undefined {
  const parser = getLogFormat("rfc3164").createParser({ ...options, year: undefined, pairAttempts: false, yearLookahead: Math.max(1, Math.min(200, texts.length)) });
  for (let i = 0; i < Math.min(200, texts.length); i++) parser.parseLine(texts[i], i + 1);
  parser.drain?.(true);
  return parser.notes?.().year;
}

/**
 * Parse one range (see {@link RangeJob}) synchronously: what a worker thread runs, callable in-process too.
 *
 * @example
 * const size = fs.statSync("data/sim/auth.log").size;
 * const r = parseRange({ file: "data/sim/auth.log", warmStart: 0, start: 0, end: size, last: true, parse: { format: "rfc3164", year: 2025 }, window: { zeroFill: false } });
 * r.ownLines // 1235
 */
export function parseRange(job: RangeJob, into?: WindowAccumulator): RangeResult {
  const parse = job.parse;
  const max = parse.maxLineLength ?? 65536;
  const chunkSize = parse.chunkSize ?? 262144;
  const bytes = job.bytes;
  const fd = bytes === undefined ? fs.openSync(job.file, "r") : -1;
  const read = (from: number, to: number) => (bytes === undefined ? chunks(fd, from, to, chunkSize) : memoryChunks(bytes, job.warmStart, from, to, chunkSize));
  try {
    const splitter = new LineSplitter(max, 1, job.warmStart === 0 ? 1 : 0, job.lineEnding ?? "lf");
    let year = parse.year;
    let batches: TextBatch[] = [];
    const warm = read(job.warmStart, job.start);
    for (const c of warm) {
      const b = splitter.push(c);
      if (b !== undefined) batches.push(b);
    }
    // Past the file's first line, the given year may have rolled over: the caller's guess comes first.
    if (job.warmStart > 0 && job.yearGuess !== undefined) year = job.yearGuess;
    if (year === undefined && job.warmStart > 0) year = batches.length > 0 ? guessYear(batches[0].texts, parse) : undefined;
    const parser = getLogFormat(parse.format ?? "rfc3164").createParser({ ...parse, year });
    if (parser.parseScanned !== undefined) splitter.scanner = lineScanner();
    const hooks = parser.boundary as BoundaryHooks;
    if (hooks === undefined) throw new Error(`format ${parse.format} cannot be read in parallel`);
    let gate = false;
    const acc = into ?? new WindowAccumulator(job.window);
    const rejects: RangeResult["rejects"] = [];
    // Event types in the order first emitted after the gate (their counts: the driver's, less those at the gate).
    const typeOrder: string[] = [];
    const typeSeen = new Set<string>();
    let lastType: string | undefined;
    const driver = new LineDriver(parser, {
      onEvent(e: LogEvent) {
        if (!gate) return;
        acc.add(e);
        const t = e.eventType;
        if (t !== lastType) {
          lastType = t;
          if (!typeSeen.has(t)) {
            typeSeen.add(t);
            typeOrder.push(t);
          }
        }
      },
      onReject(r: Reject, record?: number) {
        if (!gate) return;
        // The ending that names the record's first line is written again by the merge, in file line numbers.
        rejects.push(record === undefined ? r : { ...r, reason: r.reason.slice(0, r.reason.length - recordNote(record).length), recordFrom: record });
      },
    });
    const feed = (b: TextBatch) => feedBatch(driver, b, 0);
    if (job.warmStart > 0 && job.prologue !== undefined) for (const text of job.prologue) driver.feedText(text, 0, 0);
    for (const b of batches) feed(b);
    batches = [];
    const warmLines = splitter.lineNo;
    const startState = job.start > 0 ? hooks.state(warmLines + 1) : undefined;
    const atGate = structuredClone(driver.counts);
    hooks.openGate();
    gate = true;
    splitter.reuseScan = true; // (from here each batch is fed before the next chunk is cut)
    for (const c of read(job.start, job.end)) {
      const b = splitter.push(c);
      if (b !== undefined) feed(b);
    }
    if (job.last) {
      const b = splitter.end(false);
      if (b !== undefined) feed(b);
      driver.end();
    }
    const ownLines = splitter.lineNo - warmLines;
    const endState = job.last ? undefined : hooks.state(splitter.lineNo + 1);
    const base = warmLines + 1;
    const all = driver.counts;
    const counts = subtractCounts(all, atGate);
    const byType: Record<string, number> = {};
    for (const t of typeOrder) byType[t] = all.byEventType[t] - (atGate.byEventType[t] ?? 0);
    counts.byEventType = byType;
    const rep = hooks.report();
    return {
      counts,
      typeOrder,
      ownLines,
      warmLines,
      rejects: rejects.map((r) => (r.recordFrom === undefined ? { ...r, lineNo: r.lineNo - base } : { ...r, lineNo: r.lineNo - base, recordFrom: r.recordFrom - base })),
      acc: into === undefined ? acc.exportState() : undefined,
      startState,
      endState,
      unsafe: rep.unsafe,
      hosts: rep.hosts,
      lastReads: rep.lastReads,
      lastWrites: rep.lastWrites,
      reads: (rep.pairing?.reads ?? []).map((r) => ({ ...r, lineNo: r.lineNo - base, seen: r.seen && { ...r.seen, lineNo: r.seen.lineNo - base } })),
      writes: (rep.pairing?.writes ?? []).map((w) => ({ ...w, lineNo: w.lineNo - base })),
      afterMs: rep.pairing?.afterMs ?? 0,
      notes: job.warmStart === 0 ? parser.notes?.() : undefined,
      year,
    };
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}
