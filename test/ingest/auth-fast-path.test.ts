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
import { ips, messagesOf, mutations, ports, simple, templates, users, variations } from "./auth-shapes";

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
