/**
 * Engines benchmark: the same window features (failed logins per source IP per minute) from the in-memory
 * path, DuckDB, and ClickHouse on one node and on a Distributed table over two shards, in one run.
 *
 *   npm run bench -- engines [--lines 1000000,10000000] [--repeat 3] [--no-clickhouse] [--no-duckdb] [--keep]
 *
 * For each size N: N seeded auth.log lines (bench/ingest.ts's generator, in a temp dir). Each phase runs in a
 * fresh Node process of its own (so its peak RSS is its own):
 *   memory  parseLogStream → WindowAccumulator (what `siemlab features FILE` does; sparse rows)
 *   load    loadFiles into the engine (parse once, batched inserts): lines/s
 *   query   store.windowCounts with the same options, median of --repeat runs
 * ClickHouse servers: two started by this run (scripts/clickhouse.js) on 127.0.0.1, PIDs known, so their
 * peak RSS (VmHWM) is reported; stopped at the end. Every engine's result is checked to be identical to the
 * in-memory one (a digest of rows, order and numbers) before any figure is printed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStore } from "../src/engines/open-store";
import { loadFiles } from "../src/engines/load";
import { WindowAccumulator, type WindowFeatures } from "../src/features/window-counts";
import { parseLogStream } from "../src/ingest/parse-log";
import { generateAuthLog } from "./ingest";

/** Two shapes of the same question: a big result (every active IP × minute) and a small one (user × hour). */
const QUERIES = [
  { name: "IP × minute", opts: { by: "srcIp" as const, window: "1m", filter: "failed_password", zeroFill: false } },
  { name: "user × hour", opts: { by: "user" as const, window: "1h", filter: "failed_password", zeroFill: false } },
];
const PARSE = { format: "rfc3164", year: 2025 };

function digest(f: WindowFeatures): string {
  const h = createHash("sha256");
  h.update(f.entities.join("\n"));
  h.update(new Uint8Array(f.windowStarts.buffer));
  h.update(new Uint8Array(f.matrix.data.buffer, f.matrix.data.byteOffset, f.matrix.data.byteLength));
  h.update(JSON.stringify([f.counted, f.skippedNoEntity, f.skippedNoTime, f.start, f.end]));
  return h.digest("hex").slice(0, 16);
}

interface PhaseResult {
  /** Per query: run times (s), result rows and digest. */
  seconds: number[][];
  rows: number[];
  digest: string[];
  peakRssMb: number;
  read?: number;
  stored?: number;
}

const peakRss = () => process.resourceUsage().maxRSS / 1024;

/** One phase, in this (child) process. */
async function phase(kind: string, address: string, log: string, repeat: number): Promise<PhaseResult> {
  if (kind === "memory") {
    // The file path: one parse, both counts (what `siemlab features FILE` does for each).
    const seconds: number[] = [];
    let results: WindowFeatures[] = [];
    for (let r = 0; r < repeat; r++) {
      const t = performance.now();
      const accs = QUERIES.map((q) => new WindowAccumulator(q.opts));
      await parseLogStream(log, { onEvent: (e) => accs.forEach((a) => a.add(e)) }, PARSE);
      results = accs.map((a) => a.finish());
      seconds.push((performance.now() - t) / 1000);
    }
    return { seconds: [seconds], rows: results.map((f) => f.matrix.rows), digest: results.map(digest), peakRssMb: peakRss() };
  }
  if (kind === "load") {
    const store = await openStore(address, { create: true });
    const t = performance.now();
    const [r] = await loadFiles(store, [log], { parse: PARSE });
    const s = (performance.now() - t) / 1000;
    await store.close();
    return { seconds: [[s]], rows: [], digest: [], peakRssMb: peakRss(), read: r.summary?.counts.read, stored: r.stored };
  }
  const store = await openStore(address);
  const out: PhaseResult = { seconds: [], rows: [], digest: [], peakRssMb: 0 };
  for (const q of QUERIES) {
    const seconds: number[] = [];
    let f: WindowFeatures | undefined;
    for (let r = 0; r < repeat; r++) {
      const t = performance.now();
      f = await store.windowCounts(q.opts);
      seconds.push((performance.now() - t) / 1000);
    }
    out.seconds.push(seconds);
    out.rows.push(f!.matrix.rows);
    out.digest.push(digest(f!));
  }
  await store.close();
  return { ...out, peakRssMb: peakRss() };
}

function child(kind: string, address: string, log: string, repeat: number): PhaseResult {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", kind, address, log, String(repeat)], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${kind} ${address} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[(xs.length - 1) >> 1];

/** Peak resident memory (VmHWM) of a process, MB; NaN when unreadable. */
function serverPeakMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? +m[1] / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const sizes = (arg("lines") ?? "1000000").split(",").map(Number);
  const repeat = Math.max(1, Number(arg("repeat") ?? 3));
  const keep = process.argv.includes("--keep");
  const withClickHouse = !process.argv.includes("--no-clickhouse") && fs.existsSync("/usr/sbin/clickhouse-server");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-bench-engines-"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const clickhouse = require("../scripts/clickhouse.js") as {
    start(dir: string, n: number, timeoutMs: number): Promise<{ ports: Array<{ http: number }>; pids: number[]; seconds: number }>;
    stop(dir: string): number[];
  };
  let servers: { ports: Array<{ http: number }>; pids: number[]; seconds: number } | undefined;
  const summary: string[] = [];
  try {
    // Ctrl-C or a kill must not leave the servers running or the temp files behind.
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        if (servers) clickhouse.stop(path.join(dir, "clickhouse"));
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(130);
      });
    }
    if (withClickHouse) {
      servers = await clickhouse.start(path.join(dir, "clickhouse"), 2, 60_000);
      console.log(`ClickHouse: 2 servers (18.16) up in ${servers.seconds.toFixed(1)} s, PIDs ${servers.pids.join(", ")}`);
    }
    console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}; ${os.cpus().length} cores; median of ${repeat} query runs`);
    /** engine → lines → median time per query (the memory path: its one parse + count for both). */
    const grid: Record<string, Record<number, number[]>> = {};
    for (const n of sizes) {
      const log = path.join(dir, `auth-${n}.log`);
      let t = performance.now();
      generateAuthLog(log, n, 42);
      const mb = fs.statSync(log).size / 1e6;
      console.log(`\n${n.toLocaleString("en")} auth.log lines (${mb.toFixed(0)} MB) generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const mem = child("memory", "", log, repeat);
      const memS = median(mem.seconds[0]);
      console.log(
        `  memory (parse + count, the file path)  ${memS.toFixed(2)} s   ${Math.round(n / memS).toLocaleString("en")} lines/s   ` +
          `${QUERIES.map((q, i) => `${q.name}: ${mem.rows[i].toLocaleString("en")} rows`).join(", ")}   peak RSS ${mem.peakRssMb.toFixed(0)} MB`,
      );
      (grid.memory ??= {})[n] = [memS, memS];
      const engines: Array<[string, string]> = process.argv.includes("--no-duckdb") ? [] : [["duckdb", `duckdb:${path.join(dir, `siem-${n}.duckdb`)}`]];
      if (servers) {
        const [a, b] = servers.ports.map((p) => `http://127.0.0.1:${p.http}`);
        engines.push(["clickhouse 1 node", `clickhouse:${a}?database=bench_${n}_1`], ["clickhouse 2 shards", `clickhouse:${a},${b}?database=bench_${n}_2`]);
      }
      for (const [name, address] of engines) {
        const load = child("load", address, log, 1);
        const q = child("query", address, log, repeat);
        QUERIES.forEach((qq, i) => {
          if (q.digest[i] !== mem.digest[i] || q.rows[i] !== mem.rows[i]) throw new Error(`${name}, ${qq.name}: result differs from the in-memory one (${q.rows[i]} rows, digest ${q.digest[i]} vs ${mem.rows[i]}, ${mem.digest[i]})`);
        });
        const qs = q.seconds.map(median);
        (grid[name] ??= {})[n] = qs;
        const server = name.startsWith("clickhouse") && servers ? `; servers' peak RSS ${servers.pids.map((p) => serverPeakMb(p).toFixed(0)).join(" + ")} MB` : "";
        const ls = load.seconds[0][0];
        console.log(`  ${name.padEnd(20)} load ${ls.toFixed(1)} s = ${Math.round(n / ls).toLocaleString("en")} lines/s (${(ls / memS).toFixed(1)}× the file path's parse + count; ${load.stored?.toLocaleString("en")} events; client peak RSS ${load.peakRssMb.toFixed(0)} MB)`);
        console.log(
          `  ${"".padEnd(20)} query ${QUERIES.map((qq, i) => `${qq.name} ${qs[i].toFixed(3)} s = ${(qs[i] / memS).toFixed(2)}×`).join(", ")} the file path ` +
            `(identical results; client peak RSS ${q.peakRssMb.toFixed(0)} MB${server})`,
        );
      }
      if (!keep) fs.rmSync(log, { force: true });
    }
    const both = (x: number[]) => QUERIES.map((q, i) => `${q.name} ${x[i].toFixed(3)} s`).join(", ");
    if (sizes.length > 1) {
      const [a, b] = [sizes[0], sizes[sizes.length - 1]];
      summary.push(`\nQuery time growth with rows (${a.toLocaleString("en")} → ${b.toLocaleString("en")} lines, ×${(b / a).toFixed(0)}):`);
      for (const [name, by] of Object.entries(grid)) {
        summary.push(`  ${name.padEnd(20)} ${QUERIES.map((q, i) => `${q.name} ${by[a][i].toFixed(3)} → ${by[b][i].toFixed(3)} s (×${(by[b][i] / by[a][i]).toFixed(2)})`).join(", ")}`);
      }
    }
    if (grid["clickhouse 1 node"] && grid["clickhouse 2 shards"]) {
      summary.push(`\nClickHouse, 1 shard → 2 shards (both servers on this one ${os.cpus().length}-core machine):`);
      for (const n of sizes) summary.push(`  ${n.toLocaleString("en")} lines: ${both(grid["clickhouse 1 node"][n])} → ${both(grid["clickhouse 2 shards"][n])}`);
    }
    console.log(summary.join("\n"));
  } finally {
    if (servers) clickhouse.stop(path.join(dir, "clickhouse"));
    if (keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf("--child");
(childAt >= 0
  ? phase(process.argv[childAt + 1], process.argv[childAt + 2], process.argv[childAt + 3], Number(process.argv[childAt + 4])).then((r) => console.log(JSON.stringify(r)))
  : main()
).catch((e) => {
  console.error(e);
  process.exit(1);
});
