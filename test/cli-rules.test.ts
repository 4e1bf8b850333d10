import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = path.resolve("bin/siemlab.js");
const FIX = path.resolve("test/rules/fixtures");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-rules-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const lines = (s: string) => s.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));

describe("siemlab rules", () => {
  it("says when a rule's logsource covers none of the events (a rule for Windows on an sshd log gave a bare 0)", () => {
    const dir = path.join(tmp, "logsource-rules");
    fs.mkdirSync(dir, { recursive: true });
    const rule = (name: string, logsource: string) =>
      fs.writeFileSync(path.join(dir, `${name}.yml`), `title: ${name}\nname: ${name}\nlogsource: ${logsource}\ndetection: {s: {user: root}, condition: s}\n`);
    rule("win", "{product: windows}");
    rule("ssh", "{product: linux, service: sshd}");
    const r = run(["rules", "data/sim/auth.log", "--rules", dir, "--year", "2025"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("sigma:win: 0 alerts (logsource {product: windows} covers none of the events)");
    expect(r.err).toMatch(/sigma:ssh: [1-9]\d* alerts\n/);
  });

  it("infers the year of a year-less log from the file's modification time, as features does", () => {
    // A log stamped March (no year) whose file was last written in March 2019: every command must place it in
    // 2019, not in the year of today's date (the alerts would then not join the features or the labels).
    const log = path.join(tmp, "old-year.log");
    fs.copyFileSync(path.join(FIX, "ssh-brute-force.pos.log"), log);
    const mtime = new Date(Date.UTC(2019, 2, 31, 12));
    fs.utimesSync(log, mtime, mtime);
    const r = run(["rules", log, "--rules", "data/rules"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("year 2019");
    expect(lines(r.out)[0].firedAt.slice(0, 5)).toBe("2019-");
    const f = run(["features", log, "--event", "failed_password", "--sparse", "--threads", "1"]);
    expect(f.code).toBe(0);
    expect(f.out.split("\n")[1]).toContain(",2019-03-");
  });
  it("a misspelled option gets the closest known one, as every other command does (it got node's text about '--')", () => {
    const r = run(["rules", "data/sim/auth.log", "--rule", "data/rules"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^siemlab: Unknown option '--rule' \(did you mean '--rules'\?\)/);
    expect(r.err).not.toContain("positional argument");
  });

  it("writes one JSON line per alert and a summary on stderr", () => {
    const r = run(["rules", path.join(FIX, "ssh-brute-force.pos.log"), "--rules", "data/rules", "--year", "2025"]);
    expect(r.code).toBe(0);
    const alerts = lines(r.out);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      detector: "sigma:ssh_brute_force", entity: "198.51.100.23", entityType: "ip", value: 12, eventCount: 12,
      firedAt: "2025-03-06T10:00:27.000Z", rule: { level: "high", type: "event_count" }, anomalyScore: 85,
    });
    expect(alerts[0].events).toHaveLength(12);
    expect(r.err).toContain("rules loaded: 9 detection, 6 correlation; 0 rule errors; 1 alerts (mode window)");
    expect(r.err).toContain("sigma:ssh_failed_password: 12 matching events (feeds a correlation)");
  });

  it("a bad rule is a diagnostic; the other rules still run", () => {
    const dir = path.join(tmp, "mixed");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "bad.yml"), "title: bad\nlogsource: {category: webserver}\ndetection: {s: {c-uri|contians: x}, condition: s}\n");
    fs.writeFileSync(path.join(dir, "bomb.yml"), "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n");
    fs.copyFileSync("data/rules/web-scanner-user-agent.yml", path.join(dir, "ua.yml"));
    const r = run(["rules", path.join(FIX, "web-scanner-user-agent.pos.log"), "--rules", dir]);
    // The good rule ran and wrote its alerts; the broken ones make the exit code 1 (a CI job must notice).
    expect(r.code).toBe(1);
    expect(lines(r.out).map((a) => a.entity)).toEqual(["198.51.100.9", "198.51.100.10"]);
    expect(r.err).toMatch(/error: .*bad\.yml: rule "bad" at detection\.s\.c-uri\|contians: unknown modifier 'contians' \(did you mean 'contains'\?\)/);
    expect(r.err).toMatch(/bomb\.yml: .*alias bomb/);
    expect(r.err).toContain("1 detection, 0 correlation; 2 rule errors; 2 alerts");
  });

  it("a YAML error names its line and column (new-user trial T9)", () => {
    const dir = path.join(tmp, "yaml-errors");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "tab.yml"), "title: t\nlogsource: {product: linux}\ndetection:\n\ts: x\n");
    const r = run(["rules", path.join(FIX, "web-scanner-user-agent.pos.log"), "--rules", dir]);
    expect(r.err).toMatch(/tab\.yml: YAML line 4, column 1: Tabs are not allowed as indentation/);
  });

  it("reports every error of a rule file, not just the first, each where it is; still exit 1 (new-user trial T9)", () => {
    const dir = path.join(tmp, "many-errors");
    fs.mkdirSync(dir);
    // A correlation with a bad timespan AND an unknown rule (only the timespan was reported).
    fs.writeFileSync(path.join(dir, "corr.yml"), "title: corr\ncorrelation:\n  type: event_count\n  rules: [nonexistent_rule]\n  group-by: [c-ip]\n  timespan: 1x\n  condition: {gte: 5}\n");
    // A detection rule with three mistakes in three places.
    fs.writeFileSync(path.join(dir, "det.yml"), "title: det\nlogsource: {prodcut: linux, service: sshd}\ndetection:\n  sel:\n    user|contans: root\n  condition: sel and nope\n");
    // Two YAML syntax errors, on lines 4 and 7.
    fs.writeFileSync(path.join(dir, "yaml.yml"), "title: y\nlogsource:\n  product: linux\n\tservice: sshd\ndetection:\n  sel: x\n\tcondition: sel\n");
    fs.copyFileSync("data/rules/web-scanner-user-agent.yml", path.join(dir, "ua.yml"));
    const r = run(["rules", path.join(FIX, "web-scanner-user-agent.pos.log"), "--rules", dir]);
    expect(r.code).toBe(1);
    expect(lines(r.out).map((a) => a.entity)).toEqual(["198.51.100.9", "198.51.100.10"]); // the good rule still ran
    const errs = r.err.split("\n").filter((l) => l.startsWith("siemlab: error: "));
    const of = (f: string) => errs.filter((l) => l.includes(`${f}: `));
    expect(of("corr.yml")).toHaveLength(2);
    expect(of("corr.yml")[0]).toMatch(/at correlation\.timespan: timespan must be .* got .*1x/);
    expect(of("corr.yml")[1]).toMatch(/at correlation\.rules: no loaded rule has id or name 'nonexistent_rule'/);
    expect(of("det.yml").map((l) => /at (\S+):/.exec(l)?.[1])).toEqual(["logsource.prodcut", "detection.sel.user|contans", "detection.condition"]);
    expect(of("det.yml")[2]).toContain("unknown selection 'nope'");
    expect(of("yaml.yml").map((l) => /YAML line (\d+), column (\d+)/.exec(l)?.slice(1, 3).join(":"))).toEqual(["4:1", "7:1"]);
    expect(r.err).toContain("1 detection, 0 correlation; 7 rule errors; 2 alerts");
  });

  it("no loadable rule is exit 1; a missing --rules or bad option is exit 2", () => {
    const dir = path.join(tmp, "empty");
    fs.mkdirSync(dir);
    const r = run(["rules", path.join(FIX, "web-tls-on-http.pos.log"), "--rules", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no rule loaded");
    expect(run(["rules", path.join(FIX, "web-tls-on-http.pos.log")]).code).toBe(2);
    const bad = run(["rules", "-", "--rules", "data/rules", "--mode", "sometimes"], "");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--mode expects 'window' or 'every'");
    expect(run(["rules", "--help"]).out).toContain("--group-within");
  });

  it("--mode every fires at each event whose trailing window holds", () => {
    const args = ["rules", path.join(FIX, "ssh-brute-force.pos.log"), "--rules", "data/rules/ssh-brute-force.yml", "--year", "2025"];
    expect(lines(run(args).out)).toHaveLength(1);
    expect(lines(run([...args, "--mode", "every"]).out)).toHaveLength(3); // the 10th, 11th and 12th failure
  });

  it("--mapping adds a field name; log text is escaped in the JSON lines", () => {
    const map = path.join(tmp, "map.yml");
    fs.writeFileSync(map, "Agent: fields.userAgent\n");
    const rule = path.join(tmp, "agent.yml");
    fs.writeFileSync(rule, "title: evil agent\nlogsource: {category: webserver}\ndetection: {s: {Agent|contains: evil}, condition: s}\n");
    const log = '203.0.113.1 - - [06/Mar/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "evil\u001b[2J\u202e"\n';
    const r = run(["rules", "-", "--rules", rule, "--mapping", map], log);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/[\u001b\u202e]/);
    expect(lines(r.out)).toHaveLength(1);
    expect(r.err).not.toContain("in no siemlab mapping");
    const without = run(["rules", "-", "--rules", rule], log);
    expect(lines(without.out)).toHaveLength(0);
    expect(without.err).toContain("field 'Agent' is in no siemlab mapping");
    fs.writeFileSync(map, "Agent: feilds.userAgent\n");
    expect(run(["rules", "-", "--rules", rule, "--mapping", map], log).code).toBe(2);
  });
});
