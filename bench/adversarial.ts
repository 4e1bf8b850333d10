/**
 * Adversarial long lines: parse time of each crafted line of src/ingest/adversarial-lines.ts (one or more per
 * classifier on the parse path), at several lengths, so a super-linear regex shows as a time that grows
 * faster than the length. Tests assert on the results of these lines (test/ingest/adversarial-lines.test.ts);
 * this prints the times.
 *
 *   npm run bench -- adversarial [--lengths 10000,50000,100000] [--old-sudo]
 *
 * `--old-sudo` also times the sudo regex this project used before (cubic backtracking) on the sudo line.
 */
import { adversarialLines } from "../src/ingest/adversarial-lines";
import { parseLogLines } from "../src/ingest/parse-log";

const at = process.argv.indexOf("--lengths");
const lengths = (at >= 0 ? process.argv[at + 1] : "10000,50000,100000").split(",").map(Number);
const OLD_SUDO = /^\s*(\S+) : (?:(.*?) ; )?TTY=(\S*) ; PWD=(.*?) ; USER=(\S+) ; (?:.*?; )?COMMAND=(.*)$/;

function ms(f: () => void): number {
  f(); // warm up
  const t = performance.now();
  let n = 0;
  do {
    f();
    n++;
  } while (performance.now() - t < 50);
  return (performance.now() - t) / n;
}

const rows = new Map<string, number[]>();
for (const len of lengths) {
  for (const l of adversarialLines(len)) {
    const t = ms(() => parseLogLines([l.line], { format: l.format, year: 2024, maxLineLength: 1 << 22 }));
    rows.set(l.classifier, [...(rows.get(l.classifier) ?? []), t]);
  }
}
console.log(`| classifier | ${lengths.map((n) => `${n.toLocaleString("en")} chars, ms`).join(" | ")} |`);
console.log(`|---|${lengths.map(() => "---:").join("|")}|`);
let worst = 0;
for (const [c, ts] of rows) {
  worst = Math.max(worst, ts[ts.length - 1]);
  console.log(`| ${c} | ${ts.map((t) => t.toFixed(2)).join(" | ")} |`);
}
console.log(`\nslowest line at ${lengths[lengths.length - 1].toLocaleString("en")} chars: ${worst.toFixed(2)} ms`);
if (process.argv.includes("--old-sudo")) {
  for (const len of [2000, 5000, 10000]) {
    const sudo = adversarialLines(Math.max(100, len)).find((l) => l.classifier === "sudo")!;
    const msg = sudo.line.slice(sudo.line.indexOf("sudo: ") + 6);
    const t = performance.now();
    OLD_SUDO.exec(msg);
    console.log(`old sudo regex, ${msg.length.toLocaleString("en")} chars: ${(performance.now() - t).toFixed(0)} ms`);
  }
}
