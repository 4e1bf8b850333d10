import { describe, expect, it } from "vitest";
import { parseLog } from "../../src/ingest/parse-log";
import { loghubFile, loghubPresent, readCsvRecords } from "./csv-fixture";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const stamp = (t: number) => {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};

// Loghub OpenSSH event ids → the event type our sshd classifier must give (every template covered).
const OPENSSH_TYPES: Record<string, string> = {
  E1: "accepted_password", E2: "connection_closed", E3: "no_identification", E4: "too_many_auth_failures",
  E5: "too_many_auth_failures", E6: "disconnect", E7: "disconnect", E8: "failed_none", E9: "failed_password",
  E10: "failed_password", E11: "sshd_error", E12: "invalid_user_preauth", E13: "invalid_user", E14: "failed_password",
  E15: "pam_more_failures", E16: "pam_more_failures", E17: "pam_more_failures", E18: "pam_max_retries",
  E19: "auth_failure", E20: "auth_failure", E21: "pam_user_unknown", E22: "session_closed", E23: "session_opened",
  E24: "disconnect", E25: "disconnect", E26: "disconnect", E27: "break_in_attempt",
};

/** The first event of each line (a folded line, "message repeated N times", yields N events). */
const firstPerLine = <T extends { lineNo: number }>(events: T[]) => events.filter((e, i) => i === 0 || events[i - 1].lineNo !== e.lineNo);

describe.skipIf(!loghubPresent)("Loghub samples (../shared/datasets)", () => {
  it("OpenSSH: every line parses; host, pid, time, message and event type match the structured CSV", async () => {
    const r = await parseLog(loghubFile("OpenSSH"), { format: "auto", year: 2015 });
    const truth = readCsvRecords(loghubFile("OpenSSH", "_structured.csv"));
    expect(r.format).toBe("rfc3164");
    expect(r.counts).toMatchObject({ read: 2000, parsed: 2000, rejected: 0 });
    expect(truth).toHaveLength(2000);
    const firsts = firstPerLine(r.events);
    expect(firsts).toHaveLength(2000);
    // Each "message repeated N times" line stands for N events.
    const folds = truth.map((t) => /^message repeated (\d+) times/.exec(t.Content)).filter((m) => m !== null);
    expect(folds.length).toBeGreaterThan(0);
    expect(r.events.length).toBe(2000 + folds.reduce((a, m) => a + +m![1] - 1, 0));
    expect(r.counts.folded).toBe(folds.reduce((a, m) => a + +m![1], 0));
    for (let i = 0; i < 2000; i++) {
      const e = firsts[i];
      const t = truth[i];
      expect(e.lineNo).toBe(+t.LineId);
      expect([e.host, e.process, e.pid, stamp(e.time)]).toEqual([t.Component, "sshd", +t.Pid, `${t.Date} ${+t.Day} ${t.Time}`]);
      expect(e.message.trim()).toBe(t.Content.trim());
      expect([t.EventId, e.eventType]).toEqual([t.EventId, OPENSSH_TYPES[t.EventId]]);
    }
  });

  it("OpenSSH: user, source IP and port of failed / accepted passwords agree with the raw text", async () => {
    const r = await parseLog(loghubFile("OpenSSH"), { year: 2015 });
    const pw = r.events.filter((e) => e.eventType === "failed_password" || e.eventType === "accepted_password");
    expect(pw.length).toBe(r.counts.byEventType.failed_password + r.counts.byEventType.accepted_password);
    expect(pw.length).toBeGreaterThan(500);
    for (const e of pw) {
      const m = /(?:Failed|Accepted) password for (?:invalid user )?(.*?) from (\S+) port (\d+)/.exec(e.message);
      expect(m).not.toBeNull();
      expect([e.user, e.srcIp, e.srcPort, e.outcome]).toEqual([m![1], m![2], +m![3], e.eventType === "accepted_password" ? "success" : "failure"]);
    }
    const ips = new Set(r.events.filter((e) => e.eventType === "failed_password").map((e) => e.srcIp));
    expect(ips.has("183.62.140.253")).toBe(true);
  });

  it("OpenSSH: the December → January roll-over is not triggered inside a December file", async () => {
    const r = await parseLog(loghubFile("OpenSSH"), { year: 2015 });
    expect(new Set(r.events.map((e) => new Date(e.time).getUTCFullYear()))).toEqual(new Set([2015]));
  });

  it("Linux: every line parses; host, process (tag), pid and message match the structured CSV", async () => {
    const r = await parseLog(loghubFile("Linux"), { year: 2005 });
    const truth = readCsvRecords(loghubFile("Linux", "_structured.csv"));
    expect(r.format).toBe("rfc3164");
    expect(r.counts).toMatchObject({ read: 2000, parsed: 2000, rejected: 0 });
    const firsts = firstPerLine(r.events);
    for (let i = 0; i < 2000; i++) {
      const e = firsts[i];
      const t = truth[i];
      expect([e.lineNo, e.host, e.process, e.pid ?? "", stamp(e.time)]).toEqual([
        +t.LineId, t.Level, t.Component, t.PID === "" ? "" : +t.PID, `${t.Month} ${+t.Date} ${t.Time}`,
      ]);
      expect(e.message.trim()).toBe(t.Content.trim());
      // Event types where the Loghub template pins them.
      const tpl = t.EventTemplate;
      if (tpl.startsWith("authentication failure;")) expect(e.eventType).toBe("auth_failure");
      if (tpl.startsWith("check pass; user unknown")) expect(e.eventType).toBe("pam_user_unknown");
      if (tpl.startsWith("session opened for user")) expect(e.eventType).toBe("session_opened");
      if (tpl.startsWith("session closed for user")) expect(e.eventType).toBe("session_closed");
      if (tpl.startsWith("connection from")) expect(e.eventType).toBe("ftp_connection");
    }
    const authFail = r.events.find((e) => e.lineNo === 4)!;
    expect([authFail.srcIp, authFail.user, authFail.outcome]).toEqual(["220-135-151-1.hinet-ip.hinet.net", "root", "failure"]);
  });

  it("Apache: the error log parses fully; level, message and client IP match the structured CSV", async () => {
    const r = await parseLog(loghubFile("Apache"));
    const truth = readCsvRecords(loghubFile("Apache", "_structured.csv"));
    expect(r.format).toBe("apache-error");
    expect(r.counts).toMatchObject({ read: 2000, parsed: 2000, rejected: 0 });
    for (let i = 0; i < 2000; i++) {
      const e = r.events[i];
      const t = truth[i];
      expect([e.level, e.message.trim()]).toEqual([t.Level, t.Content.trim()]);
      const client = /^\[client (\S+)\]/.exec(t.Content);
      expect(e.srcIp).toBe(client ? client[1] : undefined);
      if (t.EventId === "E4") expect(e.eventType).toBe("access_denied");
      const d = new Date(e.time);
      expect(d.toUTCString().slice(0, 3)).toBe(t.Time.slice(0, 3)); // weekday agrees with the date
    }
  });
});
