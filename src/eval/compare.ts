/**
 * A fair comparison of detectors: every detector × data set × seed is fitted on the data set's rows
 * (unsupervised, labels unseen), scores the same rows, and is evaluated against the labels. The result is
 * a tidy table (one row per run), a mean-over-seeds summary, and a Danfo DataFrame for display.
 */
import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import { detectorRegistry, getDetectorEntry } from "../detectors/registry";
import type { Contamination, Detector } from "../detectors/types";
import { DataError, OptionError } from "../errors";
import { anomalyScores, averagePrecision, type BinaryLabels, confusionMatrix, flagsFromPredictions, precisionAtK, precisionRecallF1FromCounts, rocAuc } from "./metrics";
import { type Matrix, toDense } from "../matrix";

/** How to build a detector for one run: its display name and a factory. */
export interface DetectorEntry {
  readonly name: string;
  /** Builds an unfitted detector for a seed and contamination. */
  readonly create: (options: { readonly seed: number; readonly contamination: Contamination }) => Detector;
  /** True when the detector ignores its seed: it then runs once per data set (row seed = the first seed). Default: false. */
  readonly deterministic?: boolean;
}

/** A labelled data set to compare on. */
export interface LabelledDataset {
  readonly name: string;
  readonly X: Matrix;
  /** 1 = anomaly, 0 = normal, one per row of X. */
  readonly y: BinaryLabels;
}

/** Options of {@link compareDetectors}. */
export interface CompareDetectorsOptions {
  /** Detectors to run: registry names (e.g. "lof") or {name, create} entries. */
  readonly detectors: readonly (string | DetectorEntry)[];
  readonly datasets: readonly LabelledDataset[];
  /** Seeds; every stochastic detector runs once per seed. Default: [0, 1, 2, 3, 4]. */
  readonly seeds?: readonly number[];
  /** Contamination given to every detector (affects `flagged`, precision, recall, F1; not the ranking metrics). Default: 'auto'. */
  readonly contamination?: Contamination;
  /** k of precision@k. Default: the number of anomalies in each data set. */
  readonly k?: number;
  /** Called after each run, e.g. to print progress. Default: none. */
  readonly onRun?: (row: ComparisonRow) => void;
}

/** One run of one detector on one data set with one seed. */
export interface ComparisonRow {
  readonly detector: string;
  readonly dataset: string;
  readonly seed: number;
  readonly rows: number;
  readonly features: number;
  /** ROC AUC of −scoreSamples against the labels. */
  readonly rocAuc: number;
  /** Average precision (PR AUC) of −scoreSamples. */
  readonly averagePrecision: number;
  /** Precision among the k highest anomaly scores (k = number of anomalies unless set). */
  readonly precisionAtK: number;
  /** Rows `predict` flags at the given contamination, and their precision / recall / F1. */
  readonly flagged: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Wall-clock seconds of `fit` and of `scoreSamples` + `predict` (single run, not a benchmark). */
  readonly fitSeconds: number;
  readonly scoreSeconds: number;
}

/** Mean over seeds of one detector on one data set. */
export interface ComparisonSummaryRow {
  readonly detector: string;
  readonly dataset: string;
  /** Number of runs averaged (1 for deterministic detectors). */
  readonly runs: number;
  readonly rocAuc: number;
  /** Population standard deviation of ROC AUC over the runs (0 for one run). */
  readonly rocAucStd: number;
  readonly averagePrecision: number;
  readonly precisionAtK: number;
  readonly f1: number;
  readonly fitSeconds: number;
  readonly scoreSeconds: number;
}

const now = () => performance.now() / 1000;

function resolveEntry(d: string | DetectorEntry): DetectorEntry {
  return typeof d === "string" ? getDetectorEntry(d) : d;
}

/**
 * Registry entries to compare: all registered detectors, or those named (in the given order). Unknown
 * names throw an OptionError listing the known ones.
 *
 * @example
 * detectorEntries().map((d) => d.name);          // ["iforest", "ml-iforest", "lof", …]
 * detectorEntries(["iforest", "lof"]);
 */
export function detectorEntries(names?: readonly string[]): DetectorEntry[] {
  return names === undefined ? detectorRegistry.slice() : names.map((n) => getDetectorEntry(n));
}

/**
 * Runs detectors × data sets × seeds and returns one tidy row per run.
 *
 * @example
 * const rows = compareDetectors({
 *   detectors: ["iforest", "lof", { name: "lof-5", create: (o) => new LocalOutlierFactor({ ...o, nNeighbors: 5 }), deterministic: true }],
 *   datasets: [{ name: "blob", X, y }],
 *   seeds: [0, 1, 2],
 * });
 * showTable(summarizeComparison(rows));
 */
export function compareDetectors(options: CompareDetectorsOptions): ComparisonRow[] {
  const { datasets } = options;
  if (!Array.isArray(options.detectors) || options.detectors.length === 0) {
    throw new OptionError("Expected `detectors` to be a non-empty array of registry names or {name, create} entries, e.g. detectorEntries()");
  }
  const detectors = options.detectors.map(resolveEntry);
  if (!Array.isArray(datasets) || datasets.length === 0) {
    throw new OptionError("Expected `datasets` to be a non-empty array of {name, X, y}");
  }
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  if (!Array.isArray(seeds) || seeds.length === 0) throw new OptionError("Expected `seeds` to be a non-empty array of integers");
  const contamination = options.contamination ?? "auto";
  const out: ComparisonRow[] = [];
  for (const ds of datasets) {
    const M = toDense(ds.X, `datasets[${JSON.stringify(ds.name)}].X`);
    if (ds.y.length !== M.rows) {
      throw new DataError(`Data set ${JSON.stringify(ds.name)}: expected one label per row (${M.rows}), got ${ds.y.length}`);
    }
    for (const entry of detectors) {
      const runSeeds = entry.deterministic ? seeds.slice(0, 1) : seeds;
      for (const seed of runSeeds) {
        const detector = entry.create({ seed, contamination });
        let t = now();
        detector.fit(M);
        const fitSeconds = now() - t;
        t = now();
        const scores = anomalyScores(detector.scoreSamples(M));
        const flags = flagsFromPredictions(detector.predict(M));
        const scoreSeconds = now() - t;
        const cm = confusionMatrix(ds.y, flags);
        const prf = precisionRecallF1FromCounts(cm);
        const row: ComparisonRow = {
          detector: entry.name,
          dataset: ds.name,
          seed,
          rows: M.rows,
          features: M.cols,
          rocAuc: rocAuc(ds.y, scores),
          averagePrecision: averagePrecision(ds.y, scores),
          precisionAtK: precisionAtK(ds.y, scores, options.k),
          flagged: cm.tp + cm.fp,
          precision: prf.precision,
          recall: prf.recall,
          f1: prf.f1,
          fitSeconds,
          scoreSeconds,
        };
        out.push(row);
        options.onRun?.(row);
      }
    }
  }
  return out;
}

/**
 * Mean over seeds per (detector, data set), in first-seen order. Plain Map aggregation (no Danfo groupby).
 *
 * @example
 * summarizeComparison(rows); // [{ detector: "iforest", dataset: "blob", runs: 5, rocAuc: 0.97, rocAucStd: 0.004, … }]
 */
export function summarizeComparison(rows: readonly ComparisonRow[]): ComparisonSummaryRow[] {
  const groups = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.detector, r.dataset]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const mean = (g: ComparisonRow[], f: (r: ComparisonRow) => number) => g.reduce((a, r) => a + f(r), 0) / g.length;
  return Array.from(groups.values(), (g) => {
    const auc = mean(g, (r) => r.rocAuc);
    return {
      detector: g[0].detector,
      dataset: g[0].dataset,
      runs: g.length,
      rocAuc: auc,
      rocAucStd: Math.sqrt(mean(g, (r) => (r.rocAuc - auc) ** 2)),
      averagePrecision: mean(g, (r) => r.averagePrecision),
      precisionAtK: mean(g, (r) => r.precisionAtK),
      f1: mean(g, (r) => r.f1),
      fitSeconds: mean(g, (r) => r.fitSeconds),
      scoreSeconds: mean(g, (r) => r.scoreSeconds),
    };
  });
}

/**
 * Comparison rows (or summary rows) as a Danfo DataFrame for display, numbers rounded to `digits`.
 *
 * @example
 * comparisonToDataFrame(summarizeComparison(rows)).print();
 */
export function comparisonToDataFrame(
  rows: readonly (ComparisonRow | ComparisonSummaryRow)[],
  options: { readonly digits?: number } = {},
): dfd.DataFrame {
  if (rows.length === 0) throw new DataError("Expected at least one comparison row to show, got none");
  const digits = options.digits ?? 4;
  const f = 10 ** digits;
  const plain = rows.map((r) => {
    const o: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === "number" && !Number.isInteger(v) ? Math.round(v * f) / f : (v as string | number);
    return o;
  });
  return new (lazyDanfo().DataFrame)(plain);
}

/** Which rows one detector flags. */
export interface FlaggedRows {
  readonly detector: string;
  /** Row indices where `predict` is -1, increasing. */
  readonly flagged: number[];
  /** The detector's offset after fitting. */
  readonly offset: number;
}

/**
 * Fits every detector on X with one seed and contamination and lists the row indices each flags: a quick
 * "do they agree?" view for small data such as the tutorial's 53 minutes.
 *
 * @example
 * flaggedByDetector(entries, counts.map((c) => [c]), { contamination: 0.05 });
 * // [{ detector: "iforest", flagged: [50, 51, 52], offset: -0.6 }, …]
 */
export function flaggedByDetector(
  detectors: readonly (string | DetectorEntry)[],
  X: Matrix,
  options: { readonly contamination?: Contamination; readonly seed?: number } = {},
): FlaggedRows[] {
  const M = toDense(X, "X");
  return detectors.map(resolveEntry).map((entry) => {
    const det = entry.create({ seed: options.seed ?? 0, contamination: options.contamination ?? "auto" }).fit(M);
    const pred = det.predict(M);
    const flagged: number[] = [];
    for (let i = 0; i < pred.length; i++) if (pred[i] === -1) flagged.push(i);
    return { detector: entry.name, flagged, offset: det.offset };
  });
}

/** One detector's anomaly scores on a labelled data set, in the shape the ROC / PR chart builders take. */
export interface ScoredDetector {
  readonly name: string;
  readonly labels: BinaryLabels;
  /** −scoreSamples: higher = more anomalous. */
  readonly scores: Float64Array;
}

/**
 * Fits each detector on X (one seed) and returns its anomaly scores with the labels, ready for
 * `rocChart` / `prChart`.
 *
 * @example
 * const scored = scoreDetectors(entries, X, y, { seed: 0 });
 * show(rocChart(scored));
 */
export function scoreDetectors(
  detectors: readonly (string | DetectorEntry)[],
  X: Matrix,
  y: BinaryLabels,
  options: { readonly contamination?: Contamination; readonly seed?: number } = {},
): ScoredDetector[] {
  const M = toDense(X, "X");
  if (y.length !== M.rows) throw new DataError(`Expected one label per row of X (${M.rows}), got ${y.length}`);
  return detectors.map(resolveEntry).map((entry) => {
    const det = entry.create({ seed: options.seed ?? 0, contamination: options.contamination ?? "auto" }).fit(M);
    return { name: entry.name, labels: y, scores: anomalyScores(det.scoreSamples(M)) };
  });
}

/**
 * For each detector (fitted on X with one seed and contamination), how many rows of each kind it flags, as
 * "flagged/total" per kind: e.g. which attack types a rule catches and which a learned detector catches.
 *
 * @example
 * const sim = simulatedAuthWindows();
 * flaggedByKind(["iforest", "threshold-rule"], sim.X, sim.kinds, { contamination: 0.05 });
 * // [{ detector: "iforest", brute_force: "3/3", password_spraying: "2/19", normal: "1/116", … }, …]
 */
export function flaggedByKind(
  detectors: readonly (string | DetectorEntry)[],
  X: Matrix,
  kinds: readonly string[],
  options: { readonly contamination?: Contamination; readonly seed?: number } = {},
): Record<string, string>[] {
  const M = toDense(X, "X");
  if (kinds.length !== M.rows) throw new DataError(`Expected one kind per row of X (${M.rows}), got ${kinds.length}`);
  const order = Array.from(new Set(kinds));
  const totals = new Map<string, number>();
  for (const k of kinds) totals.set(k, (totals.get(k) ?? 0) + 1);
  return flaggedByDetector(detectors, M, options).map((f) => {
    const hits = new Map<string, number>();
    for (const i of f.flagged) hits.set(kinds[i], (hits.get(kinds[i]) ?? 0) + 1);
    const row: Record<string, string> = { detector: f.detector };
    for (const k of order) row[k] = `${hits.get(k) ?? 0}/${totals.get(k)}`;
    return row;
  });
}
