import type { LineScanner } from "./line-scan";
import type { LogEvent } from "../events";

/**
 * What a line parser returns for one line: the event, a reject reason (a string), or `null` when the line
 * was held as part of a record that spans several lines (a quoted CSV field with a line break); the held
 * lines are settled by the parser's next event or reject.
 */
export type LineResult = LogEvent | string | null | typeof DEFERRED;

/**
 * What `parseLine` returns for a line whose outcome is settled later and handed out by `drain()`: a syslog
 * parser waiting to infer the year, holding a PAM line until its sshd partner shows (companions), or a folded
 * line that stands for several events.
 */
export const DEFERRED: unique symbol = Symbol("deferred");

/** A line settled after `parseLine` returned {@link DEFERRED} for it. */
export interface SettledLine {
  readonly lineNo: number;
  readonly text: string;
  /** Its event, its events (a folded syslog line stands for several), or the reject reason. */
  readonly result: LogEvent | readonly LogEvent[] | string;
}

/** A parser for one input, created fresh per read because some formats keep state (year roll-over, CSV header). */
export interface LineParser {
  /** Parse one line (without its line ending). Must never throw on bad input; return a reason instead. */
  parseLine(text: string, lineNo: number): LineResult;
  /**
   * {@link parseLine} of a line the {@link LineScanner} has read (`scan[at]`… is its record, status 1): the same
   * answer, built from the record. Parsers that have it get scanned batches (the RFC 3164 parser).
   */
  parseScanned?(text: string, lineNo: number, scan: Int32Array, at: number): LineResult;
  /** At end of input: settle lines still held (return an event or a reject reason), or undefined when none are. */
  finish?(): LogEvent | string | undefined;
  /**
   * Parsers that return {@link DEFERRED}: the lines settled since the last call (none: undefined or empty).
   * The driver calls it after every line (so lines released while another line is answered directly come
   * out too), and once with `final` true at end of input, when every deferred line must be settled. Lines
   * come out in line order within a session, not always across sessions.
   */
  drain?(final: boolean): readonly SettledLine[] | undefined;
  /** What the parser decided about its input so far (e.g. the year of a year-less syslog), for summaries. */
  notes?(): ParserNotes;
  /**
   * Present when a file in this format can be read in parallel: a stateful parser reports its state at a cut
   * (rfc3164: see {@link BoundaryHooks}); a stateless one gives {@link STATELESS_BOUNDARY}.
   */
  readonly boundary?: BoundaryHooks;
}

/**
 * What a stateful parser tells the parallel reader (`featurizeLog` with `threads` > 1), which parses byte
 * ranges of a file in worker threads, each after a warm-up on the lines before its range: the state at a
 * range boundary (equal in the worker that ends there and the one that starts there means the second
 * parses its lines as one parser reading the whole file would), and the reads of state older than the
 * range that the state does not cover (checked against the real state by the main thread).
 */
export interface BoundaryHooks {
  /**
   * The parser infers a year-less log's year from its first `yearLookahead` lines (rfc3164): without a given
   * year, the first range must hold them, as one reader decides the year on them.
   */
  readonly infersYear?: boolean;
  /**
   * The input's first record (a CSV header) decides how every later line reads: a range's parser first reads
   * the input's lines up to the end of that record (`RangeJob.prologue`), then its warm-up.
   */
  readonly headerRecord?: boolean;
  /** The worker's own range starts: from now on, record reads of older state. */
  openGate(): void;
  /** Everything that decides how later lines are parsed, as text; line numbers relative to `lineBase`. */
  state(lineBase: number): string;
  /** Since the gate opened: why the lines may depend on unseen state (undefined: they do not, beyond the reads), hosts seen, attempt-slot reads and writes. */
  report(): {
    readonly unsafe: string | undefined;
    readonly hosts: readonly (string | undefined)[];
    /** `last message repeated` lines that read a host's last event from before the gate (what they copied), and the hosts' last events written since. */
    readonly lastReads: readonly { readonly host: string | undefined; readonly key: string | null }[];
    readonly lastWrites: readonly { readonly host: string | undefined; readonly key: string | null }[];
    readonly pairing?: {
      readonly reads: readonly import("./auth-attempts").InheritedAttemptRead[];
      readonly writes: readonly import("./auth-attempts").AttemptSlot[];
      readonly afterMs: number;
      readonly hosts: readonly (string | undefined)[];
    };
  };
}

/**
 * The boundary hooks of a parser that keeps no state from line to line (JSON lines, access logs, RFC 5424):
 * every line parses the same wherever a range starts, so its file can be read on every core.
 */
export const STATELESS_BOUNDARY: BoundaryHooks = {
  openGate() {},
  state: () => "",
  report: () => ({ unsafe: undefined, hosts: [], lastReads: [], lastWrites: [] }),
};

/** What a parser decided about its input, reported with the parse summary. */
export interface ParserNotes {
  /** Year-less syslog: the year of the first line. */
  readonly year?: number;
  /** How that year was chosen: "given" (the `year` option) or "inferred" (from `referenceDate`). */
  readonly yearSource?: "given" | "inferred";
  /** Why that year, in words (for the CLI's stderr). */
  readonly yearReason?: string;
}

/** Options every format accepts; a format ignores those it has no use for. */
export interface FormatOptions {
  /** Syslog (RFC 3164) has no year: the year of the first line. Default: inferred from `referenceDate`. */
  readonly year?: number;
  /**
   * Time zone of timestamps that carry none (RFC 3164, Apache error log, tutorial, CSV/JSON without offset):
   * 'UTC', a fixed offset such as '+02:00' / '-0500', minutes east of UTC, or an IANA name such as
   * 'Europe/Berlin' with daylight saving (see `resolveTimeZone` for the repeated and the missing hour; the
   * registered rfc3164 format gets it through `withNamedZones`). Default: 'UTC'.
   */
  readonly timeZone?: string | number;
  /**
   * JSON lines / CSV: unit of numeric epoch timestamps, 's' | 'ms' | 'us' | 'ns', or 'auto' to infer it from
   * the magnitude (see `epochToMs`). Default: 'auto'.
   */
  readonly epochUnit?: "auto" | "s" | "ms" | "us" | "ns";
  /** Without `year`, the first line's year is the latest one that does not put it after this date. Default: now. */
  readonly referenceDate?: Date | number | string;
  /** JSON lines / CSV: which field holds what (dotted paths for JSON). Default: common shapes are recognised. */
  readonly fieldMap?: Readonly<Partial<Record<MappedField, string | readonly string[]>>>;
  /** CSV: the field delimiter. Default: ','. */
  readonly delimiter?: string;
  /**
   * Year-less syslog without `year`: how many lines are read (and held) before the year is fixed; the whole
   * input when it is shorter, so the last line can say which year the file ends in. Default: 100,000.
   */
  readonly yearLookahead?: number;
  /** Syslog: the largest N of a folded line (`message repeated N times`) expanded into N events; a line claiming more is a reject. Default: 10,000. */
  readonly maxFolded?: number;
  /** Syslog: pair the PAM / `Invalid user` records with sshd's record of the same attempt (`LogEvent.companionOf`). Default: true. */
  readonly pairAttempts?: boolean;
}

/** LogEvent fields that JSON lines and CSV can map from their own field names. */
export type MappedField =
  | "time"
  | "host"
  | "process"
  | "pid"
  | "level"
  | "eventType"
  | "user"
  | "srcIp"
  | "srcPort"
  | "outcome"
  | "message";

/** A named log format: a factory of line parsers plus a description for help texts. */
export interface LogFormat {
  /** Registry name, e.g. "rfc3164". */
  readonly name: string;
  /** One line saying what the format looks like. */
  readonly description: string;
  /** Other names accepted for it, e.g. "syslog", "auth.log". */
  readonly aliases?: readonly string[];
  /** Auto-detection prefers the earlier of two formats that parse a sample equally well. Lower first. */
  readonly priority: number;
  /** Whether auto-detection considers it (the catch-all "raw" format is only a fallback). Default: true. */
  readonly detectable?: boolean;
  createParser(options?: FormatOptions): LineParser;
}
