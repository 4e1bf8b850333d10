/**
 * Parity of the rival detectors with scikit-learn on the ADBench data sets in ../shared/datasets/adbench:
 * LocalOutlierFactor and OneClassSVM (defaults) fitted on the same seeded subsample by both, printing ROC AUC,
 * the largest score difference and single-run fit+score times (sklearn/ours > 1 means ours is faster).
 *
 *   npx tsx bench/rivals_parity.ts [maxRows=2000] [seed=0]
 *
 * Needs /usr/bin/python3 with scikit-learn (Debian's python3-sklearn) and the shared data sets; says so and
 * exits 0 when either is missing. Timings are one run each, on whatever else the machine is doing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalOutlierFactor } from "../src/detectors/lof";
import { OneClassSVM } from "../src/detectors/ocsvm";
import type { Detector } from "../src/detectors/types";
import { outlierScores, rocAuc } from "../src/eval/metrics";
import { sharedDatasetsDir } from "../src/ingest/datasets";

const repoRoot = resolve(__dirname, "..");
const adbench = join(sharedDatasetsDir(), "adbench");
const python = "/usr/bin/python3";
const maxRows = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 0);

function main(): void {
  if (!existsSync(adbench)) {
    console.log(`SKIP rivals parity: no ADBench data sets at ${adbench} (set SIEMLAB_SHARED_DATASETS)`);
    return;
  }
  try {
    execFileSync(python, ["-c", "import sklearn"], { stdio: "ignore" });
  } catch {
    console.log(`SKIP rivals parity: ${python} with scikit-learn not found (apt-get install python3-sklearn)`);
    return;
  }
  const files = readdirSync(adbench).filter((f) => f.endsWith(".npz")).sort((a, b) => parseInt(a) - parseInt(b));
  console.log(`Rival detectors vs scikit-learn, seeded subsample of at most ${maxRows} rows (seed ${seed}), defaults`);
  console.log(["dataset", "rows×d", "detector", "AUC ours", "AUC sklearn", "max|Δscore|", "rel", "ours s", "sklearn s", "sklearn/ours"].join("\t"));
  for (const f of files) {
    const out = execFileSync(python, [join(repoRoot, "bench/rivals_parity.py"), join(adbench, f), String(maxRows), String(seed)], {
      maxBuffer: 1 << 30,
      encoding: "utf8",
    });
    const r = JSON.parse(out) as {
      rows: number;
      cols: number;
      X: number[];
      y: number[];
      sklearn: Record<string, { seconds: number; scores: number[]; auc: number }>;
    };
    const X = { data: Float64Array.from(r.X), rows: r.rows, cols: r.cols };
    const detectors: [string, () => Detector][] = [
      ["lof", () => new LocalOutlierFactor()],
      ["ocsvm", () => new OneClassSVM()],
    ];
    for (const [name, make] of detectors) {
      const t = performance.now();
      const s = make().fit(X).scoreSamples(X);
      const secs = (performance.now() - t) / 1000;
      const ref = r.sklearn[name];
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < s.length; i++) {
        worst = Math.max(worst, Math.abs(s[i] - ref.scores[i]));
        scale = Math.max(scale, Math.abs(ref.scores[i]));
      }
      const auc = rocAuc(r.y, outlierScores(s));
      console.log(
        [f.replace(".npz", ""), `${r.rows}×${r.cols}`, name, auc.toFixed(4), ref.auc.toFixed(4), worst.toExponential(1),
          (worst / scale).toExponential(1), secs.toFixed(2), ref.seconds.toFixed(2), (ref.seconds / secs).toFixed(2)].join("\t"),
      );
    }
  }
}

main();
