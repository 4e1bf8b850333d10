import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { LineFlags, describeLineFlags, readLines, readLinesSync, readTextBatches, type LogLine } from "../../src/ingest/read-lines";
import { parseLog } from "../../src/ingest/parse-log";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-read-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of it) out.push(l);
  return out;
}

const tricky = Buffer.concat([
  Buffer.from("\uFEFFfirst\r\n", "utf8"),
  Buffer.from("\n", "utf8"),
  Buffer.from("caf\u00e9 ok\n", "utf8"),
  Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]), // "bad" + invalid bytes
  Buffer.from("x".repeat(50) + "\n", "utf8"),
  Buffer.from("last without newline", "utf8"),
]);

describe("readLinesSync", () => {
  it("splits text on LF, strips CR and a leading BOM, adds no line for a trailing newline", () => {
    expect(readLinesSync("\uFEFFa\r\nb\n\nc\n").map((l) => [l.lineNo, l.text])).toEqual([[1, "a"], [2, "b"], [3, ""], [4, "c"]]);
  });
  it("takes one line per array element and caps over-long lines", () => {
    const lines = readLinesSync(["short", "y".repeat(20)], { maxLineLength: 8 });
    expect(lines[1]).toEqual({ lineNo: 2, text: "yyyyyyyy", flags: LineFlags.TRUNCATED });
    expect(lines[0].flags).toBe(0);
  });
  it("rejects a bad maxLineLength with a clear error", () => {
    expect(() => readLinesSync("a", { maxLineLength: 0 })).toThrow(OptionError);
  });
});

describe("readLines", () => {
  it.each([1, 3, 7, 1 << 16])("reads a file with CRLF, BOM, empty, invalid UTF-8, long lines (chunk %i)", async (chunkSize) => {
    const file = path.join(tmp, "tricky.log");
    fs.writeFileSync(file, tricky);
    const lines = await collect(readLines(file, { chunkSize, maxLineLength: 20 }));
    expect(lines.map((l) => l.text)).toEqual(["first", "", "café ok", "bad\uFFFD\uFFFD", "x".repeat(20), "last without newline"]);
    expect(lines.map((l) => l.flags)).toEqual([0, 0, 0, LineFlags.INVALID_UTF8, LineFlags.TRUNCATED, 0]);
    expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("reads gzip files, detected by magic bytes whatever the name", async () => {
    const file = path.join(tmp, "plain-name.log");
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from("one\ntwo\nthree\n")));
    expect((await collect(readLines(file))).map((l) => l.text)).toEqual(["one", "two", "three"]);
  });

  it("reads a Node stream, gzip or not, in small chunks", async () => {
    const chunks = [Buffer.from("al"), Buffer.from("pha\nbe"), Buffer.from("ta\n")];
    expect((await collect(readLines(Readable.from(chunks)))).map((l) => l.text)).toEqual(["alpha", "beta"]);
    const gz = zlib.gzipSync(Buffer.from("g1\ng2"));
    const parts = [gz.subarray(0, 5), gz.subarray(5)];
    expect((await collect(readLines(Readable.from(parts)))).map((l) => l.text)).toEqual(["g1", "g2"]);
  });

  it("keeps memory bounded on a huge line spread over many chunks", async () => {
    const big = Buffer.alloc(3_000_000, 0x61);
    const lines = await collect(readLines(Readable.from([big.subarray(0, 1e6), big.subarray(1e6, 2e6), big.subarray(2e6), Buffer.from("\nok\n")]), { maxLineLength: 1000 }));
    expect(lines.map((l) => [l.text.length, l.flags])).toEqual([[1000, LineFlags.TRUNCATED], [2, 0]]);
  });

  it("does not flag a multi-byte character cut by the length cap as invalid UTF-8", async () => {
    const line = Buffer.from("é".repeat(5000) + "\n");
    const lines = await collect(readLines(Readable.from([line.subarray(0, 3001), line.subarray(3001)]), { maxLineLength: 100 }));
    expect(lines[0].text).toBe("é".repeat(100));
    expect(lines[0].flags).toBe(LineFlags.TRUNCATED);
  });

  it("reads arrays of lines", async () => {
    expect((await collect(readLines(["a", "b\r"]))).map((l) => l.text)).toEqual(["a", "b"]);
  });

  it("names the path of a missing file", async () => {
    await expect(collect(readLines(path.join(tmp, "nope.log")))).rejects.toThrow(/File not found: .*nope\.log/);
    await expect(collect(readLines(path.join(tmp, "nope.log")))).rejects.toBeInstanceOf(DataError);
  });

  it("names the path of a corrupt gzip", async () => {
    const file = path.join(tmp, "broken.gz");
    const gz = zlib.gzipSync(Buffer.from("x\n".repeat(10000)));
    fs.writeFileSync(file, Buffer.concat([gz.subarray(0, 30), Buffer.from("garbage-garbage-garbage")]));
    await expect(collect(readLines(file))).rejects.toThrow(/Cannot decompress .*broken\.gz/);
  });

  it("a truncated gzip yields the lines before the damage, then one reject saying so (like gzip -d)", async () => {
    const text = Array.from({ length: 20000 }, (_, i) => `line ${i} ${"x".repeat(20)}`).join("\n") + "\n";
    const gz = zlib.gzipSync(Buffer.from(text));
    const file = path.join(tmp, "truncated.gz");
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await parseLog(file, { format: "raw" });
    const whole = r.events.filter((e) => /^line \d+ x{20}$/.test(e.message));
    expect(whole.length).toBeGreaterThan(5000);
    expect(whole.map((e) => e.message)).toEqual(text.split("\n").slice(0, whole.length));
    const last = r.rejects[r.rejects.length - 1];
    expect(last.lineNo).toBe(r.counts.read);
    expect(last.raw).toBe("");
    expect(last.reason).toMatch(/^Cannot decompress .*truncated\.gz: unexpected end of file\. .*the lines before the damage were read/);
    expect(r.counts.parsed + r.counts.rejected).toBe(r.counts.read);
    // A cut last line is flagged truncated.
    expect(r.counts.truncated).toBeLessThanOrEqual(1);
  });

  it("a corrupt byte inside a gzip member gives the same: lines first, then the reject (stdin too)", async () => {
    const gz = Buffer.from(zlib.gzipSync(Buffer.from("a\nb\n".repeat(50000))));
    gz[Math.floor(gz.length / 2)] ^= 0xff;
    const r = await parseLog(Readable.from([gz]), { format: "raw" });
    expect(r.events.length).toBeGreaterThan(0);
    expect(r.rejects[r.rejects.length - 1].reason).toMatch(/^Cannot decompress the input stream: /);
  });

  it("maxBytes stops the read: lines before the cap, a reject naming the cap; bad values fail", async () => {
    const file = path.join(tmp, "big.log.gz");
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from("0123456789\n".repeat(100000))));
    const r = await parseLog(file, { format: "raw", maxBytes: 1100 });
    expect(r.events.map((e) => e.message)).toEqual(Array(100).fill("0123456789"));
    expect(r.rejects).toEqual([{ lineNo: 101, raw: "", reason: expect.stringMatching(/stopped reading .*big\.log\.gz after maxBytes = 1100 bytes \(decompressed\); raise maxBytes \(CLI: --max-bytes\)/) }]);
    // The cap falls inside line 101: half a line is a reject, never an event ("01234" is not what was logged).
    const cut = await parseLog(file, { format: "raw", maxBytes: 1105 });
    expect(cut.events).toHaveLength(100);
    expect(cut.rejects[0]).toMatchObject({ lineNo: 101, raw: "01234", reason: expect.stringMatching(/^the input ends inside this line/) });
    expect(cut.rejects[1]).toMatchObject({ lineNo: 102, raw: "", reason: expect.stringMatching(/after maxBytes = 1105 bytes/) });
    expect([cut.counts.read, cut.counts.parsed, cut.counts.rejected, cut.counts.truncated]).toEqual([102, 100, 2, 1]);
    await expect(parseLog(file, { maxBytes: 0 })).rejects.toThrow(/maxBytes/);
    await expect(collect(readLines(file, { maxBytes: 50 }))).rejects.toThrow(/after maxBytes = 50 bytes/);
  });

  it("describes flags in words", () => {
    expect(describeLineFlags(LineFlags.INVALID_UTF8 | LineFlags.TRUNCATED)).toBe("invalid UTF-8, truncated");
    expect(describeLineFlags(LineFlags.TRUNCATED | LineFlags.CUT_SHORT)).toBe("truncated, cut short by the end of the input");
    expect(describeLineFlags(0)).toBe("");
  });
});

describe("readLines on big chunks (decoded in ≤64 KiB pieces cut at line ends)", () => {
  it("gives the same lines as a plain split, across pieces, multi-byte text and a line longer than a piece", async () => {
    const parts: string[] = [];
    for (let i = 0; i < 6000; i++) parts.push(`${i} ${"é€😀x".repeat(i % 37)} ${"a".repeat(i % 101)}`);
    parts.splice(3000, 0, "L".repeat(70_000) + "é", "", "é".repeat(40_000));
    const text = parts.join("\n") + "\n";
    const file = path.join(tmp, "pieces.log");
    fs.writeFileSync(file, text);
    const want = readLinesSync(text, { maxLineLength: 200_000 });
    for (const chunkSize of [1 << 20, 262144, 65536 + 7]) {
      const got = await collect(readLines(file, { chunkSize, maxLineLength: 200_000 }));
      expect(got.length).toBe(want.length);
      expect(got.map((l) => l.text)).toEqual(want.map((l) => l.text));
      expect(got.every((l, i) => l.lineNo === i + 1 && l.flags === 0)).toBe(true);
    }
  });
});

describe("readTextBatches (no record per line)", () => {
  it("gives readLines' texts, numbers and flags on valid UTF-8 with a BOM, CRLF and an over-long line in one chunk", async () => {
    const text = "\uFEFFfirst\r\nsecond\n\r\n" + "y".repeat(30) + "\r\nclean\n" + "z".repeat(25) + "\nend";
    const file = path.join(tmp, "batches.log");
    fs.writeFileSync(file, text);
    const texts: string[] = [];
    const numbers: number[] = [];
    const flags: number[] = [];
    let withFlags = 0;
    for await (const b of readTextBatches(file, { maxLineLength: 20 })) {
      if (b.flags !== undefined) withFlags++;
      b.texts.forEach((t, i) => {
        texts.push(t);
        numbers.push(b.firstLineNo + i);
        flags.push(b.flags === undefined ? 0 : b.flags[i]);
      });
    }
    expect(texts).toEqual(["first", "second", "", "y".repeat(20), "clean", "z".repeat(20), "end"]);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(flags).toEqual([0, 0, 0, LineFlags.TRUNCATED, 0, LineFlags.TRUNCATED, 0]);
    expect(withFlags).toBe(1); // the last line (no newline) comes alone, clean, with no flags array
    const lines = await collect(readLines(file, { maxLineLength: 20 }));
    expect(lines.map((l) => [l.lineNo, l.text, l.flags])).toEqual(texts.map((t, i) => [numbers[i], t, flags[i]]));
  });
});

describe("a named pipe as the file (`mkfifo`, a shell's <(zcat f.gz))", () => {
  const fifoDir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-fifo-"));
  afterAll(() => fs.rmSync(fifoDir, { recursive: true, force: true }));
  const mkfifo = (name: string): string => {
    const p = path.join(fifoDir, name);
    const r = require("node:child_process").spawnSync("mkfifo", [p]) as { status: number };
    expect(r.status).toBe(0);
    return p;
  };
  const text = Array.from({ length: 5000 }, (_, i) => `Mar  6 10:00:${String(i % 60).padStart(2, "0")} gw sshd[${i}]: Failed password for u${i % 7} from 10.0.${i % 3}.1 port ${i} ssh2`).join("\n") + "\n";

  it.skipIf(process.platform === "win32")("is read as a stream (it failed with ESPIPE: positional reads), plain and gzip, the same lines as a file", async () => {
    const expected = text.split("\n").slice(0, -1);
    for (const body of [Buffer.from(text), zlib.gzipSync(text)]) {
      const fifo = mkfifo(`p${body[0]}`);
      // Another process writes into the pipe, as a shell's `zcat f.gz` does (opening blocks until both ends are open).
      const src = path.join(fifoDir, `src${body[0]}`);
      fs.writeFileSync(src, body);
      const writer = require("node:child_process").spawn("sh", ["-c", 'cat "$0" > "$1"', src, fifo]);
      const exited = new Promise((r) => writer.on("exit", r));
      const got: string[] = [];
      for await (const b of readTextBatches(fifo)) got.push(...b.texts);
      expect(got).toEqual(expected);
      expect(await exited).toBe(0);
    }
  });
});
