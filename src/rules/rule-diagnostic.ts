import { SiemlabError } from "../errors";
import { didYouMean as closestNameHint } from "../options";

/** How bad a diagnostic is: an `error` drops the rule (the others still run); a `warning` keeps it. */
export type DiagnosticSeverity = "error" | "warning";

/** One problem found while loading or running a Sigma rule, located as precisely as it can be. */
export interface RuleDiagnostic {
  readonly severity: DiagnosticSeverity;
  /** File the rule came from, when it came from a file. */
  readonly file?: string;
  /** 0-based index of the YAML document inside the file (multi-document files use `---`). */
  readonly document?: number;
  /** The rule's `id`, when it has one. */
  readonly ruleId?: string;
  /** The rule's `title`, when it has one. */
  readonly title?: string;
  /** Path inside the rule, e.g. `detection.selection.c-uri|contains[1]`. */
  readonly path?: string;
  readonly message: string;
}

/**
 * A Sigma rule (or its YAML) cannot be used; carries every diagnostic found in it (`diagnostics`, in the
 * order found; `diagnostic` is the first), each saying where and why. The message is the first one, plus
 * how many more there are.
 *
 * @example
 * compileSigmaRule({ title: "x" }) // throws: rule "x" at logsource: 'logsource' is required
 * const err = (() => { try { compileSigmaRule({ title: "x" }); } catch (x) { return x as SigmaRuleError; } })();
 * err instanceof SigmaRuleError // true
 * err.diagnostic.path // "logsource"
 * const two = (() => { try { compileSigmaRule({ title: "x", logsource: { sevice: "sshd" } }); } catch (x) { return x as SigmaRuleError; } })();
 * two.diagnostics.map((d) => d.path) // ["logsource.sevice", "detection"]
 */
export class SigmaRuleError extends SiemlabError {
  readonly diagnostic: RuleDiagnostic;
  readonly diagnostics: readonly RuleDiagnostic[];
  constructor(diagnostics: RuleDiagnostic | readonly RuleDiagnostic[]) {
    const list = Array.isArray(diagnostics) ? [...(diagnostics as readonly RuleDiagnostic[])] : [diagnostics as RuleDiagnostic];
    super(formatDiagnostic(list[0]) + (list.length > 1 ? ` (and ${list.length - 1} more error${list.length > 2 ? "s" : ""} in this rule)` : ""));
    this.diagnostic = list[0];
    this.diagnostics = list;
  }
}

/**
 * One line of text for a diagnostic: `file#doc rule "title" (id) at path: message`. Rule text comes from
 * untrusted files, so control characters are escaped (JSON string escaping) before they are shown.
 *
 * @example
 * const d = { severity: "error", file: "a.yml", title: "SSH", path: "detection.condition", message: "unknown selection 'x'" } as const;
 * formatDiagnostic(d) // 'error: a.yml: rule "SSH" at detection.condition: unknown selection \'x\''
 * formatDiagnostic({ severity: "warning", message: "line\nbreak" }) // "warning: line\\nbreak" (escaped)
 */
export function formatDiagnostic(d: RuleDiagnostic): string {
  const safe = (s: string) => JSON.stringify(s).slice(1, -1);
  let where = d.file !== undefined ? safe(d.file) + (d.document ? `#${d.document}` : "") + ": " : "";
  if (d.title !== undefined || d.ruleId !== undefined) {
    where += "rule" + (d.title !== undefined ? ` "${safe(d.title)}"` : "") + (d.ruleId !== undefined ? ` (${safe(d.ruleId)})` : "");
  }
  if (d.path !== undefined) where += `${where.endsWith(": ") || where === "" ? "" : " "}at ${safe(d.path)}`;
  return `${d.severity}: ${where}${where === "" || where.endsWith(": ") ? "" : ": "}${safe(d.message)}`;
}

/**
 * A " (did you mean 'x'?)" hint naming the closest candidate, or "" when none is close.
 *
 * @example
 * didYouMean("contans", ["contains", "startswith"]) // " (did you mean 'contains'?)"
 * didYouMean("contian", ["contains", "startswith"]) // " (did you mean 'contains'?)" (a swap of two letters is one edit)
 * didYouMean("zzz", ["contains", "startswith"]) // ""
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  return closestNameHint(word, candidates, "'");
}
