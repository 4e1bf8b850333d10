/**
 * An event-level sliding-window correlation rule, as SIEMs write them: "at least `threshold` events of
 * these types from one entity within `windowSeconds`" (e.g. 8 failed passwords from one IP within 120 s).
 *
 * For each entity the matching events are taken in time order and a window is slid over them with two
 * pointers (O(n log n) for the sort, O(n) for the scan). Every window of at most `windowSeconds` that holds
 * ≥ `threshold` events qualifies; overlapping qualifying windows are merged, so one attack burst gives
 * one hit (its span can exceed `windowSeconds` when the burst lasts longer).
 */
import { OptionError } from "../errors";
import type { LogEvent } from "../events";
import { checkOptions, didYouMean, type OptionKeys } from "../options";
import { entityGetter } from "../features/entity-key";

/** Every option name of {@link SlidingWindowRuleOptions} (unknown names fail with a suggestion). */
const SLIDING_WINDOW_RULE_OPTIONS_KEYS: OptionKeys<SlidingWindowRuleOptions> = { by: true, eventTypes: true, threshold: true, windowSeconds: true };

/** Options of {@link slidingWindowRule}. */
export interface SlidingWindowRuleOptions {
  /** The entity events are grouped by. Default: 'srcIp'. */
  readonly by?: "srcIp" | "user" | "host";
  /** Event types that count (LogEvent.eventType). Default: ['failed_password']. */
  readonly eventTypes?: readonly string[];
  /** Minimum number of events inside one window. Default: 8. */
  readonly threshold?: number;
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
  /** Line numbers of those events, in time order. */
  readonly lineNos: readonly number[];
}

/**
 * Runs the sliding-window rule over events and returns each entity's bursts, sorted by first time (then
 * entity). Events without the entity field or without a time (NaN) are ignored.
 *
 * @example
 * const hits = slidingWindowRule(events, { by: "srcIp", eventTypes: ["failed_password"], threshold: 8, windowSeconds: 120 });
 * // [{ entity: "203.0.113.9", firstTime: …, lastTime: …, count: 12, lineNos: [40, 41, …] }]
 */
export function slidingWindowRule(events: readonly LogEvent[], options: SlidingWindowRuleOptions = {}): SlidingWindowHit[] {
  checkOptions(options, SLIDING_WINDOW_RULE_OPTIONS_KEYS, "slidingWindowRule");
  const by = options.by ?? "srcIp";
  if (by !== "srcIp" && by !== "user" && by !== "host") {
    throw new OptionError(`Expected \`by\` to be 'srcIp', 'user' or 'host', got ${String(options.by)}${didYouMean(String(options.by), ["srcIp", "user", "host"], "'")}`);
  }
  const entity = entityGetter(by);
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
    let list = byEntity.get(key);
    if (!list) byEntity.set(key, (list = []));
    list.push(e);
  }

  const hits: SlidingWindowHit[] = [];
  for (const [entity, list] of byEntity) {
    if (list.length < threshold) continue;
    list.sort((a, b) => a.time - b.time || a.lineNo - b.lineNo);
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
        lineNos: burst.map((e) => e.lineNo),
      });
      start = end = -1;
    };
    for (let right = 0; right < list.length; right++) {
      while (list[right].time - list[left].time > windowMs) left++;
      if (right - left + 1 >= threshold) {
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
