/**
 * A source address that is digits and dots but no IPv4 address (999.1.1.1, 1.2.3.4.5, 10.1.2. cut short) is a
 * reject naming it in the formats other tools write (RFC 5424, CSV, JSON lines) — never an entity of its own.
 */
import { describe, expect, it } from "vitest";
import { addressProblem } from "../../src/ingest/auth-events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseLog, parseLogLines } from "../../src/ingest/parse-log";
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
  it("RFC 5424, CSV and JSON lines (RFC 3164 syslog: sshd writes the address itself, and a half line is a reject)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-address-")), "cut.log");
    const first = "Mar  6 04:41:33 gw sshd[1]: Failed password for test from 1.2.3.4 port 1 ssh2\n";
    fs.writeFileSync(file, first + "Mar  6 04:41:34 gw sshd[2]: Invalid user x from 74.181.217.55\n");
    // The read stops inside the second line (maxBytes): "… from 74.181.217." is not parsed.
    const syslog = await parseLog(file, { format: "rfc3164", year: 2025, maxBytes: first.length + 58 });
    expect(syslog.events.map((e) => e.srcIp)).toEqual(["1.2.3.4"]);
    expect(syslog.rejects[0]).toMatchObject({ lineNo: 2, reason: expect.stringMatching(/^the input ends inside this line/) });

    const rfc5424 = parseLogLines(["<38>1 2025-03-06T04:41:33Z gw sshd 1 - - Failed password for u from 10.0.0.300 port 2 ssh2"], { format: "rfc5424" });
    expect(rfc5424.rejects[0].reason).toMatch(/^source address "10\.0\.0\.300" is not an IPv4 address/);

    const csv = parseLogLines(["time,user,src_ip,action", "2025-03-06T04:41:33Z,alice,10.0.0.1,login_failed", "2025-03-06T04:41:34Z,bob,10.0.0.999,login_failed"], { format: "csv" });
    expect([csv.events.map((e) => e.srcIp), csv.rejects.map((x) => x.lineNo)]).toEqual([["10.0.0.1"], [1, 3]]);

    const json = parseLogLines(['{"@timestamp":"2025-03-06T04:41:33Z","source":{"ip":"1.2.3"},"event":{"action":"login"}}'], { format: "jsonl" });
    expect(json.rejects[0].reason).toMatch(/^source address "1\.2\.3" is not an IPv4 address/);
  });
});
