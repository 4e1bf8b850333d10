import { isFailedAttempt, type LogEvent } from "../events";
import { entityOf } from "./finding";
import type { EntityType, Finding } from "./finding";
import type { PlannedAction } from "./plan";
import { checkOptions, type OptionKeys } from "../options";
import { escapeControls, quotedName, safeJsonLine } from "../terminal-text";

/** Every option name of {@link SummaryOptions} (unknown names fail with a suggestion). */
export const SUMMARY_OPTIONS_KEYS: OptionKeys<SummaryOptions> = {
  events: true, history: true, plan: true, explanation: true, featureNames: true,
};

/**
 * One feature of a detector's explanation of the finding's row: the shape of an `actualVsTypical` feature
 * (named, with the attributed `share`) and of an `EntityBaseline.explain` feature (a `column`, with the
 * robust `deviation`), so either can be passed as is.
 */
export interface ExplainedFeature {
  /** The feature's name; else `featureNames[column]`, else `f<column>`. */
  readonly feature?: string;
  /** Column index in the scored matrix. */
  readonly column?: number;
  /** The row's value and the typical value (a median of the training rows or of the entity's history). */
  readonly actual: number;
  readonly typical: number;
  /** (actual - typical) / robust spread, when the explanation has one. */
  readonly deviation?: number;
  /** Share of the detector's score attributed to the feature (0–1), when the explanation has one. */
  readonly share?: number;
}

/**
 * Why a finding's row scored as it did: one row of `actualVsTypical(...)` or of `EntityBaseline.explain(X)`,
 * features ordered by how much they drove the score (both functions return them so).
 */
export interface SummaryExplanation {
  readonly features: readonly ExplainedFeature[];
  /** Which baseline "typical" comes from (`EntityBaseline.explain`). Default: not said. */
  readonly baseline?: "entity" | "population";
  /** Training rows behind that baseline (`EntityBaseline.explain`). Default: not said. */
  readonly historyRows?: number;
}

/** A feature that drove the score, as it appears in {@link IncidentFacts}. */
export interface FeatureDriver {
  readonly feature: string;
  readonly actual: number;
  readonly typical: number;
  readonly deviation?: number;
  readonly share?: number;
}

export interface SummaryOptions {
  /** All events (any entity): the entity's other windows give its usual rate. Default: only `finding.events`. */
  readonly events?: readonly LogEvent[];
  /** Feature rows of the entity's other windows (e.g. the other minutes), for "usual value" comparisons. Default: none. */
  readonly history?: readonly Readonly<Record<string, number>>[];
  /** A response plan; the actions planned for this finding are mentioned. Default: none. */
  readonly plan?: readonly PlannedAction[];
  /**
   * The detector's explanation of this finding's row (actual vs typical per feature, in driving order), e.g.
   * `actualVsTypical({ X, rows: [i], reference, attribution, featureNames })[0]` or `baseline.explain(X)[i]`;
   * the summary then says which features drove the score. Default: none.
   */
  readonly explanation?: SummaryExplanation;
  /** Names of the matrix columns, for explanation features given by `column` only. Default: `f<column>`. */
  readonly featureNames?: readonly string[];
}

/** A feature compared with its usual value. */
export interface FeatureComparison {
  readonly name: string;
  readonly value: number;
  /** Mean over `history`. */
  readonly usual: number;
  /** value / usual (Infinity when usual is 0 and value > 0). */
  readonly ratio: number;
}

/** The computed evidence a summary (template or LLM) is built from. Nothing else goes into a prompt. */
export interface IncidentFacts {
  readonly entity: string;
  readonly entityType: EntityType;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly windowSeconds: number;
  readonly events: number;
  readonly failures: number;
  readonly successes: number;
  /** Seconds between the first and last event in the window. */
  readonly spanSeconds: number;
  readonly eventTypes: Readonly<Record<string, number>>;
  /** Users, IPs and hosts seen in the window, most frequent first. */
  readonly users: readonly string[];
  readonly ips: readonly string[];
  readonly hosts: readonly string[];
  /** The entity's other active windows of the same length: how many, and their mean events/failures. */
  readonly baseline?: { readonly windows: number; readonly meanEvents: number; readonly meanFailures: number };
  /** True when all events were given, so a missing baseline means the entity had no other activity. */
  readonly baselineSearched: boolean;
  /** failures (or events when there are none) divided by the baseline mean; undefined without a baseline. */
  readonly rateRatio?: number;
  readonly features: Readonly<Record<string, number>>;
  /** Features compared with `history`, largest ratio first. */
  readonly featureComparisons: readonly FeatureComparison[];
  /**
   * From `options.explanation`: the features that drove the score (up to 5, in the explanation's order,
   * leaving out those with no share or no deviation), and the baseline "typical" comes from.
   */
  readonly why?: {
    readonly baseline?: "entity" | "population";
    readonly historyRows?: number;
    readonly drivers: readonly FeatureDriver[];
  };
  readonly detector: string;
  readonly detectors: readonly string[];
  readonly decision: number;
  readonly anomalyScore: number;
  readonly contamination?: string;
  readonly seed?: number;
  readonly tier?: string;
  readonly plannedActions: readonly string[];
  /** Up to 5 event lines of the window (for the LLM, redacted before sending). */
  readonly sampleMessages: readonly string[];
}

/** A deterministic incident summary: plain text plus the facts it was built from. */
export interface IncidentSummary {
  readonly text: string;
  readonly facts: IncidentFacts;
}

const iso = (t: number) => new Date(t).toISOString();
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 || Number.isInteger(x) ? String(Math.round(x)) : x.toFixed(1);
}

function fmtDuration(seconds: number): string {
  if (seconds < 1) return "under a second";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${round(seconds / 3600, 1)} h`;
}

function fmtWindowAdj(ms: number): string {
  const s = ms / 1000;
  if (s % 3600 === 0) return `${s / 3600}-hour`;
  if (s % 60 === 0) return `${s / 60}-minute`;
  return `${s}-second`;
}

function fmtWindow(ms: number): string {
  const s = ms / 1000;
  if (s % 3600 === 0) return s === 3600 ? "hour" : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? "minute" : `${s / 60} minutes`;
  return `${s} s`;
}

/** A user name in the text: JSON-quoted with control and bidi characters escaped (`"x, y (z)"` reads as one name). */
const quoted = (name: string) => safeJsonLine(name);

/** A planned action of the facts (`kind target: status`) with its target quoted unless it is an IP address or range. */
function actionText(a: string): string {
  const sp = a.indexOf(" ");
  const colon = a.lastIndexOf(": ");
  if (sp < 0 || colon <= sp) return a;
  return `${a.slice(0, sp)} ${quotedName(a.slice(sp + 1, colon))}: ${a.slice(colon + 2)}`;
}

const list = (xs: readonly string[], n = 3) => (xs.length <= n ? xs.join(", ") : `${xs.slice(0, n).join(", ")} and ${xs.length - n} more`);
const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/**
 * Compute the facts of an incident from a finding and the surrounding data (no text yet).
 *
 * @example
 * incidentFacts(finding, { events }).rateRatio // e.g. 10.4
 */
export function incidentFacts(finding: Finding, options: SummaryOptions = {}): IncidentFacts {
  checkOptions(options, SUMMARY_OPTIONS_KEYS, "incidentFacts");
  const { entity, entityType, windowStart, windowEnd } = finding;
  const windowMs = windowEnd - windowStart;
  const all = options.events ?? finding.events ?? [];
  const mine = all.filter((e) => entityOf(e, entityType) === entity && Number.isFinite(e.time));
  const inWin = (finding.events ?? mine.filter((e) => e.time >= windowStart && e.time < windowEnd)).slice().sort((a, b) => a.time - b.time);
  // Failed attempts, each once: a PAM record paired with sshd's record of the same attempt is its companion.
  const failures = inWin.filter(isFailedAttempt).length;
  const successes = inWin.filter((e) => e.outcome === "success").length;
  const eventTypes: Record<string, number> = {};
  for (const e of inWin) eventTypes[e.eventType] = (eventTypes[e.eventType] ?? 0) + 1;
  // Distinct values, most frequent first (ties alphabetical).
  const uniq = (f: (e: LogEvent) => string | undefined) => {
    const c = new Map<string, number>();
    for (const e of inWin) {
      const v = f(e);
      if (v) c.set(v, (c.get(v) ?? 0) + 1);
    }
    return [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
  };

  // Baseline: the entity's other windows of the same length (aligned to this one) that have any events.
  let baseline: IncidentFacts["baseline"];
  let rateRatio: number | undefined;
  if (windowMs > 0 && options.events) {
    const per = new Map<number, { events: number; failures: number }>();
    for (const e of mine) {
      const k = Math.floor((e.time - windowStart) / windowMs);
      if (k === 0) continue;
      const c = per.get(k) ?? { events: 0, failures: 0 };
      c.events++;
      if (isFailedAttempt(e)) c.failures++;
      per.set(k, c);
    }
    if (per.size > 0) {
      let ev = 0;
      let fl = 0;
      for (const c of per.values()) [ev, fl] = [ev + c.events, fl + c.failures];
      baseline = { windows: per.size, meanEvents: round(ev / per.size, 3), meanFailures: round(fl / per.size, 3) };
      const [num, den] = failures > 0 ? [failures, fl / per.size] : [inWin.length, ev / per.size];
      rateRatio = den > 0 ? round(num / den, 2) : Infinity;
    }
  }

  const featureComparisons: FeatureComparison[] = [];
  if (options.history && options.history.length > 0) {
    for (const [name, value] of Object.entries(finding.features)) {
      const vals = options.history.map((h) => h[name]).filter((v) => Number.isFinite(v));
      if (vals.length === 0) continue;
      const usual = vals.reduce((a, b) => a + b, 0) / vals.length;
      const ratio = usual !== 0 ? value / usual : value > 0 ? Infinity : 1;
      featureComparisons.push({ name, value, usual: round(usual, 3), ratio: round(ratio, 2) });
    }
    featureComparisons.sort((a, b) => Math.abs(Math.log(b.ratio || 1e-9)) - Math.abs(Math.log(a.ratio || 1e-9)));
  }

  let why: IncidentFacts["why"];
  if (options.explanation) {
    const names = options.featureNames;
    const drivers = options.explanation.features
      .filter((x) => (x.share !== undefined ? x.share > 0 : x.deviation !== undefined ? x.deviation !== 0 : x.actual !== x.typical))
      .slice(0, 5)
      .map((x): FeatureDriver => {
        const feature = x.feature ?? (x.column !== undefined ? (names?.[x.column] ?? `f${x.column}`) : "?");
        const d: FeatureDriver = { feature, actual: round(x.actual, 4), typical: round(x.typical, 4) };
        return {
          ...d,
          ...(x.deviation !== undefined ? { deviation: round(x.deviation, 2) } : {}),
          ...(x.share !== undefined ? { share: round(x.share, 3) } : {}),
        };
      });
    const { baseline: from, historyRows } = options.explanation;
    why = { ...(from ? { baseline: from } : {}), ...(historyRows !== undefined ? { historyRows } : {}), drivers };
  }

  const mineActions = (options.plan ?? []).filter((a) => a.evidence.entity === entity && a.evidence.windowStart === windowStart);
  return {
    entity,
    entityType,
    windowStart: iso(windowStart),
    windowEnd: iso(windowEnd),
    windowSeconds: windowMs / 1000,
    events: inWin.length,
    failures,
    successes,
    spanSeconds: inWin.length > 1 ? (inWin[inWin.length - 1].time - inWin[0].time) / 1000 : 0,
    eventTypes,
    users: uniq((e) => e.user),
    ips: uniq((e) => e.srcIp),
    hosts: uniq((e) => e.host),
    baseline,
    baselineSearched: options.events !== undefined,
    rateRatio,
    features: finding.features,
    featureComparisons,
    why,
    detector: finding.detector,
    detectors: finding.detectors,
    decision: round(finding.decision, 4),
    anomalyScore: round(finding.anomalyScore, 1),
    contamination: finding.contamination === undefined ? undefined : String(finding.contamination),
    seed: finding.seed,
    tier: mineActions[0]?.tier,
    plannedActions: mineActions.map((a) => `${a.kind} ${a.target}: ${a.status}`),
    sampleMessages: inWin.slice(0, 5).map((e) => `line ${e.lineNo}: ${e.message.slice(0, 200)}`),
  };
}

/**
 * Write the summary text of incident facts (deterministic; the offline default). The text is display-safe:
 * user names (and host names, and source addresses that are not IP addresses) are JSON-quoted (`against 2
 * accounts ("root", "x, y")`, `User "alice"`, `Host "gw"`), and control characters, ANSI
 * sequences, bidi overrides and line breaks from log values are shown as escapes (`\x1b`, `\u202e`, `\n`),
 * so a name cannot recolour a terminal, reorder the text or start a line of its own. The facts keep the
 * exact values.
 *
 * @example
 * summaryText(incidentFacts(finding, { events }))
 */
export function summaryText(f: IncidentFacts): string {
  return escapeControls(rawSummaryText(f));
}

function rawSummaryText(f: IncidentFacts): string {
  const who = f.entityType === "ip" ? `IP ${quotedName(f.entity)}` : f.entityType === "user" ? `User ${quoted(f.entity)}` : `Host ${quotedName(f.entity)}`;
  const their = f.entityType === "user" ? "their" : "its";
  const windowText = fmtWindow(f.windowSeconds * 1000);
  const windowAdj = fmtWindowAdj(f.windowSeconds * 1000);
  const parts: string[] = [];
  if (f.events > 0) {
    const what = f.failures > 0 ? `${plural(f.failures, "failed login attempt")}` : `${plural(f.events, "event")}`;
    const span = f.events > 1 ? ` in ${fmtDuration(f.spanSeconds)}` : "";
    let s = `${who} had ${what}${span} (${windowAdj} window from ${f.windowStart.slice(0, 16).replace("T", " ")} UTC)`;
    if (f.entityType === "ip" && f.users.length) s += ` against ${plural(f.users.length, "account")} (${list(f.users.map(quoted))})`;
    if (f.entityType === "user" && f.ips.length) s += ` from ${list(f.ips.map(quotedName))}`;
    if (f.entityType === "host" && f.ips.length) s += ` from ${plural(f.ips.length, "source IP")} (${list(f.ips.map(quotedName))})`;
    if (f.baseline) {
      const usual = f.failures > 0 ? f.baseline.meanFailures : f.baseline.meanEvents;
      const ratio = f.rateRatio === undefined ? "" : Number.isFinite(f.rateRatio) ? `${fmtNum(f.rateRatio)}× ${their} usual rate` : `where ${their} usual rate is 0`;
      s += `, ${ratio} of ${fmtNum(usual)} per ${windowText} over ${plural(f.baseline.windows, "other active window")}`;
    } else if (f.baselineSearched) {
      s += `; no other activity from this ${f.entityType} to compare with`;
    }
    if (f.successes > 0 && f.failures > 0) s += `; ${plural(f.successes, "attempt")} succeeded`;
    parts.push(s + ".");
  } else {
    parts.push(`${who}: anomalous ${windowAdj} window from ${f.windowStart.slice(0, 16).replace("T", " ")} UTC.`);
  }
  const comps = f.featureComparisons.filter((c) => c.ratio !== 1).slice(0, 3);
  if (comps.length) {
    parts.push(
      "Features: " +
        comps.map((c) => `${c.name} ${fmtNum(c.value)} vs usual ${fmtNum(c.usual)}${Number.isFinite(c.ratio) ? ` (${fmtNum(c.ratio)}×)` : ""}`).join("; ") +
        ".",
    );
  } else if (Object.keys(f.features).length) {
    parts.push(`Features: ${Object.entries(f.features).slice(0, 5).map(([k, v]) => `${k} ${fmtNum(v)}`).join(", ")}.`);
  }
  if (f.why && f.why.drivers.length) {
    const from =
      f.why.baseline === "entity"
        ? ` (typical = ${their} own baseline${f.why.historyRows !== undefined ? ` of ${plural(f.why.historyRows, "window")}` : ""})`
        : f.why.baseline === "population"
          ? ` (typical = the population's baseline: too little history of ${their} own)`
          : "";
    const drove = f.why.drivers.slice(0, 3).map((d) => {
      const how =
        d.share !== undefined
          ? ` (${Math.round(d.share * 100)} % of the score)`
          : d.deviation !== undefined
            ? ` (${d.deviation > 0 ? "+" : ""}${fmtNum(d.deviation)} robust SD)`
            : "";
      return `${d.feature} ${fmtNum(d.actual)} vs typical ${fmtNum(d.typical)}${how}`;
    });
    parts.push(`Why${from}: ${drove.join("; ")}.`);
  }
  const others = f.detectors.filter((d) => d !== f.detector);
  const flagged = f.detectors.includes(f.detector) ? `Flagged by ${f.detector}` : `Scored by ${f.detector}`;
  parts.push(
    `${flagged} (decision ${f.decision}, anomaly score ${f.anomalyScore}/100${f.contamination ? `, contamination ${f.contamination}` : ""}${f.seed !== undefined ? `, seed ${f.seed}` : ""})` +
      (others.length ? ` and by ${list(others)}: ${f.detectors.length} detectors agree.` : "."),
  );
  if (f.tier) parts.push(`Policy tier "${f.tier}": ${f.plannedActions.map(actionText).join("; ")}.`);
  return parts.join(" ");
}

/**
 * The deterministic incident summary of a finding ("User \"alice\" had 50 failed login attempts in 58 s
 * from 203.0.113.7, 10× their usual rate …"). Offline, and the fallback of the LLM summary.
 *
 * With `explanation` (a detector's actual vs typical for the finding's row) the text says why: "Why:
 * distinctUsers 11 vs typical 0 (35 % of the score); …". `text` is display-safe (see {@link summaryText}:
 * user names quoted, control and bidi characters from logs escaped); `facts` hold the exact values.
 * Errors: OptionError on an unknown option name.
 *
 * @example
 * summarizeIncident(findings[0], { events, plan }).text
 * const i = f.keys.findIndex((k) => k.entity === finding.entity && k.windowStart === finding.windowStart);
 * const [explanation] = actualVsTypical({ X: f.matrix, rows: [i], reference: f.matrix,
 *   attribution: forest.featureAttribution(f.matrix), featureNames: f.columns });
 * const why = summarizeIncident(finding, { events, explanation }).facts.why;
 * why?.drivers.map((d) => d.feature); // ["distinctUsers", "count", "failures"]
 * why?.drivers[0]; // { feature: "distinctUsers", actual: 11, typical: 0, deviation: 181.28, share: 0.349 }
 */
export function summarizeIncident(finding: Finding, options: SummaryOptions = {}): IncidentSummary {
  checkOptions(options, SUMMARY_OPTIONS_KEYS, "summarizeIncident");
  const facts = incidentFacts(finding, options);
  return { text: summaryText(facts), facts };
}
