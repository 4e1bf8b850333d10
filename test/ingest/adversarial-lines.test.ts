/**
 * Crafted long lines for every classifier on the parse path (src/ingest/adversarial-lines.ts): each must
 * still parse to what it says (results, not timings: `npm run bench -- adversarial` times them).
 */
import { describe, expect, it } from "vitest";
import { adversarialLines } from "../../src/ingest/adversarial-lines";
import { parseLogLines } from "../../src/ingest/parse-log";

describe("adversarial long lines (one or more per classifier)", () => {
  const lines = adversarialLines(50_000);

  it("cover every classifier shape with lines of about 50,000 characters", () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    for (const l of lines) expect(l.line.length, l.classifier).toBeGreaterThan(45_000);
    expect(() => adversarialLines(10)).toThrow(/length/);
  });

  for (const l of lines) {
    it(l.classifier, () => {
      const r = parseLogLines([l.line], { format: l.format, year: 2024, maxLineLength: 1 << 20 });
      expect(r.counts.read).toBe(1);
      if (l.eventType === null) {
        expect(r.counts.rejected).toBe(1);
        return;
      }
      expect(r.rejects.map((x) => x.reason)).toEqual([]);
      if (l.eventType !== "*") expect(r.events[0].eventType).toBe(l.eventType);
      if (l.srcIp !== undefined) expect(r.events[0].srcIp).toBe(l.srcIp);
    });
  }
});
