/**
 * The typed event record every parser produces and every feature extractor consumes.
 * Fields a format does not carry are left `undefined`. `fields` holds format-specific extras
 * (HTTP status, bytes, user agent, JSON attributes, …).
 */
export interface LogEvent {
  /** 1-based line number in the input. */
  readonly lineNo: number;
  /** Event time in epoch milliseconds (UTC); NaN when the line carries no time. */
  readonly time: number;
  readonly host?: string;
  readonly process?: string;
  readonly pid?: number;
  /** Level / severity as written in the log (e.g. "INFO", "err"). */
  readonly level?: string;
  /** Normalised event type, e.g. "failed_password", "accepted_publickey", "login_success", "http_request". */
  readonly eventType: string;
  readonly user?: string;
  readonly srcIp?: string;
  readonly srcPort?: number;
  /** "success" | "failure" | undefined where the event has no outcome. */
  readonly outcome?: "success" | "failure";
  readonly message: string;
  readonly fields?: Readonly<Record<string, string | number | boolean | null>>;
  /**
   * Set on the events a folded syslog line stands for (rsyslog's `message repeated N times: [ … ]`, sysklogd's
   * `last message repeated N times`): N, the number of events that one line stood for. The line yields N events,
   * each carrying `folded: N`, the fold line's `lineNo` and time; undefined on ordinary events.
   */
  readonly folded?: number;
  /**
   * Line number of the event this one is a companion of: another record of the same attempt, such as the PAM
   * `authentication failure` or `Invalid user` line that sshd logs before its `Failed password` line (same host
   * and pid, seconds apart). A companion keeps its outcome but is not a separate attempt: counters of attempts
   * skip it ({@link isFailedAttempt}). Undefined on events that stand for an attempt of their own.
   */
  readonly companionOf?: number;
  /**
   * Event type of the record named by `companionOf` (the attempt's sshd record, e.g. 'failed_password'), set
   * with it. Counts of several event types skip a companion when this type is counted too, so one attempt is
   * counted once ({@link companionCounted}). Only meaningful while `companionOf` is set.
   */
  readonly companionType?: string;
}

/**
 * Whether a count that takes the event types `counts` accepts should count this event as well: false for a
 * companion record ({@link LogEvent.companionOf}) whose attempt's own record ({@link LogEvent.companionType})
 * is counted too, true otherwise. `counts` answers for an event type (every type: `() => true`).
 *
 * @example
 * const pam = { lineNo: 1, time: 0, eventType: "auth_failure", message: "", companionOf: 2, companionType: "failed_password" };
 * companionCounted(pam, (t) => t === "failed_password" || t === "auth_failure") // false: its attempt is counted
 * companionCounted(pam, (t) => t === "auth_failure") // true: the only counted record of its attempt
 */
export function companionCounted(e: LogEvent, counts: (eventType: string) => boolean): boolean {
  return e.companionOf === undefined || e.companionType === undefined || !counts(e.companionType);
}

/**
 * Whether an event counts as one failed attempt: outcome "failure" and not the companion of another event of
 * the same attempt (see {@link LogEvent.companionOf}). Counters of failed logins use it so one attempt logged
 * by both sshd and PAM is counted once.
 *
 * @example
 * isFailedAttempt({ lineNo: 1, time: 0, eventType: "failed_password", outcome: "failure", message: "" }) // true
 * isFailedAttempt({ lineNo: 1, time: 0, eventType: "auth_failure", outcome: "failure", message: "", companionOf: 2 }) // false
 */
export function isFailedAttempt(e: LogEvent): boolean {
  return e.outcome === "failure" && e.companionOf === undefined;
}

/** A line that could not be parsed, kept with its line number and the reason. */
export interface Reject {
  readonly lineNo: number;
  readonly raw: string;
  readonly reason: string;
}
