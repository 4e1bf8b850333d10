import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLogLines } from "../../src/ingest/parse-log";
import { loadSigmaRules, runSigmaRules } from "../../src/rules/index";
import { loghubFile, loghubPresent, readCsvRecords } from "../ingest/csv-fixture";

// The rule pack on real logs (Loghub's OpenSSH sample), checked against an independent count made from
// Loghub's own structured CSV (its Content and Time columns), not from siemlab's parser.
describe.skipIf(!loghubPresent)("rule pack on Loghub OpenSSH", () => {
  const { events, rejects } = loghubPresent ? parseLogLines(fs.readFileSync(loghubFile("OpenSSH"), "utf8"), { year: 2015 }) : { events: [], rejects: [] };
  const run = runSigmaRules(events, loadSigmaRules("data/rules"));
  const records = loghubPresent ? readCsvRecords(loghubFile("OpenSSH", "_structured.csv")) : [];
  const seconds = (r: Record<string, string>) => {
    const [h, m, s] = r.Time.split(":").map(Number);
    return +r.Day * 86400 + h * 3600 + m * 60 + s;
  };
  /** IPs with at least `k` lines matching `re` within `span` seconds (windows anchored at each line). */
  const bursts = (re: RegExp, k: number, span: number, distinctUsers = false) => {
    const byIp = new Map<string, Array<{ t: number; user: string }>>();
    for (const r of records) {
      const m = re.exec(r.Content);
      if (!m) continue;
      const g = m.groups!;
      const ip = g.ip ?? g.ip2;
      const list = byIp.get(ip) ?? [];
      list.push({ t: seconds(r), user: g.user ?? g.user2 });
      byIp.set(ip, list);
    }
    const out = new Set<string>();
    for (const [ip, list] of byIp) {
      for (const a of list) {
        const inWindow = list.filter((b) => b.t >= a.t && b.t < a.t + span);
        if ((distinctUsers ? new Set(inWindow.map((b) => b.user)).size : inWindow.length) >= k) out.add(ip);
      }
    }
    return [...out].sort();
  };
  const alerted = (rule: string) => [...new Set(run.alerts.filter((a) => a.detector === rule).map((a) => a.entity))].sort();

  it("parses every line and loads the pack without run-time diagnostics", () => {
    expect(rejects).toEqual([]);
    expect(run.diagnostics).toEqual([]);
  });
  it("ssh_brute_force alerts on exactly the addresses with ≥ 10 failed passwords in a minute", () => {
    const truth = bursts(/^Failed password for (?:invalid user )?(?<user>.*) from (?<ip>\S+) port/, 10, 60);
    expect(truth.length).toBeGreaterThan(0);
    expect(alerted("sigma:ssh_brute_force")).toEqual(truth);
  });
  it("ssh_password_spraying alerts on exactly the addresses with ≥ 8 users failing in 15 minutes", () => {
    const truth = bursts(/^(?:Failed password for (?:invalid user )?(?<user>.*) from (?<ip>\S+) port|Invalid user (?<user2>.*) from (?<ip2>\S+))/, 8, 900, true);
    expect(truth.length).toBeGreaterThan(0);
    expect(alerted("sigma:ssh_password_spraying")).toEqual(truth);
  });
});
