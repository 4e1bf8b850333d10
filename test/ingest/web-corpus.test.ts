import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLogLines, type ParseLogOptions } from "../../src/ingest/parse-log";

/**
 * The web-log and JSON-lines conformance corpus: one real-world line shape per line of
 * test/ingest/corpus/web.jsonl, `{shape, format, line, options?, expected | reject}`. `expected` names the
 * event fields that must hold (eventType, outcome, user, srcIp, srcPort; status, method, path from
 * `fields`; time as ISO 8601 UTC), null meaning "absent"; `reject` is a substring of the reject reason.
 */
interface CorpusCase {
  readonly shape: string;
  readonly format: string;
  readonly line: string;
  readonly options?: ParseLogOptions;
  readonly expected?: Readonly<Record<string, string | number | null>>;
  readonly reject?: string;
}

const cases: CorpusCase[] = fs
  .readFileSync("test/ingest/corpus/web.jsonl", "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));

const EVENT_KEYS = new Set(["eventType", "outcome", "user", "srcIp", "srcPort"]);
const FIELD_KEYS = new Set(["status", "method", "path"]);

describe("web and JSON-lines conformance corpus", () => {
  it("has at least 40 shapes, each with an expectation or a reject reason", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(c.expected !== undefined || c.reject !== undefined, c.shape).toBe(true);
    expect(new Set(cases.map((c) => c.format))).toEqual(new Set(["combined", "apache-error", "jsonl"]));
  });

  it.each(cases.map((c) => [`${c.format}: ${c.shape}`, c] as const))("%s", (_, c) => {
    const r = parseLogLines([c.line], { ...c.options, format: c.format });
    if (c.reject !== undefined) {
      expect(r.events).toEqual([]);
      expect(r.rejects[0].lineNo).toBe(1);
      expect(r.rejects[0].reason).toContain(c.reject);
      return;
    }
    expect(r.rejects).toEqual([]);
    const e = r.events[0];
    for (const [k, want] of Object.entries(c.expected!)) {
      let got: unknown;
      if (EVENT_KEYS.has(k)) got = (e as unknown as Record<string, unknown>)[k];
      else if (FIELD_KEYS.has(k)) got = e.fields?.[k];
      else if (k === "time") got = Number.isFinite(e.time) ? new Date(e.time).toISOString() : null;
      else throw new Error(`unknown expected key ${k} in corpus shape ${c.shape}`);
      expect(got ?? null, `${k} of ${c.shape}`).toEqual(want);
    }
  });

  it("auto-detection picks the corpus format for each accepted shape", () => {
    for (const c of cases) {
      if (c.reject !== undefined || c.options !== undefined) continue;
      expect(parseLogLines([c.line], { format: "auto" }).format, c.shape).toBe(c.format);
    }
  });
});
