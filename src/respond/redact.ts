import { isIP } from "node:net";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link RedactorOptions} (unknown names fail with a suggestion). */
const REDACTOR_OPTIONS_KEYS: OptionKeys<RedactorOptions> = { entities: true, users: true, secrets: true, patterns: true };

export interface RedactorOptions {
  /** Replace IP addresses and the given usernames with stable placeholders (IP_1, USER_1, …). Default: true. */
  readonly entities?: boolean;
  /** Usernames to replace with placeholders (IPs are found by parsing). Default: none. */
  readonly users?: readonly string[];
  /** Literal secret values to remove wherever they appear (e.g. an API key). Default: none. */
  readonly secrets?: readonly string[];
  /** Extra patterns whose matches become `[REDACTED]`. Default: none. */
  readonly patterns?: readonly RegExp[];
}

/** Built-in secret patterns: key=value credentials, bearer tokens, cloud/API keys, JWTs, URL passwords, key blocks. */
export const SECRET_PATTERNS: readonly { readonly name: string; readonly re: RegExp; readonly replace: string }[] = [
  { name: "private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, replace: "[REDACTED_PRIVATE_KEY]" },
  { name: "url credentials", re: /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, replace: "$1[REDACTED]@" },
  { name: "bearer token", re: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: "$1 [REDACTED]" },
  {
    name: "key=value credential",
    re: /\b((?:password|passwd|pwd|pass|passphrase|secret|client_secret|token|access_token|refresh_token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|authorization|session|cookie)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
    replace: "$1[REDACTED]",
  },
  { name: "OpenAI-style key", re: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: "[REDACTED_KEY]" },
  { name: "AWS access key", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: "[REDACTED_KEY]" },
  { name: "GitHub token", re: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, replace: "[REDACTED_KEY]" },
  { name: "Slack token", re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, replace: "[REDACTED_KEY]" },
  { name: "JWT", re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: "[REDACTED_JWT]" },
  { name: "long hex secret", re: /\b[A-Fa-f0-9]{32,}\b/g, replace: "[REDACTED_HEX]" },
];

const IPV6_CANDIDATE = /[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/g;
const IPV4_CANDIDATE = /(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9])/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Removes secrets from text and, optionally, swaps IPs and usernames for stable placeholders (the same
 * value always gets the same placeholder, so an LLM can still reason about "IP_1 tried USER_1 and
 * USER_2"). `restore` puts the real values back into a reply, locally.
 *
 * @example
 * const r = new Redactor({ users: ["alice"] });
 * r.redact("Failed password for alice from 203.0.113.7 token=abc123") // "Failed password for USER_1 from IP_1 token=[REDACTED]"
 * r.restore("Block IP_1") // "Block 203.0.113.7"
 */
export class Redactor {
  private readonly entities: boolean;
  private readonly secrets: readonly string[];
  private readonly patterns: readonly RegExp[];
  private readonly users: readonly string[];
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();
  private counts = { IP: 0, USER: 0 };
  /** How many replacements each kind of rule made. */
  readonly stats: Record<string, number> = {};

  constructor(options: RedactorOptions = {}) {
    checkOptions(options, REDACTOR_OPTIONS_KEYS, "Redactor");
    this.entities = options.entities ?? true;
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    this.patterns = options.patterns ?? [];
    this.users = [...new Set(options.users ?? [])].filter((u) => u.length > 0).sort((a, b) => b.length - a.length);
  }

  private placeholder(kind: "IP" | "USER", value: string): string {
    const key = `${kind}\u0000${value}`;
    let p = this.forward.get(key);
    if (!p) {
      p = `${kind}_${++this.counts[kind]}`;
      this.forward.set(key, p);
      this.backward.set(p, value);
    }
    return p;
  }

  private bump(name: string, n: number): void {
    if (n > 0) this.stats[name] = (this.stats[name] ?? 0) + n;
  }

  /** Redact one string. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      const parts = out.split(s);
      this.bump("configured secret", parts.length - 1);
      out = parts.join("[REDACTED]");
    }
    for (const { name, re, replace } of SECRET_PATTERNS) {
      out = out.replace(re, (...m) => {
        this.bump(name, 1);
        return replace.replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? "");
      });
    }
    for (const re of this.patterns) {
      const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
      out = out.replace(g, () => {
        this.bump("custom pattern", 1);
        return "[REDACTED]";
      });
    }
    if (!this.entities) return out;
    // IPv6 first (it may embed an IPv4 tail), then IPv4 (also inside "10.0.0.1:22").
    out = out.replace(IPV6_CANDIDATE, (tok) => {
      const bare = tok.replace(/^[.:]+|[.:]+$/g, (edge) => (edge === "::" ? edge : ""));
      for (const cand of [tok, bare]) {
        if (cand.length >= 3 && isIP(cand)) {
          this.bump("ip", 1);
          return tok.replace(cand, this.placeholder("IP", cand.toLowerCase()));
        }
      }
      return tok;
    });
    out = out.replace(IPV4_CANDIDATE, (tok) => {
      if (isIP(tok) !== 4) return tok;
      this.bump("ip", 1);
      return this.placeholder("IP", tok);
    });
    for (const u of this.users) {
      const re = new RegExp(`(?<![A-Za-z0-9_.@-])${escapeRegExp(u)}(?![A-Za-z0-9_@-])`, "g");
      out = out.replace(re, () => {
        this.bump("user", 1);
        return this.placeholder("USER", u);
      });
    }
    return out;
  }

  /** Redact every string (values, not keys) inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as unknown as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as unknown as T;
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v);
      return out as T;
    }
    return value;
  }

  /** Put the real values back in place of the placeholders (secrets stay redacted). */
  restore(text: string): string {
    return text.replace(/\b(IP|USER)_(\d+)\b/g, (p) => this.backward.get(p) ?? p);
  }

  /** Placeholders handed out so far (without the values they stand for). */
  get placeholders(): string[] {
    return [...this.backward.keys()];
  }
}
