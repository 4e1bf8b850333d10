/**
 * Benchmark dispatcher: `npm run bench -- <name> [args...]` runs bench/<file> in a fresh Node process
 * (so every benchmark starts with a clean heap) with the remaining arguments.
 *
 *   npm run bench                       # lists the benchmarks
 *   npm run bench -- iforest --quick    # IsolationForest vs scikit-learn speed, without the 1M rows
 *
 * To add a benchmark: append one line to `benches` below.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const benches: Record<string, { file: string; what: string }> = {
  iforest: { file: "iforest.ts", what: "IsolationForest fit+score time vs scikit-learn, n × d grid, peak memory (--quick: skip 1M)" },
  parity: { file: "parity.ts", what: "IsolationForest ROC AUC vs scikit-learn on every ADBench file, 5 seeds; ml-iforest timing" },
  rivals: { file: "rivals_parity.ts", what: "LOF and One-Class SVM fit+score time and scores vs scikit-learn at 10k/30k/100k rows (--sizes, --ocsvm-sizes, --sets)" },
  adversarial: { file: "adversarial.ts", what: "parse time of crafted long lines, one or more per classifier (--lengths 10000,50000,100000 --old-sudo)" },
  baselines: { file: "baselines.ts", what: "every detector + the correlation rule on the labelled entity scenario: precision/recall/F1, alerts/day, seeds 0–4" },
  ingest: { file: "ingest.ts", what: "parse+featurize 1M and 10M auth.log lines: siemlab (1 and N threads) vs DuckDB, pandas, a C floor, nodejs-polars; the entity×minute count vs pandas (--lines 1000000,10000000 --repeat R --rows N)" },
  persist: { file: "persist.ts", what: "IsolationForest 100k × 10: saved file size, save and load time vs scikit-learn joblib.dump/load (--rows N --cols N)" },
  watch: { file: "watch.ts", what: "siemlab watch (follow a file to its end, rule per window) vs the batch features path: lines/s, same windows, heap (--days N)" },
  engines: { file: "engines.ts", what: "load + query 1M (--lines 1000000,10000000) auth.log lines in DuckDB and ClickHouse (1 node, 2 shards) vs the in-memory path" },
};

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !(name in benches)) {
  if (name !== undefined) console.error(`Unknown benchmark ${JSON.stringify(name)}.`);
  console.log("Benchmarks (npm run bench -- <name> [args]):");
  for (const [key, b] of Object.entries(benches)) console.log(`  ${key.padEnd(10)} ${b.what}`);
  process.exit(name === undefined ? 0 : 2);
}
const file = resolve(__dirname, benches[name].file);
const result = spawnSync(process.execPath, ["--import", "tsx", file, ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);
