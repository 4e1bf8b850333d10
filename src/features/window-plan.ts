import { OptionError } from "../errors";
import { isFailedAttempt, type LogEvent } from "../events";
import { compileEventFilter, type EventFilter } from "./event-filter";

/** A feature column computed per entity per window. */
export type WindowFeature =
  | "count"
  | "failures"
  | "successes"
  | "failureRate"
  | "distinctUsers"
  | "distinctIps"
  | "distinctHosts"
  | "bytesSum"
  | CustomWindowFeature;

/** A custom column: count events (optionally filtered), sum a numeric value, or count distinct values. */
export interface CustomWindowFeature {
  /** Column name. */
  readonly name: string;
  readonly kind: "count" | "sum" | "distinct";
  /** Only events passing this count toward the column. Default: all events of the row. */
  readonly where?: EventFilter;
  /** The value summed (kind 'sum') or whose distinct values are counted (kind 'distinct'). */
  readonly value?: (event: LogEvent) => number | string | undefined;
}

const BUILTIN = new Set(["count", "failures", "successes", "failureRate", "distinctUsers", "distinctIps", "distinctHosts", "bytesSum"]);

/** Accumulator slots per cell: numeric sums, and distinct sets. */
export interface Plan {
  /** Column → how to compute it from the cell's accumulators. */
  readonly columns: string[];
  readonly numeric: Array<(e: LogEvent) => number>; // added per event into numeric slot k
  readonly distinct: Array<(e: LogEvent) => string | undefined>;
  /** For each column: [kind, slot] with kind 0 numeric slot, 1 distinct slot, 2 failure rate (slots f, s). */
  readonly outputs: Array<[0 | 1 | 2, number, number]>;
  /**
   * What each slot holds, by name: numeric 'count', 'failures', 'successes', 'bytes' or 'custom:N'; distinct
   * 'user', 'srcIp', 'host' or 'custom:N'. Column stores push the named slots down as SQL aggregates.
   */
  readonly numericKeys: string[];
  readonly distinctKeys: string[];
}

/**
 * Compiles the `features` of {@link windowCounts} into accumulator slots: which per-event numbers are
 * summed, which values counted distinct, and how each output column reads them. Throws an OptionError
 * for an unknown feature, a malformed custom feature or a repeated column name.
 *
 * @example
 * plan(["count", "failureRate"]).columns; // ["count", "failureRate"]
 */
export function plan(features: readonly WindowFeature[]): Plan {
  if (features.length === 0) throw new OptionError("Expected `features` to name at least one column, e.g. ['count']");
  const numeric: Array<(e: LogEvent) => number> = [];
  const distinct: Array<(e: LogEvent) => string | undefined> = [];
  const numericIndex = new Map<string, number>();
  const numericKeys: string[] = [];
  const distinctKeys: string[] = [];
  const addNumeric = (key: string, f: (e: LogEvent) => number): number => {
    const have = numericIndex.get(key);
    if (have !== undefined) return have;
    numeric.push(f);
    numericKeys.push(key);
    numericIndex.set(key, numeric.length - 1);
    return numeric.length - 1;
  };
  const columns: string[] = [];
  const outputs: Array<[0 | 1 | 2, number, number]> = [];
  // Failed attempts: a companion record of an attempt counted elsewhere (PAM beside sshd) is not another one.
  const failures = () => addNumeric("failures", (e) => (isFailedAttempt(e) ? 1 : 0));
  const successes = () => addNumeric("successes", (e) => (e.outcome === "success" ? 1 : 0));
  for (const f of features) {
    if (typeof f === "string") {
      if (!BUILTIN.has(f)) {
        throw new OptionError(`Unknown feature ${JSON.stringify(f)}. Expected one of: ${[...BUILTIN].join(", ")}, or {name, kind, where?, value?}`);
      }
      columns.push(f);
      switch (f) {
        case "count":
          outputs.push([0, addNumeric("count", () => 1), 0]);
          break;
        case "failures":
          outputs.push([0, failures(), 0]);
          break;
        case "successes":
          outputs.push([0, successes(), 0]);
          break;
        case "failureRate":
          outputs.push([2, failures(), successes()]);
          break;
        case "bytesSum":
          outputs.push([0, addNumeric("bytes", (e) => {
            const b = e.fields?.bytes;
            return typeof b === "number" && Number.isFinite(b) ? b : 0;
          }), 0]);
          break;
        case "distinctUsers":
          distinct.push((e) => e.user);
          distinctKeys.push("user");
          outputs.push([1, distinct.length - 1, 0]);
          break;
        case "distinctIps":
          distinct.push((e) => e.srcIp);
          distinctKeys.push("srcIp");
          outputs.push([1, distinct.length - 1, 0]);
          break;
        case "distinctHosts":
          distinct.push((e) => e.host);
          distinctKeys.push("host");
          outputs.push([1, distinct.length - 1, 0]);
          break;
      }
    } else {
      if (!f || typeof f.name !== "string" || f.name === "") throw new OptionError("Expected a custom feature to have a non-empty `name`");
      const where = compileEventFilter(f.where, `${f.name}.where`);
      columns.push(f.name);
      if (f.kind === "count") {
        outputs.push([0, addNumeric(`custom:${columns.length}`, where ? (e) => (where(e) ? 1 : 0) : () => 1), 0]);
      } else if (f.kind === "sum" || f.kind === "distinct") {
        const value = f.value;
        if (typeof value !== "function") throw new OptionError(`Expected custom feature ${JSON.stringify(f.name)} of kind '${f.kind}' to have a \`value\` function`);
        if (f.kind === "sum") {
          outputs.push([0, addNumeric(`custom:${columns.length}`, (e) => {
            if (where && !where(e)) return 0;
            const v = value(e);
            return typeof v === "number" && Number.isFinite(v) ? v : 0;
          }), 0]);
        } else {
          distinct.push((e) => {
            if (where && !where(e)) return undefined;
            const v = value(e);
            return v === undefined ? undefined : String(v);
          });
          distinctKeys.push(`custom:${columns.length}`);
          outputs.push([1, distinct.length - 1, 0]);
        }
      } else {
        throw new OptionError(`Expected custom feature ${JSON.stringify(f.name)} to have kind 'count', 'sum' or 'distinct', got ${JSON.stringify(f.kind)}`);
      }
    }
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new OptionError(`Feature column ${JSON.stringify(c)} appears twice; give custom features distinct names`);
    seen.add(c);
  }
  return { columns, numeric, distinct, outputs, numericKeys, distinctKeys };
}
