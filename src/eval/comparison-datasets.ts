/**
 * The labelled data sets the detector comparison (notebook 04) runs on: ADBench files from the shared data
 * folder when present, each subsampled with a seeded NumPy-compatible draw; otherwise a seeded synthetic
 * labelled blob, so the comparison runs anywhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OptionError } from "../errors";
import { windowCounts } from "../features/window-counts";
import { sharedDatasetsDir } from "../ingest/datasets";
import { parseLogLines } from "../ingest/parse-log";
import { ATTACK_LABELS, labelSimulatedWindows, simulateAttacks } from "../simulate/attacks";
import { simulateBlobWithOutliers } from "../simulate/samples";
import type { LabelledDataset } from "./compare";
import { loadAdbench } from "./npz";
import { subsampleLabelled } from "./subsample";
import type { DenseMatrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link ComparisonDatasetsOptions} (unknown names fail with a suggestion). */
const COMPARISON_DATASETS_OPTIONS_KEYS: OptionKeys<ComparisonDatasetsOptions> = { adbench: true, maxRows: true, seed: true, dir: true, simulatedAuth: true };

/** Every option name of {@link SimulatedAuthWindowsOptions} (unknown names fail with a suggestion). */
const SIMULATED_AUTH_WINDOWS_OPTIONS_KEYS: OptionKeys<SimulatedAuthWindowsOptions> = { seed: true, windowMinutes: true };

/** Options of {@link loadComparisonDatasets}. */
export interface ComparisonDatasetsOptions {
  /** ADBench file names (without .npz) to load. Default: ["16_http", "6_cardio"]. */
  readonly adbench?: readonly string[];
  /** Rows kept per data set (seeded subsample above that). Default: 4000. */
  readonly maxRows?: number;
  /** Seed of the subsample and of the synthetic fallback. Default: 0. */
  readonly seed?: number;
  /** Folder holding the .npz files. Default: `<shared datasets>/adbench` (env SIEMLAB_SHARED_DATASETS or ../shared/datasets). */
  readonly dir?: string;
  /** Append the simulated auth.log window set ({@link simulatedAuthWindows}, same seed). Default: true. */
  readonly simulatedAuth?: boolean;
}

/** A comparison data set with where it came from. */
export interface ComparisonDataset extends LabelledDataset {
  readonly X: DenseMatrix;
  /** File path, or "synthetic". */
  readonly source: string;
  readonly rows: number;
  readonly features: number;
  readonly anomalies: number;
  /** Rows in the full data set when it was subsampled. */
  readonly subsampledFrom?: number;
  /** Feature names, when known. */
  readonly columns?: readonly string[];
  /** Per-row label text (e.g. "brute_force", "normal") when the source has more than 0/1. */
  readonly kinds?: readonly string[];
}

/** Result of {@link loadComparisonDatasets}. */
export interface ComparisonDatasets {
  readonly kind: "adbench" | "synthetic";
  readonly datasets: ComparisonDataset[];
  /** One line saying what was loaded (or why the synthetic fallback was used). */
  readonly note: string;
}

/**
 * Loads the comparison data sets: ADBench files when all are present, else a seeded synthetic blob
 * (3000 rows × 6 features, 2% uniform outliers); plus, unless `simulatedAuth` is false, the SIEM-shaped
 * {@link simulatedAuthWindows} set.
 *
 * @example
 * const { datasets, note } = loadComparisonDatasets({ maxRows: 4000 });
 * console.log(note); // e.g. "ADBench from ../shared/datasets/adbench: 16_http (4000 of 567498 rows), 6_cardio (1831 rows)"
 */
export function loadComparisonDatasets(options: ComparisonDatasetsOptions = {}): ComparisonDatasets {
  checkOptions(options, COMPARISON_DATASETS_OPTIONS_KEYS, "loadComparisonDatasets");
  const names = options.adbench ?? ["16_http", "6_cardio"];
  const maxRows = options.maxRows ?? 4000;
  if (!Number.isInteger(maxRows) || maxRows < 10) throw new OptionError(`Expected \`maxRows\` to be an integer ≥ 10, got ${String(maxRows)}`);
  const seed = options.seed ?? 0;
  const dir = options.dir ?? path.join(sharedDatasetsDir(), "adbench");
  const files = names.map((n) => path.join(dir, `${n}.npz`));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) {
    const datasets = names.map((name, i): ComparisonDataset => {
      const full = loadAdbench(files[i]);
      const sub = subsampleLabelled(full.X, full.y, maxRows, seed);
      return {
        name,
        X: sub.X,
        y: sub.y,
        source: files[i],
        rows: sub.X.rows,
        features: sub.X.cols,
        anomalies: sub.y.reduce((a, b) => a + b, 0),
        subsampledFrom: full.X.rows > maxRows ? full.X.rows : undefined,
      };
    });
    const parts = datasets.map((d) => `${d.name} (${d.subsampledFrom ? `${d.rows} of ${d.subsampledFrom}` : d.rows} rows, ${d.anomalies} anomalies)`);
    const note = `ADBench from ${dir}: ${parts.join(", ")}; subsample seed ${seed}`;
    return withSimulated({ kind: "adbench", datasets, note }, options, seed);
  }
  const blob = simulateBlobWithOutliers({ n: Math.min(3000, maxRows), d: 6, outlierFraction: 0.02, seed });
  const y = Uint8Array.from(blob.y);
  const anomalies = y.reduce((a, b) => a + b, 0);
  return withSimulated(
    {
      kind: "synthetic",
      datasets: [{ name: "synthetic-blob", X: blob.X, y, source: "synthetic", rows: blob.X.rows, features: blob.X.cols, anomalies }],
      note: `ADBench files not found (${missing.map((f) => path.basename(f)).join(", ")} missing in ${dir}): using a seeded synthetic blob, ${blob.X.rows} rows × 6 features, ${anomalies} uniform outliers`,
    },
    options,
    seed,
  );
}

function withSimulated(r: ComparisonDatasets, options: ComparisonDatasetsOptions, seed: number): ComparisonDatasets {
  if (options.simulatedAuth === false) return r;
  const sim = simulatedAuthWindows({ seed });
  return {
    ...r,
    datasets: [...r.datasets, sim],
    note: `${r.note}; plus ${sim.name} (${sim.rows} source-IP windows, ${sim.anomalies} attack windows, seed ${seed})`,
  };
}

/** Options of {@link simulatedAuthWindows}. */
export interface SimulatedAuthWindowsOptions {
  /** Seed of the simulated day of logs. Default: 0. */
  readonly seed?: number;
  /** Window length in minutes. Default: 5. */
  readonly windowMinutes?: number;
}

/** The columns of {@link simulatedAuthWindows}, in order: failures first, so the threshold rule's defaults (column 0 ≥ 8) read "≥ 8 failed logins from one IP in a window". */
export const SIM_AUTH_COLUMNS: readonly string[] = ["failures", "distinctUsers", "count", "successes"];

/**
 * A SIEM-shaped labelled data set: a seeded simulated day of sshd auth.log (normal users, internet
 * background noise, one brute force and one password spraying; `simulateAttacks`), parsed, counted per
 * source IP per window (failures, distinct users, events, successes; windows with events only), and
 * labelled 1 where the window holds an attack line. `kinds` keeps the label text per row.
 *
 * @example
 * const sim = simulatedAuthWindows({ seed: 0 });
 * [sim.rows, sim.anomalies, sim.columns]; // [162, 22, ["failures", "distinctUsers", "count", "successes"]]
 */
export function simulatedAuthWindows(options: SimulatedAuthWindowsOptions = {}): ComparisonDataset {
  checkOptions(options, SIMULATED_AUTH_WINDOWS_OPTIONS_KEYS, "simulatedAuthWindows");
  const seed = options.seed ?? 0;
  const minutes = options.windowMinutes ?? 5;
  if (!(minutes > 0) || !Number.isFinite(minutes)) throw new OptionError(`Expected \`windowMinutes\` to be a positive number, got ${String(minutes)}`);
  const windowMs = minutes * 60_000;
  const sim = simulateAttacks({ seed, attacks: ["brute_force", "password_spraying"] });
  const parsed = parseLogLines(sim.auth.lines, { format: "rfc3164", year: new Date(sim.start).getUTCFullYear() });
  const f = windowCounts(parsed.events, { by: "srcIp", window: windowMs, features: ["failures", "distinctUsers", "count", "successes"], zeroFill: false });
  const labelOf = new Map(labelSimulatedWindows(sim.auth, { window: windowMs }).map((w) => [`${w.srcIp} ${w.windowStart}`, w.label as string]));
  const kinds = f.keys.map((k) => labelOf.get(`${k.entity} ${k.windowStart}`) ?? "normal");
  const attack = new Set<string>(ATTACK_LABELS);
  const y = Uint8Array.from(kinds, (k) => (attack.has(k) ? 1 : 0));
  return {
    name: `sim-auth-${minutes}m`,
    X: f.matrix,
    y,
    source: "synthetic",
    rows: f.matrix.rows,
    features: f.matrix.cols,
    anomalies: y.reduce((a, b) => a + b, 0),
    columns: f.columns,
    kinds,
  };
}
