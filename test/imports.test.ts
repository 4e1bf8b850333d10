import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tsFiles } from "./support";

// tslab (the notebook kernel) resolves a relative import only to a file, never to a directory's index,
// so every relative import in src/ must name a file. This test finds the ones that would break notebooks.
describe("relative imports in src/", () => {
  it("name files (not directories) so the tslab kernel can load them", () => {
    const bad: string[] = [];
    for (const file of tsFiles("src")) {
      // Drop comments (doc examples mention imports) before looking for import specifiers.
      const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']*)["']/g)) {
        const target = resolve(dirname(file), m[1]);
        const ok = existsSync(target + ".ts") || existsSync(target + ".json") || (existsSync(target) && statSync(target).isFile());
        if (!ok) bad.push(`${file}: "${m[1]}"`);
      }
    }
    expect(bad).toEqual([]);
  });
});
