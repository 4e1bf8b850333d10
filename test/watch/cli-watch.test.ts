// `siemlab watch` and `siemlab fit` end to end: the real CLI (node bin/siemlab.js) spawned on a file a writer
// process is appending to, stopped with SIGINT, restarted from its state file; usage errors; models.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli";
import { parseLogLines } from "../../src/ingest/parse-log";
import { windowCounts } from "../../src/features/window-counts";
import { loadDetector, saveDetector } from "../../src/detectors/model-file";
import { RobustZScore } from "../../src/detectors/robust-zscore";

const SOURCE = "data/sim/auth.log";
const ALL = fs.readFileSync(SOURCE, "utf8").split("\n").filter((l, i, a) => i < a.length - 1 || l !== "");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-cli-watch-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(c, _e, cb) {
      text += String(c);
      cb();
    },
  });
  return { stream, text: () => text };
}

async function cli(argv: string[], stdin: NodeJS.ReadableStream = new PassThrough()): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli(argv, { stdin: stdin as never, stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}

interface Spawned {
  p: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function siemlab(args: string[]): Spawned {
  const p = spawn(process.execPath, ["bin/siemlab.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout?.on("data", (c) => (out += String(c)));
  p.stderr?.on("data", (c) => (err += String(c)));
  const exit = new Promise<number | null>((resolve) => p.on("exit", (code) => resolve(code)));
  return { p, out: () => out, err: () => err, exit };
}

function writer(spec: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["test/watch/writer.mjs", JSON.stringify({ source: SOURCE, ...spec })], { stdio: "inherit" });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}

async function waitFor(cond: () => boolean, what: string | (() => string), timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Windows with at least `n` failed passwords, as "ISO ip" keys: what the count rule must report. */
function ruleWindows(n: number): string[] {
  const { events } = parseLogLines(ALL, { year: 2025 });
  const f = windowCounts(events, { filter: "failed_password", zeroFill: false });
  const out: string[] = [];
  for (let i = 0; i < f.matrix.rows; i++) if (f.matrix.data[i] >= n) out.push(`${new Date(f.windowStarts[i]).toISOString()} ${f.entities[i]}`);
  return out.sort();
}

const findingKeys = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [iso, , ip] = l.split(" ");
      return `${iso} ${ip}`;
    });

describe("siemlab watch (spawned)", () => {
  it("waits for the file, prints findings and status, stops on SIGINT with a summary, and resumes from --state", async () => {
    const file = path.join(dir, "auth.log");
    const state = path.join(dir, "watch-state.json");
    const args = ["watch", file, "--threshold", "10", "--event", "failed_password", "--year", "2025", "--poll", "50ms", "--state", state];
    const a = siemlab([...args, "--status", "100ms"]);
    await waitFor(() => a.err().includes(`waiting for ${file} to appear`), () => `the waiting message; stderr: ${a.err()}`, 30_000);
    await writer({ target: file, seed: 11, to: 900 });
    await waitFor(() => /lines 900, /.test(a.err()), "a status line with 900 lines");
    a.p.kill("SIGINT");
    expect(await a.exit).toBe(0);
    expect(a.err()).toMatch(/siemlab watch: stopped \(SIGINT\): format rfc3164; lines 900, /);
    expect(a.err()).toMatch(/state saved to .*watch-state\.json with \d+ open window\(s\), scored after a restart/);
    await writer({ target: file, seed: 12, from: 901 });
    const b = siemlab([...args, "--once"]);
    expect(await b.exit).toBe(0);
    expect(b.err()).toMatch(/resuming from .*: \d+ open window\(s\)/);
    expect(b.err()).toMatch(new RegExp(`stopped: format rfc3164; lines ${ALL.length}, `));
    const reported = [...findingKeys(a.out()), ...findingKeys(b.out())].sort();
    expect(reported).toEqual(ruleWindows(10));
    expect(reported.length).toBeGreaterThan(0);
  }, 180_000);

  it("after a crash (SIGKILL) resumes from the last periodic state save: nothing lost, nothing twice", async () => {
    const file = path.join(dir, "auth.log");
    const state = path.join(dir, "crash-state.json");
    const args = ["watch", file, "--threshold", "10", "--event", "failed_password", "--year", "2025", "--poll", "50ms", "--state", state];
    const a = siemlab(args);
    await writer({ target: file, seed: 21, to: 800 });
    const saved = () => {
      try {
        const s = JSON.parse(fs.readFileSync(state, "utf8"));
        return s.totals.lines === 800 && s.position.offset === fs.statSync(file).size;
      } catch {
        return false; // not written yet
      }
    };
    await waitFor(saved, "a state save covering the 800 lines");
    a.p.kill("SIGKILL");
    await a.exit;
    await writer({ target: file, seed: 22, from: 801 });
    const b = siemlab([...args, "--once"]);
    expect(await b.exit).toBe(0);
    expect(b.err()).toMatch(new RegExp(`lines ${ALL.length}, `));
    expect([...findingKeys(a.out()), ...findingKeys(b.out())].sort()).toEqual(ruleWindows(10));
  }, 180_000);
});

describe("siemlab watch and fit (in process)", () => {
  it("fit saves a model whose settings watch uses; identical scores when loaded in another Node process", async () => {
    const model = path.join(dir, "model.json");
    const fit = await cli(["fit", SOURCE, "--event", "failed_password", "--year", "2025", "--seed", "7", "--out", model]);
    expect(fit.code).toBe(0);
    expect(fit.err).toMatch(/fitted iforest \(contamination auto, seed 7\) on \d+ windows \(by ip, window 1m, event failed_password\)/);
    const loaded = loadDetector(model);
    expect(loaded.featureNames).toEqual(["count"]);
    expect(loaded.metadata).toMatchObject({ by: "ip", window: "1m", event: "failed_password", seed: 7 });
    const rows = [[0], [1], [3], [10], [40]];
    const here = Array.from(loaded.detector.decisionFunction(rows));
    const script = `const {loadDetector}=require("./dist/detectors/model-file");process.stdout.write(JSON.stringify(Array.from(loadDetector(${JSON.stringify(model)}).detector.decisionFunction(${JSON.stringify(rows)}))))`;
    const other = siemlab([]); // warm nothing: just make sure dist is built by the CLI's own check
    await other.exit;
    const p = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout?.on("data", (c) => (out += String(c)));
    await new Promise((r) => p.on("exit", r));
    expect(JSON.parse(out)).toEqual(here);
    // watch --model takes by/window/event from the model and scores every closed window with it.
    const w = await cli(["watch", SOURCE, "--model", model, "--year", "2025", "--once"]);
    expect(w.code).toBe(0);
    expect(w.err).toMatch(/model iforest from .*model\.json; by ip, window 1m, event failed_password, lateness 30s/);
    expect(w.out.split("\n").filter((l) => l !== "").every((l) => / by iforest -> /.test(l))).toBe(true);
    // An explicit option that contradicts the model is a usage error.
    const clash = await cli(["watch", SOURCE, "--model", model, "--window", "5m", "--once"]);
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/--window 5m \(the model was fitted on 1m windows\)/);
  }, 120_000);

  it("escapes hostile text from the log in finding lines and notices", async () => {
    const file = path.join(dir, "hostile\u001b]0;x\u0007.log");
    const evil = "\u001b[2Jroot\u202e";
    fs.writeFileSync(file, `Mar  6 10:00:05 gw01 sshd[1]: Failed password for ${evil} from 203.0.113.7 port 1 ssh2\n`);
    const r = await cli(["watch", file, "--by", "user", "--threshold", "1", "--year", "2025", "--once"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('user "\\u001b[2Jroot\\u202e" count=1');
    expect(r.out + r.err).not.toMatch(/[\u001b\u0007\u202e]/);
    const j = await cli(["watch", file, "--by", "user", "--threshold", "1", "--year", "2025", "--once", "--json"]);
    expect(JSON.parse(j.out).entity).toBe(evil);
    expect(j.out).not.toMatch(/[\u001b\u202e]/);
  });

  // New-user trial T17: an unquoted user name with spaces forged the line's fields ("x count=1 anomaly 0.0
  // (warning) … tier low: log dry_run" followed by spaces pushed the real fields off the screen).
  it("quotes the entity in finding lines, so a name with spaces cannot forge the fields", async () => {
    const file = path.join(dir, "spoof.log");
    const forged = `x count=1 anomaly 0.0 (warning) decision 0.9 by iforest -> tier low: log dry_run${" ".repeat(50)}`;
    const lines = Array.from({ length: 12 }, (_, k) => `Mar  6 10:00:${String(k * 4).padStart(2, "0")} gw sshd[1]: Failed password for invalid user ${forged} from 203.0.113.9 port ${4000 + k} ssh2`);
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const r = await cli(["watch", file, "--year", "2025", "--by", "user", "--threshold", "5", "--once"]);
    expect(r.code).toBe(0);
    const [line] = r.out.trim().split("\n");
    const m = /^(\S+) user ("(?:[^"\\]|\\.)*") count=(\d+) anomaly /.exec(line);
    expect(m, line).not.toBeNull();
    expect(JSON.parse(m![2])).toBe(forged);
    expect(m![3]).toBe("12");
    // --json is unchanged: the exact name.
    const j = await cli(["watch", file, "--year", "2025", "--by", "user", "--threshold", "5", "--once", "--json"]);
    expect(JSON.parse(j.out.trim().split("\n")[0]).entity).toBe(forged);
  });

  it("--json prints one JSON object per finding", async () => {
    const r = await cli(["watch", SOURCE, "--threshold", "20", "--event", "failed_password", "--year", "2025", "--once", "--json"]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((x) => `${x.windowStart} ${x.entity}`).sort()).toEqual(ruleWindows(20));
    expect(rows.every((x) => x.count >= 20 && x.entityType === "ip" && x.detector === "threshold-rule" && x.actions.length > 0)).toBe(true);
  });

  it("refuses a model fitted on other features, naming expected and actual", async () => {
    const model = path.join(dir, "two.json");
    saveDetector(new RobustZScore().fit([[1, 2], [2, 1], [3, 3]]), model, { featureNames: ["count", "failures"] });
    const r = await cli(["watch", SOURCE, "--model", model, "--once"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/was fitted on features \[count, failures\], but watch computes one feature per window: \[count\]/);
  });

  it("reads stdin with '-' until it ends", async () => {
    const stdin = new PassThrough();
    const audit = path.join(dir, "audit.jsonl");
    const run = cli(["watch", "-", "--threshold", "20", "--event", "failed_password", "--year", "2025", "--poll", "20ms", "--audit", audit], stdin);
    stdin.write(ALL.slice(0, 600).join("\n") + "\n");
    stdin.end(ALL.slice(600).join("\n")); // the last line has no newline: taken at the end of the stream
    const r = await run;
    expect(r.code).toBe(0);
    expect(findingKeys(r.out).sort()).toEqual(ruleWindows(20));
    expect(r.err).toMatch(new RegExp(`lines ${ALL.length}, `));
    // Every finding's decision is in the audit file (dry run: the default policy says dryRun true).
    const rows = fs.readFileSync(audit, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.length).toBe(findingKeys(r.out).length);
    expect(rows.every((x) => x.dryRun === true && (x.status === "dry_run" || x.status === "deduplicated"))).toBe(true);
  });

  it("--once on stdin reads the stream to its end (it read nothing: a stream was 'caught up' at its first poll)", async () => {
    const stdin = new PassThrough();
    const run = cli(["watch", "-", "--threshold", "20", "--event", "failed_password", "--year", "2025", "--poll", "20ms", "--once"], stdin);
    // The stream delivers later, in two parts: --once must wait for its end, not stop at the first empty poll.
    setTimeout(() => stdin.write(ALL.slice(0, 600).join("\n") + "\n"), 50);
    setTimeout(() => stdin.end(ALL.slice(600).join("\n")), 150);
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`lines ${ALL.length}, `));
    expect(findingKeys(r.out).sort()).toEqual(ruleWindows(20));
  });

  it("--once counts a file's unterminated last line, as features does; with --state it is left for the next run and said", async () => {
    const file = path.join(dir, "nonl.log");
    fs.writeFileSync(file, ALL.join("\n")); // no newline after the last line
    const once = await cli(["watch", file, "--threshold", "1", "--once", "--year", "2025"]);
    expect(once.code).toBe(0);
    expect(once.err).toMatch(new RegExp(`lines ${ALL.length}, events ${ALL.length}, `));
    const state = path.join(dir, "state.json");
    const kept = await cli(["watch", file, "--threshold", "1", "--once", "--year", "2025", "--state", state]);
    expect(kept.err).toMatch(new RegExp(`lines ${ALL.length - 1}, `));
    expect(kept.err).toMatch(/the last \d+ bytes of .* end no line yet: left for the next run/);
    // The line's newline arrives: the next run reads it, once.
    fs.appendFileSync(file, "\n");
    const next = await cli(["watch", file, "--threshold", "1", "--once", "--year", "2025", "--state", state]);
    expect(next.err).toMatch(new RegExp(`lines ${ALL.length}, .*\\(totals include resumed runs\\)`));
  });

  it("fails with a usage message and a suggestion for bad options", async () => {
    const typo = await cli(["watch", SOURCE, "--treshold", "3"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/Unknown option '--treshold' \(did you mean '--threshold'\?\)/);
    expect((await cli(["watch", SOURCE])).err).toMatch(/watch needs --model PATH .* or --threshold N/);
    expect((await cli(["watch", "-", "--threshold", "3", "--state", "s.json"])).err).toMatch(/--state needs a FILE/);
    expect((await cli(["watch", SOURCE, "--threshold", "3", "--by", "usr"])).err).toMatch(/--by expects ip, user or host, got 'usr' \(did you mean 'user'\?\)/);
    expect((await cli(["watch", SOURCE, "--threshold", "3", "--lateness", "soon"])).err).toMatch(/--lateness: /);
    expect((await cli(["watch", SOURCE, "--threshold", "3", "--event", "failed_pasword"])).err).toMatch(/did you mean 'failed_password'/);
    expect((await cli(["fit", SOURCE])).err).toMatch(/fit needs --out PATH/);
    expect((await cli(["watch", "--help"])).out).toMatch(/^siemlab watch — follow a growing log/);
  });
});
