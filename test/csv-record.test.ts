import { describe, expect, it } from "vitest";
import { CsvRecordReader } from "../src/csv-record";
import { OptionError } from "../src/errors";
import { readLinesSync } from "../src/ingest/read-lines";

/** Every record of a text (lines from readLinesSync, as both loaders read them); errors as strings. */
function records(text: string, delimiter?: string): (string[] | string)[] {
  const r = new CsvRecordReader({ delimiter });
  const out: (string[] | string)[] = [];
  for (const line of readLinesSync(text)) {
    const got = r.readLine(line.text);
    if (got !== null) out.push(got);
  }
  const end = r.finish();
  if (end !== undefined) out.push(end);
  return out;
}

describe("CsvRecordReader (RFC 4180)", () => {
  it("splits plain and quoted fields; a quoted field may hold the delimiter", () => {
    expect(records('a,b,c\n"x,y",2,"z"\n')).toEqual([["a", "b", "c"], ["x,y", "2", "z"]]);
  });

  it('reads "" inside a quoted field as one quote, also at its ends and alone', () => {
    expect(records('"say ""hi""",""""," "" "\n')).toEqual([['say "hi"', '"', ' " ']]);
  });

  it("keeps empty fields: leading, trailing, between delimiters, quoted, and an empty line", () => {
    expect(records(',a,,b,\n"",""\n\n')).toEqual([["", "a", "", "b", ""], ["", ""], [""]]);
    expect(records('"a",\n')).toEqual([["a", ""]]);
  });

  it("reads CRLF line endings as LF, and a line break inside quotes continues the record", () => {
    const crlf = records('a,"two\r\nlines",c\r\nd,e,f\r\n');
    expect(crlf).toEqual([["a", "two\nlines", "c"], ["d", "e", "f"]]);
    expect(records('a,"two\nlines",c\nd,e,f\n')).toEqual(crlf);
    expect(records('"one\n\nblank inside"\n')).toEqual([["one\n\nblank inside"]]);
  });

  it("treats a quote inside an unquoted field as text (as csv-log always did)", () => {
    expect(records('5" disk,a\n')).toEqual([['5" disk', "a"]]);
  });

  it("reports text after a closing quote, then reads the next record afresh", () => {
    expect(records('"a"b,c\nd,e\n')).toEqual(["unexpected character after a closing quote at column 4", ["d", "e"]]);
  });

  it("reports an unterminated quoted field at the end and a record spanning too many lines", () => {
    expect(records('a,"open\nmore\n')).toEqual(["unterminated quoted field at end of input"]);
    const r = new CsvRecordReader({ maxRecordLines: 3 });
    expect([r.readLine('"1'), r.readLine("2"), r.pending, r.pendingLines]).toEqual([null, null, true, 2]);
    expect(r.readLine("3")).toBe("quoted field spans more than 3 lines (a stray quote?)");
    expect([r.pending, r.readLine("x,y")]).toEqual([false, ["x", "y"]]);
  });

  it("takes any delimiter without quotes or line breaks, also several characters", () => {
    expect(records('a;"b;c";d\n', ";")).toEqual([["a", "b;c", "d"]]);
    expect(records('a\tb\t"c\td"\n', "\t")).toEqual([["a", "b", "c\td"]]);
    expect(records('a||"b||c"||\n', "||")).toEqual([["a", "b||c", ""]]);
    expect(() => new CsvRecordReader({ delimiter: "" })).toThrow(OptionError);
    expect(() => new CsvRecordReader({ delimiter: '"' })).toThrow(/without a quote or line break, got "\\""/);
    expect(() => new CsvRecordReader({ maxRecordLines: 0 })).toThrow(/maxRecordLines/);
  });
});
