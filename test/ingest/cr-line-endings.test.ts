// Inputs whose lines end with a carriage return alone (classic Mac OS, some exporters): the reader decides it
// from the first 64 KiB (LineEndingSniffer) and cuts every line at CR, so such a file gives exactly the lines,
// events, rejects, repairs and line numbers of the same content with LF, on every read path — file, gzip, a
// stream (stdin) plain and gzip, a named pipe, and the CLI. CRLF files and LF files with stray CRs are read as before.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { Reject } from "../../src/events";
import { parseLog, parseLogStream, type ParseLogOptions } from "../../src/ingest/parse-log";
import { LINE_ENDING_SNIFF_BYTES, LineEndingSniffer, LineFlags, LineSplitter, readLinesSync, readTextBatches, sniffLineEnding, type LineSource } from "../../src/ingest/read-lines";

const BIN = path.resolve("bin/siemlab.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-cr-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
function write(bytes: Buffer | string, ext = ".log"): string {
  const f = path.join(tmp, `f${++fileNo}${ext}`);
  fs.writeFileSync(f, bytes);
  return f;
}

/**
 * Log lines of every kind the reader repairs or rejects (no CR or LF inside any): a BOM on the first, sshd lines,
 * empty lines, a line of spaces, invalid UTF-8, multi-byte text, lines longer than `maxLineLength` below and than
 * a small chunk, garbage.
 */
function lines(n: number): Buffer[] {
  const out: Buffer[] = [Buffer.from("\ufeffMar  6 08:00:00 gw sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2")];
  for (let i = 1; i < n; i++) {
    const st = `Mar  6 08:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;
    const k = i % 11;
    if (k === 3) out.push(Buffer.from(""));
    else if (k === 5) out.push(Buffer.concat([Buffer.from(`${st} gw sshd[${i}]: Invalid user b`), Buffer.from([0xff, 0xfe]), Buffer.from(` from 10.0.1.${i % 250}`)]));
    else if (k === 7) out.push(Buffer.from(`${st} gw sshd[${i}]: Invalid user ${"é".repeat(40 + (i % 300))} from 10.0.2.${i % 250}`));
    else if (k === 8) out.push(Buffer.from("   "));
    else if (k === 9) out.push(Buffer.from(`garbage ${i} \u00e9\u20ac`));
    else out.push(Buffer.from(`${st} gw sshd[${i}]: Failed password for invalid user u${i % 13} from 10.0.${i % 7}.${1 + (i % 200)} port ${1024 + i} ssh2`));
  }
  return out;
}

/** The lines joined with `eol` after each, the last one left without it when `open`. */
function join(ls: readonly Buffer[], eol: string, open = false): Buffer {
  const e = Buffer.from(eol);
  return Buffer.concat(ls.flatMap((l, i) => (open && i === ls.length - 1 ? [l] : [l, e])));
}

/** Everything parseLogStream gives, with the events' and rejects' line numbers (the file's name taken out of messages). */
async function parsed(source: LineSource, options: ParseLogOptions = {}) {
  const rejects: Reject[] = [];
  const events: unknown[] = [];
  const summary = await parseLogStream(source, { onEvent: (e) => events.push(e), onReject: (r) => rejects.push(r) }, { year: 2025, ...options });
  const { seconds, lineEnding, ...rest } = summary;
  const named = (s: string) => s.replace(/\/f\d+\.(log|gz)\b/g, "/FILE");
  const view = { ...rest, readError: rest.readError && named(rest.readError), events, rejects: rejects.map((r) => ({ ...r, reason: named(r.reason) })) };
  return { view, lineEnding, seconds };
}

/** A readable stream giving `bytes` in pieces of `size` bytes (as a pipe into stdin does). */
function pieces(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe("LineEndingSniffer: the rule", () => {
  const cr = (s: string | Buffer) => sniffLineEnding(Buffer.from(s), true);
  it("CR when the first 64 KiB hold a CR and no LF; LF otherwise (CRLF, stray CRs, no line end at all)", () => {
    expect(cr("a\rb\rc")).toBe("cr");
    expect(cr("a\r")).toBe("cr");
    expect(cr("\r")).toBe("cr");
    expect(cr("a\r\nb\r\n")).toBe("lf");
    expect(cr("a\rb\nc\n")).toBe("lf"); // a stray CR in an LF file's first line
    expect(cr("no line end at all")).toBe("lf");
    expect(cr("")).toBe("lf");
    // Undecided while more bytes may come and none of the first 64 KiB + 1 is an LF.
    expect(sniffLineEnding(Buffer.from("a\rb\r"), false)).toBeUndefined();
    expect(sniffLineEnding(Buffer.from("a\rb\nc"), false)).toBe("lf");
  });

  it("at the 64 KiB edge: a CRLF straddling it is LF; a CR only after it, or an LF only after it, does not count", () => {
    const N = LINE_ENDING_SNIFF_BYTES;
    const x = (n: number) => "x".repeat(n);
    expect(cr(x(N - 1) + "\r\n" + "y\r\n")).toBe("lf"); // CR at byte N - 1, LF at byte N
    expect(cr(x(N - 1) + "\ry\nz\n")).toBe("cr"); // CR at N - 1, the first LF at N + 1
    expect(cr(x(N) + "\r\rz\r")).toBe("lf"); // the first CR at byte N: not in the first 64 KiB
    expect(cr(x(N - 2) + "\r" + x(5) + "\n")).toBe("cr");
    expect(sniffLineEnding(Buffer.from(x(N - 2) + "\rxy"), false)).toBe("cr"); // 64 KiB + 1 seen: decided
    expect(sniffLineEnding(Buffer.from(x(N - 2) + "\rx"), false)).toBeUndefined(); // byte N (an LF?) not seen yet
  });

  it("fed in pieces of any size gives what the whole head gives", () => {
    const N = LINE_ENDING_SNIFF_BYTES;
    const heads = ["a\rb\rc", "a\r\nb", "x".repeat(N - 1) + "\r\n", "x".repeat(N - 1) + "\ry\n", "x".repeat(N) + "\r\r", "\ufeffq\rw\r", "x".repeat(70_000)];
    for (const h of heads) {
      const whole = cr(h);
      const b = Buffer.from(h);
      for (const size of [1, 2, 3, 4096, 65535, 65536, 65537, 1 << 20]) {
        const s = new LineEndingSniffer();
        let got: string | undefined;
        for (let i = 0; i < b.length && got === undefined; i += size) got = s.add(b.subarray(i, i + size));
        expect(got ?? s.end(), `${JSON.stringify(h.slice(0, 12))}… in pieces of ${size}`).toBe(whole);
      }
    }
  });
});

describe("readLinesSync on a CR text", () => {
  it("splits at CR; CRLF and LF texts with stray CRs are read as before", () => {
    expect(readLinesSync("\ufeffa\rb\r\rc").map((l) => [l.lineNo, l.text])).toEqual([[1, "a"], [2, "b"], [3, ""], [4, "c"]]);
    expect(readLinesSync("a\r\nb\r\n").map((l) => l.text)).toEqual(["a", "b"]);
    expect(readLinesSync("a\rx\nb\n").map((l) => l.text)).toEqual(["a\rx", "b"]);
  });
});

describe("a CR file gives exactly what the same lines with LF give", () => {
  const ls = lines(3000);
  const lf = join(ls, "\n");
  const crBytes = join(ls, "\r");
  const options: ParseLogOptions = { maxLineLength: 200, chunkSize: 8192 };

  it("as a file, in chunks of every size (the lines, numbers and repair flags)", async () => {
    const want = readLinesSync(lf.toString("latin1")).length;
    expect(want).toBe(3000);
    // Pieces of 1 byte on a head of 800 lines (past the 64 KiB the line ending is decided on).
    const head = 800;
    const lfHead = write(join(ls.slice(0, head), "\n"));
    const crHead = write(join(ls.slice(0, head), "\r"));
    expect(fs.statSync(crHead).size).toBeGreaterThan(LINE_ENDING_SNIFF_BYTES);
    for (const chunkSize of [1, 7, 4096, LINE_ENDING_SNIFF_BYTES - 1, LINE_ENDING_SNIFF_BYTES + 7, 262144]) {
      const lfFile = chunkSize === 1 ? lfHead : write(lf);
      const crFile = chunkSize === 1 ? crHead : write(crBytes);
      const a: unknown[] = [];
      const b: unknown[] = [];
      let batchesSayCr = true;
      for await (const x of readTextBatches(lfFile, { chunkSize, maxLineLength: 200 })) {
        expect(x.lineEnding).toBeUndefined();
        x.texts.forEach((t, i) => a.push([x.firstLineNo + i, t, x.flags?.[i] ?? 0]));
      }
      for await (const x of readTextBatches(crFile, { chunkSize, maxLineLength: 200 })) {
        batchesSayCr &&= x.lineEnding === "cr";
        x.texts.forEach((t, i) => b.push([x.firstLineNo + i, t, x.flags?.[i] ?? 0]));
      }
      expect(b.length, `chunk ${chunkSize}`).toBe(chunkSize === 1 ? head : 3000);
      expect(b, `chunk ${chunkSize}`).toEqual(a);
      expect(batchesSayCr).toBe(true);
    }
  });

  it("parsed: the same events, rejects (line numbers, reasons), counts and repairs; the summary says CR", async () => {
    const want = await parsed(write(lf), options);
    const c = want.view.counts;
    // The content exercises what it should: rejects, invalid UTF-8 and truncated lines, the BOM stripped.
    expect(c.read).toBe(3000);
    expect(c.rejected).toBeGreaterThan(500);
    expect(c.invalidUtf8).toBeGreaterThan(200);
    expect(c.truncated).toBeGreaterThan(100);
    expect(want.view.format).toBe("rfc3164");
    expect(want.lineEnding).toBeUndefined();
    const got = await parsed(write(crBytes), options);
    expect(got.view).toEqual(want.view);
    expect(got.lineEnding).toBe("cr");
  });

  it("gzip file, stream (stdin) plain and gzip in pieces of every size, and a named pipe", async () => {
    const want = (await parsed(write(lf), options)).view;
    const gz = zlib.gzipSync(crBytes);
    const two = Buffer.concat([zlib.gzipSync(crBytes.subarray(0, 70_001)), zlib.gzipSync(crBytes.subarray(70_001))]); // members cut mid-line
    for (const [what, source] of [
      ["gzip file", () => write(gz, ".gz")],
      ["two gzip members", () => write(two, ".gz")],
      ["stream, 1-byte pieces", () => pieces(crBytes.subarray(0, 70_000), 1)],
      ["stream, 3-byte pieces", () => pieces(crBytes, 3)],
      ["stream, 64 KiB pieces", () => pieces(crBytes, 65536)],
      ["stream, one piece", () => pieces(crBytes, crBytes.length)],
      ["gzip stream, 5-byte pieces", () => pieces(gz, 5)],
      ["gzip stream, 64 KiB pieces", () => pieces(gz, 65536)],
    ] as const) {
      const short = what === "stream, 1-byte pieces";
      const expected = short ? (await parsed(pieces(lf.subarray(0, 70_000), 4096), options)).view : want;
      const got = await parsed(source(), options);
      expect(got.view, what).toEqual(expected);
      expect(got.lineEnding, what).toBe("cr");
    }
  }, 120_000);

  it.skipIf(process.platform === "win32")("a named pipe (a shell's <(zcat f.gz)), plain and gzip", async () => {
    const want = (await parsed(write(lf), options)).view;
    for (const body of [crBytes, zlib.gzipSync(crBytes)]) {
      const fifo = path.join(tmp, `pipe${++fileNo}`);
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const src = write(body);
      const writer = spawn("sh", ["-c", 'cat "$0" > "$1"', src, fifo]);
      const exited = new Promise((r) => writer.on("exit", r));
      const got = await parsed(fifo, options);
      expect(got.view).toEqual(want);
      expect(got.lineEnding).toBe("cr");
      expect(await exited).toBe(0);
    }
  });

  it("a last line without its CR; an empty last line; a file of one CR line; maxBytes cutting a line", async () => {
    for (const [lfBody, crBody] of [
      [join(ls.slice(0, 50), "\n", true), join(ls.slice(0, 50), "\r", true)],
      [Buffer.concat([join(ls.slice(0, 50), "\n"), Buffer.from("\n")]), Buffer.concat([join(ls.slice(0, 50), "\r"), Buffer.from("\r")])],
      [Buffer.from("Mar  6 08:00:00 gw sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n"), Buffer.from("Mar  6 08:00:00 gw sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\r")],
    ]) {
      const want = await parsed(write(lfBody), options);
      const got = await parsed(write(crBody), options);
      expect(got.view).toEqual(want.view);
      expect(got.lineEnding).toBe("cr");
    }
    // --max-bytes cutting inside a line: the lines before, the half line a reject, then the cap.
    for (const maxBytes of [5000, 5003, 70_000]) {
      const want = await parsed(write(lf), { ...options, maxBytes });
      const got = await parsed(write(crBytes), { ...options, maxBytes });
      expect(got.view.rejects.at(-1)?.reason).toMatch(/after maxBytes/);
      expect(got.view).toEqual(want.view);
    }
  });

  it("a CR file whose gzip stream is cut short: the lines before the damage, then the same rejects as LF", async () => {
    for (const share of [0.6, 0.35]) {
      const gz = zlib.gzipSync(crBytes, { level: 1 });
      const damaged = gz.subarray(0, Math.floor(gz.length * share));
      const a = await parseLog(write(damaged, ".gz"), { ...options, year: 2025 });
      expect(a.rejects.at(-1)?.reason).toMatch(/^Cannot decompress .*unexpected end of file/);
      // gzip -dc writes a prefix: its complete lines give what they give with LF, its half line is a reject.
      const text = spawnSync("gzip", ["-dc"], { input: damaged }).stdout as Buffer;
      const end = text.lastIndexOf(13) + 1;
      const b = await parseLog(write(Buffer.from(text.subarray(0, end).toString("latin1").replace(/\r/g, "\n"), "latin1")), { ...options, year: 2025 });
      expect(a.events).toEqual(b.events);
      expect(a.rejects.slice(0, b.rejects.length)).toEqual(b.rejects);
      const half = end < text.length ? [{ lineNo: b.counts.read + 1, reason: expect.stringMatching(/^the input ends inside this line/) }] : [];
      expect(a.rejects.slice(b.rejects.length, -1)).toMatchObject(half);
      expect(a.counts.read).toBe(b.counts.read + half.length + 1);
    }
  });
});

describe("inputs that are not CR files are read as before", () => {
  it("CRLF (and a BOM): the lines of the LF file, no CR notice", async () => {
    const ls = lines(500);
    const want = await parsed(write(join(ls, "\n")), { maxLineLength: 200 });
    const got = await parsed(write(join(ls, "\r\n")), { maxLineLength: 200 });
    expect(got.view).toEqual(want.view);
    expect(got.lineEnding).toBeUndefined();
  });

  it("an LF file with stray CRs (inside lines, at a line's start, a first line of CRs): kept in the text", async () => {
    const body = "a\rb\r\r\nMar  6 08:00:00 gw sshd[1]: Failed\rpassword\n\rc\nlast\r";
    const texts: string[] = [];
    for await (const b of readTextBatches(write(body))) {
      expect(b.lineEnding).toBeUndefined();
      texts.push(...b.texts);
    }
    expect(texts).toEqual(["a\rb\r", "Mar  6 08:00:00 gw sshd[1]: Failed\rpassword", "\rc", "last"]);
  });

  it("a file whose first 64 KiB hold no line end: LF (one over-long line, as before), whatever follows", async () => {
    const body = "x".repeat(LINE_ENDING_SNIFF_BYTES + 10) + "\ra\rb\r";
    const r = await parseLog(write(body), { format: "raw", maxLineLength: 100 });
    expect(r.counts.read).toBe(1);
    expect(r.counts.truncated).toBe(1);
  });

  it("a splitter given the line ending reads a range that starts inside the input (as the parallel reader does)", () => {
    const s = new LineSplitter(100, 5, 0, "cr");
    expect(s.push(Buffer.from("a\nb\rc\r"))).toEqual({ texts: ["a\nb", "c"], firstLineNo: 5, flags: undefined, lineEnding: "cr" });
    const t = new LineSplitter(100, 1, 0, "lf");
    expect(t.push(Buffer.from("a\rb\r"))).toBeUndefined(); // no LF: still one partial line
    expect(t.end(true)).toEqual({ texts: ["a\rb"], firstLineNo: 1, flags: [LineFlags.TRUNCATED | LineFlags.CUT_SHORT] });
  });
});

describe("siemlab (the CLI spawned) on a CR file", () => {
  const ls = lines(2000);
  const lf = join(ls, "\n");
  const crBytes = join(ls, "\r");
  const run = (args: string[], input?: Buffer) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 120_000, maxBuffer: 1 << 28 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\d+\.\d+ s, \d+ lines\/s/, "").replace(/^siemlab: note: --threads \d+ is more than this machine's .*\n/m, "") }; // (a note on machines with fewer cores)
  };
  const notice = /^siemlab: line endings: CR \(classic Mac\)/gm;

  it("features: the CSV and summary of the LF file, on 1, 2 and 3 threads, gzip, and stdin; the notice once", () => {
    const args = ["--year", "2025", "--sparse", "--by", "ip", "--max-line", "200"];
    const want = run(["features", write(lf), ...args]);
    expect(want.status).toBe(0);
    expect(want.stderr).not.toMatch(notice);
    expect(want.stdout.split("\n").length).toBeGreaterThan(100);
    const crFile = write(crBytes);
    const gzFile = write(zlib.gzipSync(crBytes), ".gz");
    for (const [what, r] of [
      ["threads 1", run(["features", crFile, ...args, "--threads", "1"])],
      ["threads 2", run(["features", crFile, ...args, "--threads", "2"])],
      ["threads 3", run(["features", crFile, ...args, "--threads", "3"])],
      ["gzip, threads 3", run(["features", gzFile, ...args, "--threads", "3"])],
      ["stdin", run(["features", "-", ...args], crBytes)],
      ["gzip stdin", run(["features", "-", ...args], zlib.gzipSync(crBytes))],
    ] as const) {
      expect(r.status, what).toBe(0);
      expect(r.stdout, what).toBe(want.stdout);
      expect(r.stderr.match(notice), what).toHaveLength(1);
      expect(r.stderr.replace(/^siemlab: line endings: .*\n/m, ""), what).toBe(want.stderr);
    }
  }, 180_000);

  it("parse: the events and rejects of the LF file, the notice on stderr", () => {
    const want = run(["parse", write(lf), "--year", "2025"]);
    const got = run(["parse", write(crBytes), "--year", "2025"]);
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toMatch(notice);
    expect(got.stderr.replace(/^siemlab: line endings: .*\n/m, "")).toBe(want.stderr);
  }, 60_000);
});
