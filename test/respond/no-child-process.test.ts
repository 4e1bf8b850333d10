import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : /\.(ts|js|mjs|cjs)$/.test(d.name) ? [p] : [];
  });
}

describe("src/respond never runs a system command", () => {
  const files = sources(path.resolve(__dirname, "../../src/respond"));

  it("has sources to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it("imports no process-spawning module and calls no spawn/exec", () => {
    const offenders: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      for (const pattern of [/child_process/, /\bnode:worker_threads\b/, /\bexecSync\b|\bspawnSync\b|\bexecFile\b|\bspawn\(/, /process\.binding/, /\beval\(|new Function\(/]) {
        if (pattern.test(text)) offenders.push(`${path.relative(process.cwd(), f)}: ${pattern}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
