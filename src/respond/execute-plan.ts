import { DataError, OptionError } from "../errors";
import { AuditLog } from "./audit";
import type { AuditRow, AuditStatus } from "./audit";
import { Deduplicator } from "./dedup";
import { alertText } from "./executors/alert";
import { blockIpCommand } from "./executors/block-ip";
import type { Executor } from "./executors/executor";
import { lockUserCommand } from "./executors/lock-user";
import { ticketFor } from "./executors/ticket";
import { planResponse, PLAN_OPTIONS_KEYS } from "./plan";
import { validatePolicy } from "./policy";
import type { PlanOptions, PlannedAction } from "./plan";
import type { ActionKind, ResponsePolicy } from "./policy";
import type { Finding } from "./finding";
import { checkOptions, type OptionKeys, pickOptions } from "../options";

/** Every option name of {@link ExecuteOptions} (unknown names fail with a suggestion). */
const EXECUTE_OPTIONS_KEYS: OptionKeys<ExecuteOptions> = { dryRun: true, executors: true, audit: true, dedup: true, dedupWindowSeconds: true, now: true };

/** Every option name of {@link RespondOptions} (unknown names fail with a suggestion). */
const RESPOND_OPTIONS_KEYS: OptionKeys<RespondOptions> = { dryRun: true, executors: true, audit: true, dedup: true, dedupWindowSeconds: true, now: true, maxEvents: true, uids: true };

export interface ExecuteOptions {
  /**
   * Only render what would be done. Real execution needs `dryRun: false` (the boolean, nothing else) AND an
   * executor for the action kind. `""`, `0`, `"false"`, `null` or any other non-boolean is an OptionError,
   * never "execute" (fail closed). Default: true.
   */
  readonly dryRun?: boolean;
  /** Explicitly configured executors; several may serve one kind (e.g. console and webhook alerts). Default: none. */
  readonly executors?: readonly Executor[];
  /** Where decisions are recorded. Default: a new in-memory AuditLog. */
  readonly audit?: AuditLog;
  /** Suppression memory; share one across calls to dedup between batches. Default: a new one with `dedupWindowSeconds`. */
  readonly dedup?: Deduplicator;
  /** Suppression window when no `dedup` is given. Default: 3600. */
  readonly dedupWindowSeconds?: number;
  /** Wall clock for audit timestamps (epoch ms). Default: Date.now. */
  readonly now?: () => number;
}

/** Result of executing a plan: the audit rows of this run and the log they were appended to. */
export interface ExecutionReport {
  readonly rows: AuditRow[];
  readonly audit: AuditLog;
}

/**
 * Check a `dryRun` setting: `undefined` gives the default (true), a boolean is itself, and everything else
 * (`""`, `0`, `"false"`, `null`, `"no"`, …) throws an OptionError that says how to fix it, so a slip in a
 * config file fails closed instead of executing. `where` names the setting in the message.
 *
 * @example
 * checkDryRun(undefined)   // true
 * checkDryRun(false)       // false
 * checkDryRun("false")     // throws OptionError: Expected `dryRun` to be true or false (a boolean), got "false" …
 */
export function checkDryRun(value: unknown, where = "dryRun"): boolean {
  if (value === undefined) return true;
  if (typeof value === "boolean") return value;
  const shown = typeof value === "string" ? JSON.stringify(value) : value === null ? "null" : `${typeof value} ${String(value)}`;
  throw new OptionError(
    `Expected \`${where}\` to be true or false (a boolean), got ${shown}; ` +
      "nothing was executed. Pass dryRun: false (unquoted) to execute, or leave it out for a dry run",
  );
}

/**
 * What an action would do, rendered without any executor (the dry-run preview): the log/alert line,
 * the nftables command, the usermod command, or the ticket JSON. Throws a DataError on invalid targets.
 *
 * @example
 * previewAction(action).split(";")[0] // "ALERT [medium] 198.51.100.23 (ip): anomaly 93.3/100, decision -0.1417 by iforest"
 */
export function previewAction(action: PlannedAction): string {
  const kind: ActionKind = action.kind;
  switch (kind) {
    case "log":
      return `WARN ${alertText(action)}`;
    case "alert":
      return `ALERT ${alertText(action)}`;
    case "block_ip":
      // The plan already applied the policy's allowCidrBlocks; the range syntax is still parsed strictly.
      return blockIpCommand(action.target, { allowCidr: action.target.includes("/") });
    case "lock_user":
      return lockUserCommand(action.target);
    case "open_ticket":
      return JSON.stringify(ticketFor(action));
  }
}

/**
 * Carry out a response plan. Dry run by default: every action is rendered (command text, payload) and
 * recorded as "dry_run", nothing else happens. With `dryRun: false`, actions whose kind has a configured
 * executor are executed (file append or HTTP request — never a system command); kinds without one stay
 * dry runs. Repeats of the same action and target within the dedup window are "deduplicated"; skipped
 * and invalid actions from the plan are recorded as such. Every decision goes to the audit log.
 * Never throws for an executor failure: it is recorded as "failed".
 *
 * @example
 * const { rows } = await executePlan(plan);                       // dry run
 * await executePlan(plan, { dryRun: false, executors: [webhookAlert({ url })] });
 */
export async function executePlan(plan: readonly PlannedAction[], options: ExecuteOptions = {}): Promise<ExecutionReport> {
  checkOptions(options, EXECUTE_OPTIONS_KEYS, "executePlan");
  const dryRun = checkDryRun((options as { dryRun?: unknown }).dryRun);
  const executors = options.executors ?? [];
  const audit = options.audit ?? new AuditLog();
  const dedup = options.dedup ?? new Deduplicator({ windowSeconds: options.dedupWindowSeconds });
  const now = options.now ?? Date.now;
  const rows: AuditRow[] = [];
  const record = (a: PlannedAction, status: AuditStatus, executor: string, detailText: string, error = "") => {
    // The audit says what was acted on: the canonical target, and what the log gave when they differ.
    const detail = a.normalisedFrom !== undefined && detailText !== "" ? `${detailText} [target ${a.target} normalised from ${JSON.stringify(a.normalisedFrom)}]` : detailText;
    const row: AuditRow = {
      ts: new Date(now()).toISOString(),
      actionId: a.id,
      action: a.kind,
      target: a.target,
      targetType: a.targetType,
      tier: a.tier,
      status,
      dryRun,
      executor,
      detail,
      error,
      entity: a.evidence.entity,
      windowStart: new Date(a.evidence.windowStart).toISOString(),
      anomalyScore: a.evidence.anomalyScore,
      decision: a.evidence.decision,
      detector: a.evidence.detector,
      reason: a.reason,
    };
    audit.append(row);
    rows.push(row);
  };
  for (const a of plan) {
    if (a.status !== "planned") {
      record(a, a.status, "none", "", a.statusReason ?? "");
      continue;
    }
    const time = a.evidence.windowStart;
    const prev = dedup.lastWithin(a.kind, a.target, time);
    if (prev !== undefined) {
      record(a, "deduplicated", "none", "", `${a.kind} ${a.target} already decided for the window at ${new Date(prev).toISOString()} (within ${dedup.windowMs / 1000} s)`);
      continue;
    }
    const mine = executors.filter((e) => e.kind === a.kind);
    const live = !dryRun && mine.length > 0;
    const targets = mine.length ? mine : [undefined];
    let any = false;
    for (const ex of targets) {
      let text: string;
      try {
        text = ex ? ex.render(a) : previewAction(a);
      } catch (e) {
        if (e instanceof DataError) record(a, "rejected_invalid", ex?.name ?? "none", "", e.message);
        else record(a, "failed", ex?.name ?? "none", "", (e as Error).message);
        continue;
      }
      if (!live || !ex) {
        const note = !dryRun && !ex ? `(no ${a.kind} executor configured: not executed) ` : "";
        record(a, "dry_run", ex?.name ?? "preview", note + text);
        any = true;
        continue;
      }
      const out = await ex.execute(a);
      if (out.ok) {
        record(a, "executed", ex.name, out.detail);
        any = true;
      } else {
        record(a, "failed", ex.name, out.detail, `${out.error ?? "failed"}${out.attempts ? ` (${out.attempts} attempt(s))` : ""}`);
      }
    }
    if (any) dedup.record(a.kind, a.target, time);
  }
  return { rows, audit };
}

/** Options of {@link respond}: planning plus execution. */
export interface RespondOptions extends ExecuteOptions, PlanOptions {}

/**
 * Plan the response to findings under a policy, then execute the plan (dry run by default), using the
 * policy's dedup window. `options.dryRun` wins; without it the policy's `dryRun` applies (default true).
 *
 * @example
 * const { plan, rows } = await respond(findings, loadPolicy("data/policy/default.json"));
 */
export async function respond(
  findings: readonly Finding[],
  policy: ResponsePolicy,
  options: RespondOptions = {},
): Promise<ExecutionReport & { readonly plan: PlannedAction[] }> {
  checkOptions(options, RESPOND_OPTIONS_KEYS, "respond");
  // Both settings are checked before anything is planned; the call's own dryRun wins over the policy's.
  const fromOptions = (options as { dryRun?: unknown }).dryRun;
  const dryRun = fromOptions === undefined ? checkDryRun(validatePolicy(policy).dryRun, "policy.dryRun") : checkDryRun(fromOptions);
  const plan = planResponse(findings, policy, pickOptions(options, PLAN_OPTIONS_KEYS));
  const report = await executePlan(plan, { ...pickOptions(options, EXECUTE_OPTIONS_KEYS), dryRun, dedupWindowSeconds: options.dedupWindowSeconds ?? policy.dedupWindowSeconds });
  return { ...report, plan };
}
