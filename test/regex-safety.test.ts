/**
 * Every regular expression in src/ is safe against catastrophic backtracking, as judged by a static ReDoS
 * analyser (recheck 4.5.0, its native checker: automaton analysis where it applies, seeded fuzzing otherwise).
 * The expressions are collected by parsing every source file with the TypeScript compiler API: regex literals,
 * and `new RegExp(…)` whose pattern folds to a constant (string literals, templates over `const` strings of
 * the same file). `new RegExp` over run-time values must be listed below with the reason it is safe.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkSync } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { tsFiles } from "./support";

const SRC = path.resolve(__dirname, "../src");

/** `new RegExp` over run-time values: file → why the pattern is not an attacker's. */
const DYNAMIC: Readonly<Record<string, string>> = {
  "ingest/drain.ts": "re-flags the caller's own masks (default masks are literals, checked here)",
  "respond/redact.ts": "re-flags the literal SECRET_PATTERNS, or matches an escaped literal user name (escapeRegExp: no quantifiers)",
  "rules/sigma-modifiers.ts":
    "the Sigma `re` modifier compiles the rule author's own pattern (rules are configuration; lookaround and backreferences are refused); wildcards use a linear glob matcher, not RegExp",
};

/**
 * Regexes the analyser flags whose every quantifier is bounded, so each start position costs at most a fixed
 * number of steps (linear in the input, with that constant): exact source → why it stays. Not on the parse path.
 */
const BOUNDED: Readonly<Record<string, string>> = {
  "(?<![\\w-])(-u|-U|--user|--proxy-user)(=|\\s{0,4})(\"?)([^\\s:\"'@]{0,128}):([^\\s\"']{1,512})\\3":
    "respond/redact.ts curl -u: user ≤ 128, password ≤ 512 characters per start (prompt redaction, not parsing)",
};

interface Found {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

/** The constant string value of an expression, or undefined. */
function fold(e: ts.Expression, consts: Map<string, ts.Expression>, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) {
      const v = fold(span.expression, consts, depth + 1);
      if (v === undefined) return undefined;
      s += v + span.literal.text;
    }
    return s;
  }
  if (ts.isTaggedTemplateExpression(e) && e.tag.getText() === "String.raw") {
    const t = e.template;
    if (ts.isNoSubstitutionTemplateLiteral(t)) return t.rawText;
    let s = t.head.rawText ?? "";
    for (const span of t.templateSpans) {
      const v = fold(span.expression, consts, depth + 1);
      if (v === undefined) return undefined;
      s += v + (span.literal.rawText ?? "");
    }
    return s;
  }
  if (ts.isIdentifier(e)) {
    const init = consts.get(e.text);
    return init === undefined ? undefined : fold(init, consts, depth + 1);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = fold(e.left, consts, depth + 1);
    const b = fold(e.right, consts, depth + 1);
    return a === undefined || b === undefined ? undefined : a + b;
  }
  return undefined;
}

function collect(): { found: Found[]; dynamic: string[] } {
  const found: Found[] = [];
  const dynamic: string[] = [];
  for (const file of tsFiles(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join("/");
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const consts = new Map<string, ts.Expression>();
    const where = (n: ts.Node) => `${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
        consts.set(n.name.text, n.initializer);
      }
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = n.getText(sf);
        const slash = text.lastIndexOf("/");
        found.push({ where: where(n), source: text.slice(1, slash), flags: text.slice(slash + 1) });
      }
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "RegExp" && n.arguments && n.arguments.length > 0) {
        const source = fold(n.arguments[0], consts);
        const flags = n.arguments.length > 1 ? fold(n.arguments[1], consts) : "";
        if (source !== undefined && flags !== undefined) found.push({ where: where(n), source, flags });
        else dynamic.push(rel);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { found, dynamic };
}

describe("regular expressions in src/ (recheck static ReDoS analysis)", () => {
  const { found, dynamic } = collect();

  it("collects the regex literals of every source file, and new RegExp over constants", () => {
    expect(found.length).toBeGreaterThan(100);
    // Patterns built with String.raw templates over consts (redaction rules) are folded and checked like literals.
    expect(found.filter((f) => f.where.startsWith("respond/redact.ts") && f.source.startsWith("(?<![\\w")).length).toBeGreaterThanOrEqual(2);
    expect([...new Set(dynamic)].sort()).toEqual(Object.keys(DYNAMIC).sort());
  });

  it("none is vulnerable (exponential or polynomial backtracking) and every one was analysed", { timeout: 900_000 }, () => {
    const bad: string[] = [];
    for (const f of found) {
      // Step limits only (no wall-clock cut-offs), so the verdict is the same on a busy machine and a quiet one.
      const r = checkSync(f.source, f.flags, { randomSeed: 42, timeout: null, attackTimeout: null, attackLimit: 10_000_000, incubationTimeout: null, seedingTimeout: null });
      if (r.status === "vulnerable" && r.complexity.type === "polynomial" && BOUNDED[f.source] !== undefined) continue;
      if (r.status !== "safe") {
        const why = r.status === "vulnerable" ? r.complexity.summary : `unknown: ${r.error.kind}`;
        bad.push(`${f.where} /${f.source}/${f.flags}: ${why}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
