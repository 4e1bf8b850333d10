/**
 * Terminal and spreadsheet safety for text that came from logs. A log line can carry bytes an attacker
 * chose: ANSI escape sequences (ESC, CSI) that recolour, retitle or rewrite a terminal, C1 controls that
 * some terminals obey as 8-bit escapes, and Unicode bidirectional overrides (U+202A–U+202E, U+2066–U+2069,
 * "Trojan Source", CVE-2021-42574) that make a text display differently from what it is. Everything the CLI
 * writes to a terminal or a CSV goes through these functions, so none of them arrives raw.
 */
import { isIP } from "node:net";

// C0 controls, DEL, C1 controls, the Arabic letter mark, LRM/RLM, the bidi embeddings/overrides/isolates,
// the line/paragraph separators (which break lines in many viewers), and the invisible zero-width space, word
// joiner and byte-order mark (a line that starts with one looks valid and is rejected: the reader must see it).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/g;
// The same minus C0 (JSON.stringify already escapes those).
const UNSAFE_JSON = /[\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/g;

const hex = (c: number, width: number) => c.toString(16).padStart(width, "0");

function escapeOne(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 9) return "\\t";
  if (c === 10) return "\\n";
  if (c === 13) return "\\r";
  if (c < 0x20 || c === 0x7f) return `\\x${hex(c, 2)}`;
  return `\\u${hex(c, 4)}`;
}

/**
 * Make text safe to print on a terminal: C0 controls and DEL become `\xhh` (tab, line feed and carriage
 * return `\t`, `\n`, `\r`), C1 controls, bidi controls, U+2028/U+2029 and the invisible U+200B, U+2060 and
 * U+FEFF (byte-order mark) become `\uhhhh`. Everything else
 * is kept, backslashes included (so the result is for reading, not for decoding: use the JSON output of
 * `siemlab parse` for a lossless copy). Returns the same string when there is nothing to escape.
 *
 * @example
 * escapeControls("\u001b[31mred\u001b[0m") // "\\x1b[31mred\\x1b[0m"
 * escapeControls("invoice\u202Efdp.exe") // "invoice\\u202efdp.exe"
 */
export function escapeControls(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeOne) : text;
}

/**
 * Escape a line of text for the terminal but keep its line breaks: each `\n`-separated line goes through
 * {@link escapeControls}. For the CLI's own messages, which may quote a path or a log value.
 *
 * @example
 * escapeControlsKeepLines("a\u001b\nb") // "a\\x1b\nb"
 */
export function escapeControlsKeepLines(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.split("\n").map(escapeControls).join("\n");
}

/**
 * One CSV cell (RFC 4180) holding log text, safe for terminals and spreadsheets: control and bidi
 * characters escaped visibly ({@link escapeControls}, so a cell never holds a raw line break); a value that
 * starts with `=`, `+`, `-` or `@` gets a leading `'` so spreadsheets show it as text instead of running it
 * as a formula (OWASP's advice on CSV injection; the cell's value then differs from the log's, which is the
 * point; the JSON output keeps the exact value); quoted when it holds a comma, a quote or leading or
 * trailing spaces, quotes doubled.
 *
 * @example
 * csvCell("=HYPERLINK(\"http://x\")") // "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvCell("smith, j") // "\"smith, j\""
 * csvCell("10.0.0.1") // "10.0.0.1"
 */
export function csvCell(text: string): string {
  let v = escapeControls(text);
  const c = v.charCodeAt(0);
  if (c === 61 || c === 43 || c === 45 || c === 64) v = "'" + v; // = + - @
  return /[",]|^ | $/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * `JSON.stringify` for one JSON line that is also safe on a terminal: besides the C0 controls JSON already
 * escapes, DEL, C1 controls, bidi controls and U+2028/U+2029 are written as `\uhhhh` escapes. The result
 * is valid JSON and parses back to exactly the same value.
 *
 * @example
 * safeJsonLine({ user: "a\u202eb" }) // '{"user":"a\\u202eb"}'
 */
export function safeJsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_JSON, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`);
}

/**
 * A log value (user, host or source address) named inside a human-facing line: an IP address or CIDR range
 * as it is, anything else JSON-quoted with control and bidi characters escaped ({@link safeJsonLine}), so
 * spaces, commas, parentheses or `key=value` text in a name cannot read as more fields or more names, and
 * the quoted form parses back (JSON) to the exact value.
 *
 * @example
 * quotedName("x count=1 (warning)") // '"x count=1 (warning)"'
 * quotedName("line1\nline2") // '"line1\\nline2"'
 * quotedName("203.0.113.7") // "203.0.113.7"
 */
export function quotedName(value: string): string {
  return isIP(value.replace(/\/\d{1,3}$/, "")) !== 0 ? value : safeJsonLine(value);
}
