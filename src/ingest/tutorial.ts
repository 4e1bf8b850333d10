import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import { ParseError } from "../errors";
import type { LogEvent, Reject } from "../events";

/** Result of parsing the tutorial's comma format: parsed events plus every line that was not. */
export interface TutorialParseResult {
  readonly events: LogEvent[];
  readonly rejects: Reject[];
}

export interface TutorialParseOptions {
  /** Throw a {@link ParseError} (with the line number) on the first malformed line instead of keeping it as a reject. Default: false. */
  readonly strict?: boolean;
}

// 2025-03-06 08:00:00, INFO, User login success, user: admin
// The head by a regex, the tail ", user: NAME" by hand from the end (the one regex for both backtracked
// cubically on a long line with many ", user:").
const HEAD = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}),\s*([A-Za-z]+),/;
const isSpace = (c: string) => c.trim() === "" && c !== "";

/** `rest` = `\s*MESSAGE,\s*user:\s*NAME\s*` (the shortest MESSAGE): [MESSAGE, NAME], or undefined. */
function messageAndUser(rest: string): [string, string] | undefined {
  const end = rest.trimEnd();
  let k = end.length;
  while (k > 0 && !isSpace(end[k - 1])) k--;
  const token = end.slice(k);
  if (token === "") return undefined;
  // Either "user:" then spaces before the name, or "user:NAME" as one token.
  const candidates: [number, string][] = [];
  let j = k;
  while (j > 0 && isSpace(end[j - 1])) j--;
  if (j < k && end.endsWith("user:", j)) candidates.push([j - 5, token]);
  if (token.startsWith("user:") && token.length > 5) candidates.push([k, token.slice(5)]);
  for (const [userAt, name] of candidates) {
    let c = userAt;
    while (c > 0 && isSpace(end[c - 1])) c--;
    if (c > 0 && end[c - 1] === ",") return [end.slice(0, c - 1).trimStart(), name];
  }
  return undefined;
}

const EVENT_TYPES: ReadonlyArray<[RegExp, string, LogEvent["outcome"]]> = [
  [/fail/i, "login_failure", "failure"],
  [/login success/i, "login_success", "success"],
  [/logout/i, "logout", undefined],
];

/**
 * Parse one line of the tutorial's log format (`timestamp, LEVEL, message, user: name`).
 * Times are read as UTC. Returns the event, or the reason the line does not match.
 *
 * @example
 * parseTutorialLine("2025-03-06 08:00:00, INFO, User login success, user: admin", 1).user // "admin"
 */
export function parseTutorialLine(raw: string, lineNo: number): LogEvent | Reject {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const h = HEAD.exec(line);
  const tail = h ? messageAndUser(line.slice(h[0].length)) : undefined;
  if (!h || !tail) {
    const reason = raw.trim() === "" ? "empty line" : "expected `YYYY-MM-DD HH:MM:SS, LEVEL, message, user: name`";
    return { lineNo, raw, reason };
  }
  const [, y, mo, d, hh, mi, s, level] = h;
  const [message, user] = tail;
  const time = Date.UTC(+y, +mo - 1, +d, +hh, +mi, +s);
  const date = new Date(time);
  if (date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d || +hh > 23 || +mi > 59 || +s > 59) {
    return { lineNo, raw, reason: `invalid date or time ${y}-${mo}-${d} ${hh}:${mi}:${s}` };
  }
  const kind = EVENT_TYPES.find(([re]) => re.test(message));
  return {
    lineNo,
    time,
    level: level.toUpperCase(),
    eventType: kind ? kind[1] : "other",
    outcome: kind ? kind[2] : undefined,
    user,
    message,
  };
}

/**
 * Parse the tutorial's log lines. Malformed lines are kept as rejects with their line number and reason
 * (or thrown as a {@link ParseError} with `strict: true`); blank lines at the very end are ignored.
 *
 * @example
 * const { events, rejects } = parseTutorialLog(fs.readFileSync("data/seed-tutorial.log", "utf8"));
 */
export function parseTutorialLog(input: string | readonly string[], options: TutorialParseOptions = {}): TutorialParseResult {
  const lines = typeof input === "string" ? input.replace(/^\uFEFF/, "").split("\n") : input;
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  const events: LogEvent[] = [];
  const rejects: Reject[] = [];
  for (let i = 0; i < end; i++) {
    const parsed = parseTutorialLine(lines[i], i + 1);
    if ("reason" in parsed) {
      if (options.strict) throw new ParseError(parsed.lineNo, parsed.raw, parsed.reason);
      rejects.push(parsed);
    } else {
      events.push(parsed);
    }
  }
  return { events, rejects };
}

/**
 * The tutorial's DataFrame: columns timestamp (a Danfo datetime column), level, message, user.
 *
 * @example
 * tutorialEventsToDataFrame(parseTutorialLog(text).events).print();
 */
export function tutorialEventsToDataFrame(events: readonly LogEvent[]): dfd.DataFrame {
  return new (lazyDanfo().DataFrame)(
    {
      timestamp: events.map((e) => new Date(e.time)),
      level: events.map((e) => e.level ?? ""),
      message: events.map((e) => e.message),
      user: events.map((e) => e.user ?? ""),
    },
    { columns: ["timestamp", "level", "message", "user"] },
  );
}
