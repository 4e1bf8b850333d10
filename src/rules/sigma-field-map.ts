import type { LogEvent } from "../events";

/** A value read from an event for a Sigma field: `undefined` = the event has no such field, `null` = present but null. */
export type SigmaFieldValue = string | number | boolean | null | undefined;

/** Where a Sigma field's value comes from: a siemlab path (`srcIp`, `fields.status`) or a function of the event. */
export type SigmaFieldSource = string | ((event: LogEvent) => SigmaFieldValue);

/** One documented entry of the default mapping. */
export interface SigmaFieldMapEntry {
  readonly source: SigmaFieldSource;
  /** Which logs carry it and what it means. */
  readonly doc: string;
}

function uriPart(e: LogEvent, part: "stem" | "query" | "ext"): SigmaFieldValue {
  const p = e.fields?.path;
  if (typeof p !== "string") return p === null ? null : undefined;
  const q = p.indexOf("?");
  const stem = q < 0 ? p : p.slice(0, q);
  if (part === "stem") return stem;
  if (part === "query") return q < 0 ? "" : p.slice(q + 1);
  const m = /\.([^./]*)$/.exec(stem);
  return m ? m[1] : "";
}

function pamMessage(e: LogEvent): SigmaFieldValue {
  if (e.eventType !== "auth_failure" && e.eventType !== "pam_user_unknown" && e.eventType !== "pam_more_failures") return undefined;
  const m = /^(?:pam_unix\([^)]*\): )?([^;]*)/.exec(e.message);
  return m ? m[1].trim() : e.message;
}

function web(e: LogEvent, v: SigmaFieldValue): SigmaFieldValue {
  return e.eventType === "http_request" ? v : undefined;
}

/**
 * The default mapping from the field names Sigma rules use to siemlab's {@link LogEvent}. Web rules
 * (`category: webserver`) use the W3C/IIS-style names of Sigma's taxonomy appendix (`c-ip`, `cs-method`,
 * `c-uri`, `sc-status`, `c-useragent`, …) and read the access-log parser's `fields`; Linux rules
 * (`product: linux`, `service: auth | sshd | sudo | su | syslog`) are mostly `keywords` rules that match the
 * message, plus the PAM names `pam_user`, `pam_rhost`, `pam_message` and sudo's own `USER`, `COMMAND`,
 * `PWD`, `TTY`; JSON/ECS rules use Elastic Common Schema names (`source.ip`, `user.name`,
 * `event.action`, …). siemlab's own names (`srcIp`, `user`, `eventType`, …) work everywhere, and a name
 * not listed here is looked up in the event's `fields` (JSON/CSV attributes keep their dotted names).
 * Add or override entries with the `fieldMapping` option.
 */
export const SIGMA_FIELD_MAP: Readonly<Record<string, SigmaFieldMapEntry>> = {
  // Web server (Sigma taxonomy, category webserver) — access logs (Apache/Nginx combined/common)
  "c-ip": { source: "srcIp", doc: "client address (access logs)" },
  "cs-method": { source: (e) => web(e, e.fields?.method), doc: "HTTP method; null for unparseable requests" },
  "c-uri": { source: (e) => web(e, e.fields?.path), doc: "request target as logged (path and query)" },
  "c-uri-stem": { source: (e) => web(e, uriPart(e, "stem")), doc: "path without the query string" },
  "c-uri-query": { source: (e) => web(e, uriPart(e, "query")), doc: "query string without '?', '' when none" },
  "c-uri-extension": { source: (e) => web(e, uriPart(e, "ext")), doc: "file extension of the path, '' when none" },
  "cs-version": { source: (e) => web(e, e.fields?.protocol), doc: "protocol, e.g. HTTP/1.1" },
  "sc-status": { source: (e) => web(e, e.fields?.status), doc: "HTTP status code (number)" },
  "sc-bytes": { source: (e) => web(e, e.fields?.bytes), doc: "response bytes ('-' logged as 0)" },
  "cs-referer": { source: (e) => web(e, e.fields?.referrer), doc: "Referer header as logged" },
  "c-useragent": { source: (e) => web(e, e.fields?.userAgent), doc: "User-Agent header as logged" },
  "cs-username": { source: (e) => web(e, e.user ?? null), doc: "authenticated user (access logs), null for '-'" },
  "cs-request": { source: (e) => web(e, e.message), doc: "siemlab extension: the raw request line" },
  // Linux auth.log (syslog): PAM and sudo key names
  pam_user: { source: "user", doc: "user of an auth message (PAM user=, sshd 'for U')" },
  pam_rhost: { source: "srcIp", doc: "remote host of an auth message (PAM rhost=, sshd 'from IP')" },
  pam_message: { source: pamMessage, doc: "PAM message text before ';' (e.g. 'authentication failure')" },
  USER: { source: "fields.targetUser", doc: "sudo/su target user (USER=root)" },
  COMMAND: { source: "fields.command", doc: "sudo COMMAND=" },
  PWD: { source: "fields.pwd", doc: "sudo PWD=" },
  TTY: { source: "fields.tty", doc: "sudo/su TTY" },
  // Generic names used across Sigma rule sets
  User: { source: "user", doc: "user name" },
  SourceIp: { source: "srcIp", doc: "source address" },
  Hostname: { source: "host", doc: "host name" },
  ComputerName: { source: "host", doc: "host name" },
  // Elastic Common Schema (JSON rules)
  "source.ip": { source: "srcIp", doc: "ECS source address" },
  "source.port": { source: "srcPort", doc: "ECS source port" },
  "user.name": { source: "user", doc: "ECS user name" },
  "host.name": { source: "host", doc: "ECS host name" },
  "process.name": { source: "process", doc: "ECS process name (syslog program)" },
  "process.pid": { source: "pid", doc: "ECS process id" },
  "event.action": { source: "eventType", doc: "ECS action = siemlab eventType" },
  "event.outcome": { source: "outcome", doc: "ECS outcome: success | failure" },
  "log.level": { source: "level", doc: "ECS log level" },
  "url.original": { source: (e) => web(e, e.fields?.path), doc: "ECS request target" },
  "http.request.method": { source: (e) => web(e, e.fields?.method), doc: "ECS HTTP method" },
  "http.response.status_code": { source: (e) => web(e, e.fields?.status), doc: "ECS HTTP status" },
  "http.response.body.bytes": { source: (e) => web(e, e.fields?.bytes), doc: "ECS response bytes" },
  "user_agent.original": { source: (e) => web(e, e.fields?.userAgent), doc: "ECS user agent" },
};

const EVENT_KEYS = new Set(["lineNo", "time", "host", "process", "pid", "level", "eventType", "user", "srcIp", "srcPort", "outcome", "message"]);

function readPath(event: LogEvent, path: string): SigmaFieldValue {
  if (path.startsWith("fields.")) {
    const f = event.fields;
    if (!f) return undefined;
    const k = path.slice(7);
    return Object.prototype.hasOwnProperty.call(f, k) ? f[k] : undefined;
  }
  if (EVENT_KEYS.has(path)) return (event as unknown as Record<string, SigmaFieldValue>)[path];
  return undefined;
}

/** A compiled lookup of one Sigma field name. */
export interface SigmaFieldGetter {
  readonly name: string;
  /** True when the name is in the default mapping, the user's mapping or is a LogEvent key. */
  readonly mapped: boolean;
  readonly get: (event: LogEvent) => SigmaFieldValue;
}

/**
 * Compile the lookup of a Sigma field name: the user's `mapping` first, then {@link SIGMA_FIELD_MAP}, then
 * siemlab's own LogEvent keys, then the event's `fields` under the same name. A mapped field that an
 * event lacks also falls back to `fields[name]` (JSON lines may carry Sigma names verbatim). Field names
 * are case-sensitive, as in Sigma.
 *
 * @example
 * const g = sigmaFieldGetter("c-useragent");
 * g.get({ lineNo: 1, time: 0, eventType: "http_request", message: "GET / HTTP/1.1", fields: { userAgent: "curl/8" } }) // "curl/8"
 * sigmaFieldGetter("CommandLine").mapped // false
 */
export function sigmaFieldGetter(name: string, mapping: Readonly<Record<string, SigmaFieldSource>> = {}): SigmaFieldGetter {
  const own = Object.prototype.hasOwnProperty;
  const src: SigmaFieldSource | undefined = own.call(mapping, name)
    ? mapping[name]
    : own.call(SIGMA_FIELD_MAP, name)
      ? SIGMA_FIELD_MAP[name].source
      : EVENT_KEYS.has(name)
        ? name
        : undefined;
  const fallback = (e: LogEvent): SigmaFieldValue => readPath(e, "fields." + name);
  if (src === undefined) return { name, mapped: false, get: fallback };
  const primary = typeof src === "function" ? src : (e: LogEvent) => readPath(e, src);
  return {
    name,
    mapped: true,
    get: (e) => {
      const v = primary(e);
      return v === undefined ? fallback(e) : v;
    },
  };
}

/** The logsource values an event answers to (a rule applies when each of its logsource keys is listed). */
export interface EventLogsource {
  readonly product: readonly string[];
  readonly service: readonly string[];
  readonly category: readonly string[];
}

const NONE: EventLogsource = { product: [], service: [], category: [] };
const WEB: EventLogsource = { product: ["apache", "nginx"], service: ["access"], category: ["webserver"] };
const AUTH_PROCESSES = new Set(["sshd", "sudo", "su", "login", "passwd", "systemd-logind", "gdm", "gdm-password", "klogind", "ftpd", "vsftpd"]);
const APACHE_ERROR_TYPES = new Set(["client_error", "server_message", "access_denied", "file_not_found"]);

/**
 * Which Sigma logsource an event belongs to. Access-log events: `category: webserver`, `product: apache |
 * nginx` (the combined format does not say which), `service: access`. Apache error-log events: `product:
 * apache`, `service: error`, `category: webserver`. Syslog events: `product: linux`, `service: syslog`,
 * their program name (`sshd`, `sudo`, `cron`, …), and `auth` for sshd/PAM/sudo/su/login messages (what
 * auth.log holds). Other events (JSON/CSV without a syslog program) answer to no logsource: only rules that
 * name none apply, unless the `logsource` option of the rule set says otherwise.
 *
 * @example
 * const e = { lineNo: 1, time: 0, process: "sshd", eventType: "failed_password", message: "" };
 * eventLogsource(e) // { product: ["linux"], service: ["syslog", "sshd", "auth"], category: [] }
 */
export function eventLogsource(event: LogEvent): EventLogsource {
  if (event.eventType === "http_request") return WEB;
  if (APACHE_ERROR_TYPES.has(event.eventType) && event.process === undefined) {
    return { product: ["apache"], service: ["error"], category: ["webserver"] };
  }
  const p = event.process;
  if (p === undefined) return NONE;
  const service = ["syslog", p.toLowerCase()];
  const isAuth = AUTH_PROCESSES.has(p) || /^pam_/.test(event.message) || (event.eventType !== "other" && event.eventType !== "message");
  if (isAuth && !service.includes("auth")) service.push("auth");
  return { product: ["linux"], service, category: [] };
}
