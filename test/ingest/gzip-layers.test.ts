// A file gzipped twice (`gzip -c f.gz > f.gz.gz`, some exporters and log shippers): once inflated, its text starts
// with a gzip member header (1f 8b 08), and the reader inflates it again — as a file, from stdin, on every thread
// count — giving what `gzip -dc | gzip -dc` gives. Damage in the inner layer is reported like damage in the outer one,
// naming the layer and the command that checks it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { Reject } from "../../src/events";
import { featurizeLog } from "../../src/features/featurize-log";
import { parseLog } from "../../src/ingest/parse-log";
import { readTextBatches } from "../../src/ingest/read-lines";

const BIN = path.resolve("bin/siemlab.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-gzgz-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
function write(bytes: Buffer, ext = ".log"): string {
  const f = path.join(tmp, `f${++fileNo}${ext}`);
  fs.writeFileSync(f, bytes);
  return f;
}

/** `n` sshd lines, some rejects among them. */
function log(n: number): Buffer {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const st = `Mar  6 ${String(8 + Math.floor(i / 3600) % 12).padStart(2, "0")}:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;
    out.push(i % 17 === 5 ? `garbage ${i}` : `${st} gw sshd[${i}]: Failed password for invalid user u${i % 13} from 10.0.${i % 7}.${1 + (i % 200)} port ${1024 + i} ssh2`);
  }
  return Buffer.from(out.join("\n") + "\n");
}

/** Events, rejects and counts of a read (the file's name taken out of messages). */
async function outcome(source: string | Readable) {
  const r = await parseLog(source, { year: 2025 });
  const named = (s: string) => s.replace(/\/f\d+\.(log|gz)\b/g, "/FILE");
  return { events: r.events, rejects: r.rejects.map((x) => ({ ...x, reason: named(x.reason) })), counts: r.counts, format: r.format };
}

const pieces = (b: Buffer, size: number) => Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));

describe("a gzip file whose text is gzip again", () => {
  const text = log(20_000);
  const once = zlib.gzipSync(text);
  const twice = zlib.gzipSync(once);

  it("is inflated twice: file, stdin in pieces of every size, three layers, two inner members", async () => {
    const want = await outcome(write(text));
    expect(want.counts.read).toBe(20_000);
    expect(want.counts.rejected).toBeGreaterThan(1000);
    expect(await outcome(write(twice, ".gz"))).toEqual(want);
    for (const size of [1, 2, 3, 17, 65536, twice.length]) {
      const src = size === 1 ? zlib.gzipSync(zlib.gzipSync(text.subarray(0, 20_000))) : twice;
      const expected = size === 1 ? await outcome(write(text.subarray(0, 20_000))) : want;
      expect(await outcome(pieces(src, size)), `pieces of ${size}`).toEqual(expected);
    }
    expect(await outcome(write(zlib.gzipSync(twice), ".gz"))).toEqual(want);
    // The inner layer of two members (`cat a.gz b.gz | gzip`), cut inside a line.
    const members = Buffer.concat([zlib.gzipSync(text.subarray(0, 300_001)), zlib.gzipSync(text.subarray(300_001))]);
    expect(await outcome(write(zlib.gzipSync(members), ".gz"))).toEqual(want);
  });

  it("gives the lines `gzip -dc | gzip -dc` gives (the shell's answer)", async () => {
    const file = write(twice, ".gz");
    const shell = spawnSync("sh", ["-c", 'gzip -dc "$0" | gzip -dc', file], { maxBuffer: 1 << 28 });
    expect(shell.status).toBe(0);
    expect(Buffer.compare(shell.stdout as Buffer, text)).toBe(0);
    const got: string[] = [];
    for await (const b of readTextBatches(file)) got.push(...b.texts);
    expect(got).toEqual(text.toString().split("\n").slice(0, -1));
  });

  it("a text that starts with 1f 8b but not a gzip member header (1f 8b 08) is read as text", async () => {
    const odd = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x41]), Buffer.from("bc\nsecond line\n")]);
    const got: string[] = [];
    for await (const b of readTextBatches(write(zlib.gzipSync(odd), ".gz"))) got.push(...b.texts);
    expect(got).toEqual(["\u001f\ufffdAbc", "second line"]);
  });

  it("featurizeLog on 1, 3 and 4 threads (inflated in blocks): what the plain file gives on one thread", async () => {
    const window = { by: "srcIp", filter: "failed_password", zeroFill: false } as const;
    const view = async (f: string, threads: number) => {
      const rejects: Reject[] = [];
      const r = await featurizeLog(f, { parse: { year: 2025 }, window, threads, minParallelBytes: 0, blockBytes: 200_000, warmupBytes: 5000, inProcess: true, onReject: (x) => rejects.push(x) });
      const { seconds, ...summary } = r.summary;
      return { summary, rejects, data: Array.from(r.features.matrix.data), entities: r.features.entities, ranges: r.parallel.ranges };
    };
    const plain = await view(write(text), 1);
    const file = write(twice, ".gz");
    for (const threads of [1, 3, 4]) {
      const got = await view(file, threads);
      expect({ ...got, ranges: 0 }, `threads ${threads}`).toEqual({ ...plain, ranges: 0 });
      if (threads > 2) expect(got.ranges).toBeGreaterThan(2);
    }
  }, 120_000);
});

describe("damage in the inner layer", () => {
  const text = log(20_000);
  const once = zlib.gzipSync(text);

  it("is reported after the lines `gzip -dc | gzip -dc` writes, naming the layer and how to check it", async () => {
    for (const [what, inner, message] of [
      ["cut short", once.subarray(0, Math.floor(once.length / 2)), /unexpected end of file\. Member 1 \(from byte 0\) is cut short/],
      ["trailing garbage", Buffer.concat([once, Buffer.from("junk\n")]), /trailing garbage ignored\. The rest after byte \d+ of the compressed input was not gzip/],
    ] as const) {
      const file = write(zlib.gzipSync(inner), ".gz");
      const shell = spawnSync("sh", ["-c", 'gzip -dc "$0" | gzip -dc 2>/dev/null', file], { maxBuffer: 1 << 28 }).stdout as Buffer;
      expect(shell.length, what).toBeGreaterThan(0);
      for (const source of [file, Readable.from([zlib.gzipSync(inner)])]) {
        const r = await parseLog(source, { format: "raw" });
        // Every whole line is an event; a last line the damage cut (no newline) is a reject.
        const whole = shell.toString().split("\n").slice(0, -1);
        expect(r.events.map((e) => e.message), what).toEqual(whole.filter((l) => l !== ""));
        const last = r.rejects.at(-1) as Reject;
        const name = typeof source === "string" ? source : "the input stream";
        expect(last.reason, what).toContain(`Cannot decompress the text inside ${name} (gzip inside gzip): `);
        expect(last.reason, what).toMatch(message);
        expect(last.reason, what).toContain(typeof source === "string" ? `check it with \`gzip -dc ${source} | gzip -t\`` : "check it with `gzip -dc | gzip -t`");
      }
    }
  });
});

describe("siemlab (the CLI spawned) on a double-gzipped file", () => {
  it("features: the CSV and summary of the plain file, from the file and from stdin; damage exits 1", () => {
    const text = log(5000);
    const twice = zlib.gzipSync(zlib.gzipSync(text));
    const run = (args: string[], input?: Buffer) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 120_000, maxBuffer: 1 << 28 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/[\d.]+ s, \d+ lines\/s/, "").replace(/^siemlab: note: --threads \d+ is more than this machine's .*\n/m, "") }; // (a note on machines with fewer cores)
    };
    const args = ["--year", "2025", "--sparse"];
    const want = run(["features", write(text), ...args]);
    expect(want.status).toBe(0);
    expect(want.stderr).toContain("format rfc3164");
    expect(run(["features", write(twice, ".gz"), ...args, "--threads", "3"])).toEqual(want);
    expect(run(["features", "-", ...args], twice)).toEqual(want);
    const cut = run(["features", write(zlib.gzipSync(zlib.gzipSync(text).subarray(0, 20_000)), ".gz"), ...args]);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/input damaged, read stopped: Cannot decompress the text inside .*f\d+\.gz \(gzip inside gzip\): unexpected end of file/);
  }, 120_000);
});
