import type { ActionKind } from "../policy";
import type { PlannedAction } from "../plan";

/** What an executor reports after trying an action. Executors never throw; failures come back here. */
export interface ExecutorOutcome {
  readonly ok: boolean;
  /** What was done: the command text, the file written, the HTTP status, … */
  readonly detail: string;
  /** Why it failed, when `ok` is false. */
  readonly error?: string;
  /** HTTP attempts made (webhooks). */
  readonly attempts?: number;
}

/**
 * One way of carrying out one kind of action. `render` is pure and is what a dry run shows;
 * `execute` performs it (appends to a file or sends an HTTP request to a configured endpoint — never a
 * system command) and never throws.
 */
export interface Executor {
  /** Executor name recorded in the audit log, e.g. "webhook", "nftables-file". */
  readonly name: string;
  readonly kind: ActionKind;
  /** The text this executor would produce or send. Throws a DataError when the target is invalid. */
  render(action: PlannedAction): string;
  /** Carry the action out. Resolves to a failed outcome instead of throwing. */
  execute(action: PlannedAction): Promise<ExecutorOutcome>;
}

/**
 * Run `fn`, turning a thrown error into a failed outcome.
 *
 * @example
 * await safely(() => { throw new Error("disk full"); }) // { ok: false, detail: "", error: "disk full" }
 */
export async function safely(fn: () => Promise<ExecutorOutcome> | ExecutorOutcome): Promise<ExecutorOutcome> {
  try {
    return await fn();
  } catch (e) {
    return { ok: false, detail: "", error: e instanceof Error ? e.message : String(e) };
  }
}
