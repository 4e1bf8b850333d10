import { BlockList, isIP } from "node:net";
import { SiemlabError } from "../errors";
import type { SigmaFieldValue } from "./sigma-field-map";
import { didYouMean } from "./rule-diagnostic";
import { compileSigmaWildcard, hasSigmaWildcard } from "./sigma-wildcard";

/** Modifiers this engine evaluates (Sigma modifiers appendix v2). */
export const SIGMA_MODIFIERS: readonly string[] = [
  "contains", "startswith", "endswith", "all", "exists", "cased", "neq", "windash", "re", "i", "m", "s",
  "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "lt", "lte", "gt", "gte", "cidr",
];

/** Known Sigma modifiers that this engine does not evaluate (a rule using them is refused, not misread). */
const UNSUPPORTED = ["expand", "fieldref", "minute", "hour", "day", "week", "month", "year"];

/** A value test compiled from a field's modifier chain and value(s). */
export type SigmaValueTest = (value: SigmaFieldValue) => boolean;

/**
 * What went wrong compiling a value: the message and, for lists, the index of the bad item.
 *
 * @example
 * compileSigmaValue(["gte"], [1, "x"]) // throws: 'gte' needs a number, got "x"
 * const err = (() => { try { compileSigmaValue(["gte"], [1, "x"]); } catch (x) { return x as SigmaValueError; } })();
 * err.index // 1 (the second item of the list)
 */
export class SigmaValueError extends SiemlabError {
  readonly index?: number;
  constructor(message: string, index?: number) {
    super(message);
    this.index = index;
  }
}

type Scalar = string | number | boolean | null;

function encodeText(s: string, enc: string | undefined): Buffer {
  if (enc === "utf16le" || enc === "wide") return Buffer.from(s, "utf16le");
  if (enc === "utf16be") return Buffer.from(s, "utf16le").swap16();
  if (enc === "utf16") return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, "utf16le")]);
  return Buffer.from(s, "utf8");
}

/**
 * The three shift-invariant base64 forms of `bytes` when it sits at an unknown offset inside a longer
 * base64-encoded text (the `base64offset` modifier): for shifts 0, 1, 2 the characters that depend only on
 * `bytes` (leading characters that mix in the unknown prefix and trailing ones that mix in the unknown
 * suffix or padding are dropped).
 *
 * @example
 * base64OffsetVariants(Buffer.from("http")) // ["aHR0c", "h0dH", "odHRw"] (as pySigma's base64offset)
 */
export function base64OffsetVariants(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), Buffer.from(bytes)]);
    const enc = padded.toString("base64");
    const lead = [0, 2, 3][shift];
    const trail = [0, 3, 2][padded.length % 3];
    out.push(enc.slice(lead, enc.length - trail));
  }
  return out;
}

function asText(v: SigmaFieldValue): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

/**
 * Compile a field's modifier chain and value (scalar or list) into one test of the event's value.
 * Semantics (Sigma rules specification and modifiers appendix): a list is OR unless `all`; strings match
 * case-insensitively with `*`/`?` wildcards unless `cased`; `contains`/`startswith`/`endswith` add
 * wildcards; `re` is a case-sensitive JavaScript RegExp searched anywhere in the value (sub-modifiers `i`,
 * `m`, `s` set flags); `cidr` tests IPv4/IPv6 membership; `lt`/`lte`/`gt`/`gte` compare numbers; `exists`
 * takes true/false; `neq` negates the whole match; `base64`/`base64offset` (after optional
 * `utf16le`/`utf16be`/`utf16`/`wide`) encode the value first; `windash` lets `-`, `/` and the Unicode
 * dashes stand for each other. A `null` value matches a missing or null field; a missing field never
 * matches any other value. Throws {@link SigmaValueError} for an unknown or misused modifier.
 *
 * @example
 * const t = compileSigmaValue(["contains"], ["sqlmap", "nikto"]);
 * t("Mozilla/5.0 (sqlmap/1.7)") // true
 * compileSigmaValue(["cidr"], "10.0.0.0/8")("10.1.2.3") // true
 */
export function compileSigmaValue(modifiers: readonly string[], raw: unknown): SigmaValueTest {
  for (const m of modifiers) {
    if (UNSUPPORTED.includes(m)) throw new SigmaValueError(`modifier '${m}' is not supported by siemlab's engine`);
    if (!SIGMA_MODIFIERS.includes(m)) throw new SigmaValueError(`unknown modifier '${m}'${didYouMean(m, SIGMA_MODIFIERS)}`);
  }
  const has = (m: string) => modifiers.includes(m);
  const values: Scalar[] = Array.isArray(raw) ? (raw as Scalar[]) : [raw as Scalar];
  if (values.length === 0) throw new SigmaValueError("empty list of values; give at least one value");
  values.forEach((v, i) => {
    if (v !== null && typeof v === "object") throw new SigmaValueError("a value must be a string, number, boolean or null, not a map or list", Array.isArray(raw) ? i : undefined);
  });
  const all = has("all");
  if (all && values.length < 2) throw new SigmaValueError("'all' needs a list of at least two values (Sigma forbids it on one value)");
  const combine = (tests: SigmaValueTest[]): SigmaValueTest =>
    tests.length === 1 ? tests[0] : all ? (v) => tests.every((t) => t(v)) : (v) => tests.some((t) => t(v));
  const negate = has("neq");
  const wrap = (t: SigmaValueTest): SigmaValueTest => (negate ? (v) => v !== undefined && !t(v) : t);

  if (has("exists")) {
    if (modifiers.length > 1 || typeof raw !== "boolean") throw new SigmaValueError("'exists' stands alone and takes true or false");
    return raw ? (v) => v !== undefined : (v) => v === undefined;
  }
  const numeric = ["lt", "lte", "gt", "gte"].filter(has);
  if (numeric.length > 0) {
    if (numeric.length > 1 || modifiers.some((m) => m !== numeric[0] && m !== "all")) throw new SigmaValueError(`'${numeric[0]}' combines with no other modifier`);
    const op = numeric[0];
    const tests = values.map((x, i): SigmaValueTest => {
      const n = typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : NaN;
      if (!Number.isFinite(n)) throw new SigmaValueError(`'${op}' needs a number, got ${JSON.stringify(x)}`, Array.isArray(raw) ? i : undefined);
      return (v) => {
        const a = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
        if (!Number.isFinite(a)) return false;
        return op === "lt" ? a < n : op === "lte" ? a <= n : op === "gt" ? a > n : a >= n;
      };
    });
    return combine(tests);
  }
  if (has("cidr")) {
    const list = new BlockList();
    values.forEach((x, i) => {
      const m = typeof x === "string" ? /^([^/]+)\/(\d{1,3})$/.exec(x) : null;
      const fam = m ? isIP(m[1]) : 0;
      if (!m || fam === 0 || +m[2] > (fam === 4 ? 32 : 128)) {
        throw new SigmaValueError(`'cidr' needs address/prefix such as 10.0.0.0/8 or 2001:db8::/32, got ${JSON.stringify(x)}`, Array.isArray(raw) ? i : undefined);
      }
      list.addSubnet(m[1], +m[2], fam === 4 ? "ipv4" : "ipv6");
    });
    return wrap((v) => {
      const s = asText(v);
      if (s === undefined) return false;
      const fam = isIP(s);
      return fam !== 0 && list.check(s, fam === 4 ? "ipv4" : "ipv6");
    });
  }
  if (has("re")) {
    const allowed = new Set(["re", "i", "m", "s", "all", "neq"]);
    const bad = modifiers.find((m) => !allowed.has(m));
    if (bad) throw new SigmaValueError(`'re' combines only with i, m, s, all and neq, not '${bad}'`);
    const flags = (has("i") ? "i" : "") + (has("m") ? "m" : "") + (has("s") ? "s" : "");
    const tests = values.map((x, i): SigmaValueTest => {
      if (typeof x !== "string") throw new SigmaValueError(`'re' needs a string pattern, got ${JSON.stringify(x)}`, Array.isArray(raw) ? i : undefined);
      // Sigma's regex flavour has no lookaround and no backreferences; refusing them also keeps the worst
      // backtracking cases out of rules that run on attacker-controlled text.
      const unsupported = /\(\?<?[=!]|\\[1-9]|\\k</.exec(x);
      if (unsupported) {
        throw new SigmaValueError(`'${unsupported[0]}' (lookaround or backreference) is outside Sigma's regular-expression flavour`, Array.isArray(raw) ? i : undefined);
      }
      let re: RegExp;
      try {
        re = new RegExp(x, flags);
      } catch (e) {
        throw new SigmaValueError(`invalid regular expression: ${(e as Error).message}`, Array.isArray(raw) ? i : undefined);
      }
      return (v) => {
        const s = asText(v);
        return s !== undefined && re.test(s);
      };
    });
    return wrap(combine(tests));
  }
  for (const sub of ["i", "m", "s"]) if (has(sub)) throw new SigmaValueError(`'${sub}' is a sub-modifier of 're'`);
  const enc = ["utf16le", "utf16be", "utf16", "wide"].find(has);
  const b64 = has("base64") ? "base64" : has("base64offset") ? "base64offset" : undefined;
  if (enc && !b64) throw new SigmaValueError(`'${enc}' must be followed by base64 or base64offset (raw UTF-16 is not searchable in text logs)`);
  const place = has("contains") ? "contains" : has("startswith") ? "startswith" : has("endswith") ? "endswith" : undefined;
  if (["contains", "startswith", "endswith"].filter(has).length > 1) throw new SigmaValueError("use only one of contains, startswith, endswith");
  const cased = has("cased") || b64 !== undefined; // base64 text is case-sensitive by nature
  const windash = has("windash");
  const tests = values.map((x, i): SigmaValueTest => {
    if (x === null) {
      if (modifiers.some((m) => m !== "all")) throw new SigmaValueError("null matches a missing field and takes no modifier", Array.isArray(raw) ? i : undefined);
      return (v) => v === undefined || v === null;
    }
    let patterns: string[];
    const text = typeof x === "string" ? x : String(x);
    if (b64) {
      // The encoded text is literal: escape any wildcard characters it might contain (base64 has none).
      patterns = b64 === "base64" ? [encodeText(text, enc).toString("base64")] : base64OffsetVariants(encodeText(text, enc));
    } else patterns = [text];
    const compiled = patterns.map((p) => {
      const full = place === "contains" ? `*${p}*` : place === "startswith" ? `${p}*` : place === "endswith" ? `*${p}` : p;
      if (!hasSigmaWildcard(full) && !windash && !full.includes("\\")) {
        if (cased) return (s: string) => s === full;
        const lower = full.toLowerCase();
        return (s: string) => s.length === full.length && s.toLowerCase() === lower;
      }
      return compileSigmaWildcard(full, { cased, windash });
    });
    return (v) => {
      const s = asText(v);
      return s !== undefined && compiled.some((c) => c(s));
    };
  });
  return wrap(combine(tests));
}
