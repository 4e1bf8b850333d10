import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const BIN = path.resolve("bin/siemlab.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const AUTH = [
  "Mar  6 10:00:01 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2",
  "Mar  6 10:00:05 gw sshd[1]: Failed password for root from 198.51.100.23 port 2 ssh2",
  "Mar  6 10:00:09 gw sshd[1]: Failed password for admin from 198.51.100.23 port 3 ssh2",
  "Mar  6 10:02:00 gw sshd[2]: Accepted password for alice from 10.0.0.5 port 4 ssh2",
  "Mar  6 10:02:30 gw sshd[3]: Failed password for alice from 10.0.0.5 port 5 ssh2",
  "this line is junk",
].join("\n");

describe("siemlab CLI", () => {
  it("--help documents every option; no command is a usage error", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const opt of ["--format", "--by", "--event", "--window", "--sparse", "--year", "--tz", "--max-line", "--detector", "--contamination", "--seed", "--out"]) {
      expect(r.out).toContain(opt);
    }
    expect(run([]).code).toBe(2);
  });

  it("features: zero-filled CSV on stdout, summary on stderr, from a gzip file", () => {
    const file = path.join(tmp, "auth.log.gz");
    fs.writeFileSync(file, zlib.gzipSync(AUTH));
    const r = run(["features", file, "--format", "auto", "--by", "ip", "--event", "failed_password", "--window", "1m", "--year", "2025"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([
      "entity,window_start,count",
      "10.0.0.5,2025-03-06T10:00:00.000Z,0",
      "10.0.0.5,2025-03-06T10:01:00.000Z,0",
      "10.0.0.5,2025-03-06T10:02:00.000Z,1",
      "198.51.100.23,2025-03-06T10:00:00.000Z,3",
      "198.51.100.23,2025-03-06T10:01:00.000Z,0",
      "198.51.100.23,2025-03-06T10:02:00.000Z,0",
    ]);
    expect(r.err).toMatch(/format rfc3164 \(auto-detected, confidence [\d.]+\); lines read 6, parsed 5, rejected 1; [\d.]+ s, \d+ lines\/s/);
    expect(r.err).toContain("events by type: failed_password=4 accepted_password=1");
  });

  it("notes a zero-fill that is almost all zeros, and a format chosen from lines no format reads (a banner first)", () => {
    // Two events 100 days apart for 2 addresses: 2 × 144,001 minute rows, 3 of them non-zero.
    const spread = ["Mar  6 10:00:01 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2", "Mar  6 10:00:02 gw sshd[1]: Failed password for root from 198.51.100.24 port 1 ssh2", "Jun 14 10:00:01 gw sshd[2]: Failed password for root from 198.51.100.23 port 2 ssh2"].join("\n");
    const big = spawnSync(process.execPath, [BIN, "features", "-", "--year", "2025", "--event", "failed_password"], { input: spread, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 28 });
    const r = { code: big.status, err: big.stderr };
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/note: 3 of the 288002 rows are non-zero .*; --sparse writes only those 3/);
    expect(run(["features", "-", "--year", "2025", "--sparse"], spread).err).not.toContain("note:");
    const banner = [...Array.from({ length: 250 }, (_, i) => `# exported by tool, banner line ${i}`), ...AUTH].join("\n");
    const b = run(["features", "-", "--year", "2025"], banner);
    expect(b.err).toMatch(/format \w+ \(auto-detected, confidence 0\.00\).*\n[^]*note: the format was chosen from the first lines, which no format reads well .* give --format/);
    expect(run(["features", "-", "--year", "2025", "--format", "rfc3164"], banner).err).not.toContain("note: the format");
  });

  it("features --sparse from stdin ('-'), by user", () => {
    const r = run(["features", "-", "--by", "user", "--event", "failed_password,accepted_password", "--window", "5m", "--sparse", "--year", "2025"], AUTH);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([
      "entity,window_start,count",
      "admin,2025-03-06T10:00:00.000Z,1",
      "alice,2025-03-06T10:00:00.000Z,2",
      "root,2025-03-06T10:00:00.000Z,2",
    ]);
  });

  it("detect adds score and flag from the registry's detector", () => {
    const r = run(["detect", "data/sim/auth.log", "--event", "failed_password", "--window", "5m", "--year", "2025", "--detector", "iforest", "--contamination", "0.01", "--seed", "42", "--sparse"]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n");
    expect(rows[0]).toBe("entity,window_start,count,score,flag");
    const flagged = rows.slice(1).map((l) => l.split(",")).filter((c) => c[4] === "1");
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.some((c) => c[0] === "198.51.100.23")).toBe(true);
    for (const c of flagged) expect(+c[3]).toBeLessThan(0);
    expect(r.err).toMatch(/detector iforest \(contamination 0.01, seed 42\) flagged \d+ of \d+ rows/);
  });

  it("detect says why fewer rows than the contamination are flagged, and what 'auto' did (new-user trial)", () => {
    const base = ["detect", "data/sim/auth.log", "--event", "failed_password", "--year", "2025"];
    // Zero-filled: the quiet windows tie at the threshold and stay inliers.
    const z = run([...base, "--contamination", "0.05"]);
    expect(z.code).toBe(0);
    const rows = z.out.trim().split("\n").slice(1).map((l) => l.split(","));
    const flagged = rows.filter((c) => c[4] === "1").length;
    const tied = rows.filter((c) => +c[3] === 0);
    expect(tied.length).toBeGreaterThan(rows.length / 2);
    expect(tied.every((c) => c[2] === "0")).toBe(true);
    expect(z.err).toContain(
      `siemlab: note: contamination 0.05 asks for about ${Math.round(0.05 * rows.length)} of ${rows.length} rows; ${flagged} flagged: ` +
        `${tied.length} rows score exactly at the threshold and ties are inliers (as in scikit-learn) — ${tied.length} of them zero-filled quiet windows, all alike; --sparse scores only the windows with events`,
    );
    // 'auto' keeps the detector's threshold: a share far above 10 % gets a note, a share asked for does not.
    const a = run([...base, "--sparse"]);
    const n = a.out.trim().split("\n").length - 1;
    const f = a.out.trim().split("\n").slice(1).filter((l) => l.endsWith(",1")).length;
    expect(f).toBeGreaterThan(0.1 * n);
    expect(a.err).toContain(`siemlab: note: contamination auto flagged ${Math.round((100 * f) / n)} % of the rows (the detector's own threshold, not a share)`);
    expect(run([...base, "--sparse", "--contamination", "0.1"]).err).not.toContain("note: contamination");
  });

  it("says that windows are aligned to UTC when --tz names a zone whose offset splits them (new-user trial T20)", () => {
    const log = path.join(tmp, "tz.log");
    fs.writeFileSync(log, "Mar  6 00:30:00 gw sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2\nMar  6 23:30:00 gw sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2\n");
    const f = (tz: string, window: string) => run(["features", log, "--year", "2025", "--tz", tz, "--window", window, "--sparse"]);
    const ny = f("America/New_York", "1d");
    // Both events are on local March 6; UTC days split them, and the summary says why.
    expect(ny.out.trim().split("\n").slice(1)).toEqual(["1.2.3.4,2025-03-06T00:00:00.000Z,1", "1.2.3.4,2025-03-07T00:00:00.000Z,1"]);
    expect(ny.err).toContain("siemlab: note: windows are aligned to UTC, not to --tz America/New_York: the 1d windows start at 19:00 local time (UTC-05:00 on 2025-03-05)");
    expect(f("Asia/Kolkata", "1h").err).toContain("the 1h windows start at :30 past each local hour (UTC+05:30 on 2025-03-06)");
    for (const [tz, w] of [["America/New_York", "1h"], ["UTC", "1d"], ["Europe/Berlin", "1m"]]) expect(f(tz, w).err).not.toContain("aligned to UTC");
  });

  it("--event listing an attempt's sshd record and its companions counts each attempt once, and says how many companions it skipped (new-user trial T13)", () => {
    const f = (event: string) => run(["features", "data/sim/auth.log", "--year", "2025", "--event", event, "--sparse"]);
    const counted = (err: string) => Number(/(\d+) events counted/.exec(err)?.[1]);
    const both = f("failed_password,invalid_user");
    const skipped = Number(/siemlab: (\d+) companion records? skipped: their attempt's sshd record is counted\n/.exec(both.err)?.[1]);
    expect(skipped).toBeGreaterThan(0);
    // Counted: every failed_password, plus the invalid_user records that are no companion of a failed_password.
    expect(counted(both.err)).toBe(counted(f("failed_password").err) + counted(f("invalid_user").err) - skipped);
    expect(both.err).not.toContain("note: --event lists");
    for (const e of ["failed_password", "invalid_user,accepted_password"]) expect(f(e).err).not.toContain("companion records skipped");
  });

  it("a log whose events lack the --by key says which key to try (new-user trial T15: the tutorial log has users, no IPs)", () => {
    const d = run(["detect", "data/seed-tutorial.log"]);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/detect needs at least 2 rows of features, got 0; (\d+) of the \1 events have no ip: try --by user or --by host/);
    expect(run(["features", "data/seed-tutorial.log"]).err).toMatch(/0 events counted, \d+ skipped \(no ip or no time: try --by user or --by host\)/);
    expect(run(["detect", "data/seed-tutorial.log", "--by", "user"]).code).toBe(0);
  });

  it.each([
    [["features", "x.log", "--window", "7x"], /--window: .*'90s', '1m'/],
    [["features", "x.log", "--by", "mac"], /--by expects ip, user, host or process, got 'mac'/],
    [["features", "x.log", "--bogus"], /Unknown option '--bogus'/],
    [["features", "x.log", "--format", "klingon"], /--format expects 'auto' or one of/],
    [["detect", "x.log", "--contamination", "0.7"], /--contamination expects 'auto' or a number in \(0, 0.5\], got '0.7'/],
    [["detect", "x.log", "--detector", "nope"], /Unknown detector "nope"/],
    [["features", "x.log", "--seed", "1"], /--seed only applies to 'siemlab detect'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["features", "x.log", "--event", "failed_pasword"], /--event: unknown event type 'failed_pasword' \(did you mean 'failed_password'\?\)/],
    [["features", "x.log", "--evnt", "failed_password"], /Unknown option '--evnt'.*\(did you mean '--event'\?\)/],
    [["features", "x.log", "--by", "usr"], /got 'usr' \(did you mean 'user'\?\)/],
    [["features", "x.log", "--format", "rfc3146"], /\(did you mean 'rfc3164'\?\)/],
    [["detect", "x.log", "--detector", "iforst"], /Unknown detector "iforst" \(did you mean "iforest"\?\)/],
  ])("bad usage %j → exit 2 with a clear message", (args, message) => {
    const r = run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err).toContain("Run 'siemlab --help' for usage.");
  });

  it("an event type the input never held is a warning with the types seen (custom JSON types are allowed)", () => {
    const file = path.join(tmp, "auth-for-warning.log");
    fs.writeFileSync(file, AUTH);
    const r = run(["features", file, "--event", "user_login", "--year", "2025"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: no 'user_login' event in the input; types seen: .*failed_password/);
  });

  it("a missing file is exit 1 naming the path", () => {
    const r = run(["features", path.join(tmp, "missing.log")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/File not found: .*missing\.log/);
  });

  it("simulate writes the labelled samples", () => {
    const out = path.join(tmp, "sim");
    const r = run(["simulate", "--out", out, "--seed", "42"]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, "auth.log")).equals(fs.readFileSync("data/sim/auth.log"))).toBe(true);
  });
});
