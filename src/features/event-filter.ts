import { OptionError } from "../errors";
import type { LogEvent } from "../events";

/** Which events count: an event type, several, or a predicate. */
export type EventFilter = string | readonly string[] | ((event: LogEvent) => boolean);

/**
 * Compile an {@link EventFilter} to a predicate (undefined filter → undefined = all).
 *
 * @example
 * const isFailure = compileEventFilter(["failed_password", "invalid_user"]);
 * isFailure?.({ lineNo: 1, time: 0, eventType: "invalid_user", message: "" }) // true
 */
export function compileEventFilter(filter: EventFilter | undefined, name = "filter"): ((e: LogEvent) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === "function") return filter;
  if (typeof filter === "string") {
    if (filter === "") throw new OptionError(`Expected \`${name}\` to be an event type such as 'failed_password', got ''`);
    return (e) => e.eventType === filter;
  }
  if (Array.isArray(filter)) {
    const set = new Set(filter as readonly string[]);
    return (e) => set.has(e.eventType);
  }
  throw new OptionError(`Expected \`${name}\` to be an event type, a list of them, or a predicate, got ${typeof filter}`);
}

/**
 * For the companion rule (a companion record is skipped when its attempt's type is counted too): which event
 * types a filter of event types counts; undefined without a filter (every record is counted, companions
 * included: the `failures` feature counts attempts) and for a predicate, which decides about companions itself.
 *
 * @example
 * countsTypeOf(["failed_password", "auth_failure"])?.("failed_password") // true
 * countsTypeOf((e) => e.outcome === "failure") // undefined
 * countsTypeOf(undefined) // undefined
 */
export function countsTypeOf(filter: EventFilter | undefined): ((eventType: string) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === "string") return (t) => t === filter;
  if (Array.isArray(filter)) {
    const set = new Set(filter as readonly string[]);
    return (t) => set.has(t);
  }
  return undefined;
}
