/**
 * IsolationForest parity with scikit-learn on every ADBench data set in ../shared/datasets/adbench
 * (or $SIEMLAB_SHARED_DATASETS/adbench):
 *
 *   npm run bench -- parity [--seeds 0,1,2,3,4] [--only 2_annthyroid,30_satellite] [--no-ml]
 *
 * Both fit with default options on all rows and score the same rows; the table shows the mean ROC AUC
 * over the seeds and PASS when |ours - scikit-learn| <= 0.01. It also prints the standard error of that
 * difference (from the per-seed spread of both): on data sets where the AUC varies by 0.01–0.02 from seed
 * to seed, 5 seeds cannot resolve 0.01, and `z` = |diff| / se tells seed noise (z < 2) from a real gap.
 * The exit code is 1 only for a real gap (|diff| > 0.01 and z > 3). A second table times the
 * ml-isolation-forest package (MlIsolationForest) against ours on the data sets of at most 12k rows
 * (one seed, wall-clock seconds of fit + score). Skips with a message when the data or Python is missing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { IsolationForest } from "../src/detectors/isolation-forest";
import { MlIsolationForest } from "../src/detectors/ml-isolation-forest";
import type { Detector } from "../src/detectors/types";
import { rocAuc } from "../src/eval/metrics";
import { loadAdbench } from "../src/eval/npz";
import { sharedDatasetsDir } from "../src/ingest/datasets";

const PYTHON = "/usr/bin/python3";

function auc(y: Int8Array, scores: Float64Array): number {
  return rocAuc(y, Float64Array.from(scores, (v) => -v));
}

function timed(det: Detector, X: Parameters<Detector["fit"]>[0]): { seconds: number; scores: Float64Array } {
  const t = performance.now();
  const scores = det.fit(X).scoreSamples(X);
  return { seconds: (performance.now() - t) / 1000, scores };
}

function main(): void {
  const args = process.argv.slice(2);
  const seedsArg = args.indexOf("--seeds");
  const seeds = (seedsArg >= 0 ? args[seedsArg + 1] : "0,1,2,3,4").split(",").map(Number);
  const dir = join(sharedDatasetsDir(), "adbench");
  if (!existsSync(dir)) {
    console.log(`SKIP parity: no ADBench data sets at ${dir} (set SIEMLAB_SHARED_DATASETS)`);
    return;
  }
  const onlyArg = args.indexOf("--only");
  const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(",").map((f) => f.replace(/\.npz$/, ""))) : null;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".npz") && (only === null || only.has(f.replace(/\.npz$/, ""))))
    .sort((a, b) => parseInt(a) - parseInt(b));
  let sk: Record<string, number[]> | null = null;
  try {
    execFileSync(PYTHON, ["-c", "import sklearn"], { stdio: "ignore" });
    console.log(`Running scikit-learn on ${files.length} data sets × ${seeds.length} seeds...`);
    const py = join(__dirname, "parity_sklearn.py");
    sk = JSON.parse(execFileSync(PYTHON, [py, dir, seeds.join(","), ...files], { maxBuffer: 1 << 22 }).toString()) as Record<string, number[]>;
  } catch (e) {
    console.log(`SKIP scikit-learn side: ${PYTHON} with scikit-learn failed or is missing (${(e as Error).message.split("\n")[0]})`);
  }

  console.log(`\nIsolationForest mean ROC AUC over seeds ${seeds.join(",")} (defaults, all rows), ours vs scikit-learn`);
  console.log(["dataset", "rows×d", "anomalies", "ours AUC", "sklearn AUC", "|diff|", "ours sd", "sklearn sd", "se(diff)", "z", "check"].join("\t"));
  let failures = 0;
  let realGaps = 0;
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const sd = (a: number[]): number => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));
  const small: string[] = [];
  for (const f of files) {
    const { X, y } = loadAdbench(join(dir, f));
    if (X.rows <= 12_000) small.push(f);
    const ours = seeds.map((seed) => auc(y, new IsolationForest({ seed }).fit(X).scoreSamples(X)));
    const ref = sk?.[f];
    const diff = ref ? Math.abs(mean(ours) - mean(ref)) : Number.NaN;
    const ok = ref ? diff <= 0.01 : null;
    const se = ref ? Math.sqrt((sd(ours) ** 2 + sd(ref) ** 2) / seeds.length) : Number.NaN;
    const z = diff / se;
    if (ok === false) failures++;
    if (ok === false && z > 3) realGaps++;
    console.log(
      [f.replace(".npz", ""), `${X.rows}×${X.cols}`, y.reduce((s, v) => s + v, 0), mean(ours).toFixed(4), ref ? mean(ref).toFixed(4) : "-",
        ref ? diff.toFixed(4) : "-", sd(ours).toFixed(4), ref ? sd(ref).toFixed(4) : "-", ref ? se.toFixed(4) : "-", ref ? z.toFixed(1) : "-",
        ok === null ? "SKIP" : ok ? "PASS" : "FAIL"].join("\t"),
    );
  }
  if (sk) {
    console.log(
      failures === 0
        ? `All ${files.length} data sets within 0.01.`
        : `${failures} data set(s) differ by more than 0.01; ${realGaps} of them by more than 3 standard errors.`,
    );
  }

  if (!args.includes("--no-ml")) {
    console.log("\nml-isolation-forest package vs ours, seed 0, 100 trees, wall-clock seconds of fit + score of all rows");
    console.log(["dataset", "rows×d", "ours s", "ml-iforest s", "ratio", "ours AUC", "ml-iforest AUC"].join("\t"));
    for (const f of small) {
      const { X, y } = loadAdbench(join(dir, f));
      const a = timed(new IsolationForest({ seed: 0 }), X);
      const b = timed(new MlIsolationForest({ seed: 0 }), X);
      console.log(
        [f.replace(".npz", ""), `${X.rows}×${X.cols}`, a.seconds.toFixed(3), b.seconds.toFixed(2), `${(b.seconds / a.seconds).toFixed(0)}×`,
          auc(y, a.scores).toFixed(4), auc(y, b.scores).toFixed(4)].join("\t"),
      );
    }
  }
  if (realGaps > 0) process.exitCode = 1;
}

main();
