/**
 * `npm run bench -- baselines [--contamination 0.02] [--seeds 0,1,2,3,4]`: every registered detector and the
 * analyst's correlation rules on the labelled entity scenario (src/simulate/entity-scenario.ts: a quiet
 * user's burst, a busy service account, a slow password spray, a login at 03:00, a brute force, a
 * distributed brute force against one user, stolen credentials used at night, over a background of
 * internet scanners), per (source address, hour), pooled over seeds 0–4. Prints two Markdown tables:
 * precision, recall, F1, mean recall over cases, alerts per day, the service account's (false) alerts per
 * day and the recall of each case; then, for the Isolation Forest, the per-entity baseline and the rules
 * (SCENARIO_RULES), the share of each case's windows that only that one caught.
 */
import { benchmarkEntityScenario, SCENARIO_RULES } from "../src/simulate/scenario-benchmark";
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
const cases = SCENARIO_ATTACKS.join(" | ");
console.log(`Entity scenario, 14 days, (source address, hour) rows, seeds ${seeds.join(",")}, contamination ${contamination}`);
console.log(`correlation-rule = either of ${SCENARIO_RULES.map((r) => JSON.stringify(r)).join(" / ")}\n`);
console.log(`| detector | precision | recall | F1 | case recall | alerts/day | service alerts/day | ${cases} |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|${SCENARIO_ATTACKS.map(() => "---:").join("|")}|`);
for (const r of rows) {
  const byCase = SCENARIO_ATTACKS.map((a) => f(r.recallByCase[a])).join(" | ");
  console.log(
    `| ${r.detector} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.caseRecall)} | ${r.alertsPerDay.toFixed(1)} | ${r.serviceAlertsPerDay.toFixed(1)} | ${byCase} |`,
  );
}
console.log(`\nCaught only by (share of each case's windows that one detector flags and the other two do not):\n`);
console.log(`| detector | ${cases} |`);
console.log(`|---|${SCENARIO_ATTACKS.map(() => "---:").join("|")}|`);
for (const r of rows) {
  if (r.caughtAloneByCase) console.log(`| ${r.detector} | ${SCENARIO_ATTACKS.map((a) => f(r.caughtAloneByCase![a])).join(" | ")} |`);
}
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
