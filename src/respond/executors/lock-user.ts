import { OptionError } from "../../errors";
import type { PlannedAction } from "../plan";
import { shellQuote, validateUsername } from "../username";
import type { Executor } from "./executor";
import { appendLineExecutor, requireOutputPath } from "./file-output";

/** Account-locking command dialect. */
export type LockTool = "usermod" | "passwd" | "faillock";

/**
 * The command TEXT that locks an account (never run by siemlab). The username is checked against a
 * strict pattern and shell-quoted.
 *
 * @example
 * lockUserCommand("alice")                      // "usermod -L 'alice'"
 * lockUserCommand("alice", { tool: "passwd" })  // "passwd -l 'alice'"
 * lockUserCommand("alice; reboot")              // throws DataError
 */
export function lockUserCommand(user: string, options: { readonly tool?: LockTool } = {}): string {
  const q = shellQuote(validateUsername(user));
  const tool = options.tool ?? "usermod";
  if (tool === "usermod") return `usermod -L ${q}`;
  if (tool === "passwd") return `passwd -l ${q}`;
  if (tool === "faillock") return `faillock --user ${q}`;
  throw new OptionError(`Expected \`tool\` to be "usermod", "passwd" or "faillock", got ${JSON.stringify(tool)}`);
}

/**
 * Lock-user executor that appends the lock command for each user to a file for the analyst's tooling.
 *
 * @example
 * lockUserCommandFile({ path: "out/lock-users.sh" })
 */
export function lockUserCommandFile(options: { readonly path: string; readonly tool?: LockTool; readonly name?: string }): Executor {
  const file = requireOutputPath(options?.path, "path", "the file lock commands are appended to", '{ path: "out/lock-users.sh" }');
  lockUserCommand("probe", options); // validates the options now, not at execution time
  return appendLineExecutor({
    name: options.name ?? `${options.tool ?? "usermod"}-file`,
    kind: "lock_user",
    path: file,
    render: (a: PlannedAction) => lockUserCommand(a.target, options),
  });
}
