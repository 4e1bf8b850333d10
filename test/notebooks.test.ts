import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// House rules for notebooks (docs/writing-notebooks.md): committed clean, on the project's kernel, one import
// style, short code cells each explained by the markdown cell above it. Execution itself is `npm run notebooks`.
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}
const dir = "notebooks";
const files = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const MAX_LINES = 12;

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
        for (const c of code) {
          expect(c.outputs ?? []).toEqual([]);
          expect(c.execution_count ?? null).toBeNull();
        }
      });

      it('imports the library only as "./src/index"', () => {
        const all = code.map(text).join("\n");
        expect(all).toContain('from "./src/index"');
        expect(all).not.toMatch(/from\s+["']\.\.\/src/);
        expect(all).not.toMatch(/from\s+["']\.\/src\/(?!index["'])/);
      });

      it(`keeps code cells short (≤ ${MAX_LINES} lines), each after a markdown cell`, () => {
        nb.cells.forEach((c, i) => {
          if (c.cell_type !== "code") return;
          const lines = text(c).trimEnd().split("\n").length;
          expect(lines, `cell ${i + 1} has ${lines} lines`).toBeLessThanOrEqual(MAX_LINES);
          expect(i > 0 && nb.cells[i - 1].cell_type === "markdown", `cell ${i + 1} has no markdown cell above it`).toBe(true);
        });
      });
    });
  }
});
