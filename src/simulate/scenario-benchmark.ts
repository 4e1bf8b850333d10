/**
 * Every registered detector and the correlation rule on the labelled entity scenario
 * ({@link simulateEntityScenario}), scored per (source address, hour): precision, recall, F1, alerts per
 * day and the recall of each case. `npm run bench -- baselines` prints it for seeds 0–4; notebook 03
 * shows it.
 *
 * @example
 * const rows = benchmarkEntityScenario({ seeds: [0, 1], contamination: 0.02 });
 * rows.find((r) => r.detector === "entity-baseline")?.f1;
 */
import { slidingWindowRule } from "../detectors/correlation-rule";
import { detectorRegistry } from "../detectors/registry";
import type { Contamination } from "../detectors/types";
import { OptionError } from "../errors";
import { entityFeatures, type EntityFeatures } from "../features/entity-features";
import { parseLogLines } from "../ingest/parse-log";
import type { DenseMatrix } from "../matrix";
import { SCENARIO_ATTACKS, type ScenarioLabel, scenarioWindowLabels, simulateEntityScenario } from "./entity-scenario";

/** Options of {@link benchmarkEntityScenario}. */
export interface ScenarioBenchmarkOptions {
  /** Scenario seeds (detectors use the same seed). Default: [0, 1, 2, 3, 4]. */
  readonly seeds?: readonly number[];
  /** Contamination of every detector. Default: 0.02 (about 2 % of the (address, hour) rows). */
  readonly contamination?: Contamination;
  /** Registry names to run. Default: every registered detector. */
  readonly detectors?: readonly string[];
  /** Days per scenario. Default: 14. */
  readonly days?: number;
}

/** One detector (or the rule) averaged over the seeds. */
export interface ScenarioBenchmarkRow {
  /** Registry name, or "correlation-rule" (8 failed passwords from one address within 120 s). */
  readonly detector: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Flagged (address, hour) rows per simulated day. */
  readonly alertsPerDay: number;
  /** Flagged rows of the busy service account per day (all false positives). */
  readonly serviceAlertsPerDay: number;
  /** Recall of each case: flagged rows of that label / rows of that label. */
  readonly recallByCase: Readonly<Record<string, number>>;
  readonly seeds: number;
}

const WINDOW_MS = 3600000;

interface Prepared {
  readonly f: EntityFeatures;
  readonly plain: DenseMatrix;
  readonly labels: (ScenarioLabel | undefined)[];
  readonly ruleFlags: Int8Array;
  readonly days: number;
}

function prepare(seed: number, days: number): Prepared {
  const sim = simulateEntityScenario({ seed, days });
  const { events } = parseLogLines(sim.lines, { year: new Date(sim.start).getUTCFullYear() });
  const f = entityFeatures(events, { by: "srcIp", window: WINDOW_MS, entityColumn: true });
  const byWindow = scenarioWindowLabels(sim, WINDOW_MS);
  const labels = f.keys.map((k) => byWindow.get(`${k.entity}|${k.windowStart}`));
  // Other detectors see the features without the entity id, standardised (distance-based ones need it;
  // trees and per-feature z-scores are unchanged by it).
  const { rows, cols } = f.matrix;
  const c = cols - 1;
  const plain: DenseMatrix = { data: new Float64Array(rows * c), rows, cols: c };
  for (let j = 0; j < c; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += f.matrix.data[i * cols + j + 1] / rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (f.matrix.data[i * cols + j + 1] - mean) ** 2;
    const sd = Math.sqrt(ss / rows) || 1;
    for (let i = 0; i < rows; i++) plain.data[i * c + j] = (f.matrix.data[i * cols + j + 1] - mean) / sd;
  }
  const hits = slidingWindowRule(events, { by: "srcIp", eventTypes: ["failed_password"], threshold: 8, windowSeconds: 120 });
  const hitWindows = new Set<string>();
  for (const h of hits) {
    for (let w = Math.floor(h.firstTime / WINDOW_MS) * WINDOW_MS; w <= h.lastTime; w += WINDOW_MS) hitWindows.add(`${h.entity}|${w}`);
  }
  const ruleFlags = Int8Array.from(f.keys, (k) => (hitWindows.has(`${k.entity}|${k.windowStart}`) ? -1 : 1));
  return { f, plain, labels, ruleFlags, days: sim.days };
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  flagged: number;
  service: number;
  days: number;
  byCase: Record<string, [number, number]>;
}

function tally(t: Tally, labels: readonly (ScenarioLabel | undefined)[], p: ArrayLike<number>, days: number): void {
  t.days += days;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] ?? "normal";
    const attack = SCENARIO_ATTACKS.includes(l);
    const flagged = p[i] === -1;
    if (flagged) t.flagged++;
    if (flagged && l === "noisy_service") t.service++;
    if (attack && flagged) t.tp++;
    else if (attack) t.fn++;
    else if (flagged) t.fp++;
    if (attack) {
      const c = (t.byCase[l] ??= [0, 0]);
      c[1]++;
      if (flagged) c[0]++;
    }
  }
}

/**
 * Runs every detector (and the correlation rule) on the scenario for each seed and pools the counts over
 * seeds (micro-averaged precision, recall and F1). The per-entity baseline gets the `entity_id` column
 * (`entityColumn: 0`) with the features' tails and scale floors; the others get the same features without
 * it, standardised; the threshold rule reads `failures` ≥ 8. Errors: OptionError for an unknown detector.
 *
 * @example
 * benchmarkEntityScenario({ seeds: [0], detectors: ["iforest", "entity-baseline"] });
 */
export function benchmarkEntityScenario(options: ScenarioBenchmarkOptions = {}): ScenarioBenchmarkRow[] {
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  const contamination = options.contamination ?? 0.02;
  const days = options.days ?? 14;
  const names = options.detectors ?? detectorRegistry.map((d) => d.name);
  for (const n of names) {
    if (!detectorRegistry.some((d) => d.name === n)) {
      throw new OptionError(`Unknown detector ${JSON.stringify(n)}: expected some of ${detectorRegistry.map((d) => d.name).join(", ")}`);
    }
  }
  const tallies = new Map<string, Tally>();
  const get = (name: string) => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = { tp: 0, fp: 0, fn: 0, flagged: 0, service: 0, days: 0, byCase: {} }));
    return t;
  };
  for (const seed of seeds) {
    const prep = prepare(seed, days);
    const failures = prep.f.columns.indexOf("failures") - 1;
    for (const name of names) {
      const entry = detectorRegistry.find((d) => d.name === name)!;
      const baseline = name === "entity-baseline";
      const extra = baseline
        ? { entityColumn: 0, tails: prep.f.tails, minScale: prep.f.minScales }
        : name === "threshold-rule"
          ? { column: failures, threshold: 8 }
          : {};
      const X = baseline ? prep.f.matrix : name === "threshold-rule" ? unstandardised(prep.f.matrix) : prep.plain;
      const det = entry.create({ seed, contamination: name === "threshold-rule" ? "auto" : contamination, ...extra }).fit(X);
      tally(get(name), prep.labels, det.predict(X), prep.days);
    }
    tally(get("correlation-rule"), prep.labels, prep.ruleFlags, prep.days);
  }
  return [...tallies].map(([detector, t]) => {
    const precision = t.tp + t.fp > 0 ? t.tp / (t.tp + t.fp) : 0;
    const recall = t.tp + t.fn > 0 ? t.tp / (t.tp + t.fn) : 0;
    const recallByCase: Record<string, number> = {};
    for (const a of SCENARIO_ATTACKS) {
      const c = t.byCase[a];
      recallByCase[a] = c ? c[0] / c[1] : 0;
    }
    return {
      detector,
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      alertsPerDay: t.flagged / t.days,
      serviceAlertsPerDay: t.service / t.days,
      recallByCase,
      seeds: seeds.length,
    };
  });
}

/** The feature columns without the entity id, in their own units (for rules that read raw values). */
function unstandardised(m: DenseMatrix): DenseMatrix {
  const c = m.cols - 1;
  return { data: m.data.filter((_, k) => k % m.cols !== 0), rows: m.rows, cols: c };
}
