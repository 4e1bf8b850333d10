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
}

/** A line that could not be parsed, kept with its line number and the reason. */
export interface Reject {
  readonly lineNo: number;
  readonly raw: string;
  readonly reason: string;
}
