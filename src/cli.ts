import type { Readable, Writable } from "node:stream";
import type { Detector } from "./detectors/types";
import { SiemlabError } from "./errors";
import { formatDuration, parseDuration } from "./features/duration";
import { resolveTimeZone } from "./ingest/time-zone";
import type { EntityKey } from "./features/entity-key";
import { WindowAccumulator, type WindowFeatures } from "./features/window-counts";
import { featurizeLog } from "./features/featurize-log";
import { availableParallelism } from "node:os";
import { AUTH_EVENT_TYPES } from "./ingest/auth-events";
import { listLogFormats } from "./ingest/formats";
import { parseLogStream, type ParseSummary } from "./ingest/parse-log";
import { closestName, didYouMean } from "./options";
import { writeSimulatedSamples } from "./simulate/attacks";
import { companionNote, ingestOptions, integerOption, parseCliArgs, RejectSample, summaryText, UsageError, withReferenceDate, writeAll } from "./cli-ingest";
import { parseCommand } from "./cli-parse";
import { withSiemlabWarnings } from "./cli-warnings";
import { loadCommand, STORE_CLI_OPTIONS, STORE_HELP, storeFeatures } from "./cli-load";
import { csvCell, escapeControlsKeepLines } from "./terminal-text";
import { lazyModule } from "./lazy-module";
import type { ZeroFillCap } from "./features/zero-fill-cap";

/** Where the CLI reads and writes (process streams by default; tests pass their own). */
export interface CliIO {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}


const HELP = `siemlab — log ingestion, windowed features and anomaly detection from the command line

Usage:
  siemlab features [FILE|-] [options]   CSV of counts per entity per window (stdout), summary (stderr)
  siemlab detect   [FILE|-] [options]   the same plus the detector's score and flag per row
  siemlab parse    [FILE|-] [options]   the parsed events as JSON lines (or CSV), rejects on stderr
  siemlab simulate --out DIR [--seed N] write the labelled attack simulator's samples
  siemlab rules    [FILE|-] --rules DIR Sigma rules and correlations: alerts as JSON lines (rules --help)
  siemlab watch    FILE|- --model PATH  follow a growing log, score windows as they close (watch --help)
  siemlab fit      FILE --out PATH      fit a detector on window counts and save it for watch (fit --help)
  siemlab formats                       list the log formats
  siemlab load     FILE... --into STORE store parsed events in DuckDB or ClickHouse (see below)
  siemlab --help | --version

FILE is a log file, plain or gzip (detected by content); '-' or no FILE reads stdin.

Options for features, detect and parse (reading the log):
  --format NAME        log format, or 'auto' to detect it from the first 200 lines: the format that
                       yields the most complete events (time, entity, event type) wins, and the
                       summary gives its confidence and the runner-up (default: auto)
  --year YEAR          year of the first line for syslog without years (default: inferred from the
                       file's modification time, or now for stdin; the year chosen is shown)
  --tz ZONE            time zone of timestamps without one: UTC, +02:00, -0500, or an IANA name such
                       as Europe/Berlin (daylight saving: a repeated hour reads as its first pass, a
                       skipped hour is moved forward; stamps with their own offset keep it)
                       (default: UTC)
  --epoch-unit UNIT    unit of numeric JSON/CSV timestamps: s, ms, us, ns, or auto (by magnitude:
                       1e8 <= s < 1e11 <= ms < 1e14 <= us < 1e17 <= ns < 1e20) (default: auto)
  --max-line N         cut lines longer than N characters (default: 65536)
  --max-bytes N        stop after N bytes of (decompressed) input, e.g. 512M, 2G (default: no limit)

Options for features and detect:
  --by KEY             entity of each row: ip | user | host | process (default: ip)
  --event TYPE[,TYPE]  count only these event types, e.g. failed_password, accepted_password,
                       invalid_user, http_request (default: every event); see 'siemlab formats'
  --window DURATION    window length: 30s, 1m, 5m, 1h, 1d, ... (default: 1m); windows start at
                       multiples of it since 1970-01-01 UTC, as Elastic's bucket span does: a 1d
                       window is a UTC day, whatever --tz says (the summary says so)
  --sparse             print only non-zero rows (default: zero-filled, quiet windows print 0);
                       with detect, the detector is then fitted on the non-zero rows only
  --max-rows N         bound on zero-filled rows (default: 2000000); past it only the densest span of
                       windows is zero-filled, events outside it are rows of their own, and the
                       summary says which were left outside (one event years away never aborts a run)
  --threads N          parse a file of 8 MiB or more (syslog, CSV, JSON lines, access log) on N threads:
                       byte ranges at line starts (plain) or blocks of the inflated text (gzip); results
                       identical to one thread; stdin is read on one thread (default: all cores;
                       more than the cores is allowed, with a note: they only take turns)

Options for detect:
  --detector NAME      detector from the registry, e.g. iforest, lof, robust-zscore (default: iforest)
  --contamination C    'auto' or the expected outlier share in (0, 0.5] (default: auto)
  --seed N             seed of the detector (default: 0)

Options for parse:
  --csv                write CSV (lineNo,time,eventType,outcome,user,srcIp,srcPort,host,process,pid,
                       level,message,fields,companionOf,folded,companionType) instead of JSON lines
  --rejects FILE       write the rejects to FILE as JSON lines {lineNo, reason, raw} instead of stderr

${STORE_HELP.trimStart()}
Output: features/detect write CSV 'entity,window_start,count' (window_start in ISO 8601 UTC); detect
adds 'score,flag' where score is the decision function (negative = outlier, scikit-learn's convention)
and flag is 1 for outliers. parse writes one JSON object per event: lineNo, time (ISO 8601 UTC or null),
eventType, outcome, user, srcIp, srcPort, host, process, pid, level, message, fields, companionOf (the
line of the sshd record this PAM / Invalid-user record belongs to), companionType (that record's event
type: siemlab's counts skip the companion when they count that type too), folded (N of a 'repeated N
times' line); absent ones are left out. Rejects go to stderr
as 'line N: reason: "raw"'. Every command writes a summary on stderr: format,
lines read, parsed, rejected, events by type, seconds and lines per second; features/detect also show the
first rejects with their line numbers and reasons.
Text from the log is never written raw: control characters (ESC, C0, C1) and bidi overrides are escaped
(\\x1b, \\u202e); CSV cells starting with = + - @ get a leading ' so spreadsheets do not run them (OWASP);
the JSON output of parse escapes them as \\uXXXX escapes and stays exact.
Exit codes: 0 success (rejected lines included), 1 input error (missing file; damaged or truncated gzip
or --max-bytes reached: what could be read is written first, like gzip -d), 2 bad usage.

Examples:
  siemlab features /var/log/auth.log --event failed_password --window 1m --sparse
  zcat auth.log.1.gz | siemlab detect - --event failed_password --contamination 0.01 --seed 42
  siemlab parse app.jsonl --tz Europe/Berlin --rejects rejects.jsonl | jq -r .srcIp | sort | uniq -c
  siemlab simulate --out /tmp/sim && siemlab features /tmp/sim/access.log --by ip --window 5m
`;

/** Event types the parsers produce for auth logs and access logs (the `--event` typo check). */
const KNOWN_EVENT_TYPES: readonly string[] = [...Object.keys(AUTH_EVENT_TYPES), "http_request"];

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  format: { type: "string" },
  by: { type: "string" },
  event: { type: "string" },
  window: { type: "string" },
  sparse: { type: "boolean" },
  year: { type: "string" },
  tz: { type: "string" },
  "max-line": { type: "string" },
  "max-bytes": { type: "string" },
  "max-rows": { type: "string" },
  "epoch-unit": { type: "string" },
  csv: { type: "boolean" },
  rejects: { type: "string" },
  detector: { type: "string" },
  contamination: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  ...STORE_CLI_OPTIONS,
  threads: { type: "string" },
} as const;

function byKey(v: string | undefined): EntityKey {
  switch (v ?? "ip") {
    case "ip":
    case "srcIp":
    case "src_ip":
      return "srcIp";
    case "user":
      return "user";
    case "host":
      return "host";
    case "process":
      return "process";
    default:
      throw new UsageError(`--by expects ip, user, host or process, got '${v}'${didYouMean(String(v), ["ip", "user", "host", "process"], "'")}`);
  }
}

/** Write the rows as CSV; resolves to the rows written and how many of them hold a non-zero value. */
async function writeCsv(out: Writable, f: WindowFeatures, sparse: boolean, extra?: { score: Float64Array; flag: Int8Array }): Promise<{ rows: number; nonZero: number }> {
  const header = `entity,window_start,${f.columns.join(",")}${extra ? ",score,flag" : ""}\n`;
  let buf = header;
  let rows = 0;
  let nonZeroRows = 0;
  const cols = f.matrix.cols;
  const data = f.matrix.data;
  let lastEntity = "";
  let lastQuoted = "";
  // Window starts repeat across entities: each ISO text is made once, kept by window index (a small integer).
  const w0 = Number.isFinite(f.start) ? Math.floor(f.start / f.windowMs) : 0;
  const span = Number.isFinite(f.end) ? Math.floor(f.end / f.windowMs) - w0 + 1 : 0;
  const isoOf: (string | undefined)[] = new Array(span > 0 && span < 1 << 24 ? span : 0);
  for (let i = 0; i < f.matrix.rows; i++) {
    let nonZero = false;
    for (let c = 0; c < cols; c++) if (data[i * cols + c] !== 0) nonZero = true;
    if (nonZero) nonZeroRows++;
    if (sparse && !nonZero) continue;
    const e = f.entities[i];
    if (e !== lastEntity) {
      lastEntity = e;
      lastQuoted = csvCell(e);
    }
    const ws = f.windowStarts[i];
    const k = ws / f.windowMs - w0;
    const inSpan = k >= 0 && k < isoOf.length;
    let iso = inSpan ? isoOf[k] : undefined;
    if (iso === undefined) {
      iso = new Date(ws).toISOString();
      if (inSpan && Number.isInteger(k)) isoOf[k] = iso;
    }
    let line = `${lastQuoted},${iso}`;
    for (let c = 0; c < cols; c++) line += `,${data[i * cols + c]}`;
    if (extra) line += `,${+extra.score[i].toPrecision(6)},${extra.flag[i] === -1 ? 1 : 0}`;
    buf += line + "\n";
    rows++;
    if (buf.length > 1 << 16) {
      await writeAll(out, buf);
      buf = "";
    }
  }
  await writeAll(out, buf);
  return { rows, nonZero: nonZeroRows };
}

async function featuresCommand(
  command: "features" | "detect",
  file: string | undefined,
  values: Record<string, string | boolean | undefined>,
  io: CliIO,
): Promise<number> {
  const str = (k: string) => values[k] as string | undefined;
  const window = str("window") ?? "1m";
  try {
    parseDuration(window);
  } catch (e) {
    throw new UsageError(`--window: ${(e as Error).message.replace("`window` ", "")}`);
  }
  const events = str("event")?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (str("event") !== undefined && (events === undefined || events.length === 0)) throw new UsageError("--event expects an event type such as failed_password");
  for (const t of events ?? []) {
    // A near miss of a known type is a typo (exit 2), not a request for an empty CSV; other names may be
    // event types of JSON/CSV logs, checked against what the input held once it is read.
    const near = KNOWN_EVENT_TYPES.includes(t) ? undefined : closestName(t, KNOWN_EVENT_TYPES);
    if (near !== undefined) throw new UsageError(`--event: unknown event type '${t}' (did you mean '${near}'?); 'siemlab formats' lists them`);
  }
  for (const k of ["csv", "rejects"]) if (values[k] !== undefined) throw new UsageError(`--${k} only applies to 'siemlab parse'`);
  const parseOptions = ingestOptions(values);
  const maxRows = integerOption("max-rows", str("max-rows"), 1, 1e9) ?? CLI_MAX_ROWS;
  let contamination: "auto" | number = "auto";
  let seed = 0;
  let detectorName = "iforest";
  if (command === "detect") {
    const c = str("contamination");
    if (c !== undefined && c !== "auto") {
      if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(c) || !(+c > 0 && +c <= 0.5)) throw new UsageError(`--contamination expects 'auto' or a number in (0, 0.5], got '${c}'`);
      contamination = +c;
    }
    seed = integerOption("seed", str("seed"), 0, 4294967295) ?? 0;
    detectorName = str("detector") ?? "iforest";
  } else {
    for (const k of ["detector", "contamination", "seed"]) if (values[k] !== undefined) throw new UsageError(`--${k} only applies to 'siemlab detect'`);
  }
  let det: Detector | undefined;
  if (command === "detect") {
    // Loaded on demand: the registry pulls in TensorFlow.js (the autoencoder), which `features` does not need.
    const { createDetector } = await lazyModule(() => require("./detectors/registry") as typeof import("./detectors/registry"), () => import("./detectors/registry"));
    try {
      det = createDetector(detectorName, { contamination, seed });
    } catch (e) {
      throw new UsageError(`--detector: ${(e as Error).message}`);
    }
  }
  const sparse = values.sparse === true;
  const rejects = new RejectSample(5);
  let summary: ParseSummary | undefined;
  let features: WindowFeatures;
  let storeNote = "";
  const windowOptions = { by: byKey(str("by")), window, filter: events, zeroFill: !sparse, maxRows };
  if (str("from") !== undefined) {
    // A column store (src/cli-load.ts): the same options, counted there; the output is the file path's.
    if (file !== undefined) throw new UsageError(`give either a FILE or --from, not both`);
    if (values.threads !== undefined) throw new UsageError(`--threads applies to reading a file, not to --from (the store aggregates)`);
    ({ features, summary: storeNote } = await storeFeatures(str("from")!, windowOptions, values));
  } else {
    for (const k of ["into", "batch", "max-cells"]) if (values[k] !== undefined) throw new UsageError(`--${k} only applies to 'siemlab load' or with --from`);
    if (values.reload !== undefined) throw new UsageError("--reload only applies to 'siemlab load'");
    new WindowAccumulator(windowOptions); // option errors before reading
    const cores = availableParallelism();
    const threads = integerOption("threads", str("threads"), 1, 1024) ?? cores;
    // More threads than cores: they take turns on the cores, each with its own read buffers (64 on 2 cores ran
    // 3.5× slower in 1.2 GB). Not refused: tests and comparisons may want the split itself.
    if (threads > cores) io.stderr.write(`siemlab: note: --threads ${threads} is more than this machine's ${cores} core${cores === 1 ? "" : "s"}: the extra threads take turns (slower, more memory); --threads ${cores} is the fastest here\n`);
    const source = file === undefined || file === "-" ? io.stdin : file;
    try {
      ({ summary, features } = await featurizeLog(source, { parse: withReferenceDate(parseOptions, source), window: windowOptions, threads, onReject: (r) => rejects.add(r) }));
    } catch (e) {
      if (e instanceof SiemlabError && /timeZone|year|format/.test(e.message) && !/File|decompress/.test(e.message)) throw new UsageError(e.message);
      throw e;
    }
  }
  let extra: { score: Float64Array; flag: Int8Array } | undefined;
  let detectNote = "";
  if (command === "detect" && det) {
    if (features.matrix.rows < 2) {
      const by = str("by") ?? "ip";
      const why =
        features.skippedNoEntity > 0
          ? `${features.skippedNoEntity} of the ${features.counted + features.skippedNoEntity + features.skippedNoTime} events have no ${by}: try ${otherKeys(by)}`
          : "check --event and --format";
      throw new SiemlabError(`detect needs at least 2 rows of features, got ${features.matrix.rows}; ${why}`);
    }
    det.fit(features.matrix);
    const score = det.decisionFunction(features.matrix);
    const flag = det.predict(features.matrix);
    let flagged = 0;
    for (const f of flag) if (f === -1) flagged++;
    extra = { score, flag };
    detectNote =
      `siemlab: detector ${detectorName} (contamination ${contamination}, seed ${seed}) flagged ${flagged} of ${features.matrix.rows} rows\n` +
      contaminationNote(contamination, score, flagged, features.matrix, sparse);
  }
  const { rows, nonZero } = await writeCsv(io.stdout, features, sparse, extra);
  const seen = Object.keys(summary?.counts.byEventType ?? {});
  for (const t of summary ? (events ?? []) : []) {
    if (summary!.counts.byEventType[t] === undefined) {
      io.stderr.write(`siemlab: warning: no '${t}' event in the input${didYouMean(t, seen, "'")}; types seen: ${seen.join(", ") || "(none)"}\n`);
    }
  }
  const skipped = features.skippedNoEntity + features.skippedNoTime;
  io.stderr.write(
    (summary ? (x: string) => summaryText(summary!, x) : (x: string) => storeNote + escapeControlsKeepLines(x))(
      rejects.text() +
        `siemlab: ${features.counted} events counted${events ? ` (${events.join(", ")})` : ""}` +
        (skipped > 0 ? `, ${skipped} skipped (no ${str("by") ?? "ip"} or no time${features.counted === 0 && features.skippedNoEntity > 0 ? `: try ${otherKeys(str("by") ?? "ip")}` : ""})` : "") +
        `; ${rows} row${rows === 1 ? "" : "s"} written\n` +
        (features.zeroFillCap ? capText(features.zeroFillCap, features.windowMs) : "") +
        zoneAlignmentNote(str("tz"), features) +
        companionNote(features.skippedCompanions) +
        // A log spread over weeks zero-fills to millions of rows: say how few hold anything.
        (!sparse && rows >= 100_000 && nonZero * 100 < rows ? `siemlab: note: ${nonZero} of the ${rows} rows are non-zero (every quiet window of every entity is a row of zeros); --sparse writes only those ${nonZero}\n` : "") +
        detectNote,
    ),
  );
  return summary?.readError === undefined ? 0 : 1;
}

/** Default bound on zero-filled rows for the CLI (a CSV of ~100 MB); --max-rows changes it. */
const CLI_MAX_ROWS = 2_000_000;

/** What a bounded zero-fill left out, for the summary. */
function capText(cap: ZeroFillCap, windowMs: number): string {
  const iso = (t: number) => new Date(t).toISOString();
  const span = Number.isFinite(cap.filledStart) ? `${iso(cap.filledStart)} … ${iso(cap.filledEnd + windowMs)}` : "no window";
  const examples = cap.outside.slice(0, 5).map((k) => `${k.entity} at ${iso(k.windowStart)}`).join(", ");
  return (
    `siemlab: zero-fill bounded by --max-rows ${cap.maxRows} (a full zero-fill would be ${cap.rowsWanted} rows): zeros filled only over ${span}; ` +
    `${cap.cellsOutside} (entity, window) cell${cap.cellsOutside === 1 ? "" : "s"}` +
    (cap.eventsOutside !== undefined ? ` with ${cap.eventsOutside} event${cap.eventsOutside === 1 ? "" : "s"}` : "") +
    ` ${cap.cellsOutside === 1 ? "lies" : "lie"} outside and ${cap.cellsOutside === 1 ? "is" : "are"} written as rows of their own, without zeros around them: ${examples}${cap.cellsOutside > 5 ? ", …" : ""}\n`
  );
}

/**
 * Run the siemlab command line with arguments (without `node` and the script) and streams; resolves to
 * the exit code: 0 success, 1 input error, 2 bad usage.
 *
 * @example
 * await runCli(["features", "data/sim/auth.log", "--event", "failed_password", "--sparse"]);
 */
export async function runCli(argv: readonly string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    if (argv[0] === "rules") {
      // Own options: src/cli-rules.ts, loaded when used (Sigma and YAML cost ~60 ms of every start-up).
      const { rulesCommand } = await lazyModule(() => require("./cli-rules") as typeof import("./cli-rules"), () => import("./cli-rules"));
      return await rulesCommand(argv.slice(1), io);
    }
    // Own options: src/cli-watch.ts, loaded only for these two commands (it pulls in the response modules).
    if (argv[0] === "watch") return await (await import("./cli-watch")).watchCommand(argv.slice(1), io);
    if (argv[0] === "fit") return await (await import("./cli-watch")).fitCommand(argv.slice(1), io);
    const { values, positionals } = parseCliArgs(argv, OPTIONS);
    if (values.version) {
      io.stdout.write("siemlab 0.1.0\n");
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      io.stdout.write(HELP);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === "features" || command === "detect") {
      if (rest.length > 1) throw new UsageError(`expected one FILE, got ${rest.length}: ${rest.join(" ")}`);
      if (values.out !== undefined) throw new UsageError("--out only applies to 'siemlab simulate'");
      // A detector's own warnings (LOF's repeated rows) as `siemlab: warning:` lines, not Node's block.
      return await withSiemlabWarnings(io, () => featuresCommand(command, rest[0], values, io));
    }
    if (command === "load") return await loadCommand(rest, values, io); // src/cli-load.ts
    if (command === "parse") {
      if (rest.length > 1) throw new UsageError(`expected one FILE, got ${rest.length}: ${rest.join(" ")}`);
      if (values.threads !== undefined) throw new UsageError("--threads only applies to 'siemlab features' and 'siemlab detect'");
      return await parseCommand(rest[0], values, io);
    }
    if (command === "simulate") {
      if (values.out === undefined) throw new UsageError("simulate needs --out DIR");
      const seed = integerOption("seed", values.seed, 0, 4294967295);
      const files = writeSimulatedSamples(values.out, { seed });
      io.stderr.write(`siemlab: wrote ${files.join(", ")}\n`);
      return 0;
    }
    if (command === "formats") {
      let text = "Formats (--format):\n";
      for (const f of listLogFormats()) text += `  ${f.name.padEnd(13)} ${f.description}${f.aliases?.length ? ` [aliases: ${f.aliases.join(", ")}]` : ""}\n`;
      text += "\nEvent types from syslog auth messages (--event):\n";
      for (const [t, d] of Object.entries(AUTH_EVENT_TYPES)) text += `  ${t.padEnd(30)} ${d}\n`;
      text += "  http_request                   access log lines (apache/nginx)\n";
      text += "  access_denied, auth_failure,   Apache error log lines (auth_failure: basic/digest user and\n";
      text += "  file_not_found, client_error,  password failures, with the user); server_message has no client\n";
      text += "  server_message\n";
      io.stdout.write(text);
      return 0;
    }
    const commands = ["features", "detect", "parse", "load", "rules", "watch", "fit", "simulate", "formats"];
    throw new UsageError(`unknown command '${command}'${didYouMean(String(command), commands, "'")}; expected features, detect, parse, load, rules, watch, fit, simulate or formats`);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof SiemlabError && e.name === "OptionError")) {
      io.stderr.write(escapeControlsKeepLines(`siemlab: ${e.message}\nRun 'siemlab --help' for usage.\n`));
      return 2;
    }
    io.stderr.write(escapeControlsKeepLines(`siemlab: ${(e as Error).message}\n`));
    return 1;
  }
}

/**
 * Why `detect` flagged other than the share asked for, or "": with a number, rows that tie at the threshold
 * are inliers (as in scikit-learn), so identical rows — zero-filled quiet windows above all — can leave far
 * fewer flagged than `contamination × rows`; with 'auto' the detector's own threshold decides, which on a
 * real log can flag half of it.
 *
 * @example
 * contaminationNote(0.5, Float64Array.of(-1, 0, 0, 0), 1, { rows: 4, cols: 1, data: Float64Array.of(9, 0, 0, 0) }, false)
 * // "siemlab: note: contamination 0.5 asks for about 2 of 4 rows; 1 flagged: 3 rows score exactly at the threshold and ties are inliers (as in scikit-learn) — 3 of them zero-filled quiet windows, all alike; --sparse scores only the windows with events\n"
 */
export function contaminationNote(
  contamination: "auto" | number,
  decision: Float64Array,
  flagged: number,
  matrix: { readonly rows: number; readonly cols: number; readonly data: Float64Array },
  sparse: boolean,
): string {
  const n = matrix.rows;
  if (contamination === "auto") {
    if (flagged <= 0.1 * n) return "";
    return `siemlab: note: contamination auto flagged ${Math.round((100 * flagged) / n)} % of the rows (the detector's own threshold, not a share); pass --contamination 0.01 to flag the 1 % most unusual\n`;
  }
  const asked = Math.round(contamination * n);
  if (flagged >= asked) return "";
  let tied = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    if (decision[i] !== 0) continue;
    tied++;
    let zero = true;
    for (let j = 0; j < matrix.cols && zero; j++) zero = matrix.data[i * matrix.cols + j] === 0;
    if (zero) zeros++;
  }
  if (tied === 0) return "";
  return (
    `siemlab: note: contamination ${contamination} asks for about ${asked} of ${n} rows; ${flagged} flagged: ${tied} rows score exactly at the threshold and ties are inliers (as in scikit-learn)` +
    (zeros > 0 && !sparse ? ` — ${zeros} of them zero-filled quiet windows, all alike; --sparse scores only the windows with events` : "") +
    "\n"
  );
}

/**
 * A note when `--tz` names a zone whose offset is not a whole number of windows: windows are aligned to UTC
 * (epoch multiples of the window, as Elastic's bucket span), so a 1d window is not the zone's local day.
 * Says at what local time the windows start, at the first window. "" when nothing needs saying.
 *
 * @example
 * zoneAlignmentNote("America/New_York", { windowMs: 86_400_000, counted: 2, start: Date.UTC(2025, 2, 6) })
 * // "siemlab: note: windows are aligned to UTC, not to --tz America/New_York: the 1d windows start at 19:00 local time (UTC-05:00 on 2025-03-05)\n"
 */
export function zoneAlignmentNote(tz: string | undefined, f: { readonly windowMs: number; readonly counted: number; readonly start: number }): string {
  if (tz === undefined || f.counted === 0 || !Number.isFinite(f.start) || f.windowMs < 3_600_000) return "";
  const zone = resolveTimeZone(tz);
  const start = Math.floor(f.start / f.windowMs) * f.windowMs;
  const offset = zone.offsetAt(start) * 60_000;
  if (offset % f.windowMs === 0) return "";
  const local = new Date(start + offset).toISOString().slice(11, 16);
  const a = Math.abs(offset / 60_000);
  const utc = `UTC${offset < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  return `siemlab: note: windows are aligned to UTC, not to --tz ${escapeControlsKeepLines(tz)}: the ${formatDuration(f.windowMs)} windows start at ${f.windowMs < 86_400_000 && 3_600_000 % f.windowMs === 0 ? `${local.slice(2)} past each local hour` : `${local} local time`} (${utc} on ${new Date(start + offset).toISOString().slice(0, 10)})\n`;
}

/** The other `--by` keys, as a hint when no event has the one asked for. @example otherKeys("ip") // "--by user or --by host" */
export function otherKeys(by: string): string {
  return ["ip", "user", "host"].filter((k) => k !== by).map((k) => `--by ${k}`).join(" or ");
}
