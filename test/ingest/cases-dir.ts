import * as fs from "node:fs";
import * as path from "node:path";

/** `../shared/cases` (failing inputs with their right answers); env SIEMLAB_SHARED_CASES overrides. */
export const casesDir = process.env.SIEMLAB_SHARED_CASES ?? path.resolve("../shared/cases");

/**
 * Whether a shared case folder is there. Absent: a visible warning and the caller skips, except under
 * CI=true, where ../shared is always present and a missing case is an error.
 */
export function casePresent(name: string): boolean {
  const ok = fs.existsSync(path.join(casesDir, name));
  if (!ok) {
    if (process.env.CI === "true") throw new Error(`shared case ${name} not found under ${casesDir}`);
    console.warn(`[siemlab tests] shared case ${name} not found under ${casesDir}: its tests are skipped.`);
  }
  return ok;
}

/** Path of a file of a shared case. */
export function caseFile(name: string, file: string): string {
  return path.join(casesDir, name, file);
}

/** Text of a file of a shared case. */
export function readCase(name: string, file: string): string {
  return fs.readFileSync(caseFile(name, file), "utf8");
}
