/**
 * The hand-written fast paths of classifyAuthMessage (Failed/Accepted password, Invalid user, Connection
 * closed/reset, Received disconnect, pam_unix authentication failure and session opened/closed) against the
 * general path (the regular expressions alone, setAuthFastPaths(false)), message for message: the same
 * result, keys in the same order, undefined values included. Messages: every line of the auth corpus, of
 * data/sim/auth.log and of the Loghub OpenSSH and Linux samples (when present), and generated neighbours of
 * each simple shape (injected " from X port N" text, odd spacing, ports 0 / 65535 / 65536 / 99999999, IPv6,
 * host names, [preauth] absent / doubled, trailing text, empty fields, non-ASCII, tabs and line terminators,
 * very long fields, every truncation, seeded random edits).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type AuthFacts, classifyAuthMessage, fastClassify, setAuthFastPaths } from "../../src/ingest/auth-events";
import { loghubFile, loghubPresent } from "./csv-fixture";

const PROCESSES = ["sshd", "sshd(pam_unix)", "su", undefined] as const;

function general(process: string | undefined, message: string): AuthFacts {
  const was = setAuthFastPaths(false);
  try {
    return classifyAuthMessage(process, message);
  } finally {
    setAuthFastPaths(was);
  }
}

/** An exact picture of a result: keys in order, undefined kept apart from null, `fields` likewise. */
function picture(f: AuthFacts | undefined): string {
  if (f === undefined) return "undefined";
  const entries = Object.entries(f).map(([k, v]) => [k, v !== null && typeof v === "object" ? Object.entries(v) : v]);
  return JSON.stringify(entries, (_k, v: unknown) => (v === undefined ? "<undefined>" : v));
}

interface Tally {
  compared: number;
  fast: number;
  mismatches: string[];
}

/** Each message with each process: classifyAuthMessage with and without the fast paths, and the fast dispatcher alone. */
function compareAll(messages: Iterable<string>, processes: readonly (string | undefined)[] = PROCESSES): Tally {
  const t: Tally = { compared: 0, fast: 0, mismatches: [] };
  for (const m of messages) {
    for (const p of processes) {
      const want = picture(general(p, m));
      const got = picture(classifyAuthMessage(p, m));
      const f = fastClassify(p, m);
      t.compared++;
      if (f !== undefined) t.fast++;
      if (got !== want || (f !== undefined && picture(f) !== want)) {
        if (t.mismatches.length < 20) t.mismatches.push(`${JSON.stringify(p)} ${JSON.stringify(m)}\n  fast:    ${got}\n  fast(d): ${picture(f)}\n  general: ${want}`);
      }
    }
  }
  return t;
}

/** Candidate messages of a log line: the text after each ": " (the first few), after "]: " included. */
function messagesOf(line: string): string[] {
  const out: string[] = [];
  let k = line.indexOf(": ");
  for (let i = 0; k >= 0 && i < 4; i++) {
    out.push(line.slice(k + 2));
    k = line.indexOf(": ", k + 1);
  }
  return out;
}

const users = [
  "root", "", " ", "a b", "x from 9.9.9.9 port 1", "x from 9.9.9.9 port 1 ssh2", "from", "from 1.2.3.4", "invalid user bob",
  "illegal user x", "rené", "日本", "a\tb", "a\nb", "a\rb", "a\u2028b", "a\u2029b", "a\u00a0b", "user=x", "(uid=0)",
  "a(uid=5)", "a(uid=)", "port", "port 22", "[preauth]", "a:b", "by", "x by y", "user", "authenticating", "x".repeat(3000),
];
const ips = [
  "1.2.3.4", "::1", "fe80::1%eth0", "2001:db8::1", "1:22", "host.example.com", "from", "port", "1.2.3.4:", "", "é.com",
  "a\tb", "a\u00a0b", "[preauth]", "1.2.3.4 port 9", ";user=x", "xuser=y", "1.2.3.4  user=z", "9".repeat(2000),
];
const ports = ["22", "11", "0", "65535", "65536", "99999999", "00022", "", "1a", "999999999999999999999", "-1"];

/** Templates of the simple shapes, with U, IP and P slots. */
const templates: ((u: string, ip: string, p: string) => string)[] = [
  (u, ip, p) => `Failed password for ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Failed password for ${u} from ${ip} port ${p}`,
  (u, ip, p) => `Failed password for invalid user ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Accepted password for ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Accepted password for invalid user ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Invalid user ${u} from ${ip}`,
  (u, ip, p) => `Invalid user ${u} from ${ip} port ${p}`,
  (u, ip, p) => `Illegal user ${u} from ${ip} port ${p}`,
  (_u, ip) => `Connection closed by ${ip} [preauth]`,
  (_u, ip) => `Connection closed by ${ip}`,
  (_u, ip, p) => `Connection closed by ${ip} port ${p} [preauth]`,
  (_u, ip, p) => `Connection reset by ${ip} port ${p}`,
  (u, ip, p) => `Connection closed by authenticating user ${u} ${ip} port ${p} [preauth]`,
  (u, ip, p) => `Connection closed by invalid user ${u} ${ip} port ${p} [preauth]`,
  (u, ip, p) => `Connection closed by user ${u} ${ip} port ${p}`,
  (u, ip) => `Received disconnect from ${ip}: 11: Bye Bye ${u} [preauth]`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}:11: disconnected by ${u}`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}: ${p}: ${u}`,
  (_u, ip) => `Received disconnect from ${ip}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]`,
  (_u, ip, p) => `Received disconnect from ${ip}: ${p}: Bye Bye [preauth]`,
  (_u, ip) => `Received disconnect from ${ip}: 11: Bye Bye [preauth]`,
  (_u, ip) => `Received disconnect from ${ip}: 11: Bye Bye`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}:11: Bye Bye [preauth]`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}: 11: Bye Bye`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}:11: Bye Bye`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}:${p}: Bye Bye${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=${u} rhost=${ip}`,
  (u, ip, p) => `pam_unix(${p}:auth): authentication failure; rhost=${ip} user=${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip} user=${u} user=${ip}`,
  (u, ip, p) => `pam_unix(sshd:auth): authentication failure; logname= uid=${p} euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`,
  (u) => `pam_unix(sshd:session): session opened for user ${u} by (uid=0)`,
  (u, ip) => `pam_unix(sshd:session): session opened for user ${u} by (uid=0)${ip}`,
  (u, _ip, p) => `pam_unix(sshd:session): session opened for user ${u} by (uid=${p})`,
  (u, _ip, p) => `pam_unix(sshd:session): session opened for user ${u}(uid=${p}) by ${u}(uid=${p})`,
  (u, ip) => `pam_unix(cron:session): session opened for user ${u} by ${ip}`,
  (u) => `pam_unix(sshd:session): session closed for user ${u}`,
  (u, ip) => `pam_unix(sudo:session): session closed for user ${u} ${ip}`,
];

/** The simple lines themselves (plain slot values): the fast paths must take each of them. */
const simple = templates.map((t) => t("root", "1.2.3.4", "22"));

/** Small variations of a line: spaces doubled or dropped one at a time, case of the first letter, suffixes. */
function variations(m: string): string[] {
  const out = [m, m.toLowerCase(), m[0].toLowerCase() + m.slice(1), m[0].toUpperCase() + m.slice(1), " " + m];
  for (const suffix of [" ", "  ", " [preauth]", " [preauth] [preauth]", ": extra", " ssh2", " ssh", " ssh2: x", "\n", "\r", "\t", "é", " from 1.2.3.4 port 22"]) out.push(m + suffix);
  for (let i = m.indexOf(" "); i >= 0; i = m.indexOf(" ", i + 1)) {
    out.push(m.slice(0, i) + "  " + m.slice(i + 1), m.slice(0, i) + m.slice(i + 1), m.slice(0, i) + "\t" + m.slice(i + 1));
  }
  return out;
}

/** Seeded random edits of the simple lines (insert a token, delete a range, replace a character). */
function mutations(seed: number, n: number): string[] {
  const tokens = [
    " ", "  ", " from ", "from", " port ", "port", "22", "65536", ":", ": ", " [preauth]", "[preauth]", "user ", "invalid ",
    "authenticating ", "\t", "\n", "\r", "\u2028", "é", "日", "(uid=0)", "(uid=", " by ", "rhost=", "user=", ")", "(", "ssh2", "0", "9", "_",
  ];
  let x = seed >>> 0;
  const rand = (k: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let m = simple[rand(simple.length)];
    for (let e = 1 + rand(3); e > 0; e--) {
      const at = rand(m.length + 1);
      const op = rand(3);
      if (op === 0) m = m.slice(0, at) + tokens[rand(tokens.length)] + m.slice(at);
      else if (op === 1) m = m.slice(0, at) + m.slice(at + 1 + rand(5));
      else m = m.slice(0, at) + tokens[rand(tokens.length)][0] + m.slice(at + 1);
    }
    out.push(m);
  }
  return out;
}

function expectSame(t: Tally): void {
  expect(t.mismatches, t.mismatches.join("\n")).toEqual([]);
}

describe("auth fast paths = the general (regular-expression) path, message for message", () => {
  it("each simple shape is taken by a fast path (so the comparisons below compare something)", () => {
    for (const m of simple) expect(fastClassify("sshd", m), m).toBeDefined();
    expect(simple.length).toBeGreaterThan(20);
  });

  it("generated neighbours: every slot value in every template", () => {
    const msgs: string[] = [];
    for (const t of templates) for (const u of users) for (const ip of ips) for (const p of ports) msgs.push(t(u, ip, p));
    // (sshd for its own shapes, no process for pam_unix's; every process in the other tests)
    const t = compareAll(msgs, ["sshd", undefined]);
    expectSame(t);
    expect(t.compared).toBe(msgs.length * 2);
    expect(t.fast).toBeGreaterThan(5000);
  }, 120_000);

  it("small variations and every truncation of each simple line", () => {
    const msgs: string[] = [];
    for (const m of simple) {
      for (const v of variations(m)) msgs.push(v);
      for (let k = 0; k <= m.length; k++) msgs.push(m.slice(0, k), m.slice(k));
    }
    const t = compareAll(msgs);
    expectSame(t);
    expect(t.fast).toBeGreaterThan(200);
  }, 120_000);

  it("seeded random edits of the simple lines", () => {
    const t = compareAll(mutations(7, 40_000));
    expectSame(t);
    expect(t.fast).toBeGreaterThan(10_000);
  }, 120_000);

  it("every message of the auth corpus (test/ingest/corpus/auth.jsonl) and of data/sim/auth.log", () => {
    const corpus = fs
      .readFileSync(path.resolve(__dirname, "corpus/auth.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => (JSON.parse(l) as { line: string }).line);
    const sim = fs.readFileSync(path.resolve(__dirname, "../../data/sim/auth.log"), "utf8").split(/\r?\n/).filter((l) => l !== "");
    const msgs = [...corpus, ...sim].flatMap(messagesOf);
    const t = compareAll(msgs);
    expectSame(t);
    expect(corpus.length).toBeGreaterThan(100);
    expect(t.fast).toBeGreaterThan(100);
  }, 120_000);

  it.skipIf(!loghubPresent)("every message of the Loghub OpenSSH and Linux samples", () => {
    // (the samples have CRLF line ends; a message with a trailing CR is among the generated variations above)
    const lines = ["OpenSSH", "Linux"].flatMap((s) => fs.readFileSync(loghubFile(s), "utf8").split(/\r?\n/).filter((l) => l !== ""));
    const t = compareAll(lines.flatMap(messagesOf));
    expectSame(t);
    expect(lines.length).toBe(4000);
    expect(t.fast).toBeGreaterThan(2500);
  }, 120_000);
  if (!loghubPresent) console.warn("auth-fast-path.test: Loghub samples absent (../shared/datasets): their comparison is skipped");
});
