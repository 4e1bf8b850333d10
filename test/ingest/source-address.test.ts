/**
 * A source address that is digits and dots but no IPv4 address (999.1.1.1, 1.2.3.4.5, 10.1.2. cut short) is a
 * reject naming it, in every format that reads one — never an entity of its own in the counts.
 */
import { describe, expect, it } from "vitest";
import { addressProblem } from "../../src/ingest/auth-events";
import { parseLogLines } from "../../src/ingest/parse-log";
import { windowCounts } from "../../src/features/window-counts";

const BAD = ["999.1.1.1", "1.2.3.4.5", "74.181.217.", ".1.2.3", "1..2.3", "1.2.3", "256.0.0.1", "1.2.3.1000", "0.0.0.256"];
const GOOD = ["1.2.3.4", "0.0.0.0", "255.255.255.255", "010.001.000.009", "gw.example.org", "host-1", "2001:db8::1", "::ffff:1.2.3.4", "12345", "1.2.3.4:22", "a.1.2.3"];

describe("addressProblem", () => {
  it("refuses digits-and-dots text that is not four numbers 0–255, and judges nothing else", () => {
    for (const s of BAD) expect(addressProblem(s), s).toBe(`source address "${s}" is not an IPv4 address (digits and dots, but not four numbers 0–255)`);
    for (const s of GOOD) expect(addressProblem(s), s).toBeUndefined();
  });

  it("agrees with a dotted-quad rule on every string of up to 8 characters over digits and dots", () => {
    const alphabet = ["0", "1", "2", "5", "6", "9", "."];
    const reference = (s: string): boolean => {
      if (!s.includes(".")) return true; // not judged
      const parts = s.split(".");
      return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && +p <= 255);
    };
    let level = [""];
    let n = 0;
    for (let len = 1; len <= 8; len++) {
      const next: string[] = [];
      for (const s of level) for (const c of alphabet) next.push(s + c);
      for (const s of next) {
        n++;
        if ((addressProblem(s) === undefined) !== reference(s)) throw new Error(`disagree on ${JSON.stringify(s)}`);
      }
      level = next;
    }
    expect(n).toBe(6_725_600);
  }, 120_000);
});

describe("an impossible source address is a reject", () => {
  it("syslog (sshd fast path, general path, a folded line), RFC 5424, CSV and JSON lines", () => {
    const syslog = [
      "Mar  6 04:41:33 gw sshd[1]: Failed password for test from 999.1.1.1 port 1 ssh2",
      "Mar  6 04:41:34 gw sshd[2]: Failed password for test from 1.2.3.4 port 1 ssh2",
      "Mar  6 04:41:35 gw sshd[3]: Invalid user x from 74.181.217.",
      "Mar  6 04:41:36 gw sshd[4]: message repeated 3 times: [ Failed password for root from 1.2.3.4.5 port 22 ssh2]",
      "Mar  6 04:41:37 gw sshd[5]: Accepted publickey for alice from 256.0.0.1 port 22 ssh2: RSA SHA256:abc",
    ];
    const r = parseLogLines(syslog, { format: "rfc3164", year: 2025 });
    expect(r.rejects.map((x) => [x.lineNo, x.reason.split(" is not an IPv4 address")[0]])).toEqual([
      [1, 'source address "999.1.1.1"'],
      [3, 'source address "74.181.217."'],
      [4, 'source address "1.2.3.4.5"'],
      [5, 'source address "256.0.0.1"'],
    ]);
    expect(r.events.map((e) => e.srcIp)).toEqual(["1.2.3.4"]);
    expect(windowCounts(r.events, { by: "srcIp", zeroFill: false }).entities).toEqual(["1.2.3.4"]);

    const rfc5424 = parseLogLines(["<38>1 2025-03-06T04:41:33Z gw sshd 1 - - Failed password for u from 10.0.0.300 port 2 ssh2"], { format: "rfc5424" });
    expect(rfc5424.rejects[0].reason).toMatch(/^source address "10\.0\.0\.300" is not an IPv4 address/);

    const csv = parseLogLines(["time,user,src_ip,action", "2025-03-06T04:41:33Z,alice,10.0.0.1,login_failed", "2025-03-06T04:41:34Z,bob,10.0.0.999,login_failed"], { format: "csv" });
    expect([csv.events.map((e) => e.srcIp), csv.rejects.map((x) => x.lineNo)]).toEqual([["10.0.0.1"], [1, 3]]);

    const json = parseLogLines(['{"@timestamp":"2025-03-06T04:41:33Z","source":{"ip":"1.2.3"},"event":{"action":"login"}}'], { format: "jsonl" });
    expect(json.rejects[0].reason).toMatch(/^source address "1\.2\.3" is not an IPv4 address/);
  });
});
