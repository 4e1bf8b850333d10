/**
 * Speed and parity of the rival detectors with scikit-learn: LocalOutlierFactor and OneClassSVM (defaults)
 * fitted and scored on the same rows by both, in one run, per data set and size. Prints fit+score seconds
 * (wall and process CPU, the fairer figure on a shared machine), scikit-learn's, the ratios (sklearn/ours > 1
 * means ours is faster), ROC AUC of both and the largest score difference, with "agree" when every score
 * matches (LOF: each within 1e-9 relative; OCSVM: within 1e-5 of the largest |score|, the tolerances of the
 * fixture tests).
 *
 *   npm run bench -- rivals [--sizes 10000,30000,100000] [--ocsvm-sizes 10000,30000]
 *                           [--sets mammography,shuttle,smtp,http,synthetic] [--seed 0]
 *
 * Data: ADBench sets from ../shared/datasets/adbench (seeded subsamples of ROWS rows; a set with fewer rows is
 * used whole, once) and `synthetic` (3 seeded Gaussian blobs in 5-D with 1% uniform outliers, numpy
 * RandomState(seed)). The One-Class SVM is quadratic: scikit-learn takes ~1 min at 30k rows and ~10 min at
 * 100k, so its default sizes stop at 30k (`--ocsvm-sizes 10000,30000,100000` for the full run).
 * Needs /usr/bin/python3 with scikit-learn (Debian's python3-sklearn); says so and exits 0 when missing.
 * Timings are single runs on whatever else the machine is doing: the load average is printed.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { LocalOutlierFactor } from "../src/detectors/lof";
import { OneClassSVM } from "../src/detectors/ocsvm";
import type { Detector } from "../src/detectors/types";
import { outlierScores, rocAuc } from "../src/eval/metrics";
import { sharedDatasetsDir } from "../src/ingest/datasets";

const repoRoot = resolve(__dirname, "..");
const adbench = join(sharedDatasetsDir(), "adbench");
const python = "/usr/bin/python3";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const sizes = arg("sizes", "10000,30000,100000").split(",").map(Number);
const ocsvmSizes = new Set(arg("ocsvm-sizes", "10000,30000").split(",").map(Number));
const sets = arg("sets", "mammography,shuttle,smtp,http,synthetic").split(",");
const seed = Number(arg("seed", "0"));
const ADBENCH: Record<string, string> = {
  mammography: "23_mammography.npz",
  shuttle: "32_shuttle.npz",
  smtp: "34_smtp.npz",
  http: "16_http.npz",
  annthyroid: "2_annthyroid.npz",
  satellite: "30_satellite.npz",
  cardio: "6_cardio.npz",
};

interface SklearnRun {
  rows: number;
  cols: number;
  X: number[];
  y: number[];
  sklearn: Record<string, { seconds: number; cpu: number; scores: number[]; auc: number; method: string }>;
}

function main(): void {
  try {
    execFileSync(python, ["-c", "import sklearn"], { stdio: "ignore" });
  } catch {
    console.log(`SKIP rivals: ${python} with scikit-learn not found (apt-get install python3-sklearn)`);
    return;
  }
  const load = loadavg().map((v) => v.toFixed(2)).join(" ");
  console.log(`LOF and One-Class SVM vs scikit-learn (defaults, single thread), seed ${seed}; load average at start: ${load}`);
  console.log(`| data | rows×d | detector | ours s | sklearn s | sklearn/ours | ours cpu s | sklearn cpu s | cpu ratio | AUC ours | AUC sklearn | max rel Δ | agree |`);
  console.log(`|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
  for (const set of sets) {
    const source = set === "synthetic" ? "synthetic:5" : join(adbench, ADBENCH[set] ?? `${set}.npz`);
    if (set !== "synthetic" && !existsSync(source)) {
      console.log(`SKIP ${set}: ${source} not found (set SIEMLAB_SHARED_DATASETS)`);
      continue;
    }
    const available = set === "synthetic" ? Infinity : Number(execFileSync(python, [join(repoRoot, "bench/rivals_parity.py"), source, "0", "0"], { encoding: "utf8" }));
    const seen = new Set<number>();
    for (const size of sizes) {
      if (seen.has(Math.min(size, available))) continue; // a set smaller than this size was already run whole
      seen.add(Math.min(size, available));
      const detectors = ["lof", ...(ocsvmSizes.has(size) ? ["ocsvm"] : [])];
      const out = execFileSync(python, [join(repoRoot, "bench/rivals_parity.py"), source, String(size), String(seed), detectors.join(",")], {
        maxBuffer: 1 << 30,
        encoding: "utf8",
      });
      const r = JSON.parse(out) as SklearnRun;
      const X = { data: Float64Array.from(r.X), rows: r.rows, cols: r.cols };
      const make: Record<string, () => Detector> = { lof: () => new LocalOutlierFactor(), ocsvm: () => new OneClassSVM() };
      for (const name of detectors) {
        const t = performance.now();
        const c0 = process.cpuUsage();
        const s = make[name]().fit(X).scoreSamples(X);
        const secs = (performance.now() - t) / 1000;
        const cu = process.cpuUsage(c0);
        const cpu = (cu.user + cu.system) / 1e6;
        const ref = r.sklearn[name];
        // LOF: each score relative to itself (duplicates give scores near -1e10); OCSVM: relative to the largest.
        let scale = 0;
        for (let i = 0; i < s.length; i++) scale = Math.max(scale, Math.abs(ref.scores[i]));
        let worst = 0;
        for (let i = 0; i < s.length; i++) {
          const denom = name === "lof" ? Math.max(1, Math.abs(ref.scores[i])) : scale;
          worst = Math.max(worst, Math.abs(s[i] - ref.scores[i]) / denom);
        }
        const tol = name === "lof" ? 1e-9 : 1e-5;
        const auc = rocAuc(r.y, outlierScores(s));
        console.log(
          `| ${set} | ${r.rows}×${r.cols} | ${name} (${ref.method}) | ${secs.toFixed(2)} | ${ref.seconds.toFixed(2)} | ${(ref.seconds / secs).toFixed(2)} | ` +
            `${cpu.toFixed(2)} | ${ref.cpu.toFixed(2)} | ${(ref.cpu / cpu).toFixed(2)} | ` +
            `${auc.toFixed(4)} | ${ref.auc.toFixed(4)} | ${worst.toExponential(1)} | ${worst <= tol ? "yes" : "NO"} |`,
        );
      }
    }
  }
  console.log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
}

main();
