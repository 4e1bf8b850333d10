import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors";
import { parseTutorialLine, parseTutorialLog, tutorialEventsToDataFrame } from "../../src/ingest/tutorial";

describe("parseTutorialLog", () => {
  it("parses the shipped tutorial file into typed events", () => {
    const { events, rejects } = parseTutorialLog(readFileSync("data/seed-tutorial.log", "utf8"));
    expect(rejects).toEqual([]);
    expect(events).toHaveLength(10);
    expect(events[0]).toMatchObject({ lineNo: 1, level: "INFO", message: "User login success", user: "admin", eventType: "login_success" });
    expect(new Date(events[0].time).toISOString()).toBe("2025-03-06T08:00:00.000Z");
    expect(events[2]).toMatchObject({ eventType: "login_failure", outcome: "failure", level: "ERROR" });
  });

  it("keeps malformed lines as rejects with line number and reason", () => {
    const text = "2025-03-06 08:00:00, INFO, User login success, user: admin\ngarbage here\n\n2025-02-30 08:00:00, INFO, x, user: bob\n";
    const { events, rejects } = parseTutorialLog(text);
    expect(events).toHaveLength(1);
    expect(rejects.map((r) => [r.lineNo, r.reason])).toEqual([
      [2, "expected `YYYY-MM-DD HH:MM:SS, LEVEL, message, user: name`"],
      [3, "empty line"],
      [4, "invalid date or time 2025-02-30 08:00:00"],
    ]);
  });

  it("throws a ParseError naming the line in strict mode", () => {
    expect(() => parseTutorialLog(["2025-03-06 08:00:00, INFO, ok, user: a", "oops"], { strict: true })).toThrowError(
      /line 2: expected .*"oops"/,
    );
    try {
      parseTutorialLog(["oops"], { strict: true });
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).lineNo).toBe(1);
    }
  });

  it("handles CRLF and a BOM", () => {
    const { events } = parseTutorialLog("\uFEFF2025-03-06 08:00:00, INFO, User login success, user: admin\r\n");
    expect(events[0].user).toBe("admin");
  });

  it("parseTutorialLine returns a reject for a bad level separator", () => {
    expect(parseTutorialLine("2025-03-06 08:00:00 INFO login user: a", 7)).toMatchObject({ lineNo: 7 });
  });
});

describe("tutorialEventsToDataFrame", () => {
  it("builds the tutorial DataFrame with a datetime timestamp column", () => {
    const df = tutorialEventsToDataFrame(parseTutorialLog(readFileSync("data/seed-tutorial.log", "utf8")).events);
    expect(df.columns).toEqual(["timestamp", "level", "message", "user"]);
    expect(df.dtypes).toEqual(["datetime", "string", "string", "string"]);
    expect(df.shape).toEqual([10, 4]);
  });
});
