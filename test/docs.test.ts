import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tsFiles } from "./support";

// House rule (STYLE.md, habit 10): every public function has a short doc comment with a runnable example.
// This test finds exported functions and classes in src/ without a `/** … */` doc comment, and exported
// declarations whose doc comment has no `@example`: every function, and every class except the plain error
// subclasses allow-listed below. The message lists file:line and name of each offender.

const FUNCTION = /^export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*(\w+)/;
const CLASS = /^export\s+(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/;

interface Declaration {
  readonly where: string;
  readonly kind: "function" | "class";
  readonly name: string;
  /** The doc comment right above the declaration (blank lines allowed in between), or undefined. */
  readonly doc: string | undefined;
}

function declarations(file: string): Declaration[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  const out: Declaration[] = [];
  lines.forEach((line, i) => {
    const fn = FUNCTION.exec(line);
    const cls = fn ? null : CLASS.exec(line);
    if (!fn && !cls) return;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === "") j--;
    let doc: string | undefined;
    if (j >= 0 && lines[j].trimEnd().endsWith("*/")) {
      let k = j;
      while (k >= 0 && !lines[k].includes("/*")) k--;
      // Only a JSDoc block counts (`/**`), not a plain `/* … */` comment.
      if (k >= 0 && /\/\*\*(?!\/)/.test(lines[k])) doc = lines.slice(k, j + 1).join("\n");
    }
    out.push({ where: `${file}:${i + 1}`, kind: fn ? "function" : "class", name: (fn ?? cls)![1], doc });
  });
  return out;
}

/**
 * Exported classes that need a doc comment but no `@example`: plain error subclasses. The example for the
 * whole error family is on SiemlabError in src/errors.ts (catching any library error with `instanceof`).
 */
const CLASSES_WITHOUT_EXAMPLE = new Set([
  "OptionError", // src/errors.ts
  "DataError", // src/errors.ts
  "NotFittedError", // src/errors.ts
  "ParseError", // src/errors.ts
  "PolicyError", // src/respond/policy.ts (an OptionError listing every policy problem)
  "DamagedInputError", // src/ingest/gzip-members.ts (a DataError: the gzip input is damaged from here on)
]);

const all = tsFiles("src").flatMap(declarations);

describe("doc comments in src/", () => {
  it("finds the exported declarations (guards against a scanner that silently matches nothing)", () => {
    const names = new Set(all.map((d) => d.name));
    for (const n of ["parseLog", "readLines", "SiemlabError", "BaseDetector", "OptionError"]) expect(names).toContain(n);
    expect(all.length).toBeGreaterThan(150);
  });

  it("every exported function and class has a /** … */ doc comment", () => {
    const missing = all.filter((d) => d.doc === undefined).map((d) => `${d.where} ${d.kind} ${d.name}`);
    expect(missing, `Add a /** … */ doc comment above:\n  ${missing.join("\n  ")}`).toEqual([]);
  });

  it("every exported function's doc comment has an @example", () => {
    const missing = all
      .filter((d) => d.kind === "function" && d.doc !== undefined && !d.doc.includes("@example"))
      .map((d) => `${d.where} ${d.name}`);
    expect(missing, `Add " * @example" then " * code // result" (run it first) to the doc comment of:\n  ${missing.join("\n  ")}`).toEqual([]);
  });

  it("every exported class's doc comment has an @example, except the allow-listed error classes", () => {
    const missing = all
      .filter((d) => d.kind === "class" && d.doc !== undefined && !d.doc.includes("@example") && !CLASSES_WITHOUT_EXAMPLE.has(d.name))
      .map((d) => `${d.where} ${d.name}`);
    expect(missing, `Add " * @example" then " * code // result" (run it first) to the doc comment of:\n  ${missing.join("\n  ")}`).toEqual([]);
  });

  it("the allow-list of classes without an example names only existing, documented classes", () => {
    const classes = new Map(all.filter((d) => d.kind === "class").map((d) => [d.name, d]));
    for (const name of CLASSES_WITHOUT_EXAMPLE) {
      expect(classes.get(name)?.doc, `${name} is allow-listed in test/docs.test.ts but not an exported, documented class`).toBeDefined();
    }
  });
});
