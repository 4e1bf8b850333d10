import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { OptionError } from "../errors";
import type { Reject } from "../events";
import { AttemptPairing, type AttemptSlot } from "../ingest/auth-attempts";
import { absoluteReject, parseRange, type RangeJob, type RangeResult } from "../ingest/parallel-range";
import { detectLogFormat, parseLogStream, type ParseCounts, type ParseLogOptions, type ParseSummary, type FormatDetection } from "../ingest/parse-log";
import { getLogFormat } from "../ingest/formats";
import type { BoundaryHooks } from "../ingest/log-format";
import { fileChunks, LineEndingSniffer, readTextBatches, type LineEnding, type LineSource, type LogLine } from "../ingest/read-lines";
import { checkOptions, type OptionKeys } from "../options";
import { WindowAccumulator, type WindowCountsOptions, type WindowFeatures } from "./window-counts";
import { MONTH_ABBREVIATIONS } from "../ingest/timestamps";

/** Every option name of {@link FeaturizeLogOptions} (unknown names fail with a suggestion). */
const FEATURIZE_LOG_OPTIONS_KEYS: OptionKeys<FeaturizeLogOptions> = { parse: true, window: true, threads: true, minParallelBytes: true, warmupBytes: true, blockBytes: true, onReject: true, inProcess: true };

export interface FeaturizeLogOptions {
  /** How to read the log (format, year, time zone, …), as for `parseLogStream`. Default: `{}` (format 'auto'). */
  readonly parse?: ParseLogOptions;
  /** What to count, as for `windowCounts` (entity, window, event filter, features, zero-fill). Default: `{}`. */
  readonly window?: WindowCountsOptions;
  /**
   * Worker threads parsing byte ranges of the file at once. Default: the machine's cores
   * (`os.availableParallelism()`); 1 reads on the calling thread, as `parseLogStream` does.
   */
  readonly threads?: number;
  /** Files smaller than this many bytes are read on one thread (workers cost more than they save). Default: 8 MiB. */
  readonly minParallelBytes?: number;
  /**
   * Bytes before its range that a worker parses without counting, to reach the parser's state at its range's
   * start (year roll-over, sshd sessions waiting for their attempt). Checked, not trusted: when the state
   * differs, the range is parsed again with a longer warm-up, then the whole file on one thread. Default: 1 MiB.
   */
  readonly warmupBytes?: number;
  /**
   * A gzip file is inflated on the calling thread (zlib runs on libuv's thread pool) and its text cut at line
   * starts into blocks of about this many bytes, each parsed by the next free worker (after a warm-up on the
   * `warmupBytes` before it, checked as for a plain file). Default: 32 MiB.
   */
  readonly blockBytes?: number;
  /** Called for every rejected line, in line order as `parseLogStream` calls it. */
  readonly onReject?: (reject: Reject) => void;
  /** Run the ranges one after another on the calling thread instead of worker threads (for tests and profiling). Default: false. */
  readonly inProcess?: boolean;
}

/** How a parallel read went (on {@link FeaturizeLogResult.parallel}). */
export interface ParallelReport {
  /** Ranges (= worker threads) the file was cut into; 1 when read on one thread. */
  readonly ranges: number;
  /** Ranges parsed a second time because the state at their start differed from the warm-up's. */
  readonly retried: number;
  /** Why the file was read on one thread, when it was (small file, gzip, a format without boundary hooks, …). */
  readonly sequentialReason?: string;
}

export interface FeaturizeLogResult {
  /** The parse summary, as `parseLogStream` gives it (line accounting, format, notes). */
  readonly summary: ParseSummary;
  /** The window counts, as `windowCounts` gives them. */
  readonly features: WindowFeatures;
  readonly parallel: ParallelReport;
}

/** The compiled worker entry (dist/features/featurize-worker.js), also when this module runs from src/ through tsx. */
function workerFile(): string {
  const here = path.join(__dirname, "featurize-worker.js");
  if (fs.existsSync(here)) return here;
  const root = path.resolve(__dirname, "..", "..");
  const build = path.join(root, "scripts", "build.js");
  // Running from src/ (tsx, vitest): workers load dist/, rebuilt first when src/ changed.
  if (fs.existsSync(build)) (require(build) as { ensureBuild(o: { who: string; quiet: boolean }): unknown }).ensureBuild({ who: "featurizeLog", quiet: true });
  return path.join(root, "dist", "features", "featurize-worker.js");
}

/**
 * A fixed set of worker threads (started as needed, up to `size`) that parse posted {@link RangeJob}s one at a
 * time each, in the order given; `room()` waits while more than `size` jobs are queued or running (bounded memory).
 * `inProcess`: jobs run on the calling thread instead (tests, profiling).
 */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: RangeJob; resolve: (r: RangeResult) => void; reject: (e: Error) => void }[] = [];
  private readonly current = new Map<Worker, { resolve: (r: RangeResult) => void; reject: (e: Error) => void }>();
  private waiting: (() => void)[] = [];
  private open = 0;

  constructor(
    private readonly size: number,
    private readonly inProcess: boolean,
  ) {}

  run(job: RangeJob): Promise<RangeResult> {
    if (this.inProcess) return Promise.resolve().then(() => parseRange(job));
    this.open++;
    return new Promise<RangeResult>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when at most `size` jobs are queued or running. */
  room(): Promise<void> {
    if (this.open <= this.size) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const w = new Worker(workerFile(), { workerData: { pool: true } });
    this.workers.push(w);
    const fail = (e: Error) => {
      const job = this.current.get(w);
      this.current.delete(w);
      job?.reject(e);
      for (const q of this.queue.splice(0)) q.reject(e);
    };
    w.on("message", (r: RangeResult) => {
      const job = this.current.get(w);
      this.current.delete(w);
      this.open--;
      this.idle.push(w);
      job?.resolve(r);
      if (this.open <= this.size) for (const wake of this.waiting.splice(0)) wake();
      this.pump();
    });
    w.on("error", fail);
    w.on("exit", (code) => {
      if (this.current.has(w)) fail(new Error(`featurizeLog: a worker exited with code ${code} before answering`));
    });
    return w;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (w === undefined) return;
      const { job, resolve, reject } = this.queue.shift() as (typeof this.queue)[number];
      this.current.set(w, { resolve, reject });
      // In-memory bytes (a gzip file's text) are transferred, not copied; a plain file's range is read by the worker.
      w.postMessage(job, job.bytes === undefined ? [] : [job.bytes.buffer as ArrayBuffer]);
    }
  }
}


/** The inflated size a gzip file's trailer states (ISIZE: modulo 2^32, of its last member), or 0 when unreadable. */
function gzipInflatedSize(file: string): number {
  try {
    const fd = fs.openSync(file, "r");
    try {
      const size = fs.fstatSync(fd).size;
      const b = Buffer.alloc(4);
      if (size < 18 || fs.readSync(fd, b, 0, 4, size - 4) !== 4) return 0;
      return b.readUInt32LE(0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 0;
  }
}

/**
 * Where to cut text held as `chunks` (in order): after the last line end (byte `eol`) before byte `limit`, else
 * after the first line end at or past it (a line longer than a block), else 0 (no line end at all).
 */
function cutBefore(chunks: readonly Buffer[], limit: number, eol: number): number {
  let start = 0;
  let best = 0;
  for (const c of chunks) {
    if (start >= limit) break;
    const k = c.lastIndexOf(eol, Math.min(c.length, limit - start) - 1);
    if (k >= 0) best = start + k + 1;
    start += c.length;
  }
  if (best > 0) return best;
  start = 0;
  for (const c of chunks) {
    const from = Math.max(0, limit - start);
    if (from < c.length) {
      const k = c.indexOf(eol, from);
      if (k >= 0) return start + k + 1;
    }
    start += c.length;
  }
  return 0;
}

/** Whether options can be posted to a worker (no functions). */
function plainWindow(w: WindowCountsOptions): boolean {
  if (typeof w.by === "function" || typeof w.filter === "function") return false;
  return (w.features ?? []).every((f) => typeof f === "string");
}

/** The byte offset just after the next line end (byte `eol`: LF, or CR for a CR file) at or after `pos` (the size when there is none). */
function lineStartAfter(fd: number, pos: number, size: number, eol: number): number {
  const buf = Buffer.allocUnsafe(65536);
  while (pos < size) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break;
    const nl = buf.subarray(0, n).indexOf(eol);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return size;
}

/** The byte offset after the `lines`-th line end (byte `eol`; the size when the file has fewer). */
function afterLines(fd: number, lines: number, size: number, eol: number): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  let seen = 0;
  while (pos < size) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break;
    let k = -1;
    while ((k = buf.indexOf(eol, k + 1)) >= 0 && k < n) {
      if (++seen === lines) return pos + k + 1;
    }
    pos += n;
  }
  return size;
}

/**
 * A file's line ending (plain or gzip, inflated), decided from its first bytes as a reader of the whole file
 * decides it (`LineEndingSniffer`): the ranges cut at it. A damaged start decides on the bytes before the damage,
 * as the one-thread read does.
 */
async function fileLineEnding(file: string, chunkSize: number): Promise<LineEnding> {
  const sniffer = new LineEndingSniffer();
  try {
    for await (const chunk of fileChunks(file, chunkSize)) {
      const e = sniffer.add(chunk);
      if (e !== undefined) return e;
    }
  } catch {
    // (the read of the ranges meets the damage too, and reads the file on one thread)
  }
  return sniffer.end();
}

/** Most lines {@link headerLines} reads to find the header record. */
const HEADER_LINES = 1000;

/**
 * The input's lines up to the end of its first record, for a format whose first record is a header
 * (`BoundaryHooks.headerRecord`): read until the parser's state differs from a fresh parser's with no line
 * held. Undefined when the first {@link HEADER_LINES} lines hold no such record.
 */
async function headerLines(source: string, parse: ParseLogOptions): Promise<string[] | undefined> {
  const parser = getLogFormat(parse.format ?? "auto").createParser(parse);
  const hooks = parser.boundary as BoundaryHooks;
  const fresh = hooks.state(1);
  const lines: string[] = [];
  for await (const b of readTextBatches(source, { maxLineLength: parse.maxLineLength, chunkSize: parse.chunkSize })) {
    for (const text of b.texts) {
      lines.push(text);
      const r = parser.parseLine(text, lines.length);
      if (r !== null && hooks.state(1) !== fresh) return lines;
      if (lines.length >= HEADER_LINES) return undefined;
    }
  }
  return undefined;
}

/** The year of the parser's state at a boundary (second entry of its state text). */
function stateYear(state: string): number {
  return (JSON.parse(state) as unknown[])[1] as number;
}

/**
 * The year range `i` should have read its first line in: the year it used, moved by how far the previous range's
 * end state is from its start state (a New Year its warm-up did not see); undefined when unknown.
 */
function yearAfter(results: readonly RangeResult[], i: number): number | undefined {
  const r = results[i];
  const prevEnd = results[i - 1].endState;
  if (r.year === undefined || r.startState === undefined || prevEnd === undefined) return undefined;
  const guess = r.year + stateYear(prevEnd) - stateYear(r.startState);
  return Number.isFinite(guess) ? guess : undefined;
}

/**
 * Parse a log and count events per entity per time window, on every core: the file is cut into byte
 * ranges at line boundaries, each parsed by a worker thread into a {@link WindowAccumulator}, and the
 * accumulators are merged. The result is exactly what one thread gives (`parseLogStream` into a
 * `WindowAccumulator`, which is what `threads: 1` runs): same rows, counts, line accounting, rejects and
 * their line numbers, inferred year, folded lines and PAM/sshd pairing across range boundaries. Each worker
 * first parses the lines before its range (`warmupBytes`) to reach the parser's state there; the main
 * thread checks that state against the one the previous range ended in, and the reads of older sshd
 * sessions against the real ones, and parses a range again (longer warm-up, corrected year) or the whole
 * file on one thread when they differ, so the result never depends on the cut.
 *
 * A gzip file cannot be cut at byte offsets: from 3 threads it is inflated on the calling thread (zlib works
 * on libuv's thread pool) while a pool of `threads − 1` workers parses its text in blocks of about
 * `blockBytes`, each after a warm-up on the text before it, checked and merged the same way (blocks whose
 * warm-up missed the state are parsed again from a second inflation, in up to four rounds). On 2 threads a
 * gzip file is read on one (which inflates on zlib's pool while it parses).
 *
 * Parallel reading needs a file (plain or gzip) of at least `minParallelBytes` (inflated), a format with
 * boundary hooks (rfc3164; CSV, whose ranges first read the header and compare a record open at a cut;
 * JSON lines, access logs and RFC 5424, whose lines carry no state), given or detected, no `maxBytes`, and
 * window options without functions; otherwise the file is read on one thread (stdin, …) and
 * `parallel.sequentialReason` says why.
 *
 * @example
 * const r = await featurizeLog("data/sim/auth.log", { parse: { year: 2025 }, window: { by: "srcIp", filter: "failed_password", zeroFill: false }, threads: 2, minParallelBytes: 0 });
 * [r.summary.counts.read, r.parallel.ranges] // [1235, 2]
 */
export async function featurizeLog(source: LineSource, options: FeaturizeLogOptions = {}): Promise<FeaturizeLogResult> {
  checkOptions(options, FEATURIZE_LOG_OPTIONS_KEYS, "featurizeLog");
  const started = performance.now();
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new OptionError(`Expected \`threads\` to be a positive integer, got ${String(options.threads)}`);
  for (const k of ["minParallelBytes", "warmupBytes"] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new OptionError(`Expected \`${k}\` to be a non-negative integer (bytes), got ${String(v)}`);
  }
  const window = options.window ?? {};
  const given: ParseLogOptions = options.parse ?? {};
  // One reference date for every range and for a fallback to one thread (a year-less syslog infers its year from it).
  const fixed: ParseLogOptions = given.year === undefined && given.referenceDate === undefined ? { ...given, referenceDate: Date.now() } : given;
  let parse = fixed;
  const sequential = async (reason: string | undefined, retried = 0): Promise<FeaturizeLogResult> => {
    const acc = new WindowAccumulator(window);
    const read = await parseLogStream(source, { onEvent: (e) => acc.add(e), onReject: options.onReject }, fixed);
    // The whole call's time (a fallback after a parallel attempt included), as the summary of a parallel read.
    const summary = { ...read, seconds: (performance.now() - started) / 1000 };
    return { summary, features: acc.finish(), parallel: { ranges: 1, retried, sequentialReason: reason } };
  };
  if (threads === 1) return sequential("threads: 1");
  if (typeof source !== "string") return sequential("not a file path");
  new WindowAccumulator(window); // option errors before any thread starts
  if (!plainWindow(window)) return sequential("window options hold functions");
  if (parse.maxBytes !== undefined) return sequential("maxBytes is set");
  let fd: number;
  try {
    fd = fs.openSync(source, "r");
  } catch {
    return sequential("cannot open the file"); // parseLogStream reports it
  }
  let size: number;
  let starts: number[] = [0];
  let gzip = false;
  let lineEnding: LineEnding = "lf";
  let eol = 10; // the line-end byte the ranges are cut at (13 for a file whose lines end with CR)
  let infersYear = false;
  let prologue: string[] | undefined;
  let detection: FormatDetection | undefined;
  const minBytes = options.minParallelBytes ?? 8 << 20;
  const warmup = options.warmupBytes ?? 1 << 20;
  try {
    const st = fs.fstatSync(fd);
    size = st.size;
    if (!st.isFile()) return await sequential("not a regular file");
    const magic = Buffer.alloc(2);
    fs.readSync(fd, magic, 0, 2, 0);
    gzip = magic[0] === 0x1f && magic[1] === 0x8b;
    // (A gzip file's inflated size is known only once inflated: see gzipRanges.)
    if (!gzip && size < minBytes) return await sequential(`smaller than minParallelBytes`);
    lineEnding = await fileLineEnding(source, parse.chunkSize ?? 262144);
    eol = lineEnding === "cr" ? 13 : 10;
    // The format, as parseLogStream resolves it (auto-detection on the first sampleLines lines).
    const formatName = parse.format ?? "auto";
    let format = formatName.toLowerCase() === "auto" ? undefined : getLogFormat(formatName).name;
    if (format === undefined) {
      const n = parse.sampleLines ?? 200;
      const head: LogLine[] = [];
      for await (const b of readTextBatches(source, { maxLineLength: parse.maxLineLength, chunkSize: parse.chunkSize })) {
        for (let i = 0; i < b.texts.length && head.length < n; i++) head.push({ lineNo: b.firstLineNo + i, text: b.texts[i], flags: b.flags === undefined ? 0 : b.flags[i] });
        if (head.length >= n) break;
      }
      const { year, timeZone, referenceDate, fieldMap, delimiter, epochUnit, yearLookahead, maxFolded, pairAttempts } = parse;
      const formatOptions = Object.fromEntries(Object.entries({ year, timeZone, referenceDate, fieldMap, delimiter, epochUnit, yearLookahead, maxFolded, pairAttempts }).filter(([, v]) => v !== undefined));
      detection = detectLogFormat(head, formatOptions);
      format = detection.format;
    }
    let hooks: BoundaryHooks | undefined;
    try {
      hooks = getLogFormat(format).createParser(parse).boundary;
    } catch {
      return await sequential("the format refuses an option"); // parseLogStream reports it
    }
    if (hooks === undefined) return await sequential(`format ${format} has no boundary hooks`);
    // Only a year-less syslog infers its year: no other range needs to reach past the first yearLookahead lines.
    infersYear = hooks.infersYear === true;
    parse = { ...parse, format };
    if (hooks.headerRecord === true) {
      prologue = await headerLines(source, parse);
      if (prologue === undefined) return await sequential(`no ${format} header record in the first ${HEADER_LINES} lines`);
    }
    if (gzip) return await gzipRanges();
    // The first range ends after the lines that decide the year (yearLookahead), as one reader decides it.
    const first = parse.year === undefined && infersYear ? afterLines(fd, parse.yearLookahead ?? 100_000, size, eol) : 0;
    if (first >= size) return await sequential("the year is inferred from the whole file (fewer lines than yearLookahead)");
    starts = [0];
    for (let k = 1; k < threads; k++) {
      const s = Math.max(first, lineStartAfter(fd, Math.floor((size * k) / threads) - 1, size, eol));
      if (s > starts[starts.length - 1] && s < size) starts.push(s);
    }
  } finally {
    fs.closeSync(fd);
  }
  if (starts.length < 2) return sequential("a single range");
  const jobOf = (i: number, warm: number, yearGuess?: number): RangeJob => {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] : size;
    let warmStart = 0;
    if (start > 0) {
      const fd2 = fs.openSync(source, "r");
      try {
        warmStart = start - warm <= 0 ? 0 : lineStartAfter(fd2, start - warm - 1, size, eol);
      } finally {
        fs.closeSync(fd2);
      }
      if (warmStart > start) warmStart = start;
    }
    return { file: source, warmStart, start, end, last: end === size, parse, window, yearGuess, prologue, lineEnding };
  };
  // The calling thread parses the first range into the final accumulator while workers parse the others.
  const pool = new WorkerPool(starts.length - 1, options.inProcess === true);
  try {
    const acc = new WindowAccumulator(window);
    const pending = starts.slice(1).map((_, i) => pool.run(jobOf(i + 1, warmup)));
    for (const p of pending) p.catch(() => undefined); // awaited below; an early failure is not unhandled
    const results: RangeResult[] = [parseRange(jobOf(0, 0), acc)];
    for (const r of await Promise.all(pending)) results.push(r);
    return await merged(results, acc, (i, guess) => pool.run(jobOf(i, Math.max(warmup * 16, 16 << 20), guess)));
  } finally {
    await pool.close();
  }

  /**
   * Inflate a gzip file and hand its text, cut at line starts into blocks of about `blockBytes`, to a pool of
   * `threads − 1` workers (each block with the `warmupBytes` before it); the results are then checked and merged
   * like a plain file's ranges. Read on one thread instead when the inflated text is small, when the year must
   * be inferred from more lines than it holds, or when the stream is damaged (the one-thread read reports it).
   */
  async function gzipRanges(): Promise<FeaturizeLogResult> {
    if (options.blockBytes !== undefined && !(Number.isInteger(options.blockBytes) && options.blockBytes >= 1)) {
      throw new OptionError(`Expected \`blockBytes\` to be a positive integer, got ${String(options.blockBytes)}`);
    }
    // By default about two blocks per thread (the inflated size from the gzip trailer), 4–32 MiB each.
    const inflated = gzipInflatedSize(source as string);
    const blockBytes = options.blockBytes ?? Math.max(4 << 20, Math.min(32 << 20, Math.ceil(inflated / (2 * (threads - 1)))));
    const lookahead = parse.year === undefined && infersYear ? (parse.yearLookahead ?? 100_000) : 0;
    // Inflating keeps one thread busy: the other threads parse. On two, that is one parser, as the one-thread
    // read has (zlib inflates on libuv's pool there too), with copies and warm-ups on top: not worth it.
    if (threads < 3) return sequential("gzip on 2 threads: one inflates, leaving one parser (as on one thread)");
    const pool = new WorkerPool(threads - 1, options.inProcess === true);
    const blocks: Promise<RangeResult>[] = [];
    const spans: { start: number; end: number; last: boolean }[] = [];
    let why: string | undefined;
    // Inflated text not yet in a block (from stream offset `pos`), as the chunks zlib gave, and their length.
    let chunks: Buffer[] = [];
    let pendingBytes = 0;
    let pos = 0;
    let tail = Buffer.alloc(0); // the warm-up text before `pos` (from a line start)
    let newlines = 0;
    let yearEnd = lookahead === 0 ? 0 : -1; // stream offset after the line that completes yearLookahead (-1: not read yet)
    let waitLineEnd = false;
    // With a given year: the year at each block's first line, by the parser's roll-over rule applied from block
    // to block (a month more than six before the previous block's starts the next year). A guess: checked.
    let blockYear = parse.year;
    let blockMonth = -1;
    const yearAt = (data: Buffer): number | undefined => {
      const m = data.length >= 4 && data[3] === 32 ? MONTH_ABBREVIATIONS.indexOf(data.toString("latin1", 0, 3)) : -1;
      if (blockYear === undefined || m < 0) return undefined;
      if (blockMonth >= 0 && m < blockMonth - 6) blockYear++;
      blockMonth = m;
      return blockYear;
    };
    /** Hand the pending text up to the last line end before `limit` bytes (all of it when `final`) to the pool. */
    const emit = (limit: number, final: boolean): boolean => {
      const cut = final ? pendingBytes : cutBefore(chunks, limit, eol);
      if (cut <= 0 && !final) return false;
      // The job's bytes own their memory (they are transferred to the worker, not copied): one copy of the
      // warm-up and of the chunks up to the cut; the chunks after it are kept as they are.
      const data = Buffer.allocUnsafeSlow(tail.length + cut);
      tail.copy(data, 0);
      let at = tail.length;
      let used = 0; // chunks copied whole
      for (; used < chunks.length && at < data.length; used++) {
        const c = chunks[used];
        const n = Math.min(c.length, data.length - at);
        c.copy(data, at, 0, n);
        at += n;
        if (n < c.length) {
          chunks[used] = c.subarray(n); // the rest of it begins the next block
          break;
        }
      }
      chunks = chunks.slice(used);
      const start = pos;
      const end = pos + cut;
      const warmStart = start - tail.length;
      // The next block's warm-up: the last `warmupBytes` before it, from a line start (none when none is found),
      // copied before `data` is transferred.
      const w = data.length - warmup;
      const k = w <= 0 ? -1 : data.indexOf(eol, w - 1);
      tail = w <= 0 ? Buffer.from(data) : k < 0 ? Buffer.alloc(0) : Buffer.from(data.subarray(k + 1));
      spans.push({ start, end, last: final });
      blocks.push(pool.run({ file: source as string, bytes: data, warmStart, start, end, last: final, parse, window, yearGuess: yearAt(data), prologue, lineEnding }));
      pendingBytes -= cut;
      pos = end;
      return true;
    };
    try {
      for await (const chunk of fileChunks(source as string, parse.chunkSize ?? 262144)) {
        if (yearEnd < 0) {
          for (let k = chunk.indexOf(eol); k >= 0; k = chunk.indexOf(eol, k + 1)) {
            if (++newlines >= lookahead) {
              yearEnd = pos + pendingBytes + k + 1;
              break;
            }
          }
        }
        chunks.push(chunk);
        pendingBytes += chunk.length;
        // A line end is needed to cut: after a failed cut, wait for a chunk holding one. A line longer than
        // four blocks is not held in memory to be cut around: the file is read on one thread (which cuts the
        // line at maxLineLength as it reads).
        if (waitLineEnd && chunk.indexOf(eol) >= 0) waitLineEnd = false;
        if (waitLineEnd && pendingBytes > 4 * blockBytes) {
          why = `a line longer than 4 × blockBytes (${blockBytes} bytes)`;
          break;
        }
        // The first block holds the lines that decide the year (yearLookahead), as one reader decides it. Every
        // whole block the text holds goes out now (a piece of inflated text may hold several: up to 1 MiB).
        while (!waitLineEnd && pendingBytes >= blockBytes + (blockBytes >> 2) && yearEnd >= 0) {
          if (emit(Math.max(blockBytes, yearEnd - pos + 1), false)) await pool.room();
          else waitLineEnd = true;
        }
      }
      if (why !== undefined) {
        // (a line longer than four blocks: read on one thread)
      } else if (blocks.length === 0 && pos + pendingBytes < minBytes) why = "smaller than minParallelBytes (inflated)";
      else if (yearEnd < 0) why = "the year is inferred from the whole file (fewer lines than yearLookahead)";
      else {
        // What is left is cut in one block per thread (a small file) or in blocks of about blockBytes.
        const share = Math.max(1, Math.min(blockBytes, Math.ceil(pendingBytes / threads)));
        for (let before = -1; pendingBytes > share + (share >> 2) && pendingBytes !== before; ) {
          before = pendingBytes;
          emit(Math.max(share, yearEnd - pos + 1), false);
        }
        emit(pendingBytes, true);
      }
    } catch (e) {
      // A damaged stream: read on one thread, which reports the damage after the lines before it.
      why = `gzip: ${(e as Error).message.split(". ")[0]}`;
    }
    let results: RangeResult[] = [];
    try {
      if (why === undefined) results = await Promise.all(blocks);
    } finally {
      for (const b of blocks) b.catch(() => undefined);
      await pool.close();
    }
    if (why !== undefined) return sequential(why);
    // Blocks whose warm-up missed the state are parsed again with a longer one, their bytes inflated again in
    // one pass over the file per round (rare: held sshd lines or a folded line reaching further back than the
    // warm-up); what still does not fit is read on one thread.
    const long = Math.max(warmup * 16, 16 << 20);
    const redo = async (which: number[], yearOf: (i: number) => number | undefined): Promise<Map<number, RangeResult>> => {
      const wins = which.map((i) => {
        const { start, end, last } = spans[i];
        const from = Math.max(0, start - long - 1); // from the byte before: the first line start at or after start - long
        return { i, from, text: Buffer.allocUnsafeSlow(end - from), start, end, last };
      });
      const stop = Math.max(...wins.map((w) => w.end));
      let at = 0;
      for await (const chunk of fileChunks(source as string, parse.chunkSize ?? 262144)) {
        for (const w of wins) {
          const lo = Math.max(w.from - at, 0);
          const hi = Math.min(w.end - at, chunk.length);
          if (hi > lo) chunk.copy(w.text, at + lo - w.from, lo, hi);
        }
        at += chunk.length;
        if (at >= stop) break;
      }
      const out = new Map<number, RangeResult>();
      const retry = new WorkerPool(wins.length, options.inProcess === true);
      const runs = wins.map(async (w) => {
        const skip = w.from === 0 && w.start - long <= 0 ? 0 : w.text.indexOf(eol) + 1;
        const bytes = w.text.subarray(skip);
        const job: RangeJob = { file: source as string, bytes, warmStart: w.end - bytes.length, start: w.start, end: w.end, last: w.last, parse, window, yearGuess: yearOf(w.i), prologue, lineEnding };
        out.set(w.i, await retry.run(job));
      });
      try {
        await Promise.all(runs);
      } finally {
        await retry.close();
      }
      return out;
    };
    // In passes: a block parsed again ends in a corrected state, which the next block's start may then miss.
    let retried = 0;
    for (let pass = 0; pass < 4; pass++) {
      const suspects = results.map((r, i) => i).filter((i) => i > 0 && results[i].startState !== results[i - 1].endState);
      if (suspects.length === 0 || suspects.length > Math.max(2, results.length >> 1)) break;
      for (const [i, r] of await redo(suspects, (i) => yearAfter(results, i))) results[i] = r;
      retried += suspects.length;
    }
    let budget = 2;
    const again = async (i: number, yearGuess: number | undefined): Promise<RangeResult | undefined> => (budget-- > 0 ? (await redo([i], () => yearGuess)).get(i) : undefined);
    const done = await merged(results, new WindowAccumulator(window), again);
    return retried === 0 ? done : { ...done, parallel: { ...done.parallel, retried: done.parallel.retried + retried } };
  }

  /**
   * Check each range's start against the previous range's end, in order (a range whose warm-up did not reach
   * the real state is parsed again by `again`, when it can), then merge counts, rejects and accumulators.
   */
  async function merged(results: RangeResult[], acc: WindowAccumulator, again: (i: number, yearGuess: number | undefined) => Promise<RangeResult | undefined>): Promise<FeaturizeLogResult> {
    // Check each range's start against the previous range's end, in order; merge the attempt slots.
    const slots = new Map<number, AttemptSlot>();
    let firstLine = 1;
    let retried = 0;
    const hosts = new Set<string | undefined>();
    const lastEvents = new Map<string | undefined, string | null>();
    const fits = (i: number): string | undefined => {
      const r = results[i];
      if (r.unsafe !== undefined) return r.unsafe;
      for (const read of r.lastReads) if ((lastEvents.get(read.host) ?? null) !== read.key) return `a 'last message repeated' line copies an event from before the warm-up`;
      if (i > 0 && r.startState !== results[i - 1].endState) return "the state at the range's start differs from the warm-up's";
      for (const read of r.reads) {
        const real = AttemptPairing.pairsWith(slots.get(read.slot), read.pid, read.host, read.time, r.afterMs);
        const seenSlot = read.seen && { ...read.seen, slot: read.slot, lineNo: read.seen.lineNo + firstLine };
        const seen = AttemptPairing.pairsWith(seenSlot, read.pid, read.host, read.time, r.afterMs);
        if (real !== seen) return `line ${read.lineNo + firstLine} pairs with an sshd attempt before the warm-up`;
      }
      return undefined;
    };
    for (let i = 0; i < results.length; i++) {
      let why = fits(i);
      if (why !== undefined && i > 0 && results[i].unsafe === undefined) {
        // Again with a longer warm-up, in the year the previous range ended in.
        const redone = await again(i, yearAfter(results, i));
        if (redone !== undefined) {
          results[i] = redone;
          retried++;
          why = fits(i);
        }
      }
      if (why !== undefined) return sequential(`range ${i + 1} of ${results.length}: ${why}`, retried);
      for (const w of results[i].writes) slots.set(w.slot, { ...w, lineNo: w.lineNo + firstLine });
      for (const w of results[i].lastWrites) lastEvents.set(w.host, w.key);
      for (const h of results[i].hosts) hosts.add(h);
      firstLine += results[i].ownLines;
    }
    // One reader forgets the hosts' last events beyond 10,000 hosts (and attempt slots beyond 65,536).
    if (hosts.size > 10_000) return sequential("more than 10,000 hosts", retried);

    // Merge: counts, event types in first-emitted order, rejects in line order, accumulators.
    const counts: ParseCounts = { read: 0, parsed: 0, rejected: 0, events: 0, byEventType: {}, invalidUtf8: 0, truncated: 0 };
    let base = 1;
    for (const r of results) {
      const c = r.counts;
      counts.read += c.read;
      counts.parsed += c.parsed;
      counts.rejected += c.rejected;
      counts.events += c.events;
      counts.invalidUtf8 += c.invalidUtf8;
      counts.truncated += c.truncated;
      if (c.folded) counts.folded = (counts.folded ?? 0) + c.folded;
      if (c.companions) counts.companions = (counts.companions ?? 0) + c.companions;
      for (const t of r.typeOrder) counts.byEventType[t] = (counts.byEventType[t] ?? 0) + c.byEventType[t];
      if (options.onReject) for (const rej of r.rejects) options.onReject(absoluteReject(rej, base));
      if (r.acc !== undefined) acc.mergeState(r.acc);
      base += r.ownLines;
    }
    const summary: ParseSummary = {
      counts,
      format: parse.format as string,
      detection,
      seconds: (performance.now() - started) / 1000,
      notes: results[0].notes,
      ...(lineEnding === "cr" ? { lineEnding } : {}),
    };
    return { summary, features: acc.finish(), parallel: { ranges: results.length, retried } };
  }
}
