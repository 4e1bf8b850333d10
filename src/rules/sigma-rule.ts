import type { LogEvent } from "../events";
import { closestName } from "../options";
import { didYouMean, type RuleDiagnostic, SigmaRuleError } from "./rule-diagnostic";
import { parseSigmaCondition, type SigmaCondition, SigmaConditionSyntaxError } from "./sigma-condition";
import { eventLogsource, type EventLogsource, type SigmaFieldSource, sigmaFieldGetter } from "./sigma-field-map";
import { compileSigmaValue, SigmaValueError, type SigmaValueTest } from "./sigma-modifiers";

/** Sigma severity levels, lowest first. */
export const SIGMA_LEVELS = ["informational", "low", "medium", "high", "critical"] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];
const STATUSES = ["stable", "test", "experimental", "deprecated", "unsupported"];

/** The keys a Sigma `logsource` may have (Sigma specification, "Log source"). */
const LOGSOURCE_KEYS: readonly string[] = ["category", "product", "service", "definition"];

/** A rule's `logsource` section. */
export interface SigmaLogsource {
  readonly product?: string;
  readonly service?: string;
  readonly category?: string;
}

/** Where a rule came from and what it is called: shared by detection and correlation rules. */
export interface SigmaRuleMeta {
  readonly title: string;
  readonly id?: string;
  /** The `name` correlation rules refer to. */
  readonly name?: string;
  readonly level: SigmaLevel;
  readonly status?: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly file?: string;
  readonly document?: number;
}

/** A compiled Sigma detection rule. */
export interface SigmaDetectionRule extends SigmaRuleMeta {
  readonly kind: "detection";
  readonly logsource: SigmaLogsource;
  readonly condition: SigmaCondition;
  /** Every Sigma field name the detection reads (keywords read `message`). */
  readonly fields: readonly string[];
  /** Fields read with a value test (not `null` / `exists`): the ones a rule cannot match without. */
  readonly requiredFields: readonly string[];
  /** Fields with no entry in any mapping (looked up in the event's `fields` only). */
  readonly unmappedFields: readonly string[];
  /** True when the rule's logsource covers the event. */
  appliesTo(event: LogEvent): boolean;
  /** True when the event satisfies the detection (logsource not checked). */
  matchesDetection(event: LogEvent): boolean;
  /** appliesTo and matchesDetection. */
  matches(event: LogEvent): boolean;
}

/** Options for compiling rules. */
export interface CompileSigmaOptions {
  /** File name for diagnostics. Default: none. */
  readonly file?: string;
  /** Document index for diagnostics. Default: none. */
  readonly document?: number;
  /** Extra or overriding field mappings: Sigma field name → siemlab path (`srcIp`, `fields.status`) or function. Default: none. */
  readonly fieldMapping?: Readonly<Record<string, SigmaFieldSource>>;
  /** Logsource of an event; default {@link eventLogsource}. */
  readonly logsource?: (event: LogEvent) => EventLogsource;
}

const logsourceCache = new WeakMap<LogEvent, EventLogsource>();
/** eventLogsource, computed once per event object (every rule asks). */
function cachedLogsource(e: LogEvent): EventLogsource {
  let v = logsourceCache.get(e);
  if (v === undefined) logsourceCache.set(e, (v = eventLogsource(e)));
  return v;
}

type Ctx = { file?: string; document?: number; ruleId?: string; title?: string };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The top-level keys of a Sigma rule (specification v2, rules and correlations); others are custom fields. */
const SIGMA_KEYS: readonly string[] = [
  "title", "id", "name", "related", "taxonomy", "status", "description", "license", "author", "references", "date", "modified",
  "logsource", "detection", "fields", "falsepositives", "level", "tags", "scope", "correlation", "generate", "filter",
];

/**
 * " (is 'titel' a misspelling?)" when a custom top-level key of `doc` is closest to the missing key `k`, else "".
 *
 * @example
 * misspeltKeyHint({ titel: "x" }, "title") // " (is 'titel' a misspelling?)"
 */
export function misspeltKeyHint(doc: Record<string, unknown>, k: string): string {
  const near = Object.keys(doc).filter((key) => !SIGMA_KEYS.includes(key) && closestName(key, SIGMA_KEYS) === k);
  return near.length > 0 ? ` (is '${near[0]}' a misspelling?)` : "";
}

/**
 * Read the metadata every rule shares (title, id, name, level, status, tags); throws SigmaRuleError on a
 * bad value. The level defaults to `medium`.
 *
 * @example
 * readSigmaMeta({ title: "SSH brute force", level: "high" }, {}).level // "high"
 */
export function readSigmaMeta(doc: Record<string, unknown>, ctx: Ctx): SigmaRuleMeta {
  const err = (path: string, message: string): never => {
    throw new SigmaRuleError({ severity: "error", ...ctx, path, message });
  };
  const str = (k: string, required = false): string | undefined => {
    const v = doc[k];
    if (v === undefined || v === null) return required ? err(k, `'${k}' is required${misspeltKeyHint(doc, k)}`) : undefined;
    if (typeof v !== "string" || v.trim() === "") return err(k, `'${k}' must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  };
  const title = str("title", true) as string;
  if (title.length > 256) err("title", `title is ${title.length} characters; Sigma allows at most 256`);
  const levelText = (str("level") ?? "medium").toLowerCase();
  if (!(SIGMA_LEVELS as readonly string[]).includes(levelText)) {
    err("level", `unknown level '${levelText}'${didYouMean(levelText, SIGMA_LEVELS)}; expected one of ${SIGMA_LEVELS.join(", ")}`);
  }
  const status = str("status");
  if (status !== undefined && !STATUSES.includes(status)) err("status", `unknown status '${status}'${didYouMean(status, STATUSES)}; expected one of ${STATUSES.join(", ")}`);
  const tags = doc.tags === undefined ? [] : doc.tags;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) err("tags", "'tags' must be a list of strings");
  return {
    title,
    id: typeof doc.id === "number" ? String(doc.id) : str("id"),
    name: str("name"),
    level: levelText as SigmaLevel,
    status,
    description: typeof doc.description === "string" ? doc.description : undefined,
    tags: tags as string[],
    file: ctx.file,
    document: ctx.document,
  };
}

/**
 * {@link readSigmaMeta}, its errors appended to `errors` instead of thrown (a rule's compiler collects every
 * error before it gives up): the metadata, or undefined when it had errors.
 *
 * @example
 * const errors = [];
 * readSigmaMetaInto({ title: 5 }, {}, errors); // undefined
 * errors.length // 1
 */
export function readSigmaMetaInto(doc: Record<string, unknown>, ctx: Ctx, errors: RuleDiagnostic[]): SigmaRuleMeta | undefined {
  try {
    return readSigmaMeta(doc, ctx);
  } catch (e) {
    if (!(e instanceof SigmaRuleError)) throw e;
    errors.push(...e.diagnostics);
    return undefined;
  }
}

/**
 * Compile one Sigma detection rule (a YAML document already converted to data). Checks the structure and
 * every value, and throws {@link SigmaRuleError} with every error found (`diagnostics`), each naming the
 * file, rule id/title and the path inside the rule (e.g. `detection.selection.c-uri|contains[1]`). Warnings (fields no mapping knows)
 * go to `warnings`.
 *
 * @example
 * const rule = compileSigmaRule({
 *   title: "Scanner user agent", logsource: { category: "webserver" },
 *   detection: { selection: { "c-useragent|contains": ["sqlmap", "nikto"] }, condition: "selection" },
 * });
 * rule.matches({ lineNo: 1, time: 0, eventType: "http_request", message: "GET / HTTP/1.1", fields: { userAgent: "sqlmap/1.7" } }) // true
 */
export function compileSigmaRule(doc: unknown, options: CompileSigmaOptions = {}, warnings: RuleDiagnostic[] = []): SigmaDetectionRule {
  const ctx: Ctx = { file: options.file, document: options.document };
  if (!isMap(doc)) throw new SigmaRuleError({ severity: "error", ...ctx, message: "a rule must be a YAML map with title, logsource and detection" });
  ctx.title = typeof doc.title === "string" ? doc.title : undefined;
  ctx.ruleId = typeof doc.id === "string" ? doc.id : undefined;
  // Every error of the rule is collected (a rule file with two mistakes shows both): `err` records one and
  // compiling goes on where it can; the rule is thrown out at the end with all of them.
  const errors: RuleDiagnostic[] = [];
  const err = (path: string, message: string): void => {
    errors.push({ severity: "error", ...ctx, path, message });
  };
  const meta = readSigmaMetaInto(doc, ctx, errors);
  const ls = isMap(doc.logsource) ? doc.logsource : {};
  if (!isMap(doc.logsource)) err("logsource", `'logsource' is required: a map with product, service and/or category${misspeltKeyHint(doc, "logsource")}`);
  const logsource: Record<string, string> = {};
  // Sigma's logsource keys are a closed set; a misspelt one (`sevice`, `prodcut`) would drop the restriction
  // silently and run the rule on every event. `definition` is prose for the reader: accepted, not matched.
  for (const k of Object.keys(ls)) {
    if (!LOGSOURCE_KEYS.includes(k)) err(`logsource.${k}`, `unknown logsource key '${k}'${didYouMean(k, LOGSOURCE_KEYS)}; Sigma's logsource keys are ${LOGSOURCE_KEYS.join(", ")}`);
  }
  if (ls.definition !== undefined && ls.definition !== null && typeof ls.definition !== "string") err("logsource.definition", `must be a string, got ${JSON.stringify(ls.definition)}`);
  for (const k of ["product", "service", "category"]) {
    const v = ls[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") {
      err(`logsource.${k}`, `must be a string, got ${JSON.stringify(v)}`);
      continue;
    }
    logsource[k] = v.toLowerCase();
  }
  const det = doc.detection;
  if (!isMap(det)) {
    err("detection", `'detection' is required: a map of selections plus 'condition'${misspeltKeyHint(doc, "detection")}`);
    throw new SigmaRuleError(errors);
  }
  const names = Object.keys(det).filter((k) => k !== "condition" && k !== "timeframe");
  if (det.timeframe !== undefined) err("detection.timeframe", "'timeframe' is Sigma v1; write a correlation rule with 'timespan'");
  if (names.length === 0) err("detection", "no selections: add at least one, e.g. selection: { field: value }");
  const mapping = options.fieldMapping ?? {};
  const fieldSet = new Set<string>();
  const required = new Set<string>();
  const unmapped = new Set<string>();

  const compileField = (key: string, value: unknown, path: string): ((e: LogEvent) => boolean) => {
    const [field, ...mods] = key.split("|");
    if (field === "") err(path, "field name missing before '|'; keywords take no modifiers in siemlab");
    let test: SigmaValueTest;
    try {
      test = compileSigmaValue(mods, value);
    } catch (e) {
      if (!(e instanceof SigmaValueError)) throw e;
      err(e.index !== undefined ? `${path}[${e.index}]` : path, e.message);
      return () => false;
    }
    const getter = sigmaFieldGetter(field, mapping);
    fieldSet.add(field);
    const nullOrExists = mods.includes("exists") || value === null || (Array.isArray(value) && value.every((v) => v === null));
    if (!nullOrExists) required.add(field);
    if (!getter.mapped && !unmapped.has(field)) {
      unmapped.add(field);
      warnings.push({
        severity: "warning",
        ...ctx,
        path,
        message: `field '${field}' is in no siemlab mapping; it matches only events whose fields carry '${field}' (JSON/CSV attributes). Add it with the fieldMapping option / --mapping`,
      });
    }
    return (e) => test(getter.get(e));
  };
  const compileMap = (m: Record<string, unknown>, path: string) => {
    const keys = Object.keys(m);
    if (keys.length === 0) err(path, "empty map: a selection needs at least one field");
    const tests = keys.map((k) => compileField(k, m[k], `${path}.${k}`));
    return (e: LogEvent) => tests.every((t) => t(e));
  };
  const keywordTest = (values: unknown[], path: string) => {
    let test: SigmaValueTest;
    try {
      test = compileSigmaValue(["contains"], values);
    } catch (e) {
      if (!(e instanceof SigmaValueError)) throw e;
      err(e.index !== undefined ? `${path}[${e.index}]` : path, e.message);
      return () => false;
    }
    fieldSet.add("message");
    required.add("message");
    return (e: LogEvent) => test(e.message);
  };
  const selections = new Map<string, (e: LogEvent) => boolean>();
  for (const name of names) {
    const v = det[name];
    const path = `detection.${name}`;
    if (!/^[A-Za-z0-9_.\-]+$/.test(name)) err(path, `selection name '${name}' may hold only letters, digits, '_', '.', '-'`);
    if (isMap(v)) selections.set(name, compileMap(v, path));
    else if (Array.isArray(v)) {
      if (v.length === 0) err(path, "empty list");
      if (v.every(isMap)) {
        const tests = v.map((m, i) => compileMap(m as Record<string, unknown>, `${path}[${i}]`));
        selections.set(name, (e) => tests.some((t) => t(e)));
      } else if (v.every((x) => !isMap(x) && !Array.isArray(x))) selections.set(name, keywordTest(v, path));
      else err(path, "a list must hold only maps (OR of maps) or only values (keywords), not both");
    } else if (v === null || v === undefined) err(path, "empty selection");
    else selections.set(name, keywordTest([v], path));
  }
  const condRaw = det.condition;
  if (condRaw === undefined) err("detection.condition", "'condition' is required, e.g. condition: selection");
  const condTexts = condRaw === undefined ? [] : Array.isArray(condRaw) ? condRaw : [condRaw];
  const parsed: SigmaCondition[] = [];
  condTexts.forEach((c, i) => {
    const path = `detection.condition${Array.isArray(condRaw) ? `[${i}]` : ""}`;
    if (typeof c !== "string") return err(path, "condition must be a string");
    try {
      parsed.push(parseSigmaCondition(c, names));
    } catch (e) {
      if (!(e instanceof SigmaConditionSyntaxError)) throw e;
      err(path, `${e.message} (at character ${e.position})`);
    }
  });
  if (errors.length > 0 || meta === undefined) throw new SigmaRuleError(errors);
  const condition: SigmaCondition = parsed.length === 1 ? parsed[0] : { op: "or", args: parsed };
  const logsourceOf = options.logsource ?? cachedLogsource;
  const lsEntries = Object.entries(logsource) as Array<[keyof EventLogsource, string]>;
  const appliesTo = (e: LogEvent) => {
    if (lsEntries.length === 0) return true;
    const els = logsourceOf(e);
    return lsEntries.every(([k, v]) => els[k].includes(v));
  };
  // The condition compiled to closures (no per-event allocation); same semantics as evaluateSigmaCondition.
  const compileCond = (c: SigmaCondition): ((e: LogEvent) => boolean) => {
    switch (c.op) {
      case "ref":
        return selections.get(c.name)!;
      case "not": {
        const f = compileCond(c.arg);
        return (e) => !f(e);
      }
      case "and": {
        const fs = c.args.map(compileCond);
        return (e) => fs.every((f) => f(e));
      }
      case "or": {
        const fs = c.args.map(compileCond);
        return (e) => fs.some((f) => f(e));
      }
      case "of": {
        const fs = c.names.map((n) => selections.get(n)!);
        if (c.quantifier === "all") return (e) => fs.every((f) => f(e));
        const q = c.quantifier;
        return (e) => {
          let k = 0;
          for (const f of fs) if (f(e) && ++k >= q) return true;
          return false;
        };
      }
    }
  };
  const matchesDetection = compileCond(condition);
  return {
    kind: "detection",
    ...meta,
    logsource,
    condition,
    fields: [...fieldSet],
    requiredFields: [...required],
    unmappedFields: [...unmapped],
    appliesTo,
    matchesDetection,
    matches: (e) => appliesTo(e) && matchesDetection(e),
  };
}
