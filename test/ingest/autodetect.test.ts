import { describe, expect, it } from "vitest";
import { detectLogFormat, parseLogLines } from "../../src/ingest/parse-log";
import { casePresent, readCase } from "./cases-dir";

describe.skipIf(!casePresent("autodetect-robust"))("shared case autodetect-robust", () => {
  it("stays tutorial (98 complete events, 2 rejects), not CSV, and says how sure it is", () => {
    const text = readCase("autodetect-robust", "input.log");
    const expected = readCase("autodetect-robust", "expected.md");
    const [, events, rejects] = /\((\d+)\s+events with user and time, (\d+) rejects\)/.exec(expected.replace(/\n/g, " "))!;
    const r = parseLogLines(text, { format: "auto" });
    expect(r.format).toBe("tutorial");
    expect(r.counts.events).toBe(+events);
    expect(r.rejects).toHaveLength(+rejects);
    expect(r.events.every((e) => e.user !== undefined && Number.isFinite(e.time))).toBe(true);
    const d = r.detection!;
    expect(d.runnerUp?.format).toBe("csv");
    expect(d.scores.find((s) => s.format === "csv")!.parsed).toBe(99); // CSV "parses" more lines…
    expect(d.scores.find((s) => s.format === "csv")!.score).toBe(0); // …but none has a time, a user or a type
    expect(d.confidence).toBeCloseTo(0.98, 2);
  });
});

describe("auto-detection neighbours", () => {
  const tutorial = (i: number) => `2025-03-06 08:${String(i % 60).padStart(2, "0")}:00, INFO, User login success, user: u${i}`;

  it("a tutorial file with most user names odd still prefers the format with complete events", () => {
    const lines = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? tutorial(i) : tutorial(i).replace(/u\d+$/, "two words")));
    const d = detectLogFormat(lines);
    expect(d.format).toBe("tutorial");
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.confidence).toBeLessThan(0.5);
  });

  it("a real CSV with a time and user column stays CSV", () => {
    const d = detectLogFormat(["time,user,src_ip,action", "2024-01-02T03:04:05Z,alice,192.0.2.1,login_failed", "2024-01-02T03:04:06Z,bob,192.0.2.2,login_failed"]);
    expect(d.format).toBe("csv");
    expect(d.runnerUp).toBeUndefined();
  });

  it("JSON lines beat CSV (a JSON object split at commas is not a CSV record)", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `{"ts":"2024-01-02T03:04:0${i}Z","event_type":"login","src_ip":"192.0.2.${i}","user":"u${i}"}`);
    const d = detectLogFormat(lines);
    expect([d.format, d.confidence]).toEqual(["jsonl", 1]);
  });

  it("mixed syslog and access lines: the majority wins, the confidence shows the mix", () => {
    const auth = "Mar  6 10:00:01 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2";
    const web = '192.0.2.1 - - [06/Mar/2025:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"';
    const d = detectLogFormat([auth, auth, auth, web], { year: 2025 });
    expect(d.format).toBe("rfc3164");
    expect(d.runnerUp).toMatchObject({ format: "combined", score: 0.25 });
    expect(d.confidence).toBeCloseTo(0.5, 3);
  });

  it("nothing parses: raw, confidence 0", () => {
    const d = detectLogFormat(["hello world", "no format here"]);
    expect([d.format, d.confidence, d.runnerUp]).toEqual(["raw", 0, undefined]);
  });
});
