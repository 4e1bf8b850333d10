import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// House rules for notebooks (docs/writing-notebooks.md): committed clean, on the project's kernel, one import
// style, short code cells of short lines each explained by the markdown cell above it. Execution itself is
// `npm run notebooks`. The rules apply to the notebooks git tracks: an Untitled.ipynb made in the UI is
// not the project's. "Committed clean" reads the version git would commit (the index), so a working copy
// a lesson left outputs in does not fail the tests (npm start strips outputs on save anyway).
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}
const dir = "notebooks";
const git = (...args: string[]) => spawnSync("git", args, { encoding: "utf8", maxBuffer: 64 << 20 });
const inGit = git("rev-parse", "--is-inside-work-tree").stdout.trim() === "true";
const files = (
  inGit
    ? [...new Set(git("ls-files", "--", `${dir}/*.ipynb`).stdout.split("\n").filter(Boolean))].map((f) => f.slice(dir.length + 1))
    : readdirSync(dir).filter((f) => /^\d{2}-.*\.ipynb$/.test(f))
).sort();
/** The notebook as git would commit it (the index), or the working copy outside a git checkout. */
const committed = (file: string): string => {
  const staged = inGit ? git("show", `:${dir}/${file}`) : undefined;
  return staged?.status === 0 ? staged.stdout : readFileSync(join(dir, file), "utf8"); // e.g. mid-merge
};
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const MAX_LINES = 12;
const MAX_COLUMNS = 90;

describe("notebooks/", () => {
  it("holds the numbered notebooks", () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/^\d{2}-[a-z0-9-]+\.ipynb$/);
  });

  for (const file of files) {
    describe(file, () => {
      const nb = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cells: Cell[]; metadata: { kernelspec?: { name?: string } } };
      const code = nb.cells.filter((c) => c.cell_type === "code");

      it("runs on the project's tslab kernel", () => {
        expect(nb.metadata.kernelspec?.name).toBe("tslab");
      });

      it("is committed without outputs or execution counts", () => {
        const staged = JSON.parse(committed(file)) as { cells: Cell[] };
        for (const c of staged.cells.filter((c) => c.cell_type === "code")) {
          expect(c.outputs ?? []).toEqual([]);
          expect(c.execution_count ?? null).toBeNull();
        }
      });

      // The compiled entry (npm run build): full types from its .d.ts, nothing for the kernel to compile.
      it('imports the library only as "./dist/index"', () => {
        const all = code.map(text).join("\n");
        expect(all).toContain('from "./dist/index"');
        expect(all).not.toMatch(/from\s+["'](\.\.\/)+(src|dist)/);
        expect(all).not.toMatch(/from\s+["']\.\/src[/"']/);
        expect(all).not.toMatch(/from\s+["']\.\/dist\/(?!index["'])/);
      });

      it(`keeps code cells short (≤ ${MAX_LINES} lines), each after a markdown cell`, () => {
        nb.cells.forEach((c, i) => {
          if (c.cell_type !== "code") return;
          const lines = text(c).trimEnd().split("\n").length;
          expect(lines, `cell ${i + 1} has ${lines} lines`).toBeLessThanOrEqual(MAX_LINES);
          expect(i > 0 && nb.cells[i - 1].cell_type === "markdown", `cell ${i + 1} has no markdown cell above it`).toBe(true);
        });
      });

      it(`keeps code lines ≤ ${MAX_COLUMNS} characters (read on a projector without scrolling sideways)`, () => {
        const long = nb.cells.flatMap((c, i) =>
          c.cell_type !== "code"
            ? []
            : text(c)
                .split("\n")
                .filter((line) => [...line].length > MAX_COLUMNS)
                .map((line) => `cell ${i + 1} (${[...line].length} chars): ${line}`),
        );
        expect(long).toEqual([]);
      });
    });
  }
});
