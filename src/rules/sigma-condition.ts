import { SiemlabError } from "../errors";
import { compileSigmaWildcard } from "./sigma-wildcard";

/** The parsed form of a Sigma `condition`. */
export type SigmaCondition =
  | { readonly op: "ref"; readonly name: string }
  | { readonly op: "not"; readonly arg: SigmaCondition }
  | { readonly op: "and" | "or"; readonly args: readonly SigmaCondition[] }
  /** `N of pattern` / `all of pattern`; `names` are the selections the pattern (or `them`) expanded to. */
  | { readonly op: "of"; readonly quantifier: number | "all"; readonly pattern: string; readonly names: readonly string[] };

/**
 * A condition that cannot be parsed; `position` is the 0-based character offset of the problem.
 *
 * @example
 * parseSigmaCondition("sel and", ["sel"]) // throws: condition ends where a selection name
 * const err = (() => { try { parseSigmaCondition("sel and", ["sel"]); } catch (x) { return x as SigmaConditionSyntaxError; } })();
 * err.position // 7 (0-based offset: the end of "sel and")
 */
export class SigmaConditionSyntaxError extends SiemlabError {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

interface Token {
  readonly kind: "word" | "(" | ")" | "|";
  readonly text: string;
  readonly pos: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === "(" || c === ")" || c === "|") out.push({ kind: c, text: c, pos: i++ });
    else {
      const m = /^[A-Za-z0-9_*?.\-]+/.exec(text.slice(i));
      if (!m) throw new SigmaConditionSyntaxError(`unexpected character '${c}' at ${i}`, i);
      out.push({ kind: "word", text: m[0], pos: i });
      i += m[0].length;
    }
  }
  return out;
}

const KEYWORDS = new Set(["and", "or", "not", "of", "them", "all"]);


/**
 * Parse a Sigma detection condition with a small recursive-descent parser. Grammar (precedence low to
 * high, keywords case-insensitive): `or` < `and` < `not` < atoms; atoms are a selection name, `( … )`,
 * `1 of P`, `N of P`, `all of P` where P is a name pattern with `*` wildcards or `them` (every selection
 * whose name does not start with `_`). Names are checked against `selections`; a pattern that matches no
 * selection, an unknown name and the deprecated `| count() …` aggregation are errors.
 *
 * @example
 * parseSigmaCondition("sel and not 1 of filter_*", ["sel", "filter_a", "filter_b"])
 * // { op: "and", args: [{ op: "ref", name: "sel" }, { op: "not", arg: { op: "of", quantifier: 1, pattern: "filter_*", names: ["filter_a", "filter_b"] } }] }
 */
export function parseSigmaCondition(text: string, selections: readonly string[]): SigmaCondition {
  const bar = text.indexOf("|");
  if (bar >= 0) throw new SigmaConditionSyntaxError("aggregations after '|' (count() …) are Sigma v1 and not supported; write a correlation rule", bar);
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k];
  const word = (t: Token | undefined, w: string) => t !== undefined && t.kind === "word" && t.text.toLowerCase() === w;
  const fail = (msg: string, t: Token | undefined): never => {
    throw new SigmaConditionSyntaxError(msg, t ? t.pos : text.length);
  };
  const expandPattern = (pattern: string, t: Token): string[] => {
    if (pattern.toLowerCase() === "them") return selections.filter((s) => !s.startsWith("_"));
    const match = compileSigmaWildcard(pattern, { cased: true });
    const names = selections.filter(match);
    if (names.length === 0) fail(`'${pattern}' matches no selection; selections are ${selections.join(", ")}`, t);
    return names;
  };
  const parseOr = (): SigmaCondition => {
    const args = [parseAnd()];
    while (word(peek(), "or")) {
      k++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0] : { op: "or", args };
  };
  const parseAnd = (): SigmaCondition => {
    const args = [parseNot()];
    while (word(peek(), "and")) {
      k++;
      args.push(parseNot());
    }
    return args.length === 1 ? args[0] : { op: "and", args };
  };
  const parseNot = (): SigmaCondition => {
    if (word(peek(), "not")) {
      k++;
      return { op: "not", arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): SigmaCondition => {
    const t = peek();
    if (t === undefined) return fail("condition ends where a selection name, 'not', '(' or 'N of' was expected", t);
    if (t.kind === "(") {
      k++;
      const inner = parseOr();
      if (peek()?.kind !== ")") fail("missing ')'", peek());
      k++;
      return inner;
    }
    if (t.kind === "|") return fail("aggregations after '|' (count() …) are Sigma v1 and not supported; write a correlation rule", t);
    if (t.kind === ")") return fail("unexpected ')'", t);
    const lower = t.text.toLowerCase();
    if ((lower === "all" || /^\d+$/.test(lower)) && word(tokens[k + 1], "of")) {
      const target = tokens[k + 2];
      if (target === undefined || target.kind !== "word") return fail(`'${t.text} of' needs a selection pattern or 'them'`, target);
      k += 3;
      const quantifier = lower === "all" ? "all" : Number(lower);
      if (quantifier === 0) fail("'0 of' never makes sense; use 'not 1 of'", t);
      return { op: "of", quantifier, pattern: target.text, names: expandPattern(target.text, target) };
    }
    if (KEYWORDS.has(lower)) return fail(`unexpected keyword '${t.text}'`, t);
    if (!selections.includes(t.text)) {
      const ci = selections.find((s) => s.toLowerCase() === lower);
      fail(`unknown selection '${t.text}'${ci ? ` (did you mean '${ci}'? names are case-sensitive)` : ""}; selections are ${selections.join(", ")}`, t);
    }
    k++;
    return { op: "ref", name: t.text };
  };
  const tree = parseOr();
  if (k < tokens.length) fail(`unexpected '${tokens[k].text}' after a complete condition`, tokens[k]);
  return tree;
}

/**
 * Evaluate a parsed condition given the truth of each selection (`truth` is called lazily and at most
 * once per name).
 *
 * @example
 * evaluateSigmaCondition(parseSigmaCondition("a and not b", ["a", "b"]), (n) => n === "a") // true
 */
export function evaluateSigmaCondition(cond: SigmaCondition, truth: (name: string) => boolean): boolean {
  const memo = new Map<string, boolean>();
  const get = (n: string) => {
    let v = memo.get(n);
    if (v === undefined) memo.set(n, (v = truth(n)));
    return v;
  };
  const ev = (c: SigmaCondition): boolean => {
    switch (c.op) {
      case "ref":
        return get(c.name);
      case "not":
        return !ev(c.arg);
      case "and":
        return c.args.every(ev);
      case "or":
        return c.args.some(ev);
      case "of": {
        if (c.quantifier === "all") return c.names.every(get);
        let n = 0;
        for (const name of c.names) if (get(name) && ++n >= (c.quantifier as number)) return true;
        return false;
      }
    }
  };
  return ev(cond);
}
