import { escapeControls } from "../terminal-text";

/**
 * Escaping for strings that come from logs (usernames, messages, hosts): an attacker writes those, so every
 * chart and table shows them as text, never as markup.
 */

/**
 * Escape a string for Plotly text (titles, axis and tick labels, legend names, hover text and hover
 * templates). Plotly renders a subset of HTML tags (`<b>`, `<br>`, `<a href>`, …) and decodes entities in
 * every text it draws, so `&`, `<` and `>` from data are turned into entities; Plotly then shows them
 * literally. `%` becomes `&#37;` too: a hovertemplate evaluates `%{x}`, `%{y:.2f}`, `%{customdata[0]}`
 * (its TEMPLATE_STRING_REGEX needs the literal `%{`), so a log-derived name or label placed in a template
 * would otherwise be evaluated; the entity is decoded only when the text is drawn, after the templates ran,
 * and shows as `%`. Control and bidi characters become visible escapes first (`escapeControls`: a right-to-left
 * override in a user name would otherwise show it reversed, an ESC sequence would reach a copied label).
 *
 * @example
 * escapePlotlyText("<img src=x onerror=alert(1)>"); // "&lt;img src=x onerror=alert(1)&gt;"
 * escapePlotlyText("%{x}");                         // "&#37;{x}" (shown as %{x}, never evaluated)
 * escapePlotlyText("red\u202eevil");                // "red\\u202eevil"
 */
export function escapePlotlyText(value: unknown): string {
  return escapeControls(String(value)).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/%/g, "&#37;");
}

/**
 * Escape a string for HTML text or a quoted attribute value.
 *
 * @example
 * escapeHtmlText(`"><svg onload=alert(1)>`); // "&quot;&gt;&lt;svg onload=alert(1)&gt;"
 */
export function escapeHtmlText(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Typed arrays become plain arrays (JSON.stringify would turn a Float64Array into an object). */
function plainReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/**
 * JSON text that is safe to embed inside an HTML `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are
 * written as `\u003c`-style escapes, so a `</script>` or `<!--` inside the data cannot end or confuse the
 * script. Typed arrays are written as plain arrays; NaN and ±Infinity become null (Plotly draws a gap).
 *
 * @example
 * jsonForScript({ t: "</script>" }); // '{"t":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value, plainReplacer);
  if (json === undefined) return "null";
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
