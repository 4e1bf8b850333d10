import { describe, expect, test } from "vitest";
import { escapeHtmlText, escapePlotlyText, jsonForScript } from "../../src/charts/escape";
import { formatNumber } from "../../src/charts/format";
import { plotlyXValues } from "../../src/charts/time-axis";

describe("escaping", () => {
  test("Plotly text and HTML text", () => {
    expect(escapePlotlyText("a & <b>")).toBe("a &amp; &lt;b&gt;");
    // A hovertemplate evaluates %{…}; the escaped text has no "%{" left to evaluate.
    expect(escapePlotlyText("%{x} %{y:.2f} 50%")).toBe("&#37;{x} &#37;{y:.2f} 50&#37;");
    expect(escapeHtmlText(`"'><`)).toBe("&quot;&#39;&gt;&lt;");
    // Control and bidi characters from logs are shown, not obeyed (a U+202E would show a name reversed).
    expect(escapePlotlyText("red\u202eevil\u001b[31m\n<b>")).toBe("red\\u202eevil\\x1b[31m\\n&lt;b&gt;");
  });
  test("JSON for a script element parses back to the same value", () => {
    const v = { s: "</script><!-- \u2028\u2029 & >", a: new Float64Array([1, NaN]) };
    const text = jsonForScript(v);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ s: v.s, a: [1, null] });
  });
});

describe("formatNumber", () => {
  test.each([
    [1234567, "1,234,567"],
    [-1234.5678, "-1,235"],
    [0.00001234, "1.234e-5"],
    [0.1, "0.1"],
    [2.5e20, "2.5e20"],
    [Infinity, "∞"],
  ])("%s → %s", (v, s) => expect(formatNumber(v)).toBe(s));
});

describe("plotlyXValues", () => {
  test("naive ISO strings are kept, zoned ones converted to UTC, mixing is refused", () => {
    expect(plotlyXValues(["2024-01-01T10:00:00", "2024-01-01T10:00:00-01:00"]).values).toEqual(["2024-01-01 10:00:00", "2024-01-01 11:00:00"]);
    expect(() => plotlyXValues([1, "2024-01-01"] as never)).toThrow(/same kind/);
  });
});
