import type * as Dfd from "danfojs-node";

let cached: typeof Dfd | undefined;

/**
 * Danfo, loaded on first use: it takes seconds to load (it pulls in TensorFlow.js), and only display
 * helpers need it, so the CLI and the parsers start fast.
 *
 * @example
 * const df = new (lazyDanfo().DataFrame)({ a: [1, 2] });
 */
export function lazyDanfo(): typeof Dfd {
  if (cached === undefined) cached = require("danfojs-node") as typeof Dfd;
  return cached;
}
