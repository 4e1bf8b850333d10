import { OptionError } from "../errors";
import type { AuditRow } from "./audit";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link DeduplicatorOptions} (unknown names fail with a suggestion). */
const DEDUPLICATOR_OPTIONS_KEYS: OptionKeys<DeduplicatorOptions> = { windowSeconds: true };

export interface DeduplicatorOptions {
  /** The same entity and action are not repeated within this many seconds. Default: 3600. */
  readonly windowSeconds?: number;
}

/**
 * Remembers when each (action, target) last ran and says whether a new one falls inside the
 * suppression window. Times are whatever clock the caller uses (the plan executor uses the finding's
 * window start, i.e. event time, so replays of old logs dedup the same way as live runs).
 *
 * @example
 * const d = new Deduplicator({ windowSeconds: 600 });
 * d.record("block_ip", "203.0.113.7", 0);
 * d.lastWithin("block_ip", "203.0.113.7", 60_000) // 0 (suppressed)
 */
export class Deduplicator {
  readonly windowMs: number;
  private readonly last = new Map<string, number>();

  constructor(options: DeduplicatorOptions = {}) {
    checkOptions(options, DEDUPLICATOR_OPTIONS_KEYS, "Deduplicator");
    const w = options.windowSeconds ?? 3600;
    if (!(typeof w === "number" && Number.isFinite(w) && w >= 0)) {
      throw new OptionError(`Expected \`windowSeconds\` to be a number of seconds ≥ 0, got ${w}`);
    }
    this.windowMs = w * 1000;
  }

  /** Rebuild the memory from audit rows (executed and dry-run decisions), e.g. from a previous session. */
  static fromAudit(rows: readonly AuditRow[], options: DeduplicatorOptions = {}): Deduplicator {
    const d = new Deduplicator(options);
    for (const r of rows) {
      if (r.status === "executed" || r.status === "dry_run") d.record(r.action, r.target, Date.parse(r.windowStart));
    }
    return d;
  }

  /** Time of the previous run of (action, target) when `time` is within the window of it; else undefined. */
  lastWithin(action: string, target: string, time: number): number | undefined {
    const prev = this.last.get(`${action}\u0000${target}`);
    return prev !== undefined && Math.abs(time - prev) < this.windowMs ? prev : undefined;
  }

  /** Remember that (action, target) ran at `time`. */
  record(action: string, target: string, time: number): void {
    const key = `${action}\u0000${target}`;
    const prev = this.last.get(key);
    if (prev === undefined || time > prev) this.last.set(key, time);
  }
}
