/**
 * Every registered detector and the analyst's correlation rules on the labelled entity scenario
 * ({@link simulateEntityScenario}), scored per (source address, hour): precision, recall, F1, alerts per
 * day, the recall of each case, and what each of the Isolation Forest, the per-entity baseline and the
 * rules catches that the other two miss. `npm run bench -- baselines` prints it for seeds 0–4; notebook 03
 * shows it.
 *
 * @example
 * const rows = benchmarkEntityScenario({ seeds: [0, 1], contamination: 0.02 });
 * rows.find((r) => r.detector === "entity-baseline")?.f1;
 */
import { ruleWindowFlags, slidingWindowRule, type SlidingWindowRuleOptions } from "../detectors/correlation-rule";
import { detectorRegistry } from "../detectors/registry";
import type { Contamination } from "../detectors/types";
import { OptionError } from "../errors";
import { caseRecall } from "../eval/detector-overlap";
import { entityFeatures, type EntityFeatures } from "../features/entity-features";
import type { LogEvent } from "../events";
import { parseLogLines } from "../ingest/parse-log";
import type { DenseMatrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";
import { type EntityScenario, SCENARIO_ATTACKS, scenarioWindowLabels, simulateEntityScenario } from "./entity-scenario";

/**
 * The correlation rules an analyst would run on sshd logs, as the benchmark and notebook 03 run them; a
 * window is flagged by "the rule" when either fires on one of its events:
 * - 8 failed passwords from one source address within 120 s (Wazuh's sshd brute-force rule 5712, Sigma
 *   `event_count`): a single-source brute force;
 * - failed passwords for one user from ≥ 5 distinct source addresses within 600 s (Sigma `value_count`): a
 *   distributed brute force. Background scanners (~20 addresses a day, mostly root) never come close: at
 *   that rate five on one name within ten minutes is a once-in-centuries coincidence; a botnet gives 10–20.
 */
export const SCENARIO_RULES: readonly SlidingWindowRuleOptions[] = [
  { by: "srcIp", eventTypes: ["failed_password"], threshold: 8, windowSeconds: 120 },
  { by: "user", distinct: "srcIp", eventTypes: ["failed_password"], threshold: 5, windowSeconds: 600 },
];

/** The detectors whose unique catches the benchmark reports (`caughtAloneByCase`). */
export const SCENARIO_COMPARED: readonly string[] = ["iforest", "entity-baseline", "correlation-rule"];

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
  /**
   * Detectors (registry names, or "correlation-rule") compared for `caughtAloneByCase`. Default:
   * {@link SCENARIO_COMPARED} (the Isolation Forest, the per-entity baseline and the rules).
   */
  readonly compare?: readonly string[];
}

/** Every option name of {@link ScenarioBenchmarkOptions} (unknown names fail with a suggestion). */
const SCENARIO_BENCHMARK_OPTIONS_KEYS: OptionKeys<ScenarioBenchmarkOptions> = { seeds: true, contamination: true, detectors: true, days: true, compare: true };

/** One detector (or the rule) averaged over the seeds. */
export interface ScenarioBenchmarkRow {
  /** Registry name, or "correlation-rule" (either of {@link SCENARIO_RULES}). */
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
  /** Mean of `recallByCase` over the cases (every case weighs the same, however many windows it spans). */
  readonly caseRecall: number;
  /**
   * For the detectors of `compare`: share of each case's rows this detector flags and the other compared
   * detectors do not ("caught only by"). Undefined for the others.
   */
  readonly caughtAloneByCase?: Readonly<Record<string, number>>;
  readonly seeds: number;
}

const WINDOW_MS = 3600000;

/** Options of {@link scenarioDetections}. */
export interface ScenarioDetectionsOptions {
  /** Scenario seed (the detectors use it too). Default: 0. */
  readonly seed?: number;
  /** Contamination of every detector but 'threshold-rule' ('auto', failures ≥ 8). Default: 0.02. */
  readonly contamination?: Contamination;
  /** Registry names to run. Default: every registered detector. */
  readonly detectors?: readonly string[];
  /** Days of the scenario. Default: 14. */
  readonly days?: number;
}

/** Every option name of {@link ScenarioDetectionsOptions}. */
const SCENARIO_DETECTIONS_OPTIONS_KEYS: OptionKeys<ScenarioDetectionsOptions> = { seed: true, contamination: true, detectors: true, days: true };

/** One seed of the scenario, its features, the label of every row and every detector's flags on them. */
export interface ScenarioDetections {
  readonly scenario: EntityScenario;
  readonly events: readonly LogEvent[];
  /** `entityFeatures(events, { by: 'srcIp', window: '1h', entityColumn: true })`. */
  readonly features: EntityFeatures;
  /** Label of every row of `features` ("normal", "noisy_service", "background_scan" or a case). */
  readonly labels: readonly string[];
  /** Flags of every detector, and of "correlation-rule" (either of {@link SCENARIO_RULES}): -1 flagged, else 1. */
  readonly flags: Readonly<Record<string, Int8Array>>;
}

function checkDetectors(names: readonly string[]): void {
  for (const n of names) {
    if (!detectorRegistry.some((d) => d.name === n)) {
      throw new OptionError(`Unknown detector ${JSON.stringify(n)}: expected some of ${detectorRegistry.map((d) => d.name).join(", ")}`);
    }
  }
}

/**
 * Simulates one seed of the scenario, builds the (source address, hour) features and runs the detectors and
 * the rules on them, as {@link benchmarkEntityScenario} does for each seed: the per-entity baseline gets the
 * `entity_id` column (`entityColumn: 0`) with the features' tails and scale floors; the others get the same
 * features without it, standardised (distance-based detectors need it; trees and per-feature z-scores are
 * unchanged by it); 'threshold-rule' reads `failures` ≥ 8; "correlation-rule" is {@link SCENARIO_RULES} on
 * the events, put on the rows with `ruleWindowFlags`. Errors: OptionError for an unknown detector or option.
 *
 * @example
 * const d = scenarioDetections({ seed: 0, contamination: 0.02, detectors: ["iforest", "entity-baseline"] });
 * Object.keys(d.flags); // ["iforest", "entity-baseline", "correlation-rule"]
 * caseRecallTable(caseRecall(d.labels, d.flags, { cases: SCENARIO_ATTACKS }));
 */
export function scenarioDetections(options: ScenarioDetectionsOptions = {}): ScenarioDetections {
  checkOptions(options, SCENARIO_DETECTIONS_OPTIONS_KEYS, "scenarioDetections");
  const seed = options.seed ?? 0;
  const contamination = options.contamination ?? 0.02;
  const names = options.detectors ?? detectorRegistry.map((d) => d.name);
  checkDetectors(names);
  const scenario = simulateEntityScenario({ seed, days: options.days ?? 14 });
  const { events } = parseLogLines(scenario.lines, { year: new Date(scenario.start).getUTCFullYear() });
  const f = entityFeatures(events, { by: "srcIp", window: WINDOW_MS, entityColumn: true });
  const byWindow = scenarioWindowLabels(scenario, WINDOW_MS);
  const labels = f.keys.map((k) => byWindow.get(`${k.entity}|${k.windowStart}`) ?? "normal");
  const plain = standardised(f.matrix);
  const failures = f.columns.indexOf("failures") - 1;
  const flags: Record<string, Int8Array> = {};
  for (const name of names) {
    const entry = detectorRegistry.find((d) => d.name === name)!;
    const baseline = name === "entity-baseline";
    const extra = baseline
      ? { entityColumn: 0, tails: f.tails, minScale: f.minScales }
      : name === "threshold-rule"
        ? { column: failures, threshold: 8 }
        : {};
    const X = baseline ? f.matrix : name === "threshold-rule" ? unstandardised(f.matrix) : plain;
    const det = entry.create({ seed, contamination: name === "threshold-rule" ? "auto" : contamination, ...extra }).fit(X);
    flags[name] = Int8Array.from(det.predict(X));
  }
  const rule = new Int8Array(f.matrix.rows).fill(1);
  for (const r of SCENARIO_RULES) {
    const hit = ruleWindowFlags(slidingWindowRule(events, r), events, f);
    for (let i = 0; i < rule.length; i++) if (hit[i] === -1) rule[i] = -1;
  }
  flags["correlation-rule"] = rule;
  return { scenario, events, features: f, labels, flags };
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  flagged: number;
  service: number;
  days: number;
  byCase: Record<string, [number, number]>;
  alone: Record<string, number>;
}

function tally(t: Tally, labels: readonly string[], p: ArrayLike<number>, days: number): void {
  t.days += days;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    const attack = (SCENARIO_ATTACKS as readonly string[]).includes(l);
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
 * Runs every detector (and the correlation rules) on the scenario for each seed, as
 * {@link scenarioDetections} does, and pools the counts over seeds (micro-averaged precision, recall and
 * F1; `caseRecall` is the mean over cases). For the detectors of `compare`, `caughtAloneByCase` says which
 * share of each case's windows only that detector caught. Errors: OptionError for an unknown detector or
 * option, or a `compare` name that is not run.
 *
 * @example
 * benchmarkEntityScenario({ seeds: [0], detectors: ["iforest", "entity-baseline"] });
 */
export function benchmarkEntityScenario(options: ScenarioBenchmarkOptions = {}): ScenarioBenchmarkRow[] {
  checkOptions(options, SCENARIO_BENCHMARK_OPTIONS_KEYS, "benchmarkEntityScenario");
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  const names = options.detectors ?? detectorRegistry.map((d) => d.name);
  checkDetectors(names);
  const all = [...names, "correlation-rule"];
  const compare = (options.compare ?? SCENARIO_COMPARED).filter((n) => all.includes(n));
  for (const n of options.compare ?? []) {
    if (!all.includes(n)) throw new OptionError(`Cannot compare ${JSON.stringify(n)}: expected some of ${all.join(", ")}`);
  }
  const tallies = new Map<string, Tally>();
  const get = (name: string) => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = { tp: 0, fp: 0, fn: 0, flagged: 0, service: 0, days: 0, byCase: {}, alone: {} }));
    return t;
  };
  for (const seed of seeds) {
    const d = scenarioDetections({ seed, contamination: options.contamination ?? 0.02, detectors: names, days: options.days ?? 14 });
    for (const name of all) tally(get(name), d.labels, d.flags[name], d.scenario.days);
    const compared = Object.fromEntries(compare.map((n) => [n, d.flags[n]]));
    if (compare.length > 0) {
      for (const c of caseRecall(d.labels, compared, { cases: SCENARIO_ATTACKS })) {
        for (const n of compare) get(n).alone[c.label] = (get(n).alone[c.label] ?? 0) + c.caughtAlone[n];
      }
    }
  }
  return [...tallies].map(([detector, t]) => {
    const precision = t.tp + t.fp > 0 ? t.tp / (t.tp + t.fp) : 0;
    const recall = t.tp + t.fn > 0 ? t.tp / (t.tp + t.fn) : 0;
    const recallByCase: Record<string, number> = {};
    const caughtAloneByCase: Record<string, number> = {};
    for (const a of SCENARIO_ATTACKS) {
      const c = t.byCase[a];
      recallByCase[a] = c ? c[0] / c[1] : 0;
      caughtAloneByCase[a] = c ? (t.alone[a] ?? 0) / c[1] : 0;
    }
    return {
      detector,
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      alertsPerDay: t.flagged / t.days,
      serviceAlertsPerDay: t.service / t.days,
      recallByCase,
      caseRecall: SCENARIO_ATTACKS.reduce((sum, a) => sum + recallByCase[a], 0) / SCENARIO_ATTACKS.length,
      ...(compare.includes(detector) ? { caughtAloneByCase } : {}),
      seeds: seeds.length,
    };
  });
}

/** Standardised columns without the entity id (mean 0, standard deviation 1; constant columns unscaled). */
function standardised(m: DenseMatrix): DenseMatrix {
  const { rows, cols } = m;
  const c = cols - 1;
  const out: DenseMatrix = { data: new Float64Array(rows * c), rows, cols: c };
  for (let j = 0; j < c; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += m.data[i * cols + j + 1] / rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (m.data[i * cols + j + 1] - mean) ** 2;
    const sd = Math.sqrt(ss / rows) || 1;
    for (let i = 0; i < rows; i++) out.data[i * c + j] = (m.data[i * cols + j + 1] - mean) / sd;
  }
  return out;
}

/** The feature columns without the entity id, in their own units (for rules that read raw values). */
function unstandardised(m: DenseMatrix): DenseMatrix {
  const c = m.cols - 1;
  return { data: m.data.filter((_, k) => k % m.cols !== 0), rows: m.rows, cols: c };
}
