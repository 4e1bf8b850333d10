/**
 * Load a module on first use, not at start-up: `require` under CommonJS (dist/, tsx), `import()` where
 * `require` cannot resolve TypeScript sources (vitest) or does not exist. Both closures name the same module,
 * as a literal relative to the caller.
 *
 * @example
 * const path = await lazyModule(() => require("node:path") as typeof import("node:path"), () => import("node:path"));
 * path.basename("/var/log/auth.log") // "auth.log"
 */
export async function lazyModule<T>(load: () => T, fallback: () => Promise<T>): Promise<T> {
  try {
    if (typeof require === "function") return load();
  } catch {
    // fall through to import()
  }
  return await fallback();
}
