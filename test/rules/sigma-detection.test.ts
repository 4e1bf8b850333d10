import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import {
  base64OffsetVariants, compileSigmaRule, compileSigmaRuleSet, compileSigmaValue, evaluateSigmaCondition, formatDiagnostic,
  compileSigmaWildcard, parseSigmaCondition, parseSigmaYaml, SigmaRuleError,
} from "../../src/rules/index";

const web = (fields: Record<string, string | number | null>, extra: Partial<LogEvent> = {}): LogEvent => ({
  lineNo: 1, time: 0, eventType: "http_request", srcIp: "203.0.113.9", message: `${fields.method} ${fields.path} HTTP/1.1`, fields, ...extra,
});
const rule = (detection: Record<string, unknown>, logsource: Record<string, string> = { category: "webserver" }) =>
  compileSigmaRule({ title: "t", id: "r1", logsource, detection });

describe("Sigma values and modifiers", () => {
  it("plain strings match whole values case-insensitively; cased makes them exact", () => {
    expect(compileSigmaValue([], "GET")("get")).toBe(true);
    expect(compileSigmaValue([], "GET")("GETX")).toBe(false);
    expect(compileSigmaValue(["cased"], "GET")("get")).toBe(false);
    expect(compileSigmaValue(["cased"], "GET")("GET")).toBe(true);
  });
  it("wildcards * and ?, and backslash escaping", () => {
    expect(compileSigmaWildcard("/wp-*.php")("/WP-login.php")).toBe(true);
    expect(compileSigmaWildcard("a?c")("abc")).toBe(true);
    expect(compileSigmaWildcard("a?c")("ac")).toBe(false);
    expect(compileSigmaWildcard("*a*b*c")("xxaxxbxxc")).toBe(true);
    expect(compileSigmaWildcard("*a*b*c")("xxaxxcxxb")).toBe(false);
    expect(compileSigmaWildcard("a*")("a")).toBe(true);
    expect(compileSigmaWildcard("*")("")).toBe(true);
    expect(compileSigmaWildcard("")("")).toBe(true);
    expect(compileSigmaWildcard("")("x")).toBe(false);
    expect(compileSigmaWildcard("*\\**")("a*b")).toBe(true); // contains a literal star
    expect(compileSigmaWildcard("*\\**")("ab")).toBe(false);
    expect(compileSigmaWildcard("?")("\u{1F600}")).toBe(true); // one code point, not one UTF-16 unit
    // no backtracking blow-up: many wildcards against a long non-matching value
    expect(compileSigmaWildcard("*a*a*a*a*a*a*a*a*b")("a".repeat(20_000))).toBe(false);
    expect(compileSigmaValue([], "what\\?")("what?")).toBe(true);
    expect(compileSigmaValue([], "what\\?")("whatX")).toBe(false);
    expect(compileSigmaValue(["contains"], "\\*")("a*b")).toBe(true);
    expect(compileSigmaValue(["contains"], "\\*")("ab")).toBe(false);
    // `\\` is one literal backslash, and the `*` after it stays a wildcard
    expect(compileSigmaValue([], "C:\\\\*")("C:\\x")).toBe(true);
    // a backslash before another character is itself literal
    expect(compileSigmaValue([], "C:\\Windows")("c:\\windows")).toBe(true);
    // regex metacharacters in plain values are literal
    expect(compileSigmaValue([], "a.b(c)")("aXb(c)")).toBe(false);
  });
  it("contains / startswith / endswith, lists OR, all AND", () => {
    expect(compileSigmaValue(["contains"], ["nikto", "sqlmap"])("Mozilla (SQLMAP)")).toBe(true);
    expect(compileSigmaValue(["startswith"], "/admin")("/admin/x")).toBe(true);
    expect(compileSigmaValue(["startswith"], "/admin")("/x/admin")).toBe(false);
    expect(compileSigmaValue(["endswith"], ".php")("/a.PHP")).toBe(true);
    const all = compileSigmaValue(["contains", "all"], ["union", "select"]);
    expect(all("id=1 UNION SELECT 2")).toBe(true);
    expect(all("id=1 union 2")).toBe(false);
    expect(() => compileSigmaValue(["contains", "all"], ["one"])).toThrow(/at least two values/);
  });
  it("re is case-sensitive unless |i; searched anywhere", () => {
    expect(compileSigmaValue(["re"], "^GET /a")("GET /abc")).toBe(true);
    expect(compileSigmaValue(["re"], "select")("SELECT")).toBe(false);
    expect(compileSigmaValue(["re", "i"], "select")("SELECT")).toBe(true);
    expect(() => compileSigmaValue(["re"], "(")).toThrow(/invalid regular expression/);
    expect(() => compileSigmaValue(["re"], "(a)\\1")).toThrow(/backreference/);
    expect(() => compileSigmaValue(["re"], "a(?=b)")).toThrow(/lookaround/);
    expect(compileSigmaValue(["re"], "^(?:ab)+$")("abab")).toBe(true);
  });
  it("cidr for IPv4 and IPv6, non-IP values never match", () => {
    const t = compileSigmaValue(["cidr"], ["10.0.0.0/8", "2001:db8::/32"]);
    expect(t("10.200.0.1")).toBe(true);
    expect(t("11.0.0.1")).toBe(false);
    expect(t("2001:db8::5")).toBe(true);
    expect(t("not-an-ip")).toBe(false);
    expect(() => compileSigmaValue(["cidr"], "10.0.0.0/33")).toThrow(/cidr/);
  });
  it("windash lets - / and unicode dashes stand for each other", () => {
    const t = compileSigmaValue(["windash", "contains"], " -enc ");
    expect(t("powershell /enc x")).toBe(true);
    expect(t("powershell \u2013enc x")).toBe(true);
    expect(t("powershell enc x")).toBe(false);
  });
  it("base64 and base64offset find an encoded value", () => {
    const encoded = Buffer.from("xx curl http://evil yy").toString("base64");
    expect(compileSigmaValue(["base64offset", "contains"], "http://")(encoded)).toBe(true);
    expect(compileSigmaValue(["base64offset", "contains"], "https://")(encoded)).toBe(false);
    expect(compileSigmaValue(["base64"], "abc")(Buffer.from("abc").toString("base64"))).toBe(true);
    // every shift: the variant of "http" appears in base64 of the text with 0, 1 and 2 leading bytes
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.from("a".repeat(shift) + "http").toString("base64");
      expect(base64OffsetVariants(Buffer.from("http")).some((v) => b64.includes(v))).toBe(true);
    }
    const utf16 = Buffer.from("hello cmd", "utf16le").toString("base64");
    expect(compileSigmaValue(["utf16le", "base64offset", "contains"], "cmd")(utf16)).toBe(true);
  });
  it("numeric comparisons, exists, null and neq", () => {
    expect(compileSigmaValue(["gte"], 400)(404)).toBe(true);
    expect(compileSigmaValue(["gte"], 400)("399")).toBe(false);
    expect(compileSigmaValue(["lt"], 10)(undefined)).toBe(false);
    expect(compileSigmaValue(["exists"], true)(null)).toBe(true);
    expect(compileSigmaValue(["exists"], true)(undefined)).toBe(false);
    expect(compileSigmaValue(["exists"], false)(undefined)).toBe(true);
    expect(compileSigmaValue([], null)(undefined)).toBe(true);
    expect(compileSigmaValue([], null)(null)).toBe(true);
    expect(compileSigmaValue([], null)("")).toBe(false);
    expect(compileSigmaValue([], "")("")).toBe(true);
    expect(compileSigmaValue(["neq"], "GET")("POST")).toBe(true);
    expect(compileSigmaValue(["neq"], "GET")(undefined)).toBe(false);
  });
  it("numbers in rules compare as text with numbers in events", () => {
    expect(compileSigmaValue([], 404)(404)).toBe(true);
    expect(compileSigmaValue([], 404)("404")).toBe(true);
    expect(compileSigmaValue([], "40*")(404)).toBe(true);
  });
  it("unknown and unsupported modifiers are refused with a hint", () => {
    expect(() => compileSigmaValue(["contians"], "x")).toThrow(/unknown modifier 'contians' \(did you mean 'contains'\?\)/);
    expect(() => compileSigmaValue(["fieldref"], "x")).toThrow(/not supported/);
  });
});

describe("Sigma conditions", () => {
  const sels = ["sel", "filter_a", "filter_b", "_private", "kw"];
  const ev = (c: string, truth: Record<string, boolean>) => evaluateSigmaCondition(parseSigmaCondition(c, sels), (n) => truth[n] ?? false);
  it("precedence: not > and > or; parentheses override", () => {
    expect(ev("sel or kw and filter_a", { sel: true })).toBe(true);
    expect(ev("(sel or kw) and filter_a", { sel: true })).toBe(false);
    expect(ev("not sel and kw", { kw: true })).toBe(true);
    expect(ev("not (sel or kw)", { kw: true })).toBe(false);
  });
  it("1 of / all of / N of with wildcards and them (which skips _names)", () => {
    expect(ev("1 of filter_*", { filter_b: true })).toBe(true);
    expect(ev("all of filter_*", { filter_b: true })).toBe(false);
    expect(ev("all of filter_*", { filter_a: true, filter_b: true })).toBe(true);
    expect(ev("2 of them", { sel: true, _private: true })).toBe(false);
    expect(ev("all of them", { sel: true, filter_a: true, filter_b: true, kw: true })).toBe(true);
    expect(ev("sel and not 1 of filter_*", { sel: true, filter_a: true })).toBe(false);
  });
  it("errors name the problem and position", () => {
    expect(() => parseSigmaCondition("sel and", sels)).toThrow(/condition ends/);
    expect(() => parseSigmaCondition("Sel", sels)).toThrow(/did you mean 'sel'\? names are case-sensitive/);
    expect(() => parseSigmaCondition("1 of nope*", sels)).toThrow(/matches no selection/);
    expect(() => parseSigmaCondition("(sel", sels)).toThrow(/missing '\)'/);
    expect(() => parseSigmaCondition("sel | count() > 5", sels)).toThrow(/correlation rule/);
    expect(() => parseSigmaCondition("sel kw", sels)).toThrow(/unexpected 'kw'/);
  });
});

describe("Sigma detection rules", () => {
  it("maps are AND, lists of maps OR; web fields map to the access-log fields", () => {
    const r = rule({
      scanner: [{ "c-useragent|contains": "nikto" }, { "c-uri|contains": "/.git/", "sc-status": 404 }],
      condition: "scanner",
    });
    expect(r.matches(web({ method: "GET", path: "/", status: 200, userAgent: "Nikto/2.5" }))).toBe(true);
    expect(r.matches(web({ method: "GET", path: "/.git/config", status: 404, userAgent: "curl" }))).toBe(true);
    expect(r.matches(web({ method: "GET", path: "/.git/config", status: 200, userAgent: "curl" }))).toBe(false);
  });
  it("logsource restricts which events a rule sees", () => {
    const r = compileSigmaRule({ title: "kw", logsource: { product: "linux", service: "sshd" }, detection: { kw: ["Invalid user"], condition: "kw" } });
    const ssh: LogEvent = { lineNo: 1, time: 0, process: "sshd", eventType: "invalid_user", message: "Invalid user admin from 1.2.3.4", user: "admin" };
    expect(r.matches(ssh)).toBe(true);
    expect(r.matches({ ...ssh, process: "cron" })).toBe(false);
    expect(r.matches({ ...ssh, eventType: "http_request", process: undefined })).toBe(false);
  });
  it("a missing required key names the misspelt key it probably is (new-user trial T9)", () => {
    expect(() => compileSigmaRule({ titel: "t", logsource: {}, detection: { s: { a: 1 }, condition: "s" } })).toThrow(/'title' is required \(is 'titel' a misspelling\?\)/);
    expect(() => compileSigmaRule({ title: "t", logsource: {}, detecton: { s: { a: 1 }, condition: "s" } })).toThrow(/'detection' is required: .* \(is 'detecton' a misspelling\?\)/);
    expect(() => compileSigmaRule({ title: "t", logsource: {}, custom_field: 1 })).toThrow(/'detection' is required: a map of selections plus 'condition'$/);
  });
  it("a misspelt logsource key is an error with a suggestion, not a dropped restriction (new-user trial)", () => {
    const rule = (logsource: Record<string, unknown>) => () => compileSigmaRule({ title: "t", logsource, detection: { s: { user: "root" }, condition: "s" } });
    expect(rule({ product: "linux", sevice: "sshd" })).toThrow(/logsource\.sevice: unknown logsource key 'sevice' \(did you mean 'service'\?\)/);
    expect(rule({ prodcut: "windows" })).toThrow(/unknown logsource key 'prodcut' \(did you mean 'product'\?\)/);
    expect(rule({ Product: "linux" })).toThrow(/unknown logsource key 'Product'/);
    expect(rule({ product: "linux", definition: 7 })).toThrow(/logsource\.definition: must be a string/);
    // `definition` is prose for the reader: accepted, never matched against events.
    const r = rule({ product: "linux", service: "sshd", definition: "sshd's auth.log" })();
    expect(r.matches({ lineNo: 1, time: 0, process: "sshd", eventType: "failed_password", message: "", user: "root" })).toBe(true);
  });
  it("keywords match anywhere in the message, case-insensitively", () => {
    const r = compileSigmaRule({ title: "kw", logsource: { product: "linux" }, detection: { kw: ["failed PASSWORD"], condition: "kw" } });
    expect(r.matches({ lineNo: 1, time: 0, process: "sshd", eventType: "failed_password", message: "Failed password for root from 1.2.3.4 port 2 ssh2" })).toBe(true);
  });
  it("missing field: a value never matches it, 'not' of it does, null matches it", () => {
    const r = rule({ sel: { "c-useragent": "x" }, condition: "not sel" });
    expect(r.matches(web({ method: "GET", path: "/" }))).toBe(true);
    const n = rule({ sel: { "c-useragent": null }, condition: "sel" });
    expect(n.matches(web({ method: "GET", path: "/" }))).toBe(true);
    expect(n.matches(web({ method: "GET", path: "/", userAgent: "curl" }))).toBe(false);
  });
  it("invalid rules throw a SigmaRuleError with file, id and path", () => {
    try {
      compileSigmaRule({ title: "bad", id: "b1", logsource: { category: "webserver" }, detection: { sel: { "c-uri|contians": "x" }, condition: "sel" } }, { file: "r.yml" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SigmaRuleError);
      const d = (e as SigmaRuleError).diagnostic;
      expect(d).toMatchObject({ file: "r.yml", ruleId: "b1", title: "bad", path: "detection.sel.c-uri|contians" });
      expect(formatDiagnostic(d)).toContain("did you mean 'contains'");
    }
    expect(() => rule({ sel: { "sc-status|gte": ["a", 5] }, condition: "sel" })).toThrow(/needs a number/);
    try {
      rule({ sel: { "sc-status|gte": [5, "a"] }, condition: "sel" });
    } catch (e) {
      expect((e as SigmaRuleError).diagnostic.path).toBe("detection.sel.sc-status|gte[1]");
    }
    expect(() => compileSigmaRule({ title: "x", detection: { s: { a: 1 }, condition: "s" } })).toThrow(/logsource/);
    expect(() => compileSigmaRule({ title: "x", level: "hgh", logsource: {}, detection: { s: { a: 1 }, condition: "s" } })).toThrow(/did you mean 'high'/);
  });
  it("an unmapped field is reported as a warning, and still read from JSON fields", () => {
    const warnings: never[] = [];
    const r = compileSigmaRule({ title: "json", logsource: {}, detection: { s: { "cloud.region": "eu-west-1" }, condition: "s" } }, {}, warnings);
    expect(r.unmappedFields).toEqual(["cloud.region"]);
    expect(warnings).toHaveLength(1);
    expect(r.matches({ lineNo: 1, time: 0, eventType: "x", message: "", fields: { "cloud.region": "EU-WEST-1" } })).toBe(true);
  });
  it("a user mapping adds a field name", () => {
    const r = compileSigmaRule({ title: "m", logsource: {}, detection: { s: { CommandLine: "*rm -rf*" }, condition: "s" } }, { fieldMapping: { CommandLine: "fields.command" } });
    expect(r.unmappedFields).toEqual([]);
    expect(r.matches({ lineNo: 1, time: 0, eventType: "sudo", message: "", fields: { command: "/bin/rm -rf /" } })).toBe(true);
  });
});

describe("YAML loading", () => {
  it("multi-document files load each document; a broken one does not stop the others", () => {
    const text = [
      "title: ok one\nlogsource: {category: webserver}\ndetection: {s: {sc-status: 404}, condition: s}",
      "title: broken\nlogsource: {category: webserver}\ndetection: {s: {sc-status: 404}, condition: nope}",
      "title: [unclosed",
      "title: ok two\nlogsource: {category: webserver}\ndetection: {s: {sc-status: 500}, condition: s}",
    ].join("\n---\n");
    const set = compileSigmaRuleSet([{ file: "pack.yml", text }]);
    expect(set.detections.map((d) => d.title)).toEqual(["ok one", "ok two"]);
    const errors = set.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toHaveLength(2);
    expect(errors.map((d) => d.document).sort()).toEqual([1, 2]);
    expect(errors.find((d) => d.document === 1)).toMatchObject({ title: "broken", path: "detection.condition" });
  });
  it("an alias bomb is refused with a clear error", () => {
    const bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    const r = parseSigmaYaml(bomb);
    expect(r.documents).toHaveLength(0);
    expect(r.diagnostics[0].message).toMatch(/alias bomb/);
  });
  it("huge documents are refused before parsing", () => {
    const r = parseSigmaYaml("title: " + "x".repeat(2_000_000), { file: "big.yml" });
    expect(r.documents).toHaveLength(0);
    expect(r.diagnostics[0]).toMatchObject({ file: "big.yml" });
    expect(r.diagnostics[0].message).toMatch(/over the 1048576 limit/);
  });
  it("duplicate keys and duplicate rule ids are errors", () => {
    expect(parseSigmaYaml("a: 1\na: 2\n").diagnostics[0].message).toMatch(/YAML/);
    const one = "title: a\nid: same\nlogsource: {category: webserver}\ndetection: {s: {sc-status: 1}, condition: s}";
    const set = compileSigmaRuleSet([{ text: one }, { text: one.replace("title: a", "title: b") }]);
    expect(set.detections).toHaveLength(1);
    expect(set.diagnostics[0].message).toMatch(/already used/);
  });
});

describe("logsources across formats", () => {
  it("JSON events answer to rules with no logsource (ECS names), or to a user logsource function", async () => {
    const { parseLogLines } = await import("../../src/ingest/parse-log");
    const ev = parseLogLines(['{"@timestamp":"2025-01-01T00:00:00Z","event.action":"login","user.name":"bob","source.ip":"10.0.0.1"}']).events;
    const text = "title: j\nlogsource: {}\ndetection: {s: {user.name: BOB, source.ip|cidr: 10.0.0.0/8, event.action: login}, condition: s}\n";
    expect(compileSigmaRuleSet([{ text }]).detections[0].matches(ev[0])).toBe(true);
    const linux = text.replace("logsource: {}", "logsource: {product: linux}");
    expect(compileSigmaRuleSet([{ text: linux }]).detections[0].matches(ev[0])).toBe(false);
    const mine = compileSigmaRuleSet([{ text: linux }], { logsource: () => ({ product: ["linux"], service: [], category: [] }) });
    expect(mine.detections[0].matches(ev[0])).toBe(true);
  });
  it("Apache error-log events are product apache, service error", async () => {
    const { parseLogLines } = await import("../../src/ingest/parse-log");
    const ev = parseLogLines(["[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] File does not exist: /var/www/html/x"]).events;
    const r = compileSigmaRule({ title: "a", logsource: { product: "apache", service: "error" }, detection: { kw: ["File does not exist"], condition: "kw" } });
    expect(r.matches(ev[0])).toBe(true);
  });
});
