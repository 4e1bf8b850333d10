import { OptionError } from "../errors";
import type { LogEvent } from "../events";

/** Which entity a row belongs to: an event field or a function (undefined = event skipped). */
export type EntityKey = "srcIp" | "ip" | "user" | "host" | "process" | ((event: LogEvent) => string | undefined);

/**
 * The field reader for an {@link EntityKey} (default 'srcIp'); throws an OptionError for an unknown key.
 *
 * @example
 * entityGetter("user")({ lineNo: 1, time: 0, eventType: "x", message: "", user: "root" }); // "root"
 */
export function entityGetter(by: EntityKey | undefined): (e: LogEvent) => string | undefined {
  const b = by ?? "srcIp";
  if (typeof b === "function") return b;
  switch (b) {
    case "srcIp":
    case "ip":
      return (e) => e.srcIp;
    case "user":
      return (e) => e.user;
    case "host":
      return (e) => e.host;
    case "process":
      return (e) => e.process;
    default:
      throw new OptionError(`Expected \`by\` to be 'srcIp' (or 'ip'), 'user', 'host', 'process' or a function, got ${JSON.stringify(b)}`);
  }
}
