/**
 * `siemlab watch` (follow a growing log and score its windows as they close) and `siemlab fit` (fit a
 * detector on a log's window counts and save it for `watch --model`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import { companionNote, ingestOptions, integerOption, parseCliArgs, summaryText, UsageError, withReferenceDate, type OptionValues } from "./cli-ingest";
import { withSiemlabWarnings } from "./cli-warnings";
import type { Detector } from "./detectors/types";
import type { LoadedModel } from "./detectors/model-file";
import { formatDuration, parseDuration } from "./features/duration";
import { WindowAccumulator } from "./features/window-counts";
import { AUTH_EVENT_TYPES } from "./ingest/auth-events";
import { parseLogStream } from "./ingest/parse-log";
import { didYouMean } from "./options";
import { loadPolicy } from "./respond/policy";
import { escapeControls, escapeControlsKeepLines, quotedName, safeJsonLine } from "./terminal-text";
import { watchLog, type WatchFinding, type WatchStatus, type WatchSummary } from "./watch/watcher";
import { SiemlabError } from "./errors";
import { lazyModule } from "./lazy-module";

type ModelFile = typeof import("./detectors/model-file");
type Registry = typeof import("./detectors/registry");

// Loaded on demand (model files can hold any registered detector; the registry pulls in TensorFlow.js, which
// the other commands do not need): require under CommonJS (dist/, tsx), import() where require cannot
// resolve TypeScript sources (vitest).
function modelFile(): Promise<ModelFile> {
  return lazyModule(() => require("./detectors/model-file") as ModelFile, () => import("./detectors/model-file"));
}

function registry(): Promise<Registry> {
  return lazyModule(() => require("./detectors/registry") as Registry, () => import("./detectors/registry"));
}
type IO = { readonly stdin: Readable; readonly stdout: Writable; readonly stderr: Writable };

/** Whether a loaded detector can score rows other than its training rows (LOF only with novelty: true). */
function scoresNewRows(name: string, detector: Detector, entries: Registry["detectorRegistry"]): boolean {
  const entry = entries.find((d) => d.name === name);
  if (entry?.capabilities?.scoresNewRows !== false) return true;
  return (detector as { readonly novelty?: unknown }).novelty === true;
}

/** Help text of `siemlab watch`. */
export const WATCH_HELP = `siemlab watch — follow a growing log, score each window as it closes, respond

Usage:
  siemlab watch FILE|- (--model PATH | --threshold N) [options]

Follows FILE like 'tail -F' (polling): rotation by rename (the old file is read to its end, then the new
one), truncation (read again from the start, said on stderr), a FILE that does not exist yet (waited for;
with --once an error). Rotated .gz files are not read, and a gzip FILE is refused: for one, use
'zcat FILE | siemlab watch -' or 'siemlab features FILE'. Only complete lines count: a half-written last line waits for its newline.
Events are counted per entity in windows of event time; a window closes when the latest event time minus
--lateness passes its end, and is then scored. An event for a window already closed is counted as late and
reported, never added. Flagged windows go through the response policy and are printed one per line on
stdout, their actions previewed (dry run: the CLI has no executors, whatever the policy's dryRun says); a
status line goes to stderr every --status.
Ctrl-C (SIGINT) or SIGTERM stops cleanly and prints a summary.

Options:
  --model PATH         a detector saved by 'siemlab fit' (or saveDetector): its by/window/event are the
                       defaults, and a model fitted on other features is refused
  --threshold N        the count rule 'count >= N' instead of a model
  --by KEY             ip | user | host (default: the model's, else ip)
  --event TYPE[,TYPE]  count only these event types (default: the model's, else every event)
  --window DURATION    window length, e.g. 1m, 5m (default: the model's, else 1m)
  --lateness DURATION  how late an event may arrive and still count, e.g. 30s, 2m, 0 (default: 30s)
  --idle DURATION      after this long without a new line, event time moves on with the wall clock
                       from the last event (the watermark becomes last event + quiet time - lateness),
                       so a window closes once the quiet time reaches its end + lateness - the last
                       event; with 1m windows and 30s lateness the last one closes 30-90 s after the
                       last line (never before --idle); 0 = never: windows wait for the next event
                       (default: 1m)
  --policy FILE        response policy JSON (default: data/policy/default.json)
  --audit FILE         append every response decision to FILE as JSON lines
  --json               print findings as JSON lines (windowStart, windowEnd, entity, entityType, count,
                       decision, anomalyScore, severity, detector, tier, actions) instead of text
  --state FILE         save the file's identity, offset, open windows and totals there (every 5 s and
                       on exit); a restart with the same FILE resumes without counting a line twice
                       or losing one, and its summary counts findings and actions over both runs;
                       a state file written for another FILE or other settings is refused
  --once               read to the current end (stdin: to its end; an unterminated last line too, but
                       with --state it waits for the next run), close every window, print the summary
                       and exit (with --state, a later run counts new events of those closed windows
                       as late)
  --from-end           skip what the file already holds (new lines only)
  --poll DURATION      poll interval (default: 250ms)
  --status DURATION    status line interval on stderr, 0 for none (default: 10s)
  --max-open N         bound on open (entity, window) cells; the oldest window closes early beyond it
                       (said once; the summary counts them) (default: 1000000)
  --format, --tz, --max-line, --epoch-unit   as for 'siemlab parse'
  --year YEAR          year of year-less syslog lines (default: the latest year that does not put the
                       first line read after the file's modification time, i.e. not in the future for
                       a live log; a resumed run keeps the year of its last event)

Exit codes: 0 stopped cleanly, 1 input error (bad model, policy or state file; a gzip FILE; a missing
FILE with --once), 2 bad usage.
Example:
  siemlab fit auth.log.1 --event failed_password --out model.json
  siemlab watch /var/log/auth.log --model model.json --state watch-state.json
`;

/** Help text of `siemlab fit`. */
export const FIT_HELP = `siemlab fit — fit a detector on a log's window counts and save it (for 'siemlab watch --model')

Usage:
  siemlab fit FILE|- --out MODEL.json [options]

Counts events per entity per window (the rows 'siemlab features --sparse' prints: windows with events),
fits the detector on the count column and saves it with its by/window/event settings.

Options:
  --out PATH           where to save the model (required; missing folders are created)
  --detector NAME      detector from the registry (default: iforest; lof is fitted with novelty: true,
                       so it scores new windows); on the one count column,
                       robust-zscore extrapolates (a count far above any seen scores far lower), while
                       an Isolation Forest gives every count above its training range the same score
  --contamination C    'auto' or the expected outlier share in (0, 0.5] (default: auto)
  --seed N             seed of the detector (default: 0)
  --by, --event, --window, --format, --year, --tz, --max-line, --epoch-unit   as for 'siemlab features'
`;

const COMMON = {
  help: { type: "boolean", short: "h" },
  by: { type: "string" },
  event: { type: "string" },
  window: { type: "string" },
  format: { type: "string" },
  year: { type: "string" },
  tz: { type: "string" },
  "max-line": { type: "string" },
  "epoch-unit": { type: "string" },
} as const;

const WATCH_OPTIONS = {
  ...COMMON,
  model: { type: "string" },
  threshold: { type: "string" },
  lateness: { type: "string" },
  idle: { type: "string" },
  policy: { type: "string" },
  audit: { type: "string" },
  state: { type: "string" },
  once: { type: "boolean" },
  "from-end": { type: "boolean" },
  poll: { type: "string" },
  status: { type: "string" },
  "max-open": { type: "string" },
  json: { type: "boolean" },
} as const;

const FIT_OPTIONS = {
  ...COMMON,
  out: { type: "string" },
  detector: { type: "string" },
  contamination: { type: "string" },
  seed: { type: "string" },
} as const;

const BY = ["ip", "user", "host"] as const;
const KNOWN_EVENT_TYPES: readonly string[] = [...Object.keys(AUTH_EVENT_TYPES), "http_request"];

/** An error message of a file's content on one line: control characters escaped, cut to `max` characters. */
function oneLine(text: string, max = 240): string {
  const t = escapeControls(text.replace(/\r?\n/g, "\\n"));
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function byOption(v: string | undefined): (typeof BY)[number] | undefined {
  if (v === undefined) return undefined;
  const b = v === "srcIp" || v === "src_ip" ? "ip" : v;
  if (!(BY as readonly string[]).includes(b)) throw new UsageError(`--by expects ip, user or host, got '${v}'${didYouMean(v, BY, "'")}`);
  return b as (typeof BY)[number];
}

function eventOption(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const events = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (events.length === 0) throw new UsageError("--event expects an event type such as failed_password");
  for (const t of events) {
    if (KNOWN_EVENT_TYPES.includes(t)) continue;
    const hint = didYouMean(t, KNOWN_EVENT_TYPES, "'");
    if (hint !== "") throw new UsageError(`--event: unknown event type '${t}'${hint}; 'siemlab formats' lists them`);
  }
  return events;
}

function durationOption(name: string, v: string | undefined, allowZero = false): number | undefined {
  if (v === undefined) return undefined;
  if (allowZero && /^0+(?:ms|s|m)?$/.test(v.trim())) return 0;
  try {
    return parseDuration(v, name);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message.replace(`\`${name}\` `, "")}`);
  }
}

function oneFile(positionals: readonly string[], command: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a FILE (or - for stdin)`);
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`);
  return positionals[0];
}

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : "-");

/** The status line on stderr. */
function statusLine(s: WatchStatus): string {
  return (
    `siemlab watch: lines ${s.lines}, events ${s.events}, counted ${s.counted}, open windows ${s.openWindows}, ` +
    `closed ${s.windowsClosed}, findings ${s.findings}, late ${s.late}, watermark ${iso(s.watermark)}\n`
  );
}

/** A model's setting as a string, or undefined. */
function metaString(model: LoadedModel, key: string): string | undefined {
  const v = model.metadata[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.join(",");
  return String(v);
}

/**
 * `siemlab watch FILE|-`: follow a log and score its windows as they close (see {@link WATCH_HELP}).
 * Resolves to the exit code once the watch stops (`--once`, end of stdin, SIGINT or SIGTERM).
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * const out = fs.createWriteStream("out/watch-findings.txt");
 * await watchCommand(["data/sim/auth.log", "--threshold", "20", "--event", "failed_password", "--year", "2025", "--once"], { stdin: process.stdin, stdout: out, stderr: process.stderr }) // 0
 */
export async function watchCommand(argv: readonly string[], io: IO): Promise<number> {
  return withSiemlabWarnings(io, () => watchMain(argv, io));
}

async function watchMain(argv: readonly string[], io: IO): Promise<number> {
  const parsed = parseCliArgs(argv, WATCH_OPTIONS);
  const values = parsed.values as OptionValues;
  const positionals = parsed.positionals;
  if (values.help) {
    io.stdout.write(WATCH_HELP);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  const file = oneFile(positionals, "watch");
  if (str("model") !== undefined && str("threshold") !== undefined) throw new UsageError("pass either --model or --threshold, not both");
  if (str("model") === undefined && str("threshold") === undefined) throw new UsageError("watch needs --model PATH (from 'siemlab fit') or --threshold N (the count rule count >= N)");
  let by = byOption(str("by"));
  let event = eventOption(str("event"));
  let windowMs = durationOption("window", str("window"));
  const threshold = str("threshold") === undefined ? undefined : Number(str("threshold"));
  if (threshold !== undefined && !(Number.isFinite(threshold) && /^\s*\d+(?:\.\d+)?\s*$/.test(str("threshold") as string))) {
    throw new UsageError(`--threshold expects a count such as 10, got '${str("threshold")}'`);
  }
  const lateness = durationOption("lateness", str("lateness"), true);
  const idle = durationOption("idle", str("idle"), true) ?? 60_000;
  const pollMs = durationOption("poll", str("poll"));
  const statusMs = durationOption("status", str("status"), true);
  const maxOpen = integerOption("max-open", str("max-open"), 1, 1e9);
  const parseOptions = ingestOptions(values);
  if (file === "-" && str("state") !== undefined) throw new UsageError("--state needs a FILE: stdin has no offset to resume from");
  if (file === "-" && values["from-end"] === true) throw new UsageError("--from-end needs a FILE");
  let policy: ReturnType<typeof loadPolicy> | undefined;
  if (str("policy") !== undefined) {
    try {
      policy = loadPolicy(str("policy") as string);
    } catch (e) {
      // A bad policy file is an input error (exit 1), not bad usage; its text is shown escaped, on one line.
      throw new SiemlabError(`--policy: ${oneLine((e as Error).message)}`);
    }
    // The CLI has no executors (no credentials, no side effects): actions are previewed whatever the policy says.
    if (policy.dryRun === false) {
      io.stderr.write(`siemlab: note: the policy says dryRun: false, but 'siemlab watch' has no executors: actions are previewed (dry_run) only; run them from the library (sl.respond.watchLog / executePlan with executors)\n`);
    }
  }
  let detector: Detector | undefined;
  let modelNote = "";
  if (str("model") !== undefined) {
    const modelPath = str("model") as string;
    const { loadDetector, checkModelFeatures } = await modelFile();
    let model: LoadedModel;
    try {
      model = loadDetector(modelPath);
    } catch (e) {
      if (/holds a model of kind "drain"/.test((e as Error).message)) {
        throw new SiemlabError(`${modelPath} is a Drain template file (log templates), not a detector model: pass a model saved by 'siemlab fit'`);
      }
      throw e;
    }
    try {
      checkModelFeatures(model, ["count"]);
    } catch {
      const fitted = model.featureNames !== undefined ? `features [${model.featureNames.join(", ")}]` : `${model.detector.nFeaturesIn} features (saved without names)`;
      throw new SiemlabError(
        `${modelPath}: the ${model.name} model was fitted on ${oneLine(fitted)}, but watch computes one feature per window: [count]; fit a model for watch with 'siemlab fit'`,
      );
    }
    if (!scoresNewRows(model.name, model.detector, (await registry()).detectorRegistry)) {
      throw new SiemlabError(
        `${modelPath}: this ${model.name} model scores only the rows it was fitted on (LOF without novelty: true), not new windows; ` +
          `fit it again with 'siemlab fit' (which fits LOF with novelty: true) or save it with { novelty: true }`,
      );
    }
    const mBy = metaString(model, "by");
    if (mBy !== undefined && !(BY as readonly string[]).includes(mBy === "srcIp" || mBy === "src_ip" ? "ip" : mBy)) {
      throw new SiemlabError(`${modelPath}: the model file's metadata has by '${oneLine(mBy, 40)}', which watch does not know (ip, user or host); fit the model again with 'siemlab fit --by ...'`);
    }
    const mWindow = metaString(model, "window");
    const mEvent = metaString(model, "event");
    const clash: string[] = [];
    if (mBy !== undefined && by !== undefined && byOption(mBy) !== by) clash.push(`--by ${by} (the model was fitted by ${mBy})`);
    if (mWindow !== undefined && windowMs !== undefined && parseDuration(mWindow) !== windowMs) clash.push(`--window ${str("window")} (the model was fitted on ${mWindow} windows)`);
    if (mEvent !== undefined && event !== undefined && mEvent !== event.join(",")) clash.push(`--event ${event.join(",")} (the model was fitted on ${mEvent})`);
    if (clash.length > 0) throw new UsageError(`${modelPath}: ${clash.join("; ")}; leave the option out to use the model's, or fit another model`);
    by = by ?? (mBy === undefined ? undefined : byOption(mBy));
    windowMs = windowMs ?? (mWindow === undefined ? undefined : parseDuration(mWindow));
    event = event ?? (mEvent === undefined ? undefined : mEvent.split(","));
    detector = model.detector;
    modelNote = `model ${model.name} from ${modelPath}`;
  }
  const settings =
    `${modelNote || `rule count >= ${threshold}`}; by ${by ?? "ip"}, window ${formatDuration(windowMs ?? 60_000)}, ` +
    `event ${event?.join(",") ?? "(every event)"}, lateness ${formatDuration(lateness ?? 30_000)}`;
  io.stderr.write(escapeControls(`siemlab watch: ${file === "-" ? "stdin" : file}: ${settings}`) + "\n");
  const watch = watchLog(file, {
    by,
    window: windowMs,
    event,
    lateness: lateness ?? "30s",
    idle: idle === 0 ? undefined : idle,
    detector,
    threshold,
    policy,
    audit: str("audit"),
    format: parseOptions.format,
    year: parseOptions.year,
    timeZone: parseOptions.timeZone as string | undefined,
    epochUnit: parseOptions.epochUnit,
    maxLineLength: parseOptions.maxLineLength,
    pollMs,
    once: values.once === true,
    fromEnd: values["from-end"] === true,
    state: str("state"),
    statusEveryMs: statusMs ?? 10_000,
    maxOpen,
    stdin: io.stdin,
    onFinding: (f) => io.stdout.write((values.json === true ? findingJson(f) : f.text) + "\n"),
    onNotice: (t) => io.stderr.write(`siemlab watch: ${t}\n`),
    onStatus: (s) => io.stderr.write(statusLine(s)),
  });
  let signal: string | undefined;
  const onSignal = (name: string) => () => {
    signal = name;
    void watch.stop();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  let summary: WatchSummary;
  try {
    summary = await watch.done;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  io.stderr.write(summaryLines(summary, signal));
  return 0;
}

/** A finding as one JSON line (terminal-safe: control and bidi characters escaped). */
function findingJson(w: WatchFinding): string {
  const f = w.finding;
  return safeJsonLine({
    windowStart: new Date(f.windowStart).toISOString(),
    windowEnd: new Date(f.windowEnd).toISOString(),
    entity: f.entity,
    entityType: f.entityType,
    count: f.features.count,
    decision: f.decision,
    anomalyScore: f.anomalyScore,
    severity: f.severity,
    detector: f.detector,
    tier: w.tier ?? null,
    actions: w.actions.map((a) => ({ action: a.action, target: a.target, status: a.status, dryRun: a.dryRun })),
  });
}

/** The exit summary on stderr. */
function summaryLines(s: WatchSummary, signal: string | undefined): string {
  const actions = Object.entries(s.actions).map(([k, n]) => `${k} ${n}`).join(", ");
  let text =
    `siemlab watch: stopped${signal ? ` (${signal})` : ""}: format ${s.format ?? "(no line read)"}; lines ${s.lines}, events ${s.events}, ` +
    `rejected ${s.rejected}; counted ${s.counted}, late ${s.late}, skipped ${s.skipped} (no entity or time); ` +
    `windows closed ${s.windowsClosed}${s.closedEarly > 0 ? ` (${s.closedEarly} early, beyond --max-open)` : ""}, findings ${s.findings}${actions ? ` (actions: ${actions})` : ""}` +
    `${s.state !== undefined ? " (totals include resumed runs)" : ""}\n`;
  if (s.state !== undefined) text += `siemlab watch: state saved to ${s.state}${s.savedOpenWindows > 0 ? ` with ${s.savedOpenWindows} open window(s), scored after a restart` : ""}\n`;
  for (const l of s.lateSamples.slice(0, 3)) text += `siemlab watch: late: line ${l.lineNo} ${quotedName(l.entity)} at ${iso(l.time)} (window ${iso(l.windowStart)} closed before ${iso(l.closedUpTo)})\n`;
  return escapeControlsKeepLines(text);
}

/**
 * `siemlab fit FILE --out MODEL.json`: fit a detector on the log's non-empty window counts and save it with
 * its settings (see {@link FIT_HELP}). Resolves to the exit code.
 *
 * @example
 * await fitCommand(["data/sim/auth.log", "--event", "failed_password", "--year", "2025", "--out", "out/fit-model.json"], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }) // 0
 */
export async function fitCommand(argv: readonly string[], io: IO): Promise<number> {
  return withSiemlabWarnings(io, () => fitMain(argv, io));
}

async function fitMain(argv: readonly string[], io: IO): Promise<number> {
  const parsed = parseCliArgs(argv, FIT_OPTIONS);
  const values = parsed.values as OptionValues;
  const positionals = parsed.positionals;
  if (values.help) {
    io.stdout.write(FIT_HELP);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  const file = oneFile(positionals, "fit");
  const out = str("out");
  if (out === undefined) throw new UsageError("fit needs --out PATH (where to save the model)");
  const by = byOption(str("by")) ?? "ip";
  const event = eventOption(str("event"));
  const window = str("window") ?? "1m";
  durationOption("window", window);
  const c = str("contamination");
  let contamination: "auto" | number = "auto";
  if (c !== undefined && c !== "auto") {
    if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(c) || !(+c > 0 && +c <= 0.5)) throw new UsageError(`--contamination expects 'auto' or a number in (0, 0.5], got '${c}'`);
    contamination = +c;
  }
  const seed = integerOption("seed", str("seed"), 0, 4294967295) ?? 0;
  const detectorName = str("detector") ?? "iforest";
  const { createDetector, detectorRegistry } = await registry();
  let det: Detector;
  try {
    // watch scores new windows: LOF must be fitted for novelty detection (scikit-learn's novelty=True).
    det = createDetector(detectorName, { contamination, seed, ...(detectorName === "lof" ? { novelty: true } : {}) });
  } catch (e) {
    throw new UsageError(`--detector: ${(e as Error).message}`);
  }
  if (!scoresNewRows(detectorName, det, detectorRegistry)) throw new UsageError(`--detector ${detectorName} scores only its training rows, so 'siemlab watch' could not use it on new windows; pick another detector`);
  const parseOptions = ingestOptions(values);
  const acc = new WindowAccumulator({ by: by === "ip" ? "srcIp" : by, window, filter: event, zeroFill: false });
  const source = file === "-" ? io.stdin : file;
  const summary = await parseLogStream(source, { onEvent: (e) => acc.add(e) }, withReferenceDate(parseOptions, source));
  const f = acc.finish();
  if (f.matrix.rows < 2) throw new SiemlabError(`fit needs at least 2 windows with events, got ${f.matrix.rows}; check --event and --format`);
  det.fit(f.matrix);
  let flagged = 0;
  for (const p of det.predict(f.matrix)) if (p === -1) flagged++;
  const { saveDetector } = await modelFile();
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  saveDetector(det, out, {
    featureNames: ["count"],
    metadata: { by, window, event: event?.join(",") ?? null, contamination, seed, rows: f.matrix.rows, source: file === "-" ? "stdin" : file, format: summary.format },
  });
  io.stderr.write(
    summaryText(summary, "") +
      escapeControls(`siemlab: fitted ${detectorName} (contamination ${contamination}, seed ${seed}) on ${f.matrix.rows} windows (by ${by}, window ${window}, event ${event?.join(",") ?? "every event"}); it flags ${flagged} of them; saved to ${out}`) +
      "\n" +
      companionNote(f.skippedCompanions),
  );
  return 0;
}
