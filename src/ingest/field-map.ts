import type { LogEvent } from "../events";
import type { FormatOptions, MappedField } from "./log-format";
import { addressProblem } from "./auth-events";
import { resolveTimeZone } from "./time-zone";
import { readTimeValue, timestampReason, type TimeValueOptions } from "./timestamps";

/**
 * Default field names tried, in order, for each LogEvent field when reading JSON lines or CSV: ECS-like
 * (`@timestamp`, `source.ip`, `user.name`, `event.action`), CloudTrail-like (`eventTime`, `sourceIPAddress`,
 * `userIdentity.userName`, `eventName`) and plain names (`timestamp`, `src_ip`, `user`, `event_type`).
 * CSV headers match case-insensitively, ignoring `_`, `.`, `-` and spaces.
 */
export const DEFAULT_FIELD_MAP: Readonly<Record<MappedField, readonly string[]>> = {
  time: ["@timestamp", "timestamp", "eventTime", "time", "ts", "datetime", "date", "event.created", "_time"],
  host: ["host.name", "host.hostname", "hostname", "host", "computer", "device"],
  process: ["process.name", "program", "app", "application", "eventSource", "service", "source"],
  pid: ["process.pid", "pid"],
  level: ["log.level", "level", "severity", "loglevel", "log_level"],
  eventType: ["event.action", "eventName", "event_type", "eventType", "action", "event", "type"],
  user: ["user.name", "userIdentity.userName", "userIdentity.principalId", "user", "username", "user_name", "account"],
  srcIp: ["source.ip", "sourceIPAddress", "client.ip", "src_ip", "srcIp", "source_ip", "remote_addr", "client_ip", "clientIp", "ip", "src"],
  srcPort: ["source.port", "src_port", "srcPort", "source_port", "client.port"],
  outcome: ["event.outcome", "outcome", "result", "status", "responseElements.ConsoleLogin"],
  message: ["message", "msg", "@message", "log", "description"],
};

const MAPPED_FIELDS = Object.keys(DEFAULT_FIELD_MAP) as MappedField[];

/**
 * The candidate names per field, with `fieldMap` entries taking the place of the defaults.
 *
 * @example
 * resolveFieldMap({ user: "actor" }).user // ["actor"]
 */
export function resolveFieldMap(fieldMap: FormatOptions["fieldMap"]): Record<MappedField, readonly string[]> {
  const out = {} as Record<MappedField, readonly string[]>;
  for (const f of MAPPED_FIELDS) {
    const given = fieldMap?.[f];
    out[f] = given === undefined ? DEFAULT_FIELD_MAP[f] : typeof given === "string" ? [given] : given;
  }
  return out;
}

/**
 * Names of the mappable fields, in a stable order.
 *
 * @example
 * mappedFieldNames().slice(0, 3) // ["time", "host", "process"]
 */
export function mappedFieldNames(): readonly MappedField[] {
  return MAPPED_FIELDS;
}

/**
 * Read a time value: ISO 8601 / `YYYY-MM-DD HH:MM:SS` (zone-less values are in `offsetMinutes`), the
 * Common Log Format time, or a numeric epoch in s, ms, µs or ns (unit by magnitude, see `epochToMs`).
 * Returns NaN when it is not a time or is an impossible one; {@link mappedEvent} uses `readTimeValue`
 * (src/ingest/timestamps) instead, which says why.
 *
 * @example
 * parseTimeValue("2024-01-02T03:04:05Z", 0) // 1704164645000
 */
export function parseTimeValue(v: unknown, offsetMinutes: number): number {
  const t = readTimeValue(v, { zone: resolveTimeZone(offsetMinutes) });
  return typeof t === "number" ? t : NaN;
}

/**
 * Normalise an outcome value: success / succeeded / ok / allowed / true / 2xx-3xx status → "success";
 * failure / failed / denied / error / false / 4xx-5xx status → "failure"; anything else → undefined.
 *
 * @example
 * normaliseOutcome("Failure") // "failure"
 */
export function normaliseOutcome(v: unknown): "success" | "failure" | undefined {
  if (typeof v === "boolean") return v ? "success" : "failure";
  if (typeof v === "number") return v >= 100 && v < 400 ? "success" : v >= 400 && v < 600 ? "failure" : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase();
  if (/^(success|succeeded|successful|ok|allow|allowed|accept|accepted|pass|passed|true)$/.test(s)) return "success";
  if (/^(failure|failed|fail|deny|denied|reject|rejected|error|blocked|false)$/.test(s)) return "failure";
  if (/^[1-5]\d\d$/.test(s)) return normaliseOutcome(+s);
  return undefined;
}

/**
 * Turn an event name into the house's snake_case event type: "ConsoleLogin" → "console_login",
 * "user-login" → "user_login".
 *
 * @example
 * snakeCaseEventType("AssumeRoleWithSAML") // "assume_role_with_saml"
 */
export function snakeCaseEventType(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/(?<![A-Z])([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|(?<!_)_+$/g, "")
    .slice(0, 64);
}

/**
 * `f` with its answers for string arguments remembered (the values of an event-type or outcome column repeat
 * on every row); forgotten past 4,096 distinct arguments, so a column of unique values costs a lookup, not memory.
 * `f` must be pure.
 *
 * @example
 * const parts = remembered((s) => s.split("."));
 * parts("a.b") === parts("a.b") // true (the same array: split once)
 */
export function remembered<T>(f: (s: string) => T): (s: string) => T {
  const seen = new Map<string, T>();
  // The last argument and its answer: a column's value often repeats from one row to the next, and comparing two
  // short strings is cheaper than hashing a freshly cut one for the Map.
  let last: string | undefined;
  let lastValue: T | undefined;
  return (s) => {
    if (s === last) return lastValue as T;
    const v = rememberedIn(seen, f, s);
    last = s;
    lastValue = v;
    return v;
  };
}

/** `f(s)`, from `seen` when it holds it, else computed and kept (the map emptied past 4,096 entries). */
function rememberedIn<T>(seen: Map<string, T>, f: (s: string) => T, s: string): T {
  const hit = seen.get(s);
  if (hit !== undefined || seen.has(s)) return hit as T;
  if (seen.size >= 4096) seen.clear();
  const v = f(s);
  seen.set(s, v);
  return v;
}
const snakeCaseOf = remembered(snakeCaseEventType);
const outcomeOf = remembered(normaliseOutcome);

function asString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v === "" || v === "-" ? undefined : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function asInt(v: unknown, max: number): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,10}$/.test(v.trim()) ? +v : NaN;
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

/**
 * Build a LogEvent from a record whose values are looked up by name (`get` returns undefined when absent).
 * `time` says how to read zone-less times and numeric epochs (a number is minutes east of UTC). Returns the
 * reject reason instead when the time field holds an impossible date or an implausible epoch, or the source
 * address is digits and dots but no IPv4 address (`addressProblem`); a time field that is absent or not a
 * time at all leaves `time` NaN.
 *
 * @example
 * const rec: Record<string, unknown> = { ts: "2024-01-02T03:04:05Z", event: "UserLogin", user: "alice", status: "denied" };
 * const e = mappedEvent(1, (k) => rec[k], resolveFieldMap(undefined), 0, {}, "") as LogEvent;
 * [e.time, e.eventType, e.user, e.outcome] // [1704164645000, "user_login", "alice", "failure"]
 */
export function mappedEvent(
  lineNo: number,
  get: (name: string) => unknown,
  map: Record<MappedField, readonly string[]>,
  time: TimeValueOptions | number,
  fields: Record<string, string | number | boolean | null>,
  fallbackMessage: string,
): LogEvent | string {
  const pick = (f: MappedField): unknown => {
    for (const name of map[f]) {
      const v = get(name);
      if (v !== undefined && v !== null && v !== "") return v;
    }
    return undefined;
  };
  return mappedEventFrom(lineNo, pick, () => get("errorCode"), time, fields, fallbackMessage);
}

/**
 * {@link mappedEvent} with the values already picked: `pick(f)` gives field `f`'s first non-empty candidate value
 * (undefined when none), `errorCode()` the record's `errorCode` (CloudTrail: a failure when present). For a
 * reader that resolves the candidates once (a CSV header) instead of per record.
 *
 * @example
 * const row = ["2024-01-02T03:04:05Z", "alice", "login_failed"];
 * const cols: Partial<Record<MappedField, number>> = { time: 0, user: 1, eventType: 2 };
 * const e = mappedEventFrom(1, (f) => (cols[f] === undefined ? undefined : row[cols[f] as number]), () => undefined, 0, {}, "") as LogEvent;
 * [e.time, e.user, e.eventType] // [1704164645000, "alice", "login_failed"]
 */
export function mappedEventFrom(
  lineNo: number,
  pick: (f: MappedField) => unknown,
  errorCode: () => unknown,
  time: TimeValueOptions | number,
  fields: Record<string, string | number | boolean | null>,
  fallbackMessage: string,
): LogEvent | string {
  const rawTime = pick("time");
  const t = rawTime === undefined ? undefined : readTimeValue(rawTime, typeof time === "number" ? { zone: resolveTimeZone(time) } : time);
  if (typeof t === "string") return t.startsWith("epoch value") ? t : timestampReason(String(rawTime), t);
  const srcIp = asString(pick("srcIp"));
  if (srcIp !== undefined) {
    const bad = addressProblem(srcIp);
    if (bad !== undefined) return bad;
  }
  const rawType = asString(pick("eventType"));
  const rawOutcome = pick("outcome");
  let outcome = typeof rawOutcome === "string" ? outcomeOf(rawOutcome) : normaliseOutcome(rawOutcome);
  if (outcome === undefined) {
    const code = errorCode();
    if (code !== undefined && code !== null) outcome = "failure";
  }
  return {
    lineNo,
    time: t ?? NaN,
    host: asString(pick("host")),
    process: asString(pick("process")),
    pid: asInt(pick("pid"), 4294967295),
    level: asString(pick("level")),
    eventType: rawType === undefined ? "other" : snakeCaseOf(rawType) || "other",
    user: asString(pick("user")),
    srcIp,
    srcPort: asInt(pick("srcPort"), 65535),
    outcome,
    message: asString(pick("message")) ?? fallbackMessage,
    fields,
  };
}
