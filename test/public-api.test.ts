import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as sl from "../src/index";

// The public surface, pinned: every name `sl.` offers, flat and per stage, values and types, as committed in
// test/public-api.json. Adding, removing or renaming a public name fails here until the list is updated, so a
// change to the surface is a visible diff. After a deliberate change: UPDATE_PUBLIC_API=1 npx vitest run
// test/public-api.test.ts, then review and commit the JSON.
const STAGES = ["ingest", "features", "detect", "eval", "charts", "respond", "simulate", "rules", "engines"] as const;
const pinnedFile = resolve(__dirname, "public-api.json");

/** Export names of src/index.ts and of each stage namespace, as the compiler sees them ("type X" for types). */
function surface(): Record<string, string[]> {
  const entry = resolve(__dirname, "../src/index.ts");
  const program = ts.createProgram([entry], { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const describeExports = (symbols: readonly ts.Symbol[]): string[] =>
    symbols
      .map((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return target.flags & ts.SymbolFlags.Value ? s.name : `type ${s.name}`;
      })
      .sort();
  const top = checker.getExportsOfModule(moduleSymbol);
  const out: Record<string, string[]> = { sl: describeExports(top) };
  for (const stage of STAGES) {
    const ns = top.find((s) => s.name === stage)!;
    out[`sl.${stage}`] = describeExports(checker.getExportsOfModule(checker.getAliasedSymbol(ns)));
  }
  return out;
}

describe("the public API (src/index.ts)", () => {
  const actual = surface();
  if (process.env.UPDATE_PUBLIC_API === "1") writeFileSync(pinnedFile, JSON.stringify(actual, null, 2) + "\n");
  const pinned = JSON.parse(readFileSync(pinnedFile, "utf8")) as Record<string, string[]>;

  for (const key of Object.keys(actual)) {
    it(`${key} exports exactly the names in test/public-api.json`, () => {
      expect(actual[key], `${key} changed: review, then UPDATE_PUBLIC_API=1 npx vitest run test/public-api.test.ts`).toEqual(pinned[key]);
    });
  }

  it("has a namespace per stage, and the runtime values match the compiler's list", () => {
    for (const stage of STAGES) expect(typeof (sl as Record<string, unknown>)[stage]).toBe("object");
    const values = (names: string[]) => names.filter((n) => !n.startsWith("type ")).sort();
    expect(Object.keys(sl).sort()).toEqual(values(actual.sl));
    for (const stage of STAGES) expect(Object.keys((sl as Record<string, object>)[stage]).sort()).toEqual(values(actual[`sl.${stage}`]));
  });

  it("keeps library plumbing internal and what a custom detector needs public", () => {
    const all = new Set(Object.values(actual).flat());
    for (const internal of ["LineDriver", "chromiumArgs", "safely", "lazyDanfo", "sendDisplay", "jsonForScript", "plan", "entityGetter"]) {
      expect(all.has(internal), `${internal} should not be public`).toBe(false);
    }
    for (const needed of ["BaseDetector", "type FittedModel", "toDense", "type DenseMatrix", "percentile", "validatePositiveInteger"]) {
      expect(actual["sl.detect"]).toContain(needed);
    }
  });

  it("has no `export *` in any index file", () => {
    for (const dir of ["", "ingest/", "features/", "detectors/", "eval/", "charts/", "respond/", "simulate/"]) {
      const text = readFileSync(resolve(__dirname, `../src/${dir}index.ts`), "utf8");
      expect(text, `src/${dir}index.ts`).not.toMatch(/^export \*/m);
    }
  });
});
