import * as fs from "node:fs";
import type { Writable } from "node:stream";
import { OptionError, SiemlabError } from "./errors";
import type { Reject } from "./events";
import { CSV_HEADER_REASON } from "./ingest/csv-log";
import { listLogFormats } from "./ingest/formats";
import type { ParseLogOptions, ParseSummary } from "./ingest/parse-log";
import { resolveTimeZone } from "./ingest/time-zone";
import { checkEpochUnit } from "./ingest/timestamps";
import { escapeControls, escapeControlsKeepLines } from "./terminal-text";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestName, didYouMean, nameDistance } from "./options";

/** An options table of `util.parseArgs`. */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * A usage error: the CLI prints it with a pointer to --help and exits with code 2.
 *
 * @example
 * throw new UsageError("--by expects ip, user, host or process, got 'mac'"); // throws: --by expects ip
 */
export class UsageError extends SiemlabError {}

/** Parsed option values as `util.parseArgs` gives them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What {@link parseCliArgs} gives for an options table: `util.parseArgs`' own typed values and positionals. */
export type ParsedCliArgs<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/**
 * `util.parseArgs` (strict, positionals allowed) with the CLI's messages, for every command: an unknown option
 * gets the closest known ones (node's own text speaks of positional arguments after '--'), a value that starts
 * with '-' is told to use `--name=VALUE`. Throws a {@link UsageError}.
 *
 * @example
 * parseCliArgs(["f.log", "--threds", "2"], { threads: { type: "string" } }) // throws UsageError: Unknown option '--threds' (did you mean '--threads'?)
 */
export function parseCliArgs<T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T): ParsedCliArgs<T> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const m = (e as Error).message;
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(m);
    if (unknown) {
      const hint = unknown[1] === "--" ? closestOptions(unknown[2], Object.keys(options)) : "";
      throw new UsageError(`Unknown option '${unknown[1]}${unknown[2]}'${hint}`);
    }
    const ambiguous = /Option '(--[^ ']+)' argument is ambiguous/.exec(m);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} got a value that starts with '-': write it as ${ambiguous[1]}=VALUE`);
    throw new UsageError(m);
  }
}

/** " (did you mean '--a'?)" or " (did you mean '--a' or '--b'?)" when several known options are equally close. */
function closestOptions(name: string, known: readonly string[]): string {
  const best = closestName(name, known);
  if (best === undefined) return "";
  const d = nameDistance(name, best);
  const v = name.toLowerCase();
  const tied = known.filter((k) => k !== best && k[0]?.toLowerCase() === v[0] && nameDistance(name, k) === d);
  const all = [best, ...tied].map((k) => `'--${k}'`);
  return ` (did you mean ${all.length === 1 ? all[0] : `${all.slice(0, -1).join(", ")} or ${all[all.length - 1]}`}?)`;
}

/**
 * An integer option in [min, max], or undefined when absent; a {@link UsageError} otherwise.
 *
 * @example
 * integerOption("seed", "42", 0, 10) // throws UsageError "--seed expects an integer in [0, 10], got '42'"
 */
export function integerOption(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || +v < min || +v > max) throw new UsageError(`--${name} expects an integer in [${min}, ${max}], got '${v}'`);
  return +v;
}

/** `--max-bytes`: a byte count with an optional K/M/G suffix (powers of 1024). */
function byteSize(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d{1,15})([kmg]i?b?|b)?$/i.exec(v.trim());
  const n = m ? +m[1] * (m[2] ? { k: 1024, m: 1024 ** 2, g: 1024 ** 3, b: 1 }[m[2][0].toLowerCase() as "k" | "m" | "g" | "b"] : 1) : NaN;
  if (!(n >= 1) || !Number.isSafeInteger(n)) throw new UsageError(`--max-bytes expects a byte count such as 500000000, 512M or 2G, got '${v}'`);
  return n;
}

/**
 * The parse options the ingest flags give (`--format`, `--year`, `--tz`, `--max-line`, `--max-bytes`,
 * `--epoch-unit`), checked up front so a typo fails before any line is read (exit 2, with the accepted
 * values and a "did you mean" for time zones).
 *
 * @example
 * ingestOptions({ format: "jsonl", tz: "Europe/Berlin", "epoch-unit": "ms" }) // { format: "jsonl", timeZone: "Europe/Berlin", epochUnit: "ms", … }
 */
export function ingestOptions(values: OptionValues): ParseLogOptions {
  const str = (k: string) => values[k] as string | undefined;
  const format = str("format") ?? "auto";
  if (format !== "auto" && !listLogFormats().some((f) => f.name === format || (f.aliases ?? []).includes(format))) {
    const names = listLogFormats().flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    throw new UsageError(`--format expects 'auto' or one of ${listLogFormats().map((f) => f.name).join(", ")}, got '${format}'${didYouMean(format, names, "'")}`);
  }
  const tz = str("tz");
  try {
    if (tz !== undefined) resolveTimeZone(tz);
  } catch (e) {
    throw new UsageError(`--tz: ${(e as Error).message.replace("`timeZone` ", "")}`);
  }
  let epochUnit;
  try {
    epochUnit = checkEpochUnit(str("epoch-unit"));
  } catch (e) {
    throw new UsageError(`--epoch-unit: ${(e as OptionError).message.replace("`epochUnit` ", "")}`);
  }
  return {
    format,
    year: integerOption("year", str("year"), 1, 9999),
    timeZone: tz,
    maxLineLength: integerOption("max-line", str("max-line"), 1, 1 << 30),
    maxBytes: byteSize(str("max-bytes")),
    epochUnit,
  };
}

/**
 * The options with the reference date of year inference set for a source: a file's modification time (its
 * last line cannot be later), now for stdin or an unreadable path; unchanged when `--year` was given.
 *
 * @example
 * withReferenceDate(ingestOptions({}), "auth.log").referenceDate // auth.log's mtime in epoch ms
 */
export function withReferenceDate(options: ParseLogOptions, source: unknown): ParseLogOptions {
  if (options.year !== undefined) return options;
  let referenceDate = Date.now();
  if (typeof source === "string") {
    try {
      referenceDate = fs.statSync(source).mtimeMs;
    } catch {
      // missing or unreadable: the read reports it; now is the reference meanwhile
    }
  }
  return { ...options, referenceDate };
}

/**
 * Write text to a stream, waiting for `drain` when its buffer is full (backpressure).
 *
 * @example
 * await writeAll(process.stdout, "entity,window_start,count\n");
 */
export async function writeAll(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", resolve));
}

/**
 * One reject for the terminal: `line N: reason: "raw"`, control and bidi characters escaped, the raw line
 * cut at 200 characters.
 *
 * @example
 * rejectText({ lineNo: 2, raw: "\u001b[2Jx", reason: "not JSON" }) // 'line 2: not JSON: "\\x1b[2Jx"'
 */
export function rejectText(r: Reject): string {
  const raw = r.raw.length > 200 ? r.raw.slice(0, 200) + "…" : r.raw;
  return `line ${r.lineNo}: ${escapeControls(r.reason)}${r.raw === "" ? "" : `: "${escapeControls(raw)}"`}`;
}

/**
 * Keeps the first few rejects worth showing in a summary; empty lines and a CSV header are counted, not shown,
 * so that what is listed, "… N more" and "not listed: …" add up to the rejected count.
 *
 * @example
 * const s = new RejectSample(5); s.add({ lineNo: 3, raw: "x", reason: "bad" }); s.add({ lineNo: 4, raw: "", reason: "empty line" });
 * s.lines() // ["line 3: bad: \"x\"", "(not listed: 1 empty line)"]
 */
export class RejectSample {
  private readonly kept: Reject[] = [];
  private seen = 0;
  private empty = 0;
  private headers = 0;
  constructor(private readonly limit: number) {}
  add(r: Reject): void {
    if (r.reason === "empty line") this.empty++;
    else if (r.reason === CSV_HEADER_REASON) this.headers++;
    else {
      this.seen++;
      if (this.kept.length < this.limit) this.kept.push(r);
    }
  }
  /** The kept rejects as terminal text, "… N more" when some were not kept, and the empty lines / CSV header left out. */
  lines(): string[] {
    const out = this.kept.map(rejectText);
    if (this.seen > this.kept.length) out.push(`… ${this.seen - this.kept.length} more`);
    const quiet: string[] = [];
    if (this.empty > 0) quiet.push(`${this.empty} empty line${this.empty === 1 ? "" : "s"}`);
    if (this.headers > 0) quiet.push(this.headers === 1 ? "the CSV header" : `${this.headers} CSV headers`);
    if (quiet.length > 0) out.push(`(not listed: ${quiet.join(", ")})`);
    return out;
  }
  /** The block a summary prints: a heading when rejects are listed, then {@link RejectSample.lines}; "" when there is nothing to say. */
  text(): string {
    const head = this.kept.length > 0 ? `siemlab: rejected lines (first ${this.kept.length}; 'siemlab parse FILE --rejects OUT' lists all):\n` : "";
    return head + this.lines().map((l) => `siemlab:   ${l}\n`).join("");
  }
}

/**
 * The parse summary for stderr: format (with auto-detection's confidence and runner-up), line accounting,
 * speed, CR line endings when the input has them, events by type, and a read error when the input could not be read to its end.
 *
 * @example
 * process.stderr.write(summaryText(await parseLogStream("data/sim/auth.log", { onEvent() {} }), ""));
 */
export function summaryText(s: ParseSummary, extra: string): string {
  const c = s.counts;
  const types = Object.entries(c.byEventType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t}=${n}`)
    .join(" ");
  const rate = s.seconds > 0 ? Math.round(c.read / s.seconds) : c.read;
  const d = s.detection;
  const detected = d
    ? ` (auto-detected, confidence ${d.confidence.toFixed(2)}${d.runnerUp ? `; runner-up ${d.runnerUp.format} ${d.runnerUp.score.toFixed(2)}` : ""})`
    : "";
  return escapeControlsKeepLines(
    `siemlab: format ${s.format}${detected}; lines read ${c.read}, parsed ${c.parsed}, rejected ${c.rejected}` +
      // (Repairs are not rejects: a line with invalid UTF-8 or cut at --max-line is parsed as repaired.)
      (c.invalidUtf8 + c.truncated > 0 ? `; repaired: invalid UTF-8 ${c.invalidUtf8}, truncated ${c.truncated}` : "") +
      `; ${s.seconds.toFixed(3)} s, ${rate} lines/s\n` +
      (s.lineEnding === "cr" ? `siemlab: line endings: CR (classic Mac): the input has no LF in its first 64 KiB, so lines were cut at each carriage return\n` : "") +
      `siemlab: events by type: ${types || "(none)"}\n` +
      // Detection reads the first lines only: a banner or a header section can hide the real format.
      (d && (s.format === "raw" || d.confidence === 0)
        ? `siemlab: note: the format was chosen from the first lines, which no format reads well (confidence ${d.confidence.toFixed(2)}); if the log starts further down or is another format, give --format ('siemlab formats' lists them)\n`
        : "") +
      // (--max-bytes is a limit the user set, not damage.)
      (s.readError !== undefined ? `siemlab: ${/after maxBytes = /.test(s.readError) ? "read stopped at --max-bytes" : "input damaged, read stopped"}: ${s.readError}\n` : "") +
      (s.notes?.yearSource === "inferred" && s.notes.year !== undefined ? `siemlab: year ${s.notes.yearReason} (--year overrides)\n` : "") +
      (c.folded ? `siemlab: ${c.folded} events from folded lines ("message repeated N times")\n` : "") +
      (c.companions ? `siemlab: ${c.companions} companion records paired with the sshd record of the same attempt (counts of attempts count them once)\n` : "") +
      extra,
  );
}

/**
 * The line saying how many companion records the count skipped (a PAM `authentication failure` or `Invalid
 * user` line paired with sshd's record of the same attempt, whose type the count took too): "" when none.
 *
 * @example
 * companionNote(869) // "siemlab: 869 companion records skipped: their attempt's sshd record is counted\n"
 * companionNote(0) // ""
 */
export function companionNote(skipped: number): string {
  if (!(skipped > 0)) return "";
  return `siemlab: ${skipped} companion record${skipped === 1 ? "" : "s"} skipped: their attempt's sshd record is counted\n`;
}
