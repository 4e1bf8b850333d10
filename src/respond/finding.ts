import { DataError, OptionError } from "../errors";
import type { LogEvent } from "../events";
import type { Contamination, Detector } from "../detectors/types";
import { type AnomalySeverity, decisionToAnomalyScore, severityOf } from "./anomaly-score";
import type { Matrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";
import { entityGetter } from "../features/entity-key";

/** Every option name of {@link FindingsOptions} (unknown names fail with a suggestion). */
const FINDINGS_OPTIONS_KEYS: OptionKeys<FindingsOptions> = { keys: true, scoredBy: true, entityType: true, windowMs: true, matrix: true, featureNames: true, events: true, minAgreeing: true, scale: true };

/** What kind of entity a finding is about. */
export type EntityType = "ip" | "user" | "host";

/** One anomalous (entity, time window) with the evidence a response policy and an analyst need. */
export interface Finding {
  readonly entity: string;
  readonly entityType: EntityType;
  /** Window start, epoch ms (inclusive). */
  readonly windowStart: number;
  /** Window end, epoch ms (exclusive). */
  readonly windowEnd: number;
  /** Decision-function value of the primary detector (negative = outlier). */
  readonly decision: number;
  /**
   * 0–100 anomaly score derived from `decision` on the primary detector's fitted scale (50 = on the threshold),
   * so it does not depend on the batch; see `decisionToAnomalyScore`.
   */
  readonly anomalyScore: number;
  /**
   * Elastic's severity band of `anomalyScore`: warning / minor / major / critical at 0 / 25 / 50 / 75. Set by
   * {@link findingsFromScores}; a finding built by hand may leave it out (it is `severityOf(anomalyScore)`).
   */
  readonly severity?: AnomalySeverity;
  /** Primary detector name (e.g. "iforest"). */
  readonly detector: string;
  /** Names of every detector or rule that flagged this window (its length is the agreement count). */
  readonly detectors: readonly string[];
  /** Primary detector's offset (threshold on `scoreSamples`), when known. */
  readonly offset?: number;
  /** Primary detector's contamination, when known. */
  readonly contamination?: Contamination;
  /** Primary detector's seed, when known. */
  readonly seed?: number;
  /** Feature values of this window, by feature name. */
  readonly features: Readonly<Record<string, number>>;
  /** Events of this entity inside the window, when events were given. */
  readonly events?: readonly LogEvent[];
  /** Other entities seen in those events: users tried from an IP, IPs used by a user, hosts. */
  readonly related?: { readonly users: readonly string[]; readonly ips: readonly string[]; readonly hosts: readonly string[] };
}

/** Scores of one detector or rule over the rows of a feature matrix. */
export interface ScoredBy {
  /** Detector or rule name. */
  readonly name: string;
  /** Decision-function value per row (negative = outlier). */
  readonly decision: ArrayLike<number>;
  /** Per-row flags (-1 = outlier); default: `decision < 0`. */
  readonly predictions?: ArrayLike<number>;
  readonly offset?: number;
  readonly contamination?: Contamination;
  readonly seed?: number;
  /** The detector's fitted `anomalyScale` (scale of the 0–100 score). Default: 1. */
  readonly scale?: number;
}

/** The row key of a windowed feature matrix. */
export interface WindowKey {
  readonly entity: string;
  readonly windowStart: number;
}

export interface FindingsOptions {
  /** Row keys (entity, window start), one per matrix row. Required. */
  readonly keys: readonly WindowKey[];
  /** Scores of one or more detectors/rules; the first is the primary one. Required. */
  readonly scoredBy: readonly ScoredBy[];
  /** Kind of entity the keys name. Default: "ip". */
  readonly entityType?: EntityType;
  /** Window length in ms. Default: 60_000. */
  readonly windowMs?: number;
  /** Feature rows (for the evidence); default: none. */
  readonly matrix?: Matrix;
  /** Feature names, one per matrix column. Default: "f0", "f1", …. */
  readonly featureNames?: readonly string[];
  /** Events to attach to each finding (same entity, inside the window). Default: none. */
  readonly events?: readonly LogEvent[];
  /** Keep rows flagged by at least this many detectors. Default: 1. */
  readonly minAgreeing?: number;
  /**
   * Scale of the 0–100 anomaly score (see `decisionToAnomalyScore`). Default: the primary `scoredBy`'s
   * `scale` (its detector's fitted `anomalyScale`, recorded by {@link scoredByDetector}), else 1; never the
   * spread of the batch.
   */
  readonly scale?: number;
}

function rowOf(m: Matrix, i: number): ArrayLike<number> {
  if ("data" in m && "cols" in m && !Array.isArray(m)) {
    const d = m as { data: Float64Array; cols: number };
    return d.data.subarray(i * d.cols, (i + 1) * d.cols);
  }
  return (m as readonly ArrayLike<number>[])[i];
}

function rowCount(m: Matrix): number {
  return "rows" in m && !Array.isArray(m) ? (m as { rows: number }).rows : (m as readonly unknown[]).length;
}

/**
 * The value an event carries for an entity type.
 *
 * @example
 * entityOf({ lineNo: 1, time: 0, eventType: "failed_password", message: "", user: "root", srcIp: "203.0.113.7" }, "user") // "root"
 */
export function entityOf(event: LogEvent, entityType: EntityType): string | undefined {
  return entityGetter(entityType)(event);
}

function uniq(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))].sort();
}

/**
 * Scores of a fitted detector over X, ready for {@link findingsFromScores}.
 *
 * @example
 * const forest = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
 * const s = scoredByDetector(forest, X, { contamination: 0.05, seed: 42 });
 */
export function scoredByDetector(
  detector: Detector,
  X: Matrix,
  meta: { readonly contamination?: Contamination; readonly seed?: number } = {},
): ScoredBy {
  const d = detector as Detector & { contamination?: Contamination; seed?: number };
  return {
    name: detector.name,
    decision: detector.decisionFunction(X),
    predictions: detector.predict(X),
    offset: detector.offset,
    contamination: meta.contamination ?? d.contamination,
    seed: meta.seed ?? d.seed,
    scale: detector.anomalyScale,
  };
}

/**
 * Turn detector scores over a windowed feature matrix (keys `{entity, windowStart}` plus rows) into
 * findings: the windows flagged by at least `minAgreeing` detectors, most anomalous first, each with its
 * decision value, 0–100 anomaly score, agreeing detectors, features and (optionally) events.
 *
 * @example
 * const findings = findingsFromScores({
 *   keys: [{ entity: "203.0.113.7", windowStart: 0 }, { entity: "10.0.0.2", windowStart: 0 }],
 *   scoredBy: [{ name: "rule", decision: [-1, 1] }],
 * });
 * findings[0].entity // "203.0.113.7"
 */
export function findingsFromScores(options: FindingsOptions): Finding[] {
  checkOptions(options, FINDINGS_OPTIONS_KEYS, "findingsFromScores");
  const { keys, scoredBy } = options;
  const n = keys.length;
  const entityType = options.entityType ?? "ip";
  const windowMs = options.windowMs ?? 60_000;
  const minAgreeing = options.minAgreeing ?? 1;
  if (scoredBy.length === 0) throw new OptionError("Expected `scoredBy` to name at least one detector's scores, got none");
  if (!(windowMs > 0)) throw new OptionError(`Expected \`windowMs\` to be a positive number of milliseconds, got ${windowMs}`);
  if (!Number.isInteger(minAgreeing) || minAgreeing < 1) {
    throw new OptionError(`Expected \`minAgreeing\` to be an integer ≥ 1, got ${minAgreeing}`);
  }
  for (const s of scoredBy) {
    if (s.decision.length !== n) {
      throw new DataError(`Detector "${s.name}" scored ${s.decision.length} rows but there are ${n} keys; score the same matrix the keys describe`);
    }
    if (s.predictions && s.predictions.length !== n) {
      throw new DataError(`Detector "${s.name}" has ${s.predictions.length} predictions but there are ${n} keys`);
    }
  }
  if (options.matrix && rowCount(options.matrix) !== n) {
    throw new DataError(`The matrix has ${rowCount(options.matrix)} rows but there are ${n} keys; pass the matrix the keys describe`);
  }
  const primary = scoredBy[0];
  const anomaly = decisionToAnomalyScore(primary.decision, { scale: options.scale ?? primary.scale });
  const byEntity = new Map<string, LogEvent[]>();
  for (const e of options.events ?? []) {
    const k = entityOf(e, entityType);
    if (k === undefined) continue;
    let list = byEntity.get(k);
    if (!list) byEntity.set(k, (list = []));
    list.push(e);
  }
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const flagged = scoredBy.filter((s) => (s.predictions ? s.predictions[i] === -1 : s.decision[i] < 0)).map((s) => s.name);
    if (flagged.length < minAgreeing) continue;
    const { entity, windowStart } = keys[i];
    const windowEnd = windowStart + windowMs;
    const features: Record<string, number> = {};
    if (options.matrix) {
      const row = rowOf(options.matrix, i);
      for (let j = 0; j < row.length; j++) features[options.featureNames?.[j] ?? `f${j}`] = row[j];
    }
    let events: LogEvent[] | undefined;
    let related: Finding["related"];
    if (options.events) {
      events = (byEntity.get(entity) ?? []).filter((e) => e.time >= windowStart && e.time < windowEnd);
      related = { users: uniq(events.map((e) => e.user)), ips: uniq(events.map((e) => e.srcIp)), hosts: uniq(events.map((e) => e.host)) };
    }
    findings.push({
      entity,
      entityType,
      windowStart,
      windowEnd,
      decision: primary.decision[i],
      anomalyScore: anomaly[i],
      severity: severityOf(anomaly[i]),
      detector: primary.name,
      detectors: flagged,
      offset: primary.offset,
      contamination: primary.contamination,
      seed: primary.seed,
      features,
      events,
      related,
    });
  }
  return findings.sort((a, b) => a.decision - b.decision || a.windowStart - b.windowStart || (a.entity < b.entity ? -1 : 1));
}
