/** Characters the `windash` modifier treats as interchangeable: `-`, `/`, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = "-/\u2013\u2014\u2015";

/** Options of {@link compileSigmaWildcard}. */
export interface SigmaWildcardOptions {
  /** Match case-sensitively (the `cased` modifier). Default: false (Sigma matches case-insensitively). */
  readonly cased?: boolean;
  /** Treat every windash character as any of them (the `windash` modifier). Default: false. */
  readonly windash?: boolean;
}

/** One pattern element: a literal character, `?`, `*` or a windash class. */
type Token = { readonly kind: "lit"; readonly ch: string } | { readonly kind: "one" } | { readonly kind: "star" } | { readonly kind: "dash" };

function tokenize(chars: readonly string[], windash: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      const n = chars[i + 1];
      if (n === "*" || n === "?" || n === "\\") {
        out.push({ kind: "lit", ch: n });
        i++;
      } else out.push({ kind: "lit", ch: "\\" });
    } else if (c === "*") {
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" }); // `**` is `*`
    } else if (c === "?") out.push({ kind: "one" });
    else if (windash && WINDASH_CHARS.includes(c)) out.push({ kind: "dash" });
    else out.push({ kind: "lit", ch: c });
  }
  return out;
}

/**
 * Compile a Sigma string value to a matcher of whole values. Sigma's wildcards: `*` any run of characters
 * (including none), `?` exactly one character (one code point); `\*`, `\?` and `\\` are the literal
 * characters; a `\` before any other character is a literal backslash (Sigma rules specification,
 * "Escaping"). Case-insensitive matching compares `toLowerCase()` of pattern and value. It does not use a
 * backtracking regular expression: the classic greedy glob walk (back up to the last `*` on a mismatch)
 * takes at most O(value length × pattern length) steps, whatever the log line holds.
 *
 * @example
 * compileSigmaWildcard("*sqlmap*")("SQLMap/1.7")   // true (case-insensitive)
 * compileSigmaWildcard("a\\*b")("axb")             // false: `\*` is a literal star
 * compileSigmaWildcard("C:\\Windows\\\\*")("c:\\windows\\x") // true: `\\` then `*`
 */
export function compileSigmaWildcard(pattern: string, options: SigmaWildcardOptions = {}): (value: string) => boolean {
  const cased = options.cased ?? false;
  const folded = cased ? pattern : pattern.toLowerCase();
  // Code points only matter for `?` (one character); otherwise UTF-16 units compare the same.
  const byCodePoint = folded.includes("?");
  const p = tokenize(byCodePoint ? Array.from(folded) : folded.split(""), options.windash ?? false);
  // Fast paths for the common shapes (contains / startswith / endswith of a plain literal).
  const inner = p.slice(p[0]?.kind === "star" ? 1 : 0, p[p.length - 1]?.kind === "star" && p.length > 1 ? -1 : undefined);
  if (inner.every((t) => t.kind === "lit")) {
    const lit = inner.map((t) => (t as { ch: string }).ch).join("");
    const lead = p[0]?.kind === "star";
    const trail = p.length > 1 && p[p.length - 1].kind === "star";
    const norm = (value: string) => (cased ? value : value.toLowerCase());
    if (lead && trail) return (value) => norm(value).includes(lit);
    if (lead) return (value) => norm(value).endsWith(lit);
    if (trail) return (value) => norm(value).startsWith(lit);
  }
  return (value: string) => {
    const v = cased ? value : value.toLowerCase();
    const s: ArrayLike<string> = byCodePoint ? Array.from(v) : v;
    let i = 0;
    let j = 0;
    let star = -1;
    let mark = 0;
    while (i < s.length) {
      const t = p[j];
      if (t !== undefined && t.kind !== "star" && (t.kind === "one" || (t.kind === "dash" ? WINDASH_CHARS.includes(s[i]) : t.ch === s[i]))) {
        i++;
        j++;
      } else if (t !== undefined && t.kind === "star") {
        star = j++;
        mark = i;
      } else if (star >= 0) {
        j = star + 1;
        i = ++mark;
      } else return false;
    }
    while (j < p.length && p[j].kind === "star") j++;
    return j === p.length;
  };
}

/**
 * True when a Sigma value holds an unescaped wildcard (`*` or `?`).
 *
 * @example
 * hasSigmaWildcard("a*") // true
 * hasSigmaWildcard("a\\*") // false
 */
export function hasSigmaWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === "*" || n === "?" || n === "\\") i++;
    } else if (c === "*" || c === "?") return true;
  }
  return false;
}

/**
 * Escape text so Sigma matches it literally (the inverse of the wildcard rules above).
 *
 * @example
 * escapeSigmaWildcards("what?*") // "what\\?\\*"
 */
export function escapeSigmaWildcards(text: string): string {
  return text.replace(/[\\*?]/g, "\\$&");
}
