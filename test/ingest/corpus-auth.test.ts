/**
 * Conformance corpus of real-world auth line shapes (sshd, PAM, sudo, su, login, syslog headers):
 * test/ingest/corpus/auth.jsonl, one JSON object a line — `shape` (what it is), `format`, `line`, optional
 * `year` / `referenceDate`, and either `expect` (eventType, outcome, user, srcIp, srcPort, host, process; a
 * field left out must come out undefined) or `reject` (a part of the reject reason).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLogLines } from "../../src/ingest/parse-log";

interface Case {
  readonly shape: string;
  readonly format: string;
  readonly line: string;
  readonly year?: number;
  readonly referenceDate?: string;
  readonly expect?: Readonly<Record<string, string | number>>;
  readonly reject?: string;
}

const FIELDS = ["eventType", "outcome", "user", "srcIp", "srcPort", "host", "process"] as const;
const cases: Case[] = fs
  .readFileSync(path.join(__dirname, "corpus", "auth.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Case);

describe("auth conformance corpus (corpus/auth.jsonl)", () => {
  it("holds at least 110 distinct line shapes, each with an expectation", () => {
    expect(cases.length).toBeGreaterThanOrEqual(110);
    expect(new Set(cases.map((c) => c.shape)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => c.line)).size).toBe(cases.length);
    for (const c of cases) expect(c.expect !== undefined || c.reject !== undefined, c.shape).toBe(true);
  });

  for (const c of cases) {
    it(c.shape, () => {
      const r = parseLogLines([c.line], { format: c.format, year: c.year, referenceDate: c.referenceDate });
      expect(r.counts.parsed + r.counts.rejected).toBe(1);
      if (c.reject !== undefined) {
        expect(r.rejects.map((x) => x.lineNo), c.line).toEqual([1]);
        expect(r.rejects[0].reason).toContain(c.reject);
        return;
      }
      expect(r.rejects, c.line).toEqual([]);
      const e = r.events[0];
      const got = Object.fromEntries(FIELDS.map((f) => [f, e[f]]));
      const want = Object.fromEntries(FIELDS.map((f) => [f, c.expect?.[f]]));
      expect(got, c.line).toEqual(want);
    });
  }
});
