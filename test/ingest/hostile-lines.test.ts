import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { listLogFormats } from "../../src/ingest/formats";
import { hostileLines } from "../../src/ingest/hostile-lines";
import { parseLog, parseLogLines } from "../../src/ingest/parse-log";

const corpus = hostileLines({ count: 1200, seed: 7 });

describe("hostile input", () => {
  it("the corpus is seeded, large enough and varied", () => {
    expect(corpus).toHaveLength(1200);
    expect(hostileLines({ count: 1200, seed: 7 })).toEqual(corpus);
    expect(corpus.some((l) => l.length >= 100000)).toBe(true);
    expect(corpus.some((l) => l.includes("<script>"))).toBe(true);
    expect(corpus.some((l) => /[\u0000-\u0008]/.test(l))).toBe(true);
  });

  it.each([...listLogFormats().map((f) => f.name), "auto"])("format %s: no crash and parsed + rejected = total", (format) => {
    const r = parseLogLines(corpus, { format, year: 2024 });
    expect(r.counts.read).toBe(corpus.length);
    expect(r.counts.parsed + r.counts.rejected).toBe(corpus.length);
    expect(r.rejects).toHaveLength(r.counts.rejected);
    expect(r.events).toHaveLength(r.counts.events);
    expect(Object.values(r.counts.byEventType).reduce((a, b) => a + b, 0)).toBe(r.counts.events);
    for (const rej of r.rejects) expect(rej.reason.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps hostile user names verbatim (escaping is the display's job)", () => {
    const line = "Dec 10 06:55:46 LabSZ sshd[1]: Failed password for invalid user <script>alert(1)</script> from 10.0.0.1 port 22 ssh2";
    const r = parseLogLines([line], { format: "rfc3164", year: 2024 });
    expect(r.events[0].user).toBe("<script>alert(1)</script>");
  });

  it("through a file with raw invalid bytes, auto-detection and streaming: every line accounted for", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-hostile-"));
    try {
      const file = path.join(dir, "hostile.log");
      const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256).filter((b) => b !== 10));
      fs.writeFileSync(file, Buffer.concat([Buffer.from(corpus.join("\n") + "\n"), junk, Buffer.from("\n\r\n")]));
      const r = await parseLog(file, { year: 2024, maxLineLength: 4096 });
      expect(r.counts.read).toBe(corpus.length + 2);
      expect(r.counts.parsed + r.counts.rejected).toBe(r.counts.read);
      expect(r.counts.invalidUtf8).toBeGreaterThanOrEqual(1);
      expect(r.counts.truncated).toBeGreaterThan(10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
