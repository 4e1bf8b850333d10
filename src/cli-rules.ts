import * as fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { eventRecord } from "./cli-parse";
import { ingestOptions, parseCliArgs, summaryText, UsageError, withReferenceDate, writeAll } from "./cli-ingest";
import type { LogEvent } from "./events";
import { parseDuration } from "./features/duration";
import { parseLogStream } from "./ingest/parse-log";
import { didYouMean, formatDiagnostic } from "./rules/rule-diagnostic";
import type { SigmaFieldSource } from "./rules/sigma-field-map";
import { loadSigmaRules } from "./rules/sigma-rule-set";
import { runSigmaRules, type SigmaRuleSet } from "./rules/sigma-rule-set";
import { sigmaAlertsToFindings } from "./rules/sigma-findings";
import { parseSigmaYaml } from "./rules/sigma-yaml";
import { safeJsonLine } from "./terminal-text";

/** Help text of `siemlab rules`. */
export const RULES_HELP = `siemlab rules — run Sigma detection and correlation rules over a log

Usage:
  siemlab rules [FILE|-] --rules DIR|FILE [--rules ...] [options]

Writes one JSON line per alert (a response finding plus the rule, firedAt and the matched events) on
stdout, and the parse summary, rule diagnostics and alerts per rule on stderr. A rule that does not load
is a diagnostic; the other rules still run.

Options:
  --rules PATH         a Sigma rule file or a directory of .yml/.yaml files (repeatable; required)
  --mapping FILE       YAML/JSON map of extra field mappings: Sigma field name -> siemlab path, e.g.
                       'CommandLine: fields.command' or 'ClientIP: srcIp'
  --mode MODE          correlation firing: 'window' (once per group per timespan, default) or 'every'
                       (at every event whose trailing window meets the condition)
  --group-within DUR   join matches of one detection rule for one entity within DUR into one alert
                       (default 1m; 0 = one alert per matching event)
  --max-events N       matched events written per alert (default 100; the count is always complete)
  --format, --year, --tz, --max-line, --max-bytes, --epoch-unit   as for 'siemlab parse'

Exit codes: 0 rules ran, 1 input error, no rule loaded, or a rule with errors (the others still ran
and their alerts were written: a CI job fails on a broken rule pack), 2 bad usage.
`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  rules: { type: "string", multiple: true },
  mapping: { type: "string" },
  mode: { type: "string" },
  "group-within": { type: "string" },
  "max-events": { type: "string" },
  format: { type: "string" },
  year: { type: "string" },
  tz: { type: "string" },
  "max-line": { type: "string" },
  "max-bytes": { type: "string" },
  "epoch-unit": { type: "string" },
} as const;

const EVENT_PATHS = ["lineNo", "time", "host", "process", "pid", "level", "eventType", "user", "srcIp", "srcPort", "outcome", "message"];

/**
 * Read a `--mapping` file: a YAML (or JSON) map from Sigma field names to siemlab paths (`srcIp`,
 * `fields.command`, …). Throws a usage error naming the bad entry.
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * fs.writeFileSync("out/site-mapping.yml", "CommandLine: fields.command\nc-ip: srcIp\n");
 * readFieldMappingFile("out/site-mapping.yml") // { CommandLine: "fields.command", "c-ip": "srcIp" }
 * fs.writeFileSync("out/site-mapping.yml", "c-ip: srcIP\n");
 * readFieldMappingFile("out/site-mapping.yml") // throws: 'c-ip' maps to "srcIP" (did you mean 'srcIp'?)
 */
export function readFieldMappingFile(file: string): Record<string, SigmaFieldSource> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--mapping: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const y = parseSigmaYaml(text, { file });
  if (y.diagnostics.length > 0) throw new UsageError(`--mapping: ${formatDiagnostic(y.diagnostics[0])}`);
  const v = y.documents[0]?.value;
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UsageError(`--mapping: ${file} must hold a map of Sigma field -> siemlab path`);
  const out: Record<string, SigmaFieldSource> = {};
  for (const [k, p] of Object.entries(v as Record<string, unknown>)) {
    if (typeof p !== "string" || !(EVENT_PATHS.includes(p) || /^fields\.\S+$/.test(p))) {
      const hint = typeof p === "string" ? didYouMean(p, EVENT_PATHS) : "";
      throw new UsageError(`--mapping: '${k}' maps to ${JSON.stringify(p)}${hint}; expected one of ${EVENT_PATHS.join(", ")} or fields.NAME`);
    }
    out[k] = p;
  }
  return out;
}

/**
 * `siemlab rules FILE --rules DIR`: parse the log, run the Sigma rules (see `runSigmaRules`), write alerts
 * as JSON lines on stdout and the summary on stderr. Resolves to the exit code.
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * const io = { stdin: process.stdin, stdout: fs.createWriteStream("out/rules-alerts.jsonl"), stderr: process.stderr };
 * await rulesCommand(["data/sim/auth.log", "--rules", "data/rules", "--year", "2025"], io) // 0 (alerts are JSON lines in out/)
 */
export async function rulesCommand(argv: readonly string[], io: { readonly stdin: Readable; readonly stdout: Writable; readonly stderr: Writable }): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`);
  if (!values.rules || values.rules.length === 0) throw new UsageError("rules needs --rules DIR (a Sigma rule file or directory), e.g. --rules data/rules");
  const mode = values.mode ?? "window";
  if (mode !== "window" && mode !== "every") throw new UsageError(`--mode expects 'window' or 'every', got '${mode}'`);
  let within = 60_000;
  if (values["group-within"] !== undefined) {
    const g = values["group-within"];
    try {
      within = g === "0" ? 0 : parseDuration(g);
    } catch (e) {
      throw new UsageError(`--group-within: ${(e as Error).message.replace("`window` ", "")}`);
    }
  }
  const maxEventsText = values["max-events"];
  if (maxEventsText !== undefined && !/^\d{1,9}$/.test(maxEventsText)) throw new UsageError(`--max-events expects an integer ≥ 0, got '${maxEventsText}'`);
  const maxEvents = maxEventsText === undefined ? 100 : +maxEventsText;
  const { rules: _rules, ...ingestValues } = values;
  const options = ingestOptions(ingestValues);
  const fieldMapping = values.mapping !== undefined ? readFieldMappingFile(values.mapping) : {};
  const sets: SigmaRuleSet[] = values.rules.map((r) => loadSigmaRules(r, { fieldMapping }));
  const set: SigmaRuleSet = {
    detections: sets.flatMap((s) => s.detections),
    correlations: sets.flatMap((s) => s.correlations),
    diagnostics: sets.flatMap((s) => s.diagnostics),
    fieldMapping,
  };
  const diagText = set.diagnostics.map((d) => `siemlab: ${formatDiagnostic(d)}\n`).join("");
  if (set.detections.length + set.correlations.length === 0) {
    io.stderr.write(diagText + `siemlab: no rule loaded from ${values.rules.join(", ")}\n`);
    return 1;
  }
  const events: LogEvent[] = [];
  const file = positionals[0];
  const source = file === undefined || file === "-" ? io.stdin : file;
  const summary = await parseLogStream(source, { onEvent: (e) => events.push(e) }, withReferenceDate(options, source));
  const run = runSigmaRules(events, set, { mode, groupMatchesWithinMs: within });
  const findings = sigmaAlertsToFindings(run.alerts);
  const byDetector = new Map<string, (typeof run.alerts)[number][]>();
  for (const a of run.alerts) {
    let l = byDetector.get(a.detector);
    if (!l) byDetector.set(a.detector, (l = []));
    l.push(a);
  }
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
  let buf = "";
  // Findings come out in time order of firing (what a SIEM's alert stream looks like).
  const ordered = [...findings].sort((x, y) => x.windowStart - y.windowStart);
  const alertOf = new Map(run.alerts.map((a) => [a.events, a]));
  for (const f of ordered) {
    const a = alertOf.get(f.events ?? [])!;
    buf +=
      safeJsonLine({
        detector: f.detector,
        rule: { title: a.title, id: a.ruleId, level: a.level, type: a.type },
        entity: f.entity,
        entityType: f.entityType,
        group: a.group,
        windowStart: iso(f.windowStart),
        windowEnd: iso(f.windowEnd),
        firedAt: iso(a.firedAt),
        value: a.value,
        decision: f.decision,
        anomalyScore: f.anomalyScore,
        related: f.related,
        eventCount: a.events.length,
        events: a.events.slice(0, maxEvents).map(eventRecord),
      }) + "\n";
    if (buf.length > 1 << 16) {
      await writeAll(io.stdout, buf);
      buf = "";
    }
  }
  await writeAll(io.stdout, buf);
  const feeds = new Set(set.correlations.filter((c) => !c.generate).flatMap((c) => c.rules));
  const perRule = [...set.detections, ...set.correlations]
    .map((r) => {
      const n = `sigma:${r.name ?? r.id ?? r.title}`;
      const fed = [r.id, r.name].some((k) => k !== undefined && feeds.has(k));
      // A detection whose logsource covers no event cannot fire here: say so (a wrong product/service, or a
      // rule for other logs in a shared rule directory), rather than leave a bare "0".
      const covered = run.stats[n]?.applied;
      const ls = r.kind === "detection" ? Object.entries(r.logsource).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
      const none = r.kind === "detection" && covered === 0 && summary.counts.parsed > 0 ? `; logsource {${ls}} covers none of the events` : "";
      return fed
        ? `siemlab:   ${n}: ${run.stats[n]?.matched ?? 0} ${r.kind === "detection" ? "matching events" : "hits"} (feeds a correlation${none})\n`
        : `siemlab:   ${n}: ${byDetector.get(n)?.length ?? 0} alerts${none ? ` (${none.slice(2)})` : ""}\n`;
    })
    .join("");
  const runDiag = run.diagnostics.map((d) => `siemlab: ${formatDiagnostic(d)}\n`).join("");
  io.stderr.write(
    summaryText(
      summary,
      diagText +
        runDiag +
        `siemlab: rules loaded: ${set.detections.length} detection, ${set.correlations.length} correlation; ` +
        `${set.diagnostics.filter((d) => d.severity === "error").length} rule errors; ${run.alerts.length} alerts (mode ${mode})\n` +
        perRule,
    ),
  );
  return summary.readError === undefined && !set.diagnostics.some((d) => d.severity === "error") ? 0 : 1;
}
