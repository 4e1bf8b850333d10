import type * as dfd from "danfojs-node";
import { lazyDanfo } from "../lazy-danfo";
import type { LogEvent } from "../events";
import { OptionError } from "../errors";

/** The wildcard that stands for a variable token in a template. */
export const WILDCARD = "<*>";

/** Default masks, applied in order before tokenising: each match becomes `<*>`. */
export const DEFAULT_DRAIN_MASKS: readonly RegExp[] = [
  /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, // IPv4 (with port)
  /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}(?::?[0-9a-fA-F]{1,4})(?![\w:])/g, // IPv6 (loose)
  /\b0x[0-9a-fA-F]+\b/g, // hex literals
  /\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, // hex ids (mixing digits and a-f)
  /(?<![\w.])(?:\/[\w.\-~%+@]+)+\/?/g, // absolute paths
  /(?<![\w.\-])[-+]?\d+(?:\.\d+)?(?![\w.])/g, // numbers
];

export interface DrainOptions {
  /** Depth of the parse tree (root + length layer + depth-2 token layers). At least 3. Default: 4. */
  readonly depth?: number;
  /** Similarity (share of equal non-wildcard tokens) needed to join a template, in [0, 1]. Default: 0.4. */
  readonly similarityThreshold?: number;
  /** Children per tree node before new tokens go to a wildcard child. Default: 100. */
  readonly maxChildren?: number;
  /** Masks applied before tokenising (each match → `<*>`); false for none. Default: {@link DEFAULT_DRAIN_MASKS}. */
  readonly masks?: readonly RegExp[] | false;
}

/** A mined template: id (1-based, in order of discovery), its text and how many messages it took. */
export interface DrainTemplate {
  readonly id: number;
  readonly template: string;
  readonly count: number;
}

interface Cluster {
  id: number;
  tokens: string[];
  count: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

const hasDigit = (s: string) => /\d/.test(s);

/**
 * Drain, the online log-template miner of He et al. (ICWS 2017), as in drain3: messages are masked (IPs,
 * numbers, hex ids, paths → `<*>`), split on whitespace, routed down a fixed-depth tree by token count
 * and leading tokens, then joined to the most similar template of the leaf when the share of equal
 * tokens reaches `similarityThreshold` (the template's differing tokens become `<*>`), else they start a
 * new template. Ids are stable; template texts only get more general.
 *
 * @example
 * const d = new Drain();
 * d.add("Failed password for root from 1.2.3.4 port 22 ssh2");
 * d.add("Failed password for admin from 5.6.7.8 port 2222 ssh2").template // "Failed password for <*> from <*> port <*> ssh2"
 */
export class Drain {
  readonly depth: number;
  readonly similarityThreshold: number;
  readonly maxChildren: number;
  private readonly masks: readonly RegExp[];
  private readonly root: TreeNode = { children: new Map(), clusters: [] };
  private readonly clusters: Cluster[] = [];

  constructor(options: DrainOptions = {}) {
    this.depth = options.depth ?? 4;
    this.similarityThreshold = options.similarityThreshold ?? 0.4;
    this.maxChildren = options.maxChildren ?? 100;
    if (!Number.isInteger(this.depth) || this.depth < 3) throw new OptionError(`Expected \`depth\` to be an integer ≥ 3, got ${String(this.depth)}`);
    if (!(this.similarityThreshold >= 0 && this.similarityThreshold <= 1)) {
      throw new OptionError(`Expected \`similarityThreshold\` to be in [0, 1], got ${String(this.similarityThreshold)}`);
    }
    if (!Number.isInteger(this.maxChildren) || this.maxChildren < 2) {
      throw new OptionError(`Expected \`maxChildren\` to be an integer ≥ 2, got ${String(this.maxChildren)}`);
    }
    const masks = options.masks === false ? [] : options.masks ?? DEFAULT_DRAIN_MASKS;
    this.masks = masks.map((m) => (m.global ? m : new RegExp(m.source, m.flags + "g")));
  }

  /** Mask and split a message into tokens. */
  tokenize(message: string): string[] {
    let s = message;
    for (const m of this.masks) s = s.replace(m, WILDCARD);
    const tokens = s.split(/\s+/).filter((t) => t !== "");
    return tokens;
  }

  private leafFor(tokens: string[], create: boolean): TreeNode | undefined {
    const lengthKey = String(tokens.length);
    let node: TreeNode | undefined = this.root.children.get(lengthKey);
    if (!node) {
      if (!create) return undefined;
      node = { children: new Map(), clusters: [] };
      this.root.children.set(lengthKey, node);
    }
    const layers = Math.min(this.depth - 2, tokens.length);
    for (let i = 0; i < layers; i++) {
      const tok = tokens[i];
      const key = hasDigit(tok) ? WILDCARD : tok;
      let next: TreeNode | undefined = node.children.get(key);
      if (!next) {
        if (!create) {
          next = node.children.get(WILDCARD);
          if (!next) return undefined;
        } else {
          // drain3's rule: a new token gets its own child while there is room, else the wildcard child.
          const size = node.children.size;
          const hasWild = node.children.has(WILDCARD);
          const own = key !== WILDCARD && (hasWild ? size < this.maxChildren : size + 1 < this.maxChildren);
          const target = own ? key : WILDCARD;
          next = node.children.get(target);
          if (!next) {
            next = { children: new Map(), clusters: [] };
            node.children.set(target, next);
          }
        }
      }
      node = next;
    }
    return node;
  }

  private bestCluster(leaf: TreeNode, tokens: string[], threshold: number): Cluster | undefined {
    let best: Cluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    for (const c of leaf.clusters) {
      let same = 0;
      let params = 0;
      const t = c.tokens;
      for (let i = 0; i < t.length; i++) {
        if (t[i] === WILDCARD) params++;
        else if (t[i] === tokens[i]) same++;
      }
      const sim = same / t.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    return best !== undefined && bestSim >= threshold ? best : undefined;
  }

  /**
   * Learn from one message: returns its template id, the template text as it stands after this message,
   * and whether the template is new.
   */
  add(message: string): { readonly templateId: number; readonly template: string; readonly isNew: boolean } {
    const tokens = this.tokenize(message);
    if (tokens.length === 0) tokens.push("");
    const leaf = this.leafFor(tokens, true) as TreeNode;
    const c = this.bestCluster(leaf, tokens, this.similarityThreshold);
    if (c) {
      for (let i = 0; i < c.tokens.length; i++) if (c.tokens[i] !== tokens[i]) c.tokens[i] = WILDCARD;
      c.count++;
      return { templateId: c.id, template: c.tokens.join(" "), isNew: false };
    }
    const cluster: Cluster = { id: this.clusters.length + 1, tokens: tokens.slice(), count: 1 };
    this.clusters.push(cluster);
    leaf.clusters.push(cluster);
    return { templateId: cluster.id, template: tokens.join(" "), isNew: true };
  }

  /** Find the template a message fits without learning from it (similarity ≥ threshold), or undefined. */
  match(message: string): { readonly templateId: number; readonly template: string } | undefined {
    const tokens = this.tokenize(message);
    if (tokens.length === 0) tokens.push("");
    const leaf = this.leafFor(tokens, false);
    const c = leaf && this.bestCluster(leaf, tokens, this.similarityThreshold);
    return c ? { templateId: c.id, template: c.tokens.join(" ") } : undefined;
  }

  /** The current template text of an id. */
  templateText(id: number): string {
    const c = this.clusters[id - 1];
    if (!c) throw new OptionError(`No template with id ${id}; ids run from 1 to ${this.clusters.length}`);
    return c.tokens.join(" ");
  }

  /** All templates, by id. */
  templates(): DrainTemplate[] {
    return this.clusters.map((c) => ({ id: c.id, template: c.tokens.join(" "), count: c.count }));
  }
}

/** Result of {@link mineTemplates}: a template id per message and the final templates. */
export interface MinedTemplates {
  /** Template id of each input message, in input order. */
  readonly templateIds: Int32Array;
  /** Final templates by id (id i is at index i - 1). */
  readonly templates: DrainTemplate[];
  /** The miner, to match or learn from more messages. */
  readonly drain: Drain;
}

/**
 * Mine templates from messages (strings, or events whose `message` is used) in one pass.
 *
 * @example
 * const { templateIds, templates } = mineTemplates(parseLogLines(text).events);
 * templatesToDataFrame(templates).print();
 */
export function mineTemplates(messages: readonly (string | LogEvent)[], options: DrainOptions = {}): MinedTemplates {
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
