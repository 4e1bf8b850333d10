import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { createAccessLogParser, decodeAccessLogEscapes } from "../../src/ingest/access-log";
import { createApacheErrorParser } from "../../src/ingest/apache-error";
import { parseLogLines } from "../../src/ingest/parse-log";
import { escapeControls } from "../../src/terminal-text";
import { casePresent, readCase } from "./cases-dir";

const ev = (r: unknown) => r as LogEvent;
const codes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe.skipIf(!casePresent("access-log-escapes"))("shared case access-log-escapes", () => {
  const r = parseLogLines(readCase("access-log-escapes", "input.log"), { format: "auto" });
  const expected = readCase("access-log-escapes", "expected.md");

  it("line 1: the TLS handshake keeps its bytes, status 400, shown escaped (never as x16x03…)", () => {
    expect(r.format).toBe("combined");
    expect(r.rejects).toEqual([]);
    const e = r.events[0];
    // The right bytes, read from expected.md: "the request field holds the bytes 0x16 0x03 0x01 0x02 0x00 …".
    const bytes = /holds the bytes ((?:0x[0-9a-f]{2} ?)+)/.exec(expected)![1].trim().split(" ").map((b) => parseInt(b, 16));
    expect(codes(String(e.fields!.request)).slice(0, bytes.length)).toEqual(bytes);
    expect(e.fields).toMatchObject({ method: null, status: +/status (\d{3})/.exec(expected)![1], tlsHandshake: true });
    expect(e.fields!.requestRaw).toBe("\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03");
    const shown = escapeControls(String(e.fields!.request));
    expect(shown.startsWith("\\x16\\x03\\x01\\x02\\x00")).toBe(true);
    expect(shown).not.toMatch(/^x16x03/);
  });

  it("line 2: path /x<TAB>y; line 3: query a=\"b\", user agent back\\slash", () => {
    expect(expected).toContain('path "/x<TAB>y"');
    expect(r.events[1].fields).toMatchObject({ method: "GET", path: "/x\ty", protocol: "HTTP/1.1", status: 404 });
    expect(expected).toContain('query a="b", user agent back\\slash');
    expect(r.events[2].fields).toMatchObject({ path: '/q?a="b"', userAgent: "back\\slash", status: 200 });
  });
});

describe("access-log escapes (neighbours)", () => {
  it("decodes every escape Apache and Nginx write, keeps unknown backslashes", () => {
    expect(decodeAccessLogEscapes('a\\"b\\\\c\\td\\ne\\rf')).toBe('a"b\\c\td\ne\rf');
    expect(decodeAccessLogEscapes("\\x22quoted\\x22 and \\x5C")).toBe('"quoted" and \\'); // Nginx escape=default
    expect(decodeAccessLogEscapes("/caf\\xc3\\xa9/\\xe2\\x80\\xae")).toBe("/café/\u202e"); // valid UTF-8
    expect(codes(decodeAccessLogEscapes("\\xff\\xfe"))).toEqual([0xff, 0xfe]); // not UTF-8: byte by byte
    expect(decodeAccessLogEscapes("\\q \\x4 \\xZZ")).toBe("\\q \\x4 \\xZZ");
    expect(decodeAccessLogEscapes("no escapes")).toBe("no escapes");
  });

  const p = createAccessLogParser();
  it("an SSH banner and an empty request on port 80 are kept as requests without a method", () => {
    const ssh = ev(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "SSH-2.0-Go" 400 157 "-" "-"', 1));
    expect(ssh.fields).toMatchObject({ method: null, request: "SSH-2.0-Go", status: 400 });
    const empty = ev(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "" 400 0 "-" "-"', 2));
    expect(empty.fields).toMatchObject({ method: null, request: "", status: 400 });
    const dash = ev(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "-" 408 - "-" "-"', 3));
    expect(dash.fields).toMatchObject({ method: null, request: "-", status: 408, bytes: 0 });
  });

  it("a path with a decoded space, a vhost prefix, Nginx's extra fields, IPv6 clients", () => {
    const sp = ev(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "GET /a b HTTP/1.1" 404 1', 1));
    expect(sp.fields).toMatchObject({ method: "GET", path: "/a b", protocol: "HTTP/1.1" });
    const vh = ev(p.parseLine('www.example.com:443 2001:db8::1 - alice [10/Oct/2023:13:55:36 +0200] "POST /login HTTP/2.0" 401 12 "-" "curl/8"', 2));
    expect(vh).toMatchObject({ srcIp: "2001:db8::1", user: "alice", outcome: "failure" });
    expect(vh.fields).toMatchObject({ vhost: "www.example.com", serverPort: 443, method: "POST", status: 401 });
    expect(new Date(vh.time).toISOString()).toBe("2023-10-10T11:55:36.000Z");
    const ng = ev(p.parseLine('198.51.100.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0" "203.0.113.9" 0.004', 3));
    expect(ng.fields).toMatchObject({ userAgent: "Mozilla/5.0", extra: '"203.0.113.9" 0.004' });
  });

  it("rejects truncated lines and impossible times with a reason", () => {
    expect(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1', 1)).toMatch(/expected an access log line/);
    expect(p.parseLine('192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 2000 1', 1)).toMatch(/expected an access log line/);
    expect(p.parseLine('192.0.2.5 - - [31/Apr/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 1', 1)).toMatch(/April 31 does not exist/);
  });
});

describe.skipIf(!casePresent("apache-error-ipv6"))("shared case apache-error-ipv6", () => {
  it("2.2 [client ADDR] has no port (IPv6 as is); 2.4 [client ADDR:PORT] has one", () => {
    const r = parseLogLines(readCase("apache-error-ipv6", "input.log"), { format: "auto" });
    expect(r.format).toBe("apache-error");
    expect(r.rejects).toEqual([]);
    // Right values from expected.md: "line N → source ADDR, no port" / "…, port N".
    const expected = readCase("apache-error-ipv6", "expected.md");
    const want = [...expected.matchAll(/line (\d) → (?:source )?([0-9a-f.:]+), (no port|port (\d+))/g)].map((m) => ({
      line: +m[1], srcIp: m[2], srcPort: m[4] === undefined ? undefined : +m[4],
    }));
    expect(want).toHaveLength(3);
    for (const w of want) {
      const e = r.events.find((x) => x.lineNo === w.line)!;
      expect([e.srcIp, e.srcPort]).toEqual([w.srcIp, w.srcPort]);
    }
  });
});

describe("Apache error log clients (neighbours)", () => {
  const p = createApacheErrorParser();
  const line24 = (client: string) => `[Fri Sep 09 10:42:29.902022 2011] [authz_core:error] [pid 1:tid 2] [client ${client}] AH01630: client denied by server configuration: /x`;
  it.each([
    ["[Sun Dec 04 04:47:45 2005] [error] [client ::1] File does not exist: /x", "::1", undefined],
    ["[Sun Dec 04 04:47:45 2005] [error] [client fe80::1:2] File does not exist: /x", "fe80::1:2", undefined],
    ["[Sun Dec 04 04:47:45 2005] [error] [client 192.0.2.7:5050] File does not exist: /x", "192.0.2.7", 5050],
    [line24("::1:58886"), "::1", 58886],
    [line24("192.0.2.9:443"), "192.0.2.9", 443],
    [line24("[2001:db8::9]:8443"), "2001:db8::9", 8443],
    [line24("192.0.2.9"), "192.0.2.9", undefined],
  ])("%s → %s port %s", (line, ip, port) => {
    const e = ev(p.parseLine(line, 1));
    expect([e.srcIp, e.srcPort]).toEqual([ip, port]);
  });

  it("basic-auth failures carry the user (2.2 and 2.4)", () => {
    const a = ev(p.parseLine('[Sun Dec 04 04:47:45 2005] [error] [client 192.0.2.7] user bob: authentication failure for "/private": Password Mismatch', 1));
    expect(a).toMatchObject({ eventType: "auth_failure", user: "bob", outcome: "failure", srcIp: "192.0.2.7" });
    const b = ev(p.parseLine("[Fri Sep 09 10:42:29.902022 2011] [auth_basic:error] [pid 1] [client 2001:db8::7:53412] AH01618: user mallory not found: /private", 2));
    expect(b).toMatchObject({ eventType: "auth_failure", user: "mallory", srcIp: "2001:db8::7", srcPort: 53412 });
  });
});

describe("adversarial long lines (results asserted; each finishes in linear time)", () => {
  const N = 60_000;
  it.each([
    ["combined", "1".repeat(N) + " - - [", /expected an access log line/],
    ["combined", '1.2.3.4 - - [10/Oct/2023:13:55:36 +0000] "' + "\\".repeat(N), /expected an access log line/],
    ["combined", '1.2.3.4 - - [10/Oct/2023:13:55:36 +0000] "' + "\\x".repeat(N / 2) + '" 400 1', null],
    ["combined", "a ".repeat(N / 2) + "[", /expected an access log line/],
    ["apache-error", "[Sun Dec 04 04:47:44 2005] [error] [client " + "1:".repeat(N / 2) + "] x", null],
    ["apache-error", "[Sun Dec 04 04:47:44 2005] [error] " + "user ".repeat(N / 5) + " not found", null],
    ["jsonl", '{"ts":"' + "1".repeat(N) + 'x"}', null],
    ["jsonl", '{"ts":' + "1".repeat(N) + "}", /epoch value Infinity is not a finite number/],
    ["jsonl", '{"ts":"2024-01-02T03:04:05' + "1".repeat(N) + '"}', null],
    ["csv", "time,user\n" + "1".repeat(N) + ".5e" + "1".repeat(20) + ",u", /epoch value|outside years/],
    ["raw", "2024-01-02T03:04:05" + "9".repeat(N), null],
  ])("%s", (format, text, reason) => {
    const r = parseLogLines(text.split("\n"), { format, maxLineLength: 1 << 20 });
    expect(r.counts.parsed + r.counts.rejected).toBe(r.counts.read);
    const last = r.rejects.filter((x) => x.reason !== "CSV header (column names), not an event").pop();
    if (reason === null) expect(r.counts.events).toBe(1);
    else expect(last?.reason).toMatch(reason as RegExp);
  });
});
