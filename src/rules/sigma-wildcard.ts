/** Characters the `windash` modifier treats as interchangeable: `-`, `/`, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = "-/\u2013\u2014\u2015";

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/** Options of {@link sigmaWildcardToRegExp}. */
export interface SigmaWildcardOptions {
  /** Match case-sensitively (the `cased` modifier). Default: false (Sigma matches case-insensitively). */
  readonly cased?: boolean;
  /** Treat every windash character as any of them (the `windash` modifier). Default: false. */
  readonly windash?: boolean;
}

/**
 * Compile a Sigma string value to an anchored RegExp. Sigma's wildcards: `*` any run of characters
 * (including none), `?` exactly one character; `\*`, `\?` and `\\` are the literal characters; a `\`
 * before any other character is a literal backslash (Sigma rules specification, "Escaping").
 *
 * @example
 * sigmaWildcardToRegExp("*sqlmap*").test("SQLMap/1.7")   // true (case-insensitive)
 * sigmaWildcardToRegExp("a\\*b").test("axb")             // false: `\*` is a literal star
 * sigmaWildcardToRegExp("C:\\Windows\\\\*").test("c:\\windows\\x") // true: `\\` then `*`
 */
export function sigmaWildcardToRegExp(pattern: string, options: SigmaWildcardOptions = {}): RegExp {
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === "*" || n === "?" || n === "\\") {
        src += "\\" + n;
        i++;
      } else src += "\\\\";
    } else if (c === "*") src += "[\\s\\S]*";
    else if (c === "?") src += "[\\s\\S]";
    else if (options.windash && WINDASH_CHARS.includes(c)) src += "[\\-/\u2013\u2014\u2015]";
    else src += c.replace(REGEX_SPECIAL, "\\$&");
  }
  return new RegExp(`^${src}$`, options.cased ? "u" : "iu");
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
