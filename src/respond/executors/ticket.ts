import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlannedAction } from "../plan";
import { alertText } from "./alert";
import { safely } from "./executor";
import type { Executor } from "./executor";
import { requireOutputPath } from "./file-output";
import { escapeControls, quotedName } from "../../terminal-text";

/** A ticket for the analyst's own tracker. */
export interface Ticket {
  /** Ticket id: unique within the ticket folder once written (see {@link ticketFile}); its file is `<id>.json`. */
  readonly id: string;
  /** The planned action's id (`tier:kind:target:windowStart`), shared by every ticket of that action. */
  readonly actionId: string;
  readonly title: string;
  /** The policy tier, e.g. "high". */
  readonly severity: string;
  readonly status: "open";
  readonly entity: string;
  readonly entityType: string;
  readonly description: string;
  readonly evidence: PlannedAction["evidence"];
}

/**
 * The base ticket id of an action: its id made file-safe and cut to 100 characters, then `-` and the first
 * 12 hex digits of the SHA-256 of the full action id, so two actions whose ids differ only in characters the
 * file-name mapping folds together (`:` and `_`, or past the cut) never share a base id.
 *
 * @example
 * ticketBaseId(action) // "medium_alert_198.51.100.23_1741257600000-70d624e608de"
 */
export function ticketBaseId(action: Pick<PlannedAction, "id">): string {
  const hash = createHash("sha256").update(action.id).digest("hex").slice(0, 12);
  return `${safeFileName(action.id).slice(0, 100)}-${hash}`;
}

/**
 * The ticket object for an action (deterministic: built from the evidence only). `id` defaults to
 * {@link ticketBaseId}; {@link ticketFile} passes the unique id it claimed on disk. `title` and
 * `description` are display-safe (entity quoted unless it is an IP address; control, bidi and line-break
 * characters from logs shown as escapes); `entity` and `evidence` keep the exact values.
 *
 * @example
 * ticketFor(action).title // "[medium] Anomalous activity from ip 198.51.100.23"
 */
export function ticketFor(action: PlannedAction, options: { readonly id?: string } = {}): Ticket {
  const ev = action.evidence;
  return {
    id: options.id ?? ticketBaseId(action),
    actionId: action.id,
    title: escapeControls(`[${action.tier}] Anomalous activity from ${ev.entityType} ${quotedName(ev.entity)}`),
    severity: action.tier,
    status: "open",
    entity: ev.entity,
    entityType: ev.entityType,
    description: `${alertText(action)}\n${escapeControls(action.reason)}`,
    evidence: ev,
  };
}

/**
 * A file name made only of safe characters.
 *
 * @example
 * safeFileName("../etc/passwd") // "__etc_passwd"
 */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^\.+/, "_").slice(0, 150);
}

/**
 * Ticket executor writing one JSON file per ticket into a folder (`<dir>/<id>.json`). Every execution
 * gets its own ticket: the file is created exclusively (never overwritten), and when `<base id>.json`
 * already exists (the same action again, an earlier run, another process) the id gets the next free
 * suffix `-2`, `-3`, …. The outcome's detail names the ticket id and the file.
 *
 * @example
 * ticketFile({ dir: "out/tickets" })
 */
export function ticketFile(options: { readonly dir: string; readonly name?: string }): Executor {
  const dir = requireOutputPath(options?.dir, "dir", "the folder tickets are written to", '{ dir: "out/tickets" }');
  const render = (a: PlannedAction) => JSON.stringify(ticketFor(a), null, 2);
  return {
    name: options.name ?? "ticket-file",
    kind: "open_ticket",
    render,
    execute(a) {
      return safely(() => {
        fs.mkdirSync(dir, { recursive: true });
        const base = ticketBaseId(a);
        for (let n = 1; n <= 100_000; n++) {
          const id = n === 1 ? base : `${base}-${n}`;
          const file = path.join(dir, `${id}.json`);
          try {
            // "wx": create, fail if it exists; the check and the creation are one system call (no race).
            fs.writeFileSync(file, JSON.stringify(ticketFor(a, { id }), null, 2) + "\n", { flag: "wx" });
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
            throw e;
          }
          return { ok: true, detail: `wrote ticket ${id} to ${file}` };
        }
        return { ok: false, detail: "", error: `no free ticket id for ${base} in ${dir} (100000 taken)` };
      });
    },
  };
}
