import { isIP } from "node:net";

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

/**
 * One built-in secret rule: a regular expression (global; every quantifier bounded or anchored by a
 * literal, so a long hostile line costs linear time) and what a match becomes. `replace` gets the match and
 * its groups and returns the replacement, or `undefined` to keep the match (e.g. `key=value` whose key is
 * not a secret's name).
 */
export interface SecretRule {
  readonly name: string;
  readonly re: RegExp;
  readonly replace: (match: string, groups: readonly (string | undefined)[], text: string, offset: number) => string | undefined;
}

// Names whose value is a secret: any name containing one of these (PGPASSWORD, AWS_SECRET_ACCESS_KEY,
// GITHUB_TOKEN, client_secret, db-passwd, MYSQL_PWD's "pwd" part, …).
const SECRET_NAME_PARTS = ["password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key", "accesskey", "access_key", "privatekey", "private_key", "credential", "signature"];
// Names that are secrets only as a whole word of the name (MYSQL_PWD, DB_PASS, pw=, auth=…); "PWD=" with a
// path is the working directory (sudo logs "PWD=/home/alice") and stays.
const SECRET_NAME_WORDS = new Set(["pass", "pw", "pwd", "auth", "authorization", "cookie", "session", "sessionid", "sid", "jwt", "otp", "pin", "key"]);
// With ":" as the separator only unambiguous names count ("pam_unix(sshd:auth): authentication failure" stays).
const STRONG_WORDS = new Set(["pass", "pw", "pwd", "cookie"]);

function secretName(name: string, sep: string, value = ""): boolean {
  const n = name.toLowerCase();
  if (SECRET_NAME_PARTS.some((p) => n.includes(p))) return true;
  const words = n.split(/[_.-]/);
  if (n === "pwd" && /^["']?[/~]/.test(value)) return false; // PWD=/home/alice: the working directory
  if (words.length === 1 && n === "key") return false; // "key=…" alone is usually an index, not a secret
  return sep.includes(":") ? words.some((w) => STRONG_WORDS.has(w)) : words.some((w) => SECRET_NAME_WORDS.has(w));
}

const VALUE = String.raw`"[^"\n]{0,512}"|'[^'\n]{0,512}'|[^\s,;&"'<>{}\[\]]{1,512}`;
const TOOLS_WITH_P = /(?:mysql|mysqldump|mysqladmin|mariadb|sshpass|mongo|mongosh|redis-cli|ldapsearch)\b/i;

/** Built-in secret rules, applied in order: key blocks, URL credentials, tokens, command-line and key=value forms. */
export const SECRET_PATTERNS: readonly SecretRule[] = [
  // The END line is found by a second search from the BEGIN line (see redact), not by a lazy scan per match.
  { name: "private key", re: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g, replace: () => "[REDACTED_PRIVATE_KEY]" },
  { name: "url credentials", re: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/@:]{0,256}):([^\s/@]{1,512})@/gi, replace: (_m, g) => `${g[0]}[REDACTED]@` },
  { name: "bearer token", re: /\b(Bearer|Basic|Token|Digest)(\s{1,8})([A-Za-z0-9._~+/=-]{8,4096})/gi, replace: (_m, g) => `${g[0]}${g[1]}[REDACTED]` },
  {
    name: "sshpass",
    re: /\bsshpass((?:\s{1,4}-[a-oq-zA-Z]{1,3}(?:\s{1,4}[^\s-]\S{0,64})?){0,4})\s{1,4}-p\s{0,4}("[^"\n]{0,512}"|'[^'\n]{0,512}'|\S{1,512})/g,
    replace: (_m, g) => `sshpass${g[0]} -p [REDACTED]`,
  },
  {
    name: "curl user:password",
    re: /(?<![\w-])(-u|-U|--user|--proxy-user)(=|\s{0,4})("?)([^\s:"'@]{0,128}):([^\s"']{1,512})\3/g,
    replace: (_m, g) => `${g[0]}${g[1]}${g[2]}${g[3]}:[REDACTED]${g[2]}`,
  },
  {
    name: "command-line password",
    re: new RegExp(String.raw`(?<![\w-])--([A-Za-z][\w-]{0,40})(=|\s{1,4})(${VALUE})`, "g"),
    replace: (m, g) => (secretName(g[0]!, "=") && !g[2]!.startsWith("-") ? `--${g[0]}${g[1]}[REDACTED]` : undefined),
  },
  {
    name: "-p password",
    re: /(?<![\w-])-p([^\s\d'"][^\s]{0,511}|\d[^\s]{0,511}|'[^'\n]{0,512}'|"[^"\n]{0,512}")/g,
    replace: (_m, g, text, offset) => {
      // "-p2222" is an ssh port; a glued -p value is a password for the database and sshpass tools.
      // A glued lower-case word is an option (-passin, -pipe); a number is a port (ssh -p2222) — unless a tool
      // that takes -p<password> comes before it on the line.
      const line = text.slice(Math.max(0, offset - 200), offset);
      const before = line.slice(line.lastIndexOf("\n") + 1);
      return /^(?:\d+|[a-z]+)$/.test(g[0]!) && !TOOLS_WITH_P.test(before) ? undefined : "-p[REDACTED]";
    },
  },
  {
    name: "key=value credential",
    re: new RegExp(String.raw`(?<![\w.-])([A-Za-z_][\w.-]{0,63})(["']?)(\s{0,3}[=:]\s{0,3})(${VALUE})`, "g"),
    replace: (_m, g) => (secretName(g[0]!, g[2]!, g[3]) ? `${g[0]}${g[1]}${g[2]}[REDACTED]` : undefined),
  },
  { name: "OpenAI-style key", re: /\bsk-[A-Za-z0-9_-]{16,512}/g, replace: () => "[REDACTED_KEY]" },
  { name: "Stripe-style key", re: /\b[spr]k_(?:live|test)_[A-Za-z0-9]{10,256}/g, replace: () => "[REDACTED_KEY]" },
  { name: "AWS access key", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: () => "[REDACTED_KEY]" },
  { name: "Google API key", re: /\bAIza[0-9A-Za-z_-]{35}/g, replace: () => "[REDACTED_KEY]" },
  { name: "GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})/g, replace: () => "[REDACTED_KEY]" },
  { name: "GitLab token", re: /\bglpat-[A-Za-z0-9_-]{20,255}/g, replace: () => "[REDACTED_KEY]" },
  { name: "npm token", re: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: () => "[REDACTED_KEY]" },
  { name: "Slack token", re: /\bxox[abprs]-[A-Za-z0-9-]{10,255}/g, replace: () => "[REDACTED_KEY]" },
  { name: "JWT", re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{0,4096}/g, replace: () => "[REDACTED_JWT]" },
  { name: "long hex secret", re: /\b[A-Fa-f0-9]{32,1024}\b/g, replace: () => "[REDACTED_HEX]" },
];

const PRIVATE_KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/** Replace every private-key block (BEGIN … END, or BEGIN to the end of the text when END is missing) in one pass. */
function redactKeyBlocks(text: string, rule: SecretRule, bump: (name: string, n: number) => void): string {
  const begin = new RegExp(rule.re.source, "g");
  let out = "";
  let at = 0;
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    PRIVATE_KEY_END.lastIndex = begin.lastIndex;
    const end = PRIVATE_KEY_END.exec(text);
    out += text.slice(at, m.index) + "[REDACTED_PRIVATE_KEY]";
    bump(rule.name, 1);
    at = end ? PRIVATE_KEY_END.lastIndex : text.length;
    begin.lastIndex = at;
  }
  return out + text.slice(at);
}

/**
 * Apply one rule left to right. A match the rule declines (e.g. `x: …` whose name is not a secret's) is
 * not consumed: the search resumes at its value, so `x: password=pw` still redacts `pw`. Every
 * quantifier is bounded, so this stays linear in the text length.
 */
function applyRule(text: string, rule: SecretRule, bump: (name: string, n: number) => void): string {
  const re = new RegExp(rule.re.source, rule.re.flags.includes("g") ? rule.re.flags : rule.re.flags + "g");
  let out = "";
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === "") {
      re.lastIndex++;
      continue;
    }
    const r = rule.replace(m[0], m.slice(1), text, m.index);
    if (r === undefined) {
      // Resume where the last group (the value) starts: a secret's name inside it still gets its chance.
      const last = m[m.length - 1] ?? "";
      re.lastIndex = Math.max(m.index + 1, m.index + m[0].length - last.length);
      continue;
    }
    bump(rule.name, 1);
    out += text.slice(at, m.index) + r;
    at = re.lastIndex;
  }
  return out + text.slice(at);
}

// Runs of characters an IP address can contain: one linear scan (a pattern with several unbounded parts
// around ':' would backtrack quadratically on a long run of hex digits).
const IP_RUN = /[0-9A-Fa-f:.]{2,}/g;
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

  /**
   * Redact one string: configured secrets, then the {@link SECRET_PATTERNS}, then custom patterns, then
   * (with `entities`) IPs and usernames. Linear in the text length for the built-in rules.
   */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      const parts = out.split(s);
      this.bump("configured secret", parts.length - 1);
      out = parts.join("[REDACTED]");
    }
    const bump = (name: string, n: number) => this.bump(name, n);
    for (const rule of SECRET_PATTERNS) {
      if (rule.name === "private key") {
        out = redactKeyBlocks(out, rule, bump);
        continue;
      }
      out = applyRule(out, rule, bump);
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
    out = out.replace(IP_RUN, (tok) => {
      if (tok.indexOf(":") === tok.lastIndexOf(":")) return tok; // IPv6 needs two colons
      const bare = tok.replace(/^[.:]+|(?<![.:])[.:]+$/g, (edge) => (edge === "::" ? edge : ""));
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
