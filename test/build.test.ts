import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// scripts/build.js: src/ compiled once to dist/ (JS + .d.ts); a stale build is never used silently. Runs on a
// scratch checkout (the project's tsconfig files, a two-file src/, node_modules linked) so the real dist/
// is not touched.
const require_ = createRequire(import.meta.url);
const build = require_("../scripts/build.js") as {
  buildState(root?: string): { fresh: boolean; why?: string };
  build(o: { root: string; ifStale?: boolean }): { ok: boolean; skipped?: boolean; output: string };
  ensureBuild(o: { root: string; who?: string }): { fresh: boolean };
};
const root = mkdtempSync(join(tmpdir(), "siemlab-build-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "src"));
for (const f of ["tsconfig.json", "tsconfig.build.json"]) copyFileSync(resolve(f), join(root, f));
symlinkSync(resolve("node_modules"), join(root, "node_modules"), "dir");
writeFileSync(join(root, "src", "index.ts"), 'export { double } from "./double";\n');
writeFileSync(join(root, "src", "double.ts"), "/** Twice x. */\nexport function double(x: number): number {\n  return 2 * x;\n}\n");
/** Moves a file's modification time forward, as an edit would. */
const touch = (file: string) => {
  const t = new Date(Date.now() + 5000);
  utimesSync(file, t, t);
};

describe("scripts/build.js", () => {
  it("compiles src/ to CommonJS with declarations, and records what it built from", () => {
    expect(build.buildState(root)).toEqual({ fresh: false, why: "dist/ has not been built yet" });
    const r = build.build({ root });
    expect(r.ok, r.output).toBe(true);
    expect(require_(join(root, "dist", "index.js")).double(21)).toBe(42);
    expect(existsSync(join(root, "dist", "double.d.ts"))).toBe(true);
    expect(build.buildState(root).fresh).toBe(true);
    expect(build.build({ root, ifStale: true }).skipped).toBe(true);
  }, 120_000);

  it("calls the build stale, naming the file, when a source changes, appears or disappears", () => {
    touch(join(root, "src", "double.ts"));
    expect(build.buildState(root)).toEqual({ fresh: false, why: "src/double.ts changed since the last build" });
    build.build({ root });
    writeFileSync(join(root, "src", "extra.ts"), "export const extra = 1;\n");
    expect(build.buildState(root).why).toBe("src/extra.ts is new since the last build");
    build.build({ root });
    rmSync(join(root, "src", "extra.ts"));
    expect(build.buildState(root).why).toBe("src/extra.ts was removed since the last build");
    touch(join(root, "tsconfig.build.json"));
    expect(build.buildState(root).fresh).toBe(false);
  }, 120_000);

  it("ensureBuild rebuilds a stale build and says why on stderr; a broken src/ fails with tsc's error", () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(build.ensureBuild({ root, who: "test" }).fresh).toBe(true);
      const said = err.mock.calls.map((c) => String(c[0])).join("");
      expect(said).toMatch(/\[test\] .* since the last build: compiling src\/ to dist\/ \(npm run build\)/);
      expect(said).toMatch(/\[test\] dist\/ built in \d/);
      err.mockClear();
      expect(build.ensureBuild({ root, who: "test" }).fresh).toBe(true); // fresh: nothing said
      expect(err).not.toHaveBeenCalled();
      writeFileSync(join(root, "src", "bad.ts"), "export const n: number = 'not a number';\n");
      expect(() => build.ensureBuild({ root, who: "test" })).toThrow(/bad\.ts.*TS2322[\s\S]*npm run build/);
      // The last good build stays in place, still called stale.
      expect(require_(join(root, "dist", "index.js")).double(2)).toBe(4);
      expect(build.buildState(root).fresh).toBe(false);
    } finally {
      err.mockRestore();
    }
  }, 120_000);
});
