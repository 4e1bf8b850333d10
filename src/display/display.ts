/**
 * Sending rich output to the notebook through the tslab kernel.
 */

/** One Jupyter display_data message body: a multi-MIME bundle. */
export interface DisplayBundle {
  readonly data: { readonly [mime: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
  readonly transient: { readonly [key: string]: unknown };
}

type DisplayWriter = (bundle: DisplayBundle, update: boolean) => void;

/**
 * tslab's current display writer, or null outside a kernel. tslab sets
 * `require("tslab/dist/jupyter").lastWriteDisplayData` for each executed cell; tests set it to a capturing
 * function to record what a notebook would receive.
 *
 * @example
 * if (displayWriter() === null) console.log("not in a notebook");
 */
export function displayWriter(): DisplayWriter | null {
  let jupyter: { lastWriteDisplayData?: DisplayWriter | null };
  try {
    jupyter = require("tslab/dist/jupyter");
  } catch {
    return null;
  }
  return typeof jupyter.lastWriteDisplayData === "function" ? jupyter.lastWriteDisplayData : null;
}

/**
 * Send one bundle to the notebook; returns false (sending nothing) outside a kernel.
 *
 * @example
 * sendDisplay({ data: { "text/plain": "hello" }, metadata: {}, transient: {} });
 */
export function sendDisplay(bundle: DisplayBundle): boolean {
  const write = displayWriter();
  if (write === null) return false;
  write(bundle, false);
  return true;
}
