import type { LogEvent } from "../events";
import { mappedEvent, remembered, resolveFieldMap } from "./field-map";
import { STATELESS_BOUNDARY, type FormatOptions, type LineParser, type LogFormat } from "./log-format";
import { resolveTimeZone } from "./time-zone";
import { checkEpochUnit, type TimeValueOptions } from "./timestamps";

const MAX_FIELDS = 100;
const MAX_DEPTH = 4;

/** Flatten scalar leaves of a parsed JSON object into dotted keys (bounded depth and count; `__proto__` skipped). */
/** `prefix.key`, the same string for the same names (a record's shape repeats line after line: one string, hashed once, as a property name). */
const dottedNames = new Map<string, Map<string, string>>();
function dotted(prefix: string, key: string): string {
  let byKey = dottedNames.get(prefix);
  if (byKey === undefined) {
    if (dottedNames.size >= 4096) dottedNames.clear();
    dottedNames.set(prefix, (byKey = new Map()));
  }
  let name = byKey.get(key);
  if (name === undefined) {
    name = `${prefix}.${key}`;
    if (byKey.size < 4096) byKey.set(key, name);
  }
  return name;
}

/** Flatten `obj`'s leaves into `out` as dotted names (at most {@link MAX_FIELDS} of them); returns how many `out` has. */
function flatten(obj: Record<string, unknown>, prefix: string, depth: number, out: Record<string, string | number | boolean | null>, size: number): number {
  for (const key of Object.keys(obj)) {
    if (size >= MAX_FIELDS) return size;
    if (key === "__proto__") continue;
    const v = obj[key];
    const name = prefix === "" ? key : dotted(prefix, key);
    const leaf = v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
    if (leaf || Array.isArray(v)) {
      // (A name written twice — "a.b" as a key and as a path — is one field.)
      // (Own keys only: `out` inherits "toString", "constructor", … from Object.prototype.)
      if (!Object.prototype.hasOwnProperty.call(out, name)) size++;
      out[name] = leaf ? (v as string | number | boolean | null) : JSON.stringify(v).slice(0, 1000);
    } else if (typeof v === "object" && depth < MAX_DEPTH) size = flatten(v as Record<string, unknown>, name, depth + 1, out, size);
  }
  return size;
}

/** The parts of each dotted field-map name (split once: the same few names are looked up on every line). */
const pathParts = remembered((path: string): readonly string[] => path.split("."));

/** Look up a dotted path (`source.ip`), also accepting a literal dotted key (`"source.ip": ...`). */
function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, path)) return obj[path];
  if (path.indexOf(".") < 0) return undefined;
  let cur: unknown = obj;
  for (const part of pathParts(path)) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Create a parser for JSON lines (one JSON object per line), mapping fields to the LogEvent by
 * `fieldMap` (dotted paths) or by the defaults of {@link DEFAULT_FIELD_MAP} (ECS-like, CloudTrail-like, plain
 * names). Event names become snake_case event types ("ConsoleLogin" → "console_login"); every scalar
 * leaf is kept in `fields` under its dotted path (up to 100, depth 4). A line that is not a JSON object is
 * rejected with the JSON error.
 *
 * @example
 * createJsonLinesParser().parseLine('{"@timestamp":"2024-01-02T03:04:05Z","event":{"action":"user-login","outcome":"failure"},"source":{"ip":"1.2.3.4"}}', 1)
 */
export function createJsonLinesParser(options: FormatOptions = {}): LineParser {
  const map = resolveFieldMap(options.fieldMap);
  const time: TimeValueOptions = { zone: resolveTimeZone(options.timeZone), epochUnit: checkEpochUnit(options.epochUnit) };
  function parseLine(text: string, lineNo: number): LogEvent | string {
    const s = text.trim();
    if (s.length === 0) return "empty line";
    if (s.charCodeAt(0) !== 123 /* { */) return "expected a JSON object `{...}` on the line";
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch (e) {
      return `invalid JSON: ${(e as Error).message.slice(0, 120)}`;
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return "expected a JSON object `{...}` on the line";
    const record = obj as Record<string, unknown>;
    const fields: Record<string, string | number | boolean | null> = {};
    flatten(record, "", 0, fields, 0);
    return mappedEvent(lineNo, (name) => getPath(record, name), map, time, fields, s.length > 500 ? s.slice(0, 500) + "…" : s);
  }
  return { parseLine, boundary: STATELESS_BOUNDARY };
}

/** JSON lines (NDJSON), registered as "jsonl". */
export const jsonLinesFormat: LogFormat = {
  name: "jsonl",
  description: "JSON lines: one object per line; ECS / CloudTrail / plain field names mapped (override with fieldMap)",
  aliases: ["json", "ndjson", "json-lines"],
  priority: 50,
  createParser: createJsonLinesParser,
};
