import * as fs from "node:fs";
import * as path from "node:path";
import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import type { Reject } from "../events";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link AuditLogOptions} (unknown names fail with a suggestion). */
const AUDIT_LOG_OPTIONS_KEYS: OptionKeys<AuditLogOptions> = { path: true };

/** What happened to one planned action. */
export type AuditStatus =
  | "executed"
  | "dry_run"
  | "deduplicated"
  | "skipped_allowlist"
  | "rejected_invalid"
  | "skipped_no_target"
  | "failed";

/**
 * One decision, as appended to the audit log (every field present, so rows make a clean DataFrame).
 * A type alias rather than an interface, so rows pass wherever plain records are expected (tables).
 */
export type AuditRow = {
  /** Wall-clock time of the decision, ISO-8601 UTC. */
  readonly ts: string;
  readonly actionId: string;
  readonly action: string;
  readonly target: string;
  readonly targetType: string;
  readonly tier: string;
  readonly status: AuditStatus;
  readonly dryRun: boolean;
  /** Executor name, or "none" when the action did not reach one. */
  readonly executor: string;
  /** The command text / payload / file written / HTTP status (dry runs show what would be done). */
  readonly detail: string;
  /** Why it failed or was skipped; "" otherwise. */
  readonly error: string;
  readonly entity: string;
  /** Finding window start, ISO-8601 UTC. */
  readonly windowStart: string;
  readonly anomalyScore: number;
  readonly decision: number;
  readonly detector: string;
  readonly reason: string;
};

export const AUDIT_COLUMNS: readonly (keyof AuditRow)[] = [
  "ts", "actionId", "action", "target", "targetType", "tier", "status", "dryRun", "executor", "detail", "error",
  "entity", "windowStart", "anomalyScore", "decision", "detector", "reason",
];

export interface AuditLogOptions {
  /** JSON-lines file every decision is appended to (folder created if needed). Default: memory only. */
  readonly path?: string;
}

/**
 * Append-only record of every response decision (executed, dry run, deduplicated, skipped, failed),
 * kept in memory and, with `path`, appended to a JSON-lines file as it happens.
 *
 * @example
 * const audit = new AuditLog({ path: "out/audit.jsonl" });
 * await executePlan(plan, { audit });
 * audit.rows.length
 */
export class AuditLog {
  readonly path?: string;
  private readonly _rows: AuditRow[] = [];

  constructor(options: AuditLogOptions = {}) {
    checkOptions(options, AUDIT_LOG_OPTIONS_KEYS, "AuditLog");
    this.path = options.path;
    if (this.path) fs.mkdirSync(path.dirname(this.path), { recursive: true });
  }

  /** Record one decision (synchronously appended to the file, if any). */
  append(row: AuditRow): void {
    this._rows.push(row);
    if (this.path) fs.appendFileSync(this.path, JSON.stringify(row) + "\n");
  }

  /** Rows recorded through this instance. */
  get rows(): readonly AuditRow[] {
    return this._rows;
  }

  /** The rows as a Danfo DataFrame. */
  toDataFrame(): dfd.DataFrame {
    return auditFrame(this._rows);
  }
}

/**
 * Audit rows as a Danfo DataFrame with the audit columns in order (also when empty).
 *
 * @example
 * auditFrame(audit.rows).print()
 */
export function auditFrame(rows: readonly AuditRow[]): dfd.DataFrame {
  const columns = AUDIT_COLUMNS as string[];
  if (rows.length === 0) return new (lazyDanfo().DataFrame)([], { columns });
  return new (lazyDanfo().DataFrame)(rows.map((r) => columns.map((c) => (r as unknown as Record<string, unknown>)[c])), { columns });
}

/** A loaded audit log: its rows, lines that were not audit rows, and a DataFrame. */
export interface LoadedAuditLog {
  readonly rows: AuditRow[];
  readonly rejects: Reject[];
  readonly frame: dfd.DataFrame;
}

/**
 * Read an audit log written by {@link AuditLog}. Lines that are not JSON audit rows (e.g. a line cut
 * short by a crash) are returned as rejects with their line number instead of failing the load. Rows from
 * older logs that call the decision value `score` are read with it as `decision`.
 *
 * @example
 * const { rows, frame } = loadAuditLog("out/audit.jsonl");
 */
export function loadAuditLog(file: string): LoadedAuditLog {
  const rows: AuditRow[] = [];
  const rejects: Reject[] = [];
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      const row = JSON.parse(raw);
      if (typeof row !== "object" || row === null || typeof row.status !== "string" || typeof row.actionId !== "string") {
        rejects.push({ lineNo: i + 1, raw, reason: "not an audit row (needs actionId and status)" });
      } else {
        // Logs written before the decision value was renamed (`score` → `decision`) still load.
        if (row.decision === undefined && typeof row.score === "number") {
          row.decision = row.score;
          delete row.score;
        }
        rows.push(row as AuditRow);
      }
    } catch (e) {
      rejects.push({ lineNo: i + 1, raw, reason: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return { rows, rejects, frame: auditFrame(rows) };
}
