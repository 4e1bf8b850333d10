// Fixes from a new-user trial of `siemlab watch` / `siemlab fit`: each case spawns the real CLI
// (node bin/siemlab.js) on real files and checks its exit code and messages.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SOURCE = "data/sim/auth.log";
const T = 120_000;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-watchfix-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run `node bin/siemlab.js ...args` to its exit. */
function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["bin/siemlab.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c) => (out += String(c)));
    p.stderr.on("data", (c) => (err += String(c)));
    p.on("error", reject);
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

const FIT = ["fit", SOURCE, "--event", "failed_password", "--year", "2025"];
const ONCE = ["--once", "--year", "2025", "--status", "0"];

describe("watch/fit fixes", () => {
  it("fit --detector lof saves a model watch can score new windows with; siemlab warnings are 'siemlab: warning:' lines", async () => {
    const model = path.join(dir, "lof.json");
    const f = await run([...FIT, "--detector", "lof", "--out", model]);
    expect(f.code).toBe(0);
    expect(f.err).not.toMatch(/\(node:\d+\)|SiemlabWarning|trace-warnings/);
    expect(f.err).toMatch(/^siemlab: warning: LocalOutlierFactor: \d+ of \d+ training rows repeat/m);
    const w = await run(["watch", SOURCE, "--model", model, ...ONCE]);
    expect(w.err).not.toMatch(/novelty: false/);
    expect(w.code).toBe(0);
    expect(w.err).toMatch(/windows closed \d+, findings [1-9]/);
    expect(w.out).toMatch(/ by lof /);
  }, T);

  it("watch --model refuses at start a LOF model fitted without novelty", async () => {
    const model = path.join(dir, "lof-outlier.json");
    const { LocalOutlierFactor } = await import("../../src/detectors/lof");
    new LocalOutlierFactor({ nNeighbors: 2 }).fit([[1], [2], [3], [4], [30]]).save(model, { featureNames: ["count"] });
    const w = await run(["watch", SOURCE, "--model", model, ...ONCE]);
    expect(w.code).toBe(1);
    expect(w.err).toContain(`${model}: this lof model scores only the rows it was fitted on`);
    expect(w.err).not.toMatch(/format rfc3164/); // refused before reading the log
  }, T);

  it("--idle: the status line's watermark moves on with the clock while the log is quiet, and a notice says when windows close", async () => {
    const file = path.join(dir, "quiet.log");
    const lines = fs.readFileSync(SOURCE, "utf8").split("\n").slice(0, 30);
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const p = spawn(process.execPath, ["bin/siemlab.js", "watch", file, "--threshold", "1000", "--year", "2025", "--idle", "1s", "--status", "100ms", "--poll", "50ms", "--lateness", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    p.stderr.on("data", (c) => (err += String(c)));
    const exit = new Promise<number | null>((r) => p.on("exit", (code) => r(code)));
    const watermarks = () => [...err.matchAll(/watermark (\S+)\n/g)].map((m) => Date.parse(m[1])).filter((t) => Number.isFinite(t));
    const end = Date.now() + 90_000;
    // The first status lines show the last event time (lateness 0); later ones, after 1 s of quiet, must be later.
    while (!(watermarks().length > 0 && Math.max(...watermarks()) > Math.min(...watermarks()) + 500 && /event time now moves on with the clock/.test(err))) {
      if (Date.now() > end) throw new Error(`no moving watermark; stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    p.kill("SIGINT");
    expect(await exit).toBe(0);
    expect(err).toMatch(/no new line for \d+ s: event time now moves on with the clock from the last event \(2025-[^)]+\); a window closes when its end \+ lateness \(0ms\) is passed, the last open one at about 20\d\d-/);
  }, T);

  it("refuses a --state file written for another log path, naming both and the fix", async () => {
    const a = path.join(dir, "a.log");
    const b = path.join(dir, "b.log");
    fs.copyFileSync(SOURCE, a);
    fs.copyFileSync(SOURCE, b);
    const state = path.join(dir, "state.json");
    expect((await run(["watch", a, "--threshold", "10", "--state", state, ...ONCE])).code).toBe(0);
    const r = await run(["watch", b, "--threshold", "10", "--state", state, ...ONCE]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`The state file ${state} was written for ${a}, not for ${b}: pass another --state file for ${b}, or delete ${state} to start over`);
    expect(r.err).not.toMatch(/late \d/);
    // The same path (as after a rotation) still resumes.
    expect((await run(["watch", a, "--threshold", "10", "--state", state, ...ONCE])).code).toBe(0);
  }, T);

  it("refuses a gzip file with a hint instead of reading compressed bytes as text", async () => {
    const gz = path.join(dir, "auth.log.gz");
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(SOURCE)));
    const r = await run(["watch", gz, "--threshold", "10", ...ONCE]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${gz} is gzip-compressed; watch follows plain-text logs: use 'zcat ${gz} | siemlab watch -'`);
    expect(r.err).toContain(`'siemlab features ${gz}'`);
    expect(r.err).not.toMatch(/auto-detected|confidence/);
  }, T);

  it("with --once a missing file is an error (exit 1, File not found)", async () => {
    const missing = path.join(dir, "nothere.log");
    const r = await run(["watch", missing, "--threshold", "10", ...ONCE]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`File not found: ${missing}`);
    expect(r.err).not.toMatch(/stopped:/);
  }, T);

  it("a bad --policy file exits 1 without the usage hint, its text escaped on one line", async () => {
    const bad = path.join(dir, "policy.json");
    fs.writeFileSync(bad, '{\n  "tiers": [\n    {"name": "x\u001b[31m",\n');
    const r = await run(["watch", SOURCE, "--threshold", "10", "--policy", bad, ...ONCE]);
    expect(r.code).toBe(1);
    expect(r.err).not.toContain("Run 'siemlab --help'");
    expect(r.err).not.toContain("\u001b");
    const errLines = r.err.split("\n").filter((l) => l !== "" && !l.startsWith("siemlab watch: "));
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^siemlab: --policy: Policy file .*policy\.json is not valid JSON/);
    const missing = await run(["watch", SOURCE, "--threshold", "10", "--policy", path.join(dir, "none.json"), ...ONCE]);
    expect(missing.code).toBe(1);
    expect(missing.err).not.toContain("Run 'siemlab --help'");
  }, T);

  it("a policy with dryRun: false gets a note that the CLI only previews (new-user trial T22), and actions stay dry_run", async () => {
    const live = path.join(dir, "live.json");
    fs.writeFileSync(live, JSON.stringify({ ...JSON.parse(fs.readFileSync("data/policy/strict.json", "utf8")), dryRun: false }));
    const r = await run(["watch", SOURCE, "--threshold", "5", "--event", "failed_password", "--policy", live, "--json", ...ONCE]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("siemlab: note: the policy says dryRun: false, but 'siemlab watch' has no executors: actions are previewed (dry_run) only");
    const statuses = r.out.trim().split("\n").filter((l) => l !== "").flatMap((l) => (JSON.parse(l).actions ?? []).map((a: { status: string }) => a.status));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s: string) => s !== "executed")).toBe(true);
    const plain = await run(["watch", SOURCE, "--threshold", "5", "--event", "failed_password", ...ONCE]);
    expect(plain.err).not.toContain("dryRun: false");
  }, T);

  it("after a --state restart the summary's action counts are cumulative like its findings", async () => {
    const file = path.join(dir, "auth.log");
    const all = fs.readFileSync(SOURCE, "utf8").split("\n").filter((l) => l !== "");
    const half = Math.floor(all.length / 2);
    fs.writeFileSync(file, all.slice(0, half).join("\n") + "\n");
    const state = path.join(dir, "state.json");
    const args = ["watch", file, "--threshold", "5", "--event", "failed_password", "--state", state, ...ONCE];
    const a = await run(args);
    fs.appendFileSync(file, all.slice(half).join("\n") + "\n");
    const b = await run(args);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Every finding line lists its actions' statuses: count them over both runs.
    const statuses: Record<string, number> = {};
    for (const l of (a.out + b.out).split("\n")) {
      const acts = /-> tier [^:]+: (.*)$/.exec(l);
      if (acts) for (const act of acts[1].split(", ")) statuses[act.split(" ").pop() as string] = (statuses[act.split(" ").pop() as string] ?? 0) + 1;
    }
    const summary = /findings (\d+) \(actions: ([^)]*)\)/.exec(b.err);
    expect(summary).not.toBeNull();
    const findings = (a.out + b.out).split("\n").filter((l) => l !== "").length;
    expect(Number(summary?.[1])).toBe(findings);
    const counted = Object.fromEntries((summary?.[2] ?? "").split(", ").map((kv) => [kv.split(" ")[0], Number(kv.split(" ")[1])]));
    expect(counted).toEqual(statuses);
    expect(a.out.length).toBeGreaterThan(0);
  }, T);

  it("model and state messages speak CLI: a Drain file, other features, an unknown by in the metadata, window durations", async () => {
    const { Drain } = await import("../../src/ingest/drain");
    const { saveDetector } = await import("../../src/detectors/model-file");
    const { RobustZScore } = await import("../../src/detectors/robust-zscore");
    const drain = path.join(dir, "drain.json");
    const d = new Drain();
    d.add("user bob logged in");
    d.save(drain);
    const r1 = await run(["watch", SOURCE, "--model", drain, ...ONCE]);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain(`${drain} is a Drain template file (log templates), not a detector model`);
    expect(r1.err).not.toContain("Drain.load");
    const two = path.join(dir, "two.json");
    new RobustZScore().fit([[1, 2], [2, 1], [3, 3]]).save(two, { featureNames: ["failures", "users"] });
    const r2 = await run(["watch", SOURCE, "--model", two, ...ONCE]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`${two}: the robust-zscore model was fitted on features [failures, users], but watch computes one feature per window: [count]`);
    const byu = path.join(dir, "byu.json");
    saveDetector(new RobustZScore().fit([[1], [2], [3], [9]]), byu, { featureNames: ["count"], metadata: { by: "username", window: "1m" } });
    const r3 = await run(["watch", SOURCE, "--model", byu, ...ONCE]);
    expect(r3.code).toBe(1);
    expect(r3.err).toContain(`${byu}: the model file's metadata has by 'username', which watch does not know`);
    expect(r3.err).not.toContain("--by expects");
    const state = path.join(dir, "state.json");
    expect((await run(["watch", SOURCE, "--threshold", "10", "--state", state, ...ONCE])).code).toBe(0);
    const r4 = await run(["watch", SOURCE, "--threshold", "10", "--state", state, "--window", "5m", ...ONCE]);
    expect(r4.code).toBe(1);
    expect(r4.err).toContain("window 1m (now 5m)");
  }, T);

  it("--max-open is said once and counted in the summary; --pol lists --policy and --poll; fit --out creates its folder", async () => {
    const r = await run(["watch", SOURCE, "--threshold", "3", "--max-open", "2", ...ONCE]);
    expect(r.code).toBe(0);
    expect(r.err.match(/more than 2 open \(entity, window\) cells/g)).toHaveLength(1);
    expect(r.err).toMatch(/windows closed \d+ \([1-9]\d* early, beyond --max-open\)/);
    const u = await run(["watch", SOURCE, "--pol", "x"]);
    expect(u.code).toBe(2);
    expect(u.err).toContain("Unknown option '--pol' (did you mean '--policy' or '--poll'?)");
    const out = path.join(dir, "new", "folder", "model.json");
    const f = await run([...FIT, "--out", out]);
    expect(f.code).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
  }, T);
});
