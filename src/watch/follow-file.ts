/**
 * Following a growing log like `tail -F`, by polling: `fs.fstat` / `fs.read` from a saved byte offset on an
 * interval (the caller's loop decides the interval). Polling is the reliable base: it works on every file
 * system, over NFS and in containers, where inotify misses events.
 *
 * - Only complete lines come out: the bytes after the last line feed wait until their newline arrives.
 * - Rotation by rename (logrotate's default, `create` mode): when the path names another file (or none),
 *   the old file is read to its end (the writer may still append to it for a moment: it is read until it
 *   has not grown for `rotationGraceMs`), its unterminated last line (if any) is taken as a line, then the
 *   new file is read from its start.
 * - Truncation (`copytruncate`, `> file`): a file shorter than the offset is read again from 0, and a notice
 *   says so. A file truncated and refilled past the old offset between two polls cannot be told apart from
 *   appended data (tail -F has the same blind spot).
 * - A missing file is waited for ("waiting for FILE to appear").
 * - Rotated `.gz` files are never read: following stays on the path given (a compressed file does not grow).
 * - A restart from a saved {@link FollowPosition} reads on from its offset when the path still names the same
 *   file (device and inode); when the path now names another file, the old one is looked for among the
 *   path's siblings (`auth.log.1`, …, not `.gz`) and read from the offset to its end first, so a rotation
 *   while the watcher was down loses nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import { LineFlags } from "../ingest/read-lines";

/** Where a follower stands in a file: its identity and the byte offset after the last complete line. */
export interface FollowPosition {
  /** `stat.dev` and `stat.ino` of the file (its identity across renames). */
  readonly dev: number;
  readonly ino: number;
  /** Bytes consumed: the end of the last complete line handed out. */
  readonly offset: number;
  /** The file's size when the position was taken. */
  readonly size: number;
}

/** One complete line: its text (no line ending) and repair flags (`LineFlags`). */
export interface FollowedLine {
  readonly text: string;
  readonly flags: number;
}

/** What one poll found. */
export interface FollowPoll {
  readonly lines: FollowedLine[];
  /** What happened to the file, in words, e.g. "auth.log was truncated: reading it again from the start". */
  readonly notices: string[];
  /** Whether everything available now was read (false when the per-poll byte budget stopped the read). */
  readonly caughtUp: boolean;
  /** Stdin only: the stream has ended. */
  readonly ended: boolean;
  /** A rotated file is still being read to its end (a `--once` run waits for it). */
  readonly rotating?: boolean;
}

/** Options of {@link FileFollower}. */
export interface FollowOptions {
  /** Start at the end of an existing file (like `tail -n 0 -F`) instead of its start. Default: false. */
  readonly fromEnd?: boolean;
  /** Resume from a saved position (see the module comment). Default: none. */
  readonly resume?: FollowPosition;
  /** Lines longer than this many characters are cut and flagged TRUNCATED. Default: 65,536. */
  readonly maxLineLength?: number;
  /** At most this many bytes are read per poll, so one big file never blocks the event loop. Default: 4 MiB. */
  readonly maxBytesPerPoll?: number;
  /**
   * After a rotation, the old file is read until it has not grown for this long (ms): a daemon writes on to
   * its old file until it reopens the path. Default: 1,000.
   */
  readonly rotationGraceMs?: number;
}

/**
 * Splits bytes into complete lines, keeping the unterminated tail (at most `4 × maxLineLength` bytes; a
 * longer line is cut and flagged TRUNCATED). Strips CR; flags invalid UTF-8.
 *
 * @example
 * const s = new LineSplitter();
 * const out: { text: string; flags: number }[] = [];
 * s.push(Buffer.from("a\nb"), out);
 * out.map((l) => l.text) // ["a"]
 * s.heldBytes // 1
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The pending line grew past the byte bound: it is cut, the rest is skipped until its newline. */
  private overlong = false;
  private readonly maxChars: number;
  private readonly maxBytes: number;

  constructor(maxLineLength = 65536) {
    this.maxChars = maxLineLength;
    this.maxBytes = maxLineLength * 4;
  }

  /** Bytes held that are not yet a complete line. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** Split a chunk: the complete lines it finishes are appended to `out`. */
  push(chunk: Buffer, out: FollowedLine[]): void {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      this.hold(chunk);
      return;
    }
    let start = 0;
    if (this.pendingBytes > 0 || this.overlong) {
      // The held tail's line ends in this chunk.
      const nl = chunk.indexOf(10);
      this.hold(chunk.subarray(0, nl));
      out.push(this.take());
      start = nl + 1;
    }
    if (start < last) {
      // Fast path: decode every complete line of the chunk at once (UTF-8 split points are only at the chunk's
      // ends, never before its last newline) and split the text; only a piece holding U+FFFD is re-checked
      // line by line for invalid UTF-8 (a log may also hold a genuine U+FFFD).
      const text = chunk.toString("utf8", start, last);
      if (text.indexOf("\uFFFD") >= 0) {
        for (;;) {
          const nl = chunk.indexOf(10, start);
          if (nl < 0 || nl > last) break;
          this.hold(chunk.subarray(start, nl));
          out.push(this.take());
          start = nl + 1;
        }
      } else {
        let from = 0;
        for (;;) {
          const nl = text.indexOf("\n", from);
          const line = nl < 0 ? text.slice(from) : text.slice(from, nl);
          out.push(this.finish(line, 0));
          if (nl < 0) break;
          from = nl + 1;
        }
      }
    } else if (start === last) out.push({ text: "", flags: 0 });
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
  }

  /** Strip a CR and cut a line to `maxLineLength` characters (not splitting a surrogate pair). */
  private finish(text: string, flags: number): FollowedLine {
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.length > this.maxChars) {
      let cut = this.maxChars;
      const c = text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut--;
      text = text.slice(0, cut);
      flags |= LineFlags.TRUNCATED;
    }
    return { text, flags };
  }

  /** The unterminated tail as a final line (a rotated file's last line), or undefined when none is held. */
  flush(): FollowedLine | undefined {
    if (this.pendingBytes === 0 && !this.overlong) return undefined;
    return this.take();
  }

  /** Forget the tail (the file was truncated under it). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.overlong = false;
  }

  private hold(b: Buffer): void {
    if (b.length === 0) return;
    const room = this.maxBytes - this.pendingBytes;
    if (room <= 0) {
      this.overlong = true;
      return;
    }
    if (b.length > room) {
      this.overlong = true;
      b = b.subarray(0, room);
    }
    // Copy: the caller reuses its read buffer.
    this.pending.push(Buffer.from(b));
    this.pendingBytes += b.length;
  }

  private take(): FollowedLine {
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let flags = this.overlong ? LineFlags.TRUNCATED : 0;
    if (!isUtf8(bytes)) flags |= LineFlags.INVALID_UTF8;
    const line = this.finish(bytes.toString("utf8"), flags);
    this.reset();
    return line;
  }
}

interface OpenFile {
  fd: number;
  dev: number;
  ino: number;
  /** Bytes read from the file so far (the splitter holds those after the last newline). */
  readPos: number;
  /** Display name (the path, or the sibling a rotated file was found under). */
  name: string;
}

/**
 * Follows one file path by polling (see the module comment). Call {@link FileFollower.poll} on an interval;
 * {@link FileFollower.position} is what to save for a restart.
 *
 * @example
 * fs.mkdirSync("out", { recursive: true });
 * fs.writeFileSync("out/follow-demo.log", "one\ntw");
 * const f = new FileFollower("out/follow-demo.log");
 * f.poll().lines.map((l) => l.text) // ["one"]
 * fs.appendFileSync("out/follow-demo.log", "o\n");
 * f.poll().lines.map((l) => l.text) // ["two"]
 * f.close();
 */
export class FileFollower {
  readonly path: string;
  private readonly options: FollowOptions;
  private readonly splitter: LineSplitter;
  private readonly buf: Buffer;
  private file: OpenFile | undefined;
  /** The path now names another file (or none): the current one is read to its end, then dropped. */
  private rotated = false;
  private saidWaiting = false;
  private started = false;
  private resume: FollowPosition | undefined;
  private readonly maxBytesPerPoll: number;
  /** Wall-clock time (ms) the rotated file last grew, or the rotation was noticed. */
  private lastGrowth = 0;
  /** The grace of the current rotation (0 for a file found rotated on a resume: its writer is long gone). */
  private graceMs = 0;

  constructor(file: string, options: FollowOptions = {}) {
    this.path = file;
    this.options = options;
    this.resume = options.resume;
    this.splitter = new LineSplitter(options.maxLineLength ?? 65536);
    this.maxBytesPerPoll = options.maxBytesPerPoll ?? 4 << 20;
    this.buf = Buffer.allocUnsafe(Math.min(1 << 20, this.maxBytesPerPoll));
  }

  /** The identity and offset after the last complete line handed out; undefined before the file is opened. */
  position(): FollowPosition | undefined {
    const f = this.file;
    if (f === undefined) return undefined;
    let size = f.readPos;
    try {
      size = fs.fstatSync(f.fd).size;
    } catch {
      // closed under us: the read position is the best known size
    }
    return { dev: f.dev, ino: f.ino, offset: f.readPos - this.splitter.heldBytes, size };
  }

  /**
   * The unterminated last line read so far, as a final line (for a reader that stops at the file's current end:
   * `once`), or undefined when every byte read ended a line. The position then counts it as read.
   */
  flushTail(): FollowedLine | undefined {
    return this.splitter.flush();
  }

  /** Bytes read after the last newline (an unterminated last line so far). */
  get heldBytes(): number {
    return this.splitter.heldBytes;
  }

  /** Close the open file (the follower can poll again afterwards and reopens the path). */
  close(): void {
    if (this.file !== undefined) fs.closeSync(this.file.fd);
    this.file = undefined;
  }

  /** Read what is available now: complete lines, and notices about the file. Never throws for a missing file. */
  poll(): FollowPoll {
    const lines: FollowedLine[] = [];
    const notices: string[] = [];
    let budget = this.maxBytesPerPoll;
    for (let guard = 0; guard < 4; guard++) {
      if (this.file === undefined && !this.open(notices)) return { lines, notices, caughtUp: true, ended: false };
      const f = this.file as OpenFile;
      let size: number;
      try {
        size = fs.fstatSync(f.fd).size;
      } catch {
        size = f.readPos;
      }
      if (size < f.readPos) {
        const lost = this.splitter.heldBytes;
        notices.push(`${f.name} was truncated (${size} bytes, was read to ${f.readPos}): reading it again from the start` + (lost > 0 ? `; an unterminated line of ${lost} bytes was dropped` : ""));
        f.readPos = 0;
        this.splitter.reset();
      }
      const got = this.readAvailable(f, lines, budget);
      budget -= got;
      if (budget <= 0) return { lines, notices, caughtUp: false, ended: false };
      const now = Date.now();
      if (!this.rotated) {
        this.rotated = this.pathMovedFrom(f);
        this.lastGrowth = now;
        this.graceMs = this.options.rotationGraceMs ?? 1000;
      }
      if (!this.rotated) return { lines, notices, caughtUp: true, ended: false };
      // Rotated: finish the old file once it has not grown for the grace period (its writer has moved on).
      if (got > 0) this.lastGrowth = now;
      if (now - this.lastGrowth < this.graceMs) return { lines, notices, caughtUp: true, ended: false, rotating: true };
      const tail = this.splitter.flush();
      if (tail !== undefined) lines.push(tail);
      notices.push(`${f.name} was rotated: read the old file to its end (${f.readPos} bytes)${tail !== undefined ? ", its unterminated last line included" : ""}; following the new ${this.path}`);
      this.close();
      this.rotated = false;
      this.started = true;
    }
    return { lines, notices, caughtUp: true, ended: false };
  }

  /** Read from the file's position to its current end (at most `budget` bytes). Returns the bytes read. */
  private readAvailable(f: OpenFile, out: FollowedLine[], budget: number): number {
    let total = 0;
    while (total < budget) {
      const n = fs.readSync(f.fd, this.buf, 0, Math.min(this.buf.length, budget - total), f.readPos);
      if (n <= 0) break;
      f.readPos += n;
      total += n;
      this.splitter.push(this.buf.subarray(0, n), out);
    }
    return total;
  }

  /** Whether the path no longer names the open file (renamed away, deleted, or replaced). */
  private pathMovedFrom(f: OpenFile): boolean {
    try {
      const st = fs.statSync(this.path);
      return st.ino !== f.ino || st.dev !== f.dev;
    } catch {
      return true;
    }
  }

  /** Open the path (or, on a resume, the rotated file that holds the saved position). */
  private open(notices: string[]): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.path, "r");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw e;
      if (this.resume !== undefined && this.openRotatedSibling(notices)) return true;
      if (!this.saidWaiting) notices.push(`waiting for ${this.path} to appear`);
      this.saidWaiting = true;
      return false;
    }
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      fs.closeSync(fd);
      throw new Error(`expected a file to follow, got the directory ${this.path}`);
    }
    if (this.saidWaiting) notices.push(`${this.path} appeared`);
    this.saidWaiting = false;
    let readPos = 0;
    const r = this.resume;
    if (r !== undefined) {
      this.resume = undefined;
      if (r.dev === st.dev && r.ino === st.ino) {
        if (st.size >= r.offset) {
          readPos = r.offset;
          notices.push(`resuming ${this.path} at byte ${r.offset}`);
        } else notices.push(`${this.path} is shorter (${st.size} bytes) than the saved offset ${r.offset}: it was truncated, reading it from the start`);
      } else {
        fs.closeSync(fd);
        this.resume = r;
        if (this.openRotatedSibling(notices)) return true;
        this.resume = undefined;
        notices.push(`${this.path} is not the file of the saved state (rotated while stopped, and the old file was not found next to it): reading it from the start`);
        return this.open(notices);
      }
    } else if (this.options.fromEnd === true && !this.started) {
      readPos = st.size;
    }
    this.started = true;
    this.file = { fd, dev: st.dev, ino: st.ino, readPos, name: this.path };
    return true;
  }

  /** On a resume: the saved file found under another name in the same folder (not compressed); read on from the offset. */
  private openRotatedSibling(notices: string[]): boolean {
    const r = this.resume as FollowPosition;
    const dir = path.dirname(this.path);
    const base = path.basename(this.path);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return false;
    }
    for (const name of names.sort()) {
      if (name === base || !name.startsWith(base) || name.endsWith(".gz")) continue;
      const full = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(full);
      } catch {
        continue;
      }
      if (st.dev !== r.dev || st.ino !== r.ino || !st.isFile()) continue;
      const fd = fs.openSync(full, "r");
      this.resume = undefined;
      this.file = { fd, dev: st.dev, ino: st.ino, readPos: Math.min(r.offset, st.size), name: full };
      this.rotated = true;
      this.graceMs = 0;
      this.started = true;
      notices.push(`${this.path} was rotated while stopped: reading the rest of ${full} from byte ${r.offset} first`);
      return true;
    }
    return false;
  }
}

/**
 * Follows a stream (stdin) as lines: the same complete-lines rule as {@link FileFollower}; a stream has no
 * position to save.
 *
 * @example
 * const s = new StreamFollower(fs.createReadStream("data/sim/auth.log"));
 * s.poll().lines // [] (nothing has arrived yet: the stream delivers on a later tick)
 * s.close();
 */
export class StreamFollower {
  private readonly splitter: LineSplitter;
  private chunks: Buffer[] = [];
  private ended = false;
  private readonly onData = (c: Buffer | string) => this.chunks.push(typeof c === "string" ? Buffer.from(c) : c);
  private readonly onEnd = () => (this.ended = true);
  private readonly stream: Readable;

  constructor(stream: Readable, options: Pick<FollowOptions, "maxLineLength"> = {}) {
    this.stream = stream;
    this.splitter = new LineSplitter(options.maxLineLength ?? 65536);
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
  }

  /** Streams have no position (undefined). */
  position(): FollowPosition | undefined {
    return undefined;
  }

  /** Stop listening to the stream. */
  close(): void {
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.pause();
  }

  /** The complete lines received since the last poll; at the stream's end, its unterminated last line too. */
  poll(): FollowPoll {
    const lines: FollowedLine[] = [];
    const chunks = this.chunks;
    this.chunks = [];
    for (const c of chunks) this.splitter.push(c, lines);
    if (this.ended) {
      const tail = this.splitter.flush();
      if (tail !== undefined) lines.push(tail);
    }
    return { lines, notices: [], caughtUp: true, ended: this.ended && this.chunks.length === 0 };
  }
}
