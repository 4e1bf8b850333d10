/**
 * `watchLog`: follow a growing log, count events per entity in event-time windows, score every window as it
 * closes (a fitted detector or a count rule), and send the flagged windows through the response policy.
 * The library side of `siemlab watch`; see {@link watchLog}.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { DataError, OptionError } from "../errors";
import { companionCounted, type LogEvent, type Reject } from "../events";
import type { Detector } from "../detectors/types";
import { ThresholdRule } from "../detectors/threshold-rule";
import { formatDuration, parseDuration } from "../features/duration";
import { entityGetter } from "../features/entity-key";
import { compileEventFilter, countsTypeOf } from "../features/event-filter";
import { getLogFormat } from "../ingest/formats";
import type { FormatOptions, LogFormat } from "../ingest/log-format";
import { detectLogFormat, LineDriver, type ParseCounts } from "../ingest/parse-log";
import type { EpochUnit } from "../ingest/timestamps";
import type { DenseMatrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";
import { AuditLog, type AuditRow } from "../respond/audit";
import { Deduplicator } from "../respond/dedup";
import { checkDryRun, executePlan } from "../respond/execute-plan";
import type { Executor } from "../respond/executors/executor";
import { findingsFromScores, scoredByDetector, type EntityType, type Finding } from "../respond/finding";
import { planResponse } from "../respond/plan";
import { loadPolicy, validatePolicy, type ResponsePolicy } from "../respond/policy";
import { escapeControls, quotedName } from "../terminal-text";
import { FileFollower, StreamFollower, type FollowedLine, type FollowPosition } from "./follow-file";
import { EventTimeWindows, ownCopy, type ClosedWindow, type LateEvent, type OpenWindowState } from "./window-clock";

/** Every option name of {@link WatchLogOptions} (unknown names fail with a suggestion). */
const WATCH_OPTIONS_KEYS: OptionKeys<WatchLogOptions> = {
  by: true, window: true, event: true, lateness: true, idle: true, detector: true, threshold: true, featureNames: true, policy: true, dryRun: true,
  executors: true, audit: true, format: true, year: true, timeZone: true, epochUnit: true, maxLineLength: true, pollMs: true,
  once: true, fromEnd: true, state: true, stateEveryMs: true, statusEveryMs: true, maxOpen: true, stdin: true,
  onFinding: true, onWindows: true, onNotice: true, onStatus: true,
};

/** Options of {@link watchLog}. */
export interface WatchLogOptions {
  /** Entity of each window: 'ip' (alias 'srcIp'), 'user' or 'host'. Default: 'ip'. */
  readonly by?: "ip" | "srcIp" | "user" | "host";
  /** Window length: '1m', '5m', … or ms; windows are aligned to UTC epoch multiples like `windowCounts`. Default: '1m'. */
  readonly window?: string | number;
  /**
   * Count only these event types (e.g. 'failed_password'). Default: every event. A companion record (PAM
   * beside sshd, `LogEvent.companionOf`) is not counted when its attempt's type is listed too: one attempt, one event.
   */
  readonly event?: string | readonly string[];
  /** Allowed lateness: how far behind the latest event time an event may arrive and still count ('30s', ms, 0). Default: '30s'. */
  readonly lateness?: string | number;
  /**
   * After this long (wall clock: '1m', ms) without a new line, event time is taken to move on with the wall
   * clock from the last event: the watermark becomes (last event time + quiet time − lateness), so an open
   * window closes once the quiet time reaches its end + lateness − the last event time — with 1m windows and
   * 30s lateness, 30–90 s after the last line (never before `idle`) — and is scored instead of waiting for
   * the next event (hours, maybe). `WatchStatus.watermark` moves on with it. Lines the parser still holds no longer hold
   * the watermark back then; an event that arrives later for a window closed this way counts as late.
   * Default: off (windows wait for later events).
   */
  readonly idle?: string | number;
  /** A fitted detector scoring each closed window's feature row `[count]` (e.g. `loadDetector(path).detector`). */
  readonly detector?: Detector;
  /** Without a detector: the count rule "count ≥ threshold" (`ThresholdRule`). Default: 8 when no detector is given. */
  readonly threshold?: number;
  /** Feature names of the detector's columns, checked against `['count']`. Default: not checked. */
  readonly featureNames?: readonly string[];
  /** The response policy (or a path to its JSON file). Default: `data/policy/default.json`. */
  readonly policy?: ResponsePolicy | string;
  /** Dry run (only render actions). Default: the policy's `dryRun`, else true. */
  readonly dryRun?: boolean;
  /** Executors for real actions (with `dryRun: false`). Default: none. */
  readonly executors?: readonly Executor[];
  /**
   * Where response decisions are recorded: an `AuditLog` (it keeps every row in memory too), or the path of a
   * JSON-lines file appended to (memory stays bounded: a long watch does not keep its rows). Default: none kept.
   */
  readonly audit?: AuditLog | string;
  /** Log format name, or 'auto' (detected on the first lines read). Default: 'auto'. */
  readonly format?: string;
  /**
   * Year of year-less syslog lines. Default: each run infers the year of its first line as the latest one
   * that does not put it after the file's modification time (a live log is written now, so: not in the
   * future; a finished file gets the year `siemlab features` infers); a resumed run uses the year of the last
   * event seen.
   */
  readonly year?: number;
  /** Time zone of timestamps without one. Default: 'UTC'. */
  readonly timeZone?: string;
  /** Unit of numeric JSON/CSV timestamps. Default: 'auto'. */
  readonly epochUnit?: EpochUnit | "auto";
  /** Lines longer than this many characters are cut. Default: 65,536. */
  readonly maxLineLength?: number;
  /** Poll interval in ms. Default: 250. */
  readonly pollMs?: number;
  /**
   * Read to the current end (a stream such as stdin: to its end), an unterminated last line included (left for
   * the next run when `state` is set), close every window, score and stop. Default: false (follow until `stop()`).
   */
  readonly once?: boolean;
  /** Start at the end of an existing file (new lines only). Default: false (the whole file, then follow). */
  readonly fromEnd?: boolean;
  /**
   * State file: the file's identity and offset, open windows, held lines and totals are saved there every
   * `stateEveryMs` and on stop, and a run started with an existing state file resumes from it (no line
   * counted twice, none lost). With a state file, `stop()` keeps open windows open (saved) instead of closing
   * them. Default: none.
   */
  readonly state?: string;
  /** How often the state file is written (ms). Default: 5,000. */
  readonly stateEveryMs?: number;
  /** How often `onStatus` is called (ms; 0 = never). Default: 10,000. */
  readonly statusEveryMs?: number;
  /** Bound on open (entity, window) cells; beyond, the oldest window closes early and a notice says so. Default: 1,000,000. */
  readonly maxOpen?: number;
  /** The stream to follow when the path is '-'. Default: `process.stdin`. */
  readonly stdin?: Readable;
  /** Called for each finding (a flagged window) after the policy ran for it. */
  readonly onFinding?: (finding: WatchFinding) => void;
  /** Called with every batch of closed windows and their scores (flagged or not). */
  readonly onWindows?: (windows: readonly ScoredWindow[]) => void;
  /** Called with what happened to the file and the stream, in words ("waiting for auth.log to appear", late events, …). */
  readonly onNotice?: (text: string) => void;
  /** Called every `statusEveryMs` with the running totals. */
  readonly onStatus?: (status: WatchStatus) => void;
}

/** A closed window with its score. */
export interface ScoredWindow extends ClosedWindow {
  /** Decision value (negative = flagged, scikit-learn's convention). */
  readonly decision: number;
  readonly flagged: boolean;
}

/** One flagged window: the finding, what the policy decided for it, and the line `siemlab watch` prints. */
export interface WatchFinding {
  readonly finding: Finding;
  /** The tier the policy chose (undefined when no tier matched). */
  readonly tier?: string;
  /** The audit rows of its actions (dry_run, executed, deduplicated, skipped_allowlist, …). */
  readonly actions: readonly AuditRow[];
  /**
   * One line for a terminal, log text escaped: the entity (and an action's other target) JSON-quoted unless
   * it is an IP address (`user "x count=1 (warning)" count=12 …`), so a name cannot forge the line's fields.
   */
  readonly text: string;
}

/** Running totals of a watch. */
export interface WatchStatus {
  /** Lines read (complete lines only). */
  readonly lines: number;
  /** Events parsed. */
  readonly events: number;
  /** Events counted in windows (passed the filter, had an entity and a time, not late). */
  readonly counted: number;
  /** Events that arrived after their window had closed (counted as late, in no window). */
  readonly late: number;
  /** Events passing the filter without an entity or a time. */
  readonly skipped: number;
  readonly rejected: number;
  readonly openWindows: number;
  readonly windowsClosed: number;
  readonly findings: number;
  /** Latest event time seen and the watermark (epoch ms; NaN before the first event). */
  readonly maxTime: number;
  readonly watermark: number;
}

/** What a watch did, when it stops. */
export interface WatchSummary extends WatchStatus {
  readonly format: string | undefined;
  /** Audit rows by status (dry_run, executed, deduplicated, …), cumulative over resumed runs like `findings`. */
  readonly actions: Readonly<Record<string, number>>;
  /** Windows closed early because open cells exceeded `maxOpen` (cumulative over resumed runs). */
  readonly closedEarly: number;
  /** The first late events. */
  readonly lateSamples: readonly LateEvent[];
  /** Windows left open and saved to the state file (0 when they were closed and scored). */
  readonly savedOpenWindows: number;
  /** The state file written on stop, when there is one. */
  readonly state?: string;
}

/** A running watch: `stop()` ends it cleanly; `done` settles when it ends (by itself with `once`, or after `stop`). */
export interface LogWatch {
  /** Stop after the current poll; resolves to the summary (open windows saved with `state`, else closed and scored). */
  stop(): Promise<WatchSummary>;
  readonly done: Promise<WatchSummary>;
  /** The totals so far. */
  status(): WatchStatus;
  /** Findings so far, in the order they were reported (on a long watch the latest 500–1,000, each with up to 20 events; `status().findings` counts all). */
  readonly findings: readonly WatchFinding[];
}

/** Findings kept in `LogWatch.findings` (the latest; older ones are dropped in halves, so memory stays bounded). */
const MAX_FINDINGS_KEPT = 1000;

/** Version of the state file layout. */
const STATE_VERSION = 1;

interface StateFile {
  readonly siemlabWatchState: number;
  readonly path: string;
  readonly position?: FollowPosition;
  readonly format?: string;
  readonly year?: number;
  readonly settings: { readonly by: string; readonly windowMs: number; readonly event: readonly string[] | null; readonly latenessMs: number };
  readonly clock: { readonly maxTime: number | null; readonly closedUpTo: number | null };
  readonly open: readonly OpenWindowState[];
  readonly held: readonly { readonly lineNo: number; readonly text: string; readonly flags: number }[];
  readonly lineNo: number;
  readonly totals: { readonly lines: number; readonly events: number; readonly counted: number; readonly rejected: number; readonly late: number; readonly skipped: number; readonly windowsClosed: number; readonly findings: number; readonly actions?: Readonly<Record<string, number>>; readonly closedEarly?: number };
  readonly savedAt: string;
}

const DEFAULT_POLICY = path.resolve(__dirname, "../../data/policy/default.json");

function entityTypeOf(by: string): EntityType {
  if (by === "ip" || by === "srcIp") return "ip";
  if (by === "user" || by === "host") return by;
  throw new OptionError(`Expected \`by\` to be 'ip', 'user' or 'host', got ${JSON.stringify(by)}`);
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Read a state file; undefined when it does not exist yet. Throws a DataError for a damaged or foreign one. */
function readState(file: string): StateFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DataError(`Cannot read the state file ${file}: ${(e as Error).message}`);
  }
  let s: StateFile;
  try {
    s = JSON.parse(text) as StateFile;
  } catch (e) {
    throw new DataError(`The state file ${file} is not valid JSON (${(e as Error).message}); delete it to start over (the log is then read from its start)`);
  }
  if (typeof s !== "object" || s === null || s.siemlabWatchState !== STATE_VERSION || !Array.isArray(s.open) || !Array.isArray(s.held) || typeof s.settings !== "object") {
    throw new DataError(`${file} is not a siemlab watch state file of version ${STATE_VERSION}; delete it or pick another --state path`);
  }
  return s;
}

/**
 * Follow a growing log (`-` for `options.stdin`) and score its windows as they close — the library form of
 * `siemlab watch`. Lines are parsed with the registered formats (auto-detected on the first lines read),
 * events are counted per entity in tumbling event-time windows that close when the watermark (latest event
 * time − `lateness`) passes their end, and each batch of closed windows is scored by `detector` (its rows are
 * `[count]`) or by the count rule `threshold`. Flagged windows become findings, planned under the policy and
 * executed (dry run unless the policy or `dryRun: false` says otherwise); `onFinding` gets each one.
 *
 * Counts of the closed windows equal `windowCounts(events, {zeroFill: false})` of the same events when no
 * event is late; a late event is counted in `late` and reported through `onNotice`, never added to a closed
 * window. The follower's rules (rotation, truncation, waiting for the file) are those of `FileFollower`.
 * Errors: OptionError for bad options; a DataError for a damaged state file or one written with other
 * window settings.
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * fs.copyFileSync("data/sim/auth.log", "out/watch-demo.log");
 * const w = watchLog("out/watch-demo.log", { event: "failed_password", threshold: 20, year: 2025, once: true });
 * const summary = await w.done;
 * summary.findings // 11 (windows with ≥ 20 failed passwords from one IP)
 */
export function watchLog(file: string, options: WatchLogOptions = {}): LogWatch {
  checkOptions(options, WATCH_OPTIONS_KEYS, "watchLog");
  return new Watch(file, options).start();
}

class Watch {
  private readonly file: string;
  private readonly o: WatchLogOptions;
  private readonly windowMs: number;
  private readonly latenessMs: number;
  private readonly idleMs: number | undefined;
  private readonly by: string;
  private readonly entityType: EntityType;
  private readonly entity: (e: LogEvent) => string | undefined;
  private readonly filter: ((e: LogEvent) => boolean) | undefined;
  /** The event types counted (for the companion rule: one attempt, one event). */
  private readonly countsType: ((eventType: string) => boolean) | undefined;
  private readonly eventList: readonly string[] | null;
  private readonly detector: Detector;
  private readonly policy: ResponsePolicy;
  private readonly dryRun: boolean;
  private readonly audit: AuditLog | string | undefined;
  private readonly dedup: Deduplicator;
  private readonly windows: EventTimeWindows;
  private follower!: FileFollower | StreamFollower;
  private driver: LineDriver | undefined;
  private format: LogFormat | undefined;
  private year: number | undefined;
  /** Lines fed to the parser and not yet settled (held for pairing), with the latest event time when fed. */
  private readonly unsettled = new Map<number, { text: string; flags: number; feedMax: number }>();
  /** The line being fed, and whether it was settled (an event or a reject) during its own feed. */
  private feeding = -1;
  private settledNow = false;
  private lineNo = 0;
  private lines = 0;
  private baseEvents = 0;
  private baseRejected = 0;
  private skipped = 0;
  private windowsClosed = 0;
  private readonly found: WatchFinding[] = [];
  private findingCount = 0;
  private readonly actionCounts: Record<string, number> = {};
  private closedQueue: ClosedWindow[] = [];
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private lateReported = 0;
  private capReported = 0;
  private done!: Promise<WatchSummary>;

  constructor(file: string, o: WatchLogOptions) {
    this.file = file;
    this.o = o;
    this.windowMs = parseDuration(o.window ?? "1m");
    this.latenessMs = o.lateness === 0 || o.lateness === "0" ? 0 : parseDuration(o.lateness ?? "30s", "lateness");
    this.idleMs = o.idle === undefined ? undefined : parseDuration(o.idle, "idle");
    this.year = o.year;
    this.by = o.by ?? "ip";
    this.entityType = entityTypeOf(this.by);
    this.entity = entityGetter(this.entityType === "ip" ? "srcIp" : this.entityType);
    this.filter = compileEventFilter(o.event, "event");
    this.countsType = countsTypeOf(o.event);
    this.eventList = o.event === undefined ? null : typeof o.event === "string" ? [o.event] : [...o.event];
    if (o.detector !== undefined && o.threshold !== undefined) throw new OptionError("Pass either `detector` or `threshold` (a count rule), not both");
    if (o.featureNames !== undefined && (o.featureNames.length !== 1 || o.featureNames[0] !== "count")) {
      throw new OptionError(`The detector was fitted on features [${o.featureNames.join(", ")}], but watch scores windows on [count]; fit it on window counts (siemlab fit)`);
    }
    if (o.detector !== undefined) {
      if (o.detector.nFeaturesIn !== undefined && o.detector.nFeaturesIn !== 1) throw new OptionError(`The detector was fitted on ${o.detector.nFeaturesIn} features, but watch scores one: [count]`);
      this.detector = o.detector;
    } else {
      const threshold = o.threshold ?? 8;
      this.detector = new ThresholdRule({ threshold }).fit([[0], [threshold]]);
    }
    this.policy = o.policy === undefined ? loadPolicy(DEFAULT_POLICY) : typeof o.policy === "string" ? loadPolicy(o.policy) : validatePolicy(o.policy);
    this.dryRun = o.dryRun !== undefined ? checkDryRun(o.dryRun) : checkDryRun(this.policy.dryRun, "policy.dryRun");
    this.audit = o.audit;
    this.dedup = new Deduplicator({ windowSeconds: this.policy.dedupWindowSeconds });
    this.windows = new EventTimeWindows({ windowMs: this.windowMs, latenessMs: this.latenessMs, maxOpen: o.maxOpen });
    const poll = o.pollMs ?? 250;
    if (!(poll > 0)) throw new OptionError(`Expected \`pollMs\` to be a positive number of milliseconds, got ${poll}`);
  }

  start(): LogWatch {
    if (this.file !== "-") this.checkFile();
    const resume = this.o.state !== undefined && this.file !== "-" ? this.loadState(this.o.state) : undefined;
    this.follower =
      this.file === "-"
        ? new StreamFollower(this.o.stdin ?? process.stdin, { maxLineLength: this.o.maxLineLength })
        : new FileFollower(this.file, { fromEnd: this.o.fromEnd, resume, maxLineLength: this.o.maxLineLength });
    this.done = this.run();
    this.done.catch(() => undefined);
    return {
      stop: () => {
        this.stopRequested = true;
        this.wake?.();
        return this.done;
      },
      done: this.done,
      status: () => this.status(),
      findings: this.found,
    };
  }

  /** Refuse a gzip file (watch follows plain text) and, with `once`, a file that does not exist. */
  private checkFile(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, "r");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && this.o.once === true) {
        throw new DataError(`File not found: ${this.file} (resolved from ${process.cwd()}); with once (--once) there is nothing to wait for`);
      }
      return; // not there yet (waited for) or unreadable now (the follower says so)
    }
    const head = Buffer.alloc(2);
    try {
      fs.readSync(fd, head, 0, 2, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head[0] === 0x1f && head[1] === 0x8b) {
      throw new DataError(
        `${this.file} is gzip-compressed; watch follows plain-text logs: use 'zcat ${this.file} | siemlab watch -' to score it as a stream, or 'siemlab features ${this.file}' for a finished file`,
      );
    }
  }

  private notice(text: string): void {
    this.o.onNotice?.(escapeControls(text));
  }

  private get counts(): ParseCounts | undefined {
    return this.driver?.counts;
  }

  status(): WatchStatus {
    const c = this.counts;
    const w = this.windows;
    return {
      lines: this.lines,
      events: this.baseEvents + (c?.events ?? 0),
      counted: w.counted,
      late: w.late,
      skipped: this.skipped,
      rejected: this.baseRejected + (c?.rejected ?? 0),
      openWindows: w.openCells,
      windowsClosed: this.windowsClosed,
      findings: this.resumedFindings + this.findingCount,
      maxTime: Number.isFinite(w.maxTime) ? w.maxTime : NaN,
      watermark: Number.isFinite(w.maxTime) ? w.watermark + this.idleShift : NaN,
    };
  }

  private loadState(file: string): FollowPosition | undefined {
    const s = readState(file);
    if (s === undefined) return undefined;
    const want = { by: this.by === "srcIp" ? "ip" : this.by, windowMs: this.windowMs, event: this.eventList, latenessMs: this.latenessMs };
    const have = s.settings;
    const diffs: string[] = [];
    if (have.by !== want.by) diffs.push(`by ${have.by} (now ${want.by})`);
    if (have.windowMs !== want.windowMs) diffs.push(`window ${formatDuration(have.windowMs)} (now ${formatDuration(want.windowMs)})`);
    if (JSON.stringify(have.event) !== JSON.stringify(want.event)) diffs.push(`event ${JSON.stringify(have.event)} (now ${JSON.stringify(want.event)})`);
    if (diffs.length > 0) throw new DataError(`The state file ${file} was written with other settings: ${diffs.join(", ")}; run with the same options, or use another state file`);
    if (path.resolve(s.path) !== path.resolve(this.file)) {
      // Its offset and clock belong to another log: resuming would skip lines and count every event as late.
      throw new DataError(
        `The state file ${file} was written for ${s.path}, not for ${this.file}: pass another --state file for ${this.file}, or delete ${file} to start over`,
      );
    }
    this.windows.restore(s.open, { maxTime: s.clock.maxTime ?? -Infinity, closedUpTo: s.clock.closedUpTo ?? -Infinity });
    this.lineNo = s.lineNo;
    this.lines = s.totals.lines;
    this.baseEvents = s.totals.events;
    this.baseRejected = s.totals.rejected;
    this.windows.late = s.totals.late;
    this.skipped = s.totals.skipped;
    this.windowsClosed = s.totals.windowsClosed;
    this.windows.counted = s.totals.counted;
    if (s.format !== undefined) this.format = getLogFormat(s.format);
    this.year = this.o.year ?? s.year;
    this.resumeHeld = s.held;
    this.resumedFindings = s.totals.findings;
    for (const [k, n] of Object.entries(s.totals.actions ?? {})) if (typeof n === "number") this.actionCounts[k] = n;
    this.baseClosedEarly = s.totals.closedEarly ?? 0;
    this.notice(`resuming from ${file}: ${s.open.length} open window(s), ${s.held.length} held line(s), ${s.totals.lines} line(s) read before`);
    return s.position;
  }

  private resumeHeld: StateFile["held"] = [];
  private resumedFindings = 0;
  private baseClosedEarly = 0;
  /** Quiet time (ms) the watermark is moved on by while the log is idle (see `idle`); 0 otherwise. */
  private idleShift = 0;

  private saveState(): void {
    const file = this.o.state;
    if (file === undefined || this.file === "-") return;
    const w = this.windows;
    const st = this.status();
    const yearNow = Number.isFinite(w.maxTime) ? new Date(w.maxTime).getUTCFullYear() : this.year;
    const s: StateFile = {
      siemlabWatchState: STATE_VERSION,
      path: this.file,
      position: this.follower.position(),
      format: this.format?.name,
      year: yearNow,
      settings: { by: this.by === "srcIp" ? "ip" : this.by, windowMs: this.windowMs, event: this.eventList, latenessMs: this.latenessMs },
      clock: { maxTime: finiteOrNull(w.maxTime), closedUpTo: finiteOrNull(w.closedUpTo) },
      open: w.snapshot(),
      held: [...this.unsettled].map(([lineNo, h]) => ({ lineNo, text: h.text, flags: h.flags })),
      lineNo: this.lineNo,
      totals: { lines: st.lines, events: st.events, counted: st.counted, rejected: st.rejected, late: st.late, skipped: st.skipped, windowsClosed: st.windowsClosed, findings: st.findings, actions: { ...this.actionCounts }, closedEarly: this.baseClosedEarly + w.capCloses },
      savedAt: new Date().toISOString(),
    };
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(s) + "\n");
    fs.renameSync(tmp, file);
  }

  private formatOptions(): FormatOptions {
    const base = { timeZone: this.o.timeZone, epochUnit: this.o.epochUnit };
    if (this.year !== undefined) return { ...base, year: this.year };
    // A live log is written now: its first line's year is the latest that does not put it past the file's
    // last modification (about now for a live log; for a finished file, the year the batch commands infer).
    let referenceDate = Date.now();
    if (this.file !== "-") {
      try {
        referenceDate = Math.min(referenceDate, fs.statSync(this.file).mtimeMs);
      } catch {
        // not there (yet): now
      }
    }
    return { ...base, referenceDate, yearLookahead: 1 };
  }

  /** Create the parser (detecting the format on the first lines when needed). */
  private ensureDriver(first: readonly FollowedLine[]): void {
    if (this.driver !== undefined) return;
    const fo = this.formatOptions();
    if (this.format === undefined) {
      const name = this.o.format ?? "auto";
      if (name.toLowerCase() !== "auto") this.format = getLogFormat(name);
      else {
        const d = detectLogFormat(first.slice(0, 200).map((l, i) => ({ lineNo: i + 1, text: l.text, flags: l.flags })), fo);
        this.format = getLogFormat(d.format);
        this.notice(`format ${d.format} (auto-detected on ${Math.min(200, first.length)} line(s), confidence ${d.confidence.toFixed(2)}; --format overrides)`);
      }
    }
    let parser;
    try {
      parser = this.format.createParser(fo);
    } catch (e) {
      throw new OptionError(`Format ${this.format.name}: ${(e as Error).message}`);
    }
    this.driver = new LineDriver(parser, {
      onEvent: (e) => this.onEvent(e),
      onReject: (r: Reject) => this.settle(r.lineNo),
    });
    const held = this.resumeHeld;
    this.resumeHeld = [];
    for (const h of held) this.feed(h.text, h.lineNo, h.flags);
  }

  private feed(text: string, lineNo: number, flags: number): void {
    const d = this.driver as LineDriver;
    const feedMax = this.windows.maxTime;
    this.feeding = lineNo;
    this.settledNow = false;
    d.feedText(text, lineNo, flags);
    this.feeding = -1;
    // Most lines are settled at once; the others are held by the parser until later lines settle them.
    if (!this.settledNow) this.unsettled.set(lineNo, { text, flags, feedMax });
    if (this.unsettled.size === 0 || (lineNo & 255) !== 0) return;
    const c = d.counts;
    if (c.parsed + c.rejected === c.read) this.unsettled.clear();
    else if (this.unsettled.size > 100_000) {
      // Lines a parser settled without naming them (a multi-line record): forget the oldest.
      const first = this.unsettled.keys().next().value as number;
      this.unsettled.delete(first);
    }
  }

  /** The watermark may not pass lines the parser still holds (they carry times up to their feed time). */
  private holdBefore(): number {
    for (const h of this.unsettled.values()) return Number.isFinite(h.feedMax) ? h.feedMax - this.latenessMs : -Infinity;
    return Infinity;
  }

  private settle(lineNo: number): void {
    if (lineNo === this.feeding) this.settledNow = true;
    else this.unsettled.delete(lineNo);
  }

  private onEvent(e: LogEvent): void {
    this.settle(e.lineNo);
    if (this.filter !== undefined && !this.filter(e)) return;
    // A companion record whose attempt's own record is counted too (PAM beside sshd): the attempt counts once.
    if (e.companionOf !== undefined && this.countsType !== undefined && !companionCounted(e, this.countsType)) return;
    const name = this.entity(e);
    if (name === undefined || name === "" || !Number.isFinite(e.time)) {
      this.skipped++;
      return;
    }
    const lateBefore = this.windows.late;
    const closed = this.windows.add(name, e, this.holdBefore());
    if (this.windows.late > lateBefore && this.lateReported < 5) {
      this.lateReported++;
      const l = this.windows.lateSamples[this.windows.lateSamples.length - 1];
      this.notice(
        `late event at line ${l.lineNo} (${name}, ${new Date(l.time).toISOString()}): its window ${new Date(l.windowStart).toISOString()} closed when the watermark passed ${new Date(l.closedUpTo).toISOString()}; counted as late, not in a window` +
          (this.lateReported === 5 ? " (further late events are only counted)" : ""),
      );
    }
    if (this.windows.capCloses > 0 && this.capReported === 0) {
      this.capReported = this.windows.capCloses;
      this.notice(`more than ${this.windows.maxOpen} open (entity, window) cells: the oldest window was closed early (later events for it count as late); raise --max-open or lower --lateness (said once; the summary counts the windows closed early)`);
    }
    for (const c of closed) this.closedQueue.push(c);
  }

  /** Score the windows closed so far and send the flagged ones through the policy. */
  private async flushClosed(): Promise<void> {
    const closed = this.closedQueue;
    if (closed.length === 0) return;
    this.closedQueue = [];
    this.windowsClosed += closed.length;
    const n = closed.length;
    const M: DenseMatrix = { data: Float64Array.from(closed, (c) => c.count), rows: n, cols: 1 };
    const s = scoredByDetector(this.detector, M);
    const flags = s.predictions as Int8Array;
    this.o.onWindows?.(closed.map((c, i) => ({ ...c, decision: s.decision[i], flagged: flags[i] === -1 })));
    if (!flags.some((f) => f === -1)) return;
    const events: LogEvent[] = [];
    // Findings are kept: their events get strings of their own (not slices that keep a read chunk alive).
    for (let i = 0; i < n; i++) if (flags[i] === -1) for (const e of closed[i].events) events.push(ownCopy(e));
    const findings = findingsFromScores({ keys: closed, scoredBy: [s], entityType: this.entityType, windowMs: this.windowMs, matrix: M, featureNames: ["count"], events });
    findings.sort((a, b) => a.windowStart - b.windowStart || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
    const plan = planResponse(findings, this.policy);
    const audit = typeof this.audit === "string" ? new AuditLog({ path: this.audit }) : this.audit;
    const report = await executePlan(plan, { dryRun: this.dryRun, executors: this.o.executors, audit, dedup: this.dedup });
    for (const r of report.rows) this.actionCounts[r.status] = (this.actionCounts[r.status] ?? 0) + 1;
    for (const f of findings) {
      const start = new Date(f.windowStart).toISOString();
      const rows = report.rows.filter((r) => r.entity === f.entity && r.windowStart === start);
      const tier = rows[0]?.tier;
      const acts = rows.map((r) => `${r.action}${r.target !== f.entity ? ` ${quotedName(r.target)}` : ""} ${r.status}`).join(", ");
      const text = escapeControls(
        `${start} ${f.entityType} ${quotedName(f.entity)} count=${f.features.count} anomaly ${f.anomalyScore.toFixed(1)} (${f.severity}) decision ${+f.decision.toPrecision(4)} by ${f.detector}` +
          (tier !== undefined ? ` -> tier ${tier}: ${acts}` : " -> no tier matched"),
      );
      const wf: WatchFinding = { finding: f, tier, actions: rows, text };
      this.findingCount++;
      this.found.push(wf);
      if (this.found.length > MAX_FINDINGS_KEPT) this.found.splice(0, this.found.length - MAX_FINDINGS_KEPT / 2);
      this.o.onFinding?.(wf);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async run(): Promise<WatchSummary> {
    const pollMs = this.o.pollMs ?? 250;
    const stateEvery = this.o.stateEveryMs ?? 5000;
    const statusEvery = this.o.statusEveryMs ?? 10_000;
    let lastState = Date.now();
    let lastStatus = Date.now();
    let ended = false;
    let lastLineAt = Date.now();
    let idleSaid = false;
    try {
      for (;;) {
        const p = this.follower.poll();
        for (const n of p.notices) this.notice(n);
        if (p.lines.length > 0) {
          lastLineAt = Date.now();
          idleSaid = false;
          this.idleShift = 0;
        }
        if (p.lines.length > 0 || (this.resumeHeld.length > 0 && this.format !== undefined)) this.ensureDriver(p.lines);
        for (const l of p.lines) {
          this.lines++;
          this.feed(l.text, ++this.lineNo, l.flags);
        }
        const quiet = Date.now() - lastLineAt;
        if (this.idleMs !== undefined && quiet >= this.idleMs && Number.isFinite(this.windows.maxTime)) {
          // A quiet log: event time moves on with the wall clock from the last event.
          this.idleShift = quiet;
          if (!idleSaid && this.windows.openCells > 0) {
            idleSaid = true;
            const lastEnd = this.windows.lastOpenEnd;
            const at = lastLineAt + Math.max(0, lastEnd + this.latenessMs - this.windows.maxTime);
            this.notice(
              `no new line for ${Math.round(quiet / 1000)} s: event time now moves on with the clock from the last event (${new Date(this.windows.maxTime).toISOString()}); ` +
                `a window closes when its end + lateness (${formatDuration(this.latenessMs)}) is passed, the last open one at about ${new Date(Math.max(at, Date.now())).toISOString()} (wall clock)`,
            );
          }
          if (this.windows.openCells > 0) this.windows.advance(this.windows.maxTime + quiet - this.latenessMs, this.closedQueue);
        }
        await this.flushClosed();
        const now = Date.now();
        if (this.o.state !== undefined && now - lastState >= stateEvery) {
          this.saveState();
          lastState = now;
        }
        if (statusEvery > 0 && this.o.onStatus !== undefined && now - lastStatus >= statusEvery) {
          this.o.onStatus(this.status());
          lastStatus = now;
        }
        if (p.ended) {
          ended = true;
          break;
        }
        // (A stream — stdin — has no current end to catch up with: with `once` it is read to its end, above.)
        if (this.stopRequested || (this.o.once === true && p.caughtUp && p.rotating !== true && this.file !== "-")) break;
        if (!p.caughtUp) {
          await new Promise((r) => setImmediate(r));
          continue;
        }
        await this.sleep(pollMs);
      }
      const keepOpen = this.o.state !== undefined && this.file !== "-" && this.o.once !== true && !ended;
      if (this.o.once === true && this.follower instanceof FileFollower) {
        // `once` reads to the current end, as `features` reads the file: an unterminated last line counts. With a
        // state file it is left for the next run (its newline may still come), and said.
        if (this.o.state === undefined) {
          const tail = this.follower.flushTail();
          if (tail !== undefined) {
            this.ensureDriver([tail]);
            this.lines++;
            this.feed(tail.text, ++this.lineNo, tail.flags);
          }
        } else if (this.follower.heldBytes > 0) {
          this.notice(`the last ${this.follower.heldBytes} bytes of ${this.file} end no line yet: left for the next run (the state file resumes before them)`);
        }
      }
      if (!keepOpen) {
        // Settle held lines, then close and score every open window.
        this.driver?.end();
        this.unsettled.clear();
        for (const c of this.windows.closeAll()) this.closedQueue.push(c);
        await this.flushClosed();
      }
      this.saveState();
      const st = this.status();
      return {
        ...st,
        format: this.format?.name,
        actions: { ...this.actionCounts },
        closedEarly: this.baseClosedEarly + this.windows.capCloses,
        lateSamples: this.windows.lateSamples.slice(),
        savedOpenWindows: keepOpen ? this.windows.openCells : 0,
        state: this.o.state,
      };
    } finally {
      this.follower.close();
    }
  }
}
