import type { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import type { Detector } from "./detectors/types";
import { SiemlabError } from "./errors";
import { parseDuration } from "./features/duration";
import type { EntityKey } from "./features/entity-key";
import { WindowAccumulator, type WindowFeatures } from "./features/window-counts";
import { AUTH_EVENT_TYPES } from "./ingest/auth-events";
import { listLogFormats } from "./ingest/formats";
import { parseLogStream, type ParseSummary } from "./ingest/parse-log";
import { writeSimulatedSamples } from "./simulate/attacks";

/** Where the CLI reads and writes (process streams by default; tests pass their own). */
export interface CliIO {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A usage error: the CLI prints it with a pointer to --help and exits with code 2. */
class UsageError extends SiemlabError {}

const HELP = `siemlab — log ingestion, windowed features and anomaly detection from the command line

Usage:
  siemlab features [FILE|-] [options]   CSV of counts per entity per window (stdout), summary (stderr)
  siemlab detect   [FILE|-] [options]   the same plus the detector's score and flag per row
  siemlab simulate --out DIR [--seed N] write the labelled attack simulator's samples
  siemlab formats                       list the log formats
  siemlab --help | --version

FILE is a log file, plain or gzip (detected by content); '-' or no FILE reads stdin.

Options for features and detect:
  --format NAME        log format, or 'auto' to detect it from the first 200 lines (default: auto)
  --by KEY             entity of each row: ip | user | host | process (default: ip)
  --event TYPE[,TYPE]  count only these event types, e.g. failed_password, accepted_password,
                       invalid_user, http_request (default: every event); see 'siemlab formats'
  --window DURATION    window length: 30s, 1m, 5m, 1h, 1d, ... (default: 1m)
  --sparse             print only non-zero rows (default: zero-filled, quiet windows print 0);
                       with detect, the detector is then fitted on the non-zero rows only
  --year YEAR          year of the first line for syslog without years (default: inferred from today)
  --tz OFFSET          time zone of timestamps without one: UTC, +02:00, -0500 (default: UTC)
  --max-line N         cut lines longer than N characters (default: 65536)

Options for detect:
  --detector NAME      detector from the registry, e.g. iforest, lof, robust-zscore (default: iforest)
  --contamination C    'auto' or the expected outlier share in (0, 0.5] (default: auto)
  --seed N             seed of the detector (default: 0)

Output: CSV 'entity,window_start,count' (window_start in ISO 8601 UTC); detect adds 'score,flag' where
score is the decision function (negative = outlier, scikit-learn's convention) and flag is 1 for outliers.
The summary on stderr gives lines read, parsed, rejected, events by type, seconds and lines per second.
Exit codes: 0 success, 1 input error (missing file, corrupt gzip), 2 bad usage.

Examples:
  siemlab features /var/log/auth.log --event failed_password --window 1m --sparse
  zcat auth.log.1.gz | siemlab detect - --event failed_password --contamination 0.01 --seed 42
  siemlab simulate --out /tmp/sim && siemlab features /tmp/sim/access.log --by ip --window 5m
`;

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
  detector: { type: "string" },
  contamination: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
} as const;

function integer(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || +v < min || +v > max) throw new UsageError(`--${name} expects an integer in [${min}, ${max}], got '${v}'`);
  return +v;
}

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
      throw new UsageError(`--by expects ip, user, host or process, got '${v}'`);
  }
}

function summaryText(s: ParseSummary, extra: string): string {
  const c = s.counts;
  const types = Object.entries(c.byEventType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t}=${n}`)
    .join(" ");
  const rate = s.seconds > 0 ? Math.round(c.read / s.seconds) : c.read;
  return (
    `siemlab: format ${s.format}; lines read ${c.read}, parsed ${c.parsed}, rejected ${c.rejected}` +
    (c.invalidUtf8 + c.truncated > 0 ? ` (invalid UTF-8 ${c.invalidUtf8}, truncated ${c.truncated})` : "") +
    `; ${s.seconds.toFixed(3)} s, ${rate} lines/s\n` +
    `siemlab: events by type: ${types || "(none)"}\n` +
    extra
  );
}

/** CSV-quote a cell when needed (entity values come from logs and may hold commas, quotes or formulas). */
function csvCell(s: string): string {
  let v = s;
  if (/^[=+\-@\t\r]/.test(v)) v = "'" + v; // neutralise spreadsheet formulas
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

async function writeAll(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", resolve));
}

async function writeCsv(out: Writable, f: WindowFeatures, sparse: boolean, extra?: { score: Float64Array; flag: Int8Array }): Promise<number> {
  const header = `entity,window_start,${f.columns.join(",")}${extra ? ",score,flag" : ""}\n`;
  let buf = header;
  let rows = 0;
  const cols = f.matrix.cols;
  const data = f.matrix.data;
  let lastEntity = "";
  let lastQuoted = "";
  for (let i = 0; i < f.matrix.rows; i++) {
    let nonZero = false;
    for (let c = 0; c < cols; c++) if (data[i * cols + c] !== 0) nonZero = true;
    if (sparse && !nonZero) continue;
    const e = f.entities[i];
    if (e !== lastEntity) {
      lastEntity = e;
      lastQuoted = csvCell(e);
    }
    let line = `${lastQuoted},${new Date(f.windowStarts[i]).toISOString()}`;
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
  return rows;
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
  const formatName = str("format") ?? "auto";
  if (formatName !== "auto" && !listLogFormats().some((f) => f.name === formatName || (f.aliases ?? []).includes(formatName))) {
    throw new UsageError(`--format expects 'auto' or one of ${listLogFormats().map((f) => f.name).join(", ")}, got '${formatName}'`);
  }
  const year = integer("year", str("year"), 1, 9999);
  const maxLine = integer("max-line", str("max-line"), 1, 1 << 30);
  let contamination: "auto" | number = "auto";
  let seed = 0;
  let detectorName = "iforest";
  if (command === "detect") {
    const c = str("contamination");
    if (c !== undefined && c !== "auto") {
      if (!/^\d*\.?\d+$/.test(c) || !(+c > 0 && +c <= 0.5)) throw new UsageError(`--contamination expects 'auto' or a number in (0, 0.5], got '${c}'`);
      contamination = +c;
    }
    seed = integer("seed", str("seed"), 0, 4294967295) ?? 0;
    detectorName = str("detector") ?? "iforest";
  } else {
    for (const k of ["detector", "contamination", "seed"]) if (values[k] !== undefined) throw new UsageError(`--${k} only applies to 'siemlab detect'`);
  }
  let det: Detector | undefined;
  if (command === "detect") {
    // Loaded on demand: the registry pulls in TensorFlow.js (the autoencoder), which `features` does not need.
    type Registry = typeof import("./detectors/registry");
    const { createDetector }: Registry = typeof require === "function" ? require("./detectors/registry") : await import("./detectors/registry");
    try {
      det = createDetector(detectorName, { contamination, seed });
    } catch (e) {
      throw new UsageError(`--detector: ${(e as Error).message}`);
    }
  }
  const sparse = values.sparse === true;
  const acc = new WindowAccumulator({ by: byKey(str("by")), window, filter: events, zeroFill: !sparse });
  const source = file === undefined || file === "-" ? io.stdin : file;
  let summary: ParseSummary;
  try {
    summary = await parseLogStream(source, { onEvent: (e) => acc.add(e) }, {
      format: formatName,
      year,
      timeZone: str("tz"),
      maxLineLength: maxLine,
    });
  } catch (e) {
    if (e instanceof SiemlabError && /timeZone|year|format/.test(e.message) && !/File|decompress/.test(e.message)) throw new UsageError(e.message);
    throw e;
  }
  const features = acc.finish();
  let extra: { score: Float64Array; flag: Int8Array } | undefined;
  let detectNote = "";
  if (command === "detect" && det) {
    if (features.matrix.rows < 2) throw new SiemlabError(`detect needs at least 2 rows of features, got ${features.matrix.rows}; check --event and --format`);
    det.fit(features.matrix);
    const score = det.decisionFunction(features.matrix);
    const flag = det.predict(features.matrix);
    let flagged = 0;
    for (const f of flag) if (f === -1) flagged++;
    extra = { score, flag };
    detectNote = `siemlab: detector ${detectorName} (contamination ${contamination}, seed ${seed}) flagged ${flagged} of ${features.matrix.rows} rows\n`;
  }
  const rows = await writeCsv(io.stdout, features, sparse, extra);
  const skipped = features.skippedNoEntity + features.skippedNoTime;
  io.stderr.write(
    summaryText(
      summary,
      `siemlab: ${features.counted} events counted${events ? ` (${events.join(", ")})` : ""}` +
        (skipped > 0 ? `, ${skipped} skipped (no ${str("by") ?? "ip"} or no time)` : "") +
        `; ${rows} rows written\n` +
        detectNote,
    ),
  );
  return 0;
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
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
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
      return await featuresCommand(command, rest[0], values, io);
    }
    if (command === "simulate") {
      if (values.out === undefined) throw new UsageError("simulate needs --out DIR");
      const seed = integer("seed", values.seed, 0, 4294967295);
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
      io.stdout.write(text);
      return 0;
    }
    throw new UsageError(`unknown command '${command}'; expected features, detect, simulate or formats`);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof SiemlabError && e.name === "OptionError")) {
      io.stderr.write(`siemlab: ${e.message}\nRun 'siemlab --help' for usage.\n`);
      return 2;
    }
    io.stderr.write(`siemlab: ${(e as Error).message}\n`);
    return 1;
  }
}
