import * as fs from "node:fs";
import * as path from "node:path";
import type { LogEvent } from "../events";
import type { EntityType } from "../respond/finding";
import { type RuleDiagnostic, SigmaRuleError } from "./rule-diagnostic";
import { type CorrelationMode, type CorrelationType, compileSigmaCorrelation, evaluateCorrelation, type SigmaCorrelationRule } from "./sigma-correlation";
import { type EventLogsource, SIGMA_FIELD_MAP, type SigmaFieldSource, sigmaFieldGetter } from "./sigma-field-map";
import { compileSigmaRule, type SigmaDetectionRule, type SigmaLevel } from "./sigma-rule";
import { parseSigmaYaml, type SigmaYamlOptions } from "./sigma-yaml";

/** A loaded set of Sigma rules: what compiled, and a diagnostic for everything that did not. */
export interface SigmaRuleSet {
  readonly detections: readonly SigmaDetectionRule[];
  readonly correlations: readonly SigmaCorrelationRule[];
  /** Load-time problems: errors (rule dropped) and warnings (rule kept). */
  readonly diagnostics: readonly RuleDiagnostic[];
  readonly fieldMapping: Readonly<Record<string, SigmaFieldSource>>;
}

/** Options for loading rules. */
export interface LoadSigmaRulesOptions extends Omit<SigmaYamlOptions, "file"> {
  /** Extra or overriding field mappings (Sigma name → siemlab path or function). Default: none. */
  readonly fieldMapping?: Readonly<Record<string, SigmaFieldSource>>;
  /** Logsource of an event; default `eventLogsource`. */
  readonly logsource?: (event: LogEvent) => EventLogsource;
}

/** One rule text and where it came from. */
export interface SigmaSource {
  readonly text: string;
  readonly file?: string;
}

/**
 * Compile Sigma rule texts (each one or more YAML documents) into a rule set. Every document is compiled
 * on its own: a malformed one becomes an error diagnostic and the others still load. Afterwards
 * correlation references are resolved (by `id` or `name`, to detection rules or to other correlations, which
 * chain); an unknown reference, a cycle or a duplicate id/name drops that rule with a diagnostic.
 *
 * @example
 * const set = compileSigmaRuleSet([{ file: "web.yml", text: "title: x\nlogsource: {category: webserver}\ndetection: {s: {sc-status: 404}, condition: s}\n" }]);
 * set.detections.length // 1
 */
export function compileSigmaRuleSet(sources: readonly SigmaSource[], options: LoadSigmaRulesOptions = {}): SigmaRuleSet {
  const diagnostics: RuleDiagnostic[] = [];
  const detections: SigmaDetectionRule[] = [];
  const correlations: SigmaCorrelationRule[] = [];
  const fieldMapping = options.fieldMapping ?? {};
  const unchecked: Array<{ file?: string; document: number; title?: string; ruleId?: string; refs: string[] }> = [];
  for (const src of sources) {
    const y = parseSigmaYaml(src.text, { ...options, file: src.file });
    diagnostics.push(...y.diagnostics);
    for (const d of y.documents) {
      const v = d.value as Record<string, unknown>;
      try {
        if (typeof v === "object" && v !== null && !Array.isArray(v) && "correlation" in v) {
          correlations.push(compileSigmaCorrelation(v, { file: src.file, document: d.index }));
        } else if (typeof v === "object" && v !== null && !Array.isArray(v) && "filter" in v && !("detection" in v)) {
          diagnostics.push({ severity: "error", file: src.file, document: d.index, title: typeof v.title === "string" ? v.title : undefined, path: "filter", message: "Sigma filter documents are not supported yet; the document was skipped" });
        } else {
          const warnings: RuleDiagnostic[] = [];
          detections.push(compileSigmaRule(v, { file: src.file, document: d.index, fieldMapping, logsource: options.logsource }, warnings));
          diagnostics.push(...warnings);
        }
      } catch (e) {
        if (e instanceof SigmaRuleError) {
          diagnostics.push(...e.diagnostics);
          // A correlation that failed for another reason: its references are still checked below (every error at once).
          const refs = typeof v === "object" && v !== null && "correlation" in v ? correlationRefs(v.correlation) : [];
          if (refs.length > 0) unchecked.push({ file: src.file, document: d.index, title: typeof v.title === "string" ? v.title : undefined, ruleId: typeof v.id === "string" ? v.id : undefined, refs });
        }
        else diagnostics.push({ severity: "error", file: src.file, document: d.index, message: `unexpected: ${(e as Error).message}` });
      }
    }
  }
  // Duplicate ids / names: keep the first, drop the others.
  const keys = new Map<string, string>();
  const dedupe = <T extends SigmaDetectionRule | SigmaCorrelationRule>(list: T[]): T[] =>
    list.filter((r) => {
      for (const k of [r.id, r.name]) {
        if (k === undefined) continue;
        const where = `${r.file ?? "(text)"}#${r.document ?? 0}`;
        const prev = keys.get(k);
        if (prev !== undefined) {
          diagnostics.push({ severity: "error", file: r.file, document: r.document, ruleId: r.id, title: r.title, path: r.id === k ? "id" : "name", message: `'${k}' is already used by the rule at ${prev}; ids and names must be unique` });
          return false;
        }
        keys.set(k, where);
      }
      return true;
    });
  const dets = dedupe(detections);
  const cors = dedupe(correlations);
  const byRef = new Map<string, SigmaDetectionRule>();
  for (const r of dets) {
    if (r.id !== undefined) byRef.set(r.id, r);
    if (r.name !== undefined) byRef.set(r.name, r);
  }
  const corByRef = new Map<string, SigmaCorrelationRule>();
  for (const c of cors) {
    if (c.id !== undefined) corByRef.set(c.id, c);
    if (c.name !== undefined) corByRef.set(c.name, c);
  }
  // A correlation is usable when every reference resolves to a detection or to a usable correlation,
  // without a cycle (correlations may chain, as in the specification's examples).
  const state = new Map<SigmaCorrelationRule, "visiting" | "ok" | "bad">();
  const report = (c: SigmaCorrelationRule, message: string) =>
    diagnostics.push({ severity: "error", file: c.file, document: c.document, ruleId: c.id, title: c.title, path: "correlation.rules", message });
  const usable = (c: SigmaCorrelationRule): boolean => {
    const st = state.get(c);
    if (st === "ok") return true;
    if (st === "bad") return false;
    if (st === "visiting") return false;
    state.set(c, "visiting");
    let ok = true;
    for (const r of c.rules) {
      if (byRef.has(r)) continue;
      const inner = corByRef.get(r);
      if (inner === undefined) {
        report(c, `no loaded rule has id or name '${r}'`);
        ok = false;
      } else if (state.get(inner) === "visiting") {
        report(c, `'${r}' refers back to this correlation (a cycle); correlations must form a chain`);
        ok = false;
      } else if (!usable(inner)) {
        report(c, `'${r}' is a correlation that could not be loaded`);
        ok = false;
      }
      if (!ok) break;
    }
    state.set(c, ok ? "ok" : "bad");
    return ok;
  };
  const okCors = cors.filter(usable);
  for (const u of unchecked) {
    for (const r of u.refs) {
      if (!byRef.has(r) && !corByRef.has(r)) diagnostics.push({ severity: "error", file: u.file, document: u.document, ruleId: u.ruleId, title: u.title, path: "correlation.rules", message: `no loaded rule has id or name '${r}'` });
    }
  }
  return { detections: dets, correlations: okCors, diagnostics, fieldMapping };
}

/**
 * Load every `.yml`/`.yaml` file under a directory (recursively, in sorted order) or a single file, and
 * compile them with {@link compileSigmaRuleSet}. An unreadable file is a diagnostic, not a throw.
 *
 * @example
 * const set = loadSigmaRules("data/rules");
 * [set.detections.length, set.correlations.length, set.diagnostics.length] // [9, 6, 0]
 * set.correlations.map((c) => c.title) // ["SSH brute force from one address", "SSH invalid-user storm", …]
 */
export function loadSigmaRules(target: string, options: LoadSigmaRulesOptions = {}): SigmaRuleSet {
  const files: string[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const walk = (p: string, depth: number) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      diagnostics.push({ severity: "error", file: p, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      if (depth > 8) return;
      for (const name of fs.readdirSync(p).sort()) {
        const child = path.join(p, name);
        if (/\.ya?ml$/i.test(name) || (depth < 8 && fs.statSync(child).isDirectory())) walk(child, depth + 1);
      }
    } else files.push(p);
  };
  walk(target, 0);
  const maxBytes = options.maxBytes ?? 1 << 20;
  const sources: SigmaSource[] = [];
  for (const f of files) {
    const size = fs.statSync(f).size;
    if (size > maxBytes * 4) {
      diagnostics.push({ severity: "error", file: f, message: `file is ${size} bytes, over the ${maxBytes} limit; split it or raise maxBytes` });
      continue;
    }
    sources.push({ file: f, text: fs.readFileSync(f, "utf8") });
  }
  const set = compileSigmaRuleSet(sources, options);
  return { ...set, diagnostics: [...diagnostics, ...set.diagnostics] };
}

/** One alert of a Sigma rule: a run of matches of a detection rule, or a correlation firing. */
export interface SigmaAlert {
  /** `sigma:` + the rule's name, else id, else title. */
  readonly detector: string;
  readonly title: string;
  readonly ruleId?: string;
  readonly level: SigmaLevel;
  readonly type: "detection" | CorrelationType;
  /** Entity the alert is about (source IP, user or host) and its kind. */
  readonly entity: string;
  readonly entityType: EntityType;
  /** Correlation group-by values (empty for detection alerts). */
  readonly group: Readonly<Record<string, string>>;
  readonly windowStart: number;
  /** Exclusive end. */
  readonly windowEnd: number;
  /** When the alert could first be raised (first match, or when the correlation condition held). */
  readonly firedAt: number;
  /** Matches (detection), events / distinct values / rules seen (correlations). */
  readonly value: number;
  readonly events: readonly LogEvent[];
}

/** Options of {@link runSigmaRules}. */
export interface RunSigmaRulesOptions {
  /** Correlation firing mode (see `evaluateCorrelation`). Default: "window". */
  readonly mode?: CorrelationMode;
  /**
   * Matches of one detection rule for one entity within this many ms of the alert's first match join
   * that alert (0: one alert per matching event). Default: 60_000.
   */
  readonly groupMatchesWithinMs?: number;
}

/** What a rule set produced. */
export interface SigmaRunResult {
  readonly alerts: SigmaAlert[];
  /** Run-time diagnostics (e.g. a rule's field absent from every event it applies to). */
  readonly diagnostics: RuleDiagnostic[];
  /** Per rule (detector name): events it applied to and events it matched. */
  readonly stats: Readonly<Record<string, { readonly applied: number; readonly matched: number }>>;
}

const detectorName = (r: { name?: string; id?: string; title: string }) => `sigma:${r.name ?? r.id ?? r.title}`;

function entityOfEvents(events: readonly LogEvent[]): { entity: string; entityType: EntityType } {
  const one = (f: (e: LogEvent) => string | undefined) => {
    const v = f(events[0]);
    return v !== undefined && events.every((e) => f(e) === v) ? v : undefined;
  };
  const ip = one((e) => e.srcIp);
  if (ip !== undefined) return { entity: ip, entityType: "ip" };
  const user = one((e) => e.user);
  if (user !== undefined) return { entity: user, entityType: "user" };
  return { entity: one((e) => e.host) ?? "-", entityType: "host" };
}

function entityOfGroup(group: Record<string, string>, groupBy: readonly string[], mapping: Readonly<Record<string, SigmaFieldSource>>, events: readonly LogEvent[]) {
  for (const g of groupBy) {
    const src = mapping[g] ?? SIGMA_FIELD_MAP[g]?.source ?? g;
    if (src === "srcIp") return { entity: group[g], entityType: "ip" as const };
    if (src === "user") return { entity: group[g], entityType: "user" as const };
    if (src === "host") return { entity: group[g], entityType: "host" as const };
  }
  return entityOfEvents(events);
}

/**
 * Run a rule set over parsed events. Rules that no correlation references (or whose correlation
 * says `generate: true`) alert on their own: matches of one rule for one entity (source IP, else user,
 * else host) are grouped into alerts of `groupMatchesWithinMs`. Each correlation is evaluated with
 * `evaluateCorrelation`; a correlation that refers to another sees that one's hits as events (at their
 * `firedAt`, with the group-by values as fields), and its alerts carry the original events. A rule that throws at run time is reported and skipped; the others still run.
 * Alerts are sorted by `firedAt`.
 *
 * @example
 * const { events } = parseLogLines(fs.readFileSync("data/sim/auth.log", "utf8"), { year: 2025 });
 * const run = runSigmaRules(events, loadSigmaRules("data/rules"));
 * run.alerts.length // 23
 * run.alerts.map((a) => `${a.detector} ${a.entity}`).slice(0, 2) // ["sigma:ssh_brute_force 198.51.100.23", "sigma:ssh_invalid_user_storm 198.51.100.23"]
 */
export function runSigmaRules(events: readonly LogEvent[], set: SigmaRuleSet, options: RunSigmaRulesOptions = {}): SigmaRunResult {
  const within = options.groupMatchesWithinMs ?? 60_000;
  const alerts: SigmaAlert[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const stats: Record<string, { applied: number; matched: number }> = {};
  type AnyRule = SigmaDetectionRule | SigmaCorrelationRule;
  const refOf = (ref: string): AnyRule =>
    set.detections.find((d) => d.id === ref || d.name === ref) ?? set.correlations.find((c) => c.id === ref || c.name === ref)!;
  const referenced = new Set<AnyRule>();
  for (const c of set.correlations) if (!c.generate) for (const r of c.rules) referenced.add(refOf(r));
  for (const c of set.correlations) if (c.generate) for (const r of c.rules) referenced.delete(refOf(r));
  const matchCache = new Map<SigmaDetectionRule, Uint8Array>();
  const failed = new Set<SigmaDetectionRule>();
  for (const rule of set.detections) {
    const name = detectorName(rule);
    const flags = new Uint8Array(events.length);
    let applied = 0;
    let matched = 0;
    const seen = new Set<string>();
    const getters = rule.requiredFields.map((f) => (f === "message" ? { name: f, get: (e: LogEvent) => e.message } : sigmaFieldGetter(f, set.fieldMapping)));
    try {
      events.forEach((e, i) => {
        if (!rule.appliesTo(e)) return;
        applied++;
        if (seen.size < rule.requiredFields.length) {
          for (const g of getters) if (!seen.has(g.name) && g.get(e) !== undefined) seen.add(g.name);
        }
        if (rule.matchesDetection(e)) {
          flags[i] = 1;
          matched++;
        }
      });
    } catch (e) {
      failed.add(rule);
      diagnostics.push({ severity: "error", file: rule.file, document: rule.document, ruleId: rule.id, title: rule.title, message: `failed at run time: ${(e as Error).message}` });
      continue;
    }
    stats[name] = { applied, matched };
    matchCache.set(rule, flags);
    if (applied > 0) {
      for (const f of rule.requiredFields) {
        if (!seen.has(f)) {
          diagnostics.push({ severity: "warning", file: rule.file, document: rule.document, ruleId: rule.id, title: rule.title, path: "detection", message: `field '${f}' is absent from all ${applied} events the rule applies to, so the rule cannot match on it; map it with fieldMapping / --mapping` });
        }
      }
    }
    if (referenced.has(rule) || matched === 0) continue;
    // Group matches per entity into alerts.
    const open = new Map<string, { start: number; events: LogEvent[]; entity: string; entityType: EntityType }>();
    const flush = (k: string) => {
      const a = open.get(k)!;
      open.delete(k);
      alerts.push({ detector: name, title: rule.title, ruleId: rule.id, level: rule.level, type: "detection", entity: a.entity, entityType: a.entityType, group: {}, windowStart: a.start, windowEnd: a.start + Math.max(within, 1), firedAt: a.start, value: a.events.length, events: a.events });
    };
    const order = events.map((_, i) => i).filter((i) => flags[i] === 1).sort((a, b) => events[a].time - events[b].time || a - b);
    for (const i of order) {
      const e = events[i];
      const { entity, entityType } = entityOfEvents([e]);
      const k = `${entityType} ${entity}`;
      const a = open.get(k);
      if (a && within > 0 && e.time < a.start + within) a.events.push(e);
      else {
        if (a) flush(k);
        open.set(k, { start: e.time, events: [e], entity, entityType });
      }
    }
    for (const k of [...open.keys()]) flush(k);
  }
  const index = new Map<LogEvent, number>();
  if (set.correlations.length > 0) events.forEach((e, i) => index.set(e, i));
  // A correlation's hits as events, for correlations that refer to it (chains). Each stands for its hit:
  // time = firedAt, group-by values in `fields`, entity fields when the hit's events agree on them.
  const outputs = new Map<SigmaCorrelationRule, LogEvent[] | null>();
  const expand = new Map<LogEvent, readonly LogEvent[]>();
  const evidence = (list: readonly LogEvent[]): LogEvent[] => {
    const out = new Set<LogEvent>();
    for (const e of list) for (const x of expand.get(e) ?? [e]) out.add(x);
    return [...out].sort((a, b) => a.time - b.time || (index.get(a) ?? 0) - (index.get(b) ?? 0));
  };
  const uniform = (list: readonly LogEvent[], f: (e: LogEvent) => string | undefined) => {
    const v = list.length > 0 ? f(list[0]) : undefined;
    return v !== undefined && list.every((e) => f(e) === v) ? v : undefined;
  };
  const evaluate = (c: SigmaCorrelationRule): LogEvent[] | null => {
    if (outputs.has(c)) return outputs.get(c)!;
    outputs.set(c, null);
    const members = c.rules.map(refOf);
    const inputs: LogEvent[][] = [];
    const rules = [];
    for (const m of members) {
      if (m.kind === "detection") {
        if (failed.has(m)) return null;
        const flags = matchCache.get(m)!;
        rules.push({ name: m.name ?? m.id, matches: (e: LogEvent) => flags[index.get(e) ?? -1] === 1 });
      } else {
        const out = evaluate(m);
        if (out === null) return null;
        const own = new Set(out);
        inputs.push(out);
        rules.push({ name: m.name ?? m.id, matches: (e: LogEvent) => own.has(e) });
      }
    }
    const pool = inputs.length === 0 ? events : [...events, ...inputs.flat()];
    const r = evaluateCorrelation(c, rules, pool, { mode: options.mode, fieldMapping: set.fieldMapping });
    const name = detectorName(c);
    stats[name] = { applied: r.matched, matched: r.hits.length };
    if (r.skippedNoGroup > 0 && r.hits.length === 0) {
      diagnostics.push({ severity: "warning", file: c.file, document: c.document, ruleId: c.id, title: c.title, path: "correlation.group-by", message: `${r.skippedNoGroup} of ${r.matched} matching events lack a group-by field (${c.groupBy.join(", ")}) and were left out` });
    }
    const out: LogEvent[] = [];
    for (const h of r.hits) {
      const ev = evidence(h.events);
      const last = ev[ev.length - 1];
      const synthetic: LogEvent = {
        lineNo: last?.lineNo ?? 0,
        time: h.firedAt,
        host: uniform(ev, (e) => e.host),
        user: uniform(ev, (e) => e.user),
        srcIp: uniform(ev, (e) => e.srcIp),
        eventType: "sigma_correlation",
        message: c.title,
        fields: { ...h.group, correlation: c.name ?? c.id ?? c.title, value: h.value },
      };
      expand.set(synthetic, ev);
      out.push(synthetic);
      if (!referenced.has(c)) {
        alerts.push({ detector: name, title: c.title, ruleId: c.id, level: c.level, type: c.type, ...entityOfGroup(h.group as Record<string, string>, c.groupBy, set.fieldMapping, ev), group: h.group, windowStart: h.windowStart, windowEnd: h.windowEnd, firedAt: h.firedAt, value: h.value, events: ev });
      }
    }
    outputs.set(c, out);
    return out;
  };
  for (const c of set.correlations) evaluate(c);
  alerts.sort((a, b) => a.firedAt - b.firedAt || (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0));
  return { alerts, diagnostics, stats };
}

/** The rule references of a `correlation:` section, as far as they are strings. */
function correlationRefs(c: unknown): string[] {
  if (typeof c !== "object" || c === null) return [];
  const r = (c as Record<string, unknown>).rules;
  const list = typeof r === "string" ? [r] : Array.isArray(r) ? r : [];
  return list.filter((x): x is string => typeof x === "string");
}
