/**
 * The WebAssembly line scanner (assembly/line-scan.ts, loaded by src/ingest/line-scan.ts) against the JavaScript
 * parser alone (setLineScanner(false)): whole files parsed both ways give the same events (keys in order,
 * undefined kept), rejects and counts. Lines: every shape of the classifier's fast paths and their generated
 * neighbours (test/ingest/auth-shapes.ts) under many headers (hosts that look like folds, tags with odd pids,
 * stamps with one-space days, fractions, impossible dates, no host, <PRI>, RFC 3339), CRLF and CR-only files,
 * pieces with non-ASCII bytes, truncated lines, year inference with Feb 29, folds and pairing; the corpus,
 * data/sim/auth.log, the shared cases and Loghub samples; one and three threads. Also: the committed module is
 * what the source compiles to.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { featurizeLog } from "../../src/features/featurize-log";
import { setAuthFastPaths } from "../../src/ingest/auth-events";
import { getLogFormat } from "../../src/ingest/formats";
import { lineScanner, SCAN_RECORD, setLineScanner } from "../../src/ingest/line-scan";
import { parseLog, type ParseLogOptions } from "../../src/ingest/parse-log";
import { LineSplitter } from "../../src/ingest/read-lines";
import { generalOnlyTemplates, ips, mutations, ports, simple, templates, users, variations } from "./auth-shapes";
import { loghubFile, loghubPresent } from "./csv-fixture";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-line-scan-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An exact picture of a parse: events (keys in order, undefined apart from null), rejects, counts, notes. */
function picture(r: Awaited<ReturnType<typeof parseLog>>): string {
  // (whether `fields` is a shared frozen object, too: a caller that writes into it must see the same either way)
  const events = r.events.map((e) => ({ ...e, fieldsFrozen: e.fields === undefined ? null : Object.isFrozen(e.fields) }));
  return JSON.stringify({ ...r, events }, (_k, v: unknown) => (v === undefined ? "<undefined>" : v));
}

async function parseWith(scanner: boolean, file: string, options: ParseLogOptions): Promise<string> {
  const was = setLineScanner(scanner);
  try {
    return picture(await parseLog(file, options));
  } finally {
    setLineScanner(was);
  }
}

/** How many lines of a file the scanner reads (status 1), as the parser's reader cuts it. */
function scannedLines(file: string): { lines: number; scanned: number } {
  const splitter = new LineSplitter(65536);
  splitter.scanner = lineScanner();
  const bytes = fs.readFileSync(file);
  let lines = 0;
  let scanned = 0;
  const count = (b: ReturnType<LineSplitter["push"]>) => {
    if (b === undefined) return;
    lines += b.texts.length;
    if (b.scan !== undefined) for (let i = 0; i < b.texts.length; i++) if (b.scan[i * SCAN_RECORD] === 1) scanned++;
  };
  for (let i = 0; i < bytes.length; i += 262144) count(splitter.push(bytes.subarray(i, i + 262144)));
  count(splitter.end(false));
  return { lines, scanned };
}

/** Parse `file` with and without the scanner: the same picture; returns it. */
async function expectSameParse(file: string, options: ParseLogOptions = { format: "rfc3164", year: 2025 }): Promise<string> {
  const want = await parseWith(false, file, options);
  const got = await parseWith(true, file, options);
  if (got !== want) {
    // Name the first line that differs (the whole pictures are too long to read).
    const a = JSON.parse(want) as { events: { lineNo: number }[] };
    const b = JSON.parse(got) as { events: { lineNo: number }[] };
    const i = a.events.findIndex((e, k) => JSON.stringify(e) !== JSON.stringify(b.events[k]));
    expect(JSON.stringify(b.events[i]), `event ${i} of ${file}`).toBe(JSON.stringify(a.events[i]));
  }
  expect(got).toBe(want);
  return got;
}

const HEADERS = [
  "Dec 10 06:55:46 LabSZ sshd[24200]: ",
  "Dec 10 06:55:46 LabSZ sshd[24201]: ",
  "Dec 10 06:55:47 LabSY sshd[24201]: ",
  "Dec 10 06:55:47 LabSY sshe[24201]: ",
  "Jan  5 00:00:00 localhost sshd[1]: ",
  "Jan 5 10:00:00 h sshd[1]: ",
  "Jan 05 23:59:59 h sshd[1]: ",
  "Feb 29 12:00:00 h sshd[7]: ",
  "Feb 30 12:00:00 h sshd[7]: ",
  "Mar  6 24:00:00 h sshd[1]: ",
  "Mar  6 10:61:00 h sshd[1]: ",
  "Mar  6 10:00:60 h sshd[1]: ",
  "Mar  6 10:00:00.123456 h sshd[1]: ",
  "Apr  1 10:00:00 last sshd[1]: ",
  "Apr  1 10:00:00 last message repeated 3 times",
  "Apr  1 10:00:00 --- last message repeated 2 times ---",
  "Apr  1 10:00:00 sshd[5]: ",
  "Apr  1 10:00:00 h sshd: ",
  "Apr  1 10:00:00 h sshd(pam_unix)[12]: ",
  "Apr  1 10:00:00 h sshd-session[12]: ",
  "Apr  1 10:00:00 h sshdx[12]: ",
  "Apr  1 10:00:00 h ssh[12]: ",
  "Apr  1 10:00:00 h su[1]: ",
  "Apr  1 10:00:00 h x y[1]: ",
  "Apr  1 10:00:00 h  sshd[1]: ",
  "Apr  1 10:00:00 h sshd[]: ",
  "Apr  1 10:00:00 h sshd[1234567890]: ",
  "Apr  1 10:00:00 h sshd[12345678901]: ",
  "Apr  1 10:00:00 h [1]: ",
  "Apr  1 10:00:00 h sshd[1] : ",
  "Apr  1 10:00:00 h sshd[1]:",
  "Apr  1 10:00:00 h sshd[a1]: ",
  "Apr  1 10:00:00 h :",
  "apr  1 10:00:00 h sshd[1]: ",
  "Foo  1 10:00:00 h sshd[1]: ",
  "<38>Apr  1 10:00:00 h sshd[1]: ",
  "2025-04-01T10:00:00.5+02:00 h sshd[1]: ",
  "2025-04-01T10:00:00.123456+01:00 LabSZ sshd[1]: ",
  "2025-04-01T10:00:00.123456+01:00 LabSZ sshd[2]: ",
  "2025-04-01 10:00:00 LabSZ sshd[2]: ",
  "2025-04-01T10:00:00Z h sshd[2]: ",
  "2025-04-01T10:00:00-0530 h sshd[2]: ",
  "2025-04-01T10:00:00.0005Z h sshd[2]: ",
  "2025-04-01T10:00:00.1235Z h sshd[2]: ",
  "2025-04-01T10:00:00.0015+00:00 h sshd[2]: ",
  "2025-04-01T23:59:59.9995Z h sshd[2]: ",
  "2025-04-01T23:59:59.999999999Z h sshd[2]: ",
  "2025-04-01T10:00:00.1234567890Z h sshd[2]: ",
  "2025-04-01T10:00:00.+01:00 h sshd[2]: ",
  "2025-04-01T10:00:00+01:0 h sshd[2]: ",
  "2025-04-01T10:00:00+01 h sshd[2]: ",
  "2025-04-01T23:59:60Z h sshd[2]: ",
  "2025-04-01t10:00:00Z h sshd[2]: ",
  "2025-02-29T10:00:00Z h sshd[2]: ",
  "2024-02-29T10:00:00Z h sshd[2]: ",
  "2025-13-01T10:00:00Z h sshd[2]: ",
  "2025-00-10T10:00:00Z h sshd[2]: ",
  "2025-04-31T10:00:00Z h sshd[2]: ",
  "2025-04-01T24:00:00Z h sshd[2]: ",
  "0099-04-01T10:00:00Z h sshd[2]: ",
  "2025-4-01T10:00:00Z h sshd[2]: ",
  "May 31 10:00:00 h:x sshd[1]: ",
  "Jun 30 10:00:00 " + "h".repeat(70) + " sshd[1]: ",
  "Jul  4 10:00:00 h " + "t".repeat(70) + "[1]: ",
];

/** Lines of every header with every message, plus folds and blank lines; seeded order. */
function linesOf(messages: readonly string[], seed: number): string[] {
  const out: string[] = [];
  let x = seed >>> 0;
  const rand = (k: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
  for (const m of messages) {
    out.push(HEADERS[rand(4)] + m); // mostly the first four headers: runs of the same host and tag, and neighbours of them
    out.push(HEADERS[rand(HEADERS.length)] + m);
    if (rand(50) === 0) out.push(HEADERS[0] + "message repeated 3 times: [ " + m + "]", "", HEADERS[rand(HEADERS.length)]);
  }
  return out;
}

/** A file of `lines` with line end `eol`; returns its path. */
function write(name: string, lines: readonly string[], eol = "\n"): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join(eol) + eol);
  return file;
}

/** Messages of the generated shapes whose characters are one byte each (the scanner reads only those). */
function generated(): string[] {
  const msgs: string[] = [];
  for (const t of [...templates, ...generalOnlyTemplates]) for (const u of users) for (const ip of ips) for (const p of ports) msgs.push(t(u, ip, p));
  for (const t of generalOnlyTemplates) {
    const m = t("root", "1.2.3.4", "22");
    for (const v of variations(m)) msgs.push(v);
    for (let k = 0; k <= m.length; k += 3) msgs.push(m.slice(0, k), m.slice(k));
  }
  for (const m of simple) {
    for (const v of variations(m)) msgs.push(v);
    for (let k = 0; k <= m.length; k += 3) msgs.push(m.slice(0, k), m.slice(k));
  }
  msgs.push(...mutations(11, 20_000));
  // Lines stay lines: a generated LF or CR inside a message would cut it (the pieces with them are tested below).
  return msgs.map((m) => m.replace(/[\n\r]/g, " ")).filter((m) => m.length < 2000);
}

describe("WebAssembly line scanner = the JavaScript parser alone", () => {
  it("the committed module is what assembly/line-scan.ts compiles to (npm run build:wasm)", () => {
    execFileSync(process.execPath, [path.join(root, "scripts/build-wasm.js"), "--check"], { cwd: root, stdio: "pipe" });
  }, 120_000);

  it("scans most lines of a busy auth.log and leaves the others to JavaScript", () => {
    const file = write("plain.log", linesOf(Array.from({ length: 20 }, () => simple).flat(), 1));
    const { lines, scanned } = scannedLines(file);
    expect(lines).toBeGreaterThanOrEqual(40 * simple.length);
    expect(scanned).toBeGreaterThan(lines * 0.6);
    expect(scanned).toBeLessThan(lines); // (folds, <PRI>, RFC 3339 stamps and the other odd headers are not scanned)
  });

  it("RFC 3339 stamps (rsyslog's high-precision format) are scanned too", () => {
    const file = write("iso.log", simple.map((m, i) => `2025-04-01T10:00:${String(i % 60).padStart(2, "0")}.${String(i * 7919).padStart(6, "0")}+01:00 LabSZ sshd[${i}]: ${m}`));
    const splitter = new LineSplitter(65536);
    splitter.scanner = lineScanner();
    const b = splitter.push(fs.readFileSync(file));
    const statuses = (b?.texts ?? []).map((_t, i) => b?.scan?.[i * SCAN_RECORD]);
    expect(statuses.length).toBe(simple.length);
    expect(statuses.every((x) => x === 2)).toBe(true);
  });

  it("generated shapes and neighbours under every header, LF, CRLF and CR-only files (pieces and chunks crossed)", async () => {
    const ascii = generated().filter((m) => /^[\x20-\x7e]*$/.test(m));
    const lines = linesOf(ascii, 2);
    expect(lines.length).toBeGreaterThan(40_000);
    for (const [name, eol] of [["lf.log", "\n"], ["crlf.log", "\r\n"], ["cr.log", "\r"]] as const) {
      const file = write(name, lines, eol);
      const { scanned } = scannedLines(file);
      if (eol !== "\r") expect(scanned, name).toBeGreaterThan(lines.length / 3);
      await expectSameParse(file);
    }
  }, 300_000);

  it("messages with tabs, controls and non-ASCII characters (their pieces are read in JavaScript), and every other generated one", async () => {
    const lines = linesOf(generated(), 3);
    await expectSameParse(write("mixed.log", lines));
  }, 300_000);

  it("the same with the classifier's fast paths off (the scanner's classifications are then not used)", async () => {
    const file = write("fast-off.log", linesOf(simple.concat(mutations(5, 3000)), 4));
    const was = setAuthFastPaths(false);
    try {
      await expectSameParse(file);
    } finally {
      setAuthFastPaths(was);
    }
  }, 120_000);

  it("year inference (Feb 29, a Dec → Jan roll-over), lines cut by maxLineLength, pairing off, a zone with DST", async () => {
    // (a named zone wraps the parser: the wrapper passes scanned lines on)
    expect(getLogFormat("rfc3164").createParser({ year: 2024, timeZone: "America/New_York" }).parseScanned).toBeDefined();
    const lines = linesOf(simple, 5);
    const file = write("year.log", [...lines, "Dec 31 23:59:59 h sshd[1]: " + simple[0], "Jan  1 00:00:01 h sshd[1]: " + simple[1], ...lines]);
    await expectSameParse(file, { format: "rfc3164", referenceDate: "2026-06-01" });
    await expectSameParse(file, { format: "rfc3164", referenceDate: "2025-01-01", yearLookahead: 10 });
    await expectSameParse(file, { format: "rfc3164", year: 2024, maxLineLength: 60 });
    await expectSameParse(file, { format: "rfc3164", year: 2024, pairAttempts: false, timeZone: "America/New_York" });
  }, 120_000);

  it("data/sim/auth.log, the auth corpus as a log, and the shared cases of syslog files", async () => {
    await expectSameParse(path.join(root, "data/sim/auth.log"));
    const corpus = fs
      .readFileSync(path.join(__dirname, "corpus/auth.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => (JSON.parse(l) as { line: string }).line);
    await expectSameParse(write("corpus.log", corpus));
    const cases = path.resolve(root, "../shared/cases");
    for (const c of ["hostless-syslog", "leap-year", "repeated-message", "sshd-variants", "unpadded-day"]) {
      const file = path.join(cases, c, "input.log");
      if (fs.existsSync(file)) await expectSameParse(file, { format: "rfc3164", referenceDate: "2026-06-01" });
    }
  }, 120_000);

  it.skipIf(!loghubPresent)("the Loghub OpenSSH and Linux samples (CRLF)", async () => {
    for (const s of ["OpenSSH", "Linux"]) {
      const file = loghubFile(s);
      expect(scannedLines(file).scanned).toBeGreaterThan(1900);
      await expectSameParse(file, { format: "rfc3164", year: 2015 });
    }
  }, 120_000);

  it("a runtime without WebAssembly (node --jitless) reads every line in JavaScript: the same events, and doctor's reason", () => {
    const script = `
      const { lineScannerProblem } = require(${JSON.stringify(path.join(root, "dist/ingest/line-scan.js"))});
      const { parseLog } = require(${JSON.stringify(path.join(root, "dist/ingest/parse-log.js"))});
      parseLog(${JSON.stringify(path.join(root, "data/sim/auth.log"))}, { format: "rfc3164", year: 2025 })
        .then((r) => process.stdout.write(JSON.stringify({ problem: lineScannerProblem(), events: r.events })));`;
    const run = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    const without = run(["--jitless"]);
    const withScanner = run([]);
    expect(without.problem).toMatch(/\S/);
    expect(withScanner.problem).toBeUndefined();
    expect(without.events.length).toBe(1235);
    expect(JSON.stringify(without.events)).toBe(JSON.stringify(withScanner.events));
  }, 120_000);

  it("three worker threads (each with its own scanner) count what one thread without it counts", async () => {
    const file = write("threads.log", linesOf(simple.concat(mutations(9, 4000)), 6));
    const run = async (threads: number) => {
      const r = await featurizeLog(file, { threads, parse: { format: "rfc3164", year: 2025, chunkSize: 65536 }, window: { by: "srcIp", window: "1m", zeroFill: false } });
      return JSON.stringify({ counts: r.summary.counts, notes: r.summary.notes, features: r.features });
    };
    const was = setLineScanner(false);
    let want: string;
    try {
      want = await run(1);
    } finally {
      setLineScanner(was);
    }
    expect(await run(3)).toBe(want);
    expect(JSON.parse(want).counts.read).toBeGreaterThan(8000);
  }, 120_000);
});
