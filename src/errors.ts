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
