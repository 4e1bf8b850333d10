import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileFollower, LineSplitter, StreamFollower } from "../../src/watch/follow-file";
import { LineFlags } from "../../src/ingest/read-lines";
import { PassThrough } from "node:stream";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-follow-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const texts = (f: { poll(): { lines: { text: string }[] } }) => f.poll().lines.map((l) => l.text);

describe("LineSplitter", () => {
  it("keeps a half-written line until its newline and strips CR", () => {
    const s = new LineSplitter();
    const out: { text: string; flags: number }[] = [];
    s.push(Buffer.from("a\r\nb"), out);
    expect(out.map((l) => l.text)).toEqual(["a"]);
    expect(s.heldBytes).toBe(1);
    s.push(Buffer.from("c\n"), out);
    expect(out.map((l) => l.text)).toEqual(["a", "bc"]);
    expect(s.heldBytes).toBe(0);
  });

  it("joins a UTF-8 character split across chunks and flags invalid bytes", () => {
    const s = new LineSplitter();
    const out: { text: string; flags: number }[] = [];
    const bytes = Buffer.from("user é\n");
    s.push(bytes.subarray(0, 6), out); // splits the two bytes of é
    s.push(bytes.subarray(6), out);
    s.push(Buffer.from([0x61, 0xff, 0x0a]), out);
    expect(out[0]).toEqual({ text: "user é", flags: 0 });
    expect(out[1].flags & LineFlags.INVALID_UTF8).toBeTruthy();
  });

  it("splits many lines of one chunk, empty lines included; a genuine U+FFFD is not invalid UTF-8", () => {
    const s = new LineSplitter();
    const out: { text: string; flags: number }[] = [];
    s.push(Buffer.from("x\n\ny\u{FFFD}z\nw"), out);
    s.push(Buffer.concat([Buffer.from("\nbad "), Buffer.from([0xc3]), Buffer.from("\nok\n")]), out);
    expect(out).toEqual([
      { text: "x", flags: 0 },
      { text: "", flags: 0 },
      { text: "y\u{FFFD}z", flags: 0 },
      { text: "w", flags: 0 },
      { text: "bad \u{FFFD}", flags: LineFlags.INVALID_UTF8 },
      { text: "ok", flags: 0 },
    ]);
  });

  it("cuts an over-long line and skips its rest until the newline (bounded memory)", () => {
    const s = new LineSplitter(10);
    const out: { text: string; flags: number }[] = [];
    for (let i = 0; i < 100; i++) s.push(Buffer.from("x".repeat(100)), out);
    expect(s.heldBytes).toBeLessThanOrEqual(40);
    s.push(Buffer.from("\nok\n"), out);
    expect(out).toEqual([
      { text: "x".repeat(10), flags: LineFlags.TRUNCATED },
      { text: "ok", flags: 0 },
    ]);
  });
});

describe("FileFollower", () => {
  it("reads appended complete lines from the saved offset, never a half line", () => {
    const file = path.join(dir, "a.log");
    fs.writeFileSync(file, "one\ntw");
    const f = new FileFollower(file);
    expect(texts(f)).toEqual(["one"]);
    expect(f.position()?.offset).toBe(4);
    expect(texts(f)).toEqual([]);
    fs.appendFileSync(file, "o\nthree\n");
    expect(texts(f)).toEqual(["two", "three"]);
    expect(f.position()?.offset).toBe(fs.statSync(file).size);
    f.close();
  });

  it("waits for a missing file, says so once, and reads it when it appears", () => {
    const file = path.join(dir, "later.log");
    const f = new FileFollower(file);
    expect(f.poll().notices).toEqual([`waiting for ${file} to appear`]);
    expect(f.poll().notices).toEqual([]);
    fs.writeFileSync(file, "hello\n");
    const p = f.poll();
    expect(p.notices).toEqual([`${file} appeared`]);
    expect(p.lines.map((l) => l.text)).toEqual(["hello"]);
    f.close();
  });

  it("starts over at 0 after a truncation and says so", () => {
    const file = path.join(dir, "t.log");
    fs.writeFileSync(file, "a1\na2\na3\n");
    const f = new FileFollower(file);
    expect(texts(f)).toEqual(["a1", "a2", "a3"]);
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, "b1\n");
    const p = f.poll();
    expect(p.lines.map((l) => l.text)).toEqual(["b1"]);
    expect(p.notices[0]).toMatch(/t\.log was truncated .*reading it again from the start/);
    f.close();
  });

  it("after a rename reads the old file to its end (its last line even without newline), then the new one", () => {
    const file = path.join(dir, "r.log");
    fs.writeFileSync(file, "old1\n");
    const f = new FileFollower(file, { rotationGraceMs: 0 });
    expect(texts(f)).toEqual(["old1"]);
    const fd = fs.openSync(file, "a");
    fs.renameSync(file, file + ".1");
    fs.writeSync(fd, "old2\nold3"); // the daemon writes on to its old file before reopening the path
    fs.closeSync(fd);
    fs.writeFileSync(file, "new1\n");
    const seen: string[] = [];
    const notices: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = f.poll();
      seen.push(...p.lines.map((l) => l.text));
      notices.push(...p.notices);
    }
    expect(seen).toEqual(["old2", "old3", "new1"]);
    expect(notices.join("\n")).toMatch(/was rotated: read the old file to its end .*unterminated last line included/);
    f.close();
  });

  it("skips existing content with fromEnd", () => {
    const file = path.join(dir, "e.log");
    fs.writeFileSync(file, "before\n");
    const f = new FileFollower(file, { fromEnd: true });
    expect(texts(f)).toEqual([]);
    fs.appendFileSync(file, "after\n");
    expect(texts(f)).toEqual(["after"]);
    f.close();
  });

  it("resumes from a saved position, and finds the old file among its siblings after a rotation while stopped", () => {
    const file = path.join(dir, "s.log");
    fs.writeFileSync(file, "l1\nl2\n");
    const f1 = new FileFollower(file);
    expect(texts(f1)).toEqual(["l1", "l2"]);
    const pos = f1.position();
    f1.close();
    fs.appendFileSync(file, "l3\n");
    const f2 = new FileFollower(file, { resume: pos });
    expect(texts(f2)).toEqual(["l3"]);
    const pos2 = f2.position();
    f2.close();
    fs.appendFileSync(file, "l4\n");
    fs.renameSync(file, file + ".1");
    fs.writeFileSync(file + ".2.gz", "not read\n");
    fs.writeFileSync(file, "m1\n");
    const f3 = new FileFollower(file, { resume: pos2, rotationGraceMs: 0 });
    const seen: string[] = [];
    const notices: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = f3.poll();
      seen.push(...p.lines.map((l) => l.text));
      notices.push(...p.notices);
    }
    expect(seen).toEqual(["l4", "m1"]);
    expect(notices[0]).toMatch(/rotated while stopped: reading the rest of .*s\.log\.1 from byte 9 first/);
    f3.close();
  });

  it("a stale position on a replaced file reads the new file from the start", () => {
    const file = path.join(dir, "x.log");
    fs.writeFileSync(file, "a\n");
    const f1 = new FileFollower(file);
    f1.poll();
    const pos = f1.position();
    f1.close();
    fs.rmSync(file);
    fs.writeFileSync(path.join(dir, "other.txt"), "pad\n"); // keeps the old inode from being reused at once
    fs.writeFileSync(file, "b\n");
    const f2 = new FileFollower(file, { resume: pos });
    const p = f2.poll();
    if (fs.statSync(file).ino !== pos?.ino) {
      expect(p.lines.map((l) => l.text)).toEqual(["b"]);
      expect(p.notices.join("\n")).toMatch(/not the file of the saved state/);
    }
    f2.close();
  });
});

describe("StreamFollower", () => {
  it("hands out complete lines and the last unterminated line at the end", async () => {
    const s = new PassThrough();
    const f = new StreamFollower(s);
    s.write("a\nb");
    await new Promise((r) => setImmediate(r));
    expect(texts(f)).toEqual(["a"]);
    s.end("c");
    await new Promise((r) => setImmediate(r));
    const p = f.poll();
    expect(p.lines.map((l) => l.text)).toEqual(["bc"]);
    expect(p.ended).toBe(true);
    f.close();
  });
});
