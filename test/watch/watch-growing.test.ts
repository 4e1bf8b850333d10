// watchLog on a REAL growing file: a writer process appends in chunks that split lines, rotates by rename,
// the test truncates and restarts from a state file; the closed windows must equal a batch run over the
// same lines (windowCounts, sparse): nothing lost, nothing counted twice.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseLogLines } from "../../src/ingest/parse-log";
import { windowCounts } from "../../src/features/window-counts";
import { watchLog, type ScoredWindow, type WatchLogOptions } from "../../src/watch/watcher";

const SOURCE = "data/sim/auth.log";
const ALL = fs.readFileSync(SOURCE, "utf8").split("\n").filter((l, i, a) => i < a.length - 1 || l !== "");
const N = ALL.length;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-watch-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run the writer process (test/watch/writer.mjs) to completion. */
function writer(spec: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["test/watch/writer.mjs", JSON.stringify({ source: SOURCE, ...spec })], { stdio: ["ignore", "inherit", "inherit"] });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}

/** Wait until `cond` holds (checked every 20 ms), failing after a generous timeout. */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Batch counts (windowCounts, sparse) of lines, as sorted "entity|windowStart|count" keys. */
function batch(lines: readonly string[], event = "failed_password"): string[] {
  const { events } = parseLogLines(lines, { year: 2025 });
  const f = windowCounts(events, { window: "1m", filter: event, zeroFill: false });
  return f.entities.map((e, i) => `${e}|${f.windowStarts[i]}|${f.matrix.data[i]}`).sort();
}

const keys = (ws: readonly ScoredWindow[]) => ws.map((w) => `${w.entity}|${w.windowStart}|${w.count}`).sort();

function startWatch(file: string, extra: Partial<WatchLogOptions> = {}) {
  const windows: ScoredWindow[] = [];
  const notices: string[] = [];
  const w = watchLog(file, {
    event: "failed_password",
    threshold: 10,
    year: 2025,
    pollMs: 20,
    statusEveryMs: 0,
    onWindows: (ws) => windows.push(...ws),
    onNotice: (t) => notices.push(t),
    ...extra,
  });
  return { w, windows, notices };
}

describe("watchLog on a growing file", () => {
  it("waits for the file, follows chunked writes and a rotation by rename; counts equal the batch run", async () => {
    const file = path.join(dir, "auth.log");
    const { w, windows, notices } = startWatch(file);
    await waitFor(() => notices.some((n) => n === `waiting for ${file} to appear`), "the waiting notice");
    await writer({ target: file, seed: 3, rotateAtLine: 600 });
    await waitFor(() => w.status().lines === N, `${N} lines`);
    const s = await w.stop();
    // The final files: the rotated one and the new one, read back to back.
    const final = [...fs.readFileSync(file + ".1", "utf8").split("\n").slice(0, -1), ...fs.readFileSync(file, "utf8").split("\n").slice(0, -1)];
    expect(final).toEqual(ALL);
    expect(keys(windows)).toEqual(batch(final));
    expect(s.late).toBe(0);
    expect(s.counted).toBe(windows.reduce((n, x) => n + x.count, 0));
    expect(notices.join("\n")).toMatch(/appeared[\s\S]*was rotated: read the old file to its end/);
    // The count rule flags exactly the windows with >= 10 failures, and every finding went through the policy.
    const flagged = windows.filter((x) => x.flagged);
    expect(flagged.map((x) => x.count).every((c) => c >= 10)).toBe(true);
    expect(windows.filter((x) => !x.flagged).every((x) => x.count < 10)).toBe(true);
    expect(w.findings.length).toBe(flagged.length);
    expect(w.findings.every((f) => f.actions.length > 0 && f.actions.every((a) => a.dryRun))).toBe(true);
  });

  it("starts over after a truncation and says so; every line written is counted once", async () => {
    const file = path.join(dir, "auth.log");
    const { w, windows, notices } = startWatch(file);
    await writer({ target: file, seed: 5, from: 1, to: 500 });
    await waitFor(() => w.status().lines === 500, "500 lines");
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, ALL[500] + "\n");
    await waitFor(() => notices.some((n) => /was truncated/.test(n)), "the truncation notice");
    await writer({ target: file, seed: 6, from: 502 });
    await waitFor(() => w.status().lines === N, `${N} lines`);
    await w.stop();
    expect(keys(windows)).toEqual(batch(ALL));
    expect(fs.readFileSync(file, "utf8").split("\n").length - 1).toBe(N - 500);
  });

  it("resumes from --state after a stop: rotated while stopped, no line lost or counted twice", async () => {
    const file = path.join(dir, "auth.log");
    const state = path.join(dir, "state.json");
    const a = startWatch(file, { state, stateEveryMs: 50 });
    await writer({ target: file, seed: 8, from: 1, to: 700 });
    await waitFor(() => a.w.status().lines === 700, "700 lines");
    const s1 = await a.w.stop();
    expect(s1.savedOpenWindows).toBeGreaterThan(0);
    const saved = JSON.parse(fs.readFileSync(state, "utf8"));
    expect(saved.position.offset).toBe(fs.statSync(file).size);
    expect(saved.open.length).toBe(s1.savedOpenWindows);
    // While no watcher runs: more lines, a rotation in the middle of a line, more lines in the new file.
    await writer({ target: file, seed: 9, from: 701, rotateAtLine: 200 });
    const b = startWatch(file, { state, once: true });
    const s2 = await b.w.done;
    expect(b.notices.join("\n")).toMatch(/resuming from .*state\.json[\s\S]*rotated while stopped: reading the rest of .*auth\.log\.1/);
    expect(s2.lines).toBe(N);
    expect(s2.counted).toBe(batch(ALL).reduce((n, k) => n + Number(k.split("|")[2]), 0));
    const both = [...a.windows, ...b.windows];
    expect(keys(both)).toEqual(batch(ALL));
    expect(new Set(both.map((x) => `${x.entity}|${x.windowStart}`)).size).toBe(both.length);
    expect(s2.late).toBe(0);
  });

  it("reports a late event and never adds it to a closed window", async () => {
    const file = path.join(dir, "late.log");
    const lines = [
      "Mar  6 10:00:05 gw01 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2",
      "Mar  6 10:02:00 gw01 sshd[2]: Failed password for root from 203.0.113.7 port 2 ssh2",
      "Mar  6 10:00:30 gw01 sshd[3]: Failed password for root from 203.0.113.7 port 3 ssh2",
      "Mar  6 10:01:50 gw01 sshd[4]: Failed password for root from 203.0.113.7 port 4 ssh2",
    ];
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const { w, windows, notices } = startWatch(file, { once: true, lateness: "15s" });
    const s = await w.done;
    expect(s.late).toBe(1);
    expect(s.lateSamples[0]).toMatchObject({ lineNo: 3, entity: "203.0.113.7" });
    expect(notices.join("\n")).toMatch(/late event at line 3 .*counted as late, not in a window/);
    // Closed windows plus the late event account for every event of the batch run.
    const t0 = Date.UTC(2025, 2, 6, 10, 0);
    expect(keys(windows)).toEqual([`203.0.113.7|${t0}|1`, `203.0.113.7|${t0 + 60_000}|1`, `203.0.113.7|${t0 + 120_000}|1`]);
    expect(windows.reduce((n, x) => n + x.count, 0) + s.late).toBe(lines.length);
  });

  it("a log that stops growing is not an error: the watch idles, then picks up new lines", async () => {
    const file = path.join(dir, "quiet.log");
    fs.writeFileSync(file, ALL.slice(0, 100).join("\n") + "\n");
    let polls = 0;
    const { w, notices } = startWatch(file, { statusEveryMs: 1, onStatus: () => polls++ });
    let settled = false;
    void w.done.then(() => (settled = true), () => (settled = true));
    await waitFor(() => w.status().lines === 100, "100 lines");
    const idleFrom = polls;
    await waitFor(() => polls >= idleFrom + 25, "25 idle polls");
    expect(settled).toBe(false);
    expect(notices.filter((n) => !/^format rfc3164/.test(n))).toEqual([]);
    fs.appendFileSync(file, ALL.slice(100, 150).join("\n") + "\n");
    await waitFor(() => w.status().lines === 150, "150 lines");
    const s = await w.stop();
    expect(s.lines).toBe(150);
  });

  it("with idle, the last windows of a log that went quiet close without a later event", async () => {
    const file = path.join(dir, "quiet-end.log");
    const lines = [
      "Mar  6 10:00:05 gw01 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2",
      "Mar  6 10:00:20 gw01 sshd[2]: Failed password for root from 203.0.113.7 port 2 ssh2",
    ];
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const { w, windows, notices } = startWatch(file, { window: "1s", lateness: 0, idle: 100 });
    // Window 10:00:20 closes once 1 s of quiet has passed (event time 10:00:20 + 1 s); no stop, no new line.
    await waitFor(() => windows.length === 2, "both windows closed by the idle clock");
    expect(notices.some((n) => /no new line for \d+ s: event time now moves on with the clock from the last event/.test(n))).toBe(true);
    expect(w.status().openWindows).toBe(0);
    fs.appendFileSync(file, "Mar  6 10:00:20 gw01 sshd[3]: Failed password for root from 203.0.113.7 port 3 ssh2\n");
    await waitFor(() => w.status().late === 1, "the late event");
    const s = await w.stop();
    expect(windows.reduce((n, x) => n + x.count, 0) + s.late).toBe(3);
  });

  it("bounds open windows with maxOpen and says so", async () => {
    const file = path.join(dir, "many.log");
    fs.writeFileSync(file, ALL.join("\n") + "\n");
    const { w, windows, notices } = startWatch(file, { once: true, maxOpen: 2, lateness: "1h" });
    const s = await w.done;
    expect(notices.some((n) => /more than 2 open \(entity, window\) cells: the oldest window was closed early/.test(n))).toBe(true);
    // Every event is either in exactly one closed window or counted as late.
    expect(windows.reduce((n, x) => n + x.count, 0) + s.late).toBe(batch(ALL).reduce((n, k) => n + Number(k.split("|")[2]), 0));
    expect(new Set(windows.map((x) => `${x.entity}|${x.windowStart}`)).size).toBe(windows.length);
  });

  it("without year, a live syslog line gets the latest year that does not put it in the future", async () => {
    const file = path.join(dir, "live.log");
    const ahead = new Date(Date.now() + 2 * 86_400_000); // two days ahead: must be last year's date
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const stamp = `${months[ahead.getUTCMonth()]} ${String(ahead.getUTCDate()).padStart(2, " ")} 12:00:00`;
    fs.writeFileSync(file, `${stamp} gw01 sshd[9]: Failed password for root from 203.0.113.9 port 2 ssh2\n`);
    const { w, windows } = startWatch(file, { once: true, year: undefined });
    await w.done;
    expect(windows.map((x) => new Date(x.windowStart).getUTCFullYear())).toEqual([ahead.getUTCFullYear() - 1]);
  });

  it("refuses a state file written with other window settings", async () => {
    const file = path.join(dir, "auth.log");
    const state = path.join(dir, "state.json");
    fs.writeFileSync(file, ALL.slice(0, 50).join("\n") + "\n");
    await startWatch(file, { state, once: true }).w.done;
    expect(() => startWatch(file, { state, once: true, window: "5m" })).toThrow(/written with other settings: window 1m \(now 5m\)/);
  });
});
