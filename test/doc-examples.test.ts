import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tsFiles } from "./support";

// Every `@example` in a doc comment under src/ runs, and the values its comments state are checked
// (STYLE.md habit 10; test/readme.test.ts does the same for the README). An example line
//   expr; // value            checks that expr evaluates to value (format and matching: ./doc-examples/harness.ts)
//   const x = expr; // value  checks x
//   expr; // throws: message  checks that expr throws an error whose message contains `message`
// Other comments are commentary: the line still has to run. Examples see every name exported by src/ (their
// own module's first), `sl` (src/index), `fs`, `path`, and the fixtures of ./doc-examples/fixtures.ts
// (`events`, `findings`, `X`, `y`, …), so they can be written as a notebook would use them.

const ROOT = resolve(__dirname, "..");

interface Example {
  readonly id: number;
  readonly file: string;
  readonly line: number;
  readonly code: string[];
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of tsFiles(join(ROOT, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const doc = m[1];
      const at = doc.indexOf("@example");
      if (at < 0) continue;
      const body = doc.slice(at + "@example".length).split(/\n\s*\*\s*@\w+/)[0];
      const code = body.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).filter((l, i) => i > 0 || l.trim() !== "");
      while (code.length && code[code.length - 1].trim() === "") code.pop();
      const line = text.slice(0, m.index! + 3 + at).split("\n").length;
      out.push({ id: out.length, file: relative(ROOT, file), line, code });
    }
  }
  return out;
}

const GLOBALS = new Set(
  ("console Math Array Object JSON Date Number String Boolean Promise require process Buffer Symbol Set Map Error " +
    "undefined NaN Infinity globalThis Float64Array Float32Array Int8Array Uint8Array Int16Array Uint16Array " +
    "Int32Array Uint32Array RegExp BigInt isNaN isFinite parseInt parseFloat setTimeout clearTimeout TypeError " +
    "RangeError URL TextEncoder TextDecoder performance structuredClone this super new return const let var " +
    "class extends function async await if else for of in while do break continue typeof instanceof void delete " +
    "true false null throw try catch finally switch case default import export from as readonly protected private " +
    "public static get set constructor implements interface type yield")
    .split(" "),
);

/** Names an example uses as variables but does not declare (property names and string contents excluded). */
function freeNames(code: string): string[] {
  const text = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""').replace(/\/\/.*$/gm, "").replace(/\.\.\./g, "   ");
  const declared = new Set<string>();
  for (const m of text.matchAll(/\b(?:const|let|var|class|function)\s+([A-Za-z_$][\w$]*)/g)) declared.add(m[1]);
  for (const m of text.matchAll(/\b(?:const|let|var)\s*[{[]([^}\]=]*)[}\]]/g)) {
    for (const part of m[1].split(",")) {
      const name = part.split(":").pop()!.trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) declared.add(name);
    }
  }
  for (const m of text.matchAll(/\(([^()]*)\)\s*=>|([A-Za-z_$][\w$]*)\s*=>/g)) {
    for (const p of (m[1] ?? m[2] ?? "").split(",")) {
      const name = p.replace(/[{}[\]]/g, "").split(/[:=]/)[0].trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) declared.add(name);
    }
  }
  const used = new Set<string>();
  for (const m of text.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)(?!\s*:(?!:))/g)) used.add(m[1]);
  return [...used].filter((n) => !declared.has(n) && !GLOBALS.has(n));
}

/** Top-level `;`-separated statements of one line (strings and brackets respected). */
function splitStatements(line: string): string[] {
  const out: string[] = [];
  let level = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) level++;
    else if (")]}".includes(c)) level--;
    else if (c === ";" && level === 0) {
      out.push(line.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(line.slice(start).trim());
  return out.filter((s) => s !== "");
}

const depth = (s: string) => (s.match(/[([{]/g)?.length ?? 0) - (s.match(/[)\]}]/g)?.length ?? 0);

/** The example as a function body, with a check after each line that states a value. */
function instrument(ex: Example): string {
  const body: string[] = [];
  let level = 0;
  ex.code.forEach((raw, k) => {
    const where = `${ex.file}:${ex.line + k + 1}`;
    const stripped = raw.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, (s) => "x".repeat(s.length));
    const cut = stripped.indexOf("//");
    const code = (cut >= 0 ? raw.slice(0, cut) : raw).trimEnd();
    const comment = cut >= 0 ? raw.slice(cut + 2).trim() : "";
    const startLevel = level;
    level += depth(stripped.slice(0, cut >= 0 ? cut : undefined));
    const complete = startLevel === 0 && level === 0 && code.trim() !== "";
    if (!complete || comment === "") return void body.push(raw);
    // `a; b; c // value`: run a and b, check c.
    const parts = splitStatements(code.trim().replace(/;$/, ""));
    if (parts.length > 1) body.push(parts.slice(0, -1).join("; ") + ";");
    const expr = parts[parts.length - 1];
    const decl = /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(expr);
    const logged = /^console\.log\(([^,]*)\)$/.exec(expr);
    const statement = /^(?:const|let|var|class|function|if|for|while|return|throw|import|export|type|interface)\b/.test(expr);
    const arg = (s: string) => JSON.stringify(s);
    if (/^throws\b/.test(comment)) {
      let message = comment.replace(/^throws\s*(?:\w*Error\b)?:?\s*/, "").replace(/…$/, "").trim();
      if (/^".*"$/.test(message)) message = JSON.parse(message);
      body.push(`await __throws(${arg(where)}, async () => { ${code} }, ${arg(message)});`);
    } else if (decl && __statesValue(comment)) {
      body.push(code, `__check(${arg(where)}, ${decl[1]}, ${arg(comment)});`);
    } else if (logged && __statesValue(comment)) {
      body.push(code, `__check(${arg(where)}, ${logged[1]}, ${arg(comment)});`);
    } else if (!statement && __statesValue(comment)) {
      body.push(`__check(${arg(where)}, await (${expr}), ${arg(comment)});`);
    } else body.push(raw);
  });
  return body.join("\n");
}

// The same test as harness.statesValue, needed at generation time.
function __statesValue(c: string): boolean {
  return /^(?:-?\d|-?\.\d|\[|\{|"|'|true\b|false\b|null\b|undefined\b|NaN\b|-?Infinity\b|(?:Float64|Float32|Int8|Uint8|Int16|Uint16|Int32|Uint32)Array\b|Map\b|Set\b|≈)/.test(c.trim());
}

// Examples that start Chromium run where it is installed (always under CI); elsewhere they are skipped, visibly.
const chromium = process.env.SIEMLAB_CHROMIUM ?? "/usr/bin/chromium";
const NEEDS_CHROMIUM = /\b(?:launchChromium|savePng|saveSvg|renderChartImage|openChartRenderer)\b/;
const found = examples();
const skipped = process.env.CI === "true" || existsSync(chromium) ? [] : found.filter((e) => NEEDS_CHROMIUM.test(e.code.join("\n")));
const all = found.filter((e) => !skipped.includes(e));
const modules = [...new Set(all.map((e) => e.file))];

function script(): string {
  const lines = [
    `import * as fs from "node:fs";`,
    `import * as path from "node:path";`,
    `import * as sl from ${JSON.stringify(join(ROOT, "src/index"))};`,
    `import { format, matches } from ${JSON.stringify(join(ROOT, "test/doc-examples/harness"))};`,
    `import { fixtures } from ${JSON.stringify(join(ROOT, "test/doc-examples/fixtures"))};`,
    ...tsFiles(join(ROOT, "src"))
      .filter((f) => !f.endsWith("cli.ts"))
      .map((f, i) => `import * as __all${i} from ${JSON.stringify(f.replace(/\.ts$/, ""))};`),
    ...modules.map((f, i) => `import * as __m${i} from ${JSON.stringify(join(ROOT, f).replace(/\.ts$/, ""))};`),
    `const __everything: Record<string, unknown> = Object.assign({}, ${tsFiles(join(ROOT, "src")).filter((f) => !f.endsWith("cli.ts")).map((_, i) => `__all${i}`).join(", ")});`,
    `const __results: { where: string; ok: boolean; detail: string }[] = [];`,
    `function __check(where: string, actual: unknown, comment: string) { __results.push({ where, ok: matches(actual, comment), detail: "got " + format(actual) + ", the comment says " + comment }); }`,
    `async function __throws(where: string, f: () => Promise<unknown>, message: string) {`,
    `  try { await f(); __results.push({ where, ok: false, detail: "did not throw; the comment says it throws " + message }); }`,
    `  catch (e) { const m = (e as Error).message; __results.push({ where, ok: m.includes(message), detail: "threw " + JSON.stringify(m) + ", the comment says " + JSON.stringify(message) }); }`,
    `}`,
    `function __scope(own: object, fx: Record<string, unknown>): Record<string, any> {`,
    `  const base: Record<string, unknown> = { ...__everything, ...own, sl, fs, path };`,
    `  // The example's own module first, then the fixtures, then every other export of src/, then globals.
  return new Proxy({}, { get: (_t, k: string) => (k in own ? (own as any)[k] : k in fx ? fx[k] : k in base ? base[k] : (globalThis as any)[k]) });`,
    `}`,
    `(async () => {`,
    `  const fx = await fixtures();`,
  ];
  for (const ex of all) {
    const names = freeNames(ex.code.join("\n"));
    const mod = `__m${modules.indexOf(ex.file)}`;
    lines.push(
      `  const __t${ex.id} = Date.now();`,
      `  try { await (async () => {`,
      names.length ? `    const { ${names.join(", ")} } = __scope(${mod}, fx);` : "",
      instrument(ex),
      `  })(); __results.push({ where: ${JSON.stringify(`${ex.file}:${ex.line}`)}, ok: true, detail: "ran in " + (Date.now() - __t${ex.id}) + " ms" }); }`,
      `  catch (e) { __results.push({ where: ${JSON.stringify(`${ex.file}:${ex.line}`)}, ok: false, detail: "threw " + ((e as Error).stack ?? String(e)).split("\\n").slice(0, 3).join(" | ") }); }`,
    );
  }
  lines.push(`  fs.writeFileSync(process.env.DOC_EXAMPLES_RESULTS!, JSON.stringify(__results.map((x) => ({ ...x, detail: x.detail.slice(0, 400) }))));`, `  process.exit(0);`, `})();`);
  return lines.join("\n");
}

describe("doc comment examples (@example in src/)", () => {
  if (skipped.length > 0) {
    it.skip(`${skipped.length} examples that need Chromium (${chromium} not found; install it with npm run setup)`, () => {});
  }

  it("finds the examples (guards against a scanner that silently matches nothing)", () => {
    expect(found.length).toBeGreaterThan(200);
  });

  const dir = mkdtempSync(join(tmpdir(), "siemlab-doc-examples-"));
  const file = join(dir, "examples.ts");
  writeFileSync(file, script());
  const resultsFile = join(dir, "results.json");
  const r = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), file], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, DOC_EXAMPLES_RESULTS: resultsFile, SIEMLAB_LLM_BASE_URL: "", OPENAI_API_KEY: "" },
  });
  const finished = existsSync(resultsFile);
  const results: { where: string; ok: boolean; detail: string }[] = finished ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];

  it("the examples script ran to the end", () => {
    expect(finished, r.stderr.slice(-3000)).toBe(true);
  });

  it("every example runs and prints what its comments say", () => {
    if (process.env.DOC_EXAMPLES_TIMES === "1") console.log(results.filter((x) => x.detail.startsWith("ran in")).sort((p, q) => parseInt(q.detail.slice(7)) - parseInt(p.detail.slice(7))).slice(0, 12));
    const bad = results.filter((x) => !x.ok).map((x) => `${x.where}: ${x.detail}`);
    expect(bad, `Fix these examples (or the code):\n  ${bad.join("\n  ")}`).toEqual([]);
  });

  it("checks a stated value in many examples", () => {
    expect(results.filter((x) => x.detail.startsWith("got ")).length).toBeGreaterThan(100);
  });
});
