/**
 * readAhead: the chunks of a stream in order, with a bounded amount read ahead of the consumer (what lets zlib
 * inflate a gzip file on the thread pool while the reader parses), errors after the chunks before them.
 */
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { readAhead } from "../../src/ingest/gzip-members";

/** A stream of `n` chunks of `size` bytes (chunk k filled with k % 251), counting what was pulled from it. */
function counted(n: number, size: number): { stream: Readable; pulled: () => number } {
  let k = 0;
  const stream = new Readable({
    read() {
      if (k === n) this.push(null);
      else this.push(Buffer.alloc(size, k++ % 251));
    },
  });
  return { stream, pulled: () => k };
}

describe("readAhead", () => {
  it("gives every chunk in order and reads at most about maxBytes ahead of the consumer", async () => {
    const { stream, pulled } = counted(200, 1000);
    const seen: number[] = [];
    let most = 0;
    for await (const c of readAhead(stream, 10_000)) {
      expect(c.length).toBe(1000);
      seen.push(c[0]);
      // Let the stream run as far as it may before the next chunk is taken.
      await new Promise((r) => setImmediate(r));
      most = Math.max(most, pulled() - seen.length);
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, k) => k % 251));
    // Ahead: the 10 kB queue, plus what the stream's own buffer (16 KiB) holds while paused.
    expect(most).toBeGreaterThanOrEqual(5);
    expect(most).toBeLessThanOrEqual(10 + 17 + 2);
  });

  it("a gzip stream: the same text as gunzipSync, in pieces", async () => {
    const text = Buffer.from(Array.from({ length: 50_000 }, (_, i) => `line ${i} ${"x".repeat(i % 97)}\n`).join(""));
    const gz = zlib.createGunzip({ chunkSize: 1 << 16 });
    gz.end(zlib.gzipSync(text));
    const parts: Buffer[] = [];
    for await (const c of readAhead(gz, 1 << 18)) parts.push(c);
    expect(parts.length).toBeGreaterThan(10);
    expect(Buffer.concat(parts).equals(zlib.gunzipSync(zlib.gzipSync(text)))).toBe(true);
  });

  it("an error comes after the chunks queued before it", async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from("a"));
    stream.push(Buffer.from("b"));
    setImmediate(() => stream.destroy(new Error("disk on fire")));
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of readAhead(stream, 1 << 20)) got.push(c.toString());
      })(),
    ).rejects.toThrow("disk on fire");
    expect(got).toEqual(["a", "b"]);
  });

  it("a stream closed before its end is an error, not a silent end", async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from("a"));
    setImmediate(() => stream.destroy());
    await expect(
      (async () => {
        for await (const _ of readAhead(stream, 1 << 20)) void _;
      })(),
    ).rejects.toThrow("closed before its end");
  });

  it("stopping early leaves no listener behind", async () => {
    const { stream } = counted(100, 10);
    for await (const c of readAhead(stream, 100)) if (c[0] === 3) break;
    expect(stream.listenerCount("data")).toBe(0);
    expect(stream.listenerCount("error")).toBe(0);
  });
});
