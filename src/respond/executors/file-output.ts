/**
 * What the file-writing executors share (internal to src/respond/executors; not re-exported): the check
 * that the analyst named where output goes, and the executor that appends one rendered line per action to
 * a file, creating the file and its folder on first use. siemlab writes the text; it never runs it.
 *
 * @example
 * requireOutputPath(options.path, "path", "the blocklist file", '{ path: "out/blocklist.txt" }');
 * appendLineExecutor({ name: "blocklist-file", kind: "block_ip", path: "out/blocklist.txt", render: (a) => a.target });
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OptionError } from "../../errors";
import type { PlannedAction } from "../plan";
import type { ActionKind } from "../policy";
import { safely } from "./executor";
import type { Executor } from "./executor";

/**
 * Throws an OptionError unless `value` is a non-empty string: ``Expected `key` to name <what>, e.g. <example>``.
 *
 * @example
 * requireOutputPath(undefined, "dir", "the folder tickets are written to", '{ dir: "out/tickets" }'); // throws
 */
export function requireOutputPath(value: unknown, key: string, what: string, example: string): string {
  if (typeof value !== "string" || value === "") throw new OptionError(`Expected \`${key}\` to name ${what}, e.g. ${example}`);
  return value;
}

/** What {@link appendLineExecutor} builds an executor from. */
export interface AppendLineSpec {
  /** Executor name in the audit log. Required. */
  readonly name: string;
  readonly kind: ActionKind;
  /** File the lines are appended to. Required. */
  readonly path: string;
  /** The line for one action (without the newline); throws for an invalid target. */
  readonly render: (action: PlannedAction) => string;
  /** The outcome's `detail` for an appended line. Default: "appended `<line>` to <path>". */
  readonly detail?: (line: string) => string;
}

/**
 * An executor whose `execute` appends `render(action)` and a newline to `path` (folder created if
 * needed); failures come back as a failed outcome, never thrown.
 *
 * @example
 * appendLineExecutor({ name: "usermod-file", kind: "lock_user", path: "out/lock.sh", render: (a) => lockUserCommand(a.target) });
 */
export function appendLineExecutor(spec: AppendLineSpec): Executor {
  const { path: file, render } = spec;
  const detail = spec.detail ?? ((line: string) => `appended \`${line}\` to ${file}`);
  return {
    name: spec.name,
    kind: spec.kind,
    render,
    execute(a) {
      return safely(() => {
        const line = render(a);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.appendFileSync(file, line + "\n");
        return { ok: true, detail: detail(line) };
      });
    },
  };
}
