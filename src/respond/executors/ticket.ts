import * as fs from "node:fs";
import * as path from "node:path";
import type { PlannedAction } from "../plan";
import { alertText } from "./alert";
import { safely } from "./executor";
import type { Executor } from "./executor";
import { requireOutputPath } from "./file-output";

/** A ticket for the analyst's own tracker. */
export interface Ticket {
  readonly id: string;
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
 * The ticket object for an action (deterministic: built from the evidence only).
 *
 * @example
 * ticketFor(action).title // "[high] Anomalous activity from ip 203.0.113.7"
 */
export function ticketFor(action: PlannedAction): Ticket {
  const ev = action.evidence;
  return {
    id: action.id,
    title: `[${action.tier}] Anomalous activity from ${ev.entityType} ${ev.entity}`,
    severity: action.tier,
    status: "open",
    entity: ev.entity,
    entityType: ev.entityType,
    description: `${alertText(action)}\n${action.reason}`,
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
 * Ticket executor writing one JSON file per ticket into a folder (`<dir>/<id>.json`).
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
        const file = path.join(dir, `${safeFileName(a.id)}.json`);
        fs.writeFileSync(file, render(a) + "\n");
        return { ok: true, detail: `wrote ${file}` };
      });
    },
  };
}
