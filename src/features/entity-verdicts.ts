import { DataError, OptionError } from "../errors";
import type { WindowFeatures } from "./window-counts";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link EntityVerdictsOptions} (unknown names fail with a suggestion). */
const ENTITY_VERDICTS_OPTIONS_KEYS: OptionKeys<EntityVerdictsOptions> = { features: true, predictions: true, ruleHits: true, column: true, includeUnflagged: true };

/** One entity's verdicts: what the detector and the rule said, with the evidence. */
export interface EntityVerdict {
  readonly entity: string;
  /** Sum of the feature column over all its windows (e.g. all failed logins). */
  readonly total: number;
  /** Largest value in one window. */
  readonly maxPerWindow: number;
  /** Windows the detector flagged (prediction -1). */
  readonly detectorWindows: number;
  /** Bursts the rule fired on. */
  readonly ruleBursts: number;
  /** Largest burst the rule saw (events), 0 when it did not fire. */
  readonly ruleMaxCount: number;
  readonly agreement: "both" | "detector only" | "rule only" | "neither";
}

export interface EntityVerdictsOptions {
  /** The windowed features the detector scored. */
  readonly features: WindowFeatures;
  /** Detector predictions per feature row (1 inlier, -1 outlier). */
  readonly predictions: ArrayLike<number>;
  /** Rule hits ({entity, count} per burst, e.g. from slidingWindowRule). Default: none. */
  readonly ruleHits?: readonly { readonly entity: string; readonly count: number }[];
  /** Feature column summed for total / maxPerWindow. Default: 0. */
  readonly column?: number;
  /** Keep entities neither flagged (for a full table). Default: false. */
  readonly includeUnflagged?: boolean;
}

/**
 * Put a detector's flagged windows and a correlation rule's bursts side by side per entity (e.g. source IP),
 * sorted by total: which attackers both find, which only one does.
 *
 * @example
 * const v = entityVerdicts({ features: f, predictions: forest.predict(f.matrix), ruleHits: slidingWindowRule(events) });
 */
export function entityVerdicts(options: EntityVerdictsOptions): EntityVerdict[] {
  checkOptions(options, ENTITY_VERDICTS_OPTIONS_KEYS, "entityVerdicts");
  const { features, predictions } = options;
  const rows = features.matrix.rows;
  const cols = features.matrix.cols;
  const column = options.column ?? 0;
  if (!Number.isInteger(column) || column < 0 || column >= cols) throw new OptionError(`Expected \`column\` to be an integer in [0, ${cols - 1}], got ${column}`);
  if (predictions.length !== rows) throw new DataError(`Expected one prediction per feature row (${rows}), got ${predictions.length}`);
  const acc = new Map<string, { total: number; max: number; det: number; bursts: number; ruleMax: number }>();
  const get = (e: string) => {
    let a = acc.get(e);
    if (!a) acc.set(e, (a = { total: 0, max: 0, det: 0, bursts: 0, ruleMax: 0 }));
    return a;
  };
  for (let i = 0; i < rows; i++) {
    const a = get(features.entities[i]);
    const v = features.matrix.data[i * cols + column];
    a.total += v;
    if (v > a.max) a.max = v;
    if (predictions[i] === -1) a.det++;
  }
  for (const h of options.ruleHits ?? []) {
    const a = get(h.entity);
    a.bursts++;
    if (h.count > a.ruleMax) a.ruleMax = h.count;
  }
  const out: EntityVerdict[] = [];
  for (const [entity, a] of acc) {
    const agreement = a.det > 0 && a.bursts > 0 ? "both" : a.det > 0 ? "detector only" : a.bursts > 0 ? "rule only" : "neither";
    if (agreement === "neither" && !options.includeUnflagged) continue;
    out.push({ entity, total: a.total, maxPerWindow: a.max, detectorWindows: a.det, ruleBursts: a.bursts, ruleMaxCount: a.ruleMax, agreement });
  }
  return out.sort((x, y) => y.total - x.total || (x.entity < y.entity ? -1 : 1));
}

/** One heatmap cell per non-zero feature row: entity, window (ISO), value, and the detector's flag and decision value. */
export interface FeatureCell {
  readonly entity: string;
  readonly window: string;
  readonly value: number;
  readonly anomaly: boolean;
  readonly decision?: number;
}

/**
 * Heatmap cells from windowed features (non-zero rows, plus every flagged row), ready for
 * `entityHeatmap` from src/charts.
 *
 * @example
 * show(entityHeatmap(featureCells(f, { predictions, decision }), { valueTitle: "failed logins" }));
 */
export function featureCells(
  features: WindowFeatures,
  options: { readonly predictions?: ArrayLike<number>; readonly decision?: ArrayLike<number>; readonly column?: number } = {},
): FeatureCell[] {
  const cols = features.matrix.cols;
  const column = options.column ?? 0;
  const out: FeatureCell[] = [];
  for (let i = 0; i < features.matrix.rows; i++) {
    const value = features.matrix.data[i * cols + column];
    const anomaly = options.predictions !== undefined && options.predictions[i] === -1;
    if (value === 0 && !anomaly) continue;
    out.push({
      entity: features.entities[i],
      window: new Date(features.windowStarts[i]).toISOString(),
      value,
      anomaly,
      decision: options.decision === undefined ? undefined : options.decision[i],
    });
  }
  return out;
}
