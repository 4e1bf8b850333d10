/**
 * Drain, the online log-template miner of He et al. (ICWS 2017), with the behaviour of Drain3 (logpai/Drain3,
 * drain3/drain.py, template_miner.py, masking.py): the same options and defaults, the same tree, the same
 * matching, masking, parameter extraction and state that survives a restart.
 *
 * How a message is learnt (`add`), as Drain3's `TemplateMiner.add_log_message`:
 * 1. **Masking**: each mask's regex, in order, replaces its matches with `<NAME>` (`maskPrefix + name +
 *    maskSuffix`), e.g. `<IP>`, `<NUM>`; later masks see the earlier replacements.
 * 2. **Tokens**: the masked text is trimmed, every `extraDelimiters` string becomes a space, and it is split on
 *    whitespace (Python's `str.split()` whitespace set).
 * 3. **Tree search**: the root's child for the token count, then one level per leading token, at most
 *    `depth - 3` tokens (Drain3's `max_node_depth = depth - 2` counts the length layer) and never the last
 *    token; at each level the token's own child, else the wildcard child `<*>` (the wildcard-branch fallback),
 *    else no match. In the leaf, the template with the highest share of equal tokens (a `<*>` counts as
 *    unequal; ties go to the template with more `<*>`, then to the earlier) is taken if that share is at least
 *    `similarityThreshold`; tokens that differ become `<*>`.
 * 4. **New template** otherwise, added down the tree: a token with a digit goes to the wildcard child (when
 *    `parametrizeNumericTokens`); a node with `maxChildren` children sends new tokens to its wildcard child.
 *    With `maxClusters`, the least recently used template is forgotten when a new one would exceed it.
 *
 * `match` finds a template without learning (similarity 1 with `<*>` counted as equal, Drain3's `match` and
 * its `full_search_strategy`); `extractParameters` returns a message's variable values under a template, each
 * with its mask name (Drain3's `extract_parameters`); `toJSON` / `Drain.fromJSON` and `save` / `Drain.load`
 * keep the whole state (options, masks, templates, tree, LRU order), so mining continues after a restart with
 * the results it would have given without one.
 *
 * Where siemlab differs from Drain3, on purpose: a `<*>` parameter is extracted as one whitespace-free token
 * (`\S+`, Drain3 `.+?`: a Drain wildcard always stands for one token, and `\S+` cannot backtrack
 * catastrophically); the message is trimmed before parameter extraction; `extraDelimiters` are plain strings
 * in extraction too (Drain3 treats them as regexes there); a digit is any Unicode decimal digit (`\p{Nd}`).
 */
import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import type { LogEvent } from "../events";
import { ModelFileError, OptionError } from "../errors";
import { checkOptions, didYouMean, type OptionKeys } from "../options";
import { readModelFile, writeModelFile } from "../model-file-format";

/** Every option name of {@link DrainOptions} (unknown names fail with a suggestion). */
const DRAIN_OPTIONS_KEYS: OptionKeys<DrainOptions> = {
  depth: true,
  similarityThreshold: true,
  maxChildren: true,
  maxClusters: true,
  extraDelimiters: true,
  masks: true,
  maskPrefix: true,
  maskSuffix: true,
  parametrizeNumericTokens: true,
};

/** The wildcard that stands for a variable token in a template, with the default mask prefix and suffix. */
export const WILDCARD = "<*>";

/** A named mask (Drain3's MaskingInstruction: `regex_pattern` and `mask_with`): every match becomes `<name>`. */
export interface DrainMask {
  /** The mask name written into templates between `maskPrefix` and `maskSuffix`, e.g. "IP" → `<IP>`. */
  readonly name: string;
  /** What to mask; applied to the whole message (a `g` flag is added when missing). */
  readonly pattern: RegExp;
}

/**
 * Default masks, applied in this order: IPv4 and (loosely) IPv6 addresses → `<IP>`, `0x…` literals and hex ids
 * of 8+ characters mixing digits and a–f → `<HEX>`, absolute paths → `<PATH>`, numbers (integer or decimal,
 * with a sign after a non-alphanumeric character) → `<NUM>`. Boundaries as Drain3's example masks: a match
 * is not preceded or followed by a letter or digit, so `ssh2` and `test9` stay, `sshd[24206]` becomes
 * `sshd[<NUM>]` and `1.2.3.4:22` becomes `<IP>:<NUM>`.
 */
export const DEFAULT_DRAIN_MASKS: readonly DrainMask[] = [
  { name: "IP", pattern: /(?<![A-Za-z0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![A-Za-z0-9])/g },
  { name: "IP", pattern: /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}(?::?[0-9a-fA-F]{1,4})(?![\w:])/g },
  { name: "HEX", pattern: /(?<![A-Za-z0-9])0x[0-9a-fA-F]+(?![A-Za-z0-9])/g },
  { name: "HEX", pattern: /\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g },
  { name: "PATH", pattern: /(?<![\w.])(?:\/[\w.\-~%+@]+)+\/?/g },
  { name: "NUM", pattern: /(?<![A-Za-z0-9])[-+]?\d+(?:\.\d+)?(?![A-Za-z0-9])/g },
];

/** Options of {@link Drain} (Drain3's names in camelCase; its defaults). */
export interface DrainOptions {
  /**
   * Drain3's `depth`: levels of the tree counting the root (1), the token-count layer (2) and the leaf; at
   * `depth` d, messages are routed by their first d − 3 tokens. At least 3. Default: 4 (one leading token).
   */
  readonly depth?: number;
  /** Share of equal tokens (a `<*>` counts as unequal) needed to join a template, in [0, 1]. Default: 0.4. */
  readonly similarityThreshold?: number;
  /** Children of a tree node before new tokens go to its wildcard child; at least 2. Default: 100. */
  readonly maxChildren?: number;
  /** Templates kept; beyond it the least recently used is forgotten (Drain3's `max_clusters`). Default: unlimited. */
  readonly maxClusters?: number;
  /** Strings that separate tokens besides whitespace, e.g. ["_", "="]. Default: []. */
  readonly extraDelimiters?: readonly string[];
  /**
   * Named masks applied in order before tokenising; a bare RegExp is a mask named "*" (its matches become
   * `<*>`); false for none. Default: {@link DEFAULT_DRAIN_MASKS}.
   */
  readonly masks?: readonly (DrainMask | RegExp)[] | false;
  /** Written before a mask name and before `*`. Default: "<". */
  readonly maskPrefix?: string;
  /** Written after a mask name and after `*`. Default: ">". */
  readonly maskSuffix?: string;
  /** Route tokens that contain a digit to the wildcard branch when adding a template. Default: true. */
  readonly parametrizeNumericTokens?: boolean;
}

/** A mined template: id (1-based, in order of discovery), its text and how many messages it took. */
export interface DrainTemplate {
  readonly id: number;
  readonly template: string;
  readonly count: number;
}

/** What {@link Drain.add} did with a message (Drain3's `change_type`). */
export type DrainChangeType = "cluster_created" | "cluster_template_changed" | "none";

/** The result of {@link Drain.add}. */
export interface DrainAddResult {
  /** Id of the template the message joined or created. */
  readonly templateId: number;
  /** The template text after this message. */
  readonly template: string;
  /** True when the message created the template. */
  readonly isNew: boolean;
  /** "cluster_created", "cluster_template_changed" (a token became `<*>`) or "none". */
  readonly changeType: DrainChangeType;
  /** Messages the template has taken, this one included. */
  readonly clusterSize: number;
  /** Templates known after this message. */
  readonly clusterCount: number;
}

/** When {@link Drain.match} searches every template of the message's length (Drain3's `full_search_strategy`). */
export type DrainFullSearchStrategy = "never" | "fallback" | "always";

/** Options of {@link Drain.match}. */
export interface DrainMatchOptions {
  /**
   * 'never': the tree search only (fastest; can miss a template on another branch); 'fallback': every
   * template of the same token count when the tree search finds none; 'always': every template of the same
   * token count, the one with fewest `<*>` among perfect matches. Default: 'never' (as Drain3).
   */
  readonly fullSearchStrategy?: DrainFullSearchStrategy;
}

/** Options of {@link Drain.extractParameters}. */
export interface DrainExtractOptions {
  /**
   * True: a `<NAME>` parameter must match one of that mask's patterns, `<*>` one token (as Drain3's
   * `exact_matching=True`); false: any text (`.+?`) for every parameter. Default: true.
   */
  readonly exactMatching?: boolean;
}

/** A variable value of a message under its template (Drain3's ExtractedParameter). */
export interface ExtractedParameter {
  /** The text of the message at the parameter's place. */
  readonly value: string;
  /** The mask name of the parameter ("IP", "NUM"…), or "*" for a `<*>`. */
  readonly maskName: string;
}

/** The whole state of a Drain miner as plain JSON (see {@link Drain.toJSON}). */
export interface DrainState {
  readonly format: "siemlab-drain";
  readonly version: 1;
  readonly options: {
    readonly depth: number;
    readonly similarityThreshold: number;
    readonly maxChildren: number;
    readonly maxClusters: number | null;
    readonly extraDelimiters: readonly string[];
    readonly masks: readonly { readonly name: string; readonly source: string; readonly flags: string }[];
    readonly maskPrefix: string;
    readonly maskSuffix: string;
    readonly parametrizeNumericTokens: boolean;
  };
  /** Ids handed out so far. */
  readonly clustersCounter: number;
  /** Live templates, least recently used first. */
  readonly clusters: readonly { readonly id: number; readonly tokens: readonly string[]; readonly size: number }[];
  /** The prefix tree: `[token-count key, node]` pairs of the root, each node `{ clusterIds, children }`. */
  readonly tree: readonly (readonly [string, DrainTreeNodeState])[];
}

/** One node of {@link DrainState.tree}. */
export interface DrainTreeNodeState {
  readonly clusterIds: readonly number[];
  readonly children: readonly (readonly [string, DrainTreeNodeState])[];
}

interface Cluster {
  readonly id: number;
  tokens: string[];
  size: number;
}

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  clusterIds: number[];
}

interface CompiledMask {
  readonly name: string;
  readonly regex: RegExp;
}

interface ExtractionRegex {
  readonly regex: RegExp;
  /** Mask name of each capture group, in order of appearance. */
  readonly groups: readonly { readonly group: string; readonly maskName: string }[];
}

/** Python's `str.split()` / `str.strip()` whitespace (JS `\s` without U+FEFF, with U+001C–U+001F and U+0085). */
const PY_SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
/** One character of {@link PY_SPACE}. */
const PY_SPACE_CHAR = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** Python's `str.strip()` (a loop, not a `\s+$` regex, which backtracks quadratically on long inner runs). */
function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE_CHAR.test(s[a])) a++;
  while (b > a && PY_SPACE_CHAR.test(s[b - 1])) b--;
  return s.slice(a, b);
}
const HAS_DIGIT = /\p{Nd}/u;
/** Drain3's parameter-extraction regex cache size (`parameter_extraction_cache_capacity`). */
const EXTRACTION_CACHE = 3000;

const newNode = (): TreeNode => ({ children: new Map(), clusterIds: [] });
/** Escapes RegExp syntax characters (valid with and without the `u` flag). */
const escapeRegExp = (s: string): string => s.replace(/[\^$\\.*+?()[\]{}|/]/g, "\\$&");

function compileMask(m: DrainMask | RegExp, i: number): CompiledMask {
  const mask: DrainMask = m instanceof RegExp ? { name: "*", pattern: m } : m;
  if (mask === null || typeof mask !== "object" || typeof mask.name !== "string" || mask.name === "" || !(mask.pattern instanceof RegExp)) {
    throw new OptionError(`Expected \`masks[${i}]\` to be { name: "IP", pattern: /…/g } or a RegExp, got ${String(m)}`);
  }
  const flags = mask.pattern.flags.replace(/[gy]/g, "") + "g";
  return { name: mask.name, regex: new RegExp(mask.pattern.source, flags) };
}

/**
 * Drain with Drain3's behaviour (see the module comment): `add` learns, `match` finds without learning,
 * `extractParameters` gives a message's variable values, `toJSON` / `fromJSON` / `save` / `load` persist it.
 *
 * @example
 * const d = new Drain();
 * d.add("user alice logged in").template;   // "user alice logged in"
 * d.add("user bob logged in").template;     // "user <*> logged in"
 * d.add("Failed password for root from 1.2.3.4 port 22 ssh2").template // "Failed password for root from <IP> port <NUM> ssh2"
 * d.extractParameters("user <*> logged in", "user carol logged in"); // [{ value: "carol", maskName: "*" }]
 */
export class Drain {
  readonly depth: number;
  readonly similarityThreshold: number;
  readonly maxChildren: number;
  /** Templates kept (least recently used forgotten beyond it); undefined = unlimited. */
  readonly maxClusters: number | undefined;
  readonly extraDelimiters: readonly string[];
  readonly maskPrefix: string;
  readonly maskSuffix: string;
  readonly parametrizeNumericTokens: boolean;
  /** The wildcard token: `maskPrefix + "*" + maskSuffix` ("<*>" by default). */
  readonly paramStr: string;
  private readonly masks: readonly CompiledMask[];
  private root: TreeNode = newNode();
  /** Live templates by id, least recently used first (the LRU order matters only with maxClusters). */
  private idToCluster = new Map<number, Cluster>();
  private clustersCounter = 0;
  private readonly extraction = new Map<string, ExtractionRegex>();

  constructor(options: DrainOptions = {}) {
    checkOptions(options, DRAIN_OPTIONS_KEYS, "Drain");
    this.depth = options.depth ?? 4;
    this.similarityThreshold = options.similarityThreshold ?? 0.4;
    this.maxChildren = options.maxChildren ?? 100;
    this.maxClusters = options.maxClusters;
    this.extraDelimiters = [...(options.extraDelimiters ?? [])];
    this.maskPrefix = options.maskPrefix ?? "<";
    this.maskSuffix = options.maskSuffix ?? ">";
    this.parametrizeNumericTokens = options.parametrizeNumericTokens ?? true;
    if (!Number.isInteger(this.depth) || this.depth < 3) {
      throw new OptionError(`Expected \`depth\` to be an integer ≥ 3 (Drain3's depth: 4 routes by the first token), got ${String(this.depth)}`);
    }
    if (typeof this.similarityThreshold !== "number" || !(this.similarityThreshold >= 0 && this.similarityThreshold <= 1)) {
      throw new OptionError(`Expected \`similarityThreshold\` to be in [0, 1], got ${String(this.similarityThreshold)}`);
    }
    if (!Number.isInteger(this.maxChildren) || this.maxChildren < 2) {
      throw new OptionError(`Expected \`maxChildren\` to be an integer ≥ 2, got ${String(this.maxChildren)}`);
    }
    if (this.maxClusters !== undefined && !(Number.isInteger(this.maxClusters) && this.maxClusters >= 1)) {
      throw new OptionError(`Expected \`maxClusters\` to be an integer ≥ 1 (or left out for no limit), got ${String(this.maxClusters)}`);
    }
    if (!Array.isArray(this.extraDelimiters) || this.extraDelimiters.some((s) => typeof s !== "string" || s === "")) {
      throw new OptionError(`Expected \`extraDelimiters\` to be an array of non-empty strings, e.g. ["_", "="], got ${JSON.stringify(options.extraDelimiters)}`);
    }
    if (typeof this.maskPrefix !== "string" || typeof this.maskSuffix !== "string") {
      throw new OptionError(`Expected \`maskPrefix\` and \`maskSuffix\` to be strings, got ${JSON.stringify(options.maskPrefix)} and ${JSON.stringify(options.maskSuffix)}`);
    }
    if (typeof this.parametrizeNumericTokens !== "boolean") {
      throw new OptionError(`Expected \`parametrizeNumericTokens\` to be true or false, got ${String(options.parametrizeNumericTokens)}`);
    }
    this.paramStr = `${this.maskPrefix}*${this.maskSuffix}`;
    const masks = options.masks === false ? [] : (options.masks ?? DEFAULT_DRAIN_MASKS);
    if (!Array.isArray(masks)) throw new OptionError(`Expected \`masks\` to be an array of { name, pattern } masks or false, got ${String(masks)}`);
    this.masks = masks.map(compileMask);
  }

  /** The message with every mask applied in order (Drain3's `LogMasker.mask`), e.g. "port <NUM>". */
  mask(message: string): string {
    let s = message;
    for (const m of this.masks) {
      const text = this.maskPrefix + m.name + this.maskSuffix;
      s = s.replace(m.regex, () => text);
    }
    return s;
  }

  /** Masks and splits a message into tokens (trimmed, extra delimiters → spaces, split on whitespace). */
  tokenize(message: string): string[] {
    let s = pyStrip(this.mask(message));
    for (const d of this.extraDelimiters) s = s.split(d).join(" ");
    return s === "" ? [] : s.split(PY_SPACE).filter((t) => t !== "");
  }

  /** Number of templates known (after any `maxClusters` eviction). */
  get clusterCount(): number {
    return this.idToCluster.size;
  }

  /**
   * Learns from one message: joins the most similar template of its tree leaf (generalising differing tokens to
   * `<*>`) or creates a template. Returns the template id and text after this message, whether it is new,
   * Drain3's change type, the template's size and the number of templates.
   *
   * @example
   * const d = new Drain();
   * d.add("connected to 10.0.0.1").changeType;   // "cluster_created"
   * d.add("connected to 192.168.0.1").template;  // "connected to <IP>"
   */
  add(message: string): DrainAddResult {
    const tokens = this.tokenize(message);
    let cluster = this.treeSearch(tokens, this.similarityThreshold, false);
    let changeType: DrainChangeType;
    if (cluster === undefined) {
      cluster = { id: ++this.clustersCounter, tokens: tokens.slice(), size: 1 };
      this.putCluster(cluster);
      this.addToTree(cluster);
      changeType = "cluster_created";
    } else {
      let changed = false;
      const t = cluster.tokens;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== tokens[i] && t[i] !== this.paramStr) {
          t[i] = this.paramStr;
          changed = true;
        }
      }
      changeType = changed ? "cluster_template_changed" : "none";
      cluster.size++;
      // Touch: the template becomes the most recently used.
      this.idToCluster.delete(cluster.id);
      this.idToCluster.set(cluster.id, cluster);
    }
    return {
      templateId: cluster.id,
      template: cluster.tokens.join(" "),
      isNew: changeType === "cluster_created",
      changeType,
      clusterSize: cluster.size,
      clusterCount: this.idToCluster.size,
    };
  }

  /**
   * The template a message fits exactly (every token equal or under a `<*>` / mask), without learning from it
   * and without changing any template; undefined when none fits (Drain3's `match`, similarity 1).
   *
   * @example
   * const d = new Drain();
   * d.add("aa aa aa"); d.add("aa aa bb"); d.add("xx yy zz");
   * d.match("aa aa tt")?.templateId; // 1
   * d.match("xx yy rr");             // undefined
   */
  match(message: string, options: DrainMatchOptions = {}): { readonly templateId: number; readonly template: string } | undefined {
    checkOptions(options, { fullSearchStrategy: true }, "Drain.match");
    const strategy = options.fullSearchStrategy ?? "never";
    if (strategy !== "never" && strategy !== "fallback" && strategy !== "always") {
      throw new OptionError(`Expected \`fullSearchStrategy\` to be 'never', 'fallback' or 'always', got ${JSON.stringify(strategy)}${didYouMean(String(strategy), ["never", "fallback", "always"], "'")}`);
    }
    const tokens = this.tokenize(message);
    const fullSearch = () => this.fastMatch(this.clusterIdsOfLength(tokens.length), tokens, 1, true);
    let c: Cluster | undefined;
    if (strategy === "always") c = fullSearch();
    else {
      c = this.treeSearch(tokens, 1, true);
      if (c === undefined && strategy === "fallback") c = fullSearch();
    }
    return c === undefined ? undefined : { templateId: c.id, template: c.tokens.join(" ") };
  }

  /**
   * The variable values of `message` under `template` (a template text from `add`), left to right, each with
   * its mask name ("*" for `<*>`), or undefined when the message does not fit the template (Drain3's
   * `extract_parameters`). With `exactMatching` (default) a `<NAME>` must match one of that mask's patterns.
   *
   * @example
   * const d = new Drain();
   * const { template } = d.add("user johndoe logged in 11 minutes ago");
   * template; // "user johndoe logged in <NUM> minutes ago"
   * d.extractParameters("user <*> logged in <NUM> minutes ago", "user johndoe logged in 11 minutes ago"); // [{ value: "johndoe", maskName: "*" }, { value: "11", maskName: "NUM" }]
   * d.extractParameters(template, "something else");  // undefined
   */
  extractParameters(template: string, message: string, options: DrainExtractOptions = {}): ExtractedParameter[] | undefined {
    checkOptions(options, { exactMatching: true }, "Drain.extractParameters");
    const exact = options.exactMatching ?? true;
    if (typeof exact !== "boolean") throw new OptionError(`Expected \`exactMatching\` to be true or false, got ${String(exact)}`);
    let text = message;
    for (const d of this.extraDelimiters) text = text.split(d).join(" ");
    text = pyStrip(text);
    const { regex, groups } = this.extractionRegex(template, exact);
    const m = regex.exec(text);
    if (m === null || m.groups === undefined) return undefined;
    const found = m.groups;
    return groups.map(({ group, maskName }) => ({ value: found[group], maskName }));
  }

  /** The current template text of an id; throws an OptionError for an unknown (or forgotten) id. */
  templateText(id: number): string {
    const c = this.idToCluster.get(id);
    if (!c) {
      const why = Number.isInteger(id) && id >= 1 && id <= this.clustersCounter ? " (forgotten: maxClusters is reached)" : "";
      throw new OptionError(`No template with id ${id}${why}; ids run from 1 to ${this.clustersCounter}`);
    }
    return c.tokens.join(" ");
  }

  /** All templates, by id (with `maxClusters`, only those still kept). */
  templates(): DrainTemplate[] {
    return [...this.idToCluster.values()].sort((a, b) => a.id - b.id).map((c) => ({ id: c.id, template: c.tokens.join(" "), count: c.size }));
  }

  /**
   * The whole state as plain JSON (options, masks as source and flags, templates in LRU order, the tree): what
   * `Drain.fromJSON` needs to continue mining with identical results.
   *
   * @example
   * const d = new Drain(); d.add("user alice logged in");
   * const copy = Drain.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
   * copy.add("user bob logged in").template; // "user <*> logged in"
   */
  toJSON(): DrainState {
    const nodeState = (n: TreeNode): DrainTreeNodeState => ({
      clusterIds: n.clusterIds.slice(),
      children: [...n.children].map(([k, c]) => [k, nodeState(c)] as const),
    });
    return {
      format: "siemlab-drain",
      version: 1,
      options: {
        depth: this.depth,
        similarityThreshold: this.similarityThreshold,
        maxChildren: this.maxChildren,
        maxClusters: this.maxClusters ?? null,
        extraDelimiters: [...this.extraDelimiters],
        masks: this.masks.map((m) => ({ name: m.name, source: m.regex.source, flags: m.regex.flags })),
        maskPrefix: this.maskPrefix,
        maskSuffix: this.maskSuffix,
        parametrizeNumericTokens: this.parametrizeNumericTokens,
      },
      clustersCounter: this.clustersCounter,
      clusters: [...this.idToCluster.values()].map((c) => ({ id: c.id, tokens: c.tokens.slice(), size: c.size })),
      tree: [...this.root.children].map(([k, c]) => [k, nodeState(c)] as const),
    };
  }

  /**
   * A miner from {@link toJSON}'s state. Throws an OptionError naming the problem for a state that is not a
   * complete siemlab Drain state.
   */
  static fromJSON(state: DrainState): Drain {
    const bad = (what: string): never => {
      throw new OptionError(`Not a siemlab Drain state: ${what}`);
    };
    if (state === null || typeof state !== "object" || state.format !== "siemlab-drain") bad('expected { format: "siemlab-drain", … } from drain.toJSON()');
    if (state.version !== 1) bad(`version ${JSON.stringify(state.version)}, this siemlab reads version 1`);
    const o = state.options;
    if (o === null || typeof o !== "object" || !Array.isArray(o.masks)) bad("no options");
    let masks: DrainMask[];
    try {
      masks = o.masks.map((m) => ({ name: m.name, pattern: new RegExp(m.source, m.flags) }));
    } catch (e) {
      return bad(`a mask does not compile (${(e as Error).message})`);
    }
    const d = new Drain({
      depth: o.depth,
      similarityThreshold: o.similarityThreshold,
      maxChildren: o.maxChildren,
      ...(o.maxClusters !== null ? { maxClusters: o.maxClusters } : {}),
      extraDelimiters: o.extraDelimiters,
      masks,
      maskPrefix: o.maskPrefix,
      maskSuffix: o.maskSuffix,
      parametrizeNumericTokens: o.parametrizeNumericTokens,
    });
    if (!Number.isInteger(state.clustersCounter) || state.clustersCounter < 0) bad("no clustersCounter");
    if (!Array.isArray(state.clusters) || !Array.isArray(state.tree)) bad("no clusters or tree");
    for (const c of state.clusters) {
      if (!(Number.isInteger(c?.id) && c.id >= 1 && c.id <= state.clustersCounter && Array.isArray(c.tokens) && c.tokens.every((t) => typeof t === "string") && Number.isInteger(c.size) && c.size >= 1)) {
        bad(`cluster ${JSON.stringify(c?.id)} is not { id, tokens, size }`);
      }
      if (d.idToCluster.has(c.id)) bad(`cluster id ${c.id} appears twice`);
      d.idToCluster.set(c.id, { id: c.id, tokens: c.tokens.slice(), size: c.size });
    }
    const readNode = (s: DrainTreeNodeState, depth: number): TreeNode => {
      if (depth > d.depth || s === null || typeof s !== "object" || !Array.isArray(s.clusterIds) || !Array.isArray(s.children)) bad("a tree node is not { clusterIds, children }");
      const n = newNode();
      n.clusterIds = s.clusterIds.map((id) => (Number.isInteger(id) && id >= 1 && id <= state.clustersCounter ? id : bad(`a tree node holds cluster id ${JSON.stringify(id)}`)));
      for (const entry of s.children) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string") bad("a tree edge is not [token, node]");
        n.children.set(entry[0], readNode(entry[1], depth + 1));
      }
      return n;
    };
    d.root = readNode({ clusterIds: [], children: state.tree }, 0);
    d.clustersCounter = state.clustersCounter;
    return d;
  }

  /**
   * Saves the miner's state to `path` in siemlab's model-file format (versioned, checksummed JSON written
   * atomically; see src/model-file-format.ts), to continue with `Drain.load(path)`.
   *
   * @example
   * const d = new Drain(); d.add("user alice logged in");
   * d.save("/tmp/drain.json");
   * Drain.load("/tmp/drain.json").add("user bob logged in").template; // "user <*> logged in"
   */
  save(path: string): void {
    writeModelFile(path, "drain", { parser: "drain", templates: this.idToCluster.size }, this.toJSON());
  }

  /**
   * Loads a miner saved by {@link save}. Throws a ModelFileError for a missing, truncated, corrupted or
   * edited file, another format version, or a detector's file.
   */
  static load(path: string): Drain {
    const { state } = readModelFile(path, "drain", { detector: "loadDetector(path)" });
    try {
      return Drain.fromJSON(state as DrainState);
    } catch (e) {
      throw new ModelFileError(`${path} is corrupted: ${(e as Error).message}; save the parser again`);
    }
  }

  // --- Drain3's tree ---------------------------------------------------------------------------------

  /** Inserts a new template, forgetting the least recently used one first when `maxClusters` is reached. */
  private putCluster(c: Cluster): void {
    if (this.maxClusters !== undefined && this.idToCluster.size >= this.maxClusters) {
      const oldest = this.idToCluster.keys().next().value as number;
      this.idToCluster.delete(oldest);
    }
    this.idToCluster.set(c.id, c);
  }

  /** Drain3's `tree_search`: the leaf for the tokens (own child, else wildcard child), then its best template. */
  private treeSearch(tokens: readonly string[], simTh: number, includeParams: boolean): Cluster | undefined {
    const n = tokens.length;
    let node = this.root.children.get(String(n));
    if (node === undefined) return undefined;
    if (n === 0) return this.idToCluster.get(node.clusterIds[0]);
    const maxNodeDepth = this.depth - 2;
    let depth = 1;
    for (const token of tokens) {
      if (depth >= maxNodeDepth || depth === n) break;
      const next: TreeNode | undefined = node.children.get(token) ?? node.children.get(this.paramStr);
      if (next === undefined) return undefined;
      node = next;
      depth++;
    }
    return this.fastMatch(node.clusterIds, tokens, simTh, includeParams);
  }

  /** Drain3's `fast_match`: the most similar template (ties: more `<*>`, then the earlier) if ≥ simTh. */
  private fastMatch(ids: readonly number[], tokens: readonly string[], simTh: number, includeParams: boolean): Cluster | undefined {
    let best: Cluster | undefined;
    let maxSim = -1;
    let maxParams = -1;
    for (const id of ids) {
      const c = this.idToCluster.get(id);
      if (c === undefined) continue;
      const t = c.tokens;
      let sim = 1;
      let params = 0;
      if (t.length > 0) {
        let same = 0;
        for (let i = 0; i < t.length; i++) {
          if (t[i] === this.paramStr) params++;
          else if (t[i] === tokens[i]) same++;
        }
        if (includeParams) same += params;
        sim = same / t.length;
      }
      if (sim > maxSim || (sim === maxSim && params > maxParams)) {
        maxSim = sim;
        maxParams = params;
        best = c;
      }
    }
    return maxSim >= simTh ? best : undefined;
  }

  /** Drain3's `add_seq_to_prefix_tree`. */
  private addToTree(cluster: Cluster): void {
    const tokens = cluster.tokens;
    const n = tokens.length;
    const key = String(n);
    let node = this.root.children.get(key);
    if (node === undefined) {
      node = newNode();
      this.root.children.set(key, node);
    }
    if (n === 0) {
      node.clusterIds = [cluster.id];
      return;
    }
    const maxNodeDepth = this.depth - 2;
    let depth = 1;
    for (const token of tokens) {
      if (depth >= maxNodeDepth || depth >= n) {
        node.clusterIds = [...node.clusterIds.filter((id) => this.idToCluster.has(id)), cluster.id];
        break;
      }
      const children: Map<string, TreeNode> = node.children;
      let next = children.get(token);
      if (next === undefined) {
        if (this.parametrizeNumericTokens && HAS_DIGIT.test(token)) next = this.childOrNew(children, this.paramStr);
        else if (children.has(this.paramStr)) {
          next = children.size < this.maxChildren ? this.childOrNew(children, token) : children.get(this.paramStr);
        } else if (children.size + 1 < this.maxChildren) next = this.childOrNew(children, token);
        else if (children.size + 1 === this.maxChildren) next = this.childOrNew(children, this.paramStr);
        else next = children.get(this.paramStr);
      }
      node = next as TreeNode;
      depth++;
    }
  }

  private childOrNew(children: Map<string, TreeNode>, key: string): TreeNode {
    let c = children.get(key);
    if (c === undefined) {
      c = newNode();
      children.set(key, c);
    }
    return c;
  }

  /** Ids of every template with `n` tokens (Drain3's `get_clusters_ids_for_seq_len`), in tree order. */
  private clusterIdsOfLength(n: number): number[] {
    const out: number[] = [];
    const visit = (node: TreeNode) => {
      out.push(...node.clusterIds);
      for (const c of node.children.values()) visit(c);
    };
    const top = this.root.children.get(String(n));
    if (top !== undefined) visit(top);
    return out;
  }

  /**
   * Drain3's `_get_template_parameter_extraction_regex`: the template escaped, each `<NAME>` a named group
   * of that mask's patterns (their own group names renamed, unnamed back-references relaxed), each `<*>` one
   * token, spaces `\s+`, anchored. Cached (3,000 templates, oldest dropped first).
   */
  private extractionRegex(template: string, exact: boolean): ExtractionRegex {
    const key = `${exact ? 1 : 0}\u0000${template}`;
    const hit = this.extraction.get(key);
    if (hit !== undefined) return hit;
    const names = new Set<string>(this.masks.map((m) => m.name));
    names.add("*");
    const marks = [...names].map((name) => ({ name, text: this.maskPrefix + name + this.maskSuffix })).sort((a, b) => b.text.length - a.text.length);
    let unicode = false;
    let counter = 0;
    const groups: { group: string; maskName: string }[] = [];
    const capture = (maskName: string): string => {
      const alternatives: string[] = [];
      if (exact) {
        for (const m of this.masks) {
          if (m.name !== maskName) continue;
          if (m.regex.unicode) unicode = true;
          let source = m.regex.source;
          for (const g of source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)) {
            const renamed = `p_${counter++}`;
            source = source.split(`(?<${g[1]}>`).join(`(?<${renamed}>`).split(`\\k<${g[1]}>`).join(`\\k<${renamed}>`);
          }
          alternatives.push(source.replace(/\\[1-9]\d?/g, "(?:.+?)"));
        }
        if (maskName === "*") alternatives.push("\\S+");
      } else alternatives.push(".+?");
      const group = `p_${counter++}`;
      groups.push({ group, maskName });
      return `(?<${group}>${alternatives.join("|")})`;
    };
    let out = "";
    let i = 0;
    let literal = "";
    const flush = () => {
      out += literal.split(" ").map(escapeRegExp).join("\\s+");
      literal = "";
    };
    while (i < template.length) {
      const mark = marks.find((m) => m.text !== "" && template.startsWith(m.text, i));
      if (mark === undefined) {
        literal += template[i++];
        continue;
      }
      flush();
      out += capture(mark.name);
      i += mark.text.length;
    }
    flush();
    const entry: ExtractionRegex = { regex: new RegExp(`^${out}$`, unicode ? "u" : ""), groups };
    if (this.extraction.size >= EXTRACTION_CACHE) this.extraction.delete(this.extraction.keys().next().value as string);
    this.extraction.set(key, entry);
    return entry;
  }
}

/** Result of {@link mineTemplates}: a template id per message and the final templates. */
export interface MinedTemplates {
  /** Template id of each input message, in input order. */
  readonly templateIds: Int32Array;
  /** Final templates by id (id i is at index i - 1; with `maxClusters`, only those kept, by id). */
  readonly templates: DrainTemplate[];
  /** The miner, to match or learn from more messages. */
  readonly drain: Drain;
}

/**
 * Mine templates from messages (strings, or events whose `message` is used) in one pass.
 *
 * @example
 * const { templateIds, templates } = mineTemplates(["user alice logged in", "user bob logged in", "disk full"]);
 * Array.from(templateIds); // [1, 1, 2]
 * templates[0].template;   // "user <*> logged in"
 */
export function mineTemplates(messages: readonly (string | LogEvent)[], options: DrainOptions = {}): MinedTemplates {
  checkOptions(options, DRAIN_OPTIONS_KEYS, "mineTemplates");
  const drain = new Drain(options);
  const ids = new Int32Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    ids[i] = drain.add(typeof m === "string" ? m : m.message).templateId;
  }
  return { templateIds: ids, templates: drain.templates(), drain };
}

/**
 * Templates as a Danfo DataFrame (id, count, template), most frequent first, for display.
 *
 * @example
 * templatesToDataFrame(mineTemplates(lines).templates).print();
 */
export function templatesToDataFrame(templates: readonly DrainTemplate[]): dfd.DataFrame {
  const sorted = [...templates].sort((a, b) => b.count - a.count || a.id - b.id);
  return new (lazyDanfo().DataFrame)(
    { id: sorted.map((t) => t.id), count: sorted.map((t) => t.count), template: sorted.map((t) => t.template) },
    { columns: ["id", "count", "template"] },
  );
}
