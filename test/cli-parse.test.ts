import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { isFailedAttempt } from "../src/events";
import { hostileLines } from "../src/ingest/hostile-lines";
import { parseLogLines } from "../src/ingest/parse-log";
import { caseFile, casePresent, readCase } from "./ingest/cases-dir";

const BIN = path.resolve("bin/siemlab.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-cli-parse-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const jsonLines = (out: string) => out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
/** Raw control characters a terminal would act on (C0 except newline, DEL, C1, bidi controls). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const JSONL = [
  '{"@timestamp":"2024-01-02T03:04:05Z","event":{"action":"user-login","outcome":"failure"},"source":{"ip":"192.0.2.1","port":5555},"user":{"name":"eve"}}',
  "not json at all",
  '{"@timestamp":"2023-02-29T00:00:00Z","event":{"action":"user-login"},"source":{"ip":"192.0.2.2"}}',
  "",
  '{"ts":1704164646000,"event_type":"login_failed","src_ip":"192.0.2.1"}',
].join("\n");

describe("siemlab parse", () => {
  it("--help documents the command and its options", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const s of ["siemlab parse", "--csv", "--rejects", "--max-bytes", "--epoch-unit", "--max-rows", "Europe/Berlin"]) expect(r.out).toContain(s);
    expect(RAW_CONTROL.test(r.out)).toBe(false);
  });

  it("JSON lines on stdout, rejects with line numbers and reasons on stderr, summary on stderr, exit 0", () => {
    const file = path.join(tmp, "app.jsonl");
    fs.writeFileSync(file, JSONL);
    const r = run(["parse", file]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.out);
    expect(events).toEqual([
      expect.objectContaining({ lineNo: 1, time: "2024-01-02T03:04:05.000Z", eventType: "user_login", outcome: "failure", user: "eve", srcIp: "192.0.2.1", srcPort: 5555 }),
      expect.objectContaining({ lineNo: 5, time: "2024-01-02T03:04:06.000Z", eventType: "login_failed", srcIp: "192.0.2.1" }),
    ]);
    expect(r.err).toContain('siemlab: line 2: expected a JSON object `{...}` on the line: "not json at all"');
    expect(r.err).toContain('siemlab: line 3: invalid timestamp "2023-02-29T00:00:00Z": February 29 does not exist in 2023 (not a leap year)');
    expect(r.err).toContain("siemlab: line 4: empty line");
    expect(r.err).toMatch(/format jsonl \(auto-detected, confidence [\d.]+(; runner-up \w+ [\d.]+)?\); lines read 5, parsed 2, rejected 3/);
  });

  it("writes companionOf and folded, so its output counts attempts as siemlab does (new-user trial: both were dropped)", () => {
    const r = run(["parse", "data/sim/auth.log", "--year", "2025"]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.out);
    const paired = Number(/(\d+) companion records paired/.exec(r.err)?.[1]);
    expect(paired).toBeGreaterThan(100);
    const companions = events.filter((e) => e.companionOf !== undefined);
    expect(companions).toHaveLength(paired);
    // Each points at the sshd record of its attempt: same host and pid, a failure of its own.
    const byLine = new Map(events.map((e) => [e.lineNo, e]));
    for (const c of companions) {
      const a = byLine.get(c.companionOf);
      expect([a?.host, a?.pid, a?.outcome]).toEqual([c.host, c.pid, "failure"]);
      expect(a?.companionOf).toBeUndefined();
      // companionType: the attempt record's event type, so a downstream count can skip the companion as siemlab does.
      expect(c.companionType).toBe(a?.eventType);
    }
    expect(events.filter((e) => e.companionOf === undefined && e.companionType !== undefined)).toEqual([]);
    const csvRows = run(["parse", "data/sim/auth.log", "--year", "2025", "--csv"]).out.trim().split("\n").slice(1);
    expect(csvRows.filter((l) => /,failed_password$/.test(l))).toHaveLength(companions.filter((c) => c.companionType === "failed_password").length);
    // Failed attempts as siemlab counts them (the `failures` feature): failures that are no companion.
    const attempts = events.filter((e) => e.outcome === "failure" && e.companionOf === undefined).length;
    const lib = parseLogLines(fs.readFileSync("data/sim/auth.log", "utf8"), { year: 2025 }).events;
    expect(attempts).toBe(lib.filter(isFailedAttempt).length);
    expect(attempts).toBeLessThan(events.filter((e) => e.outcome === "failure").length - 100);
    // A folded line: N events, each with folded N; in CSV too.
    const fold = "Mar  6 08:00:01 h sshd[7]: message repeated 3 times: [ Failed password for root from 10.0.0.1 port 22 ssh2]\n";
    expect(jsonLines(run(["parse", "-", "--year", "2025"], fold).out).map((e) => e.folded)).toEqual([3, 3, 3]);
    const csv = run(["parse", "-", "--year", "2025", "--csv"], fold).out.trim().split("\n");
    expect(csv.slice(1).map((l) => l.split(",").slice(-3).join(","))).toEqual([",3,", ",3,", ",3,"]);
  });

  it("--csv writes fixed columns; --rejects FILE writes the rejects as JSON lines; stdin with '-'", () => {
    const rejects = path.join(tmp, "rejects.jsonl");
    const r = run(["parse", "-", "--csv", "--rejects", rejects, "--format", "jsonl"], JSONL);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n");
    expect(rows[0]).toBe("lineNo,time,eventType,outcome,user,srcIp,srcPort,host,process,pid,level,message,fields,companionOf,folded,companionType");
    expect(rows[1].startsWith("1,2024-01-02T03:04:05.000Z,user_login,failure,eve,192.0.2.1,5555,")).toBe(true);
    expect(rows).toHaveLength(3);
    expect(jsonLines(fs.readFileSync(rejects, "utf8")).map((x) => [x.lineNo, x.reason.slice(0, 20)])).toEqual([
      [2, "expected a JSON obje"],
      [3, "invalid timestamp \"2"],
      [4, "empty line"],
    ]);
    expect(r.err).not.toContain("line 2:");
    expect(r.err).toContain(`3 rejects written to ${rejects}`);
  });

  it.skipIf(!fs.existsSync("/dev/full"))("a full disk: --rejects fails the run (it said 'N rejects written'), stdout says what failed in one line", () => {
    const r = run(["parse", "-", "--format", "jsonl", "--rejects", "/dev/full"], JSONL);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot write --rejects \/dev\/full: ENOSPC.* \(it may lack some of the 3 rejected lines\)/);
    expect(r.err).not.toContain("rejects written");
    // The output itself on a full disk (a shell's `> /dev/full`): one line, no stack trace, exit 1.
    const fd = fs.openSync("/dev/full", "w");
    try {
      const o = spawnSync(process.execPath, [BIN, "features", "-", "--format", "jsonl", "--by", "ip"], { input: JSONL, stdio: ["pipe", fd, "pipe"], encoding: "utf8", timeout: 60_000 });
      expect(o.status).toBe(1);
      expect(o.stderr).toMatch(/^siemlab: cannot write the output: ENOSPC: no space left on device/m);
      expect(o.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("bad options are usage errors (exit 2) that say how to fix them", () => {
    for (const [args, msg] of [
      [["parse", "x.log", "--tz", "Europe/Berln"], /--tz: .*Did you mean 'Europe\/Berlin'\?/],
      [["parse", "x.log", "--epoch-unit", "minutes"], /--epoch-unit: Expected to be 'auto', 's', 'ms', 'us' or 'ns', got "minutes"/],
      [["parse", "x.log", "--max-bytes", "lots"], /--max-bytes expects a byte count such as 500000000, 512M or 2G/],
      [["parse", "x.log", "--window", "1m"], /--window does not apply to 'siemlab parse'/],
      [["features", "x.log", "--csv"], /--csv only applies to 'siemlab parse'/],
      [["parse", "a.log", "b.log"], /expected one FILE, got 2/],
    ] as Array<[string[], RegExp]>) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(msg);
    }
    const missing = run(["parse", path.join(tmp, "missing.log")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/File not found: .*missing\.log/);
  });

  it("a damaged gzip: everything before the damage on stdout, a reject naming the damage, exit 1", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `{"ts":"2024-01-02T03:04:05Z","event_type":"login","src_ip":"192.0.2.${i % 200}","n":${i}}`).join("\n") + "\n";
    const gz = zlib.gzipSync(text);
    const file = path.join(tmp, "damaged.jsonl.gz");
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = run(["parse", file]);
    expect(r.code).toBe(1);
    const events = jsonLines(r.out);
    expect(events.length).toBeGreaterThan(1000);
    expect(events.map((e) => e.fields.n)).toEqual(events.map((_, i) => i));
    expect(r.err).toMatch(/line \d+: Cannot decompress .*damaged\.jsonl\.gz: unexpected end of file/);
    expect(r.err).toContain("input damaged, read stopped");
    const capped = run(["parse", file, "--max-bytes", "1K"]);
    expect(capped.code).toBe(1);
    expect(capped.err).toMatch(/after maxBytes = 1024 bytes/);
    // A limit the user set is not damage.
    expect(capped.err).toContain("read stopped at --max-bytes");
    expect(capped.err).not.toContain("input damaged");
  });

  it("--tz Europe/Berlin reads zone-less stamps with daylight saving; the repeated hour is its first pass", () => {
    const input = ["time,event_type,src_ip", "2024-10-27 01:30:00,x,192.0.2.1", "2024-10-27 02:30:00,x,192.0.2.1", "2024-10-27 03:30:00,x,192.0.2.1", "2024-03-31 02:30:00,x,192.0.2.1"].join("\n");
    const r = run(["parse", "-", "--tz", "Europe/Berlin"], input);
    expect(r.code).toBe(0);
    expect(jsonLines(r.out).map((e) => e.time)).toEqual([
      "2024-10-26T23:30:00.000Z", // CEST
      "2024-10-27T00:30:00.000Z", // repeated hour: first pass (CEST)
      "2024-10-27T02:30:00.000Z", // CET
      "2024-03-31T01:30:00.000Z", // skipped hour: moved forward to 03:30 CEST
    ]);
  });
});

it("features --tz Europe/Berlin on an auth.log counts in UTC windows", () => {
  const auth = ["Jan  1 12:00:01 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2", "Jul  1 12:00:01 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2"].join("\n");
  const r = run(["features", "-", "--tz", "Europe/Berlin", "--year", "2025", "--sparse", "--event", "failed_password"], auth);
  expect(r.code).toBe(0);
  expect(r.out.trim().split("\n").slice(1)).toEqual(["198.51.100.23,2025-01-01T11:00:00.000Z,1", "198.51.100.23,2025-07-01T10:00:00.000Z,1"]);
});

describe("terminal safety through the CLI", () => {
  const hostile = [
    '192.0.2.66 - \u001b]0;pwned\u0007 [10/Oct/2023:13:55:36 +0000] "GET /\u001b[2J HTTP/1.1" 404 1 "-" "\u202egnp.exe"',
    '192.0.2.67 - =cmd|calc [10/Oct/2023:13:55:37 +0000] "GET /\\x1b[31m HTTP/1.1" 404 1 "-" "\u009b2J"',
  ].join("\n");

  it("parse: JSON lines and the reject messages carry no raw control or bidi characters, and stay exact", () => {
    const r = run(["parse", "-", "--format", "combined"], hostile + "\n\u001b[31mjunk\u202e line");
    expect(r.code).toBe(0);
    expect(RAW_CONTROL.test(r.out)).toBe(false);
    expect(RAW_CONTROL.test(r.err)).toBe(false);
    const events = jsonLines(r.out);
    expect(events[0].user).toBe("\u001b]0;pwned\u0007");
    expect(events[0].userAgent ?? events[0].fields.userAgent).toBe("\u202egnp.exe");
    expect(events[1].fields.path).toBe("/\u001b[31m");
    expect(r.err).toContain('line 3: expected an access log line');
    expect(r.err).toContain('"\\x1b[31mjunk\\u202e line"');
  });

  it("the hostile-line generator's output (injections, ANSI, bidi, NUL, lone surrogates) never reaches the terminal raw", () => {
    const file = path.join(tmp, "hostile.log");
    fs.writeFileSync(file, hostileLines({ count: 400, seed: 7, longLength: 5000 }).join("\n"));
    for (const args of [["parse", file], ["parse", file, "--csv"], ["features", file, "--by", "user", "--sparse"], ["parse", file, "--format", "raw"]]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(RAW_CONTROL.test(r.out), `stdout of ${args.join(" ")}`).toBe(false);
      expect(RAW_CONTROL.test(r.err), `stderr of ${args.join(" ")}`).toBe(false);
      expect(r.err).toMatch(/lines read 400, parsed \d+, rejected \d+/);
    }
  });

  it("parse --csv and features: cells escaped, formulas neutralised", () => {
    const csv = run(["parse", "-", "--format", "combined", "--csv"], hostile);
    expect(RAW_CONTROL.test(csv.out)).toBe(false);
    expect(csv.out).toContain("\\x1b]0;pwned\\x07");
    expect(csv.out).toContain(",'=cmd|calc,");
    const f = run(["features", "-", "--format", "combined", "--by", "user", "--sparse"], hostile);
    expect(f.code).toBe(0);
    expect(RAW_CONTROL.test(f.out + f.err)).toBe(false);
    // Entities sort by their text (ESC before '='); each written escaped.
    expect(f.out.split("\n").slice(1, 3)).toEqual(["\\x1b]0;pwned\\x07,2023-10-10T13:55:00.000Z,1", "'=cmd|calc,2023-10-10T13:55:00.000Z,1"]);
  });
});

describe.skipIf(!casePresent("hostile-timestamps"))("shared case hostile-timestamps through the CLI", () => {
  const expected = readCase("hostile-timestamps", "expected.md");

  it("bigts: the run completes, the impossible line is a reject with its line number and reason, output is produced", () => {
    expect(expected).toMatch(/the run completes/);
    for (const command of ["features", "detect"]) {
      const r = run([command, caseFile("hostile-timestamps", "bigts.jsonl"), ...(command === "detect" ? ["--detector", "robust-zscore"] : [])]);
      if (command === "detect") {
        // One row only: detect says why it cannot fit, after the parse went through.
        expect(r.err).toMatch(/detect needs at least 2 rows/);
        continue;
      }
      expect(r.code).toBe(0);
      expect(r.out.trim().split("\n")).toEqual(["entity,window_start,count", "203.0.113.1,2024-01-02T03:04:00.000Z,1"]);
      expect(r.err).toMatch(/line 2: epoch value 100000000000000000000 is not a plausible time/);
      expect(r.err).toMatch(/lines read 2, parsed 1, rejected 1/);
    }
    const p = run(["parse", caseFile("hostile-timestamps", "bigts.jsonl")]);
    expect(p.code).toBe(0);
    expect(jsonLines(p.out).map((e) => [e.lineNo, e.time])).toEqual([[1, "2024-01-02T03:04:05.000Z"]]);
    expect(p.err).toMatch(/siemlab: line 2: epoch value 1e\+?20|siemlab: line 2: epoch value 100000000000000000000/);
  });

  it("oldts: one far-away (valid) event never aborts features or detect; the summary says what was left outside", () => {
    const r = run(["features", caseFile("hostile-timestamps", "oldts.jsonl")]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([
      "entity,window_start,count",
      "203.0.113.1,2024-01-02T03:04:00.000Z,1",
      "203.0.113.2,1970-01-01T00:00:00.000Z,1",
      "203.0.113.2,2024-01-02T03:04:00.000Z,0",
    ]);
    expect(r.err).toMatch(/zero-fill bounded by --max-rows 2000000 \(a full zero-fill would be 56805490 rows\)/);
    expect(r.err).toContain("1 (entity, window) cell with 1 event lies outside");
    expect(r.err).toContain("203.0.113.2 at 1970-01-01T00:00:00.000Z");
    const d = run(["detect", caseFile("hostile-timestamps", "oldts.jsonl"), "--detector", "robust-zscore"]);
    expect(d.code).toBe(0);
    expect(d.out.trim().split("\n")).toHaveLength(4);
    // Neighbour: an event decades in the future, by user, sparse output is unaffected.
    const future = ['{"@timestamp":"2024-01-02T03:04:05Z","user":"a","event_type":"login"}', '{"@timestamp":"2999-12-31T23:59:59Z","user":"b","event_type":"login"}'].join("\n");
    const f = run(["features", "-", "--by", "user", "--window", "1s"], future);
    expect(f.code).toBe(0);
    // A tie (one cell each): the later span is zero-filled; a's cell is a row of its own.
    expect(f.out.trim().split("\n")).toEqual([
      "entity,window_start,count",
      "a,2024-01-02T03:04:05.000Z,1",
      "a,2999-12-31T23:59:59.000Z,0",
      "b,2999-12-31T23:59:59.000Z,1",
    ]);
  });

  it("neighbours: every kind of impossible timestamp is a reject with its reason, the rest is counted", () => {
    const lines = [
      '{"@timestamp":"2024-01-02T03:04:05Z","source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":"2024-13-02T03:04:05Z","source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":"2024-01-02T24:00:00Z","source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":"2024-01-02T03:04:05+15:00","source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":"0000-01-02T03:04:05Z","source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":-1e300,"source":{"ip":"203.0.113.1"},"event_type":"login"}',
      '{"@timestamp":"2024-01-02T03:04:06Z","source":{"ip":"203.0.113.1"},"event_type":"login"}',
    ].join("\n");
    const r = run(["features", "-"], lines);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["entity,window_start,count", "203.0.113.1,2024-01-02T03:04:00.000Z,2"]);
    for (const [n, why] of [[2, "month 13 does not exist"], [3, "hour 24 does not exist"], [4, "UTC offset +15:00 is beyond ±14:00"], [5, "year 0000 does not exist"]] as const) {
      expect(r.err).toMatch(new RegExp(`line ${n}: invalid timestamp .*${why.replace(/[+()]/g, "\\$&")}`));
    }
    expect(r.err).toMatch(/line 6: epoch value -1e\+300 is not a plausible time/);
  });
});
