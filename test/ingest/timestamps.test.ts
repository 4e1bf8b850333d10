import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { OptionError } from "../../src/errors";
import { parseLogLines } from "../../src/ingest/parse-log";
import { resolveTimeZone, timeZoneOffsetMinutes } from "../../src/ingest/time-zone";
import { civilProblem, civilToUtc, clfParse, clfSameMinute, epochToMs, isoParse, isoSameMinute, parseClfTimestamp, parseIsoTimestamp, readTimeValue, utcOffsetMinutes } from "../../src/ingest/timestamps";
import { RandomState } from "../../src/random";
import { casePresent, readCase } from "./cases-dir";

const iso = (t: number | string | undefined) => (typeof t === "number" ? new Date(t).toISOString() : t);
const Z = Date.UTC;

describe("civil dates and clock times", () => {
  it.each([
    [{ year: 2024, month: 13, day: 1 }, "month 13 does not exist (months are 01–12)"],
    [{ year: 2024, month: 0, day: 1 }, "month 00 does not exist (months are 01–12)"],
    [{ year: 2023, month: 2, day: 29 }, "February 29 does not exist in 2023 (not a leap year)"],
    [{ year: 1900, month: 2, day: 29 }, "February 29 does not exist in 1900 (not a leap year)"],
    [{ year: 2024, month: 4, day: 31 }, "April 31 does not exist (April has 30 days)"],
    [{ year: 2024, month: 1, day: 0 }, "day 00 does not exist (days start at 01)"],
    [{ year: 2024, month: 1, day: 1, hour: 24 }, "hour 24 does not exist (24:00:00 is refused: write 00:00:00 of the next day)"],
    [{ year: 2024, month: 1, day: 1, minute: 60 }, "minute 60 is out of range 00–59"],
    [{ year: 2024, month: 1, day: 1, second: 61 }, "second 61 is out of range 00–60"],
    [{ year: 0, month: 1, day: 1 }, "year 0000 does not exist (years start at 0001)"],
  ])("%j is impossible: %s", (c, reason) => {
    expect(civilProblem(c)).toBe(reason);
    expect(civilToUtc(c, 0)).toBe(reason);
  });

  it("leap years: 2000 and 2024 have Feb 29; year 0001 and 9999 are in range", () => {
    expect(civilToUtc({ year: 2000, month: 2, day: 29 }, 0)).toBe(Z(2000, 1, 29));
    expect(civilToUtc({ year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59 }, 0)).toBe(Z(2024, 1, 29, 23, 59, 59));
    expect(iso(civilToUtc({ year: 1, month: 1, day: 1 }, 0))).toBe("0001-01-01T00:00:00.000Z");
    expect(iso(civilToUtc({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 }, 0))).toBe("9999-12-31T23:59:59.000Z");
  });

  it("23:59:60 UTC (a leap second) is read as 23:59:59.999 UTC; second 60 anywhere else is refused", () => {
    expect(iso(parseIsoTimestamp("2016-12-31T23:59:60Z"))).toBe("2016-12-31T23:59:59.999Z");
    expect(iso(parseIsoTimestamp("2016-12-31T23:59:60.250Z"))).toBe("2016-12-31T23:59:59.999Z");
    // The same leap second written in another offset.
    expect(iso(parseIsoTimestamp("2017-01-01T00:59:60+01:00"))).toBe("2016-12-31T23:59:59.999Z");
    expect(parseIsoTimestamp("2016-12-31T12:59:60Z")).toBe("second 60 is only valid as a leap second at 23:59:60 UTC (this one is at 12:59:60 UTC)");
    // It sorts after the rest of its second and before the next minute.
    const leap = parseIsoTimestamp("2016-12-31T23:59:60Z") as number;
    expect(leap).toBeGreaterThan(parseIsoTimestamp("2016-12-31T23:59:59.998Z") as number);
    expect(leap).toBeLessThan(parseIsoTimestamp("2017-01-01T00:00:00Z") as number);
  });

  it("UTC offsets: at most ±14:00, minutes under 60", () => {
    expect([utcOffsetMinutes("+14:00"), utcOffsetMinutes("-12:00"), utcOffsetMinutes("+0530"), utcOffsetMinutes("-03"), utcOffsetMinutes("Z")]).toEqual([840, -720, 330, -180, 0]);
    expect(utcOffsetMinutes("+14:01")).toBe("UTC offset +14:01 is beyond ±14:00");
    expect(utcOffsetMinutes("-1500")).toBe("UTC offset -15:00 is beyond ±14:00");
    expect(utcOffsetMinutes("+02:60")).toBe("UTC offset +02:60 has minutes over 59");
    expect(parseIsoTimestamp("2024-01-02T03:04:05+23:59")).toBe("UTC offset +23:59 is beyond ±14:00");
  });

  it("ISO 8601 shapes: fractions to the millisecond (truncated), space separators, offsets with and without colon", () => {
    expect(iso(parseIsoTimestamp("2024-01-02T03:04:05.123456789Z"))).toBe("2024-01-02T03:04:05.123Z");
    expect(iso(parseIsoTimestamp("2024-01-02T03:04:05.9999Z"))).toBe("2024-01-02T03:04:05.999Z");
    expect(iso(parseIsoTimestamp("2024-01-02 03:04:05,5 +0100"))).toBe("2024-01-02T02:04:05.500Z");
    expect(iso(parseIsoTimestamp("2024-01-02T03:04"))).toBe("2024-01-02T03:04:00.000Z");
    expect(iso(parseIsoTimestamp("2024-01-02"))).toBe("2024-01-02T00:00:00.000Z");
    expect(parseIsoTimestamp("2024-1-2")).toBeUndefined();
    expect(iso(parseClfTimestamp("29/Feb/2024:23:59:59 +1400"))).toBe("2024-02-29T09:59:59.000Z");
    expect(parseClfTimestamp("29/Feb/2023:00:00:00 +0000")).toBe("February 29 does not exist in 2023 (not a leap year)");
  });
});

describe("numeric epochs", () => {
  it("units by magnitude: s, ms, µs and ns all give the same instant", () => {
    const t = Z(2024, 0, 2, 3, 4, 5);
    expect([epochToMs(1704164645), epochToMs(1704164645000), epochToMs(1704164645000000), epochToMs(1704164645000000000)]).toEqual([t, t, t, t]);
    expect(epochToMs(1704164645.5)).toBe(t + 500);
    expect(readTimeValue("1696946136.123")).toBe(1696946136123); // nginx $msec
  });

  it("declared units take precedence; magnitudes no unit makes plausible are refused with a hint", () => {
    expect(epochToMs(1704164645000, "s")).toMatch(/outside years 0001–9999/);
    expect(epochToMs(86400, "s")).toBe(86400000);
    expect(epochToMs(-86400, "s")).toBe(-86400000);
    expect(epochToMs(1e20, "ns")).toBe(1e14);
    for (const v of [1e20, 0, 12345, -1704164645, 1e300]) expect(epochToMs(v)).toMatch(/is not a plausible time in s, ms, µs or ns .*--epoch-unit/);
    expect(epochToMs(NaN)).toMatch(/not a finite number/);
  });

  it("readTimeValue: a value that is not a time at all is undefined (the event keeps NaN time, it is not rejected)", () => {
    expect(readTimeValue("yesterday")).toBeUndefined();
    expect(readTimeValue(true)).toBeUndefined();
    expect(readTimeValue("2024-13-01T00:00:00Z")).toBe("month 13 does not exist (months are 01–12)");
  });
});

describe("named time zones (Node's ICU)", () => {
  const berlin = resolveTimeZone("Europe/Berlin");
  const ny = resolveTimeZone("america/new_york");

  it("standard and daylight-saving offsets", () => {
    expect(berlin.name).toBe("Europe/Berlin");
    expect(ny.name).toBe("America/New_York");
    expect(iso(berlin.toUtc(Z(2024, 0, 15, 12)))).toBe("2024-01-15T11:00:00.000Z");
    expect(iso(berlin.toUtc(Z(2024, 6, 15, 12)))).toBe("2024-07-15T10:00:00.000Z");
    expect([berlin.offsetAt(Z(2024, 0, 15)), berlin.offsetAt(Z(2024, 6, 15)), ny.offsetAt(Z(2024, 6, 15))]).toEqual([60, 120, -240]);
  });

  it("the repeated hour in autumn is the earlier instant (first pass, daylight time)", () => {
    // Berlin, 2024-10-27: 03:00 CEST → 02:00 CET; 02:00–02:59 happens twice.
    expect(iso(berlin.toUtc(Z(2024, 9, 27, 2, 30)))).toBe("2024-10-27T00:30:00.000Z");
    expect(iso(berlin.toUtc(Z(2024, 9, 27, 1, 59, 59)))).toBe("2024-10-26T23:59:59.000Z");
    expect(iso(berlin.toUtc(Z(2024, 9, 27, 3, 0)))).toBe("2024-10-27T02:00:00.000Z");
    // New York, 2024-11-03: 01:30 happens twice; the first is EDT (-04:00).
    expect(iso(ny.toUtc(Z(2024, 10, 3, 1, 30)))).toBe("2024-11-03T05:30:00.000Z");
  });

  it("the missing hour in spring is moved forward by the gap (Temporal's 'compatible')", () => {
    // Berlin, 2024-03-31: 02:00 CET → 03:00 CEST; 02:30 does not exist and reads as 03:30 CEST.
    expect(iso(berlin.toUtc(Z(2024, 2, 31, 2, 30)))).toBe("2024-03-31T01:30:00.000Z");
    expect(iso(berlin.toUtc(Z(2024, 2, 31, 3, 30)))).toBe("2024-03-31T01:30:00.000Z");
    expect(iso(berlin.toUtc(Z(2024, 2, 31, 1, 59)))).toBe("2024-03-31T00:59:00.000Z");
    expect(iso(ny.toUtc(Z(2024, 2, 10, 2, 15)))).toBe("2024-03-10T07:15:00.000Z");
  });

  it("every wall-clock minute of a DST year round-trips through offsetAt except the skipped hour", () => {
    let mismatches = 0;
    for (let t = Z(2024, 2, 30); t < Z(2024, 3, 1); t += 60000) {
      const u = berlin.toUtc(t);
      if (u + berlin.offsetAt(u) * 60000 !== t) mismatches++;
    }
    expect(mismatches).toBe(60); // 02:00–02:59 on 2024-03-31
  });

  it("unknown names fail with the nearest IANA name; fixed-offset-only parsers say named zones are elsewhere", () => {
    expect(() => resolveTimeZone("Europe/Berln")).toThrow(/Did you mean 'Europe\/Berlin'\?/);
    expect(() => resolveTimeZone("Berlin")).toThrow(OptionError);
    expect(() => resolveTimeZone("Berlin")).toThrow(/Did you mean 'Europe\/Berlin'\?/);
    expect(resolveTimeZone("+05:30").fixedOffsetMinutes).toBe(330);
    expect(() => timeZoneOffsetMinutes("Europe/Berlin")).toThrow(/named zones are not supported by this format/);
  });
});

/** A line of each format carrying a given date-time (zone-less where the format allows). */
const FORMATS: Array<[string, (stamp: string) => string[]]> = [
  ["jsonl", (s) => [`{"@timestamp":"${s}","event_type":"login","src_ip":"192.0.2.1"}`]],
  ["csv", (s) => ["time,event_type,src_ip", `${s},login,192.0.2.1`]],
  ["raw", (s) => [`${s} worker job done`]],
  ["rfc5424", (s) => [`<38>1 ${s}Z h sshd 1 - - Accepted password for bob from 192.0.2.1 port 5 ssh2`]],
];

describe("impossible dates are rejects with the reason in every format", () => {
  const impossible: Array<[string, string]> = [
    ["2024-13-01T00:00:00", "month 13 does not exist"],
    ["2023-02-29T12:00:00", "February 29 does not exist in 2023 (not a leap year)"],
    ["2024-01-01T24:00:00", "hour 24 does not exist"],
    ["0000-01-01T00:00:00", "year 0000 does not exist"],
  ];
  for (const [format, make] of FORMATS) {
    it.each(impossible)(`${format}: %s`, (stamp, reason) => {
      const lines = make(stamp);
      const r = parseLogLines(lines, { format });
      const last = r.rejects[r.rejects.length - 1];
      expect(r.events).toEqual([]);
      expect(last.lineNo).toBe(lines.length);
      expect(last.reason).toContain(reason);
    });
  }

  it.each([
    ["combined", '192.0.2.1 - - [29/Feb/2023:00:00:00 +0000] "GET / HTTP/1.1" 200 1', "February 29 does not exist in 2023"],
    ["combined", '192.0.2.1 - - [01/Jan/2024:24:00:00 +0000] "GET / HTTP/1.1" 200 1', "hour 24 does not exist"],
    ["combined", '192.0.2.1 - - [01/Jan/2024:10:00:00 +1500] "GET / HTTP/1.1" 200 1', "UTC offset +15:00 is beyond ±14:00"],
    ["combined", '192.0.2.1 - - [01/Jan/0000:10:00:00 +0000] "GET / HTTP/1.1" 200 1', "year 0000 does not exist"],
    ["apache-error", "[Wed Feb 29 10:00:00 2023] [error] [client 192.0.2.1] x", "February 29 does not exist in 2023"],
    ["apache-error", "[Mon Jan 01 24:00:00 2024] [error] [client 192.0.2.1] x", "hour 24 does not exist"],
    ["tutorial", "2024-13-01 00:00:00, INFO, User login success, user: u", "month 13 does not exist"],
    ["tutorial", "2023-02-29 00:00:00, INFO, User login success, user: u", "February 29 does not exist in 2023"],
    ["jsonl", '{"@timestamp":"2024-01-02T03:04:05+14:30","event_type":"login"}', "UTC offset +14:30 is beyond ±14:00"],
    ["jsonl", '{"ts":"02/Jan/2024:03:04:61 +0000","event_type":"login"}', "second 61 is out of range"],
    ["rfc5424", "<38>1 2024-01-02T03:04:05+15:00 h a - - - m", "UTC offset +15:00 is beyond ±14:00"],
  ])("%s: %s", (format, line, reason) => {
    const r = parseLogLines([line], { format });
    expect(r.events).toEqual([]);
    expect(r.rejects[0].lineNo).toBe(1);
    expect(r.rejects[0].reason).toContain(reason);
  });

  it("a leap second reads the same in every format that can write one", () => {
    const lines: Array<[string, string]> = [
      ["jsonl", '{"ts":"2016-12-31T23:59:60Z","event_type":"x"}'],
      ["csv", "time,event_type\n2016-12-31T23:59:60Z,x"],
      ["raw", "2016-12-31 23:59:60 x"],
      ["tutorial", "2016-12-31 23:59:60, INFO, User login success, user: u"],
      ["rfc5424", "<38>1 2016-12-31T23:59:60Z h a - - - m"],
      ["combined", '192.0.2.1 - - [31/Dec/2016:23:59:60 +0000] "GET / HTTP/1.1" 200 1'],
      ["apache-error", "[Sat Dec 31 23:59:60 2016] [error] [client 192.0.2.1] x"],
    ];
    for (const [format, text] of lines) {
      const r = parseLogLines(text.split("\n"), { format });
      expect(r.events.map((e) => iso(e.time)), format).toEqual(["2016-12-31T23:59:59.999Z"]);
    }
    expect(parseLogLines(["2016-12-31 12:59:60, INFO, User login success, user: u"], { format: "tutorial" }).rejects[0].reason).toMatch(/only valid as a leap second/);
  });

  it("--tz Europe/Berlin applies to zone-less stamps in every format that takes it, not to stamps with an offset", () => {
    const opts = { timeZone: "Europe/Berlin" };
    const one = (format: string, lines: string[]) => parseLogLines(lines, { ...opts, format }).events[0] as LogEvent;
    expect(iso(one("jsonl", ['{"ts":"2024-07-01 12:00:00","event_type":"x"}']).time)).toBe("2024-07-01T10:00:00.000Z");
    expect(iso(one("jsonl", ['{"ts":"2024-07-01T12:00:00Z","event_type":"x"}']).time)).toBe("2024-07-01T12:00:00.000Z");
    expect(iso(one("csv", ["time,event_type", "2024-01-01 12:00:00,x"]).time)).toBe("2024-01-01T11:00:00.000Z");
    expect(iso(one("tutorial", ["2024-07-01 12:00:00, INFO, User login success, user: u"]).time)).toBe("2024-07-01T10:00:00.000Z");
    expect(iso(one("apache-error", ["[Mon Jul 01 12:00:00 2024] [error] [client 192.0.2.1] x"]).time)).toBe("2024-07-01T10:00:00.000Z");
    expect(iso(one("raw", ["2024-10-27 02:30:00 the repeated hour"]).time)).toBe("2024-10-27T00:30:00.000Z");
    expect(iso(one("combined", ['192.0.2.1 - - [01/Jul/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 1']).time)).toBe("2024-07-01T12:00:00.000Z");
    // RFC 3164 through the registry (withNamedZones): BSD stamps and zone-less ISO stamps move, stamps with an offset do not.
    const sys = parseLogLines(
      ["Mar 31 02:30:00 gw sshd[1]: x", "Jul  1 12:00:00 gw sshd[1]: x", "Oct 27 02:30:00 gw sshd[1]: x", "<13>2024-07-01T12:00:00+05:00 gw app: x", "2024-07-01T12:00:00.5 gw app: x"],
      { ...opts, format: "rfc3164", year: 2024 },
    );
    expect(sys.events.map((e) => iso(e.time))).toEqual([
      "2024-03-31T01:30:00.000Z", "2024-07-01T10:00:00.000Z", "2024-10-27T00:30:00.000Z", "2024-07-01T07:00:00.000Z", "2024-07-01T10:00:00.500Z",
    ]);
  });
});

describe.skipIf(!casePresent("json-epoch-units"))("shared case json-epoch-units", () => {
  const text = readCase("json-epoch-units", "input.jsonl");
  const expected = readCase("json-epoch-units", "expected.md");

  it("three units, one source, three events in one minute, seconds :05 :06 :07", () => {
    const r = parseLogLines(text, { format: "auto" });
    expect(r.format).toBe("jsonl");
    expect(r.rejects).toEqual([]);
    // The right values, read from expected.md: "2024-01-02T03:04:05Z, :06Z and :07Z".
    const m = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):(\d{2})Z, :(\d{2})Z and :(\d{2})Z/.exec(expected);
    expect(m).not.toBeNull();
    const want = [m![2], m![3], m![4]].map((s) => `${m![1]}:${s}.000Z`);
    expect(r.events.map((e) => iso(e.time))).toEqual(want);
    expect(new Set(r.events.map((e) => e.srcIp)).size).toBe(1);
    expect(new Set(r.events.map((e) => Math.floor(e.time / 60000))).size).toBe(1);
  });

  it("neighbours: nanoseconds, numeric strings, a declared unit, and an implausible value as a reject with its line number", () => {
    const lines = [
      '{"ts":1704164648000000000,"event_type":"login_failed","src_ip":"192.0.2.1"}',
      '{"ts":"1704164649123","event_type":"login_failed","src_ip":"192.0.2.1"}',
      '{"ts":42,"event_type":"login_failed","src_ip":"192.0.2.1"}',
      '{"ts":1e20,"event_type":"login_failed","src_ip":"192.0.2.1"}',
    ];
    const r = parseLogLines(lines, { format: "jsonl" });
    expect(r.events.map((e) => iso(e.time))).toEqual(["2024-01-02T03:04:08.000Z", "2024-01-02T03:04:09.123Z"]);
    expect(r.rejects.map((x) => x.lineNo)).toEqual([3, 4]);
    for (const x of r.rejects) expect(x.reason).toMatch(/^epoch value (42|100000000000000000000) is not a plausible time/);
    const declared = parseLogLines(['{"ts":1704164645,"event_type":"x"}', '{"ts":42,"event_type":"x"}'], { format: "jsonl", epochUnit: "s" });
    expect(declared.events.map((e) => iso(e.time))).toEqual(["2024-01-02T03:04:05.000Z", "1970-01-01T00:00:42.000Z"]);
    const csv = parseLogLines(["ts,event_type", "1704164645000000,x", "1704164645000000000,x"], { format: "csv" });
    expect(csv.events.map((e) => iso(e.time))).toEqual(["2024-01-02T03:04:05.000Z", "2024-01-02T03:04:05.000Z"]);
    expect(() => parseLogLines(["{}"], { format: "jsonl", epochUnit: "minutes" as never })).toThrow(/epochUnit/);
  });
});

describe("timestamps read minute by minute (the fast paths of parseIsoTimestamp and parseClfTimestamp)", () => {
  type Reader = (s: string, zone: ReturnType<typeof resolveTimeZone>) => number | string | undefined;
  /**
   * Stamps in log order (a minute repeats with other seconds) and jumps between minutes (`minute` draws one),
   * with other seconds, fractions and offsets after it, in each zone: the fast reading, when it answers, and the
   * public function always give the full reading's answer. Returns how often the fast one answered and how many
   * stamps were times.
   */
  function differential(seed: number, zoneNames: string[], n: number, first: string, minute: (pick: <T>(a: readonly T[]) => T) => string, rest: (pick: <T>(a: readonly T[]) => T) => string, full: Reader, quick: (s: string, zone: ReturnType<typeof resolveTimeZone>) => number, pub: Reader): { fast: number; times: number } {
    const rng = new RandomState(seed);
    const pick = <T>(a: readonly T[]): T => a[rng.randint(0, a.length, 1)[0]];
    let fast = 0;
    let times = 0;
    for (const zone of zoneNames.map((z) => resolveTimeZone(z))) {
      let m = first;
      for (let i = 0; i < n; i++) {
        if (rng.randomSample(1)[0] < 0.3) m = minute(pick);
        const text = `${m}:${rest(pick)}`;
        const want = full(text, zone);
        const got = quick(text, zone);
        if (got === got) {
          fast++;
          expect(got, `${text} in ${zone.name}`).toBe(want);
        }
        expect(pub(text, zone), `${text} in ${zone.name}`).toBe(want);
        if (typeof want === "number") times++;
      }
    }
    return { fast, times };
  }

  it("gives the full reading's answer for every shape, zone and order, valid or not", () => {
    // Around leap days, DST nights, historic local-mean-time offsets and the year range's ends, fixed and named zones.
    const { fast, times } = differential(
      3, ["UTC", "+02:00", "-0530", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Europe/Amsterdam"], 40_000, "2024-03-31T02:30",
      (pick) => `${pick(["2024", "2023", "1900", "1937", "0001", "9999"])}-${pick(["01", "02", "03", "07", "10", "12", "13", "00"])}-${pick(["01", "28", "29", "30", "31", "00", "05"])}${pick(["T", "T", " ", "t", "_"])}${pick(["00", "01", "02", "03", "23", "24"])}:${pick(["00", "30", "59", "60", "3"])}`,
      (pick) => `${pick(["00", "05", "59", "60", "61", "7", "5x", "45"])}${pick(["", "", ".5", ".123", ".123456789", ".1234567890", ",25", ".", ".x", ".05"])}${pick(["", "", "Z", "z", " Z", " ", "+02:00", "-0530", "\u221201:00", "+2", "+02", " +0100", "Zjunk", "+25:00", "+02:60", "  Z"])}`,
      isoParse, isoSameMinute, parseIsoTimestamp,
    );
    expect(fast).toBeGreaterThan(10_000);
    expect(times).toBeGreaterThan(15_000);
  });

  it("and so do Common Log Format times (parseClfTimestamp)", () => {
    const { fast, times } = differential(
      4, ["UTC", "+02:00", "Europe/Berlin", "America/New_York"], 30_000, "31/Mar/2024:02:30",
      (pick) => `${pick(["01", "29", "30", "31", "00", "5"])}/${pick(["Jan", "Feb", "Mar", "Oct", "Dec", "Foo", "mar"])}/${pick(["2024", "2023", "1900", "0001", "9999"])}:${pick(["00", "02", "23", "24"])}:${pick(["00", "30", "59", "60"])}`,
      (pick) => `${pick(["00", "05", "59", "60", "7", "45"])}${pick(["", "", ".5", ".123456789", ".1234567890", ",25", "."])}${pick(["", " +0000", " -0700", " +0530", "+0100", " ", " +01:00", " Z", " +2400"])}`,
      clfParse, clfSameMinute, parseClfTimestamp,
    );
    expect(fast).toBeGreaterThan(3_000);
    expect(times).toBeGreaterThan(3_000);
  });
});
