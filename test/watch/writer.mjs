// A log writer for the watch tests, run as its own process: appends `text` (or lines `from`..`to` of the file
// `source`) to `target` in seeded random chunks that split lines mid-way, with short pauses. With
// `rotateAtLine`, it renames target to target.1 in the middle of that line, writes the rest of the line and
// two more lines to the old file (a daemon before it reopens its log), then creates a new target and goes on.
// Usage: node test/watch/writer.mjs '{"target": "...", "source": "...", "from": 1, "to": 400, "seed": 1}'
import * as fs from "node:fs";

const spec = JSON.parse(process.argv[2]);
let lines = fs.readFileSync(spec.source, "utf8").split("\n");
if (lines[lines.length - 1] === "") lines.pop();
lines = lines.slice((spec.from ?? 1) - 1, spec.to ?? lines.length);
let s = (spec.seed ?? 1) >>> 0;
const rand = () => {
  // mulberry32
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const maxChunk = spec.maxChunk ?? 200;
const pauseEvery = spec.pauseEvery ?? 8;

async function writeChunks(fd, text) {
  const buf = Buffer.from(text);
  let pos = 0;
  let n = 0;
  while (pos < buf.length) {
    const len = 1 + Math.floor(rand() * maxChunk);
    fs.writeSync(fd, buf, pos, Math.min(len, buf.length - pos));
    pos += len;
    if (++n % pauseEvery === 0) await sleep(1);
  }
}

let fd = fs.openSync(spec.target, "a");
if (spec.rotateAtLine === undefined) {
  await writeChunks(fd, lines.map((l) => l + "\n").join(""));
} else {
  const k = spec.rotateAtLine - 1; // index of the line split by the rotation
  const before = lines.slice(0, k).map((l) => l + "\n").join("");
  const half = Math.floor(lines[k].length / 2);
  await writeChunks(fd, before + lines[k].slice(0, half));
  fs.renameSync(spec.target, spec.target + ".1");
  fs.writeSync(fd, lines[k].slice(half) + "\n");
  fs.writeSync(fd, lines.slice(k + 1, k + 3).map((l) => l + "\n").join(""));
  fs.closeSync(fd);
  await sleep(5);
  fd = fs.openSync(spec.target, "a");
  await writeChunks(fd, lines.slice(k + 3).map((l) => l + "\n").join(""));
}
fs.closeSync(fd);
