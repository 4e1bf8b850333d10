import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { OptionError } from "../../src/errors";
import { parseLogLines } from "../../src/ingest/parse-log";
import { createRfc3164Parser } from "../../src/ingest/syslog-rfc3164";

const iso = (t: number) => new Date(t).toISOString();
const ev = (r: unknown) => r as LogEvent;

describe("RFC 3164 parser", () => {
  it("reads header fields and the sshd event", () => {
    const e = ev(createRfc3164Parser({ year: 2024 }).parseLine("Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 1.2.3.4 port 38926 ssh2", 7));
    expect(e).toMatchObject({ lineNo: 7, host: "LabSZ", process: "sshd", pid: 24200, eventType: "failed_password", outcome: "failure", user: "root", srcIp: "1.2.3.4", srcPort: 38926 });
    expect(iso(e.time)).toBe("2024-12-10T06:55:46.000Z");
  });

  it("rolls the year over from December to January and places a late straggler in the old year", () => {
    const p = createRfc3164Parser({ year: 2023 });
    const lines = ["Dec 31 23:59:58 h app: a", "Jan  1 00:00:01 h app: b", "Dec 31 23:59:59 h app: late", "Jan  2 10:00:00 h app: c"];
    expect(lines.map((l, i) => iso(ev(p.parseLine(l, i + 1)).time))).toEqual([
      "2023-12-31T23:59:58.000Z", "2024-01-01T00:00:01.000Z", "2023-12-31T23:59:59.000Z", "2024-01-02T10:00:00.000Z",
    ]);
  });

  it("infers the year from the reference date: never after it", () => {
    const ref = { format: "rfc3164", referenceDate: "2025-01-05T00:00:00Z" };
    expect(iso(parseLogLines(["Dec 28 10:00:00 h app: x"], ref).events[0].time)).toBe("2024-12-28T10:00:00.000Z");
    expect(iso(parseLogLines(["Jan  4 10:00:00 h app: x"], ref).events[0].time)).toBe("2025-01-04T10:00:00.000Z");
  });

  it("applies a fixed time-zone offset and refuses named zones with a hint", () => {
    const e = ev(createRfc3164Parser({ year: 2024, timeZone: "+02:00" }).parseLine("Mar  1 10:00:00 h app: x", 1));
    expect(iso(e.time)).toBe("2024-03-01T08:00:00.000Z");
    expect(() => createRfc3164Parser({ timeZone: "Europe/Paris" })).toThrow(/named zones are not supported/);
    expect(() => createRfc3164Parser({ year: 24.5 })).toThrow(OptionError);
  });

  it("reads <PRI>, tags with spaces, missing pid, no tag, RFC 3339 stamps", () => {
    const p = createRfc3164Parser({ year: 2024 });
    expect(p.parseLine("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", 1)).toMatchObject({
      level: "crit", process: "su", eventType: "su", outcome: "failure", user: "lonvick", fields: { facility: 4, targetUser: "root" },
    });
    expect(p.parseLine("Jun 19 04:09:11 combo syslogd 1.4.1: restart.", 2)).toMatchObject({ process: "syslogd 1.4.1", pid: undefined, message: "restart." });
    expect(p.parseLine("Jun 19 04:09:11 combo a message without a tag", 3)).toMatchObject({ process: undefined, message: "a message without a tag" });
    const e = ev(p.parseLine("2025-03-06T08:00:00.250+01:00 web01 sshd[9]: Accepted publickey for bob from 10.1.2.3 port 5000 ssh2: ED25519 SHA256:abc", 4));
    expect(iso(e.time)).toBe("2025-03-06T07:00:00.250Z");
    expect(e).toMatchObject({ host: "web01", eventType: "accepted_publickey", outcome: "success", user: "bob", fields: { detail: "ED25519 SHA256:abc" } });
  });

  it("rejects malformed lines with a reason", () => {
    const p = createRfc3164Parser({ year: 2024 });
    expect(p.parseLine("", 1)).toBe("empty line");
    expect(p.parseLine("Foo 10 06:55:46 h app: x", 1)).toMatch(/expected an RFC 3164/);
    expect(p.parseLine("Feb 30 06:55:46 h app: x", 1)).toMatch(/day 30 does not exist/);
    expect(p.parseLine("Feb 10 25:55:46 h app: x", 1)).toMatch(/invalid date or time/);
    expect(p.parseLine("Feb 10 06:55:46 ", 1)).toMatch(/expected an RFC 3164|missing host/);
  });
});
