/**
 * `npm run bench -- baselines [--contamination 0.02] [--seeds 0,1,2,3,4]`: every registered detector and the
 * correlation rule on the labelled entity scenario (src/simulate/entity-scenario.ts: a quiet user's burst, a
 * busy service account, a slow password spray, a login at 03:00, a brute force), per (source address, hour),
 * pooled over seeds 0–4. Prints a Markdown table: precision, recall, F1, alerts per day, the service
 * account's (false) alerts per day, and the recall of each case.
 */
import { benchmarkEntityScenario } from "../src/simulate/scenario-benchmark";
import { SCENARIO_ATTACKS } from "../src/simulate/entity-scenario";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const c = arg("contamination");
const contamination = c === undefined ? 0.02 : c === "auto" ? "auto" : Number(c);
const seeds = (arg("seeds") ?? "0,1,2,3,4").split(",").map(Number);

const t0 = performance.now();
const rows = benchmarkEntityScenario({ seeds, contamination });
const f = (x: number) => x.toFixed(2);
console.log(`Entity scenario, 14 days, (source address, hour) rows, seeds ${seeds.join(",")}, contamination ${contamination}\n`);
console.log(`| detector | precision | recall | F1 | alerts/day | service alerts/day | ${SCENARIO_ATTACKS.join(" | ")} |`);
console.log(`|---|---:|---:|---:|---:|---:|${SCENARIO_ATTACKS.map(() => "---:").join("|")}|`);
for (const r of rows) {
  console.log(
    `| ${r.detector} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${r.alertsPerDay.toFixed(1)} | ${r.serviceAlertsPerDay.toFixed(1)} | ${SCENARIO_ATTACKS.map((a) => f(r.recallByCase[a])).join(" | ")} |`,
  );
}
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
