/**
 * The syslog / sshd cases of issue 9 (../shared/cases: hostless-syslog, unpadded-day, leap-year,
 * repeated-message, sshd-variants) with the right values of their expected.md, each followed by neighbours
 * of the same kind (other shapes of the same fault) written here.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isFailedAttempt, type LogEvent } from "../../src/events";
import { windowCounts } from "../../src/features/window-counts";
import { sharedDatasetsDir } from "../../src/ingest/datasets";
import { detectLogFormat, parseLogLines } from "../../src/ingest/parse-log";

const CASES = path.resolve(sharedDatasetsDir(), "..", "cases");
const present = fs.existsSync(path.join(CASES, "hostless-syslog", "input.log"));
if (!present && process.env.CI === "true") throw new Error(`shared cases missing at ${CASES} (always present under CI)`);
if (!present) console.warn(`syslog-cases.test: ${CASES} absent: the shared-case tests are skipped (neighbours still run)`);

const input = (name: string) => path.join(CASES, name, "input.log");
const lines = (name: string) => fs.readFileSync(input(name), "utf8").split("\n").filter((l) => l !== "");
const iso = (t: number) => new Date(t).toISOString();
const BIN = path.resolve("bin/siemlab.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-syslog-cases-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `siemlab features … --sparse` CSV rows as entity → summed count. */
function countsByEntity(csv: string): Map<string, number> {
  const [header, ...rows] = csv.trim().split("\n");
  const cols = header.split(",");
  const m = new Map<string, number>();
  for (const r of rows) {
    const v = r.split(",");
    const entity = v[cols.indexOf("entity")];
    m.set(entity, (m.get(entity) ?? 0) + +v[cols.indexOf("count")]);
  }
  return m;
}

const attempts = (events: readonly LogEvent[]) => events.filter(isFailedAttempt).length;

describe.skipIf(!present)("shared cases (../shared/cases)", () => {
  it("hostless-syslog: no HOSTNAME, with or without <PRI>: host empty, process sshd with its pid", () => {
    const r = parseLogLines(lines("hostless-syslog"), { format: "rfc3164", year: 2024 });
    expect(r.counts).toMatchObject({ read: 4, parsed: 4, rejected: 0 });
    const [a, b, c, d] = r.events;
    expect(a).toMatchObject({ lineNo: 1, process: "sshd", pid: 123, eventType: "failed_password", user: "root", srcIp: "192.0.2.10", srcPort: 4242 });
    expect(b).toMatchObject({ lineNo: 2, process: "sshd", pid: 124, eventType: "invalid_user", user: "guest", srcIp: "192.0.2.11", level: "info" });
    expect(c).toMatchObject({ lineNo: 3, process: "sshd", pid: 8148, eventType: "too_many_auth_failures", user: "root" });
    expect(d).toMatchObject({ lineNo: 4, host: "gateway", process: "sshd", pid: 125, eventType: "failed_password", srcIp: "192.0.2.13" });
    for (const e of [a, b, c]) expect(e.host).toBeUndefined();
  });

  it("hostless-syslog: siemlab features --event failed_password --sparse --year 2024 counts .10 and .13 once each", () => {
    const r = cli(["features", input("hostless-syslog"), "--event", "failed_password", "--sparse", "--year", "2024"]);
    expect(r.code, r.err).toBe(0);
    expect(Object.fromEntries(countsByEntity(r.out))).toEqual({ "192.0.2.10": 1, "192.0.2.13": 1 });
  });

  it("unpadded-day: one-space days and fractional seconds parse; three failures of .40 in one minute; auto-detects as rfc3164", () => {
    const r = parseLogLines(lines("unpadded-day"), { format: "rfc3164", year: 2024 });
    expect(r.counts).toMatchObject({ read: 5, parsed: 5, rejected: 0 });
    expect(iso(r.events[2].time)).toBe("2024-01-05T11:15:05.000Z");
    expect(iso(r.events[4].time)).toBe("2024-01-05T11:15:07.123Z");
    const fails = r.events.filter((e) => e.eventType === "failed_password");
    expect(fails.map((e) => e.lineNo)).toEqual([3, 4, 5]);
    expect(new Set(fails.map((e) => `${e.srcIp} ${Math.floor(e.time / 60000)}`)).size).toBe(1);
    expect(fails[0].srcIp).toBe("192.0.2.40");
    const unpadded = lines("unpadded-day").filter((l) => /^(?:<\d+>)?[A-Z][a-z]{2} \d /.test(l));
    expect(unpadded.length).toBeGreaterThanOrEqual(3);
    expect(detectLogFormat(unpadded).format).toBe("rfc3164");
    expect(parseLogLines(lines("unpadded-day")).format).toBe("rfc3164");
  });

  it("leap-year: read on 2025-03-08 the only year is 2024: four failed passwords from 203.0.113.7, none rejected", () => {
    const r = parseLogLines(lines("leap-year"), { format: "rfc3164", referenceDate: "2025-03-08" });
    expect(r.counts).toMatchObject({ read: 4, parsed: 4, rejected: 0 });
    expect(r.events.map((e) => [e.eventType, e.srcIp])).toEqual(Array(4).fill(["failed_password", "203.0.113.7"]));
    expect(iso(r.events[1].time)).toBe("2024-02-29T00:09:01.000Z");
    expect(r.notes).toMatchObject({ year: 2024, yearSource: "inferred" });
  });

  it("leap-year: the CLI without --year uses the file's modification time, says which year, --year overrides", () => {
    const f = path.join(tmp, "leap.log");
    fs.copyFileSync(input("leap-year"), f);
    fs.utimesSync(f, new Date("2025-03-08T12:00:00Z"), new Date("2025-03-08T12:00:00Z"));
    const r = cli(["features", f, "--event", "failed_password", "--sparse", "--window", "1h"]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/rejected 0/);
    expect(r.err).toMatch(/year 2024: /);
    expect(countsByEntity(r.out).get("203.0.113.7")).toBe(4);
    const given = cli(["features", f, "--event", "failed_password", "--sparse", "--year", "2025"]);
    expect(given.code).toBe(0);
    expect(given.err).toMatch(/rejected 2/); // Feb 29 does not exist in 2025: the user said so
    expect(given.err).not.toMatch(/year 20\d\d: /);
  });

  it("repeated-message: 203.0.113.50 has 1 + 5 = 6 failures in 18:59, 198.51.100.60 has 2; the folded events say so", () => {
    const r = parseLogLines(lines("repeated-message"), { format: "rfc3164", year: 2024 });
    expect(r.counts).toMatchObject({ read: 5, parsed: 5, rejected: 0, folded: 5 });
    const fails = r.events.filter((e) => e.eventType === "failed_password");
    const by = (ip: string) => fails.filter((e) => e.srcIp === ip);
    expect(by("203.0.113.50")).toHaveLength(6);
    expect(by("198.51.100.60")).toHaveLength(2);
    expect(by("203.0.113.50").map((e) => e.folded)).toEqual([undefined, 5, 5, 5, 5, 5]);
    expect(by("203.0.113.50").filter((e) => e.folded).every((e) => e.lineNo === 2 && e.user === "root")).toBe(true);
    // Counters: window counts, a rule "at least 4 failures in 120 s", the attempt count.
    const f = windowCounts(r.events, { by: "srcIp", window: "1m", filter: "failed_password", features: ["count", "failures"], zeroFill: false });
    const row = (ip: string) => f.keys.findIndex((k) => k.entity === ip);
    expect(f.matrix.data[row("203.0.113.50") * 2]).toBe(6);
    expect(f.matrix.data[row("203.0.113.50") * 2 + 1]).toBe(6);
    expect(f.matrix.data[row("198.51.100.60") * 2]).toBe(2);
    const rule = (ip: string) => by(ip).some((e) => by(ip).filter((x) => x.time >= e.time && x.time < e.time + 120_000).length >= 4);
    expect([rule("203.0.113.50"), rule("198.51.100.60")]).toEqual([true, false]);
    expect(attempts(r.events)).toBe(8);
  });

  it("repeated-message: the CLI counts 6 for 203.0.113.50 and reports the folded events", () => {
    const r = cli(["features", input("repeated-message"), "--event", "failed_password", "--sparse", "--year", "2024"]);
    expect(r.code, r.err).toBe(0);
    expect(Object.fromEntries(countsByEntity(r.out))).toEqual({ "203.0.113.50": 6, "198.51.100.60": 2 });
    expect(r.err).toMatch(/5 events from folded lines/);
  });

  it("sshd-variants: every line is ONE failed attempt with its source address", () => {
    const r = parseLogLines(lines("sshd-variants"), { format: "rfc3164", year: 2024 });
    expect(r.counts).toMatchObject({ read: 9, parsed: 9, rejected: 0 });
    expect(r.events.map((e) => [e.lineNo, e.outcome, e.srcIp])).toEqual([
      [1, "failure", "192.0.2.101"], [2, "failure", "192.0.2.102"], [3, "failure", "192.0.2.103"],
      [4, "failure", "2001:db8:cc::1:1"], [5, "failure", "192.0.2.106"], [6, "failure", "192.0.2.108"],
      [7, "failure", "192.0.2.110"], [8, "failure", "192.0.2.111"], [9, "failure", "192.0.2.112"],
    ]);
    expect(attempts(r.events)).toBe(9);
    expect(r.events.map((e) => e.user)).toEqual([
      "operator1", "jdoe", "backup9", "ROOT", undefined, undefined, "admin", "ROOT", "tester from 198.51.100.2 port 55555 ssh2",
    ]);
  });
});

describe("neighbours: other shapes of the same faults", () => {
  const one = (line: string, options = {}) => {
    const r = parseLogLines([line], { format: "rfc3164", year: 2024, ...options });
    expect(r.rejects, line).toEqual([]);
    return r.events[0];
  };

  it("no HOSTNAME: kernel without pid, <PRI> + one-space day, ISO stamp, a tag with a dash", () => {
    expect(one("<6>Jan  5 10:00:00 kernel: [ 12.3] usb 1-1: new device")).toMatchObject({ host: undefined, process: "kernel", level: "info" });
    expect(one("<38>Jan 5 10:00:00 sshd[9]: Failed password for root from 192.0.2.9 port 22 ssh2")).toMatchObject({ host: undefined, pid: 9, srcIp: "192.0.2.9" });
    expect(one("2024-01-05T10:00:00.5Z sshd[9]: Invalid user bob from 192.0.2.9")).toMatchObject({ host: undefined, process: "sshd", eventType: "invalid_user" });
    expect(one("Jan  5 10:00:00 dropbear-auth[17]: message")).toMatchObject({ host: undefined, process: "dropbear-auth", pid: 17 });
    // Control: a host and no tag keeps the host.
    expect(one("Jan  5 10:00:00 nas01 a message without a tag")).toMatchObject({ host: "nas01", process: undefined });
  });

  it("one-space days and fractions: every day 1–9, 1 to 9 fraction digits, the stamp cache across fractions", () => {
    for (let d = 1; d <= 9; d++) expect(iso(one(`Mar ${d} 00:00:00 h app: x`).time)).toBe(`2024-03-0${d}T00:00:00.000Z`);
    expect(iso(one("Mar 9 23:59:59.1 h app: x").time)).toBe("2024-03-09T23:59:59.100Z");
    expect(iso(one("Mar 19 23:59:59.123456789 h app: x").time)).toBe("2024-03-19T23:59:59.123Z");
    const r = parseLogLines(["Mar 9 10:00:00.250 h a: x", "Mar 9 10:00:00.750 h a: y", "Mar 9 10:00:00 h a: z"], { format: "rfc3164", year: 2024 });
    expect(r.events.map((e) => e.time % 1000)).toEqual([250, 750, 0]);
    // Still refused: two-digit day without its space, a fraction without digits, day 0.
    for (const bad of ["Mar 910:00:00 h a: x", "Mar 9 10:00:00. h a: x", "Mar 0 10:00:00 h a: x"]) {
      expect(parseLogLines([bad], { format: "rfc3164", year: 2024 }).counts.rejected, bad).toBe(1);
    }
  });

  it("ISO-8601 stamps in the 3164 place: rsyslog high precision with µs and an offset, with <PRI>, without a zone", () => {
    expect(iso(one("2025-03-06T08:00:00.123456+01:00 web01 sshd[9]: x").time)).toBe("2025-03-06T07:00:00.123Z");
    expect(one("<86>2025-03-06T08:00:00.123456-05:00 web01 sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id")).toMatchObject({
      host: "web01", eventType: "sudo", outcome: "success", user: "alice",
    });
    expect(iso(one("2025-03-06 08:00:00 web01 app: x", { timeZone: "+02:00" }).time)).toBe("2025-03-06T06:00:00.000Z");
  });

  it("year inference: Dec → Jan roll-over ends before the reference; Feb 29 after a roll-over; Feb 29 alone; no valid year", () => {
    const roll = parseLogLines(["Dec 30 10:00:00 h a: x", "Jan  2 10:00:00 h a: y"], { format: "rfc3164", referenceDate: "2025-12-31" });
    // Read on Dec 31: "Dec 30, then Jan 2" cannot end in 2026, so it started in Dec 2024.
    expect(roll.events.map((e) => iso(e.time).slice(0, 10))).toEqual(["2024-12-30", "2025-01-02"]);
    const leapAfterRoll = parseLogLines(["Dec 31 10:00:00 h a: x", "Feb 29 10:00:00 h a: y", "Mar  2 10:00:00 h a: z"], { format: "rfc3164", referenceDate: "2026-01-10" });
    expect(leapAfterRoll.events.map((e) => iso(e.time).slice(0, 10))).toEqual(["2023-12-31", "2024-02-29", "2024-03-02"]);
    const alone = parseLogLines(["Feb 29 12:00:00 h a: x"], { format: "rfc3164", referenceDate: "2023-06-01" });
    expect(iso(alone.events[0].time)).toBe("2020-02-29T12:00:00.000Z");
    expect(alone.notes?.yearReason).toMatch(/^2020: .*Feb 29 needs a leap year/);
    // Not in the future: a line of today is this year, a line of tomorrow last year.
    expect(iso(parseLogLines(["Mar  8 09:00:00 h a: x"], { format: "rfc3164", referenceDate: "2025-03-08T10:00:00Z" }).events[0].time)).toBe("2025-03-08T09:00:00.000Z");
    expect(iso(parseLogLines(["Mar 10 09:00:00 h a: x"], { format: "rfc3164", referenceDate: "2025-03-08T10:00:00Z" }).events[0].time)).toBe("2024-03-10T09:00:00.000Z");
    // Feb 29 four years apart in a roll-over that spans one year cannot both be valid: the impossible line is a reject.
    const none = parseLogLines(
      ["Feb 29 10:00:00 h a: x", "Jul  1 10:00:00 h a: y", "Dec 31 10:00:00 h a: y", "Jan  1 10:00:00 h a: y", "Feb 29 10:00:00 h a: z"],
      { format: "rfc3164", referenceDate: "2025-06-01" },
    );
    expect(none.counts.rejected).toBe(1);
    expect(none.rejects.map((x) => [x.lineNo, x.reason])).toEqual([[5, "invalid date: day 29 does not exist in that month of 2025"]]);
    expect(none.notes?.yearReason).toMatch(/^2024: .*no year makes every Feb 29 valid/);
  });

  it("year inference is bounded: decided on the first `yearLookahead` lines, streaming on after", () => {
    const many = Array.from({ length: 50 }, (_, i) => `Mar  1 10:00:${String(i).padStart(2, "0")} h a: x`);
    const r = parseLogLines(["Feb 29 09:00:00 h a: leap", ...many], { format: "rfc3164", referenceDate: "2025-06-01", yearLookahead: 10 });
    expect(r.counts).toMatchObject({ read: 51, parsed: 51, rejected: 0 });
    expect(new Set(r.events.map((e) => new Date(e.time).getUTCFullYear()))).toEqual(new Set([2024]));
    expect(r.notes?.yearReason).toMatch(/first 10 lines/);
  });

  it("folded lines: sysklogd 'last message repeated', FreeBSD '--- … ---', 1 time, a forged huge count, nothing to repeat", () => {
    const r = parseLogLines([
      "Mar 10 18:59:01 web01 sshd[7]: Failed password for root from 203.0.113.5 port 1 ssh2",
      "Mar 10 18:59:02 web02 cron[8]: (root) CMD (true)",
      "Mar 10 18:59:30 web01 last message repeated 3 times",
      "Mar 10 18:59:31 web02 --- last message repeated 1 time ---",
      "Mar 10 18:59:32 web01 sshd[7]: message repeated 99999999 times: [ Failed password for root from 203.0.113.5 port 1 ssh2]",
      "Mar 10 18:59:33 web03 last message repeated 2 times",
      "Mar 10 18:59:34 web01 sshd[7]: message repeated 2 times: [ Invalid user x from 203.0.113.6]",
    ], { format: "rfc3164", year: 2024, pairAttempts: false });
    const at = (n: number) => r.events.filter((e) => e.lineNo === n);
    expect(at(3)).toHaveLength(3);
    expect(at(3).every((e) => e.eventType === "failed_password" && e.srcIp === "203.0.113.5" && e.folded === 3 && e.host === "web01")).toBe(true);
    expect(iso(at(3)[0].time)).toBe("2024-03-10T18:59:30.000Z");
    expect(at(4)).toMatchObject([{ process: "cron", folded: 1, host: "web02" }]);
    expect(r.rejects.map((x) => [x.lineNo, x.reason.slice(0, 40)])).toEqual([[5, "folded line claims 99999999 repeats, mor"]]);
    expect(at(6).map((e) => [e.eventType, e.folded])).toEqual([["other", undefined]]);
    expect(at(7).map((e) => [e.eventType, e.srcIp, e.folded])).toEqual([["invalid_user", "203.0.113.6", 2], ["invalid_user", "203.0.113.6", 2]]);
    expect(r.counts.events).toBe(1 + 1 + 3 + 1 + 1 + 2);
  });
});

describe("one attempt is one attempt: sshd and PAM records paired", () => {
  const SESSION = [
    "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
    "Dec 10 06:55:46 LabSZ sshd[24200]: input_userauth_request: invalid user webmaster [preauth]",
    "Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown",
    "Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186 ",
    "Dec 10 06:55:47 LabSZ sshd[24300]: Accepted password for alice from 10.0.0.5 port 5000 ssh2",
    "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
    "Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186 [preauth]",
    "Dec 10 07:13:31 LabSZ sshd[24227]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root",
    "Dec 10 07:13:43 LabSZ sshd[24227]: Failed password for root from 5.36.59.76 port 42393 ssh2",
    "Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]",
    "Dec 10 07:14:00 LabSZ sshd[24227]: Disconnecting: Too many authentication failures for root [preauth]",
    "Dec 10 07:14:00 LabSZ sshd[24227]: PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root",
    "Dec 10 08:00:00 LabSZ sshd[25000]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=bob",
    "Dec 10 08:00:01 LabSZ sshd[25001]: Invalid user scanner from 198.51.100.10 port 4000",
    "Dec 10 08:00:01 LabSZ sshd[25001]: Connection closed by invalid user scanner 198.51.100.10 port 4000 [preauth]",
  ];

  it("PAM, check-pass, Invalid user and input_userauth lines are companions of the Failed password; lonely ones count", () => {
    const r = parseLogLines(SESSION, { format: "rfc3164", year: 2015 });
    expect(r.counts).toMatchObject({ read: 15, parsed: 15, rejected: 0, folded: 5, companions: 7 });
    expect(r.events.map((e) => e.lineNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 11, 12, 13, 14, 15]);
    const by = new Map(r.events.map((e) => [e.lineNo, e]));
    expect([1, 2, 3, 4].map((n) => by.get(n)?.companionOf)).toEqual([6, 6, 6, 6]);
    expect(by.get(8)?.companionOf).toBe(9);
    expect([11, 12].map((n) => by.get(n)?.companionOf)).toEqual([10, 10]);
    // A PAM failure with no sshd record (another pid), an Invalid user that closed: one attempt each.
    expect([13, 14].map((n) => by.get(n)?.companionOf)).toEqual([undefined, undefined]);
    // Attempts: webmaster 1, root 1 + 5, bob 1, scanner 1.
    expect(attempts(r.events)).toBe(9);
    expect(r.events.filter((e) => e.outcome === "failure").length).toBe(16);
  });

  it("the failures feature counts attempts once (notebook 05's summary: Loghub's 183.62.140.253 had 141, not 289)", () => {
    const r = parseLogLines(SESSION, { format: "rfc3164", year: 2015 });
    const f = windowCounts(r.events, { by: "srcIp", window: "1h", features: ["failures"], zeroFill: false });
    const get = (ip: string) => f.matrix.data[f.keys.findIndex((k) => k.entity === ip)];
    expect(get("173.234.31.186")).toBe(1);
    expect(get("5.36.59.76")).toBe(6);
  });

  it("pairs the same way while the year is being inferred (lines held for both), and in a lookahead of 3 lines", () => {
    const given = parseLogLines(SESSION, { format: "rfc3164", year: 2015 });
    for (const yearLookahead of [100_000, 3]) {
      const r = parseLogLines(SESSION, { format: "rfc3164", referenceDate: "2016-01-10", yearLookahead });
      expect(r.notes?.year).toBe(2015);
      expect(r.counts).toEqual(given.counts);
      expect(r.events.map((e) => [e.lineNo, e.companionOf, e.time])).toEqual(given.events.map((e) => [e.lineNo, e.companionOf, e.time]));
    }
  });

  it("counts list folded before companions whichever shows first (the order a parallel read merges them in)", () => {
    const pairFirst = [
      "Dec 10 08:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=bob",
      "Dec 10 08:00:01 h sshd[1]: Failed password for bob from 192.0.2.1 port 1 ssh2",
      "Dec 10 08:00:02 h sshd[2]: message repeated 2 times: [ Failed password for bob from 192.0.2.1 port 1 ssh2]",
    ];
    for (const lines of [pairFirst, [pairFirst[2], pairFirst[0], pairFirst[1]]]) {
      const c = parseLogLines(lines, { format: "rfc3164", year: 2015 }).counts;
      expect(Object.keys(c).slice(-2)).toEqual(["folded", "companions"]);
      expect([c.folded, c.companions]).toEqual([2, 1]);
    }
  });

  it("without pairing (pairAttempts: false) every record stands alone", () => {
    const r = parseLogLines(SESSION, { format: "rfc3164", year: 2015, pairAttempts: false });
    expect(r.counts.companions).toBeUndefined();
    expect(attempts(r.events)).toBe(16);
  });

  it("a PAM line waits at most a minute of log time, and the stream keeps every line", () => {
    const r = parseLogLines([
      "Dec 10 08:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=bob",
      "Dec 10 08:05:00 h sshd[1]: Failed password for bob from 192.0.2.1 port 1 ssh2",
    ], { format: "rfc3164", year: 2015 });
    expect(r.events.map((e) => e.companionOf)).toEqual([undefined, undefined]);
    expect(attempts(r.events)).toBe(2);
  });
});

describe("named time zones keep the lines settled late", () => {
  it("--tz Europe/Berlin with year inference, pairing and folds: every line accounted for, times moved once", () => {
    const lines = [
      "Jul  1 12:00:00 gw sshd[200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.50  user=root",
      "Jul  1 12:00:02 gw sshd[200]: Failed password for root from 203.0.113.50 port 1 ssh2",
      "Jul  1 12:00:30 gw sshd[200]: message repeated 2 times: [ Failed password for root from 203.0.113.50 port 1 ssh2]",
      "2024-07-01T12:00:40+02:00 gw sshd[201]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=bob",
    ];
    const r = parseLogLines(lines, { format: "rfc3164", timeZone: "Europe/Berlin", referenceDate: "2024-08-01" });
    expect(r.counts).toMatchObject({ read: 4, parsed: 4, rejected: 0, events: 5, companions: 1, folded: 2 });
    expect(r.events.map((e) => [e.lineNo, iso(e.time)])).toEqual([
      [1, "2024-07-01T10:00:00.000Z"], [2, "2024-07-01T10:00:02.000Z"], [3, "2024-07-01T10:00:30.000Z"],
      [3, "2024-07-01T10:00:30.000Z"], [4, "2024-07-01T10:00:40.000Z"],
    ]);
    expect(r.notes?.year).toBe(2024);
    const given = parseLogLines(lines, { format: "rfc3164", timeZone: "Europe/Berlin", year: 2024 });
    expect(given.events.map((e) => [e.lineNo, e.time, e.companionOf])).toEqual(r.events.map((e) => [e.lineNo, e.time, e.companionOf]));
  });
});
