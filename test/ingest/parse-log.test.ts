import * as fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { rejectsToDataFrame, logEventsToDataFrame } from "../../src/ingest/event-frames";
import { getLogFormat, listLogFormats, registerLogFormat } from "../../src/ingest/formats";
import { detectLogFormat, parseLog, parseLogLines, parseLogStream } from "../../src/ingest/parse-log";

const samples: Record<string, string[]> = {
  rfc3164: ["Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4", "Dec 10 06:55:47 LabSZ sshd[24200]: Failed password for invalid user admin from 1.2.3.4 port 22 ssh2"],
  rfc5424: ["<38>1 2024-01-02T03:04:05Z h sshd 12 - - Accepted password for bob from 10.0.0.1 port 5 ssh2"],
  combined: ['1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "curl/8"'],
  "apache-error": ["[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"],
  jsonl: ['{"@timestamp":"2024-01-02T03:04:05Z","event":{"action":"login"}}'],
  csv: ["time,user,action", "2024-01-02T03:04:05Z,alice,login"],
  tutorial: ["2025-03-06 08:00:00, INFO, User login success, user: admin", "2025-03-06 08:02:45, ERROR, Failed login attempt, user: admin"],
};

describe("format registry and auto-detection", () => {
  it.each(Object.entries(samples))("detects %s", (format, lines) => {
    expect(detectLogFormat(lines).format).toBe(format);
  });
  it("falls back to raw when nothing parses, and reports scores", () => {
    const d = detectLogFormat(["hello world", "no format here"]);
    expect(d.format).toBe("raw");
    expect(d.scores.every((s) => s.rate === 0)).toBe(true);
  });
  it("picks the best parse rate when some lines are junk", () => {
    const d = detectLogFormat([...samples.rfc3164, "junk", ...samples.rfc3164]);
    expect(d.format).toBe("rfc3164");
    expect(d.scores[0]).toMatchObject({ format: "rfc3164", parsed: 4, total: 5, rate: 0.8 });
  });
  it("finds formats by alias and explains unknown names", () => {
    expect(getLogFormat("auth.log").name).toBe("rfc3164");
    expect(getLogFormat("NGINX").name).toBe("combined");
    expect(() => getLogFormat("klingon")).toThrow(/Unknown log format "klingon". Expected 'auto' or one of: tutorial, rfc5424/);
    expect(() => registerLogFormat({ ...listLogFormats()[0] })).toThrow(OptionError);
  });
});

describe("parseLogLines / parseLog / parseLogStream", () => {
  it("accounts for every line: empty lines are rejects", () => {
    const r = parseLogLines([samples.rfc3164[0], "", "garbage", samples.rfc3164[1]], { format: "auto", year: 2024 });
    expect(r.format).toBe("rfc3164");
    expect(r.counts).toMatchObject({ read: 4, parsed: 2, rejected: 2, events: 2, byEventType: { invalid_user: 1, failed_password: 1 } });
    expect(r.rejects.map((x) => [x.lineNo, x.reason])).toEqual([[2, "empty line"], [3, expect.stringMatching(/RFC 3164/)]]);
    expect(r.detection?.scores[0].format).toBe("rfc3164");
  });

  it("parses the tutorial seed log through the registry", () => {
    const text = fs.readFileSync("data/seed-tutorial.log", "utf8");
    const r = parseLogLines(text);
    expect(r.format).toBe("tutorial");
    expect(r.counts).toMatchObject({ read: 10, parsed: 10, rejected: 0 });
    expect(r.counts.byEventType.login_failure).toBe(5);
    expect(r.counts.parsed + r.counts.rejected).toBe(r.counts.read);
  });

  it("streams stdin-like input into a sink without keeping events", async () => {
    let failures = 0;
    const rejects: number[] = [];
    const s = await parseLogStream(
      Readable.from([Buffer.from(samples.rfc3164.join("\n") + "\nbad\n")]),
      { onEvent: (e) => { if (e.eventType === "failed_password") failures++; }, onReject: (r) => rejects.push(r.lineNo) },
      { year: 2024 },
    );
    expect([failures, rejects, s.format, s.counts.read]).toEqual([1, [3], "rfc3164", 3]);
    expect(s.seconds).toBeGreaterThanOrEqual(0);
  });

  it("parses a forced format from an array of lines, with a small detection sample", async () => {
    const r = await parseLog([...samples.combined, ...samples.combined], { format: "nginx" });
    expect(r.events.map((e) => e.fields?.status)).toEqual([200, 200]);
    const auto = await parseLog(["junk", ...samples.combined], { sampleLines: 1 });
    expect(auto.format).toBe("raw");
    expect(() => parseLogLines(["x"], { sampleLines: 0 })).toThrow(OptionError);
  });

  it("shows rejects and events as DataFrames", () => {
    const r = parseLogLines(["x".repeat(500), samples.rfc3164[0]], { format: "rfc3164", year: 2024 });
    const df = rejectsToDataFrame(r.rejects);
    expect(df.columns).toEqual(["lineNo", "reason", "raw"]);
    expect((df.column("raw").values[0] as string).length).toBe(201);
    const ev = logEventsToDataFrame(r.events);
    expect(ev.shape).toEqual([1, 12]);
    expect(ev.column("srcIp").values).toEqual(["1.2.3.4"]);
    // Identifiers are text: no digit grouping, no NaN for a missing port.
    expect(ev.column("pid").values).toEqual([String(r.events[0].pid ?? "")]);
    expect(ev.column("srcPort").values).toEqual([r.events[0].srcPort === undefined ? "" : String(r.events[0].srcPort)]);
  });
});
