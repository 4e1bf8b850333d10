import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { createAccessLogParser } from "../../src/ingest/access-log";
import { createApacheErrorParser } from "../../src/ingest/apache-error";
import { createJsonLinesParser } from "../../src/ingest/json-lines";
import { createRawLineParser } from "../../src/ingest/raw-lines";
import { createRfc5424Parser } from "../../src/ingest/syslog-rfc5424";
import { normaliseOutcome, parseTimeValue, snakeCaseEventType } from "../../src/ingest/field-map";

const iso = (t: number) => new Date(t).toISOString();
const ev = (r: unknown) => r as LogEvent;

describe("RFC 5424", () => {
  const p = createRfc5424Parser();
  it("reads header, structured data with escapes, and the message", () => {
    const e = ev(p.parseLine('<38>1 2024-01-02T03:04:05.123456+01:00 web01 sshd 4123 ID47 [exampleSDID@32473 iut="3" eventSource="App\\"x\\]"][meta a="b"] \uFEFFAccepted password for bob from 10.0.0.1 port 5122 ssh2', 3));
    expect(iso(e.time)).toBe("2024-01-02T02:04:05.123Z");
    expect(e).toMatchObject({ host: "web01", process: "sshd", pid: 4123, level: "info", eventType: "accepted_password", user: "bob", srcIp: "10.0.0.1" });
    expect(e.fields).toMatchObject({ facility: 4, msgId: "ID47", "exampleSDID@32473.iut": "3", "exampleSDID@32473.eventSource": 'App"x]', "meta.a": "b" });
    expect(e.message).toBe("Accepted password for bob from 10.0.0.1 port 5122 ssh2");
  });
  it("accepts nil values and rejects broken structure", () => {
    expect(ev(p.parseLine("<13>1 - - - - - -", 1))).toMatchObject({ host: undefined, message: "", eventType: "other" });
    expect(Number.isNaN(ev(p.parseLine("<13>1 - - - - - -", 1)).time)).toBe(true);
    expect(p.parseLine('<13>1 2024-01-02T03:04:05Z h a - - [x a="unterminated', 1)).toMatch(/unterminated/);
    expect(p.parseLine("<13>1 2024-02-30T03:04:05Z h a - - - m", 1)).toMatch(/invalid RFC 5424 timestamp/);
    expect(p.parseLine("Dec 10 06:55:46 LabSZ sshd[1]: x", 1)).toMatch(/expected an RFC 5424/);
  });
});

describe("access log", () => {
  const p = createAccessLogParser();
  it("reads the combined format", () => {
    const e = ev(p.parseLine('203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "GET /a?b=\\"c\\" HTTP/1.0" 404 2326 "http://ref/" "Mozilla/4.08 [en]"', 1));
    expect(iso(e.time)).toBe("2000-10-10T20:55:36.000Z");
    expect(e).toMatchObject({ eventType: "http_request", srcIp: "203.0.113.9", user: "frank", outcome: "failure" });
    expect(e.fields).toEqual({
      method: "GET", path: '/a?b="c"', protocol: "HTTP/1.0", status: 404, bytes: 2326, referrer: "http://ref/", userAgent: "Mozilla/4.08 [en]",
      requestRaw: 'GET /a?b=\\"c\\" HTTP/1.0',
    });
  });
  it("reads the common format, '-' bytes and junk requests", () => {
    const e = ev(p.parseLine('10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "\\x16\\x03\\x01" 400 - ', 1));
    expect(e.fields).toMatchObject({ method: null, request: "\u0016\u0003\u0001", requestRaw: "\\x16\\x03\\x01", tlsHandshake: true, status: 400, bytes: 0, referrer: null, userAgent: null });
  });
  it("rejects bad lines and bad dates", () => {
    expect(p.parseLine("not an access log", 1)).toMatch(/expected an access log line/);
    expect(p.parseLine('1.2.3.4 - - [31/Feb/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1', 1)).toBe(
      'invalid timestamp "31/Feb/2024:00:00:00 +0000": February 31 does not exist (February has 29 days)',
    );
    expect(p.parseLine('1.2.3.4 - - [yesterday] "GET / HTTP/1.1" 200 1', 1)).toMatch(/invalid access-log time/);
  });
});

describe("Apache error log", () => {
  it("reads 2.2 and 2.4 layouts", () => {
    const p = createApacheErrorParser();
    expect(p.parseLine("[Sun Dec 04 05:15:09 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/", 1)).toMatchObject({
      level: "error", eventType: "access_denied", srcIp: "222.166.160.184", outcome: "failure",
    });
    const e = ev(p.parseLine("[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5050] File does not exist: /x", 2));
    expect(e).toMatchObject({ level: "error", pid: 35708, srcIp: "72.15.99.187", srcPort: 5050, eventType: "file_not_found", fields: { module: "core", tid: 4328636416 } });
    expect(iso(e.time)).toBe("2011-09-09T10:42:29.902Z");
    expect(p.parseLine("[Sun Feb 31 04:47:44 2005] [notice] x", 3)).toMatch(/invalid timestamp "Sun Feb 31 04:47:44 2005": February 31 does not exist/);
  });
});

describe("JSON lines", () => {
  it("maps ECS-like records", () => {
    const e = ev(createJsonLinesParser().parseLine('{"@timestamp":"2024-01-02T03:04:05Z","event":{"action":"user-login","outcome":"failure"},"source":{"ip":"1.2.3.4","port":5555},"user":{"name":"eve"},"host":{"name":"web"},"message":"login failed"}', 1));
    expect(e).toMatchObject({ eventType: "user_login", outcome: "failure", srcIp: "1.2.3.4", srcPort: 5555, user: "eve", host: "web", message: "login failed" });
    expect(iso(e.time)).toBe("2024-01-02T03:04:05.000Z");
    expect(e.fields).toMatchObject({ "event.action": "user-login", "source.ip": "1.2.3.4" });
  });
  it("maps CloudTrail-like records and errorCode means failure", () => {
    const e = ev(createJsonLinesParser().parseLine('{"eventTime":"2024-05-01T10:00:00Z","eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.7","userIdentity":{"userName":"ops"},"responseElements":{"ConsoleLogin":"Failure"}}', 1));
    expect(e).toMatchObject({ eventType: "console_login", outcome: "failure", srcIp: "198.51.100.7", user: "ops" });
    const f = ev(createJsonLinesParser().parseLine('{"eventTime":"2024-05-01T10:00:00Z","eventName":"GetObject","errorCode":"AccessDenied"}', 1));
    expect(f.outcome).toBe("failure");
  });
  it("takes a custom field map, epoch seconds, and ignores __proto__", () => {
    const p = createJsonLinesParser({ fieldMap: { time: "t", user: "who", eventType: "what" } });
    const e = ev(p.parseLine('{"t":1700000000,"who":"bob","what":"Door Open","__proto__":{"polluted":1}}', 1));
    expect([iso(e.time), e.user, e.eventType]).toEqual(["2023-11-14T22:13:20.000Z", "bob", "door_open"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("keeps at most 100 fields, a name written both as a key and as a path once, nested paths as dotted names", () => {
    const wide: Record<string, unknown> = { "a.b": 1, a: { b: 2, c: [1, 2] } };
    for (let i = 0; i < 150; i++) wide[`k${i}`] = i;
    const e = ev(createJsonLinesParser().parseLine(JSON.stringify(wide), 1));
    const names = Object.keys(e.fields ?? {});
    expect(names.length).toBe(100);
    expect(names.slice(0, 3)).toEqual(["a.b", "a.c", "k0"]);
    expect(e.fields).toMatchObject({ "a.b": 2, "a.c": "[1,2]", k96: 96, k97: 97 });
    expect(names).not.toContain("k98");
    // Names Object.prototype has ("toString", "constructor") count like any other.
    const inherited: Record<string, unknown> = { toString: "x", constructor: "y" };
    for (let i = 0; i < 120; i++) inherited[`k${i}`] = i;
    const named = Object.keys(ev(createJsonLinesParser().parseLine(JSON.stringify(inherited), 3)).fields ?? {});
    expect(named.length).toBe(100);
    expect(named.slice(0, 2)).toEqual(["toString", "constructor"]);
    expect(named).toContain("k97");
    expect(named).not.toContain("k98");
    // The same shape line after line gives the same names (they are remembered, not rebuilt).
    const again = ev(createJsonLinesParser().parseLine(JSON.stringify({ a: { b: 3 }, x: { y: { z: "deep" } } }), 2));
    expect(again.fields).toEqual({ "a.b": 3, "x.y.z": "deep" });
  });

  it("rejects non-objects and invalid JSON", () => {
    const p = createJsonLinesParser();
    expect(p.parseLine("[1,2]", 1)).toMatch(/expected a JSON object/);
    expect(p.parseLine('{"a":', 1)).toMatch(/invalid JSON/);
  });
});

describe("field helpers and raw lines", () => {
  it("parse times, outcomes, event names", () => {
    expect(iso(parseTimeValue("2024-01-02 03:04:05", 60))).toBe("2024-01-02T02:04:05.000Z");
    expect(parseTimeValue("yesterday", 0)).toBeNaN();
    expect([normaliseOutcome("Succeeded"), normaliseOutcome(503), normaliseOutcome("maybe")]).toEqual(["success", "failure", undefined]);
    expect(snakeCaseEventType("AssumeRoleWithSAML")).toBe("assume_role_with_saml");
  });
  it("raw lines take a leading ISO time and keep the rest", () => {
    const e = ev(createRawLineParser().parseLine("2024-01-02 03:04:05,123 worker-3 job 17 done", 1));
    expect([iso(e.time), e.message, e.eventType]).toEqual(["2024-01-02T03:04:05.123Z", "worker-3 job 17 done", "raw"]);
    expect(createRawLineParser().parseLine("  ", 2)).toBe("empty line");
  });
});
