/**
 * IsolationForest speed against scikit-learn, side by side on the same data:
 *
 *   npm run bench -- iforest [--quick] [--no-sklearn] [--builder fast|sklearn|both]
 *
 * For n in 10k, 100k, 1M (--quick: 10k, 100k) and d in 1, 3, 10: seeded Gaussian rows with 1% uniform
 * outliers are written to a temp dir as raw float64; ours (a fresh Node process, once per tree builder:
 * 'fast', the default, and 'sklearn', scikit-learn's own trees) and scikit-learn's IsolationForest(n_jobs=1)
 * (/usr/bin/python3 bench/iforest_sklearn.py) each fit with defaults and score every row. Times are
 * wall-clock seconds of fit + scoreSamples, best of 3 runs (1 run at 1M), plus CPU seconds (fairer on a
 * shared machine), peak RSS of each process and the ROC AUC as a sanity check. "max |Δ|" is the largest
 * difference of scoreSamples from scikit-learn's at random_state 0 (the first run): rounding for
 * 'sklearn', the spread between two different forests for 'fast'.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { IsolationForest, type TreeBuilder } from "../src/detectors/isolation-forest";
import { rocAuc } from "../src/eval/metrics";
import { simulateBlobWithOutliers } from "../src/simulate/samples";

const PYTHON = "/usr/bin/python3";

interface Run {
  fit: number;
  score: number;
  total: number;
  cpu: number;
  auc: number;
  maxRssMB: number;
}

/** Child mode: fit + score the data in `dir`, print one JSON line. */
function child(dir: string, n: number, d: number, repeats: number, treeBuilder: TreeBuilder): void {
  const buf = readFileSync(join(dir, "X.f64"));
  const data = new Float64Array(buf.buffer, buf.byteOffset, n * d);
  const y = new Uint8Array(readFileSync(join(dir, "y.u8")));
  const X = { data, rows: n, cols: d };
  let best: Run | null = null;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const model = new IsolationForest({ seed: r, treeBuilder }).fit(X);
    const t1 = performance.now();
    const scores = model.scoreSamples(X);
    const t2 = performance.now();
    const cu = process.cpuUsage(c0);
    if (r === 0) writeFileSync(join(dir, `ours-${treeBuilder}.f64`), new Uint8Array(scores.buffer));
    const anomaly = Float64Array.from(scores, (v) => -v);
    const run: Run = {
      fit: (t1 - t0) / 1000,
      score: (t2 - t1) / 1000,
      total: (t2 - t0) / 1000,
      cpu: (cu.user + cu.system) / 1e6,
      auc: rocAuc(y, anomaly),
      maxRssMB: 0,
    };
    if (best === null || run.total < best.total) best = run;
  }
  const out = best as Run;
  out.maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(out));
}

function sklearnAvailable(): string | null {
  try {
    execFileSync(PYTHON, ["-c", "import sklearn, numpy"], { stdio: "ignore" });
    return null;
  } catch {
    return `${PYTHON} with scikit-learn and numpy not found (Debian: apt-get install python3-sklearn)`;
  }
}

function parseJsonLine(text: string, what: string): Run {
  const line = text.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Run;
  } catch {
    throw new Error(`${what} printed no result:\n${text}`);
  }
}

function readF64(path: string): Float64Array {
  const buf = readFileSync(path);
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    child(args[1], Number(args[2]), Number(args[3]), Number(args[4]), args[5] as TreeBuilder);
    return;
  }
  const quick = args.includes("--quick");
  const builderArg = args.includes("--builder") ? args[args.indexOf("--builder") + 1] : "both";
  if (!["fast", "sklearn", "both"].includes(builderArg)) throw new Error(`--builder must be fast, sklearn or both, got ${builderArg}`);
  const builders: TreeBuilder[] = builderArg === "both" ? ["fast", "sklearn"] : [builderArg as TreeBuilder];
  const skipReason = args.includes("--no-sklearn") ? "--no-sklearn given" : sklearnAvailable();
  if (skipReason !== null) console.log(`SKIP scikit-learn side: ${skipReason}; timing ours only.`);
  const ns = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const ds = [1, 3, 10];
  const dir = mkdtempSync(join(tmpdir(), "siemlab-bench-iforest-"));
  const self = resolve(__dirname, "iforest.ts");
  const py = resolve(__dirname, "iforest_sklearn.py");
  console.log(`IsolationForest fit + score of all rows, defaults (100 trees, 256 samples), single thread. Node ${process.version}.`);
  console.log(
    "builder\tn\td\tours s\tsklearn s\tratio\tours cpu s\tsklearn cpu s\tcpu ratio\tours AUC\tsklearn AUC\tours MB\tsklearn MB\tmax |Δ|",
  );
  try {
    for (const n of ns) {
      for (const d of ds) {
        const { X, y } = simulateBlobWithOutliers({ n, d, outlierFraction: 0.01, seed: 0 });
        writeFileSync(join(dir, "X.f64"), new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
        writeFileSync(join(dir, "y.u8"), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
        const repeats = n >= 1_000_000 ? 1 : 3;
        let sk: Run | null = null;
        if (skipReason === null) {
          const skRun = spawnSync(PYTHON, [py, dir, String(n), String(d), String(repeats)], { encoding: "utf8", maxBuffer: 1 << 20 });
          sk = parseJsonLine(skRun.stdout + skRun.stderr, "scikit-learn");
        }
        for (const builder of builders) {
          const childArgs = ["--import", "tsx", self, "--child", dir, String(n), String(d), String(repeats), builder];
          const oursRun = spawnSync(process.execPath, childArgs, { encoding: "utf8", maxBuffer: 1 << 20 });
          const ours = parseJsonLine(oursRun.stdout + oursRun.stderr, "ours");
          const delta = sk ? maxAbsDiff(readF64(join(dir, `ours-${builder}.f64`)), readF64(join(dir, "sklearn.f64"))) : undefined;
          const f = (v: number | undefined, digits = 2): string => (v === undefined ? "-" : v.toFixed(digits));
          console.log(
            [builder, n, d, f(ours.total, 3), f(sk?.total, 3), sk ? f(sk.total / ours.total, 1) + "×" : "-", f(ours.cpu, 3),
              f(sk?.cpu, 3), sk ? f(sk.cpu / ours.cpu, 1) + "×" : "-", f(ours.auc, 4), f(sk?.auc, 4), f(ours.maxRssMB, 0),
              f(sk?.maxRssMB, 0), delta === undefined ? "-" : delta.toExponential(1)].join("\t"),
          );
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
