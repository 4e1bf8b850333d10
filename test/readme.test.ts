import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Every ```ts block in the README runs as written (with "./src/index" pointing at this checkout). A line
// `console.log(x); // expected` asserts that the snippet printed `expected` on that output line.
const readme = readFileSync("README.md", "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("README examples", () => {
  it("has at least one TypeScript example", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  blocks.forEach((code, n) => {
    it(`example ${n + 1} runs and prints what its comments say`, () => {
      const dir = mkdtempSync(join(tmpdir(), "siemlab-readme-"));
      const file = join(dir, `example-${n + 1}.ts`);
      writeFileSync(file, code.replace(/["']\.\/src\/index["']/g, JSON.stringify(resolve("src/index.ts"))));
      const r = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), file], { encoding: "utf8", timeout: 60_000 });
      expect(r.stderr.replace(/^.*nodedir.*$/gm, "").trim()).toBe("");
      expect(r.status).toBe(0);
      const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/\s*(.+)$/gm)].map((m) => m[1].trim());
      const printed = r.stdout.trim().split("\n").map((l) => l.trim());
      expect(printed.slice(0, expected.length)).toEqual(expected);
    });
  });
});
