// The text encodings values take on their way to ClickHouse: TabSeparated fields and string literals.
import { describe, expect, it } from "vitest";
import { clickhouseString, eventRow, tsvField, tsvLine, tsvValue } from "../../src/engines/event-row";

const HOSTILE = ["", "it's", "back\\slash", "tab\there", "new\nline", "cr\rlf", "nul\0byte", "'; DROP TABLE events; --", "\\N", "\\", "\b\f", "José 用户 👤"];

describe("event row encodings", () => {
  it("round-trips every hostile value through a TabSeparated field, and keeps NULL apart from the text \\N", () => {
    for (const v of HOSTILE) {
      const f = tsvField(v);
      expect(f).not.toMatch(/[\t\n\r\0]/);
      expect(tsvValue(f)).toBe(v);
    }
    expect(tsvValue(tsvField(null))).toBeUndefined();
    expect(tsvField("\\N")).not.toBe(tsvField(null));
  });

  it("writes one line of exactly thirteen fields per event (twelve for a table made before companion_type), whatever its text holds", () => {
    for (const v of HOSTILE) {
      const row = eventRow({ lineNo: 7, time: 1.5, eventType: v, user: v, srcIp: v, host: v, process: v, outcome: "failure", message: "", companionOf: 8, companionType: v }, "id", v);
      const line = tsvLine(row);
      expect(line.endsWith("\n")).toBe(true);
      const fields = line.slice(0, -1).split("\t");
      expect(fields).toHaveLength(13);
      expect(fields.map(tsvValue)).toEqual(["id", v, "7", "1.5", v, "failure", v, v, v, v, "1", undefined, v]);
      expect(tsvLine(row, false).slice(0, -1).split("\t").map(tsvValue)).toEqual(["id", v, "7", "1.5", v, "failure", v, v, v, v, "1", undefined]);
    }
    // companionType only with companionOf (a folded copy of a companion keeps the type but is no companion).
    expect(eventRow({ lineNo: 1, time: 0, eventType: "auth_failure", message: "", companionType: "failed_password" }, "id", "f").companionType).toBeNull();
  });

  it("quotes string literals so that no value can end them", () => {
    for (const v of HOSTILE) {
      const lit = clickhouseString(v);
      // Inside the quotes: no bare quote (every ' is escaped), no raw control character.
      const inner = lit.slice(1, -1);
      expect(inner.replace(/\\./gs, "")).not.toMatch(/['\\\0\n\r\t]/);
      expect(tsvValue(inner.replace(/\\'/g, "'"))).toBe(v);
    }
  });
});
