// Damaged gzip input, differentially against the real `gzip -dc` (/bin/gzip): siemlab reads exactly the bytes
// gzip writes before it stops, then reports the damage as one reject. Every file is generated here.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { fileChunks, readTextBatches } from "../../src/ingest/read-lines";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-gzip-damage-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const BIN = path.resolve("bin/siemlab.js");

/** A log text: sshd lines with varying users, addresses and numbers (compresses like a real auth.log). */
function logText(lines: number, seed: number): Buffer {
  const out: string[] = [];
  let x = seed;
  for (let i = 1; i <= lines; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(`Dec 10 06:${String(i % 60).padStart(2, "0")}:46 host${x % 7} sshd[${x % 30000}]: Failed password for user${x % 97} from 10.${x % 13}.${(x >> 8) % 256}.${x % 251} port ${x % 65536} ssh2 #${i}`);
  }
  return Buffer.from(out.join("\n") + "\n");
}

let fileNo = 0;
function write(bytes: Buffer): string {
  const file = path.join(tmp, `f${++fileNo}.gz`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** What the real gzip writes for a file, and what it says. */
function gzipDc(file: string): { out: Buffer; err: string; status: number | null } {
  const r = spawnSync("gzip", ["-dc", file], { maxBuffer: 1 << 30 });
  return { out: r.stdout, err: r.stderr.toString(), status: r.status };
}

/** A real gzip-made member (with its FNAME header field) of `text` at `level`. */
function gzipMade(text: Buffer, level: number): Buffer {
  const src = path.join(tmp, `plain${++fileNo}.log`);
  fs.writeFileSync(src, text);
  const r = spawnSync("gzip", ["-c", `-${level}`, src], { maxBuffer: 1 << 30 });
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The inflated bytes siemlab reads from a file, and the damage it reports (undefined: none). */
async function ours(file: string, chunkSize = 65536): Promise<{ out: Buffer; err?: string }> {
  const parts: Buffer[] = [];
  try {
    for await (const c of fileChunks(file, chunkSize)) parts.push(Buffer.from(c));
  } catch (e) {
    return { out: Buffer.concat(parts), err: (e as Error).message };
  }
  return { out: Buffer.concat(parts) };
}

/** Lines as text, as the reader cuts them (LF split, a CR before it dropped, no empty last line). */
function linesOf(b: Buffer): string[] {
  const l = b.toString("utf8").split("\n").map((t) => (t.endsWith("\r") ? t.slice(0, -1) : t));
  if (l[l.length - 1] === "") l.pop();
  return l;
}

/** Decoded garbage can make very long lines: read them whole (no maxLineLength cut) to compare. */
const LONG = 1 << 24;

/** The lines readTextBatches gives for a source, and the read error of its last batch. */
async function batchLines(source: string | Readable, chunkSize?: number): Promise<{ lines: string[]; readError?: string; errorLine?: number }> {
  const lines: string[] = [];
  let readError: string | undefined;
  let errorLine: number | undefined;
  for await (const b of readTextBatches(source, chunkSize === undefined ? { maxLineLength: LONG } : { chunkSize, maxLineLength: LONG })) {
    expect(b.firstLineNo).toBe(lines.length + 1);
    lines.push(...b.texts);
    if (b.readError !== undefined) {
      expect(readError).toBeUndefined();
      readError = b.readError;
      errorLine = b.firstLineNo;
    }
  }
  return { lines, readError, errorLine };
}

/** Check one file: siemlab's bytes are gzip's, byte for byte, and the damage is reported when gzip reports any. */
async function sameAsGzip(file: string, what: string): Promise<{ err?: string; gz: ReturnType<typeof gzipDc> }> {
  const gz = gzipDc(file);
  const mine = await ours(file);
  expect(mine.out.length, what).toBe(gz.out.length);
  expect(mine.out.equals(gz.out), what).toBe(true);
  // gzip is silent exactly when siemlab reports nothing.
  expect(mine.err === undefined, `${what}: gzip said ${JSON.stringify(gz.err)}, siemlab ${mine.err}`).toBe(gz.err === "");
  // The same through readTextBatches, and from a stream in small pieces (stdin: no file to read again).
  const batches = await batchLines(file, 4096);
  expect(batches.lines, what).toEqual(linesOf(gz.out));
  expect(batches.readError, what).toBe(mine.err);
  if (mine.err !== undefined) expect(batches.errorLine).toBe(batches.lines.length + 1);
  const bytes = fs.readFileSync(file);
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 1000) pieces.push(bytes.subarray(i, i + 1000));
  const fromStream = await batchLines(Readable.from(pieces));
  expect(fromStream.lines, `${what} (stream)`).toEqual(linesOf(gz.out));
  expect(fromStream.readError === undefined, `${what} (stream)`).toBe(mine.err === undefined);
  return { err: mine.err, gz };
}

/**
 * Check a file cut inside its deflate data (or anywhere): gzip's text first, then at most one byte more (zlib
 * decodes a last literal whose bits gzip's decoder, which looks bits ahead, leaves), never a byte that is not
 * the original's. Returns whether siemlab read that one byte more.
 */
async function cutLikeGzip(file: string, original: Buffer, what: string): Promise<{ longer: boolean; err?: string; gz: ReturnType<typeof gzipDc> }> {
  const gz = gzipDc(file);
  const mine = await ours(file);
  expect(gz.err, what).toContain("unexpected end of file");
  expect(mine.out.subarray(0, gz.out.length).equals(gz.out), what).toBe(true);
  expect(mine.out.length - gz.out.length, what).toBeLessThanOrEqual(1);
  expect(original.subarray(0, mine.out.length).equals(mine.out), what).toBe(true);
  // readTextBatches gives the lines of those bytes (gzip's, but for that one byte), the cut last line too.
  const batches = await batchLines(file, 4096);
  expect(batches.lines, what).toEqual(linesOf(mine.out));
  expect(batches.readError, what).toBe(mine.err);
  return { longer: mine.out.length > gz.out.length, err: mine.err, gz };
}

const text = logText(6000, 1);
const member = zlib.gzipSync(text);
const members = [zlib.gzipSync(text.subarray(0, 200_003)), zlib.gzipSync(text.subarray(200_003, 400_001)), zlib.gzipSync(text.subarray(400_001))];
const multi = Buffer.concat(members);

describe("gzip input: exactly what gzip -dc writes", () => {
  it("healthy files: one member, several, gzip-made at levels 1 and 9, empty members", async () => {
    for (const [what, bytes] of [
      ["one member", member],
      ["three members", multi],
      ["gzip -1", gzipMade(text, 1)],
      ["gzip -9", gzipMade(text, 9)],
      ["an empty member alone", zlib.gzipSync(Buffer.alloc(0))],
      ["an empty member between two", Buffer.concat([members[0], zlib.gzipSync(Buffer.alloc(0)), members[1]])],
      // 6 MiB of text in a few KB, then another member: too much to inflate at once, read as a stream.
      ["a highly compressible member, then another", Buffer.concat([zlib.gzipSync(Buffer.alloc(6 << 20, "0123456789abcdef".repeat(8) + "\n")), members[1]])],
    ] as const) {
      const r = await sameAsGzip(write(bytes), what);
      expect(r.err, what).toBeUndefined();
      expect(r.gz.status, what).toBe(0);
    }
    expect((await ours(write(multi))).out.equals(text)).toBe(true);
  });

  it("trailing garbage after one member and after several: every line, then 'the rest after byte N was not gzip'", async () => {
    for (const [what, good, junk] of [
      ["text after one member", member, Buffer.from("garbage appended by a rotation tool\n")],
      ["one byte after one member", member, Buffer.from("x")],
      ["binary after three members", multi, Buffer.from([0x50, 0x4b, 3, 4, 0xff, 0, 0, 1])],
      ["zeros, then text", multi, Buffer.concat([Buffer.alloc(700), Buffer.from("junk")])],
      ["a gzip-made member, then text", gzipMade(text, 6), Buffer.from("\n\n-- end of log --\n")],
    ] as const) {
      const file = write(Buffer.concat([good, junk]));
      const r = await sameAsGzip(file, what);
      expect(r.gz.out.length).toBe(text.length);
      expect(r.err, what).toBe(
        `Cannot decompress ${file}: trailing garbage ignored. The rest after byte ${good.length} of the compressed file was not gzip and was ignored. ` +
          "Every line before it was read (as `gzip -d` writes them); check the file with `gzip -t`.",
      );
    }
  });

  it("many small members (as BGZF or appended batches write them): healthy, one damaged, junk after them", async () => {
    const small: Buffer[] = [];
    for (let at = 0; at < text.length; at += 9_000) small.push(zlib.gzipSync(text.subarray(at, at + 9_000)));
    const all = Buffer.concat(small);
    expect(small.length).toBeGreaterThan(50);
    const healthy = await sameAsGzip(write(all), "small members");
    expect(healthy.err).toBeUndefined();
    expect(healthy.gz.out.equals(text)).toBe(true);
    const offsetOf = (k: number) => small.slice(0, k).reduce((n, m) => n + m.length, 0);
    for (const [k, at, xor] of [[20, 30, 0xff], [21, 400, 0x01], [40, 12, 0x10], [41, 100, 0x80]]) {
      const bad = Buffer.from(all);
      bad[offsetOf(k) + at] ^= xor;
      const r = await sameAsGzip(write(bad), `member ${k + 1}, byte ${at} ^ ${xor}`);
      expect(r.err).toMatch(new RegExp(`invalid compressed data--.*Member ${k + 1} `));
      expect(r.gz.out.subarray(0, 9_000 * k).equals(text.subarray(0, 9_000 * k))).toBe(true);
    }
    const junk = await sameAsGzip(write(Buffer.concat([all, Buffer.from("junk")])), "small members, then junk");
    expect(junk.err).toContain(`The rest after byte ${all.length} of the compressed file was not gzip`);
  });

  it("trailing zero bytes are ignored silently, as gzip does", async () => {
    for (const n of [1, 2, 9, 70_000]) {
      const r = await sameAsGzip(write(Buffer.concat([multi, Buffer.alloc(n)])), `${n} zeros`);
      expect(r.err).toBeUndefined();
      expect(r.gz.status).toBe(0);
    }
  });

  it("garbage that starts with the gzip magic: a header gzip refuses, cut short, or deflate data that is not valid", async () => {
    const head = (rest: number[]) => Buffer.from([0x1f, 0x8b, ...rest]);
    const cases: [string, Buffer, RegExp][] = [
      ["unknown method", head([7, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), /unknown method 7 -- not supported\. The header of member 4 \(from byte \d+\) is not valid/],
      ["reserved flags", head([8, 0x40, 0, 0, 0, 0, 0, 3, 1, 2, 3]), /has flags 0x40 -- not supported/],
      ["encrypted flag", head([8, 0x20, 0, 0, 0, 0, 0, 3, 1, 2, 3]), /encrypted -- not supported/],
      ["magic alone", head([]), /unexpected end of file\. The header of member 4 .* is cut short/],
      ["half the magic", Buffer.from([0x1f]), /unexpected end of file\. The header of member 4 .* is cut short/],
      ["invalid block type", head([8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]), /invalid compressed data--format violated\. Member 4 .* \(zlib: invalid block type\)/],
      ["stored block lengths", head([8, 0, 0, 0, 0, 0, 0, 3, 0x00, 0x05, 0x00, 0x05, 0x00, 65]), /invalid compressed data--format violated\. Member 4 .*invalid stored block lengths/],
      ["old magic 1f 9e, cut", Buffer.from([0x1f, 0x9e, 8, 0]), /unexpected end of file/],
    ];
    for (const [what, junk, message] of cases) {
      const file = write(Buffer.concat([multi, junk]));
      const r = await sameAsGzip(file, what);
      expect(r.gz.out.equals(text), what).toBe(true);
      expect(r.err, what).toMatch(message);
      expect(r.err, what).toContain("The file starts like gzip but is corrupt or truncated: the lines before the damage were read (as `gzip -d` writes them); check it with `gzip -t`.");
    }
  });

  it("a member cut short anywhere: in its header, in its deflate data, in its 8-byte trailer", async () => {
    const made = gzipMade(text, 6); // a header with FNAME: 10 bytes, the name, its zero
    const headerEnd = made.indexOf(0, 10) + 1;
    const cuts = new Set<number>();
    for (let k = 2; k <= headerEnd + 3; k++) cuts.add(k);
    for (let k = 0; k < 60; k++) cuts.add(headerEnd + 4 + Math.floor((k * (made.length - headerEnd - 20)) / 60));
    for (let k = made.length - 9; k < made.length; k++) cuts.add(k);
    let longer = 0;
    for (const cut of cuts) {
      const r = await cutLikeGzip(write(made.subarray(0, cut)), text, `cut at ${cut}`);
      expect(r.err, `cut at ${cut}`).toMatch(/: unexpected end of file\. (The header of member 1|Member 1) \(from byte 0\) is cut short\. The file starts like gzip/);
      if (r.longer) longer++;
      if (cut >= made.length - 8 || cut <= headerEnd) {
        expect(r.longer, `cut at ${cut}, in the header or trailer`).toBe(false);
        await sameAsGzip(write(made.subarray(0, cut)), `cut at ${cut}`);
      }
    }
    expect(longer).toBeLessThan(cuts.size / 4);
    // A later member cut short: the members before it whole, like gzip.
    for (const cut of [5, 12, 300, 5000, members[2].length - 4]) {
      const bytes = Buffer.concat([members[0], members[1], members[2].subarray(0, cut)]);
      const r = await cutLikeGzip(write(bytes), text, `third member cut at ${cut}`);
      expect(r.err).toMatch(/unexpected end of file\. (The header of member 3|Member 3) \(from byte \d+\) is cut short/);
      expect(r.gz.out.length).toBeGreaterThanOrEqual(400_001);
    }
  });

  it("corrupt bytes in deflate data: text that decodes to other text, as gzip writes it, then the CRC error", async () => {
    const made = gzipMade(text, 6);
    const flips = [0xff, 0x10, 0x01, 0x80];
    const kinds = new Map<string, number>();
    for (let k = 0; k < 48; k++) {
      const at = 40 + Math.floor((k * (made.length - 60)) / 48);
      const bad = Buffer.from(made);
      bad[at] ^= flips[k % flips.length];
      const r = await sameAsGzip(write(bad), `byte ${at} ^ ${flips[k % flips.length]}`);
      const kind = /--([a-z ]+)/.exec(r.err ?? "")?.[1] ?? "none";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(kinds.get("crc error")).toBeGreaterThan(30);
    // Early in a later member a damaged distance can reach before the member's start: gzip then reads its window
    // as the earlier members left it (200,003 bytes of text: the slots wrap), and so must the reader.
    for (let k = 0; k < 24; k++) {
      const bad = Buffer.from(multi);
      const at = members[0].length + 12 + k * 37;
      bad[at] ^= flips[k % flips.length];
      const r = await sameAsGzip(write(bad), `member 2, byte ${at} ^ ${flips[k % flips.length]}`);
      expect(r.gz.out.subarray(0, 200_003).equals(text.subarray(0, 200_003))).toBe(true);
    }
  });

  it("deflate data zlib rejects in the middle: the whole 32 KiB windows gzip writes before it, then the error", async () => {
    // One member whose deflate data is two parts: `head` (ending in a full flush, so the second part starts on
    // a byte boundary, as the first byte of a block header) and the rest; that header byte is then damaged.
    const memberSplitAt = (split: number, damage: number[]): Buffer => {
      const a = zlib.deflateRawSync(text.subarray(0, split), { finishFlush: zlib.constants.Z_FULL_FLUSH });
      const b = Buffer.from(zlib.deflateRawSync(text.subarray(split)));
      damage.forEach((v, i) => (b[i] = v));
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(zlib.crc32(text), 0);
      trailer.writeUInt32LE(text.length, 4);
      return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), a, b, trailer]);
    };
    const damages: [number[], string][] = [
      [[0x07], "invalid block type"],
      [[0x00, 0x10, 0x00, 0x10, 0x00], "invalid stored block lengths"],
      [[0xfd, 0xff, 0xff], "too many length or distance symbols"],
      [[0x05, 0x00, 0x00, 0x00], "invalid code[^)]*"], // a dynamic header of zero code lengths
    ];
    for (const split of [5_000, 32_768, 65_536 + 77, 100_000, 250_001]) {
      for (const [damage, zlibSays] of damages) {
        const what = `split at ${split}, ${zlibSays}`;
        const bytes = memberSplitAt(split, damage);
        const r = await sameAsGzip(write(bytes), what);
        expect(r.gz.err, what).toContain("invalid compressed data--format violated");
        expect(r.gz.out.length, what).toBe(split - (split % 32768));
        expect(r.err, what).toMatch(new RegExp(`: invalid compressed data--format violated\\. Member 1 \\(from byte 0\\) is damaged at compressed byte \\d+ \\(zlib: ${zlibSays}\\)`));
        // In a later member: the members before it whole, then that member's whole windows.
        const later = await sameAsGzip(write(Buffer.concat([members[0], bytes])), `member 2, ${what}`);
        expect(later.gz.out.length, what).toBe(200_003 + split - (split % 32768));
      }
    }
  });

  it("a bad CRC-32 or ISIZE in the trailer: all the member's text, then the error; later members are not read", async () => {
    const withTrailer = (crcXor: number, sizeXor: number): Buffer => {
      const b = Buffer.concat([Buffer.from(members[0]), members[1]]);
      const t = members[0].length - 8;
      b.writeUInt32LE((b.readUInt32LE(t) ^ crcXor) >>> 0, t);
      b.writeUInt32LE((b.readUInt32LE(t + 4) ^ sizeXor) >>> 0, t + 4);
      return b;
    };
    const crc = await sameAsGzip(write(withTrailer(1, 0)), "crc");
    expect(crc.err).toMatch(/: invalid compressed data--crc error\. Member 1 \(bytes 0–\d+\): the trailer's CRC-32 is 0x[0-9a-f]{8}, the text's 0x[0-9a-f]{8}\. Its text was read/);
    const size = await sameAsGzip(write(withTrailer(0, 0x100)), "isize");
    expect(size.err).toMatch(/: invalid compressed data--length error\. Member 1 \(bytes 0–\d+\): the trailer's length is 199747 bytes mod 2\^32, the text's 200003\./);
    const both = await sameAsGzip(write(withTrailer(0xffffffff, 1)), "both");
    expect(both.err).toMatch(/invalid compressed data--crc error, length error\./);
    expect(crc.gz.out.equals(text.subarray(0, 200_003))).toBe(true);
  });

  it("header fields FEXTRA, FNAME, FCOMMENT and FHCRC are read (and a wrong header CRC is refused, as gzip does)", async () => {
    const deflated = zlib.deflateRawSync(text);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(text), 0);
    trailer.writeUInt32LE(text.length, 4);
    const memberWith = (flags: number, hcrcXor = 0): Buffer => {
      const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3])];
      if (flags & 4) parts.push(Buffer.from([5, 0, 0x41, 0x42, 2, 0, 0x7a, 0x79, 0x01]).subarray(0, 7));
      if (flags & 8) parts.push(Buffer.from("auth.log\0", "latin1"));
      if (flags & 16) parts.push(Buffer.from("rotated \xe9t\xe9\0", "latin1"));
      if (flags & 2) {
        const h = Buffer.alloc(2);
        h.writeUInt16LE((zlib.crc32(Buffer.concat(parts)) & 0xffff) ^ hcrcXor);
        parts.push(h);
      }
      return Buffer.concat([...parts, deflated, trailer]);
    };
    for (const flags of [2, 4, 8, 16, 2 | 4 | 8 | 16, 1 | 4 | 16]) {
      const r = await sameAsGzip(write(Buffer.concat([memberWith(flags), members[2]])), `flags ${flags}`);
      expect(r.err, `flags ${flags}`).toBeUndefined();
      // Cut inside the extra field, the name or the comment: gzip writes nothing, siemlab reads no line.
      const full = memberWith(flags);
      for (const cut of [11, 14, 18, 25]) {
        const c = await sameAsGzip(write(full.subarray(0, cut)), `flags ${flags} cut at ${cut}`);
        expect(c.gz.out.length).toBe(0);
        expect(c.err).toMatch(/unexpected end of file/);
      }
    }
    const wrong = await sameAsGzip(write(Buffer.concat([members[0], memberWith(2 | 8, 1)])), "wrong header CRC");
    expect(wrong.err).toMatch(/: header checksum 0x[0-9a-f]{4} != computed checksum 0x[0-9a-f]{4}\. The header of member 2 \(from byte \d+\) is not valid/);
    expect(wrong.gz.err).toContain("header checksum");
  });
});

describe("gzip from a stream in 1-byte pieces (every header field and boundary split)", () => {
  it("gives gzip's lines and the same damage report as the file", async () => {
    const small = logText(200, 3);
    const a = zlib.gzipSync(small.subarray(0, 9_001));
    const b = zlib.gzipSync(small.subarray(9_001));
    const named = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3, 2, 0, 0x41, 0x42]), Buffer.from("n\0c\0")]);
    const hcrc = Buffer.alloc(2);
    hcrc.writeUInt16LE(zlib.crc32(named) & 0xffff);
    const withFields = Buffer.concat([named, hcrc, a.subarray(10)]);
    const head = zlib.deflateRawSync(small.subarray(0, 5_000), { finishFlush: zlib.constants.Z_FULL_FLUSH });
    const rejected = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), head, Buffer.from([0x07, 0, 0, 0, 0, 0, 0, 0, 0])]);
    for (const [what, bytes] of [
      ["two members and junk", Buffer.concat([a, b, Buffer.from("junk")])],
      ["header fields, then zeros", Buffer.concat([withFields, b, Buffer.alloc(5)])],
      ["a member cut in its trailer", Buffer.concat([a, b.subarray(0, b.length - 3)])],
      ["magic-prefixed garbage", Buffer.concat([a, Buffer.from([0x1f, 0x8b, 9])])],
      ["deflate data zlib rejects", Buffer.concat([a, rejected])],
    ] as const) {
      const file = write(bytes);
      const gz = gzipDc(file);
      const mine = await ours(file);
      expect(mine.out.equals(gz.out), what).toBe(true);
      const pieces = Array.from(bytes, (x) => Buffer.from([x]));
      const r = await batchLines(Readable.from(pieces));
      expect(r.lines, what).toEqual(linesOf(gz.out));
      expect(r.readError, what).toBe(mine.err?.replace(file, "the input stream").replace("compressed file", "compressed input"));
    }
  }, 120_000);
});

describe("siemlab parse on damaged gzip (the CLI spawned)", () => {
  it("reads the lines gzip -dc writes, reports the damage as the last reject, and exits 1", () => {
    const bad = Buffer.from(multi);
    bad[members[0].length + 5000] ^= 0x55;
    for (const [what, bytes, message] of [
      ["trailing garbage", Buffer.concat([multi, Buffer.from("junk\n")]), /trailing garbage ignored\. The rest after byte \d+ of the compressed file was not gzip/],
      ["cut short", multi.subarray(0, multi.length - 100_000), /unexpected end of file\. Member \d \(from byte \d+\) is cut short/],
      ["damaged data", bad, /invalid compressed data--(format violated|crc error)/],
    ] as const) {
      const file = write(bytes);
      const gz = gzipDc(file);
      const r = spawnSync(process.execPath, [BIN, "parse", file, "--format", "raw", "--max-line", String(LONG)], { encoding: "utf8", timeout: 120_000, maxBuffer: 1 << 30 });
      expect(r.status, what).toBe(1);
      const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { lineNo: number; message: string });
      const lines = linesOf(gz.out);
      // Every line gzip writes is an event at its number (empty lines are rejects) — but a last line the damage
      // cut in half, which is a reject —, then the damage.
      const half = gz.out.length > 0 && gz.out[gz.out.length - 1] !== 10;
      const whole = half ? lines.slice(0, -1) : lines;
      expect(events.map((e) => e.message), what).toEqual(whole.filter((l) => l !== ""));
      expect(events.map((e) => lines[e.lineNo - 1]), what).toEqual(events.map((e) => e.message));
      if (half) expect(r.stderr, what).toContain(`line ${lines.length}: the input ends inside this line`);
      expect(r.stderr, what).toMatch(new RegExp(`line ${lines.length + 1}: Cannot decompress .*f\\d+\\.gz: ${message.source}`));
      expect(r.stderr, what).toContain("input damaged, read stopped");
    }
  }, 120_000);
});
