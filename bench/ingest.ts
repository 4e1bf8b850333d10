/**
 * Ingestion benchmark: siemlab vs DuckDB, pandas, nodejs-polars and a C floor, in the same run, as ratios.
 *
 *   npm run bench -- ingest [--lines 1000000,10000000] [--rows 1000000] [--csv-rows 1000000] [--repeat 1] [--threads N] [--pandas-max 2000000] [--no-gzip] [--keep]
 *   (or directly: npx tsx bench/ingest.ts)
 *
 * 1. Parse + featurize, for each size in --lines: N seeded auth.log lines (written to a temp dir, never the
 *    repo) → failed logins per source IP per minute, every tool in a fresh process of its own (a cold run,
 *    as a CLI call is), measured by /usr/bin/time (wall, user + system CPU of all threads, peak RSS):
 *    - siemlab: `node bin/siemlab.js features FILE --format rfc3164 --by ip --event failed_password
 *      --window 1m --sparse --year 2025 --threads T`, T = 1 and the machine's cores;
 *    - DuckDB (@duckdb/node-api): read_csv as one VARCHAR column + regexp_extract + GROUP BY, 1 and 2
 *      threads, extensions neither installed nor loaded (bench/ingest_duckdb.js);
 *    - pandas: str.extract + to_datetime + groupby (bench/ingest_pandas.py), up to --pandas-max lines
 *      (it is ~40× slower and needs ~9 GB at 10M lines);
 *    - a C floor (bench/ingest_floor.c, compiled here with `cc -O2` into the temp dir): mmap, threads over
 *      byte ranges, one hash table each;
 *    - nodejs-polars when it is installed (it needs Node ≥ 22: on Node 20 the bench says so);
 *    - the same log gzipped (level 1; skip with --no-gzip): siemlab on 1 and N threads, DuckDB on 2 (its
 *      read_csv inflates .gz files itself).
 *    Every tool writes "ip,minute,count" (ISO minutes); the sorted rows must be identical (same digest)
 *    before any time is printed. Rounds alternate the tools; medians over --repeat rounds.
 * 2. The entity × minute count kernel on M rows (200 users over 3 days, ~280k groups; --rows 0 skips it): countByEntityWindow
 *    vs `df.groupby(['user', 'minute']).size()`.
 * 3. A SIEM export as CSV (--csv-rows records, seeded; 0 skips it): `_time,host,user,src_ip,action,outcome,message`,
 *    a fifth of the messages quoted with commas, one in fifty spanning three lines → failed logins per src_ip
 *    per minute: siemlab (`features FILE --format csv --by ip --event login_failed …`, 1 and N threads), DuckDB
 *    (read_csv with its own header and type detection + GROUP BY, 1 and 2 threads) and pandas (read_csv +
 *    to_datetime + groupby), outputs checked identical as in 1.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
import { countByEntityWindow } from "../src/features/entity-window-count";
import { RandomState } from "../src/random";
import { syslogStamp } from "../src/simulate/syslog-stamp";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
function listArg(name: string, dflt: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1].split(",").map(Number) : dflt;
}
const SIZES = listArg("lines", [1_000_000, 10_000_000]);
const CSV_ROWS = arg("csv-rows", 1_000_000);
const N_ROWS = arg("rows", 1_000_000);
const REPEAT = Math.max(1, arg("repeat", 1));
const THREADS = arg("threads", os.availableParallelism());
const PANDAS_MAX = arg("pandas-max", 2_000_000);
const keep = process.argv.includes("--keep");
const GZIP = !process.argv.includes("--no-gzip");
const PY = "/usr/bin/python3";
const ROOT = path.resolve(__dirname, "..");


/** Seeded auth.log lines: ~45% failed passwords from 5,000 IPs, the rest the usual sshd / PAM mix. */
export function generateAuthLog(file: string, n: number, seed: number): void {
  const rng = new RandomState(seed);
  const fd = fs.openSync(file, "w");
  const ips = Array.from({ length: 5000 }, (_, i) => `${(i * 7) % 223 + 1}.${(i * 13) % 256}.${(i * 17) % 256}.${i % 250 + 1}`);
  const users = ["root", "admin", "test", "oracle", "alice", "bob", "carol", "ubuntu", "pi", "guest"];
  const start = Date.UTC(2025, 2, 6);
  const step = (86400000 * 2) / n; // two days
  const BLOCK = 1_000_000; // random draws per block (bounded memory at 10M lines; same stream as one draw of n)
  let buf = "";
  for (let b = 0; b < n; b += BLOCK) {
    const m = Math.min(BLOCK, n - b);
    const rs = rng.randomSample(m);
    const ri = rng.randint(0, 5000, m);
    const ru = rng.randint(0, users.length, m);
    const rp = rng.randint(1024, 65536, m);
    for (let j = 0; j < m; j++) {
      const i = b + j;
      const t = start + Math.floor(i * step);
      const ip = ips[(ri[j] * ri[j]) % 5000]; // skewed: some IPs are much busier
      const user = users[ru[j]];
      const pid = 1000 + (i % 30000);
      const r = rs[j];
      let msg: string;
      if (r < 0.45) msg = `Failed password for ${user} from ${ip} port ${rp[j]} ssh2`;
      else if (r < 0.55) msg = `Failed password for invalid user ${user} from ${ip} port ${rp[j]} ssh2`;
      else if (r < 0.65) msg = `Invalid user ${user} from ${ip}`;
      else if (r < 0.75) msg = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`;
      else if (r < 0.85) msg = `Received disconnect from ${ip}: 11: Bye Bye [preauth]`;
      else if (r < 0.9) msg = `Accepted password for ${user} from ${ip} port ${rp[j]} ssh2`;
      else if (r < 0.95) msg = `pam_unix(sshd:session): session opened for user ${user} by (uid=0)`;
      else msg = `Connection closed by ${ip} [preauth]`;
      buf += `${syslogStamp(t)} LabSZ sshd[${pid}]: ${msg}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = "";
      }
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/** Seeded SIEM-export CSV records (see section 3 above): ~60 % failed logins from 20,000 addresses over two days. */
export function generateSiemCsv(file: string, n: number, seed: number): void {
  const rng = new RandomState(seed);
  const fd = fs.openSync(file, "w");
  let buf = "_time,host,user,src_ip,action,outcome,message\n";
  const start = Date.UTC(2025, 2, 6);
  const step = (86400000 * 2) / n;
  const BLOCK = 1_000_000;
  for (let b = 0; b < n; b += BLOCK) {
    const m = Math.min(BLOCK, n - b);
    const rs = rng.randomSample(m);
    const ri = rng.randint(0, 20_000, m);
    const ru = rng.randint(0, 97, m);
    for (let j = 0; j < m; j++) {
      const i = b + j;
      const r = rs[j];
      const ip = `${(ri[j] * 7) % 223 + 1}.${(ri[j] >> 8) % 256}.${ri[j] % 256}.${(ri[j] * 13) % 250 + 1}`;
      const failed = r < 0.6;
      const msg = r < 0.02 ? `"Login failed for u${ru[j]}, reason:\nbad password\n(attempt ${i})"` : r < 0.2 ? `"Login ${failed ? "failed" : "ok"}, user u${ru[j]} from ${ip}"` : `session event ${i}`;
      buf += `${new Date(start + Math.floor(i * step)).toISOString()},web${i % 5},u${ru[j]},${ip},${failed ? "login_failed" : "login_success"},${failed ? "failure" : "success"},${msg}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = "";
      }
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/** One measured run of a tool: wall, CPU (user + system, all threads), peak RSS, its stdout, the digest of its CSV. */
interface Measured {
  wall: number;
  cpu: number;
  rssMb: number;
  stdout: string;
  rows: number;
  total: number;
  digest: string;
}

/** Run a command under /usr/bin/time with stdout to `stdoutFile` (or captured), then digest the CSV it wrote. */
function measure(cmd: string, args: string[], csv: string, stdoutToCsv: boolean): Measured {
  const timeFile = csv + ".time";
  const outFd = stdoutToCsv ? fs.openSync(csv, "w") : "pipe";
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timeFile, cmd, ...args], {
    stdio: ["ignore", outFd, "pipe"], encoding: "utf8", maxBuffer: 1 << 26, cwd: ROOT,
  });
  if (typeof outFd === "number") fs.closeSync(outFd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const [wall, user, sys, rssKb] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  // The rows of the CSV, sorted, without the header: the same table whatever the tool.
  const lines = fs.readFileSync(csv, "utf8").split("\n").slice(1).filter((l) => l !== "");
  let total = 0;
  for (const l of lines) total += Number(l.slice(l.lastIndexOf(",") + 1));
  lines.sort();
  const digest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  fs.rmSync(csv, { force: true });
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: typeof r.stdout === "string" ? r.stdout : "", rows: lines.length, total, digest };
}

function python(args: string[]): Record<string, number> {
  const r = spawnSync(PY, [path.join(__dirname, "ingest_pandas.py"), ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pandas run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-bench-ingest-"));
  try {
    const floor = path.join(dir, "ingest_floor");
    const cc = spawnSync("cc", ["-O2", "-pthread", "-o", floor, path.join(__dirname, "ingest_floor.c")], { encoding: "utf8" });
    if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
    let polars: string;
    try {
      require.resolve("nodejs-polars");
      polars = "installed, but this bench has no polars side yet";
    } catch {
      polars = `not available: needs Node ≥ 22 (this is Node ${process.versions.node}; its binary does not install on Node 20)`;
    }
    for (const n of SIZES) {
      if (!(n > 0)) continue; // --lines 0: only sections 2 and 3
      const log = path.join(dir, `auth-${n}.log`);
      let t = performance.now();
      generateAuthLog(log, n, 42);
      const mb = fs.statSync(log).size / 1e6;
      console.log(`\ngenerated ${n.toLocaleString("en")} auth.log lines (${mb.toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s → ${log}`);
      const csv = path.join(dir, "out.csv");
      const siemlab = (threads: number, file = log) => () => measure(process.execPath, ["bin/siemlab.js", "features", file, "--format", "rfc3164", "--by", "ip", "--event", "failed_password", "--window", "1m", "--sparse", "--year", "2025", "--threads", String(threads)], csv, true);
      // The same log gzipped (level 1, as logrotate's `compresscmd` options often are): inflating is part of the job.
      const gz = `${log}.gz`;
      if (GZIP) {
        t = performance.now();
        await pipeline(fs.createReadStream(log), zlib.createGzip({ level: 1 }), fs.createWriteStream(gz));
        console.log(`gzipped it (level 1) to ${(fs.statSync(gz).size / 1e6).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      const tools: [string, () => Measured][] = [
        [`siemlab, ${THREADS} threads`, siemlab(THREADS)],
        ["siemlab, 1 thread", siemlab(1)],
        ["DuckDB, 2 threads", () => measure(process.execPath, [path.join(__dirname, "ingest_duckdb.js"), log, "2", "2025", csv], csv, false)],
        ["DuckDB, 1 thread", () => measure(process.execPath, [path.join(__dirname, "ingest_duckdb.js"), log, "1", "2025", csv], csv, false)],
        [`C floor (cc -O2), ${THREADS} threads`, () => measure(floor, [log, String(THREADS), "2025", csv], csv, false)],
        ["C floor (cc -O2), 1 thread", () => measure(floor, [log, "1", "2025", csv], csv, false)],
      ];
      if (n <= PANDAS_MAX) tools.push(["pandas", () => measure(PY, [path.join(__dirname, "ingest_pandas.py"), "parse", log, "2025", csv], csv, false)]);
      if (GZIP) {
        tools.push(
          [`siemlab on .gz, ${THREADS} threads`, siemlab(THREADS, gz)],
          ["siemlab on .gz, 1 thread", siemlab(1, gz)],
          ["DuckDB on .gz, 2 threads", () => measure(process.execPath, [path.join(__dirname, "ingest_duckdb.js"), gz, "2", "2025", csv], csv, false)],
        );
      }
      const runs = new Map<string, Measured[]>(tools.map(([name]) => [name, []]));
      const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(" ");
      for (let round = 0; round < REPEAT; round++) for (const [name, f] of tools) runs.get(name)!.push(f());
      const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(" ");
      const ref = runs.get(`siemlab, 1 thread`)![0];
      for (const [name, rs] of runs) {
        for (const r of rs) {
          if (r.digest !== ref.digest || r.rows !== ref.rows || r.total !== ref.total) {
            throw new Error(`outputs differ: ${name} ${r.rows} rows / ${r.total} failures / ${r.digest}, siemlab ${ref.rows} / ${ref.total} / ${ref.digest}`);
          }
        }
      }
      const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[(xs.length - 1) >> 1];
      const ours = med(runs.get(`siemlab, ${THREADS} threads`)!.map((r) => r.wall));
      const duck2 = med(runs.get("DuckDB, 2 threads")!.map((r) => r.wall));
      console.log(`Parse + featurize (failed logins per source IP per minute), ${n.toLocaleString("en")} lines (${mb.toFixed(0)} MB): ${ref.rows.toLocaleString("en")} rows, ${ref.total.toLocaleString("en")} failures, every output identical (sorted rows sha256 ${ref.digest})`);
      console.log(`  (median of ${REPEAT} round(s), tools alternating, each a fresh process timed by /usr/bin/time; ${os.availableParallelism()} cores; load average ${loadBefore} → ${loadAfter})`);
      console.log(`  ${"tool".padEnd(34)} ${"wall s".padStart(7)} ${"CPU s".padStart(7)} ${"peak MB".padStart(8)} ${"wall ÷ siemlab".padStart(15)}`);
      for (const [name, rs] of runs) {
        const w = med(rs.map((r) => r.wall));
        console.log(`  ${name.padEnd(34)} ${w.toFixed(2).padStart(7)} ${med(rs.map((r) => r.cpu)).toFixed(2).padStart(7)} ${med(rs.map((r) => r.rssMb)).toFixed(0).padStart(8)} ${(w / ours).toFixed(2).padStart(14)}×`);
      }
      if (n > PANDAS_MAX) console.log(`  ${"pandas".padEnd(34)} skipped above --pandas-max ${PANDAS_MAX.toLocaleString("en")} lines (≈40× slower than siemlab, ~9 GB at 10M lines)`);
      console.log(`  ${"nodejs-polars".padEnd(34)} ${polars}`);
      console.log(`  siemlab ${THREADS} threads vs DuckDB 2 threads: ${(duck2 / ours).toFixed(2)}× DuckDB's speed (goal ≥ 1)`);
      fs.rmSync(log, { force: true });
      fs.rmSync(gz, { force: true });
    }

    // --- 3. a SIEM export as CSV (before 2, which keeps its rows in memory) -------------------------
    if (CSV_ROWS > 0) {
      const file = path.join(dir, "export.csv");
      generateSiemCsv(file, CSV_ROWS, 42);
      const mb = fs.statSync(file).size / 1e6;
      const out = path.join(dir, "out.csv");
      const siemlab = (threads: number) => () => measure(process.execPath, ["bin/siemlab.js", "features", file, "--format", "csv", "--by", "ip", "--event", "login_failed", "--window", "1m", "--sparse", "--threads", String(threads)], out, true);
      const duck = (threads: number) => () => measure(process.execPath, [path.join(__dirname, "ingest_duckdb.js"), "--csv", file, String(threads), out], out, false);
      const tools: [string, () => Measured][] = [
        [`siemlab, ${THREADS} threads`, siemlab(THREADS)],
        ["siemlab, 1 thread", siemlab(1)],
        ["DuckDB, 2 threads", duck(2)],
        ["DuckDB, 1 thread", duck(1)],
        ["pandas", () => measure(PY, [path.join(__dirname, "ingest_pandas.py"), "csv", file, out], out, false)],
      ];
      const runs = new Map<string, Measured[]>(tools.map(([name]) => [name, []]));
      const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(" ");
      for (let round = 0; round < REPEAT; round++) for (const [name, f] of tools) runs.get(name)!.push(f());
      const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(" ");
      const ref = runs.get("siemlab, 1 thread")![0];
      for (const [name, rs] of runs) {
        for (const r of rs) {
          if (r.digest !== ref.digest || r.rows !== ref.rows || r.total !== ref.total) {
            throw new Error(`CSV outputs differ: ${name} ${r.rows} rows / ${r.total} failures / ${r.digest}, siemlab ${ref.rows} / ${ref.total} / ${ref.digest}`);
          }
        }
      }
      const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[(xs.length - 1) >> 1];
      const ours = med(runs.get(`siemlab, ${THREADS} threads`)!.map((r) => r.wall));
      console.log(`\nSIEM export as CSV, ${CSV_ROWS.toLocaleString("en")} records (${mb.toFixed(0)} MB) → failed logins per src_ip per minute: ${ref.rows.toLocaleString("en")} rows, ${ref.total.toLocaleString("en")} failures, every output identical (sorted rows sha256 ${ref.digest})`);
      console.log(`  (median of ${REPEAT} round(s), tools alternating; load average ${loadBefore} → ${loadAfter})`);
      console.log(`  ${"tool".padEnd(34)} ${"wall s".padStart(7)} ${"CPU s".padStart(7)} ${"peak MB".padStart(8)} ${"wall ÷ siemlab".padStart(15)}`);
      for (const [name, rs] of runs) {
        const w = med(rs.map((r) => r.wall));
        console.log(`  ${name.padEnd(34)} ${w.toFixed(2).padStart(7)} ${med(rs.map((r) => r.cpu)).toFixed(2).padStart(7)} ${med(rs.map((r) => r.rssMb)).toFixed(0).padStart(8)} ${(w / ours).toFixed(2).padStart(14)}×`);
      }
      fs.rmSync(file, { force: true });
    }

    // --- 2. entity × minute count kernel (--rows 0 skips it) ----------------------------------------
    if (N_ROWS > 0) {
      const rng = new RandomState(7);
      const userIdx = rng.randint(0, 200, N_ROWS);
      const secs = rng.randint(0, 3 * 86400, N_ROWS);
      const users = Array.from(userIdx, (u) => `user${u}`);
      const times = Float64Array.from(secs, (s) => Date.UTC(2025, 2, 6) + s * 1000);
      const csv = path.join(dir, "rows.csv");
      let text = "user,t\n";
      for (let i = 0; i < N_ROWS; i++) text += `${users[i]},${times[i]}\n`;
      fs.writeFileSync(csv, text);
      const runs: number[] = [];
      let groups = 0;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        const r = countByEntityWindow(users, times, { window: "1m" });
        runs.push((performance.now() - t) / 1000);
        groups = r.counts.length;
      }
      const kernel = Math.min(...runs);
      const pk = python(["count", csv]);
      if (pk.groups !== groups) throw new Error(`kernel results differ: ours ${groups} groups, pandas ${pk.groups}`);
      console.log(`\nEntity × minute count, ${N_ROWS.toLocaleString("en")} rows, ${groups.toLocaleString("en")} groups (both agree; best of 3 each)`);
      console.log(`  siemlab countByEntityWindow          ${kernel.toFixed(3)} s`);
      console.log(`  pandas groupby(['user','minute']).size()  ${pk.seconds.toFixed(3)} s`);
      console.log(`  ratio                                siemlab is ${(pk.seconds / kernel).toFixed(2)}× the speed of pandas (target ≥ 1×)`);
    }
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as the entry script (bench/engines.ts imports generateAuthLog).
if (require.main === module) {
  // Workers of `siemlab features --threads` load dist/: build it first when src/ changed.
  (require(path.join(ROOT, "scripts", "build.js")) as { ensureBuild(o: { who: string }): unknown }).ensureBuild({ who: "bench" });
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
