import { isIP } from "node:net";
import { checkOptions, type OptionKeys } from "../options";
import { quotedName } from "../terminal-text";

/** Every option name of {@link RedactorOptions} (unknown names fail with a suggestion). */
const REDACTOR_OPTIONS_KEYS: OptionKeys<RedactorOptions> = { entities: true, users: true, addresses: true, secrets: true, patterns: true };

export interface RedactorOptions {
  /**
   * Replace IP addresses, the given usernames and addresses, and log text shaped like a placeholder with
   * stable placeholders (IP_1, USER_1, TEXT_1, …). Default: true.
   */
  readonly entities?: boolean;
  /** Usernames to replace with USER_n placeholders wherever they occur as a whole word (IPs are found by parsing). Default: none. */
  readonly users?: readonly string[];
  /** Source addresses as logged (an IP or a host name) to replace with IP_n placeholders, besides the IPs found by parsing. Default: none. */
  readonly addresses?: readonly string[];
  /** Literal secret values to remove wherever they appear (e.g. an API key). Default: none. */
  readonly secrets?: readonly string[];
  /** Extra patterns whose matches become `[REDACTED]`. Default: none. */
  readonly patterns?: readonly RegExp[];
}

/** Options of {@link Redactor.restore}. */
export interface RestoreOptions {
  /** Put each value back display-safe (IP addresses as they are, anything else JSON-quoted and escaped) instead of exactly. Default: false. */
  readonly display?: boolean;
}

const RESTORE_OPTIONS_KEYS: OptionKeys<RestoreOptions> = { display: true };

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
/** Text of the log shaped like a placeholder (any case): escaped as a placeholder of its own. */
const PLACEHOLDER_LIKE = /\b(?:IP|USER|TEXT)_\d+\b/gi;
/** The placeholders {@link Redactor.restore} puts values back for. */
const PLACEHOLDER = /\b(?:IP|USER|TEXT)_\d+\b/g;
/** Markers the secret rules insert; copied as they are by the entity pass. */
const MARKER = /\[REDACTED(?:_[A-Z]{1,16}){0,3}\]/g;
// A known value (user name, address) counts only as a whole word of the text: not inside "aliceX" or
// "x.alice"; "alice." at the end of a sentence counts (and so does the "bob" of "bob.x" when "bob.x" is not
// known itself: more is hidden rather than less).
const WORDISH_BEFORE = /[A-Za-z0-9_.@-]/;
const WORDISH_AFTER = /[A-Za-z0-9_@-]/;

type Kind = "IP" | "USER" | "TEXT";
/** One stretch of the text the entity pass replaces (or, kind "KEEP", copies as it is). */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: Kind | "KEEP";
  /** The exact text the placeholder stands for. */
  readonly value: string;
}
// At the same start and length: a redaction marker stays, an address is redacted as an address.
const RANK: Record<Span["kind"], number> = { KEEP: 0, IP: 1, USER: 2, TEXT: 3 };

/**
 * Removes secrets from text and, optionally, swaps IPs and usernames for stable placeholders (the same
 * value always gets the same placeholder, so an LLM can still reason about "IP_1 tried USER_1 and
 * USER_2"). `restore` puts the real values back into a reply, locally.
 *
 * Entities are replaced in ONE pass over the text (after the secret rules): every known user name and
 * address, every IP address and every stretch of placeholder-shaped text (`IP_7`, `user_2`, `TEXT_1`, in
 * any case) is found in the text as it came, the leftmost (then longest) of overlapping ones wins, and the
 * placeholders inserted are never scanned again. So a user name holding an address (`alice@10.0.0.5`)
 * becomes one USER_n, and log text shaped like a placeholder cannot pass for one: it becomes a TEXT_n of
 * its own, which `restore` turns back into the very text the log held (never into an address). Every
 * placeholder the model sees was made by this redactor, and `restore` maps each back to exactly the
 * text it replaced.
 *
 * @example
 * const r = new Redactor({ users: ["alice", "IP_1"] });
 * r.redact("Failed password for alice from 203.0.113.7 token=abc123") // "Failed password for USER_1 from IP_1 token=[REDACTED]"
 * r.redact("invalid user IP_1 from 203.0.113.7") // "invalid user USER_2 from IP_1"
 * r.restore("Block IP_1; USER_2 was tried") // "Block 203.0.113.7; IP_1 was tried"
 */
export class Redactor {
  private readonly entities: boolean;
  private readonly secrets: readonly string[];
  private readonly patterns: readonly RegExp[];
  /** Known values to find as whole words: text as it appears after the secret rules → kind, by length (longest first). */
  private readonly known = new Map<number, Map<string, Kind>>();
  private readonly knownLengths: number[] = [];
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();
  private counts: Record<Kind, number> = { IP: 0, USER: 0, TEXT: 0 };
  /** How many replacements each kind of rule made. */
  readonly stats: Record<string, number> = {};

  constructor(options: RedactorOptions = {}) {
    checkOptions(options, REDACTOR_OPTIONS_KEYS, "Redactor");
    this.entities = options.entities ?? true;
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    this.patterns = options.patterns ?? [];
    const add = (v: string, kind: Kind) => {
      if (v.length === 0) return;
      // A value the secret rules change is looked for (and restored) as they leave it: the model never
      // sees the secret, and the rest of the name is not left in clear.
      const form = this.removeSecrets(v, () => undefined);
      if (form.replace(MARKER, "").trim() === "") return; // nothing of it is left to leak
      let byLen = this.known.get(form.length);
      if (!byLen) this.known.set(form.length, (byLen = new Map()));
      if (!byLen.has(form)) byLen.set(form, isIP(form) ? "IP" : kind);
    };
    for (const a of options.addresses ?? []) add(a, "IP");
    for (const u of options.users ?? []) add(u, "USER");
    this.knownLengths = [...this.known.keys()].sort((a, b) => b - a);
  }

  private placeholder(kind: Kind, value: string): string {
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

  /** Configured secrets, then the {@link SECRET_PATTERNS}, then custom patterns. */
  private removeSecrets(text: string, bump: (name: string, n: number) => void): string {
    let out = text;
    for (const s of this.secrets) {
      const parts = out.split(s);
      bump("configured secret", parts.length - 1);
      out = parts.join("[REDACTED]");
    }
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
        bump("custom pattern", 1);
        return "[REDACTED]";
      });
    }
    return out;
  }

  /** Every stretch the entity pass may replace, found in `text` as it is (overlapping ones included). */
  private spans(text: string): Span[] {
    const spans: Span[] = [];
    for (const m of text.matchAll(MARKER)) spans.push({ start: m.index!, end: m.index! + m[0].length, kind: "KEEP", value: m[0] });
    for (const m of text.matchAll(PLACEHOLDER_LIKE)) spans.push({ start: m.index!, end: m.index! + m[0].length, kind: "TEXT", value: m[0] });
    // IPv6 (it may embed an IPv4 tail), then IPv4 (also inside "10.0.0.1:22").
    for (const m of text.matchAll(IP_RUN)) {
      const tok = m[0];
      if (tok.indexOf(":") === tok.lastIndexOf(":")) continue; // IPv6 needs two colons
      const lead = /^[.:]+/.exec(tok)?.[0] ?? "";
      const trail = /(?<![.:])[.:]+$/.exec(tok)?.[0] ?? "";
      const from = lead === "::" ? 0 : lead.length;
      const to = tok.length - (trail === "::" ? 0 : trail.length);
      for (const [a, b] of [[0, tok.length], [from, to]]) {
        const cand = tok.slice(a, b);
        if (cand.length >= 3 && isIP(cand)) {
          spans.push({ start: m.index! + a, end: m.index! + b, kind: "IP", value: cand });
          break;
        }
      }
    }
    for (const m of text.matchAll(IPV4_CANDIDATE)) {
      if (isIP(m[0]) === 4) spans.push({ start: m.index!, end: m.index! + m[0].length, kind: "IP", value: m[0] });
    }
    if (this.knownLengths.length > 0) {
      for (let i = 0; i < text.length; i++) {
        if (i > 0 && WORDISH_BEFORE.test(text[i - 1])) continue;
        for (const len of this.knownLengths) {
          const end = i + len;
          if (end > text.length) continue;
          const kind = this.known.get(len)!.get(text.slice(i, end));
          if (kind === undefined) continue;
          const next = text[end] ?? "";
          if (WORDISH_AFTER.test(next)) continue;
          spans.push({ start: i, end, kind, value: text.slice(i, end) });
          break; // the longest known value starting here
        }
      }
    }
    return spans;
  }

  /**
   * Redact one string: configured secrets, then the {@link SECRET_PATTERNS}, then custom patterns, then
   * (with `entities`) user names, addresses and placeholder-shaped text in one pass. Linear in the text
   * length for the built-in rules (times the number of distinct lengths of the known values).
   */
  redact(text: string): string {
    const out = this.removeSecrets(text, (name, n) => this.bump(name, n));
    if (!this.entities) return out;
    const spans = this.spans(out).sort((a, b) => a.start - b.start || b.end - a.end || RANK[a.kind] - RANK[b.kind]);
    let res = "";
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // inside a stretch already replaced: never scanned again
      res += out.slice(at, s.start);
      if (s.kind === "KEEP") res += s.value;
      else {
        this.bump(s.kind === "IP" ? "ip" : s.kind === "USER" ? "user" : "placeholder-like text", 1);
        res += this.placeholder(s.kind, s.value);
      }
      at = s.end;
    }
    return res + out.slice(at);
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

  /**
   * Put the real values back in place of the placeholders this redactor made (secrets stay redacted), in
   * one pass: a restored value is never read again, and text shaped like a placeholder that this redactor
   * did not make stays as it is. With `display`, each value is shown display-safe: an IP address as it is,
   * anything else (a user name, log text) JSON-quoted with control and bidi characters escaped, so a name
   * holding a newline, commas or text shaped like a placeholder reads as one quoted name.
   *
   * @example
   * const r = new Redactor({ users: ["IP_1"] });
   * r.redact("user IP_1 from 203.0.113.7") // "user USER_1 from IP_1"
   * r.restore("USER_1 from IP_1", { display: true }) // '"IP_1" from 203.0.113.7'
   */
  restore(text: string, options: RestoreOptions = {}): string {
    checkOptions(options, RESTORE_OPTIONS_KEYS, "Redactor.restore");
    return text.replace(PLACEHOLDER, (p) => {
      const v = this.backward.get(p);
      return v === undefined ? p : options.display ? quotedName(v) : v;
    });
  }

  /** Placeholders handed out so far (without the values they stand for). */
  get placeholders(): string[] {
    return [...this.backward.keys()];
  }
}
