/**
 * Number formatting for reading (hover text, tables): grouped integers, a few significant digits otherwise.
 */

function group(intText: string): string {
  // Commas every three digits from the right (a loop: the lookahead regex for this is quadratic in the length).
  let out = "";
  for (let i = 0; i < intText.length; i++) {
    if (i > 0 && (intText.length - i) % 3 === 0) out += ",";
    out += intText[i];
  }
  return out;
}

/**
 * Format a number for a human: integers with thousands separators ("12,345"), other values with `digits`
 * significant digits without trailing zeros ("0.1235", "-3.2e-7"); NaN → "NaN", ±Infinity → "∞"/"-∞".
 * Deterministic (no locale lookup).
 *
 * @example
 * formatNumber(1234567);     // "1,234,567"
 * formatNumber(0.123456);    // "0.1235"
 * formatNumber(3.14159, 2);  // "3.1"
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return (value < 0 ? "-" : "") + group(String(Math.abs(value)));
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) {
    return value.toExponential(Math.max(0, digits - 1)).replace(/(?<![0.])\.?0+e/, "e").replace("e+", "e");
  }
  let text = value.toPrecision(digits);
  if (text.includes("e")) text = Number(text).toString();
  if (text.includes(".")) text = text.replace(/(?<!0)0+$/, "").replace(/\.$/, "");
  const neg = text.startsWith("-");
  const body = neg ? text.slice(1) : text;
  const [intPart, frac] = body.split(".");
  return (neg ? "-" : "") + group(intPart) + (frac === undefined ? "" : "." + frac);
}
