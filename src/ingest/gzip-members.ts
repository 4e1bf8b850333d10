// gzip input read the way `gzip -dc` reads it, damaged or not: a healthy file through Node's Gunzip; a damaged
// file (and any stream) member by member, each member's deflate data through its own raw inflater, and the
// damage reported after exactly the bytes gzip writes.
import type { Readable, Transform } from "node:stream";
import * as zlib from "node:zlib";
import { DataError } from "../errors";

/** Thrown by the gzip reader after the bytes it could decompress: the input is damaged from here on. */
export class DamagedInputError extends DataError {}

/**
 * Compressed bytes of the input again, from byte `from` on (a file read again; a stream's bytes kept while a
 * member is small). The gzip reader uses it after a damaged deflate stream to recover the text that zlib
 * decoded in its failing call (Node drops the output of a call that ends in an error).
 */
export type CompressedReplay = (from: number) => AsyncIterable<Buffer>;

/** A stream's compressed bytes kept for a replay, at most (per member; a longer member is not replayed). */
const STREAM_REPLAY_BYTES = 64 << 20;

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_ENCRYPTED = 0x20;
const FLAG_RESERVED = 0xc0;

const crc32: (data: Buffer, value?: number) => number = (zlib as { crc32?: (d: Buffer, v?: number) => number }).crc32 ?? crc32Js;

let crcTable: Int32Array | undefined;
/** CRC-32 (the gzip trailer's) in JavaScript, for a Node without `zlib.crc32` (before 20.15). */
function crc32Js(data: Buffer, value = 0): number {
  if (crcTable === undefined) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Compressed chunks pulled from the source with a one-chunk push-back, counting the bytes handed out. */
class CompressedInput {
  private readonly it: AsyncIterator<Buffer | string>;
  /** Bytes given back, to be handed out first (the last given back first). */
  private back: Buffer[] = [];
  private done = false;
  /** Offset in the compressed input of the next byte `next()` returns. */
  offset = 0;
  /** Bytes pulled from the source so far. */
  private pulled = 0;
  /** The last two chunks pulled (bytes given back are from them: a read of a few bytes can span two). */
  private recent: { at: number; buf: Buffer }[] = [];
  /** A stream's chunks from the current member's start, with their offsets, for a replay. */
  private kept: { at: number; buf: Buffer }[] = [];
  private keptBytes = 0;
  /** Whether `kept` still reaches back to the member's start (a stream, and the member within STREAM_REPLAY_BYTES). */
  private keeping = false;

  constructor(
    source: AsyncIterable<Buffer | string>,
    private readonly keep: boolean,
  ) {
    this.it = source[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | undefined> {
    let b = this.back.shift();
    while (b === undefined || b.length === 0) {
      if (this.done) return undefined;
      const step = await this.it.next();
      if (step.done) {
        this.done = true;
        return undefined;
      }
      b = typeof step.value === "string" ? Buffer.from(step.value) : step.value;
      const chunk = { at: this.pulled, buf: b };
      this.recent = [this.recent[this.recent.length - 1], chunk].filter((c) => c !== undefined);
      this.pulled += b.length;
      if (this.keeping) {
        this.kept.push(chunk);
        this.keptBytes += b.length;
        if (this.keptBytes > STREAM_REPLAY_BYTES) this.forget();
      }
    }
    this.offset += b.length;
    return b;
  }

  /** Give back bytes just handed out (the unused end of a chunk), to be handed out again first. */
  unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.back.unshift(b);
    this.offset -= b.length;
  }

  /** A member starts at `offset`: keep a stream's chunks from there on (while the member is small enough). */
  keepFrom(offset: number): void {
    this.forget();
    if (!this.keep) return;
    this.keeping = true;
    for (const c of this.recent) {
      if (c.at + c.buf.length > offset) {
        this.kept.push(c);
        this.keptBytes += c.buf.length;
      }
    }
  }

  private forget(): void {
    this.kept = [];
    this.keptBytes = 0;
    this.keeping = false;
  }

  /** The kept chunks as a replay from `from` (undefined when they do not reach back that far). */
  replayOf(from: number): AsyncIterable<Buffer> | undefined {
    const kept = this.kept.slice();
    if (!this.keeping || kept.length === 0 || kept[0].at > from) return undefined;
    return (async function* () {
      for (const { at, buf } of kept) if (at + buf.length > from) yield at >= from ? buf : buf.subarray(from - at);
    })();
  }

  async close(): Promise<void> {
    this.done = true;
    this.forget();
    await this.it.return?.();
  }
}

/**
 * gzip's 32 KiB sliding window as a member starts: gzip inflates every member from slot 0 of one window
 * (zeros at first), so a distance that reaches before a member's start reads slot (position − distance) mod
 * 32768, left by earlier members. As a zlib dictionary (the 32 KiB before the member) that is the slots in
 * order. Kept up to date from the last 32 KiB of each member's text.
 */
class GzipWindow {
  bytes = Buffer.alloc(32768);
  private tail: Buffer[] = [];
  private tailBytes = 0;

  /** Text of the current member, in order. */
  saw(out: Buffer): void {
    this.tail.push(out);
    this.tailBytes += out.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0].length >= 32768) this.tailBytes -= this.tail.shift()!.length;
  }

  /** The member ended after `size` bytes of text: its last bytes fill their slots. */
  memberEnd(size: number): void {
    if (this.tailBytes > 0) {
      const next = Buffer.from(this.bytes);
      let last = Buffer.concat(this.tail);
      if (last.length > 32768) last = last.subarray(last.length - 32768);
      let slot = (size - last.length) % 32768;
      for (let at = 0; at < last.length; ) {
        const n = Math.min(last.length - at, 32768 - slot);
        last.copy(next, slot, at, at + n);
        at += n;
        slot = (slot + n) % 32768;
      }
      this.bytes = next;
    }
    this.tail = [];
    this.tailBytes = 0;
  }
}

/**
 * A member's text not yet handed out, in order. `release(n)` hands out the chunks that end by member offset `n`
 * (whole: the healthy path splits no chunk), `release(n, true)` all of the text up to `n`, cutting a chunk there.
 */
class HeldText {
  private parts: Buffer[] = [];
  /** Offset (in the text) of the first held byte: the bytes handed out. */
  released = 0;

  push(b: Buffer): void {
    if (b.length > 0) this.parts.push(b);
  }

  *release(upTo: number, cut = false): Generator<Buffer, void, undefined> {
    while (this.parts.length > 0 && this.released < upTo) {
      const b = this.parts[0];
      const n = Math.min(b.length, upTo - this.released);
      if (n < b.length && !cut) return;
      if (n === b.length) this.parts.shift();
      else this.parts[0] = b.subarray(n);
      this.released += n;
      yield n === b.length ? b : b.subarray(0, n);
    }
  }
}

/** Write one piece to an inflater and wait until zlib took it: false when the inflater failed or was closed. */
function writePiece(inf: Transform, piece: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    if (inf.destroyed) return resolve(false);
    const onClose = (): void => resolve(false);
    inf.once("close", onClose);
    inf.write(piece, (err) => {
      inf.off("close", onClose);
      resolve(err == null && !inf.destroyed);
    });
  });
}

/** What ends a member's deflate data: its end (the rest of the input is given back), the input's end, or an error. */
type DataEnd = { kind: "end" } | { kind: "eof" } | { kind: "source"; error: unknown } | { kind: "stopped" };

/**
 * Decompress a gzip stream member by member (RFC 1952), each member's deflate data with its own raw inflater,
 * and yield exactly the bytes `gzip -dc` (gzip 1.12) writes before it stops, then throw a
 * {@link DamagedInputError} that says, in gzip's words first, what was wrong and where:
 *
 * - every complete member, its CRC-32 and length checked (a mismatch: the text, then "crc error" / "length error");
 * - trailing zero bytes: ignored silently; any other trailing bytes: "trailing garbage ignored", naming the byte
 *   after which the input was not gzip;
 * - a header gzip refuses (unknown method, reserved or encrypted flags, a wrong FHCRC) or cut short: nothing of it;
 *   FEXTRA, FNAME and FCOMMENT are skipped;
 * - deflate data cut short: all the text it holds (zlib may decode one last literal that gzip, which looks bits
 *   ahead, does not write);
 * - deflate data zlib rejects: the member's text in whole 32 KiB windows before the damage, as gzip flushes
 *   them (the text of zlib's failing call, which Node drops, is decoded again through `replay`, or from a
 *   stream's last 64 MiB kept in memory); a distance reaching before the member's start reads gzip's window
 *   (zeros, then earlier members' text), as gzip does, instead of stopping.
 *
 * `source` is the compressed input from its first byte; `label` names it in messages; `replay(from)` reads the
 * compressed input again from byte `from` (a file), undefined for a stream. A file is first read through Node's
 * Gunzip, as before this reader existed (the fast path for healthy files), and read again from its start, as
 * above, at the first error. Not gzip's: compress/pack/LZH data
 * after a member, which gzip also decodes, is reported as trailing garbage.
 *
 * @example
 * // `printf 'a\nb\n' | gzip -n`, then bytes that are not gzip:
 * const gz = Buffer.from("1f8b08000000000000034be44ae20200972a571804000000", "hex");
 * const source = (async function* () {
 *   yield Buffer.concat([gz, Buffer.from("junk")]);
 * })();
 * const got: string[] = [];
 * try {
 *   for await (const c of gunzipMembers(source, "x.gz")) got.push(c.toString("latin1"));
 * } catch (e) {
 *   got.push((e as Error).message.split(". ")[0]);
 * }
 * got.length; // 2
 * got[1]; // "Cannot decompress x.gz: trailing garbage ignored"
 */
export async function* gunzipMembers(
  source: AsyncIterable<Buffer | string>,
  label: string,
  replay?: CompressedReplay,
): AsyncGenerator<Buffer, void, undefined> {
  let input = new CompressedInput(source, replay === undefined);
  const what = replay === undefined ? "input" : "file";
  const advice =
    "The file starts like gzip but is corrupt or truncated: the lines before the damage were read (as `gzip -d` writes them); check it with `gzip -t`.";
  // gzip's words first (what `gzip -d` says), then where, then what was read and how to check.
  const damaged = (reason: string, where: string, tip = advice): DamagedInputError =>
    new DamagedInputError(`Cannot decompress ${label}: ${reason}. ${where}. ${tip}`);
  const window = new GzipWindow();
  let members = 0;
  let goodEnd = 0; // offset after the last complete member
  // Text a first, fast reading handed out, which the exact reading (from the file's start) must not repeat.
  let skip = 0;
  const pass = function* (text: Iterable<Buffer>): Generator<Buffer, void, undefined> {
    for (const b of text) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      const rest = skip > 0 ? b.subarray(skip) : b;
      skip = 0;
      yield rest;
    }
  };
  try {
    if (replay !== undefined) {
      // A file is first read as main did, through Node's Gunzip (members, CRC-32 and length checked by zlib on
      // the thread pool). At the first error it is read again from its start, member by member, handing out only
      // the text after what the fast reading gave (which holds back its last 32 KiB: never more than gzip writes).
      const fast = yield* gunzipFast(input);
      if (fast.ok) {
        members = 1; // one or more, all complete: what follows is zero padding, garbage or the end
        goodEnd = input.offset;
      } else {
        await input.close();
        input = new CompressedInput(replay(0), false);
        skip = fast.released;
      }
    }
    for (;;) {
      if (members > 0) {
        // After a member: the end, zero padding (ignored silently, as gzip does), another member, or garbage.
        const next = await betweenMembers(input);
        if (next === "end") return;
        if (next === "garbage") {
          throw damaged(
            "trailing garbage ignored",
            `The rest after byte ${goodEnd} of the compressed ${what} was not gzip and was ignored`,
            "Every line before it was read (as `gzip -d` writes them); check the file with `gzip -t`.",
          );
        }
      }
      const headerStart = input.offset;
      input.keepFrom(headerStart);
      const header = await readHeader(input);
      if (typeof header === "string") throw damaged(header, `The header of member ${members + 1} (from byte ${headerStart}) is ${header === "unexpected end of file" ? "cut short" : "not valid"}`);
      members++;
      const dataStart = input.offset;
      // A small member that ends inside the chunk at hand, as the next member's header follows (many-member files
      // such as BGZF or appended batches): inflated at once (a stream per member costs ~0.3 ms).
      const whole = await wholeMember(input, window.bytes);
      if (whole !== undefined) {
        window.saw(whole);
        if (whole.length > 0) yield* pass([whole]);
        goodEnd = input.offset;
        window.memberEnd(whole.length);
        continue;
      }

      // Z_SYNC_FLUSH at the end: deflate data cut short end the stream without an error (that would drop text).
      // The dictionary is what gzip's window holds when the member starts, which a distance reaching before the
      // member's start reads (damaged data: zlib would stop at "invalid distance too far back", gzip goes on).
      const inf = zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH, dictionary: window.bytes });
      let crc = 0;
      let size = 0;
      let given = 0; // bytes written to the inflater
      let failing: readonly [number, number] = [dataStart, dataStart]; // the piece being written (offsets)
      const pump = (async (): Promise<DataEnd> => {
        try {
          for (;;) {
            const chunk = await input.next();
            if (chunk === undefined) {
              inf.end();
              return { kind: "eof" };
            }
            // A chunk a write, as read (smaller pieces would cost a zlib call each on the healthy path).
            failing = [dataStart + given, dataStart + given + chunk.length];
            given += chunk.length;
            if (!(await writePiece(inf, chunk))) return { kind: "stopped" };
            const unused = given - inf.bytesWritten;
            if (unused > 0) {
              // The deflate data ended inside this chunk: the rest (trailer, next member…) goes back to the input.
              input.unshift(chunk.subarray(chunk.length - unused));
              inf.end();
              return { kind: "end" };
            }
          }
        } catch (error) {
          inf.end();
          return { kind: "source", error };
        }
      })();
      // gzip writes a member's text when its 32 KiB window fills and when the member's data end, and not the
      // partial window before damaged data: the text past the last whole window is held back until then.
      const held = new HeldText();
      let inflateError: (Error & { code?: string }) | undefined;
      try {
        for await (const out of inf as AsyncIterable<Buffer>) {
          crc = crc32(out, crc);
          size += out.length;
          window.saw(out);
          held.push(out);
          yield* pass(held.release(size - (size % 32768)));
        }
      } catch (e) {
        inflateError = e as Error & { code?: string };
      } finally {
        inf.destroy();
      }
      const end = await pump;
      if (inflateError === undefined || end.kind === "source") yield* pass(held.release(size));
      if (end.kind === "source") throw end.error;
      if (inflateError !== undefined) {
        // Damaged deflate data: Node dropped the text of zlib's failing call (and any it had not handed out);
        // decode the member again up to the damage to recover it, then write what gzip writes: whole windows.
        const again = (): AsyncIterable<Buffer> | undefined => (replay !== undefined ? replay(dataStart) : input.replayOf(dataStart));
        let decoded = size;
        const found = await textBeforeDamage(again, dataStart, failing, size, window.bytes);
        for (const out of found.out) {
          held.push(out);
          decoded += out.length;
        }
        yield* pass(held.release(decoded - (decoded % 32768), true));
        const where = found.at !== undefined ? `at compressed byte ${found.at}` : `in compressed bytes ${failing[0]}–${failing[1]}`;
        // A stream's member past STREAM_REPLAY_BYTES cannot be decoded again: say what may be missing.
        const lost = found.replayed ? "" : "; up to 32 KiB of text before it may be missing (the member was too long to keep for decoding it again)";
        throw damaged("invalid compressed data--format violated", `Member ${members} (from byte ${headerStart}) is damaged ${where} (zlib: ${inflateError.message})${lost}`);
      }
      const trailer = await readBytes(input, 8);
      if (trailer.length < 8) throw damaged("unexpected end of file", `Member ${members} (from byte ${headerStart}) is cut short`);
      const wantCrc = trailer.readUInt32LE(0);
      const wantSize = trailer.readUInt32LE(4);
      const problems: string[] = [];
      if (wantCrc !== crc >>> 0) problems.push(`crc (the trailer's CRC-32 is ${hex(wantCrc)}, the text's ${hex(crc >>> 0)})`);
      if (wantSize !== size % 2 ** 32) problems.push(`length (the trailer's length is ${wantSize} bytes mod 2^32, the text's ${size})`);
      if (problems.length > 0) {
        throw damaged(
          `invalid compressed data--${problems.map((p) => p.split(" ")[0] + " error").join(", ")}`,
          `Member ${members} (bytes ${headerStart}–${input.offset}): ${problems.map((p) => p.slice(p.indexOf("(") + 1, -1)).join("; ")}`,
          "Its text was read (as `gzip -d` writes it) but is not what was compressed; check the file with `gzip -t`.",
        );
      }
      goodEnd = input.offset;
      window.memberEnd(size);
    }
  } finally {
    await input.close();
  }
}

/** How much inflated text {@link gunzipFast} lets zlib produce ahead of the reader (bytes). */
const READ_AHEAD = 8 * 1024 * 1024;

/**
 * The chunks of a readable stream, with up to about `maxBytes` read ahead of the consumer: the stream flows
 * into a queue and is paused only when the queue holds that much. A zlib stream read this way inflates on the
 * thread pool while the caller parses (`for await` over the stream itself keeps 16 KiB ahead, so inflating
 * and parsing took turns). An error is thrown after the chunks queued before it.
 *
 * @example
 * const zlib = require("node:zlib");
 * const gz = zlib.createGunzip();
 * gz.end(zlib.gzipSync("a\nb\n"));
 * let text = "";
 * for await (const c of readAhead(gz, 1024)) text += c;
 * text // "a\nb\n"
 */
export async function* readAhead(stream: Readable, maxBytes: number): AsyncGenerator<Buffer, void, undefined> {
  const queue: Buffer[] = [];
  let head = 0;
  let queued = 0;
  let done = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (c: Buffer): void => {
    queue.push(c);
    queued += c.length;
    if (queued >= maxBytes) stream.pause();
    signal();
  };
  const onEnd = (): void => {
    done = true;
    signal();
  };
  const onError = (e: unknown): void => {
    error ??= e;
    done = true;
    signal();
  };
  const onClose = (): void => {
    if (!done) onError(new Error("the stream closed before its end"));
  };
  stream.on("data", onData);
  stream.on("end", onEnd);
  stream.on("error", onError);
  stream.on("close", onClose);
  try {
    for (;;) {
      if (head < queue.length) {
        const c = queue[head++];
        queued -= c.length;
        if (head === queue.length) {
          queue.length = 0;
          head = 0;
        }
        if (stream.isPaused() && !done && queued < maxBytes / 2) stream.resume();
        yield c;
        continue;
      }
      if (error !== undefined) throw error;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off("data", onData);
    stream.off("end", onEnd);
    stream.off("error", onError);
    stream.off("close", onClose);
  }
}

/**
 * Read a gzip file as main did: Node's Gunzip over all of it (it goes on from member to member itself; zlib checks
 * each header, CRC-32 and length on the thread pool), handing out all but the last 32 KiB of text it has given
 * (whole chunks) until it ends cleanly: at the input's end, or before zero bytes (given back to the input). On
 * any error (damage, trailing garbage, a cut) it stops and says how much text it handed out: Node drops the text
 * of a failing zlib call, so the caller reads the file again, exactly ({@link gunzipMembers}). The 32 KiB held
 * back keep that count at or below what gzip writes before any damage.
 */
async function* gunzipFast(input: CompressedInput): AsyncGenerator<Buffer, { ok: boolean; released: number }, undefined> {
  // Each call on the thread pool inflates up to 1 MiB (the default 16 KiB made zlib wait for the parsing thread
  // between calls: the next call is scheduled from its callback).
  const gz = zlib.createGunzip({ chunkSize: 1 << 20 });
  let given = 0;
  const pump = (async (): Promise<{ error: unknown } | undefined> => {
    try {
      for (;;) {
        const chunk = await input.next();
        if (chunk === undefined) break;
        given += chunk.length;
        if (!(await writePiece(gz, chunk))) return undefined;
        const unused = given - gz.bytesWritten;
        if (unused > 0) {
          // zlib stopped before zero bytes (gzip's padding, or zeros and then garbage): they go back to the input.
          input.unshift(chunk.subarray(chunk.length - unused));
          break;
        }
      }
      gz.end();
      return undefined;
    } catch (error) {
      gz.end();
      return { error };
    }
  })();
  const held = new HeldText();
  let size = 0;
  let failed = false;
  try {
    for await (const out of readAhead(gz, READ_AHEAD)) {
      size += out.length;
      held.push(out);
      yield* held.release(size - 32768);
    }
  } catch {
    failed = true;
  } finally {
    gz.destroy();
  }
  const source = await pump;
  if (source !== undefined) {
    yield* held.release(size);
    throw source.error;
  }
  if (failed) return { ok: false, released: held.released };
  yield* held.release(size);
  return { ok: true, released: size };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/**
 * The text of a member whose deflate data and trailer end inside the next chunk of the input, right before the
 * next member's magic and method (1f 8b 08), inflated synchronously and checked against its trailer; the input
 * is then after the trailer. Undefined (the input untouched) when the chunk holds no such end, or anything about
 * it is not right: the member is then read as a stream, which also reports any damage.
 */
async function wholeMember(input: CompressedInput, dictionary: Buffer): Promise<Buffer | undefined> {
  const c = await input.next();
  if (c === undefined) return undefined;
  input.unshift(c);
  const next = c.indexOf(NEXT_MEMBER, 10); // 2 bytes of deflate data at least, and the trailer
  if (next < 0) return undefined;
  const data = c.subarray(0, next - 8);
  let text: Buffer;
  try {
    // At most WHOLE_MEMBER_TEXT of text at once (a gzip bomb is read as a stream, in bounded pieces).
    const r = zlib.inflateRawSync(data, { dictionary, info: true, maxOutputLength: WHOLE_MEMBER_TEXT }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    if (r.engine.bytesWritten !== data.length) return undefined;
    text = r.buffer;
  } catch {
    return undefined;
  }
  if (c.readUInt32LE(next - 8) !== crc32(text) >>> 0 || c.readUInt32LE(next - 4) !== text.length % 2 ** 32) return undefined;
  await input.next();
  input.unshift(c.subarray(next));
  return text;
}

const NEXT_MEMBER = Buffer.from([0x1f, 0x8b, 0x08]);
/** The most text a member inflated at once may have (bytes); a larger one is read as a stream. */
const WHOLE_MEMBER_TEXT = 4 << 20;

/** Up to `n` bytes from the input (fewer at its end). */
async function readBytes(input: CompressedInput, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const c = await input.next();
    if (c === undefined) break;
    const take = Math.min(c.length, n - have);
    parts.push(c.subarray(0, take));
    have += take;
    input.unshift(c.subarray(take));
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * What follows a complete member, as gzip decides it: "end" at the end of input or when only zero bytes are
 * left; "member" when the next bytes are the gzip magic (or the input ends after its first byte: a header cut
 * short); else "garbage". The bytes of a member are given back to the input.
 */
async function betweenMembers(input: CompressedInput): Promise<"end" | "member" | "garbage"> {
  const c = await input.next();
  if (c === undefined) return "end";
  if (c[0] === 0) {
    let k = 0;
    for (let d: Buffer | undefined = c; d !== undefined; d = await input.next()) {
      for (k = 0; k < d.length && d[k] === 0; k++);
      if (k < d.length) return "garbage";
    }
    return "end";
  }
  if (c[0] !== 0x1f) return "garbage";
  let second: number | undefined = c.length > 1 ? c[1] : undefined;
  input.unshift(c);
  if (second === undefined) {
    const two = await readBytes(input, 2);
    input.unshift(two);
    second = two.length > 1 ? two[1] : undefined;
    if (second === undefined) return "member"; // one byte left: a header cut short
  }
  return second === 0x8b || second === 0x9e ? "member" : "garbage";
}

/**
 * Read and check one member header (RFC 1952 section 2.3: magic, method 8 = deflate, flags, mtime, xfl, os,
 * then FEXTRA, FNAME, FCOMMENT, FHCRC as flagged), leaving the input at the deflate data. Returns what is wrong
 * as gzip words it, when something is.
 */
async function readHeader(input: CompressedInput): Promise<true | string> {
  const fixed = await readBytes(input, 10);
  if (fixed.length < 10) return "unexpected end of file";
  if (fixed[0] !== 0x1f || (fixed[1] !== 0x8b && fixed[1] !== 0x9e)) return "not in gzip format";
  if (fixed[2] !== 8) return `unknown method ${fixed[2]} -- not supported`;
  const flags = fixed[3];
  if (flags & FLAG_ENCRYPTED) return "encrypted -- not supported";
  if (flags & FLAG_RESERVED) return `has flags 0x${flags.toString(16)} -- not supported`;
  let crc = crc32(fixed);
  if (flags & FLAG_EXTRA) {
    const len = await readBytes(input, 2);
    if (len.length < 2) return "unexpected end of file";
    crc = crc32(len, crc);
    let left = len.readUInt16LE(0);
    while (left > 0) {
      const part = await readBytes(input, Math.min(left, 65536));
      if (part.length === 0) return "unexpected end of file";
      crc = crc32(part, crc);
      left -= part.length;
    }
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    // A zero-terminated string.
    for (;;) {
      const c = await input.next();
      if (c === undefined) return "unexpected end of file";
      const z = c.indexOf(0);
      crc = crc32(z < 0 ? c : c.subarray(0, z + 1), crc);
      if (z >= 0) {
        input.unshift(c.subarray(z + 1));
        break;
      }
    }
  }
  if (flags & FLAG_HCRC) {
    const h = await readBytes(input, 2);
    if (h.length < 2) return "unexpected end of file";
    const want = h.readUInt16LE(0);
    if (want !== (crc & 0xffff)) return `header checksum 0x${want.toString(16).padStart(4, "0")} != computed checksum 0x${(crc & 0xffff).toString(16).padStart(4, "0")}`;
  }
  return true;
}

/**
 * Decode a member's deflate data again from its start (`dataStart`) up to the damage, and return its text after
 * the first `delivered` bytes (what Node dropped). zlib's error is placed to the byte in rounds, each a decode
 * from the member's start: at full speed up to the range it failed in (`failing`, offsets in the compressed
 * input), then in 512 steps through that range; the last round steps one byte a write, so that only the text
 * of the byte where zlib finds the damage is not recovered. Also returns that byte's offset (`at`), when found,
 * and whether the member could be decoded again at all (`replayed`).
 */
async function textBeforeDamage(
  again: () => AsyncIterable<Buffer> | undefined,
  dataStart: number,
  failing: readonly [number, number],
  delivered: number,
  dictionary: Buffer,
): Promise<{ out: Buffer[]; at?: number; replayed: boolean }> {
  let range = failing;
  let out: Buffer[] = [];
  let replayed = false;
  for (;;) {
    const step = Math.max(1, Math.ceil((range[1] - range[0]) / 512));
    const from = again();
    if (from === undefined) return { out, replayed };
    replayed = true;
    const round = await decodeTo(from, dataStart, range, step, delivered, dictionary);
    out = round.out;
    if (round.failed === undefined) return { out, replayed };
    if (step === 1) return { out, at: round.failed[0], replayed };
    range = round.failed;
  }
}

/** One round of {@link textBeforeDamage}: the text decoded, and the step zlib failed in (undefined: none). */
async function decodeTo(
  from: AsyncIterable<Buffer>,
  dataStart: number,
  range: readonly [number, number],
  step: number,
  delivered: number,
  dictionary: Buffer,
): Promise<{ out: Buffer[]; failed?: [number, number] }> {
  const inf = zlib.createInflateRaw({ dictionary });
  const out: Buffer[] = [];
  let seen = 0;
  inf.on("data", (d: Buffer) => {
    const skip = Math.max(0, Math.min(d.length, delivered - seen));
    if (skip < d.length) out.push(d.subarray(skip));
    seen += d.length;
  });
  inf.on("error", () => undefined);
  let at = dataStart;
  try {
    for await (const chunk of from) {
      for (let i = 0; i < chunk.length && at < range[1]; ) {
        const n = at < range[0] ? Math.min(chunk.length - i, range[0] - at) : Math.min(chunk.length - i, step, range[1] - at);
        if (!(await writePiece(inf, chunk.subarray(i, i + n)))) return { out, failed: [at, at + n] };
        i += n;
        at += n;
      }
      if (at >= range[1]) break;
    }
  } catch {
    // The replay could not be read: keep what it gave.
  } finally {
    inf.destroy();
  }
  return { out };
}
