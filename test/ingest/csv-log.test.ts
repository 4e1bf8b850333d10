import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { CSV_HEADER_REASON, createCsvLogParser } from "../../src/ingest/csv-log";
import { parseLogLines } from "../../src/ingest/parse-log";

describe("CSV with header", () => {
  it("maps columns by name and keeps every column in fields", () => {
    const r = parseLogLines(["Time,User Name,src_ip,Action,bytes", "2024-01-02T03:04:05Z,alice,1.2.3.4,Login Failed,512"], { format: "csv" });
    expect(r.rejects).toEqual([{ lineNo: 1, raw: "Time,User Name,src_ip,Action,bytes", reason: CSV_HEADER_REASON }]);
    expect(r.events[0]).toMatchObject({ lineNo: 2, user: "alice", srcIp: "1.2.3.4", eventType: "login_failed", fields: { bytes: 512, "User Name": "alice" } });
  });

  it("handles RFC 4180 quoting, doubled quotes and a line break inside quotes", () => {
    const r = parseLogLines(['time,user,message', '2024-01-02T03:04:05Z,"smith, j","he said ""hi""', 'and left"', "2024-01-02T03:04:06Z,bob,"], { format: "csv" });
    expect(r.counts).toMatchObject({ read: 4, parsed: 3, rejected: 1, events: 2 });
    expect(r.events[0]).toMatchObject({ lineNo: 2, user: "smith, j", message: 'he said "hi"\nand left' });
    expect(r.events[1]).toMatchObject({ lineNo: 4, user: "bob" });
  });

  it("rejects rows with the wrong field count, junk after quotes, and an unterminated quote at the end", () => {
    const r = parseLogLines(["a,b", "1,2,3", '"x"y,2', '"open,2', "more"], { format: "csv" });
    expect(r.rejects.map((x) => [x.lineNo, x.reason.split(" (record")[0]])).toEqual([
      [1, CSV_HEADER_REASON],
      [2, "expected 2 fields (as in the header), got 3"],
      [3, "unexpected character after a closing quote at column 4"],
      [4, "unterminated quoted field at end of input"],
      [5, "unterminated quoted field at end of input"],
    ]);
    expect(r.counts.parsed + r.counts.rejected).toBe(r.counts.read);
  });

  it("needs at least two header columns, and a valid delimiter", () => {
    expect(createCsvLogParser().parseLine("just one column", 1)).toMatch(/at least 2 columns/);
    expect(() => createCsvLogParser({ delimiter: '"' })).toThrow(OptionError);
    const r = parseLogLines(["time;user", "2024-01-02T03:04:05Z;ann"], { format: "csv", delimiter: ";" });
    expect(r.events[0].user).toBe("ann");
  });
});
