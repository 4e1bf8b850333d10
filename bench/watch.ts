/**
 * `siemlab watch` throughput and memory against the batch path, in one run:
 *
 *   npm run bench -- watch [--days 300]
 *
 * Writes `--days` days of the seeded attack simulator's auth.log (every 7th day with a brute force and a password
 * spraying; ~580 lines a day) to a temp file, then (1) follows it with `watchLog` to its end (`once`, the count
 * rule ≥ 10 on failed passwords per IP and minute, dry-run responses) and (2) runs the batch path on the same file
 * (`parseLogStream` + `WindowAccumulator`, sparse: what `siemlab features --sparse` does). Prints lines per second
 * of both, the ratio (watch / batch), whether both give the same windows, and the watch's heap after a GC,
 * sampled while it reads (bounded memory: it should not grow with the file).
 */
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { WindowAccumulator } from "../src/features/window-counts";
import { parseLogStream } from "../src/ingest/parse-log";
import { simulateAttacks } from "../src/simulate/attacks";
import { watchLog } from "../src/watch/watcher";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const { values } = parseArgs({ options: { days: { type: "string", default: "300" } } });
const days = Number(values.days);
const dir = fs.mkdtempSync(join(tmpdir(), "siemlab-bench-watch-"));
const file = join(dir, "auth.log");

async function main(): Promise<void> {
  const fd = fs.openSync(file, "w");
  let lines = 0;
  for (let d = 0; d < days; d++) {
    const start = Date.UTC(2025, 0, 1, 6) + d * 86_400_000;
    const s = simulateAttacks({ seed: d, start, attacks: d % 7 === 3 ? ["brute_force", "password_spraying"] : [] });
    fs.writeSync(fd, s.auth.lines.join("\n") + "\n");
    lines += s.auth.lines.length;
  }
  fs.closeSync(fd);
  const heap: number[] = [];
  const watched: string[] = [];
  let t0 = performance.now();
  const w = watchLog(file, {
    event: "failed_password", threshold: 10, year: 2025, once: true, statusEveryMs: 200,
    onWindows: (ws) => { for (const x of ws) watched.push(`${x.entity}|${x.windowStart}|${x.count}`); },
    onStatus: () => { gc(); heap.push(process.memoryUsage().heapUsed / 1e6); },
  });
  const summary = await w.done;
  const watchS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const acc = new WindowAccumulator({ by: "srcIp", window: "1m", filter: "failed_password", zeroFill: false });
  await parseLogStream(file, { onEvent: (e) => acc.add(e) }, { year: 2025 });
  const f = acc.finish();
  const batchS = (performance.now() - t0) / 1000;
  const batch = f.entities.map((e, i) => `${e}|${f.windowStarts[i]}|${f.matrix.data[i]}`).sort();
  const same = JSON.stringify(batch) === JSON.stringify(watched.sort());
  console.log(`${lines} lines (${days} days), ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  console.log(`watch (once, rule >= 10): ${watchS.toFixed(2)} s, ${Math.round(lines / watchS)} lines/s; ${summary.windowsClosed} windows, ${summary.findings} findings, late ${summary.late}`);
  console.log(`batch (features --sparse): ${batchS.toFixed(2)} s, ${Math.round(lines / batchS)} lines/s; ${f.matrix.rows} windows`);
  console.log(`ratio watch/batch time: ${(watchS / batchS).toFixed(2)}; same windows: ${same}`);
  const shown = heap.filter((_, i) => i % Math.max(1, Math.ceil(heap.length / 8)) === 0).map((h) => h.toFixed(1));
  console.log(`watch heap after GC while reading (MB): ${shown.join(", ")} (max ${Math.max(...heap).toFixed(1)})`);
}

main().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
