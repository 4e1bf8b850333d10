import type { LogEvent, Reject } from "../events";
import { OptionError } from "../errors";
import { getLogFormat, listLogFormats } from "./formats";
import { DEFERRED, type FormatOptions, type LineParser, type LineResult, type LogFormat, type ParserNotes, type SettledLine } from "./log-format";
import { LineFlags, readLinesSync, readTextBatches, type LineSource, type LogLine, type ReadLinesOptions, type TextBatch, READ_LINES_OPTIONS_KEYS } from "./read-lines";
import { checkOptions, type OptionKeys, pickOptions } from "../options";
import { lineScanner, SCAN_RECORD, type LineScanner } from "./line-scan";

/** Every option name of {@link FormatOptions} (unknown names fail with a suggestion). */
const FORMAT_OPTIONS_KEYS: OptionKeys<FormatOptions> = { year: true, timeZone: true, referenceDate: true, fieldMap: true, delimiter: true, epochUnit: true, yearLookahead: true, maxFolded: true, pairAttempts: true };

/** Every option name of {@link ParseLogOptions} (unknown names fail with a suggestion). */
const PARSE_LOG_OPTIONS_KEYS: OptionKeys<ParseLogOptions> = { format: true, sampleLines: true, year: true, timeZone: true, referenceDate: true, fieldMap: true, delimiter: true, maxLineLength: true, chunkSize: true, epochUnit: true, maxBytes: true, yearLookahead: true, maxFolded: true, pairAttempts: true };

export interface ParseLogOptions extends FormatOptions, ReadLinesOptions {
  /** A registered format name or alias, or 'auto' to detect it from the first lines. Default: 'auto'. */
  readonly format?: string;
  /** How many leading lines auto-detection scores the formats on. Default: 200. */
  readonly sampleLines?: number;
}

/** Line accounting of a parse: `parsed + rejected === read` always holds. */
export interface ParseCounts {
  /** Every line read, empty ones included. */
  read: number;
  /** Lines that went into events (a CSV record with a quoted line break makes one event of several lines). */
  parsed: number;
  /** Lines kept as rejects (empty lines are rejects with reason "empty line"; a CSV header is one too). */
  rejected: number;
  /** Events produced (equals `parsed` except for multi-line CSV records). */
  events: number;
  /** Events per event type. */
  byEventType: Record<string, number>;
  /** Lines the reader repaired: invalid UTF-8 replaced, over-long lines cut. */
  invalidUtf8: number;
  truncated: number;
  /** Events that came from folded lines (`message repeated N times`: N each), included in `events`. */
  folded?: number;
  /** Events kept as the companion of another record of the same attempt (PAM + sshd: see `LogEvent.companionOf`). */
  companions?: number;
}

/** How auto-detection scored one format on the sample. */
export interface FormatScore {
  readonly format: string;
  /** Sample lines (non-empty) it turned into events. */
  readonly parsed: number;
  /** Non-empty sample lines. */
  readonly total: number;
  /** parsed / total (0 for an empty sample). */
  readonly rate: number;
  /**
   * Completeness of its events summed over the sample: each event counts 1/3 for a valid time, 1/3 for an
   * entity (user, source address or host) and 1/3 for a recognised event type (not "other" / "raw").
   */
  readonly complete: number;
  /** complete / total, in [0, 1]: what detection ranks by. */
  readonly score: number;
}

export interface FormatDetection {
  /** The chosen format's name ("raw" when no format parses any sample line). */
  readonly format: string;
  /** Every detectable format's score, best first. */
  readonly scores: readonly FormatScore[];
  /**
   * How sure the choice is, in [0, 1]: the winner's score minus the runner-up's (1: every sample line is a
   * complete event in the winner and nothing in any other format; 0: a tie, or nothing parsed).
   */
  readonly confidence: number;
  /** The second-best format and its score, when any other format parsed a line. */
  readonly runnerUp?: { readonly format: string; readonly score: number };
}

export interface ParseResult {
  readonly events: LogEvent[];
  readonly rejects: Reject[];
  readonly counts: ParseCounts;
  /** The format used (detected or given). */
  readonly format: string;
  /** Auto-detection's scores when format was 'auto'. */
  readonly detection?: FormatDetection;
  /** What the parser decided (the year of a year-less syslog and why). */
  readonly notes?: ParserNotes;
}

/** Where the streaming parse sends what it reads. */
export interface ParseSink {
  onEvent(event: LogEvent): void;
  /**
   * Called for each reject; omit to only count them. `recordLineNo` is set on a line of a multi-line record
   * rejected with it (all its lines but the last): the record's first line, which the reason names at its end
   * (` (record from line N)`).
   */
  onReject?(reject: Reject, recordLineNo?: number): void;
  /**
   * Called after each batch of lines (a few thousand); the read waits for a returned promise, so a sink
   * that writes to a slow pipe can apply backpressure.
   */
  flush?(): void | Promise<void>;
}

export interface ParseSummary {
  readonly counts: ParseCounts;
  readonly format: string;
  readonly detection?: FormatDetection;
  /** Wall-clock seconds of the whole read. */
  readonly seconds: number;
  /** What the parser decided (the year of a year-less syslog and why). */
  readonly notes?: ParserNotes;
  /**
   * Why the input could not be read to its end (damaged gzip, read error, `maxBytes`); the lines before
   * were parsed and the rest is one reject. Undefined when the whole input was read.
   */
  readonly readError?: string;
  /**
   * "cr" when the input's lines end with a carriage return alone (classic Mac OS, some exporters): its lines were
   * cut at CR (see `readLinesSync`); absent for LF and CRLF.
   */
  readonly lineEnding?: "cr";
}

/**
 * The end of the reject reason of each line of a multi-line record but its last: the record's first line.
 *
 * @example
 * recordFrom(7) // " (record from line 7)"
 */
export function recordFrom(lineNo: number): string {
  return ` (record from line ${lineNo})`;
}

/** The reject reason of a line the input ended inside (see `LineFlags.CUT_SHORT`). */
const CUT_SHORT_REASON = "the input ends inside this line (the read stopped: damaged or cut input, or maxBytes): half a line is not parsed";

function newCounts(): ParseCounts {
  return { read: 0, parsed: 0, rejected: 0, events: 0, byEventType: {}, invalidUtf8: 0, truncated: 0 };
}

/**
 * Feeds lines to a parser, settling multi-line records, and keeps the line accounting. Exported for
 * callers that build their own read loop (the CLI, benchmarks).
 *
 * @example
 * const d = new LineDriver(getLogFormat("rfc3164").createParser(), { onEvent: (e) => console.log(e.eventType) });
 * d.feedText("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4", 1, 0); // logs "invalid_user"
 * d.feedText("not syslog", 2, 0);
 * d.end();
 * d.counts // { read: 2, parsed: 1, rejected: 1, events: 1, byEventType: { invalid_user: 1 }, invalidUtf8: 0, truncated: 0 }
 */
export class LineDriver {
  private liveCounts: ParseCounts = newCounts();
  /** Event type → its running count (a holder, so each event costs one Map lookup). */
  private readonly byType = new Map<string, { n: number }>();
  private typesDirty = false;
  /** The previous event's type and its holder in `byType` (consecutive events often share a type). */
  private lastType: string | undefined;
  private lastTypeCount = { n: 0 };
  private readonly held: LogLine[] = [];
  private readonly parser: LineParser;
  private readonly sink: ParseSink;
  /** Repair flags of lines whose result was deferred (only the non-zero ones). */
  private readonly deferredFlags = new Map<number, number>();
  private lastLineNo = 0;
  /** Whether the parser settles lines late (has `drain`). */
  private readonly drains: boolean;
  /** Whether events reached the sink out of line order (a held companion released late). */
  reordered = false;

  constructor(parser: LineParser, sink: ParseSink) {
    this.parser = parser;
    this.sink = sink;
    this.drains = parser.drain !== undefined;
  }

  /** What the parser decided about its input (see {@link ParserNotes}), if it says. */
  get notes(): ParserNotes | undefined {
    return this.parser.notes?.();
  }

  /** The line accounting so far. */
  get counts(): ParseCounts {
    if (this.typesDirty) {
      const o: Record<string, number> = {};
      for (const [k, v] of this.byType) o[k] = v.n;
      this.liveCounts.byEventType = o;
      this.typesDirty = false;
    }
    const c = this.liveCounts;
    // `folded` before `companions` whichever showed first, as a parallel read merges them: the same JSON either way.
    if (c.folded !== undefined && c.companions !== undefined && Object.keys(c).indexOf("companions") < Object.keys(c).indexOf("folded")) {
      const { folded, companions, ...rest } = c;
      this.liveCounts = { ...rest, folded, companions };
    }
    return this.liveCounts;
  }

  /** Parse one line. Never throws for bad input: a parser exception becomes a reject. */
  feed(line: LogLine): void {
    this.feedText(line.text, line.lineNo, line.flags);
  }

  /**
   * {@link LineDriver.feed} without a {@link LogLine} record: the line's text, number and repair flags, and
   * the {@link LineScanner}'s record of it when there is one (`scan[at]`…).
   */
  feedText(text: string, lineNo: number, flags: number, scan?: Int32Array, at = 0): void {
    const c = this.liveCounts;
    c.read++;
    if (flags !== 0) {
      if (flags & LineFlags.INVALID_UTF8) c.invalidUtf8++;
      if (flags & LineFlags.TRUNCATED) c.truncated++;
      if (flags & LineFlags.CUT_SHORT) {
        // Half a line (the read stopped inside it) is not parsed: its fields would be cut (an address "10.1.2.").
        this.settle(CUT_SHORT_REASON, text, lineNo, 0);
        return;
      }
    }
    let r: LineResult;
    try {
      r = scan !== undefined && scan[at] !== 0 && this.parser.parseScanned !== undefined ? this.parser.parseScanned(text, lineNo, scan, at) : this.parser.parseLine(text, lineNo);
    } catch (e) {
      r = `parser error: ${(e as Error).message}`;
    }
    if (r === null) {
      this.held.push({ lineNo, text, flags });
      return;
    }
    if (r === DEFERRED) {
      if (flags !== 0) this.deferredFlags.set(lineNo, flags);
      this.settleDrained(this.parser.drain?.(false));
      return;
    }
    this.settle(r, text, lineNo, flags);
    if (this.drains) this.settleDrained((this.parser.drain as NonNullable<LineParser["drain"]>)(false));
  }

  /** Settle lines a parser handed out late. */
  private settleDrained(out: readonly SettledLine[] | undefined): void {
    if (out === undefined) return;
    for (const s of out) {
      let flags = 0;
      if (this.deferredFlags.size > 0) {
        flags = this.deferredFlags.get(s.lineNo) ?? 0;
        this.deferredFlags.delete(s.lineNo);
      }
      const r = s.result;
      if (typeof r === "string" || !Array.isArray(r)) this.settle(r as LogEvent | string, s.text, s.lineNo, flags);
      else {
        const c = this.liveCounts;
        c.parsed++;
        for (const e of r as readonly LogEvent[]) this.emit(e);
      }
    }
  }

  /**
   * Account for input that could not be read (a damaged gzip stream, a read error, the `maxBytes` cap):
   * one reject numbered `lineNo` with no text, so `parsed + rejected === read` still holds.
   */
  unreadable(lineNo: number, reason: string): void {
    this.liveCounts.read++;
    this.liveCounts.rejected++;
    this.sink.onReject?.({ lineNo, raw: "", reason });
  }

  /** Settle lines still held at end of input. */
  end(): void {
    this.endHeld();
    if (this.parser.drain) this.settleDrained(this.parser.drain(true));
  }

  private endHeld(): void {
    if (this.held.length === 0) return;
    let r: LogEvent | string | undefined;
    try {
      r = this.parser.finish?.();
    } catch (e) {
      r = `parser error: ${(e as Error).message}`;
    }
    const last = this.held.pop() as LogLine;
    this.settle(r ?? "incomplete record at end of input", last.text, last.lineNo, last.flags);
  }

  private settle(r: LogEvent | string, text: string, lineNo: number, flags: number): void {
    const c = this.liveCounts;
    const held = this.held;
    if (typeof r === "string") {
      const onReject = this.sink.onReject;
      for (const h of held) {
        c.rejected++;
        if (onReject) onReject.call(this.sink, { lineNo: h.lineNo, raw: h.text, reason: `${r}${recordFrom(held[0].lineNo)}` }, held[0].lineNo);
      }
      c.rejected++;
      if (onReject) {
        const note = flags === 0 ? "" : flags & LineFlags.TRUNCATED ? " (line was truncated)" : " (line had invalid UTF-8)";
        onReject.call(this.sink, { lineNo, raw: text, reason: r + note });
      }
    } else {
      c.parsed += held.length + 1;
      this.emit(r);
    }
    if (held.length > 0) held.length = 0;
  }

  private emit(r: LogEvent): void {
    const c = this.liveCounts;
    c.events++;
    if (r.lineNo < this.lastLineNo) this.reordered = true;
    else this.lastLineNo = r.lineNo;
    if (r.folded !== undefined) c.folded = (c.folded ?? 0) + 1;
    if (r.companionOf !== undefined) c.companions = (c.companions ?? 0) + 1;
    const t = r.eventType;
    if (t === this.lastType) this.lastTypeCount.n++;
    else {
      let have = this.byType.get(t);
      if (have === undefined) this.byType.set(t, (have = { n: 0 }));
      have.n++;
      this.lastType = t;
      this.lastTypeCount = have;
    }
    this.typesDirty = true;
    this.sink.onEvent(r);
  }
}

function checkSample(n: number | undefined): number {
  const v = n ?? 200;
  if (!Number.isInteger(v) || v < 1) throw new OptionError(`Expected \`sampleLines\` to be a positive integer, got ${String(n)}`);
  return v;
}

/** Completeness of one event for detection: time, entity, event type (a third each). */
function completeness(e: LogEvent): number {
  let q = 0;
  if (Number.isFinite(e.time)) q++;
  if (e.user !== undefined || e.srcIp !== undefined || e.host !== undefined) q++;
  if (e.eventType !== "other" && e.eventType !== "raw") q++;
  return q / 3;
}

/**
 * Score every detectable format on sample lines and pick the one that yields the most complete events
 * (time, entity and event type; see {@link FormatScore.complete}), not merely the most events: a tutorial
 * file with two odd lines stays tutorial rather than a CSV whose "events" have no time and no user. Ties go
 * to the more specific format (lower priority number). When none parses a single line the choice is "raw"
 * (one event per line, for template mining). `confidence` and `runnerUp` say how sure the choice is.
 *
 * @example
 * const d = detectLogFormat(["Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4"]);
 * [d.format, d.confidence] // ["rfc3164", 1]
 */
export function detectLogFormat(lines: readonly (string | LogLine)[], options: FormatOptions = {}): FormatDetection {
  checkOptions(options, FORMAT_OPTIONS_KEYS, "detectLogFormat");
  const sample = lines.map((l, i): LogLine => (typeof l === "string" ? { lineNo: i + 1, text: l, flags: 0 } : l));
  const total = sample.filter((l) => l.text.trim() !== "").length;
  const scores: FormatScore[] = [];
  for (const f of listLogFormats()) {
    if (f.detectable === false) continue;
    let parser: LineParser;
    try {
      parser = f.createParser(options);
    } catch {
      // A format that refuses an option (a named time zone where only fixed offsets work) is still scored
      // without it: when it wins, creating it for the real parse reports the option error instead of the
      // file silently going to another format.
      try {
        parser = f.createParser({ ...options, timeZone: undefined });
      } catch {
        continue;
      }
    }
    let complete = 0;
    const driver = new LineDriver(parser, { onEvent: (e) => (complete += completeness(e)) });
    for (const l of sample) driver.feed(l);
    driver.end();
    const parsed = driver.counts.parsed;
    scores.push({ format: f.name, parsed, total, rate: total === 0 ? 0 : parsed / total, complete, score: total === 0 ? 0 : complete / total });
  }
  const order = new Map(listLogFormats().map((f, i) => [f.name, i]));
  scores.sort((a, b) => b.score - a.score || b.parsed - a.parsed || (order.get(a.format) ?? 0) - (order.get(b.format) ?? 0));
  const best = scores[0];
  const second = scores[1];
  if (!best || best.parsed === 0) return { format: "raw", scores, confidence: 0 };
  const runnerUp = second && second.parsed > 0 ? { format: second.format, score: second.score } : undefined;
  const confidence = Math.max(0, Math.min(1, best.score - (runnerUp?.score ?? 0)));
  return { format: best.format, scores, confidence: Math.round(confidence * 1000) / 1000, runnerUp };
}

/** The format's parser for the real parse; an option it refuses is reported with the format's name. */
function createFor(format: LogFormat, options: ParseLogOptions): LineParser {
  try {
    return format.createParser(options);
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(`Format ${format.name}: ${e.message}`);
    throw e;
  }
}

function resolveFormat(options: ParseLogOptions, sample: () => LogLine[]): { format: LogFormat; detection?: FormatDetection } {
  const name = options.format ?? "auto";
  if (name.toLowerCase() !== "auto") return { format: getLogFormat(name) };
  const detection = detectLogFormat(sample(), pickOptions(options, FORMAT_OPTIONS_KEYS));
  return { format: getLogFormat(detection.format), detection };
}

/**
 * Parse lines held in memory (a whole text, or one line per array element) synchronously. Every line ends up
 * as an event or a reject `{lineNo, raw, reason}`; `counts.parsed + counts.rejected === counts.read`.
 *
 * @example
 * const r = parseLogLines(fs.readFileSync("data/sim/auth.log", "utf8"), { format: "auto", year: 2025 });
 * console.log(r.format, r.counts);
 */
export function parseLogLines(input: string | readonly string[], options: ParseLogOptions = {}): ParseResult {
  checkOptions(options, PARSE_LOG_OPTIONS_KEYS, "parseLogLines");
  const lines = readLinesSync(input, pickOptions(options, READ_LINES_OPTIONS_KEYS));
  const n = checkSample(options.sampleLines);
  const { format, detection } = resolveFormat(options, () => lines.slice(0, n));
  const events: LogEvent[] = [];
  const rejects: Reject[] = [];
  const driver = new LineDriver(createFor(format, options), { onEvent: (e) => events.push(e), onReject: (r) => rejects.push(r) });
  for (const l of lines) driver.feed(l);
  driver.end();
  if (driver.reordered) events.sort((a, b) => a.lineNo - b.lineNo);
  return { events, rejects, counts: driver.counts, format: format.name, detection, notes: driver.notes };
}

/**
 * Feed lines `from`… of a batch to a driver.
 *
 * @example
 * const d = new LineDriver(getLogFormat("rfc3164").createParser({ year: 2025 }), { onEvent: () => {} });
 * feedBatch(d, { texts: ["Dec 10 06:55:46 h sshd[1]: Connection closed by 1.2.3.4", "x"], firstLineNo: 1, flags: undefined }, 0);
 * d.counts.read // 2
 */
export function feedBatch(driver: LineDriver, b: TextBatch, from: number): void {
  const texts = b.texts;
  const flags = b.flags;
  const first = b.firstLineNo;
  const scan = b.scan;
  if (scan !== undefined) {
    for (let i = from; i < texts.length; i++) driver.feedText(texts[i], first + i, flags === undefined ? 0 : flags[i], scan, i * SCAN_RECORD);
  } else if (flags === undefined) for (let i = from; i < texts.length; i++) driver.feedText(texts[i], first + i, 0);
  else for (let i = from; i < texts.length; i++) driver.feedText(texts[i], first + i, flags[i]);
}

/**
 * Stream a file (plain or gzip), a readable stream (stdin) or an array of lines through a parser into a
 * sink, never holding all events: memory is bounded by the sample used for auto-detection and the sink.
 * Resolves to the line accounting, the format and the elapsed seconds.
 *
 * @example
 * let failures = 0;
 * const s = await parseLogStream("data/sim/auth.log", { onEvent: (e) => { if (e.eventType === "failed_password") failures++; } });
 */
export async function parseLogStream(source: LineSource, sink: ParseSink, options: ParseLogOptions = {}): Promise<ParseSummary> {
  checkOptions(options, PARSE_LOG_OPTIONS_KEYS, "parseLogStream");
  const started = performance.now();
  const n = checkSample(options.sampleLines);
  // The line scanner reads the batches once the format is known and its parser takes scanned lines.
  const scanning: { scanner?: LineScanner } = {};
  const batches = readTextBatches(source, pickOptions(options, READ_LINES_OPTIONS_KEYS), scanning);
  const auto = (options.format ?? "auto").toLowerCase() === "auto";
  const head: LogLine[] = [];
  let rest: TextBatch | undefined;
  let restFrom = 0;
  let headError: string | undefined;
  let unreadLineNo = 1;
  let cr = false;
  if (auto) {
    for (;;) {
      const r = await batches.next();
      if (r.done) break;
      const b = r.value as TextBatch;
      if (b.lineEnding === "cr") cr = true;
      if (b.readError !== undefined) {
        headError = b.readError;
        unreadLineNo = b.firstLineNo + b.texts.length;
      }
      const take = Math.min(b.texts.length, n - head.length);
      for (let i = 0; i < take; i++) head.push({ lineNo: b.firstLineNo + i, text: b.texts[i], flags: b.flags === undefined ? 0 : b.flags[i] });
      if (head.length >= n) {
        rest = b;
        restFrom = take;
        break;
      }
    }
  }
  const { format, detection } = resolveFormat(options, () => head);
  const parser = createFor(format, options);
  const driver = new LineDriver(parser, sink);
  if (parser.parseScanned !== undefined) scanning.scanner = lineScanner();
  for (const l of head) driver.feed(l);
  if (rest !== undefined) feedBatch(driver, rest, restFrom);
  let readError = headError;
  if (readError === undefined) {
    for await (const b of batches) {
      if (b.lineEnding === "cr") cr = true;
      feedBatch(driver, b, 0);
      if (sink.flush) await sink.flush();
      if (b.readError !== undefined) {
        readError = b.readError;
        unreadLineNo = b.firstLineNo + b.texts.length;
      }
    }
  }
  driver.end();
  if (readError !== undefined) driver.unreadable(unreadLineNo, readError);
  const summary: ParseSummary = { counts: driver.counts, format: format.name, detection, seconds: (performance.now() - started) / 1000, readError, notes: driver.notes };
  return cr ? { ...summary, lineEnding: "cr" } : summary;
}

/**
 * Parse a file path (plain or gzip), a readable stream or an array of lines into events and rejects.
 * Every line is accounted for: `counts.parsed + counts.rejected === counts.read`. Malformed lines never stop
 * the read; a missing file throws a DataError naming the path. A damaged gzip stream (or the `maxBytes`
 * cap) ends the read like `gzip -d` does: the lines before the damage are parsed, and one reject numbered
 * after the last line read says what happened (`readError` of the summary).
 *
 * @example
 * const { events, rejects, counts, format } = await parseLog("data/sim/auth.log", { format: "auto", year: 2025 });
 */
export async function parseLog(source: LineSource, options: ParseLogOptions = {}): Promise<ParseResult> {
  checkOptions(options, PARSE_LOG_OPTIONS_KEYS, "parseLog");
  const events: LogEvent[] = [];
  const rejects: Reject[] = [];
  const s = await parseLogStream(source, { onEvent: (e) => events.push(e), onReject: (r) => rejects.push(r) }, options);
  // Held companions are released late: put the events back in line order (stable, only when needed).
  for (let i = 1; i < events.length; i++) {
    if (events[i].lineNo < events[i - 1].lineNo) {
      events.sort((a, b) => a.lineNo - b.lineNo);
      break;
    }
  }
  return { events, rejects, counts: s.counts, format: s.format, detection: s.detection, notes: s.notes };
}
