import type { LogEvent } from "../events";
import { didYouMean, type RuleDiagnostic, SigmaRuleError } from "./rule-diagnostic";
import { type SigmaFieldSource, sigmaFieldGetter, type SigmaFieldGetter } from "./sigma-field-map";
import { readSigmaMetaInto, type SigmaRuleMeta } from "./sigma-rule";

/** Sigma v2 correlation types. */
export const CORRELATION_TYPES = ["event_count", "value_count", "temporal", "temporal_ordered"] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** A correlation condition: one or more bounds (AND), e.g. `{ gte: 10 }` or the range `{ gt: 100, lte: 200 }`. */
export interface CorrelationCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  /** value_count: the field whose distinct values are counted. */
  readonly field?: string;
}

/** A compiled Sigma correlation rule (rule references not yet resolved). */
export interface SigmaCorrelationRule extends SigmaRuleMeta {
  readonly kind: "correlation";
  readonly type: CorrelationType;
  /** Referenced rules by `id` or `name`, in the order given (the order matters for temporal_ordered). */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly timespan: string;
  readonly condition: CorrelationCondition;
  /** alias → (rule name → field). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Also alert on the referenced rules' own matches. Default false (Sigma's default). */
  readonly generate: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BOUNDS = ["gt", "gte", "lt", "lte", "eq"] as const;

/**
 * Parse a Sigma timespan: a number and one lower-case unit, `s`, `m`, `h` or `d` (e.g. `90m`).
 *
 * @example
 * parseSigmaTimespan("5m") // 300000
 */
export function parseSigmaTimespan(text: unknown): number {
  const m = typeof text === "string" ? /^(\d+)([smhd])$/.exec(text) : null;
  if (!m || +m[1] === 0) {
    throw new Error(`timespan must be a positive number and a unit s, m, h or d (e.g. 5m, 1h, 90m), got ${JSON.stringify(text)}`);
  }
  return +m[1] * UNITS[m[2]];
}

/**
 * Compile a Sigma correlation rule document (`correlation:` section with type, rules, group-by, timespan,
 * condition, aliases). Throws {@link SigmaRuleError} with every error found (`diagnostics`), each with the path
 * of the bad part.
 *
 * @example
 * const c = compileSigmaCorrelation({
 *   title: "SSH brute force", correlation: { type: "event_count", rules: ["ssh_failed"], "group-by": ["c-ip"], timespan: "1m", condition: { gte: 10 } },
 * });
 * c.timespanMs // 60000
 */
export function compileSigmaCorrelation(doc: Record<string, unknown>, options: { readonly file?: string; readonly document?: number } = {}): SigmaCorrelationRule {
  const ctx = {
    file: options.file,
    document: options.document,
    title: typeof doc.title === "string" ? doc.title : undefined,
    ruleId: typeof doc.id === "string" ? doc.id : undefined,
  };
  // Every error of the rule is collected (a rule file with two mistakes shows both); `fatal` stops at once.
  const errors: RuleDiagnostic[] = [];
  const err = (path: string, message: string): void => {
    errors.push({ severity: "error", ...ctx, path, message });
  };
  const fatal = (path: string, message: string): never => {
    err(path, message);
    throw new SigmaRuleError(errors);
  };
  const meta = readSigmaMetaInto(doc, ctx, errors);
  const c = doc.correlation;
  if (typeof c !== "object" || c === null || Array.isArray(c)) return fatal("correlation", "'correlation' must be a map with type, rules, group-by, timespan and condition");
  const corr = c as Record<string, unknown>;
  const type = corr.type;
  if (typeof type !== "string" || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    err("correlation.type", `unknown correlation type ${JSON.stringify(type)}${typeof type === "string" ? didYouMean(type, CORRELATION_TYPES) : ""}; expected one of ${CORRELATION_TYPES.join(", ")}`);
  }
  const rulesRaw = typeof corr.rules === "string" ? [corr.rules] : corr.rules;
  const rulesOk = Array.isArray(rulesRaw) && rulesRaw.length > 0 && rulesRaw.every((r) => typeof r === "string");
  if (!rulesOk) err("correlation.rules", "'rules' must list the id or name of at least one rule");
  const rules = rulesOk ? (rulesRaw as string[]) : [];
  if (rules.length > 30) err("correlation.rules", `at most 30 rules per correlation, got ${rules.length}`);
  if (rulesOk && (type === "temporal" || type === "temporal_ordered") && rules.length < 2) err("correlation.rules", `${type} needs at least two rules`);
  const gbRaw = corr["group-by"] ?? [];
  const groupBy = typeof gbRaw === "string" ? [gbRaw] : gbRaw;
  if (!Array.isArray(groupBy) || groupBy.some((g) => typeof g !== "string")) err("correlation.group-by", "'group-by' must be a list of field names");
  if (corr.timeframe !== undefined && corr.timespan === undefined) err("correlation.timeframe", "use 'timespan' (Sigma v2), not 'timeframe'");
  let timespanMs = 0;
  try {
    timespanMs = parseSigmaTimespan(corr.timespan);
  } catch (e) {
    err("correlation.timespan", (e as Error).message);
  }
  const condRaw = corr.condition;
  const condition: Record<string, number | string> = {};
  if (condRaw === undefined) {
    if (type === "event_count" || type === "value_count") err("correlation.condition", `${type} needs a condition such as { gte: 10 }`);
    condition.gte = rules.length;
  } else {
    const condMap = typeof condRaw === "object" && condRaw !== null && !Array.isArray(condRaw) ? (condRaw as Record<string, unknown>) : undefined;
    if (condMap === undefined) err("correlation.condition", "condition must be a map such as { gte: 10 }");
    let unknownBound = false;
    for (const [k, v] of Object.entries(condMap ?? {})) {
      if (k === "field") {
        if (type !== "value_count") err("correlation.condition.field", "'field' belongs to value_count only");
        if (typeof v !== "string" || v === "") err("correlation.condition.field", "'field' must name a field");
        condition.field = v as string;
      } else if ((BOUNDS as readonly string[]).includes(k)) {
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) err(`correlation.condition.${k}`, `'${k}' needs a number ≥ 0, got ${JSON.stringify(v)}`);
        condition[k] = v as number;
      } else {
        err(`correlation.condition.${k}`, `unknown condition '${k}'${didYouMean(k, [...BOUNDS, "field"])}; use gt, gte, lt, lte, eq (two bounds make a range)`);
        unknownBound = true;
      }
    }
    // (After an unknown key, likely a misspelt bound, "give at least one" would only repeat it.)
    if (condMap !== undefined && !unknownBound && !BOUNDS.some((b) => b in condition)) err("correlation.condition", "give at least one of gt, gte, lt, lte, eq");
    if (type === "value_count" && condition.field === undefined) err("correlation.condition", "value_count needs 'field' in its condition");
  }
  const aliases: Record<string, Record<string, string>> = {};
  if (corr.aliases !== undefined) {
    const aliasMap = typeof corr.aliases === "object" && corr.aliases !== null ? (corr.aliases as Record<string, unknown>) : {};
    if (typeof corr.aliases !== "object" || corr.aliases === null) err("correlation.aliases", "'aliases' must map alias → rule name → field");
    for (const [alias, m] of Object.entries(aliasMap)) {
      if (typeof m !== "object" || m === null || Object.values(m).some((f) => typeof f !== "string")) err(`correlation.aliases.${alias}`, "must map rule names to field names");
      aliases[alias] = m as Record<string, string>;
    }
  }
  const gen = corr.generate ?? doc.generate ?? false;
  if (typeof gen !== "boolean") err("generate", "'generate' must be true or false");
  if (errors.length > 0 || meta === undefined) throw new SigmaRuleError(errors);
  return {
    kind: "correlation",
    ...meta,
    type: type as CorrelationType,
    rules,
    groupBy: groupBy as string[],
    timespanMs,
    timespan: corr.timespan as string,
    condition: condition as CorrelationCondition,
    aliases,
    generate: gen as boolean,
  };
}

/**
 * True when `n` satisfies every bound of the condition.
 *
 * @example
 * correlationConditionHolds({ gt: 1, lte: 3 }, 3) // true
 * correlationConditionHolds({ gte: 10 }, 9) // false
 */
export function correlationConditionHolds(c: CorrelationCondition, n: number): boolean {
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq)
  );
}

/** When a correlation fires. */
export type CorrelationMode = "window" | "every";

/** A referenced rule as the correlation engine sees it. */
export interface CorrelatedRule {
  /** The name aliases refer to (the rule's `name`, else its id). */
  readonly name?: string;
  matches(event: LogEvent): boolean;
}

/** One firing of a correlation for one group. */
export interface CorrelationHit {
  /** group-by field → value (as text). */
  readonly group: Readonly<Record<string, string>>;
  readonly windowStart: number;
  /** Exclusive end. */
  readonly windowEnd: number;
  /** When the condition became knowably true (see {@link evaluateCorrelation}). */
  readonly firedAt: number;
  /** The correlated number: events (event_count), distinct values (value_count), rules seen (temporal). */
  readonly value: number;
  readonly events: readonly LogEvent[];
}

/** What one correlation produced on a batch of events. */
export interface CorrelationResult {
  readonly hits: CorrelationHit[];
  /** Matching events left out because a group-by field was missing or null. */
  readonly skippedNoGroup: number;
  /** Matching events left out because their time is NaN. */
  readonly skippedNoTime: number;
  /** Events that matched at least one referenced rule. */
  readonly matched: number;
}

interface Member {
  readonly e: LogEvent;
  readonly t: number;
  readonly order: number;
  /** Bit set of the referenced rules this event matched. */
  readonly rules: number;
  /** value_count: the value (text), or undefined when missing/null. */
  readonly value?: string;
}

/** Options of {@link evaluateCorrelation}. */
export interface EvaluateCorrelationOptions {
  /**
   * `"window"` (default): per group, windows are anchored at a matching event, `[t, t + timespan)`; the
   * first window whose count satisfies the condition fires once, and the next window can start only at an
   * event at or after its end — one alert per group per window, its events the whole window.
   * `"every"`: the condition is tested at every matching event over the trailing window `(t − timespan, t]`
   * and fires each time it holds (overlapping alerts, what frequency rules in Wazuh/OSSEC do).
   */
  readonly mode?: CorrelationMode;
  /** Extra field mappings for group-by and value_count fields. Default: none. */
  readonly fieldMapping?: Readonly<Record<string, SigmaFieldSource>>;
}

const text = (v: unknown) => (typeof v === "string" ? v : String(v));

/**
 * Evaluate one correlation over events (any order; sorted by time, ties by input order). Group-by values
 * compare as exact, case-sensitive text; an event whose group-by field is missing or null is left out (and
 * counted in `skippedNoGroup`), as `stats … by` does in SIEMs. value_count ignores missing/null values.
 * Windows are half-open: events exactly `timespan` apart are not in one window. `firedAt` is the time the
 * answer was knowable: for conditions with only lower bounds (gt/gte) the event that reached the bound;
 * for temporal_ordered the event that completed the sequence; otherwise (lt/lte/eq bounds) the window end.
 *
 * @example
 * const fail = { matches: (e: LogEvent) => e.eventType === "failed_password" };
 * const corr = compileSigmaCorrelation({ title: "bf", correlation: { type: "event_count", rules: ["f"], "group-by": ["srcIp"], timespan: "1m", condition: { gte: 3 } } });
 * const { hits } = evaluateCorrelation(corr, [fail], events); // events: data/sim/auth.log
 * hits.length // 34
 * hits[0] // { group: { srcIp: "198.51.100.23" }, windowStart: 1741257249000, windowEnd: 1741257309000, firedAt: 1741257254000, value: 25, …
 */
export function evaluateCorrelation(
  corr: SigmaCorrelationRule,
  rules: readonly CorrelatedRule[],
  events: readonly LogEvent[],
  options: EvaluateCorrelationOptions = {},
): CorrelationResult {
  const mode = options.mode ?? "window";
  const mapping = options.fieldMapping ?? {};
  const getters = new Map<string, SigmaFieldGetter>();
  const getter = (field: string, ruleIndex: number): SigmaFieldGetter => {
    const name = rules[ruleIndex].name;
    const resolved = (name !== undefined && corr.aliases[field]?.[name]) || field;
    let g = getters.get(resolved);
    if (!g) getters.set(resolved, (g = sigmaFieldGetter(resolved, mapping)));
    return g;
  };
  const groups = new Map<string, { group: Record<string, string>; members: Member[] }>();
  let skippedNoGroup = 0;
  let skippedNoTime = 0;
  let matched = 0;
  events.forEach((e, order) => {
    let bits = 0;
    let first = -1;
    for (let r = 0; r < rules.length; r++) {
      if (rules[r].matches(e)) {
        bits |= 1 << r;
        if (first < 0) first = r;
      }
    }
    if (bits === 0) return;
    matched++;
    if (!Number.isFinite(e.time)) {
      skippedNoTime++;
      return;
    }
    const group: Record<string, string> = {};
    for (const g of corr.groupBy) {
      const v = getter(g, first).get(e);
      if (v === undefined || v === null) {
        skippedNoGroup++;
        return;
      }
      group[g] = text(v);
    }
    let value: string | undefined;
    if (corr.type === "value_count") {
      const v = getter(corr.condition.field as string, first).get(e);
      value = v === undefined || v === null ? undefined : text(v);
    }
    const key = JSON.stringify(corr.groupBy.map((g) => group[g]));
    let slot = groups.get(key);
    if (!slot) groups.set(key, (slot = { group, members: [] }));
    slot.members.push({ e, t: e.time, order, rules: bits, value });
  });
  const span = corr.timespanMs;
  const c = corr.condition;
  const lowerOnly = c.lt === undefined && c.lte === undefined && c.eq === undefined;
  const hits: CorrelationHit[] = [];
  // Incremental metric over a run of members; `add` returns the metric after adding m.
  const makeMetric = () => {
    let n = 0;
    const seen = new Set<string>();
    let ruleBits = 0;
    let next = 0;
    return (m: Member): number => {
      switch (corr.type) {
        case "event_count":
          return ++n;
        case "value_count":
          if (m.value !== undefined) seen.add(m.value);
          return seen.size;
        case "temporal": {
          ruleBits |= m.rules;
          let k = 0;
          for (let b = ruleBits; b; b &= b - 1) k++;
          return k;
        }
        case "temporal_ordered":
          if (next < rules.length && m.rules & (1 << next)) next++;
          return next;
      }
    };
  };
  // Distinct values (value_count) or distinct rules (temporal) over a sliding run of members, with removal,
  // so both modes are O(n) per group for these types.
  const makeSliding = () => {
    const counts = new Map<string | number, number>();
    const keys = (m: Member): (string | number)[] => {
      if (corr.type === "value_count") return m.value === undefined ? [] : [m.value];
      const out: number[] = [];
      for (let r = 0; r < rules.length; r++) if (m.rules & (1 << r)) out.push(r);
      return out;
    };
    return {
      add(m: Member) {
        for (const k of keys(m)) counts.set(k, (counts.get(k) ?? 0) + 1);
      },
      remove(m: Member) {
        for (const k of keys(m)) {
          const n = (counts.get(k) ?? 1) - 1;
          if (n === 0) counts.delete(k);
          else counts.set(k, n);
        }
      },
      value: () => counts.size,
      clear: () => counts.clear(),
    };
  };
  const sliding = corr.type === "value_count" || corr.type === "temporal";
  for (const { group, members } of [...groups.values()]) {
    members.sort((a, b) => a.t - b.t || a.order - b.order);
    if (mode === "every") {
      let lo = 0;
      const win = makeSliding();
      for (let j = 0; j < members.length; j++) {
        if (sliding) win.add(members[j]);
        while (members[lo].t <= members[j].t - span) {
          if (sliding) win.remove(members[lo]);
          lo++;
        }
        let v = j - lo + 1; // event_count: O(1) per event
        if (sliding) v = win.value();
        else if (corr.type !== "event_count") {
          const add = makeMetric();
          for (let i = lo; i <= j; i++) v = add(members[i]);
        }
        if (correlationConditionHolds(c, v)) {
          hits.push({ group, windowStart: members[j].t - span + 1, windowEnd: members[j].t + 1, firedAt: members[j].t, value: v, events: members.slice(lo, j + 1).map((m) => m.e) });
        }
      }
      continue;
    }
    if (corr.type === "event_count") {
      // Two pointers: the count of [t_i, t_i + span) is j - i, and j only moves forward (O(n) per group).
      const need = Math.max(1, Math.ceil(c.gte ?? 0), Math.floor(c.gt ?? -1) + 1);
      let i = 0;
      let j = 0;
      while (i < members.length) {
        const start = members[i].t;
        const end = start + span;
        if (j < i) j = i;
        while (j < members.length && members[j].t < end) j++;
        const v = j - i;
        if (correlationConditionHolds(c, v)) {
          const firedAt = lowerOnly ? members[i + need - 1].t : end;
          hits.push({ group, windowStart: start, windowEnd: end, firedAt, value: v, events: members.slice(i, j).map((m) => m.e) });
          i = j;
        } else i++;
      }
      continue;
    }
    if (sliding) {
      const win = makeSliding();
      let i = 0;
      let j = 0;
      while (i < members.length) {
        const start = members[i].t;
        const end = start + span;
        while (j < members.length && members[j].t < end) win.add(members[j++]);
        const v = win.value();
        if (correlationConditionHolds(c, v)) {
          let firedAt = end;
          if (lowerOnly) {
            const add = makeMetric();
            for (let k = i; k < j; k++) {
              if (correlationConditionHolds(c, add(members[k]))) {
                firedAt = members[k].t;
                break;
              }
            }
          }
          hits.push({ group, windowStart: start, windowEnd: end, firedAt, value: v, events: members.slice(i, j).map((m) => m.e) });
          win.clear();
          i = j;
        } else win.remove(members[i++]);
      }
      continue;
    }
    let i = 0;
    while (i < members.length) {
      const start = members[i].t;
      const end = start + span;
      const add = makeMetric();
      let v = 0;
      let firedAt = NaN;
      let j = i;
      for (; j < members.length && members[j].t < end; j++) {
        v = add(members[j]);
        if (Number.isNaN(firedAt) && correlationConditionHolds(c, v) && (lowerOnly || corr.type === "temporal_ordered")) firedAt = members[j].t;
      }
      if (correlationConditionHolds(c, v) || (!Number.isNaN(firedAt) && lowerOnly)) {
        hits.push({ group, windowStart: start, windowEnd: end, firedAt: Number.isNaN(firedAt) ? end : firedAt, value: v, events: members.slice(i, j).map((m) => m.e) });
        i = j; // next window starts at the first event at or after this window's end
      } else i++;
    }
  }
  hits.sort((a, b) => a.firedAt - b.firedAt || a.windowStart - b.windowStart);
  return { hits, skippedNoGroup, skippedNoTime, matched };
}
