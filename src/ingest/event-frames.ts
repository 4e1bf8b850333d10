import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import type { LogEvent, Reject } from "../events";

/**
 * Rejects as a Danfo DataFrame (columns lineNo, reason, raw) for display; `raw` is cut to `maxRawLength`
 * characters (default 200) so one hostile line cannot flood a notebook. Escape before rendering as HTML
 * (the charts' `showTable` does).
 *
 * @example
 * rejectsToDataFrame(parseLogLines(["junk"], { format: "rfc3164" }).rejects).print();
 */
export function rejectsToDataFrame(rejects: readonly Reject[], options: { readonly maxRawLength?: number } = {}): dfd.DataFrame {
  const max = options.maxRawLength ?? 200;
  return new (lazyDanfo().DataFrame)(
    {
      lineNo: rejects.map((r) => r.lineNo),
      reason: rejects.map((r) => r.reason),
      raw: rejects.map((r) => (r.raw.length > max ? r.raw.slice(0, max) + "…" : r.raw)),
    },
    { columns: ["lineNo", "reason", "raw"] },
  );
}

/**
 * Events as a Danfo DataFrame for display: lineNo, time (ISO text, "" when unknown), host, process, pid,
 * level, eventType, outcome, user, srcIp, srcPort, message. Missing values are "". `pid` and `srcPort` are
 * identifiers, not quantities, so they are text columns (shown as "24200", never "24,200" or NaN).
 *
 * @example
 * logEventsToDataFrame(parseLogLines(text).events.slice(0, 10)).print();
 */
export function logEventsToDataFrame(events: readonly LogEvent[]): dfd.DataFrame {
  const s = (v: string | undefined) => v ?? "";
  const id = (v: number | undefined) => (v === undefined ? "" : String(v));
  return new (lazyDanfo().DataFrame)(
    {
      lineNo: events.map((e) => e.lineNo),
      time: events.map((e) => (Number.isFinite(e.time) ? new Date(e.time).toISOString() : "")),
      host: events.map((e) => s(e.host)),
      process: events.map((e) => s(e.process)),
      pid: events.map((e) => id(e.pid)),
      level: events.map((e) => s(e.level)),
      eventType: events.map((e) => e.eventType),
      outcome: events.map((e) => s(e.outcome)),
      user: events.map((e) => s(e.user)),
      srcIp: events.map((e) => s(e.srcIp)),
      srcPort: events.map((e) => id(e.srcPort)),
      message: events.map((e) => e.message),
    },
    { columns: ["lineNo", "time", "host", "process", "pid", "level", "eventType", "outcome", "user", "srcIp", "srcPort", "message"] },
  );
}
