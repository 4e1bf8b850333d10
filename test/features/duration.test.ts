import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { formatDuration, parseDuration } from "../../src/features/duration";

describe("parseDuration", () => {
  it.each([["90s", 90000], ["1m", 60000], ["5min", 300000], ["1h", 3600000], ["1d", 86400000], ["1h30m", 5400000], ["250ms", 250], ["1.5h", 5400000], [1234, 1234]] as const)(
    "%s → %i ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "1y", "m", "-1m", "1m junk"])("refuses %j with the accepted forms", (text) => {
    expect(() => parseDuration(text)).toThrow(OptionError);
    expect(() => parseDuration(text)).toThrow(/like '90s', '1m', '5m', '1h', '1d'/);
  });
  it("says what is wrong with a zero length, a number without a unit and an upper-case M (a month elsewhere)", () => {
    expect(() => parseDuration("0s")).toThrow('Expected `window` to be longer than zero, got "0s"');
    expect(() => parseDuration("0m0s")).toThrow(/longer than zero/);
    expect(() => parseDuration("5")).toThrow(`Expected \`window\` with a unit, got "5": write '5s' (seconds) or '5ms' (milliseconds)`);
    expect(() => parseDuration("1M")).toThrow(/'M' would be a month, which has no fixed length \(write 'm' for minutes/);
    expect(() => parseDuration("1h 30M")).toThrow(/'M' would be a month/);
    expect([parseDuration("5Min"), parseDuration("250MS"), parseDuration("1H")]).toEqual([300000, 250, 3600000]);
  });
  it("refuses non-positive numbers and names the option", () => {
    expect(() => parseDuration(0, "span")).toThrow("Expected `span` to be a positive number of milliseconds, got 0");
  });
  it("formats durations", () => {
    expect([formatDuration(60000), formatDuration(5400000), formatDuration(90000), formatDuration(5)]).toEqual(["1m", "1h30m", "1m30s", "5ms"]);
  });
});
