/**
 * Strict options, one mechanism for the whole library: every options object is checked against the names
 * its type declares, and an unknown name fails with the closest known one (`nEstimator` → "did you mean
 * `nEstimators`?") instead of being silently ignored. The same suggestion serves enumerations (event types,
 * detector and format names, policy actions).
 *
 * @example
 * checkOptions({ nEstimator: 10 }, { nEstimators: true, seed: true }, "IsolationForest"); // throws: Unknown option `nEstimator` for IsolationForest (did you mean `nEstimators`?)
 */
import { OptionError } from "./errors";

/**
 * Every option name of an options type, as a runtime object: `{ nEstimators: true, seed: true, … }`. The
 * compiler checks it both ways (a missing or an extra name is a type error), so the list cannot drift from
 * the type.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Edit distance with adjacent transpositions (optimal string alignment: insertions, deletions,
 * substitutions and swaps of two neighbouring characters, each cost 1), so "lfo" is one edit from "lof".
 *
 * @example
 * editDistance("nEstimator", "nEstimators"); // 1
 * editDistance("contian", "contain");        // 1
 */
export function editDistance(a: string, b: string): number {
  const w = b.length + 1;
  const d = new Array<number>((a.length + 1) * w);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
    }
  }
  return d[a.length * w + b.length];
}

/**
 * How far `value` is from the name `known`, as {@link closestName} measures it: the case-insensitive edit
 * distance, or that of `known`'s start (as long as `value`, when `value` has 3 or more characters) plus 0.5.
 *
 * @example
 * [nameDistance("blok", "block_ip"), nameDistance("Count", "count")]; // [1.5, 0]
 */
export function nameDistance(value: string, known: string): number {
  const v = value.toLowerCase();
  const o = known.toLowerCase();
  return Math.min(editDistance(v, o), v.length >= 3 ? editDistance(v, o.slice(0, v.length)) + 0.5 : Infinity);
}

/**
 * The known name closest to `value` by edit distance (case-insensitive; a typo of a name's start counts
 * almost as much as a typo of the whole, so "blok" finds "block_ip"), or undefined when none is close:
 * at most 2 edits, or a third of the shorter name's length for long names.
 *
 * @example
 * closestName("failed_pasword", ["failed_password", "accepted_password"]); // "failed_password"
 * closestName("zzz", ["count", "failures"]);                              // undefined
 */
export function closestName(value: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = nameDistance(value, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(Math.min(best.length, value.length) / 3)) ? best : undefined;
}

/**
 * ` (did you mean "x"?)` for the name closest to `value`, or "" when none is close; `quote` wraps the
 * suggestion (default `"`; options use a backtick).
 *
 * @example
 * didYouMean("blok", ["log", "alert", "block_ip"]); // ' (did you mean "block_ip"?)'
 */
export function didYouMean(value: string, known: readonly string[], quote = '"'): string {
  const best = closestName(value, known);
  return best === undefined ? "" : ` (did you mean ${quote}${best}${quote}?)`;
}

/**
 * Returns `options` (`{}` when undefined) after checking it is a plain object whose every key is in `keys`;
 * otherwise throws an OptionError naming `where`, the unknown key, the closest known one and the full list.
 * Keys whose value is `undefined` are checked too (a misspelt key is wrong whatever its value).
 *
 * @example
 * checkOptions({ seed: 1 }, { seed: true, contamination: true }, "IsolationForest"); // { seed: 1 }
 * checkOptions({ sed: 1 }, { seed: true }, "IsolationForest"); // throws: Unknown option `sed` for IsolationForest (did you mean `seed`?); expected one of: seed
 */
export function checkOptions<T extends object>(options: T | undefined, keys: OptionKeys<T>, where: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new OptionError(`Expected the options of ${where} to be an object such as { ${Object.keys(keys)[0] ?? ""}: … }, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  const known = Object.keys(keys);
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(keys, key)) {
      throw new OptionError(`Unknown option \`${key}\` for ${where}${didYouMean(key, known, "`")}; expected one of: ${known.join(", ")}`);
    }
  }
  return options;
}

/**
 * Returns `value` if it is one of `choices`; otherwise throws an OptionError naming `what`, the closest choice
 * and the full list.
 *
 * @example
 * checkChoice("brute", ["auto", "brute", "kd-tree"], "algorithm"); // "brute"
 * checkChoice("kdtree", ["auto", "brute", "kd-tree"], "algorithm"); // throws: Unknown algorithm "kdtree" (did you mean "kd-tree"?); expected one of: auto, brute, kd-tree
 */
export function checkChoice<C extends string>(value: unknown, choices: readonly C[], what: string): C {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as C;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new OptionError(`Unknown ${what} ${shown}${typeof value === "string" ? didYouMean(value, choices) : ""}; expected one of: ${choices.join(", ")}`);
}

/**
 * The entries of `options` whose names are in `keys`: what a function that checked a wider options object
 * passes on to a narrower one (e.g. `parseLog`'s options to `readLines`).
 *
 * @example
 * pickOptions({ seed: 1, format: "csv" }, { seed: true }); // { seed: 1 }
 */
export function pickOptions<T extends object>(options: object, keys: OptionKeys<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (Object.prototype.hasOwnProperty.call(keys, k)) out[k] = v;
  return out as T;
}
