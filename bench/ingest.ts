/**
 * Ingestion benchmark: siemlab vs pandas, in the same run, printed as ratios.
 *
 *   npm run bench -- ingest [--lines 1000000] [--rows 1000000] [--repeat 3] [--keep]
 *   (or directly: npx tsx bench/ingest.ts)
 *
 * 1. Parse + featurize: N seeded auth.log lines (written to a temp dir, never the repo) → failed logins per
 *    source IP per minute. Ours: streaming parseLogStream (rfc3164, sshd classification) into a
 *    WindowAccumulator (sparse, as pandas' groupby gives) — the CLI's `features` path. pandas: read lines,
 *    `str.extract` (time, IP of "Failed password" lines), `to_datetime`, `groupby([ip, minute]).size()`
 *    (bench/ingest_pandas.py). Each runs once in a fresh process of its own (cold, like a CLI call), so
 *    neither pays for the other's or the generator's heap; peak RSS is that process's.
 * 2. The entity × minute count kernel on M rows (200 users over 3 days, ~280k groups): countByEntityWindow
 *    vs `df.groupby(['user', 'minute']).size()`.
 * Both results are checked to agree (group count and total) before timings are printed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { countByEntityWindow } from "../src/features/entity-window-count";
import { WindowAccumulator } from "../src/features/window-counts";
import { parseLogStream } from "../src/ingest/parse-log";
import { RandomState } from "../src/random";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const N_LINES = arg("lines", 1_000_000);
const N_ROWS = arg("rows", 1_000_000);
const REPEAT = Math.max(1, arg("repeat", 3));
const keep = process.argv.includes("--keep");
const PY = "/usr/bin/python3";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => (n < 10 ? "0" + n : String(n));
function stamp(t: number): string {
  const d = new Date(t);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? " " + day : day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Seeded auth.log lines: ~45% failed passwords from 5,000 IPs, the rest the usual sshd / PAM mix. */
export function generateAuthLog(file: string, n: number, seed: number): void {
  const rng = new RandomState(seed);
  const fd = fs.openSync(file, "w");
  const ips = Array.from({ length: 5000 }, (_, i) => `${(i * 7) % 223 + 1}.${(i * 13) % 256}.${(i * 17) % 256}.${i % 250 + 1}`);
  const users = ["root", "admin", "test", "oracle", "alice", "bob", "carol", "ubuntu", "pi", "guest"];
  const start = Date.UTC(2025, 2, 6);
  const step = (86400000 * 2) / n; // two days
  const rs = rng.randomSample(n);
  const ri = rng.randint(0, 5000, n);
  const ru = rng.randint(0, users.length, n);
  const rp = rng.randint(1024, 65536, n);
  let buf = "";
  for (let i = 0; i < n; i++) {
    const t = start + Math.floor(i * step);
    const ip = ips[(ri[i] * ri[i]) % 5000]; // skewed: some IPs are much busier
    const user = users[ru[i]];
    const pid = 1000 + (i % 30000);
    const r = rs[i];
    let msg: string;
    if (r < 0.45) msg = `Failed password for ${user} from ${ip} port ${rp[i]} ssh2`;
    else if (r < 0.55) msg = `Failed password for invalid user ${user} from ${ip} port ${rp[i]} ssh2`;
    else if (r < 0.65) msg = `Invalid user ${user} from ${ip}`;
    else if (r < 0.75) msg = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`;
    else if (r < 0.85) msg = `Received disconnect from ${ip}: 11: Bye Bye [preauth]`;
    else if (r < 0.9) msg = `Accepted password for ${user} from ${ip} port ${rp[i]} ssh2`;
    else if (r < 0.95) msg = `pam_unix(sshd:session): session opened for user ${user} by (uid=0)`;
    else msg = `Connection closed by ${ip} [preauth]`;
    buf += `${stamp(t)} LabSZ sshd[${pid}]: ${msg}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = "";
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

function python(args: string[]): Record<string, number> {
  const r = spawnSync(PY, [path.join(__dirname, "ingest_pandas.py"), ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pandas run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

/** What the child process reports for the parse + featurize run. */
interface ChildResult {
  seconds: number;
  /** Process CPU time (user + system, all threads) over the same span: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  groups: number;
  total: number;
  read: number;
  parsed: number;
  rejected: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

/**
 * The measured path, exactly what `siemlab features FILE --format rfc3164 --by ip --event failed_password
 * --window 1m --sparse` runs: streaming parseLogStream into a WindowAccumulator.
 */
async function parseAndFeaturize(log: string): Promise<ChildResult> {
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const acc = new WindowAccumulator({ by: "srcIp", window: "1m", filter: "failed_password", zeroFill: false });
  const summary = await parseLogStream(log, { onEvent: (e) => acc.add(e) }, { format: "rfc3164", year: 2025 });
  const features = acc.finish();
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  let total = 0;
  for (const v of features.matrix.data) total += v;
  const c = summary.counts;
  if (c.parsed + c.rejected !== c.read) throw new Error(`line accounting broken: ${c.parsed} + ${c.rejected} != ${c.read}`);
  return {
    seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, groups: features.matrix.rows, total, read: c.read, parsed: c.parsed, rejected: c.rejected,
    peakRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: rssBefore / 1e6,
  };
}

/** Run {@link parseAndFeaturize} in a fresh Node process (same loader flags), as pandas runs in its own. */
function child(log: string): ChildResult {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", log], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`siemlab child run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-bench-ingest-"));
  try {
    const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(" ");
    const log = path.join(dir, "auth.log");
    let t = performance.now();
    generateAuthLog(log, N_LINES, 42);
    const mb = fs.statSync(log).size / 1e6;
    console.log(`generated ${N_LINES.toLocaleString("en")} auth.log lines (${mb.toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s → ${log}`);

    // --- 1. parse + featurize -------------------------------------------------------------------------
    // Each side runs in a fresh process on the same file, once per round (a cold run, as a CLI call would
    // be); rounds alternate the two sides so that load from other processes hits both alike. Medians shown.
    const oursRuns: ChildResult[] = [];
    const pdRuns: Record<string, number>[] = [];
    for (let round = 0; round < REPEAT; round++) {
      oursRuns.push(child(log));
      pdRuns.push(python(["parse", log]));
    }
    const ours = oursRuns.slice().sort((a, b) => a.seconds - b.seconds)[(REPEAT - 1) >> 1];
    const pd = pdRuns.slice().sort((a, b) => a.seconds - b.seconds)[(REPEAT - 1) >> 1];
    for (const [o, p] of oursRuns.map((o, i) => [o, pdRuns[i]] as const)) {
      if (p.groups !== o.groups || p.total !== o.total || p.read !== o.read) {
        throw new Error(`results differ: ours ${o.groups} groups / ${o.total} failures / ${o.read} lines, pandas ${p.groups} / ${p.total} / ${p.read}`);
      }
    }
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
    console.log(`\nParse + featurize (failed logins per source IP per minute), ${N_LINES.toLocaleString("en")} lines, ${ours.groups.toLocaleString("en")} groups, ${ours.total.toLocaleString("en")} failures (both agree)`);
    console.log(`  (median of ${REPEAT} alternating cold runs, each in a fresh process; load average ${loadBefore} → ${os.loadavg().map((x) => x.toFixed(2)).join(" ")})`);
    console.log(`  siemlab (streaming)  ${ours.seconds.toFixed(2)} s  ${Math.round(N_LINES / ours.seconds).toLocaleString("en")} lines/s  read ${ours.read}, parsed ${ours.parsed}, rejected ${ours.rejected}  [runs ${list(oursRuns.map((r) => r.seconds))}]`);
    console.log(`  pandas               ${pd.seconds.toFixed(2)} s  ${Math.round(N_LINES / pd.seconds).toLocaleString("en")} lines/s  (read ${pd.read_s.toFixed(2)}, extract ${pd.extract_s.toFixed(2)}, to_datetime ${pd.datetime_s.toFixed(2)}, groupby ${pd.groupby_s.toFixed(2)})  [runs ${list(pdRuns.map((r) => r.seconds))}]`);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[(xs.length - 1) >> 1];
    const oursCpu = median(oursRuns.map((r) => r.cpuSeconds));
    const pdCpu = median(pdRuns.map((r) => r.cpu_s));
    console.log(`  ratio                siemlab is ${(pd.seconds / ours.seconds).toFixed(2)}× faster than pandas (target ≥ 3×)`);
    console.log(`  CPU time             siemlab ${oursCpu.toFixed(2)} s, pandas ${pdCpu.toFixed(2)} s: ${(pdCpu / oursCpu).toFixed(2)}× (medians) [siemlab ${list(oursRuns.map((r) => r.cpuSeconds))}; pandas ${list(pdRuns.map((r) => r.cpu_s))}]`);
    console.log(`  peak RSS             siemlab process ${ours.peakRssMb.toFixed(0)} MB (${ours.rssBeforeMb.toFixed(0)} MB before parsing; file ${mb.toFixed(0)} MB); pandas ${pd.peak_rss_mb.toFixed(0)} MB`);

    // --- 2. entity × minute count kernel --------------------------------------------------------------
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
      t = performance.now();
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
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf("--child");
// Run only as the entry script (bench/engines.ts imports generateAuthLog).
if (require.main === module) (childAt >= 0 ? parseAndFeaturize(process.argv[childAt + 1]).then((r) => console.log(JSON.stringify(r))) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
