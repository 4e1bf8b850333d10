/**
 * Per-entity baseline: each row (an entity's window) is compared with that entity's own history, and with
 * the population of all entities, feature by feature, with robust statistics (median and MAD). "A user
 * suddenly making 10 times more login attempts than usual" is unusual for that user even when a busy
 * service account does that every hour; Elastic's anomaly jobs split by entity (`partition_field_name`,
 * `by_field_name`) for the same reason, and compare to the population with `over_field_name`.
 *
 * How the detector knows the entity of a row, within the Detector contract (matrices only): one column of
 * X holds an entity code, named by `entityColumn` (build it with `entityFeatures(events, { entityColumn:
 * true })`, which puts `entityCode(entity)` in column 0). The code is stable across calls, so rows scored
 * later find the history learnt at fit. That column is an id, never a feature. Without `entityColumn`,
 * every row belongs to one population and the detector is a robust z-score with a fitted scale.
 *
 * The model, per feature j (every column but the entity column):
 * - population: median m_j and scale s_j = max(1.4826·MAD, floor_j) over all training rows (the MAD
 *   falling back to the standard deviation, then 1, for constant columns); floor_j = `minScale`;
 * - entity e with at least `minHistory` training rows: its median m_ej and scale
 *   s_ej = max(√((1.4826·MAD_ej)² + (κ·s_j)²), floor_j), κ = `populationPrior`, so an entity that never
 *   varied (MAD 0) is not infinitely sensitive: the population spread is the prior, and a difference of
 *   one event is never many standard deviations (the floor);
 * - deviation z_j = (x_j - m) / s, kept only above the median for 'upper' features (more failures than
 *   usual is suspicious, fewer is not) and in absolute value for 'both' (hour of day).
 * A row's deviation is max_j z_j against its entity's baseline; an entity with fewer than `minHistory`
 * training rows, or never seen at fit (a new entity), is scored against the population instead, explicitly
 * ({@link EntityBaseline.baselineOf} says which was used). `population: 'max'` takes the larger of both
 * deviations for every row. `scoreSamples = -deviation` (lower = more abnormal, scikit-learn's sign);
 * `contamination: 'auto'` flags deviations above `threshold` (offset -threshold).
 */
import { OptionError } from "../errors";
import type { DenseMatrix, Matrix } from "../matrix";
import { medianOfSorted } from "../percentile";
import { decisionScale } from "./anomaly-scale";
import { BaseDetector, DETECTOR_OPTION_KEYS, validatePositiveInteger } from "./base";
import type { OptionKeys } from "../options";
import type { DetectorOptions } from "./types";

/** Which way a feature is unusual: 'upper' (only above the baseline) or 'both' (either way). */
export type BaselineTail = "upper" | "both";

/** Options of {@link EntityBaseline}. */
export interface EntityBaselineOptions extends DetectorOptions {
  /** Index of the column holding each row's entity code (`entityCode`). Default: none (one population). */
  readonly entityColumn?: number;
  /**
   * Training rows an entity needs for its own baseline; with fewer, the population's is used. An attacker
   * active for a few windows only must not become its own "normal": keep this above the windows one
   * incident spans (8 one-hour windows = a working day). Default: 8.
   */
  readonly minHistory?: number;
  /** Tail per column (the entity column's entry is ignored), or one tail for all. Default: 'upper'. */
  readonly tails?: BaselineTail | readonly BaselineTail[];
  /**
   * Smallest scale per column (or one for all), in the feature's unit: the measurement noise below which a
   * difference means nothing (one event for a count, as a Poisson count with mean ≤ 1 has a standard
   * deviation of 1). `entityFeatures(...).minScales` gives one per column. Default: 0 (no floor).
   */
  readonly minScale?: number | readonly number[];
  /** κ: weight of the population scale in an entity's scale, ≥ 0. Default: 0.25. */
  readonly populationPrior?: number;
  /** 'fallback': population only for entities without enough history; 'max': larger of both for every row. Default: 'fallback'. */
  readonly population?: "fallback" | "max";
  /** Deviation (in robust standard deviations) above which 'auto' flags a row: offset = -threshold. Default: 3.5. */
  readonly threshold?: number;
}

interface Baseline {
  readonly rows: number;
  readonly median: Float64Array;
  readonly scale: Float64Array;
}

interface BaselineModel {
  readonly nFeaturesIn: number;
  /** Feature column indices (all but the entity column). */
  readonly features: Int32Array;
  readonly tails: readonly BaselineTail[];
  readonly population: Baseline;
  readonly entities: ReadonlyMap<number, Baseline>;
}

/** One feature's part in a row's deviation (see {@link EntityBaseline.explain}). */
/** Every option name of {@link EntityBaselineOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ENTITY_BASELINE_OPTION_KEYS: OptionKeys<EntityBaselineOptions> = {
  ...DETECTOR_OPTION_KEYS, entityColumn: true, minHistory: true, tails: true, minScale: true,
  populationPrior: true, population: true, threshold: true,
};

export interface FeatureDeviation {
  /** Column index in X. */
  readonly column: number;
  /** The row's value. */
  readonly actual: number;
  /** The baseline's median: what is typical for this entity (or the population). */
  readonly typical: number;
  /** The baseline's scale (robust standard deviation), in the feature's unit. */
  readonly scale: number;
  /** (actual - typical) / scale after the tail rule (0 below the median for 'upper' features). */
  readonly deviation: number;
}

/** Why a row scored as it did: the baseline used and every feature's deviation, largest first. */
export interface RowExplanation {
  readonly baseline: "entity" | "population";
  /** The entity code of the row (NaN without an entity column). */
  readonly entity: number;
  /** Training rows behind the baseline used. */
  readonly historyRows: number;
  readonly features: readonly FeatureDeviation[];
}

function robust(values: Float64Array): { median: number; mad: number } {
  const v = Float64Array.from(values).sort();
  const median = medianOfSorted(v);
  const dev = Float64Array.from(v, (x) => Math.abs(x - median)).sort();
  return { median, mad: 1.4826 * medianOfSorted(dev) };
}

/**
 * Per-entity baseline detector (robust median/MAD per entity and per feature, population fallback for new
 * or short-history entities). Registry name "entity-baseline".
 *
 * @example
 * const f = entityFeatures(events, { by: "user", window: "1h", entityColumn: true });
 * [f.matrix.rows, f.matrix.cols]; // [120, 11]: user-hours × (entity_id, count, failures, …)
 * const det = new EntityBaseline({ entityColumn: 0, tails: f.tails, contamination: 0.01 }).fit(f.matrix);
 * det.predict(f.matrix); // Int8Array [1, 1, 1, …]: -1 for an outlier
 * det.predict(f.matrix).indexOf(-1); // 91
 * f.keys[91]; // { entity: "root", windowStart: 1741255200000 }
 * det.explain(f.matrix)[91].baseline; // "entity": root's own 12 hours of history
 */
export class EntityBaseline extends BaseDetector<BaselineModel> {
  readonly name = "entity-baseline";
  readonly entityColumn: number | undefined;
  readonly minHistory: number;
  readonly tails: BaselineTail | readonly BaselineTail[];
  readonly populationPrior: number;
  readonly minScale: number | readonly number[];
  readonly population: "fallback" | "max";
  readonly threshold: number;

  constructor(options: EntityBaselineOptions = {}) {
    super("EntityBaseline", options, ENTITY_BASELINE_OPTION_KEYS);
    this.entityColumn = options.entityColumn;
    if (this.entityColumn !== undefined && !(Number.isInteger(this.entityColumn) && this.entityColumn >= 0)) {
      throw new OptionError(`Expected \`entityColumn\` to be a column index ≥ 0 (e.g. 0 for entityFeatures' entity_id), got ${String(this.entityColumn)}`);
    }
    this.minHistory = options.minHistory ?? 8;
    validatePositiveInteger("minHistory", this.minHistory);
    this.tails = options.tails ?? "upper";
    const tailList = typeof this.tails === "string" ? [this.tails] : this.tails;
    if (!Array.isArray(tailList) || tailList.some((t) => t !== "upper" && t !== "both")) {
      throw new OptionError(`Expected \`tails\` to be 'upper', 'both' or an array of them (one per column), got ${JSON.stringify(options.tails)}`);
    }
    this.populationPrior = options.populationPrior ?? 0.25;
    if (typeof this.populationPrior !== "number" || !(this.populationPrior >= 0) || !Number.isFinite(this.populationPrior)) {
      throw new OptionError(`Expected \`populationPrior\` to be a finite number ≥ 0, got ${String(options.populationPrior)}`);
    }
    this.minScale = options.minScale ?? 0;
    const floors = typeof this.minScale === "number" ? [this.minScale] : this.minScale;
    if (!Array.isArray(floors) || floors.some((m) => typeof m !== "number" || !(m >= 0) || !Number.isFinite(m))) {
      throw new OptionError(`Expected \`minScale\` to be a finite number ≥ 0 or an array of them (one per column), got ${JSON.stringify(options.minScale)}`);
    }
    this.population = options.population ?? "fallback";
    if (this.population !== "fallback" && this.population !== "max") {
      throw new OptionError(`Expected \`population\` to be 'fallback' or 'max', got ${JSON.stringify(options.population)}`);
    }
    this.threshold = options.threshold ?? 3.5;
    if (typeof this.threshold !== "number" || !(this.threshold > 0) || !Number.isFinite(this.threshold)) {
      throw new OptionError(`Expected \`threshold\` to be a positive number of robust standard deviations, got ${String(options.threshold)}`);
    }
  }

  /** Entities with their own baseline after fit (at least `minHistory` training rows). */
  get entitiesWithHistory(): number {
    let k = 0;
    for (const b of this.fittedModel().entities.values()) if (b.rows >= this.minHistory) k++;
    return k;
  }

  protected override fitModel(X: DenseMatrix): BaselineModel {
    const d = X.cols;
    const ec = this.entityColumn;
    if (ec !== undefined && ec >= d) {
      throw new OptionError(`\`entityColumn\` ${ec} is outside X's ${d} columns: pass the index of the entity_id column`);
    }
    const features = Int32Array.from({ length: d }, (_, j) => j).filter((j) => j !== ec);
    const tails: BaselineTail[] = [];
    for (let j = 0; j < d; j++) {
      if (typeof this.tails === "string") tails.push(this.tails);
      else {
        if (this.tails.length !== d) {
          throw new OptionError(`Expected \`tails\` to have one entry per column of X (${d}), got ${this.tails.length}: pass entityFeatures(...).tails`);
        }
        tails.push(this.tails[j]);
      }
    }
    if (typeof this.minScale !== "number" && this.minScale.length !== d) {
      throw new OptionError(`Expected \`minScale\` to have one entry per column of X (${d}), got ${this.minScale.length}: pass entityFeatures(...).minScales`);
    }
    const floorOf = (j: number) => (typeof this.minScale === "number" ? this.minScale : this.minScale[j]);
    const column = (rows: readonly number[] | null, j: number): Float64Array => {
      if (rows === null) return Float64Array.from({ length: X.rows }, (_, i) => X.data[i * d + j]);
      return Float64Array.from(rows, (i) => X.data[i * d + j]);
    };
    const pm = new Float64Array(features.length);
    const ps = new Float64Array(features.length);
    features.forEach((j, t) => {
      const col = column(null, j);
      pm[t] = robust(col).median;
      ps[t] = Math.max(decisionScale(col), floorOf(j));
    });
    const population: Baseline = { rows: X.rows, median: pm, scale: ps };
    const byEntity = new Map<number, number[]>();
    if (ec !== undefined) {
      for (let i = 0; i < X.rows; i++) {
        const code = X.data[i * d + ec];
        let list = byEntity.get(code);
        if (!list) byEntity.set(code, (list = []));
        list.push(i);
      }
    }
    const entities = new Map<number, Baseline>();
    const kappa = this.populationPrior;
    for (const [code, rows] of byEntity) {
      const median = new Float64Array(features.length);
      const scale = new Float64Array(features.length);
      features.forEach((j, t) => {
        const r = robust(column(rows, j));
        median[t] = r.median;
        const s = Math.max(Math.sqrt(r.mad * r.mad + (kappa * ps[t]) ** 2), floorOf(j));
        scale[t] = s > 1e-12 ? s : ps[t];
      });
      entities.set(code, { rows: rows.length, median, scale });
    }
    return { nFeaturesIn: d, features, tails, population, entities };
  }

  /** Checks a saved state: feature columns, one tail per column, population and per-entity baselines of their sizes. */
  protected override modelFromState(state: unknown): BaselineModel {
    const s = super.modelFromState(state);
    const f = s.features?.length;
    const baseline = (b: Baseline | undefined) =>
      b !== null && typeof b === "object" && Number.isInteger(b.rows) && b.rows >= 1 &&
      b.median instanceof Float64Array && b.median.length === f && b.scale instanceof Float64Array && b.scale.length === f;
    this.checkState(
      s.features instanceof Int32Array && s.features.every((j) => j >= 0 && j < s.nFeaturesIn) && Array.isArray(s.tails) &&
        s.tails.length === s.nFeaturesIn && s.tails.every((t) => t === "upper" || t === "both") && baseline(s.population) &&
        s.entities instanceof Map && [...s.entities].every(([code, b]) => typeof code === "number" && baseline(b)),
      "lacks consistent feature columns, tails, population or entity baselines",
    );
    return s;
  }

  protected override autoOffset(): number {
    return -this.threshold;
  }

  protected override scoreModel(model: BaselineModel, X: DenseMatrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      const { own } = this.baselines(model, X, i);
      let dev = maxDeviation(model, X, i, own ?? model.population);
      if (own && this.population === "max") dev = Math.max(dev, maxDeviation(model, X, i, model.population));
      out[i] = -dev;
    }
    return out;
  }

  /**
   * Which baseline scored each row: 'entity' (its own history) or 'population' (no entity column, a new
   * entity, or fewer than `minHistory` training rows).
   *
   * @example
   * const f = entityFeatures(events, { by: "user", window: "1h", entityColumn: true });
   * const det = new EntityBaseline({ entityColumn: 0, tails: f.tails }).fit(f.matrix);
   * f.entities.slice(0, 5); // ["admin", "admin", "admin", "admin", "alice"]
   * // admin has 4 windows, fewer than minHistory (8): scored against the population
   * det.baselineOf(f.matrix).slice(0, 5); // ["population", "population", "population", "population", "entity"]
   */
  baselineOf(X: Matrix): ("entity" | "population")[] {
    const { model, dense } = this.fittedInput(X);
    return Array.from({ length: dense.rows }, (_, i) => (this.baselines(model, dense, i).own ? "entity" : "population"));
  }

  /**
   * Actual vs typical for every feature of every row, with the deviation that drove the score, largest
   * first (the row's deviation is the first one's, or the larger of entity and population with
   * `population: 'max'`).
   *
   * @example
   * const f = entityFeatures(events, { by: "user", window: "1h", entityColumn: true });
   * const det = new EntityBaseline({ entityColumn: 0, tails: f.tails }).fit(f.matrix);
   * const why = det.explain(f.matrix)[91]; // root, 10:00–11:00 UTC on 6 March
   * [why.baseline, why.historyRows]; // ["entity", 12]
   * f.columns[why.features[0].column]; // "failures"
   * why.features[0]; // { column: 2, actual: 285, typical: 0, scale: 0.7413, deviation: 384.46 }: (285 - 0) / 0.7413
   */
  explain(X: Matrix): RowExplanation[] {
    const { model, dense } = this.fittedInput(X);
    const out: RowExplanation[] = [];
    for (let i = 0; i < dense.rows; i++) {
      const { own, code } = this.baselines(model, dense, i);
      const b = own ?? model.population;
      const features = Array.from(model.features, (j, t) => {
        const actual = dense.data[i * dense.cols + j];
        return { column: j, actual, typical: b.median[t], scale: b.scale[t], deviation: deviation(actual, b.median[t], b.scale[t], model.tails[j]) };
      }).sort((a, c) => c.deviation - a.deviation || a.column - c.column);
      out.push({ baseline: own ? "entity" : "population", entity: code, historyRows: b.rows, features });
    }
    return out;
  }

  private baselines(model: BaselineModel, X: DenseMatrix, i: number): { own: Baseline | undefined; code: number } {
    if (this.entityColumn === undefined) return { own: undefined, code: NaN };
    const code = X.data[i * X.cols + this.entityColumn];
    const b = model.entities.get(code);
    return { own: b !== undefined && b.rows >= this.minHistory ? b : undefined, code };
  }
}

function deviation(x: number, median: number, scale: number, tail: BaselineTail): number {
  const z = (x - median) / scale;
  return tail === "upper" ? Math.max(0, z) : Math.abs(z);
}

function maxDeviation(model: BaselineModel, X: DenseMatrix, i: number, b: Baseline): number {
  let worst = 0;
  const o = i * X.cols;
  for (let t = 0; t < model.features.length; t++) {
    const j = model.features[t];
    const z = deviation(X.data[o + j], b.median[t], b.scale[t], model.tails[j]);
    if (z > worst) worst = z;
  }
  return worst;
}
