// Fixes from a new-user trial of `siemlab watch` / `siemlab fit`: each case spawns the real CLI
// (node bin/siemlab.js) on real files and checks its exit code and messages.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
});
