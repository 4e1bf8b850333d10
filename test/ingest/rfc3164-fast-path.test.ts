/**
 * The hand-written fast paths of the auth.log parser (timestamp from char codes with a per-stamp cache,
 * midnight per day, `name[pid]` read backwards, sshd password lines without a regex) against a general
 * reference written the plain way: slices, trim, lastIndexOf, Date.UTC per line, and the Failed/Accepted
 * regular expression. Every line of the Loghub OpenSSH sample (when present), of data/sim/auth.log and of a
 * set of awkward lines must give the same event, line for line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { classifyAuthMessage, setAuthFastPaths } from "../../src/ingest/auth-events";
import { LineDriver } from "../../src/ingest/parse-log";
import { createRfc3164Parser } from "../../src/ingest/syslog-rfc3164";
import { loghubFile, loghubPresent } from "./csv-fixture";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const STAMP = /^(\w{3}) ( \d|\d\d|\d) (\d\d):(\d\d):(\d\d)(\.\d{1,9})? /;
const FAILED_ACCEPTED = /^(Failed|Accepted) (\S+) for ((?:invalid|illegal) user )?(.*) from ([^ ]+)(?: port (\d+))?(?: (ssh2?))?(?:: (.*))?$/;
const REPEATED = /^message repeated (\d+) times: \[ ?(.*)\]$/;

/** Reference parse of a plain RFC 3164 line (no <PRI>, no ISO stamp), year fixed, no roll-over: the general way. */
function reference(text: string, lineNo: number, year: number): Partial<LogEvent> | string {
  const m = STAMP.exec(text);
  if (!m || !MONTHS.includes(m[1])) return "shape";
  const day = +m[2].trim();
  const frac = m[6] ? Math.floor(+("0" + m[6]) * 1000 + 1e-9) : 0;
  const t = Date.UTC(year, MONTHS.indexOf(m[1]), day, +m[3], +m[4], +m[5]) + frac;
  if (new Date(t - frac).getUTCDate() !== day || +m[3] > 23 || +m[4] > 59 || +m[5] > 60) return "date";
  const at = m[0].length;
  let hostEnd = text.indexOf(" ", at);
  if (hostEnd <= at) return "host";
  let host: string | undefined = text.slice(at, hostEnd);
  if (host.endsWith(":")) {
    host = undefined;
    hostEnd = at - 1;
  }
  let process: string | undefined;
  let pid: number | undefined;
  let message: string;
  const colon = text.indexOf(":", hostEnd + 1);
  if (colon > hostEnd && colon - hostEnd <= 64 && (colon + 1 === text.length || text[colon + 1] === " ")) {
    let tag = text.slice(hostEnd + 1, colon).trim();
    const open = tag.lastIndexOf("[");
    const digits = tag.slice(open + 1, -1);
    if (tag.endsWith("]") && open > 0 && /^\d{1,10}$/.test(digits)) {
      pid = +digits;
      tag = tag.slice(0, open);
    }
    process = tag === "" ? undefined : tag;
    message = text.slice(text[colon + 1] === " " ? colon + 2 : colon + 1);
  } else message = text.slice(hostEnd + 1);
  const out: { -readonly [K in keyof LogEvent]?: LogEvent[K] } = { lineNo, time: t, host, process, pid, message };
  const rep = REPEATED.exec(message);
  if (rep) {
    // A fold: N events of what it holds (1 to maxFolded = 10,000; others are rejects).
    if (+rep[1] < 1 || +rep[1] > 10_000) return "fold";
    out.folded = +rep[1];
    message = rep[2];
  }
  const fa = process !== undefined && /^sshd(?!\()/.test(process) ? FAILED_ACCEPTED.exec(message) : null;
  if (fa && fa[2] === "password") {
    // What the general regex branch of the classifier makes of a password line.
    const ok = fa[1] === "Accepted";
    const fields: Record<string, string | boolean> = { method: "password" };
    if (fa[3]) fields.invalidUser = true;
    if (fa[8]) fields.detail = fa[8];
    Object.assign(out, {
      eventType: ok ? "accepted_password" : "failed_password", outcome: ok ? "success" : "failure",
      user: fa[4], srcIp: fa[5], srcPort: fa[6] !== undefined && +fa[6] <= 65535 ? +fa[6] : undefined, fields,
    });
  } else {
    // The general (regular-expression) classifier: its fast paths are what the parser side uses.
    const was = setAuthFastPaths(false);
    const facts = classifyAuthMessage(process, message);
    setAuthFastPaths(was);
    Object.assign(out, { eventType: facts.eventType, outcome: facts.outcome, user: facts.user, srcIp: facts.srcIp, srcPort: facts.srcPort, fields: facts.fields });
  }
  return out;
}

/** Every line through the parser (pairing off: it is compared on its own below), first event per line. */
function parseEach(lines: string[], year: number): Map<number, LogEvent | string> {
  const got = new Map<number, LogEvent | string>();
  const d = new LineDriver(createRfc3164Parser({ year, pairAttempts: false }), {
    onEvent: (e) => { if (!got.has(e.lineNo)) got.set(e.lineNo, e); },
    onReject: (r) => got.set(r.lineNo, r.reason),
  });
  lines.forEach((text, i) => d.feedText(text, i + 1, 0));
  d.end();
  return got;
}

function compareAll(lines: string[], year: number): number {
  const got = parseEach(lines, year);
  let compared = 0;
  lines.forEach((text, i) => {
    const r = got.get(i + 1);
    const want = reference(text, i + 1, year);
    if (typeof want === "string") {
      expect(typeof r, `line ${i + 1}: ${text}`).toBe("string");
      return;
    }
    const e = r as LogEvent;
    expect({ ...e, fields: e.fields === undefined ? undefined : { ...e.fields } }, `line ${i + 1}: ${text}`).toEqual({ ...want, level: undefined });
    compared++;
  });
  return compared;
}

const awkward = [
  "Mar  6 06:00:01 gw01 sshd[3103]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Mar 06 06:00:01 gw01 sshd[3103]: Failed password for invalid user a b from 1.2.3.4 port 65535 ssh2",
  "Mar  6 06:00:01 gw01 sshd[3103]: Failed password for root from 1.2.3.4 port 65536 ssh2",
  "Mar  6 06:00:01 gw01 sshd[3103]: Failed password for root from 1.2.3.4 port 22 ssh1",
  "Mar  6 06:00:01 gw01 sshd[3103]: Failed password for root from 1.2.3.4 port 22",
  "Mar  6 06:00:01 gw01 sshd[3103]: Accepted password for bob from ::1 port 2222 ssh2",
  "Mar  6 06:00:01 gw01 sshd[3103]: Failed password for root from 1.2.3.4 port 22 ssh2: extra",
  "Mar  6 06:00:01 gw01 sshd[]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Mar  6 06:00:01 gw01 sshd[12345678901]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Mar  6 06:00:01 gw01 sshd[1a2]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Mar  6 06:00:01 gw01 [42]: orphan pid",
  "Mar  6 06:00:01 gw01  sshd[42]: leading space in the tag",
  "Mar  6 06:00:01 gw01 a[b][42]: two brackets",
  "Mar  6 06:00:01 gw01 sshd(pam_unix)[42]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=9.9.9.9",
  "Mar  6 06:00:01 gw01 syslogd 1.4.1: restart.",
  "Mar  6 06:00:01 gw01 kernel: no pid",
  "Mar  6 06:00:01 hôte sshd[7]: Failed password for rené from 1.2.3.4 port 22 ssh2",
  "Feb 29 10:00:00 gw01 sshd[1]: Feb 29 in a non-leap year",
  "Feb 28 23:59:60 gw01 sshd[1]: a leap second at the end of the day",
  "Feb 28 23:59:59 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Feb 28 23:59:59 gw01 sshd[1]: same stamp as the previous line",
  "Jun 31 00:00:00 gw01 sshd[1]: June has 30 days",
  "Jun 30 24:00:00 gw01 sshd[1]: hour 24",
  "Mar  6 06:00:01 gw01 sshd[3103]:",
  "Mar  6 10:00:00 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Mar  7 10:00:00 gw01 sshd[1]: the same clock on the next day",
  "Apr  7 10:00:00 gw01 sshd[1]: the same clock and day in the next month",
  "Apr  7 10:00:00 gw01 sshd[1]: Accepted password for invalid user x from 1.2.3.4 port 22 ssh2",
  // The shapes of issue 9: one-space day, fraction, no host, last "from" wins, IPv6 without port, folds.
  "Apr 7 10:00:00 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Apr 7 10:00:00.5 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Apr  7 10:00:00.123456 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Apr 17 10:00:00.999 gw01 sshd[1]: same second, other fraction",
  "Apr 17 10:00:00 sshd[77]: Failed password for root from 1.2.3.4 port 22 ssh2",
  "Apr 17 10:00:00 kernel: no host, no pid",
  "Apr 17 10:00:00 gw01 sshd[1]: Failed password for invalid user a from 9.9.9.9 port 1 ssh2 from 1.2.3.4 port 22 ssh2",
  "Apr 17 10:00:00 gw01 sshd[1]: Failed password for root from 2001:db8::1",
  "Apr 17 10:00:00 gw01 sshd[1]: Failed password for illegal user bob from 1.2.3.4 port 22 ssh2",
  "Apr 17 10:00:00 gw01 sshd[1]: message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]",
  "Apr 17 10:00:00 gw01 sshd[1]: [ID 800047 auth.info] Failed password for root from 1.2.3.4 port 22 ssh2",
  "Apr 17 10:00:00 gw01 sshd[1]: Failed password for root from 1.2.3.4 port 99999 ssh2",
];

describe("rfc3164 fast paths = the general way, line for line", () => {
  it("awkward lines (pid shapes, tags with spaces, non-ASCII, impossible dates, stamp cache)", () => {
    expect(compareAll(awkward, 2025)).toBeGreaterThan(15);
  });

  it("data/sim/auth.log", () => {
    const lines = fs.readFileSync(path.resolve(__dirname, "../../data/sim/auth.log"), "utf8").split("\n").filter((l) => l !== "");
    expect(compareAll(lines, 2025)).toBe(lines.length);
  });

  it("every BSD-stamped shape of the auth corpus (test/ingest/corpus/auth.jsonl)", () => {
    const shapes = fs
      .readFileSync(path.resolve(__dirname, "corpus/auth.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { format: string; line: string; year?: number })
      .filter((c) => c.format === "rfc3164" && STAMP.test(c.line));
    expect(shapes.length).toBeGreaterThan(100);
    // Each shape alone (its own year, a fresh stamp cache), then all of them in one run (the cache in use).
    // (compareAll checks each line: same event, or a reject on both sides; it returns the events compared.)
    let compared = 0;
    for (const c of shapes) compared += compareAll([c.line], c.year ?? 2024);
    expect(compared).toBeGreaterThan(100);
    // ("last message repeated" copies the previous event: alone it is an event of its own, here it is not.)
    const sameYear = shapes.filter((c) => (c.year ?? 2024) === 2024 && !c.line.includes("last message repeated")).map((c) => c.line);
    expect(compareAll(sameYear, 2024)).toBeGreaterThan(sameYear.length - 10);
  });

  it.skipIf(!loghubPresent)("Loghub OpenSSH sample", () => {
    // (CRLF line ends in the sample: without the CR the messages reach the classifier's fast paths)
    const lines = fs.readFileSync(loghubFile("OpenSSH"), "utf8").split(/\r?\n/).filter((l) => l !== "");
    expect(compareAll(lines, 2015)).toBe(2000);
  });
  if (!loghubPresent) console.warn("rfc3164-fast-path.test: Loghub OpenSSH sample absent (../shared/datasets): its comparison is skipped");
});
