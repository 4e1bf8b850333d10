/**
 * An event-level sliding-window correlation rule, as SIEMs write them: "at least `threshold` events of
 * these types from one entity within `windowSeconds`" (e.g. 8 failed passwords from one IP within 120 s,
 * Wazuh's sshd rule 5712; Sigma's `event_count` correlation), or, with `distinct`, "at least `threshold`
 * distinct values of a field" (Sigma's `value_count`: failed logins for one user from ≥ 5 distinct source
 * addresses within 10 minutes, a distributed brute force that no single address makes visible).
 *
 * For each entity the matching events are taken in time order and a window is slid over them with two
 * pointers (O(n log n) for the sort, O(n) for the scan). Every window of at most `windowSeconds` that holds
 * ≥ `threshold` events qualifies; overlapping qualifying windows are merged, so one attack burst gives
 * one hit (its span can exceed `windowSeconds` when the burst lasts longer).
 */
import { DataError, OptionError } from "../errors";
import type { LogEvent } from "../events";
import { checkOptions, didYouMean, type OptionKeys } from "../options";
import { entityGetter } from "../features/entity-key";

/** Every option name of {@link SlidingWindowRuleOptions} (unknown names fail with a suggestion). */
const SLIDING_WINDOW_RULE_OPTIONS_KEYS: OptionKeys<SlidingWindowRuleOptions> = { by: true, eventTypes: true, threshold: true, windowSeconds: true, distinct: true };

const FIELDS = ["srcIp", "user", "host"] as const;

/** Options of {@link slidingWindowRule}. */
export interface SlidingWindowRuleOptions {
  /** The entity events are grouped by. Default: 'srcIp'. */
  readonly by?: "srcIp" | "user" | "host";
  /** Event types that count (LogEvent.eventType). Default: ['failed_password']. */
  readonly eventTypes?: readonly string[];
  /** Minimum number of events (or of distinct `distinct` values) inside one window. Default: 8. */
  readonly threshold?: number;
  /**
   * Count distinct values of this field instead of events (Sigma's `value_count`): e.g. `by: 'user'`,
   * `distinct: 'srcIp'` fires when one user fails from `threshold` different addresses within the window.
   * Events without the field do not count. Must differ from `by`. Default: none (count events).
   */
  readonly distinct?: "srcIp" | "user" | "host";
  /** Window length in seconds: first and last event of a window are at most this far apart. Default: 120. */
  readonly windowSeconds?: number;
}

/** One burst of one entity that fired the rule. */
export interface SlidingWindowHit {
  /** The entity's value (an IP, user or host name, as in the log: escape before showing as HTML). */
  readonly entity: string;
  /** Time of the burst's first event (epoch ms). */
  readonly firstTime: number;
  /** Time of the burst's last event (epoch ms). */
  readonly lastTime: number;
  /** Number of matching events in the burst. */
  readonly count: number;
  /** Distinct values of the `distinct` field in the burst (undefined without `distinct`). */
  readonly distinctValues?: number;
  /** Line numbers of those events, in time order. */
  readonly lineNos: readonly number[];
}

/**
 * Runs the sliding-window rule over events and returns each entity's bursts, sorted by first time (then
 * entity). Events without the entity field or without a time (NaN) are ignored. Errors: OptionError for an
 * unknown option, a `by` or `distinct` that is not 'srcIp', 'user' or 'host' (or `distinct` equal to
 * `by`), empty `eventTypes`, a `threshold` below 1 or a negative `windowSeconds`.
 *
 * @example
 * const hits = slidingWindowRule(events, { by: "srcIp", eventTypes: ["failed_password"], threshold: 8, windowSeconds: 120 });
 * // [{ entity: "203.0.113.9", firstTime: …, lastTime: …, count: 12, lineNos: [40, 41, …] }]
 * // A distributed brute force (Sigma value_count): one user, failures from 52 addresses, in the scenario.
 * const sim = parseLogLines(simulateEntityScenario({ seed: 0 }).lines, { year: 2025 }).events;
 * const spread = slidingWindowRule(sim, { by: "user", distinct: "srcIp", threshold: 5, windowSeconds: 600 });
 * spread.map((h) => [h.entity, h.count, h.distinctValues]); // [["ivan", 69, 52]]
 */
export function slidingWindowRule(events: readonly LogEvent[], options: SlidingWindowRuleOptions = {}): SlidingWindowHit[] {
  checkOptions(options, SLIDING_WINDOW_RULE_OPTIONS_KEYS, "slidingWindowRule");
  const by = options.by ?? "srcIp";
  if (by !== "srcIp" && by !== "user" && by !== "host") {
    throw new OptionError(`Expected \`by\` to be 'srcIp', 'user' or 'host', got ${String(options.by)}${didYouMean(String(options.by), ["srcIp", "user", "host"], "'")}`);
  }
  const entity = entityGetter(by);
  const distinct = options.distinct;
  if (distinct !== undefined && !(FIELDS as readonly string[]).includes(distinct)) {
    throw new OptionError(`Expected \`distinct\` to be 'srcIp', 'user' or 'host', got ${String(distinct)}${didYouMean(String(distinct), FIELDS, "'")}`);
  }
  if (distinct === by) throw new OptionError(`Expected \`distinct\` to differ from \`by\` (both are '${by}'): count distinct values of another field`);
  const valueOf = distinct === undefined ? undefined : entityGetter(distinct);
  const types = options.eventTypes ?? ["failed_password"];
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== "string")) {
    throw new OptionError("Expected `eventTypes` to be a non-empty array of event type names, e.g. ['failed_password']");
  }
  const threshold = options.threshold ?? 8;
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new OptionError(`Expected \`threshold\` to be a positive integer (events per window), got ${String(options.threshold)}`);
  }
  const windowSeconds = options.windowSeconds ?? 120;
  if (typeof windowSeconds !== "number" || !(windowSeconds >= 0) || !Number.isFinite(windowSeconds)) {
    throw new OptionError(`Expected \`windowSeconds\` to be a finite number ≥ 0, got ${String(options.windowSeconds)}`);
  }
  const windowMs = windowSeconds * 1000;
  const wanted = new Set(types);

  const byEntity = new Map<string, LogEvent[]>();
  for (const e of events) {
    if (!wanted.has(e.eventType) || Number.isNaN(e.time)) continue;
    const key = entity(e);
    if (key === undefined || key === "") continue;
    if (valueOf) {
      const v = valueOf(e);
      if (v === undefined || v === "") continue;
    }
    let list = byEntity.get(key);
    if (!list) byEntity.set(key, (list = []));
    list.push(e);
  }

  const hits: SlidingWindowHit[] = [];
  for (const [entity, list] of byEntity) {
    if (list.length < threshold) continue;
    list.sort((a, b) => a.time - b.time || a.lineNo - b.lineNo);
    // Distinct values inside the current window [left, right], with their multiplicity.
    const inWindow = new Map<string, number>();
    const add = (e: LogEvent, d: number) => {
      const v = valueOf!(e)!;
      const n = (inWindow.get(v) ?? 0) + d;
      if (n === 0) inWindow.delete(v);
      else inWindow.set(v, n);
    };
    let left = 0;
    let start = -1; // current merged burst [start, end]
    let end = -1;
    const flush = () => {
      if (start < 0) return;
      const burst = list.slice(start, end + 1);
      hits.push({
        entity,
        firstTime: burst[0].time,
        lastTime: burst[burst.length - 1].time,
        count: burst.length,
        ...(valueOf ? { distinctValues: new Set(burst.map((e) => valueOf(e))).size } : {}),
        lineNos: burst.map((e) => e.lineNo),
      });
      start = end = -1;
    };
    for (let right = 0; right < list.length; right++) {
      if (valueOf) add(list[right], 1);
      while (list[right].time - list[left].time > windowMs) {
        if (valueOf) add(list[left], -1);
        left++;
      }
      if ((valueOf ? inWindow.size : right - left + 1) >= threshold) {
        if (start >= 0 && left <= end) end = right;
        else {
          flush();
          start = left;
          end = right;
        }
      }
    }
    flush();
  }
  hits.sort((a, b) => a.firstTime - b.firstTime || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
  return hits;
}

/** The row keys of a per-(entity, window) feature matrix, as `entityFeatures` returns them. */
export interface WindowRows {
  /** Entity and window start (epoch ms) of every row. */
  readonly keys: readonly { readonly entity: string; readonly windowStart: number }[];
  /** The event field the rows are keyed by: 'srcIp', 'user', 'host' or 'process'. */
  readonly by: string;
  /** Window length, ms. */
  readonly windowMs: number;
}

/**
 * Puts rule hits on the rows of a feature matrix, so a rule can be scored and compared with detectors row
 * by row: a row is flagged (-1, as `predict`) when one of a hit's events has the row's entity and falls in
 * its window, else 1. The hit's own key does not matter, so a rule keyed by user flags the (address, hour)
 * rows its events came from. Events are found by `lineNo`; hits naming a line not in `events` are an error.
 * Errors: OptionError when `rows.by` is not 'srcIp', 'user', 'host' or 'process' (e.g. 'custom'); DataError for an unknown line.
 *
 * @example
 * const ev = parseLogLines(simulateEntityScenario({ seed: 0 }).lines, { year: 2025 }).events;
 * const f = entityFeatures(ev, { by: "srcIp", window: "1h" });
 * const hits = slidingWindowRule(ev, { by: "user", distinct: "srcIp", threshold: 5, windowSeconds: 600 });
 * // One flag per row of f.matrix: -1 where a hit's event falls in the row's (address, hour).
 * const flags = ruleWindowFlags(hits, ev, f);
 * f.keys.filter((_, i) => flags[i] === -1).length; // 52: every address of the distributed brute force
 */
export function ruleWindowFlags(hits: readonly SlidingWindowHit[], events: readonly LogEvent[], rows: WindowRows): Int8Array {
  if (!["srcIp", "user", "host", "process"].includes(rows.by)) {
    throw new OptionError(`Expected the rows to be keyed by 'srcIp', 'user', 'host' or 'process', got ${JSON.stringify(rows.by)}`);
  }
  if (!(rows.windowMs > 0)) throw new OptionError(`Expected \`windowMs\` to be a positive number of milliseconds, got ${String(rows.windowMs)}`);
  const entity = entityGetter(rows.by as "srcIp" | "user" | "host" | "process");
  const byLine = new Map<number, LogEvent>();
  for (const e of events) byLine.set(e.lineNo, e);
  const hit = new Set<string>();
  for (const h of hits) {
    for (const n of h.lineNos) {
      const e = byLine.get(n);
      if (!e) throw new DataError(`A hit names line ${n}, which is not among the events given`);
      const key = entity(e);
      if (key !== undefined && key !== "") hit.add(`${key}|${Math.floor(e.time / rows.windowMs) * rows.windowMs}`);
    }
  }
  return Int8Array.from(rows.keys, (k) => (hit.has(`${k.entity}|${k.windowStart}`) ? -1 : 1));
}
