import type { Writable } from "node:stream";
import { escapeControls } from "./terminal-text";

/**
 * Runs `fn` with siemlab's own process warnings (`process.emitWarning(text, "SiemlabWarning")`, e.g. LOF's
 * repeated-values warning) printed as `siemlab: warning: …` lines on `io.stderr` instead of Node's
 * `(node:PID) SiemlabWarning: …` block; other warnings go to the listeners that were there before.
 *
 * @example
 * const lines: string[] = [];
 * const stderr = new (require("node:stream").Writable)({ write(c, _e, done) { lines.push(String(c)); done(); } });
 * await withSiemlabWarnings({ stderr }, async () => process.emitWarning("k-distance 0", "SiemlabWarning"));
 * lines // ["siemlab: warning: k-distance 0\n"]
 */
export async function withSiemlabWarnings<T>(io: { readonly stderr: Writable }, fn: () => Promise<T>): Promise<T> {
  const before = process.listeners("warning");
  const onWarning = (w: Error) => {
    if (w.name === "SiemlabWarning") io.stderr.write(escapeControls(`siemlab: warning: ${w.message}`) + "\n");
    else for (const l of before) l.call(process, w);
  };
  process.removeAllListeners("warning");
  process.on("warning", onWarning);
  try {
    return await fn();
  } finally {
    // Warnings are emitted on the next tick: let them arrive before the listeners are put back.
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    for (const l of before) process.on("warning", l as (w: Error) => void);
  }
}
