import { entityTimelineChart } from "../charts/entity-timeline";
import { timelineChart } from "../charts/timeline";
import type { PlotlySpec } from "../charts/spec";
import { OptionError } from "../errors";
import { isFailedAttempt, type LogEvent } from "../events";
import { entityOf } from "./finding";
import type { EntityType, Finding } from "./finding";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link ContextOptions} (unknown names fail with a suggestion). */
const CONTEXT_OPTIONS_KEYS: OptionKeys<ContextOptions> = { marginMs: true, includeRelated: true, maxRows: true };

export interface ContextOptions {
  /** Time before the window start and after the window end to include, in ms. Default: 15 minutes. */
  readonly marginMs?: number;
  /** Also gather the events of the finding's related users (for an IP) or IPs (for a user). Default: false. */
  readonly includeRelated?: boolean;
  /** Event rows kept in `rows` (all events stay in `events`). Default: 200. */
  readonly maxRows?: number;
}

/** An entity value with how often it appears in the context. */
export interface EntityCount {
  readonly value: string;
  /** Records (lines' events) naming the value, companions included. */
  readonly events: number;
  /** Failed attempts ({@link isFailedAttempt}): a PAM or `Invalid user` record of the same attempt as sshd's `Failed password` is not counted again. */
  readonly failures: number;
  /** Companion records among `events` (`companionOf` set): another record of an attempt counted once. */
  readonly companions: number;
}

/** One event as a table row (strings are raw: the table renderer escapes them). A type alias, so it passes as a plain record. */
export type ContextEventRow = {
  readonly time: string;
  readonly lineNo: number;
  readonly inWindow: boolean;
  readonly eventType: string;
  readonly outcome: string;
  readonly user: string;
  readonly srcIp: string;
  readonly host: string;
  readonly message: string;
};

/** Everything around one finding an analyst needs to judge it. */
export interface InvestigationContext {
  readonly entity: string;
  readonly entityType: EntityType;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Range searched, epoch ms: [from, to). */
  readonly from: number;
  readonly to: number;
  /** Related events, by time then line number. */
  readonly events: LogEvent[];
  /** Events inside the finding's window. */
  readonly inWindow: number;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  /** Counts by event type, most frequent first: records, failed attempts and companion records (see {@link EntityCount}). */
  readonly countsByType: { readonly eventType: string; readonly count: number; readonly failures: number; readonly companions: number }[];
  /** Users seen (e.g. the accounts tried from an IP), most frequent first. */
  readonly users: EntityCount[];
  /** Source IPs seen (e.g. the addresses a user came from), most frequent first. */
  readonly ips: EntityCount[];
  readonly hosts: EntityCount[];
  /** Event table (up to `maxRows`). */
  readonly rows: ContextEventRow[];
  /** Key facts as (field, value) rows for a small table. */
  readonly summaryRows: { readonly field: string; readonly value: string }[];
}

const iso = (t: number | undefined) => (t !== undefined && Number.isFinite(t) ? new Date(t).toISOString() : "");

function countBy(events: readonly LogEvent[], key: (e: LogEvent) => string | undefined): EntityCount[] {
  const m = new Map<string, { events: number; failures: number; companions: number }>();
  for (const e of events) {
    const k = key(e);
    if (k === undefined || k === "") continue;
    const c = m.get(k) ?? { events: 0, failures: 0, companions: 0 };
    c.events++;
    if (isFailedAttempt(e)) c.failures++;
    if (e.companionOf !== undefined) c.companions++;
    m.set(k, c);
  }
  return [...m].map(([value, c]) => ({ value, ...c })).sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1));
}

const top = (list: EntityCount[], n = 5) =>
  list.length === 0 ? "none" : list.slice(0, n).map((c) => `${c.value} (${c.events})`).join(", ") + (list.length > n ? `, … ${list.length - n} more` : "");

/**
 * Gather the events around a finding: the same entity (same IP, user or host) from `marginMs` before the
 * window to `marginMs` after it, optionally with the related users/IPs; then summarise them (counts by
 * event type, first/last seen, other users/IPs/hosts touched) and tabulate them. Linear in `events`.
 *
 * @example
 * const ctx = investigationContext(findings[0], events, { marginMs: 10 * 60_000 });
 * showTable(ctx.summaryRows); showTable(ctx.rows);
 */
export function investigationContext(
  finding: Pick<Finding, "entity" | "entityType" | "windowStart" | "windowEnd" | "related">,
  events: readonly LogEvent[],
  options: ContextOptions = {},
): InvestigationContext {
  checkOptions(options, CONTEXT_OPTIONS_KEYS, "investigationContext");
  const marginMs = options.marginMs ?? 15 * 60_000;
  const maxRows = options.maxRows ?? 200;
  if (!(marginMs >= 0)) throw new OptionError(`Expected \`marginMs\` to be a number of ms ≥ 0, got ${marginMs}`);
  const { entity, entityType, windowStart, windowEnd } = finding;
  const from = windowStart - marginMs;
  const to = windowEnd + marginMs;
  const also = new Set<string>();
  let alsoType: EntityType | undefined;
  if (options.includeRelated && finding.related) {
    alsoType = entityType === "ip" ? "user" : "ip";
    for (const v of alsoType === "user" ? finding.related.users : finding.related.ips) also.add(v);
  }
  const picked = events
    .filter((e) => {
      if (!(e.time >= from && e.time < to)) return false;
      if (entityOf(e, entityType) === entity) return true;
      const other = alsoType && entityOf(e, alsoType);
      return other !== undefined && also.has(other);
    })
    .sort((a, b) => a.time - b.time || a.lineNo - b.lineNo);
  const types = countBy(picked, (e) => e.eventType).map((c) => ({ eventType: c.value, count: c.events, failures: c.failures, companions: c.companions }));
  const users = countBy(picked, (e) => e.user);
  const ips = countBy(picked, (e) => e.srcIp);
  const hosts = countBy(picked, (e) => e.host);
  const inWindow = picked.filter((e) => e.time >= windowStart && e.time < windowEnd).length;
  const firstSeen = picked.length ? picked[0].time : undefined;
  const lastSeen = picked.length ? picked[picked.length - 1].time : undefined;
  // Attempts, as the summary and the window features count them: sshd and PAM records of one attempt once.
  const failures = picked.filter(isFailedAttempt).length;
  const companions = picked.filter((e) => e.companionOf !== undefined).length;
  const rows = picked.slice(0, maxRows).map((e) => ({
    time: iso(e.time),
    lineNo: e.lineNo,
    inWindow: e.time >= windowStart && e.time < windowEnd,
    eventType: e.eventType,
    outcome: e.outcome ?? "",
    user: e.user ?? "",
    srcIp: e.srcIp ?? "",
    host: e.host ?? "",
    message: e.message.length > 300 ? e.message.slice(0, 300) + "…" : e.message,
  }));
  const summaryRows = [
    { field: "entity", value: `${entityType} ${entity}` },
    { field: "finding window", value: `${iso(windowStart)} – ${iso(windowEnd)}` },
    { field: "searched", value: `${iso(from)} – ${iso(to)}${also.size ? ` (with ${also.size} related ${alsoType === "user" ? "user(s)" : "IP(s)"})` : ""}` },
    {
      field: "events",
      value:
        `${picked.length} (${inWindow} in the window, ${failures} failed attempt${failures === 1 ? "" : "s"}` +
        (companions > 0 ? `; ${companions} of the records are companions of an attempt, counted with it)` : ")"),
    },
    { field: "first seen", value: iso(firstSeen) || "never" },
    { field: "last seen", value: iso(lastSeen) || "never" },
    { field: "event types", value: types.length ? types.map((t) => `${t.eventType} ${t.count}`).join(", ") : "none" },
    { field: "users", value: top(users) },
    { field: "source IPs", value: top(ips) },
    { field: "hosts", value: top(hosts) },
  ];
  return { entity, entityType, windowStart, windowEnd, from, to, events: picked, inWindow, firstSeen, lastSeen, countsByType: types, users, ips, hosts, rows, summaryRows };
}

/** Event counts of a context per time bin. */
export interface ContextTimeline {
  /** Bin start times, epoch ms. */
  readonly x: number[];
  readonly events: number[];
  /** Failed attempts per bin ({@link isFailedAttempt}: companion records not counted again). */
  readonly failures: number[];
  /** True for bins that overlap the finding window. */
  readonly inWindow: boolean[];
}

/**
 * Bin a context's events over its searched range (every bin present, empty ones as 0).
 *
 * @example
 * contextTimeline(ctx, { binMs: 60_000 }).events // events per minute
 */
export function contextTimeline(ctx: InvestigationContext, options: { readonly binMs?: number } = {}): ContextTimeline {
  const binMs = options.binMs ?? 60_000;
  if (!(binMs > 0)) throw new OptionError(`Expected \`binMs\` to be a positive number of ms, got ${binMs}`);
  const start = Math.floor(ctx.from / binMs) * binMs;
  const n = Math.max(1, Math.ceil((ctx.to - start) / binMs));
  if (n > 100_000) throw new OptionError(`Context range needs ${n} bins of ${binMs} ms; use a larger \`binMs\``);
  const x = Array.from({ length: n }, (_, i) => start + i * binMs);
  const events = new Array<number>(n).fill(0);
  const failures = new Array<number>(n).fill(0);
  for (const e of ctx.events) {
    const i = Math.floor((e.time - start) / binMs);
    events[i]++;
    if (isFailedAttempt(e)) failures[i]++;
  }
  const inWindow = x.map((t) => t < ctx.windowEnd && t + binMs > ctx.windowStart);
  return { x, events, failures, inWindow };
}

/**
 * The investigation timeline: every event of the context by type over time (charts'
 * `entityTimelineChart`), failures as crosses, the finding's events ringed and its window shaded.
 *
 * @example
 * show(contextTimelineChart(ctx));
 */
export function contextTimelineChart(ctx: InvestigationContext, options: { readonly title?: string } = {}): PlotlySpec {
  return entityTimelineChart({
    events: ctx.events,
    entity: `${ctx.entityType} ${ctx.entity}`,
    anomalies: ctx.events.map((e) => e.time >= ctx.windowStart && e.time < ctx.windowEnd),
    anomalyWindows: [{ start: ctx.windowStart, end: ctx.windowEnd }],
    title: options.title ?? `Events of ${ctx.entityType} ${ctx.entity} around the finding`,
  });
}

/**
 * The context's events per bin as a line (charts' `timelineChart`), the bins of the finding's window
 * marked as anomalies; hover shows the failed attempts of each bin.
 *
 * @example
 * show(contextCountChart(ctx, { binMs: 60_000 }));
 */
export function contextCountChart(ctx: InvestigationContext, options: { readonly binMs?: number; readonly title?: string } = {}): PlotlySpec {
  const binMs = options.binMs ?? 60_000;
  const t = contextTimeline(ctx, { binMs });
  const unit = binMs === 60_000 ? "min" : `${binMs / 1000} s`;
  return timelineChart({
    x: t.x.map((v) => new Date(v).toISOString()),
    y: t.events,
    anomalies: t.inWindow,
    title: options.title ?? `Events of ${ctx.entityType} ${ctx.entity} per ${unit}`,
    yTitle: `events / ${unit}`,
    hoverText: t.failures.map((f) => `failed attempts: ${f}`),
    anomalyName: "finding window",
  });
}
