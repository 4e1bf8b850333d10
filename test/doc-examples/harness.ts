// Runtime helpers for test/doc-examples.test.ts: how an example's printed value is written (`format`) and
// compared with the comment that states it (`matches`), and the fixtures examples may name.
import { inspect } from "node:util";

const TYPED = /^(Float64Array|Float32Array|Int8Array|Uint8Array|Int16Array|Uint16Array|Int32Array|Uint32Array)$/;

/** A value the way doc comments write it: `Float64Array [1, 2]`, `[1, "a"]`, `{ rows: 2, cols: 2 }`, `"text"`. */
export function format(v: unknown, depth = 0): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v === undefined || v === null) return String(v);
  if (typeof v === "function") return `[Function ${v.name}]`;
  if (depth > 6) return "…";
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>, (x) => format(x)).join(", ")}]`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => format(x, depth + 1)).join(", ")}]`;
  if (v instanceof Map) return `Map {${[...v].map(([k, x]) => `${format(k)} => ${format(x, depth + 1)}`).join(", ")}}`;
  if (v instanceof Set) return `Set {${[...v].map((x) => format(x, depth + 1)).join(", ")}}`;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (typeof v === "object") {
    // Properties holding undefined are left out, as JSON and the doc comments leave them out.
    const entries = Object.entries(v as object).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${format(x, depth + 1)}`).join(", ")} }`;
  }
  return inspect(v);
}

type Token = { kind: "num"; value: number; decimals: number } | { kind: "str"; value: string } | { kind: "word"; value: string } | { kind: "punct"; value: string };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(-?(?:\d[\d_]*\.?\d*(?:e[-+]?\d+)?|\.\d+))|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([A-Za-z_$][\w$]*)|(…|\.\.\.|=>|[^\s]))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && m[0] !== "") {
    if (m[1] !== undefined) {
      const text = m[1].replace(/_/g, "");
      const frac = /\.(\d+)/.exec(text.split(/e/i)[0]);
      out.push({ kind: "num", value: Number(text), decimals: frac ? frac[1].length : 0 });
    } else if (m[2] !== undefined || m[3] !== undefined) {
      const raw = m[2] ?? m[3]!;
      out.push({ kind: "str", value: raw.replace(/\\(.)/g, "$1") });
    } else if (m[4] !== undefined) out.push({ kind: "word", value: m[4] });
    else out.push({ kind: "punct", value: m[5] === "..." ? "…" : m[5] });
  }
  return out;
}

/** Whether the comment starts with a value (a number, string, array, object, typed array, boolean, …). */
export function statesValue(comment: string): boolean {
  return /^(?:-?\d|-?\.\d|\[|\{|"|'|true\b|false\b|null\b|undefined\b|NaN\b|-?Infinity\b|(?:Float64|Float32|Int8|Uint8|Int16|Uint16|Int32|Uint32)Array\b|Map\b|Set\b|≈)/.test(comment.trim());
}

/**
 * Whether `actual` (formatted) is what `comment` states. Numbers match to the decimals the comment writes
 * (`0.12` matches 0.1234; `≈` before a value allows 1% relative error), quotes may be single or double, `…`
 * in the comment matches the rest of the value, and text after the complete value (", as np.percentile",
 * "(to rounding)") is commentary.
 */
export function matches(actual: unknown, comment: string): boolean {
  let text = comment.trim();
  let approx = false;
  if (text.startsWith("≈")) {
    approx = true;
    text = text.slice(1);
  }
  let a = tokenize(format(actual));
  const e = tokenize(text);
  // "[0.5, 0.667]" may state a typed array's values without its type name.
  if (a[0]?.kind === "word" && /Array$/.test(a[0].value) && e[0]?.kind === "punct" && e[0].value === "[") a = a.slice(1);
  let i = 0;
  for (; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    if (y === undefined) return false;
    if (y.kind === "punct" && y.value === "…") return true;
    // ", … }" in the comment: more may follow, none did.
    if (y.kind === "punct" && y.value === "," && e[i + 1]?.value === "…" && x.kind === "punct" && (x.value === "}" || x.value === "]")) return true;
    if (x.kind === "num" && y.kind === "num") {
      const tol = Math.max(0.5 * 10 ** -y.decimals, approx ? Math.abs(y.value) * 0.01 : 0) + 1e-12 * Math.abs(y.value);
      if (!(Math.abs(x.value - y.value) <= tol) && !(Number.isNaN(x.value) && Number.isNaN(y.value))) return false;
      continue;
    }
    if (x.kind === "word" && x.value === "NaN" && y.kind === "word" && y.value === "NaN") continue;
    // "text …" states the start of a string.
    if (x.kind === "str" && y.kind === "str" && y.value.endsWith("…") && x.value.startsWith(y.value.slice(0, -1).trimEnd())) continue;
    if (x.kind !== y.kind || x.value !== y.value) {
      // Integers written without a fraction part in typed-array/array listings: already handled as numbers.
      return false;
    }
  }
  const next = e[i];
  // The value is complete; what follows must be commentary, not more of a value.
  return next === undefined || next.kind === "word" || (next.kind === "punct" && [",", "(", ";", "—", "-", "=", "·", ":", "…"].includes(next.value));
}
