import { isIP } from "node:net";

/** What {@link checkReplyAgainstEvidence} found. */
export interface ReplyCheck {
  /** True when every number, address, placeholder and URL the reply names is in the evidence. */
  readonly ok: boolean;
  /** What the reply names that the evidence does not, e.g. `address 10.0.0.0/8`, `number 777`. */
  readonly mismatches: readonly string[];
}

/** The evidence a reply is checked against: the exact (redacted) data the model was given. */
export interface ReplyEvidence {
  /** The evidence as sent, e.g. its JSON text. Its numbers and addresses are what the reply may name. */
  readonly text: string;
  /** The evidence as data: array lengths and durations (seconds as minutes/hours) also count as its numbers. Default: none. */
  readonly data?: unknown;
  /** Placeholders the prompt used (IP_1, USER_2, TEXT_3, …). Default: none. */
  readonly placeholders?: readonly string[];
  /** Numbers the prompt's instructions give (e.g. the 0–100 anomaly scale and its threshold 50). Default: none. */
  readonly alsoAllowed?: readonly number[];
}

const URL_RE = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s<>()"'`\]]{1,2048}/gi;
const PLACEHOLDER_RE = /\b(?:IP|USER|TEXT)_\d{1,6}\b/g;
const IPV4_RE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,3})?(?!\d)/g;
const IP_RUN = /[0-9A-Fa-f:.]{2,}(?:\/\d{1,3})?/g;
const NUMBER_RE = /(?<![A-Za-z_\d.])\d{1,15}(?:\.\d{1,12})?/g;

function addressesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(IPV4_RE)) out.add(m[0]);
  for (const m of text.matchAll(IP_RUN)) {
    const [addr] = m[0].replace(/^[.:]+|(?<![.:])[.:]+$/g, (e) => (e === "::" ? e : "")).split("/");
    if (addr.includes(":") && addr.indexOf(":") !== addr.lastIndexOf(":") && isIP(addr) === 6) out.add(m[0].toLowerCase());
  }
  return out;
}

function numbersOf(text: string, data: unknown): number[] {
  const nums = [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const walk = (v: unknown, key = "") => {
    if (Array.isArray(v)) {
      nums.push(v.length);
      v.forEach((x) => walk(x));
    } else if (v && typeof v === "object") {
      nums.push(Object.keys(v).length);
      for (const [k, x] of Object.entries(v)) walk(x, k);
    } else if ((typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^-?\d+(?:\.\d+)?$/.test(v))) {
      const x = Math.abs(Number(v));
      nums.push(x, x * 100); // contamination 0.05 may be read as 5 %
      if (/seconds$/i.test(key)) nums.push(x / 60, x / 3600);
    }
  };
  walk(data);
  return nums;
}

/**
 * Check an LLM's reply against the evidence it was given (OWASP LLM Top 10: treat model output as
 * untrusted): every URL, IP address or CIDR range, placeholder (IP_n, USER_n, TEXT_n) and number the reply names
 * must occur in the evidence. Numbers match when equal after rounding to the reply's precision (97.1 for
 * 97.06; 10 for 10.4), also as a percentage or, for durations, in minutes or hours. Host and user names in
 * free text are not checked (with entity redaction on, the model only ever saw placeholders). Pass as
 * evidence only what the reply may cite: `llmSummary` leaves out the sample log lines, whose numbers and
 * links an attacker chooses. Linear in the reply length.
 *
 * @example
 * checkReplyAgainstEvidence("Block 10.0.0.0/8 now", { text: '{"ips":["IP_1"],"failures":50}', placeholders: ["IP_1"] })
 * // { ok: false, mismatches: ["address 10.0.0.0/8"] }
 */
export function checkReplyAgainstEvidence(reply: string, evidence: ReplyEvidence): ReplyCheck {
  const mismatches: string[] = [];
  const miss = (what: string) => {
    if (!mismatches.includes(what)) mismatches.push(what);
  };
  let rest = reply;
  for (const m of reply.matchAll(URL_RE)) {
    const url = m[0].replace(/(?<![.,;:!?])[.,;:!?]+$/, "");
    if (!evidence.text.includes(url)) miss(`URL ${url}`);
    rest = rest.split(m[0]).join(" ");
  }
  const placeholders = new Set(evidence.placeholders ?? []);
  // "IP_2/0" restores to a range such as 0.0.0.0/0: the evidence holds addresses, never a placeholder range.
  rest = rest.replace(/\bIP_\d{1,6}\s{0,2}\/\s{0,2}\d{1,3}/g, (r) => {
    if (!evidence.text.includes(r)) miss(`range ${r}`);
    return " ";
  });
  rest = rest.replace(PLACEHOLDER_RE, (p) => {
    if (!placeholders.has(p)) miss(`placeholder ${p}`);
    return " ";
  });
  const known = addressesIn(evidence.text);
  for (const a of addressesIn(rest)) {
    if (!known.has(a)) miss(`address ${a}`);
    rest = rest.split(a).join(" ");
  }
  const allowed = [...numbersOf(evidence.text, evidence.data), ...(evidence.alsoAllowed ?? [])];
  for (const m of rest.replace(/(\d),(?=\d{3}(?!\d))/g, "$1").matchAll(NUMBER_RE)) {
    const r = Number(m[0]);
    const decimals = m[0].includes(".") ? m[0].length - m[0].indexOf(".") - 1 : 0;
    const tol = 0.5 * 10 ** -decimals + 1e-9;
    if (!allowed.some((e) => Math.abs(e - r) <= tol)) miss(`number ${m[0]}`);
  }
  return { ok: mismatches.length === 0, mismatches };
}

/**
 * Text from a model or a log made safe to print: control characters (ANSI escape sequences, carriage
 * returns that overwrite a line, NUL) and bidirectional overrides (which reorder what is shown, "Trojan
 * Source") become visible `\u{…}` escapes; newlines and tabs stay.
 *
 * @example
 * displaySafeText("ok\u001b[31m red") // "ok\\u{1b}[31m red"
 */
export function displaySafeText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
