import { describe, expect, it } from "vitest";
import { csvCell, escapeControls, escapeControlsKeepLines, safeJsonLine } from "../src/terminal-text";

const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe("terminal text", () => {
  it("escapes ESC, every C0 and C1 control, DEL and the bidi controls visibly", () => {
    expect(escapeControls("\u001b[31mred\u001b[0m\u001b]0;title\u0007")).toBe("\\x1b[31mred\\x1b[0m\\x1b]0;title\\x07");
    expect(escapeControls("a\tb\nc\rd\u0000\u007f")).toBe("a\\tb\\nc\\rd\\x00\\x7f");
    expect(escapeControls("\u009b2J\u0085")).toBe("\\u009b2J\\u0085");
    expect(escapeControls("invoice\u202Efdp.exe \u2066x\u2069 \u200f\u061c")).toBe("invoice\\u202efdp.exe \\u2066x\\u2069 \\u200f\\u061c");
    expect(escapeControls("a\u2028b")).toBe("a\\u2028b");
    // Invisible: a rejected line that starts with a byte-order mark would look valid (new-user trial).
    expect(escapeControls("\ufeffMar  6 x\u200by\u2060z")).toBe("\\ufeffMar  6 x\\u200by\\u2060z");
    let all = "";
    for (let c = 0; c < 0x30000; c++) if (c < 0xd800 || c >= 0xe000) all += String.fromCodePoint(c);
    expect(RAW.test(escapeControls(all))).toBe(false);
  });

  it("keeps ordinary text, other scripts, emoji and backslashes as they are", () => {
    for (const s of ["GET /index.html", "Müller", "日本語", "👩‍💻", "C:\\temp", "מִבְחָן"]) expect(escapeControls(s)).toBe(s);
    expect(escapeControlsKeepLines("line 1\u001b\nline 2")).toBe("line 1\\x1b\nline 2");
  });

  it("CSV cells: quoted when needed, no raw line breaks, spreadsheet formulas neutralised", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe("two\\nlines");
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    for (const s of ["+1+1", "-2+3", "@SUM(A1)"]) expect(csvCell(s)).toBe("'" + s);
    expect(csvCell("\tbad")).toBe("\\tbad");
    expect(csvCell(" padded ")).toBe('" padded "');
  });

  it("JSON lines stay exact when parsed back and carry no raw C1 or bidi control", () => {
    const v = { user: "a\u202eb\u009b\u007f\u2028", msg: "\u001b[2J", n: 1 };
    const line = safeJsonLine(v);
    expect(RAW.test(line)).toBe(false);
    expect(JSON.parse(line)).toEqual(v);
    expect(line).toBe('{"user":"a\\u202eb\\u009b\\u007f\\u2028","msg":"\\u001b[2J","n":1}');
  });
});
