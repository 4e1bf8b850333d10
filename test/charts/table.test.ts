import { afterEach, describe, expect, test, vi } from "vitest";
import * as dfd from "danfojs-node";
import { htmlTable, textTable, formatCell } from "../../src/charts/table";
import { showTable } from "../../src/display/show-table";
import { OptionError } from "../../src/errors";
import { captureDisplay } from "../display/capture-display";

const rows = Array.from({ length: 25 }, (_, i) => ({ user: `u${i}`, failures: i * 1000.5, ok: i % 2 === 0 }));

describe("htmlTable", () => {
  test("shows the row count and the head and tail of a long table", () => {
    const html = htmlTable(rows, { maxRows: 6, caption: "Failures" });
    expect(html).toContain("<caption>Failures</caption>");
    expect(html).toContain("25 rows × 3 columns (showing the first 3 and last 3)");
    expect(html).toContain("… 19 more rows …");
    expect(html.match(/<tr>/g)).toHaveLength(1 + 6); // header + 6 rows
    expect(html).toContain("<td>u2</td>");
    expect(html).not.toContain("<td>u3</td>");
    expect(html).toContain("<td>u22</td>");
    expect(html).toContain('<td class="num">24,012</td>');
  });

  test("left-aligns text and right-aligns numbers, headers of numeric columns included; long text wraps", () => {
    const html = htmlTable([{ user: "alice", failures: 12, note: "x".repeat(300) }, { user: "bob", failures: null, note: "" }]);
    expect(html).toContain('<th>user</th><th class="num">failures</th><th>note</th>');
    expect(html).toContain('<td class="num">12</td>');
    expect(html).toContain("<td>alice</td>");
    // The table never grows wider than the notebook's output; text wraps anywhere inside its cell.
    expect(html).toMatch(/\.siemlab-table table\{[^}]*max-width:100%/);
    expect(html).toMatch(/\.siemlab-table th,\.siemlab-table td\{[^}]*text-align:left;[^}]*overflow-wrap:anywhere/);
    expect(html).toMatch(/\.siemlab-table td\.num,\.siemlab-table th\.num\{text-align:right/);
  });

  test("formats numbers for reading with the requested digits", () => {
    const html = htmlTable([{ score: -0.123456789, n: 1234567, missing: null, nan: NaN }], { digits: 3 });
    expect(html).toContain('<td class="num">-0.123</td>');
    expect(html).toContain('<td class="num">1,234,567</td>');
    expect(html).toContain("<td></td>");
    expect(html).toContain('<td class="num">NaN</td>');
  });

  test("escapes every header, cell and caption", () => {
    const evil = `<img src=x onerror=alert(1)>"'&`;
    const html = htmlTable([{ [evil]: evil }], { caption: evil });
    expect(html).not.toContain("<img");
    expect(html.split("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;").length - 1).toBe(3);
  });

  test("shows control and bidi characters from logs as escapes, in the HTML and the text form (new-user trial)", () => {
    // An ANSI colour, an OSC that retitles a terminal, a bell, a right-to-left override, a NUL, a line break.
    const hostile = "al\u001b[31mred\u001b[0m\u001b]0;title\u0007ice\u202eevil\u0000\nx";
    const shown = "al\\x1b[31mred\\x1b[0m\\x1b]0;title\\x07ice\\u202eevil\\x00\\nx";
    const input = [{ [hostile]: hostile, n: 1 }, { [hostile]: { nested: hostile }, n: 2 }];
    const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const html = htmlTable(input, { caption: hostile });
    const text = textTable(input, { caption: hostile });
    for (const out of [html, text]) {
      expect(out).not.toMatch(unsafe);
      expect(out.split(shown).length - 1).toBeGreaterThanOrEqual(3); // caption, header, cell
    }
    expect(html).toContain(`<caption>${shown}</caption>`);
    // Objects are shown as JSON: JSON escapes C0 itself; the override is escaped here.
    expect(formatCell({ u: "a\u202eb" }, 4, 200)).toBe('{"u":"a\\u202eb"}');
  });

  test("accepts a Danfo DataFrame, with its index and a column selection", () => {
    const df = new dfd.DataFrame({ host: ["a", "b"], bytes: [10, 2.5] }, { index: ["x", "y"] });
    const html = htmlTable(df, { columns: ["bytes"] });
    expect(html).toContain('<th class="idx">x</th><td class="num">10</td>');
    expect(html).not.toContain("<th>host</th>");
    expect(() => htmlTable(df, { columns: ["nope"] })).toThrow(/"nope" is not in the table/);
  });

  test("cuts long cells and rejects bad options", () => {
    expect(formatCell("x".repeat(300), 4, 10)).toBe("xxxxxxxxx…");
    expect(formatCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), 4, 200)).toBe("2024-01-02 03:04:05");
    expect(() => htmlTable(rows, { maxRows: 0 })).toThrow(OptionError);
  });
});

describe("textTable", () => {
  test("aligns columns and right-aligns numbers", () => {
    expect(textTable([{ user: "alice", n: 5 }, { user: "bob", n: 12345 }])).toBe(
      ["   user        n", "0  alice       5", "1  bob    12,345", "2 rows × 2 columns"].join("\n"),
    );
  });
});

describe("showTable", () => {
  afterEach(() => vi.restoreAllMocks());
  test("sends text/html and text/plain to the notebook", () => {
    const cap = captureDisplay();
    try {
      showTable(rows.slice(0, 2));
    } finally {
      cap.restore();
    }
    expect(cap.bundles).toHaveLength(1);
    expect(Object.keys(cap.bundles[0].data).sort()).toEqual(["text/html", "text/plain"]);
  });
  test("prints the text table outside a kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    showTable([{ a: 1 }]);
    expect(log).toHaveBeenCalledWith("   a\n0  1\n1 row × 1 column");
  });
});
