/**
 * The hand-written number tests of the CSV and time readers against the regular expressions they replace, on
 * every short string over the characters that matter and on seeded random longer ones.
 */
import { describe, expect, it } from "vitest";
import { csvNumber } from "../../src/ingest/csv-log";
import { numericText } from "../../src/ingest/timestamps";
import { RandomState } from "../../src/random";

/** What csvNumber must answer (the CSV reader's former regex). */
const CSV_NUMBER = /^-?\d{1,15}(\.\d+)?$/;
/** What numericText must answer (readTimeValue's former regex). */
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const ALPHABET = ["0", "7", "9", "+", "-", ".", "e", "E", " ", "x", "\n", "٣"];

function* allStrings(maxLength: number): Generator<string> {
  let level = [""];
  yield "";
  for (let n = 1; n <= maxLength; n++) {
    const next: string[] = [];
    for (const s of level) for (const c of ALPHABET) next.push(s + c);
    yield* next;
    level = next;
  }
}

describe("csvNumber and numericText", () => {
  it("agree with their regular expressions on every string of up to 5 characters over the characters that matter", () => {
    let n = 0;
    const wrong: string[] = [];
    for (const s of allStrings(5)) {
      n++;
      if (csvNumber(s) !== CSV_NUMBER.test(s)) wrong.push(`csvNumber ${JSON.stringify(s)}`);
      if (numericText(s) !== NUMERIC_TEXT.test(s)) wrong.push(`numericText ${JSON.stringify(s)}`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(n).toBe(1 + 12 + 144 + 1728 + 20736 + 248832);
  });

  it("agree on seeded random strings up to 24 characters, digit runs around the 15-digit limit included", () => {
    const rng = new RandomState(14);
    const wrong: string[] = [];
    let numbers = 0;
    for (let i = 0; i < 200_000; i++) {
      const len = Math.floor(rng.rand() * 25);
      let s = "";
      for (let k = 0; k < len; k++) {
        const r = rng.rand();
        s += r < 0.7 ? String(Math.floor(rng.rand() * 10)) : ALPHABET[Math.floor(rng.rand() * ALPHABET.length)];
      }
      if (CSV_NUMBER.test(s)) numbers++;
      if (csvNumber(s) !== CSV_NUMBER.test(s)) wrong.push(`csvNumber ${JSON.stringify(s)}`);
      if (numericText(s) !== NUMERIC_TEXT.test(s)) wrong.push(`numericText ${JSON.stringify(s)}`);
    }
    for (const s of ["1".repeat(15), "1".repeat(16), "-" + "9".repeat(15) + ".5", "2025-03-06T00:00:00Z", "1e", "1e+", ".e1", "+.5e-3"]) {
      if (csvNumber(s) !== CSV_NUMBER.test(s)) wrong.push(`csvNumber ${JSON.stringify(s)}`);
      if (numericText(s) !== NUMERIC_TEXT.test(s)) wrong.push(`numericText ${JSON.stringify(s)}`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(numbers).toBeGreaterThan(10_000);
  });
});
