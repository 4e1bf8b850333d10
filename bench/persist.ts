/**
 * Saved models: file size, save time and load time of a fitted IsolationForest against scikit-learn's
 * `joblib.dump` / `joblib.load` of the same-sized `IsolationForest`, in one run:
 *
 *   npm run bench -- persist [--rows 100000] [--cols 10] [--repeats 5]
 *
 * Seeded Gaussian rows with 1% uniform outliers (100k × 10 by default) are written to a temp dir as raw
 * float64; ours fits `IsolationForest({ seed: 0 })` (100 trees of 256 rows, the defaults), then times
 * `save(path)` and `IsolationForest.load(path)` (best of `--repeats`), and load + scoring 1,000 rows (ours builds its WebAssembly kernel on first use) and checks that the loaded model's
 * scoreSamples are bit-identical on the first 2,000 rows; /usr/bin/python3 bench/persist_sklearn.py does the
 * same with scikit-learn's IsolationForest(random_state=0) and joblib. Sizes are the JSON plus its binary
 * sidecar, and the joblib file. Ratios are ours / scikit-learn's (below 1: ours is smaller or faster).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { IsolationForest } from "../src/detectors/isolation-forest";
import { simulateBlobWithOutliers } from "../src/simulate/samples";

const PYTHON = "/usr/bin/python3";
const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, cols: { type: "string", default: "10" }, repeats: { type: "string", default: "5" } } });
const n = Number(values.rows);
const d = Number(values.cols);
const repeats = Number(values.repeats);

const dir = mkdtempSync(join(tmpdir(), "siemlab-bench-persist-"));
try {
  const { X } = simulateBlobWithOutliers({ n, d, outlierFraction: 0.01, seed: 0 });
  writeFileSync(join(dir, "X.f64"), new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
  const model = new IsolationForest({ seed: 0 }).fit(X);
  const path = join(dir, "iforest.json");
  let save = Infinity;
  let load = Infinity;
  let loadScore = Infinity;
  let back = model;
  const first = { data: X.data.subarray(0, 1000 * d), rows: 1000, cols: d };
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model.save(path);
    const t1 = performance.now();
    back = IsolationForest.load(path);
    const t2 = performance.now();
    IsolationForest.load(path).scoreSamples(first);
    const t3 = performance.now();
    save = Math.min(save, (t1 - t0) / 1000);
    load = Math.min(load, (t2 - t1) / 1000);
    loadScore = Math.min(loadScore, (t3 - t2) / 1000);
  }
  const head = { data: X.data.subarray(0, 2000 * d), rows: 2000, cols: d };
  const a = model.scoreSamples(head);
  const b = back.scoreSamples(head);
  const identical = a.every((v, i) => Object.is(v, b[i]));
  const jsonBytes = statSync(path).size;
  const binBytes = statSync(`${path}.bin`).size;
  const sk = JSON.parse(
    execFileSync(PYTHON, [resolve(__dirname, "persist_sklearn.py"), dir, String(n), String(d), String(repeats)], { encoding: "utf8" }),
  ) as { save: number; load: number; loadScore: number; bytes: number; identical: boolean; nodes: number };

  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const row = (what: string, ours: string, theirs: string, ratio: number) =>
    console.log(`${what.padEnd(26)} ${ours.padStart(14)} ${theirs.padStart(14)} ${ratio.toFixed(2).padStart(8)}`);
  console.log(`IsolationForest, ${n.toLocaleString("en")} rows × ${d} features, 100 trees of 256 rows; best of ${repeats}`);
  console.log(`siemlab: ${model.nodeCount.toLocaleString("en")} nodes; scikit-learn: ${sk.nodes.toLocaleString("en")} nodes`);
  console.log(`${"".padEnd(26)} ${"siemlab".padStart(14)} ${"scikit-learn".padStart(14)} ${"ratio".padStart(8)}`);
  row("file size (JSON + .bin)", kb(jsonBytes + binBytes), kb(sk.bytes), (jsonBytes + binBytes) / sk.bytes);
  row("save (save / joblib.dump)", ms(save), ms(sk.save), save / sk.save);
  row("load (load / joblib.load)", ms(load), ms(sk.load), load / sk.load);
  row("load + score 1,000 rows", ms(loadScore), ms(sk.loadScore), loadScore / sk.loadScore);
  console.log(`siemlab files: JSON ${kb(jsonBytes)}, sidecar ${kb(binBytes)}`);
  console.log(`loaded model scores bit-identical: siemlab ${identical}, scikit-learn ${sk.identical}`);
  if (!identical) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
