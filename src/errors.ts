import { sep } from "node:path";
import { inspect } from "node:util";

/**
 * Error classes shared by every siemlab module. All extend {@link SiemlabError}, so a notebook can
 * catch any library error with one `instanceof` check.
 *
 * @example
 * try { new IsolationForest({ contamination: 0.7 }); }
 * catch (e) { if (e instanceof OptionError) console.log(e.message); }
 */
export class SiemlabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /**
   * How the error prints in a notebook (tslab shows errors with `console.error`, i.e. `util.inspect`) and in
   * Node's uncaught-error report: the message first, then the frames of the caller's code with the one
   * siemlab call they made, the library's internal frames counted but hidden. `error.stack` keeps every
   * frame; set `SIEMLAB_FULL_STACK=1` to print them all.
   */
  [inspect.custom](): string {
    return process.env.SIEMLAB_FULL_STACK === "1" ? (this.stack ?? `${this.name}: ${this.message}`) : shortStack(this);
  }
}

/** The folder of siemlab's own sources: frames from files under it are library-internal. */
const LIBRARY_DIR = __dirname + sep;

/** Node's and tslab's own frames: never the user's code. */
const RUNTIME_FRAME = /\(node:|\(internal\/|node_modules[\\/]|^\s*at (?:node:|internal\/)/;

/**
 * `Name: message` followed by the caller's frames (at most 6) and, just above the first of them, the siemlab
 * function it called; library and runtime frames are replaced by a count.
 *
 * @example
 * shortStack(new OptionError("Expected `seed` to be an integer")).split("\n")[0]; // "OptionError: Expected `seed` to be an integer"
 */
export function shortStack(error: Error): string {
  const lines = (error.stack ?? "").split("\n");
  const head = `${error.name}: ${error.message}`;
  const frames = lines.filter((l) => /^\s+at /.test(l));
  const isLibrary = (f: string) => f.includes(LIBRARY_DIR);
  const firstUser = frames.findIndex((f) => !isLibrary(f) && !RUNTIME_FRAME.test(f));
  if (firstUser < 0) return [head, ...frames.slice(0, 3), frames.length > 3 ? `    … ${frames.length - 3} more frames` : ""].filter((l) => l !== "").join("\n");
  const shown: string[] = [];
  if (firstUser > 0 && isLibrary(frames[firstUser - 1])) shown.push(frames[firstUser - 1].replace(LIBRARY_DIR, "siemlab/"));
  const user = frames.slice(firstUser).filter((f) => !isLibrary(f) && !RUNTIME_FRAME.test(f)).slice(0, 6);
  shown.push(...user);
  const hidden = frames.length - shown.length;
  return [head, ...shown, hidden > 0 ? `    (${hidden} siemlab and runtime frames hidden; SIEMLAB_FULL_STACK=1 shows them)` : ""].filter((l) => l !== "").join("\n");
}

/** An option has an invalid value; the message says which values are accepted. */
export class OptionError extends SiemlabError {}

/** Input data cannot be used (empty, NaN, wrong shape); the message says what to change. */
export class DataError extends SiemlabError {}

/** A detector was used before `fit`. */
export class NotFittedError extends SiemlabError {}

/** A log line could not be parsed. Carries the 1-based line number and the raw line. */
export class ParseError extends SiemlabError {
  readonly lineNo: number;
  readonly raw: string;
  readonly reason: string;
  constructor(lineNo: number, raw: string, reason: string) {
    super(`line ${lineNo}: ${reason}: ${JSON.stringify(raw.length > 200 ? raw.slice(0, 200) + "…" : raw)}`);
    this.lineNo = lineNo;
    this.raw = raw;
    this.reason = reason;
  }
}

/**
 * A saved model file cannot be written or read back: another format version, truncated or corrupted JSON,
 * a missing or altered binary sidecar, an unknown detector, an unfitted detector, or a feature set other than
 * the model's. The message names the file and says what to do; nothing is half-loaded.
 *
 * @example
 * loadDetector("/tmp/no-such-model.json"); // throws: No model file at /tmp/no-such-model.json
 */
export class ModelFileError extends SiemlabError {}

const WARNED = new Set<string>();

/**
 * Emit a process warning named "SiemlabWarning", once per text per process: a result that is computed but
 * probably not what was meant (LOF on repeated rows, failure columns of events without outcomes). The CLI
 * prints it as a `siemlab: warning:` line; a notebook shows Node's warning text.
 *
 * @example
 * warnOnce("example: this text is shown once"); // a second call with the same text does nothing
 */
export function warnOnce(text: string): void {
  if (WARNED.has(text) || typeof process === "undefined" || typeof process.emitWarning !== "function") return;
  WARNED.add(text);
  process.emitWarning(text, "SiemlabWarning");
}
