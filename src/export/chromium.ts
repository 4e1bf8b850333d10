/**
 * Headless Chromium for static chart export and browser tests: the system's Chromium (Debian's `chromium`)
 * driven by playwright-core. Nothing here ever downloads a browser.
 */
import type { Browser } from "playwright-core";
import { SiemlabError } from "../errors";
import { existsSync } from "fs";

/** Flags that keep Chromium quiet and offline (no updates, no sync, no background traffic). */
export const chromiumArgs: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Path of the Chromium executable: env `SIEMLAB_CHROMIUM`, else `/usr/bin/chromium`.
 *
 * @example
 * chromiumPath(); // "/usr/bin/chromium"
 */
export function chromiumPath(): string {
  return process.env.SIEMLAB_CHROMIUM ?? "/usr/bin/chromium";
}

/**
 * Launch headless Chromium with a fresh profile (playwright creates a temporary user-data-dir and removes it on
 * close). playwright-core is loaded here, lazily, so importing siemlab never needs it.
 * Throws a {@link SiemlabError} that says how to install Chromium when it is missing.
 *
 * @example
 * const browser = await launchChromium();
 * try { const page = await browser.newPage(); } finally { await browser.close(); }
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new SiemlabError(
      `Chromium not found at ${executablePath}: install it (Debian/Ubuntu: \`sudo apt-get install chromium\`) ` +
        `or set SIEMLAB_CHROMIUM to a Chromium/Chrome executable`,
    );
  }
  let playwright: typeof import("playwright-core");
  try {
    playwright = require("playwright-core");
  } catch (e) {
    throw new SiemlabError(`Chart export needs the npm package playwright-core: \`npm install playwright-core\` (${String(e)})`);
  }
  return playwright.chromium.launch({ executablePath, headless: true, args: [...chromiumArgs] });
}
