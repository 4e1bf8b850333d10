import { OptionError } from "../errors";
import { accessLogFormat } from "./access-log";
import { apacheErrorFormat } from "./apache-error";
import { csvLogFormat } from "./csv-log";
import { jsonLinesFormat } from "./json-lines";
import { withNamedZones } from "./named-zone-wrapper";
import type { LogFormat } from "./log-format";
import { rawLineFormat } from "./raw-lines";
import { rfc3164Format } from "./syslog-rfc3164";
import { rfc5424Format } from "./syslog-rfc5424";
import { tutorialFormat } from "./tutorial-format";

const registry = new Map<string, LogFormat>();
const aliases = new Map<string, string>();

/**
 * Add a log format to the registry (parseLog, auto-detection and the CLI all use it). Refuses a name or
 * alias already taken unless `override` is true.
 *
 * @example
 * registerLogFormat({ name: "mine", description: "…", priority: 70, createParser: () => ({ parseLine: (t, n) => "no" }) });
 */
export function registerLogFormat(format: LogFormat, options: { readonly override?: boolean } = {}): void {
  const names = [format.name, ...(format.aliases ?? [])].map((n) => n.toLowerCase());
  if (!options.override) {
    for (const n of names) {
      if (registry.has(n) || aliases.has(n)) {
        throw new OptionError(`Log format name ${JSON.stringify(n)} is already registered. Use { override: true } to replace it.`);
      }
    }
  }
  registry.set(format.name.toLowerCase(), format);
  for (const a of format.aliases ?? []) aliases.set(a.toLowerCase(), format.name.toLowerCase());
}

// rfc3164's parser takes fixed offsets; the wrapper adds IANA zones (--tz Europe/Berlin) around it.
for (const f of [tutorialFormat, rfc5424Format, withNamedZones(rfc3164Format), accessLogFormat, apacheErrorFormat, jsonLinesFormat, csvLogFormat, rawLineFormat]) {
  registerLogFormat(f);
}

/**
 * All registered formats, in auto-detection preference order.
 *
 * @example
 * listLogFormats().map((f) => f.name) // ["tutorial", "rfc5424", "rfc3164", "combined", "apache-error", "jsonl", "csv", "raw"]
 */
export function listLogFormats(): LogFormat[] {
  return [...registry.values()].sort((a, b) => a.priority - b.priority);
}

/**
 * Find a format by name or alias (case-insensitive), or throw an {@link OptionError} listing the names.
 *
 * @example
 * getLogFormat("auth.log").name // "rfc3164"
 */
export function getLogFormat(name: string): LogFormat {
  const key = name.toLowerCase();
  const f = registry.get(key) ?? registry.get(aliases.get(key) ?? "");
  if (!f) {
    throw new OptionError(
      `Unknown log format ${JSON.stringify(name)}. Expected 'auto' or one of: ${listLogFormats().map((x) => x.name).join(", ")}`,
    );
  }
  return f;
}
