/**
 * Features an analyst would choose, per entity and time window, from parsed events of any format: one call
 * builds a named-column matrix that every detector takes, and the per-entity baseline
 * (`EntityBaseline`) reads the entity of each row from its optional `entity_id` column.
 *
 * Sparse by default (`zeroFill: false`): a row is a window in which the entity did something. Zero-filling
 * every quiet window of every entity makes almost every row all-zero (on failed logins per IP per minute,
 * 99.5 % of rows), so a detector learns "zero is normal" and flags every window with any activity at all,
 * whatever the contamination: a colleague's single typo becomes an anomaly. With sparse rows the question
 * is "is this activity unusual?", which is the one an analyst asks. Zero-fill when absence itself matters
 * (a heartbeat that stops).
 *
 * @example
 * const f = entityFeatures(events, { by: "user", window: "1h" });
 * f.columns;                 // ["count", "failures", "failure_ratio", "distinct_targets", …]
 * f.units.distinct_targets;  // "distinct srcIp values in the window"
 */
import type * as dfd from "danfojs-node";
import { OptionError, warnOnce } from "../errors";
import { checkOptions, type OptionKeys } from "../options";
import { companionCounted, type LogEvent } from "../events";
import type { DenseMatrix } from "../matrix";
import { parseDuration } from "./duration";
import { type EntityKey, entityGetter } from "./entity-key";
import { compileEventFilter, countsTypeOf, type EventFilter } from "./event-filter";
import { windowFrame } from "./window-frame";

/** The features {@link entityFeatures} can build, in their column order. */
export const ENTITY_FEATURES = [
  "count",
  "failures",
  "failure_ratio",
  "distinct_targets",
  "success_after_failures",
  "bytes",
  "hour_of_day",
  "day_of_week",
  "first_seen_targets",
  "rare_targets",
] as const;

/** One feature of {@link ENTITY_FEATURES}. */
export type EntityFeatureName = (typeof ENTITY_FEATURES)[number];

/** Which way a feature is unusual: 'upper' (more than usual is suspicious) or 'both' (any departure). */
export type FeatureTail = "upper" | "both";

/** Unit and meaning of each feature (the `target` field is filled in by {@link entityFeatures}). */
const UNITS: Readonly<Record<EntityFeatureName, string>> = {
  count: "events in the window",
  failures: "events with outcome 'failure' in the window",
  failure_ratio: "failures / events with an outcome, in [0, 1]; 0 when no event has an outcome",
  distinct_targets: "distinct {target} values in the window",
  success_after_failures: "1 when a success follows at least {n} consecutive failures of the entity, else 0",
  bytes: "sum of the events' `fields.bytes`, in bytes",
  hour_of_day: "UTC hour of the window's first event, 0–23 (hours; not circular: 23 and 0 are 23 apart)",
  day_of_week: "UTC day of the week of the window's first event, 0 = Sunday … 6 = Saturday",
  first_seen_targets: "distinct {target} values never seen for this entity in an earlier window (0 in its first window)",
  rare_targets: "distinct {target} values whose share of all events in the input is below {rare}",
};

/** Tail of each feature: counts are suspicious when high; the time of day or week when different at all. */
const TAILS: Readonly<Record<EntityFeatureName, FeatureTail>> = {
  count: "upper",
  failures: "upper",
  failure_ratio: "upper",
  distinct_targets: "upper",
  success_after_failures: "upper",
  bytes: "upper",
  hour_of_day: "both",
  day_of_week: "both",
  first_seen_targets: "upper",
  rare_targets: "upper",
};

/**
 * Smallest meaningful scale of each feature, in its unit (for `EntityBaseline`'s `minScale`): one event or
 * value for counts (a Poisson count with mean ≤ 1 has a standard deviation of 1), 0.25 for the failure
 * ratio (one failure among a handful of attempts), one hour, one day, 1 KiB.
 */
const MIN_SCALES: Readonly<Record<EntityFeatureName, number>> = {
  count: 1,
  failures: 1,
  failure_ratio: 0.25,
  distinct_targets: 1,
  success_after_failures: 0.5,
  bytes: 1024,
  hour_of_day: 1,
  day_of_week: 1,
  first_seen_targets: 1,
  rare_targets: 1,
};

/** Options of {@link entityFeatures}. */
export interface EntityFeaturesOptions {
  /** The entity of each row: 'srcIp' (alias 'ip'), 'user', 'host', 'process' or a function. Default: 'srcIp'. */
  readonly by?: EntityKey;
  /** Window length: '1m', '1h', '1d', … or milliseconds; windows are aligned to UTC epoch multiples. Default: '1h'. */
  readonly window?: string | number;
  /** Columns to build, in this order. Default: every feature of {@link ENTITY_FEATURES}. */
  readonly features?: readonly EntityFeatureName[];
  /**
   * The "other side" counted by `distinct_targets`, `first_seen_targets` and `rare_targets`. Default: 'user'
   * when `by` is 'srcIp' (users tried from one address: password spraying), 'srcIp' when `by` is 'user'
   * (addresses one user logs in from), 'user' otherwise.
   */
  readonly target?: EntityKey;
  /** Consecutive failures before a success that sets `success_after_failures`. Default: 5. */
  readonly failuresBeforeSuccess?: number;
  /** Share of all events below which a target value is rare (`rare_targets`), in (0, 1). Default: 0.01. */
  readonly rareBelow?: number;
  /**
   * Events taken into account (e.g. ['failed_password', 'accepted_password']). Default: all. With a type or a
   * list, a companion record is skipped when its attempt's type is taken too (as in `windowCounts`).
   */
  readonly filter?: EventFilter;
  /**
   * Emit every window of every entity between its first and last event, quiet ones as zero rows. Default:
   * false (sparse: see the module comment for why).
   */
  readonly zeroFill?: boolean;
  /**
   * Prepend an `entity_id` column: {@link entityCode} of the entity, the same number for the same entity in
   * every call, so that `EntityBaseline({ entityColumn: 0 })` can find each row's history. Default: false.
   */
  readonly entityColumn?: boolean;
  /** Refuse to build more rows than this. Default: 5,000,000. */
  readonly maxRows?: number;
}

/** Every option name of {@link EntityFeaturesOptions} (unknown names fail with a suggestion). */
const ENTITY_FEATURES_OPTIONS_KEYS: OptionKeys<EntityFeaturesOptions> = {
  by: true, window: true, features: true, target: true, failuresBeforeSuccess: true, rareBelow: true,
  filter: true, zeroFill: true, entityColumn: true, maxRows: true,
};

/** The matrix {@link entityFeatures} builds, with its row keys and the meaning of every column. */
export interface EntityFeatures {
  /** Entity of each row; rows are entity by entity (sorted), windows ascending. */
  readonly entities: readonly string[];
  /** Window start of each row (epoch ms, UTC). */
  readonly windowStarts: Float64Array;
  /** Row keys `{ entity, windowStart }` (as `findingsFromScores` takes them). */
  readonly keys: readonly { readonly entity: string; readonly windowStart: number }[];
  /** rows × columns, row-major. */
  readonly matrix: DenseMatrix;
  /** Column names, `entity_id` first when asked for. */
  readonly columns: readonly string[];
  /** Unit and meaning of every column. */
  readonly units: Readonly<Record<string, string>>;
  /** Tail of every column (for `EntityBaseline`'s `tails`): 'upper' or 'both'; `entity_id` is 'both'. */
  readonly tails: readonly FeatureTail[];
  /** Smallest meaningful scale of every column, in its unit (for `EntityBaseline`'s `minScale`); `entity_id` 0. */
  readonly minScales: readonly number[];
  /** Window length in ms. */
  readonly windowMs: number;
  /** The entity field the rows are keyed by, and the target field. */
  readonly by: string;
  readonly target: string;
  /** Events used; events skipped for lack of an entity or a valid time. */
  readonly counted: number;
  readonly skippedNoEntity: number;
  readonly skippedNoTime: number;
  /** Companion records skipped: their attempt's own record is counted (see `WindowFeatures.skippedCompanions`). */
  readonly skippedCompanions: number;
  /** The matrix as number[][] (copies). */
  toRows(): number[][];
  /** entity, window_start (ISO text) and one column per feature, for display. */
  toDataFrame(): dfd.DataFrame;
}

/**
 * A stable numeric code for an entity name: 32-bit FNV-1a of its UTF-16 code units, an integer in
 * [0, 2³²), identical across calls and processes (so a test batch's codes match the training batch's).
 * Two names can collide with probability about m² / 2³³ for m entities (one in ~86 for 10,000 entities).
 *
 * @example
 * entityCode("alice"); // the same integer every time
 */
export function entityCode(entity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < entity.length; i++) {
    h ^= entity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fieldName(key: EntityKey): string {
  return typeof key === "function" ? "custom" : key === "ip" ? "srcIp" : key;
}

function bytesOf(e: LogEvent): number {
  const b = e.fields?.bytes;
  const v = typeof b === "number" ? b : typeof b === "string" ? Number(b) : NaN;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

interface Agg {
  windowStart: number;
  firstTime: number;
  count: number;
  failures: number;
  withOutcome: number;
  successAfterFailures: number;
  bytes: number;
  targets: Set<string>;
}

/**
 * Builds per-entity, per-window features from parsed events (any format: fields a format lacks give 0).
 * See {@link EntityFeaturesOptions} for the choices and {@link ENTITY_FEATURES} for the columns; every
 * column's unit is in the result's `units`. Errors: OptionError for an unknown feature, a bad window,
 * `failuresBeforeSuccess` or `rareBelow`, or more rows than `maxRows`.
 *
 * @example
 * const f = entityFeatures(events, { by: "srcIp", window: "1h", features: ["count", "distinct_targets"] });
 * f.toRows().slice(0, 2); // [[1, 1], [6, 1]]: 10.0.1.20 logs in as one user
 * f.toRows().filter(([, targets]) => targets > 10); // [[485, 11], [177, 16], [87, 16]]: users tried in an hour
 * f.units.distinct_targets; // "distinct user values in the window"
 */
export function entityFeatures(events: readonly LogEvent[], options: EntityFeaturesOptions = {}): EntityFeatures {
  checkOptions(options, ENTITY_FEATURES_OPTIONS_KEYS, "entityFeatures");
  const by = options.by ?? "srcIp";
  const getEntity = entityGetter(by);
  const byName = fieldName(by);
  const target = options.target ?? (byName === "srcIp" ? "user" : byName === "user" ? "srcIp" : "user");
  const getTarget = entityGetter(target);
  const windowMs = parseDuration(options.window ?? "1h", "window");
  const features = options.features ?? ENTITY_FEATURES;
  for (const f of features) {
    if (!(ENTITY_FEATURES as readonly string[]).includes(f)) {
      throw new OptionError(`Unknown feature ${JSON.stringify(f)}: expected some of ${ENTITY_FEATURES.join(", ")}`);
    }
  }
  if (features.length === 0) throw new OptionError(`Expected \`features\` to name at least one of ${ENTITY_FEATURES.join(", ")}`);
  const nBefore = options.failuresBeforeSuccess ?? 5;
  if (!Number.isInteger(nBefore) || nBefore < 1) {
    throw new OptionError(`Expected \`failuresBeforeSuccess\` to be a positive integer, got ${String(options.failuresBeforeSuccess)}`);
  }
  const rareBelow = options.rareBelow ?? 0.01;
  if (typeof rareBelow !== "number" || !(rareBelow > 0 && rareBelow < 1)) {
    throw new OptionError(`Expected \`rareBelow\` to be a share in (0, 1), e.g. 0.01, got ${String(options.rareBelow)}`);
  }
  const maxRows = options.maxRows ?? 5_000_000;
  const keep = compileEventFilter(options.filter);
  const countsType = countsTypeOf(options.filter);

  // Events per entity, and the population frequency of every target value.
  const perEntity = new Map<string, LogEvent[]>();
  const targetCount = new Map<string, number>();
  let counted = 0;
  let withOutcome = 0;
  let skippedNoEntity = 0;
  let skippedNoTime = 0;
  let skippedCompanions = 0;
  for (const e of events) {
    if (keep && !keep(e)) continue;
    if (e.companionOf !== undefined && countsType !== undefined && !companionCounted(e, countsType)) {
      skippedCompanions++;
      continue;
    }
    const entity = getEntity(e);
    if (entity === undefined || entity === "") {
      skippedNoEntity++;
      continue;
    }
    if (!Number.isFinite(e.time)) {
      skippedNoTime++;
      continue;
    }
    counted++;
    if (e.outcome !== undefined) withOutcome++;
    let list = perEntity.get(entity);
    if (!list) perEntity.set(entity, (list = []));
    list.push(e);
    const t = getTarget(e);
    if (t !== undefined && t !== "") targetCount.set(t, (targetCount.get(t) ?? 0) + 1);
  }
  const rareLimit = rareBelow * counted;
  if (counted > 0 && withOutcome === 0) {
    warnOnce(
      `entityFeatures: none of the ${counted} events has an outcome, so failures, failure_ratio and success_after_failures are all 0; ` +
        `map the column that says it with the parse option fieldMap (e.g. fieldMap: { outcome: ["login_result"] }; columns named outcome, result or status are read by default)`,
    );
  }

  const entityNames = [...perEntity.keys()].sort();
  const rowsOut: { entity: string; agg: Agg; firstSeen: number; rare: number }[] = [];
  for (const entity of entityNames) {
    const list = perEntity.get(entity)!;
    list.sort((a, b) => a.time - b.time || a.lineNo - b.lineNo);
    const seen = new Set<string>();
    let streak = 0;
    let current: Agg | undefined;
    const windows: Agg[] = [];
    for (const e of list) {
      const ws = Math.floor(e.time / windowMs) * windowMs;
      if (!current || current.windowStart !== ws) {
        current = { windowStart: ws, firstTime: e.time, count: 0, failures: 0, withOutcome: 0, successAfterFailures: 0, bytes: 0, targets: new Set() };
        windows.push(current);
      }
      current.count++;
      if (e.outcome === "failure") {
        current.failures++;
        current.withOutcome++;
        streak++;
      } else if (e.outcome === "success") {
        current.withOutcome++;
        if (streak >= nBefore) current.successAfterFailures = 1;
        streak = 0;
      }
      current.bytes += bytesOf(e);
      const t = getTarget(e);
      if (t !== undefined && t !== "") current.targets.add(t);
    }
    let first = true;
    let prev: Agg | undefined;
    for (const w of windows) {
      if (options.zeroFill && prev) {
        for (let ws = prev.windowStart + windowMs; ws < w.windowStart; ws += windowMs) {
          const empty: Agg = { windowStart: ws, firstTime: ws, count: 0, failures: 0, withOutcome: 0, successAfterFailures: 0, bytes: 0, targets: new Set() };
          rowsOut.push({ entity, agg: empty, firstSeen: 0, rare: 0 });
          if (rowsOut.length > maxRows) throw tooMany(maxRows);
        }
      }
      let firstSeen = 0;
      let rare = 0;
      for (const t of w.targets) {
        if (!first && !seen.has(t)) firstSeen++;
        if ((targetCount.get(t) ?? 0) < rareLimit) rare++;
      }
      for (const t of w.targets) seen.add(t);
      first = false;
      rowsOut.push({ entity, agg: w, firstSeen, rare });
      if (rowsOut.length > maxRows) throw tooMany(maxRows);
      prev = w;
    }
  }

  const columns = [...(options.entityColumn ? ["entity_id"] : []), ...features];
  const cols = columns.length;
  const n = rowsOut.length;
  const data = new Float64Array(n * cols);
  const entities: string[] = new Array(n);
  const windowStarts = new Float64Array(n);
  const codes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { entity, agg, firstSeen, rare } = rowsOut[i];
    entities[i] = entity;
    windowStarts[i] = agg.windowStart;
    const o = i * cols;
    let j = 0;
    if (options.entityColumn) {
      let c = codes.get(entity);
      if (c === undefined) codes.set(entity, (c = entityCode(entity)));
      data[o + j++] = c;
    }
    const when = new Date(agg.firstTime);
    for (const f of features) data[o + j++] = value(f, agg, firstSeen, rare, when);
  }
  const fill = (s: string) =>
    s.replace("{target}", fieldName(target)).replace("{n}", String(nBefore)).replace("{rare}", String(rareBelow));
  const units: Record<string, string> = {};
  if (options.entityColumn) units.entity_id = "entityCode(entity): a stable 32-bit code of the entity name (an id, not a quantity)";
  for (const f of features) units[f] = fill(UNITS[f]);
  const tails: FeatureTail[] = [...(options.entityColumn ? (["both"] as const) : []), ...features.map((f) => TAILS[f])];
  const matrix: DenseMatrix = { data, rows: n, cols };
  return {
    entities,
    windowStarts,
    keys: entities.map((entity, i) => ({ entity, windowStart: windowStarts[i] })),
    matrix,
    columns,
    units,
    tails,
    minScales: [...(options.entityColumn ? [0] : []), ...features.map((f) => MIN_SCALES[f])],
    windowMs,
    by: byName,
    target: fieldName(target),
    counted,
    skippedNoEntity,
    skippedNoTime,
    skippedCompanions,
    toRows: () => Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols))),
    toDataFrame: () => windowFrame(entities, windowStarts, columns, data),
  };
}

function tooMany(maxRows: number): OptionError {
  return new OptionError(`More than ${maxRows} rows: use a longer window, zeroFill: false, or raise \`maxRows\``);
}

function value(f: EntityFeatureName, a: Agg, firstSeen: number, rare: number, when: Date): number {
  switch (f) {
    case "count":
      return a.count;
    case "failures":
      return a.failures;
    case "failure_ratio":
      return a.withOutcome > 0 ? a.failures / a.withOutcome : 0;
    case "distinct_targets":
      return a.targets.size;
    case "success_after_failures":
      return a.successAfterFailures;
    case "bytes":
      return a.bytes;
    case "hour_of_day":
      return when.getUTCHours();
    case "day_of_week":
      return when.getUTCDay();
    case "first_seen_targets":
      return firstSeen;
    case "rare_targets":
      return rare;
  }
}
