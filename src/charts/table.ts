/**
 * Tables for the notebook: rows or a Danfo DataFrame as an HTML table with the row count, head/tail
 * truncation of long tables and numbers formatted for reading. Every cell, header and caption is
 * HTML-escaped (log fields are attacker-controlled).
 */
import { OptionError } from "../errors";
import { escapeControls } from "../terminal-text";
import { escapeHtmlText } from "./escape";
import { formatNumber } from "./format";
import { plotlyDate } from "./time-axis";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link TableOptions} (unknown names fail with a suggestion). */
const TABLE_OPTIONS_KEYS: OptionKeys<TableOptions> = { maxRows: true, caption: true, digits: true, maxCellChars: true, index: true, columns: true };

/** What a table shows: an array of row objects, or anything shaped like a Danfo DataFrame. */
/** Rows (any plain objects: event records, rejects, result rows) or a Danfo DataFrame. */
export type TableInput = readonly object[] | DataFrameLike;

/** The part of a Danfo `DataFrame` a table needs (duck-typed, so siemlab's tables never load Danfo). */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[] | readonly unknown[];
  readonly index: readonly (string | number)[];
}

/** Options of {@link htmlTable} and {@link showTable}. */
export interface TableOptions {
  /** Most rows shown; longer tables show the first and last `maxRows / 2` rows. Default: 20. */
  readonly maxRows?: number;
  /** Caption above the table (plain text, escaped). Default: none. */
  readonly caption?: string;
  /** Significant digits of non-integer numbers. Default: 4. */
  readonly digits?: number;
  /** Longest text shown in one cell; longer text is cut with "…". Default: 200. */
  readonly maxCellChars?: number;
  /** Show the row index (Danfo index, or 0-based row number) as the first column. Default: true. */
  readonly index?: boolean;
  /** Columns to show, in order. Default: all (for row objects: keys in first-seen order). */
  readonly columns?: readonly string[];
}

interface Grid {
  columns: string[];
  rows: unknown[][];
  index: (string | number)[];
}

function isDataFrameLike(x: TableInput): x is DataFrameLike {
  return !Array.isArray(x) && typeof x === "object" && x !== null && Array.isArray((x as DataFrameLike).columns);
}

function toGrid(input: TableInput, columns: readonly string[] | undefined): Grid {
  if (isDataFrameLike(input)) {
    const all = [...input.columns];
    // A one-column frame can come back as a flat array of values.
    const values = input.values.map((r) => (Array.isArray(r) ? (r as unknown[]) : [r]));
    const pick = (columns ?? all).map((c) => {
      const j = all.indexOf(c);
      if (j === -1) throw new OptionError(`Column ${JSON.stringify(c)} is not in the table; columns are ${JSON.stringify(all)}`);
      return j;
    });
    return { columns: pick.map((j) => all[j]), rows: values.map((r) => pick.map((j) => r[j])), index: [...input.index] };
  }
  const rows = input as readonly Readonly<Record<string, unknown>>[]; // plain objects, read by key
  let cols: string[];
  if (columns !== undefined) cols = [...columns];
  else {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    cols = [...seen];
  }
  return { columns: cols, rows: rows.map((r) => cols.map((c) => r[c])), index: rows.map((_, i) => i) };
}

/**
 * A cell value as display text (not yet HTML-escaped): numbers via `formatNumber`, Dates in UTC, null/undefined
 * empty, objects as JSON, control and bidi characters shown as escapes (`escapeControls`: a log value's ANSI
 * sequence or right-to-left override would otherwise recolour a terminal or reverse the text shown), long
 * text cut at `maxCellChars`.
 *
 * @example
 * [formatCell(0.123456, 3, 200), formatCell("al\u001b[31mice", 3, 200)]; // ["0.123", "al\\x1b[31mice"]
 */
export function formatCell(value: unknown, digits: number, maxCellChars: number): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "number") text = formatNumber(value, digits);
  else if (typeof value === "bigint") text = formatNumber(Number(value), digits);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? "Invalid Date" : plotlyDate(value.getTime());
  else if (typeof value === "string") text = value;
  else if (typeof value === "boolean") text = String(value);
  else if (ArrayBuffer.isView(value)) text = JSON.stringify(Array.from(value as unknown as ArrayLike<number>));
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = escapeControls(text);
  return text.length > maxCellChars ? text.slice(0, Math.max(0, maxCellChars - 1)) + "…" : text;
}

interface Layout {
  grid: Grid;
  head: number[];
  tail: number[];
  hidden: number;
  digits: number;
  maxCellChars: number;
  showIndex: boolean;
}

function layoutTable(input: TableInput, options: TableOptions): Layout {
  const maxRows = options.maxRows ?? 20;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new OptionError(`Expected \`maxRows\` to be a positive integer, got ${maxRows}`);
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) throw new OptionError(`Expected \`digits\` to be an integer in [1, 17], got ${digits}`);
  const maxCellChars = options.maxCellChars ?? 200;
  if (!(maxCellChars >= 1)) throw new OptionError(`Expected \`maxCellChars\` to be at least 1, got ${maxCellChars}`);
  const grid = toGrid(input, options.columns);
  const n = grid.rows.length;
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
  if (n <= maxRows) return { grid, head: range(0, n), tail: [], hidden: 0, digits, maxCellChars, showIndex: options.index ?? true };
  const headCount = Math.ceil(maxRows / 2);
  const tailCount = maxRows - headCount;
  return {
    grid,
    head: range(0, headCount),
    tail: range(n - tailCount, n),
    hidden: n - headCount - tailCount,
    digits,
    maxCellChars,
    showIndex: options.index ?? true,
  };
}

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

function shapeText(l: Layout): string {
  const n = l.grid.rows.length;
  const shown = l.hidden === 0 ? "" : ` (showing the first ${formatNumber(l.head.length)} and last ${formatNumber(l.tail.length)})`;
  return `${plural(n, "row")} × ${plural(l.grid.columns.length, "column")}${shown}`;
}

// Fits the notebook's output area (a projector at 1280 px): the table is never wider than its area, long
// text wraps inside its cell (anywhere, so a JSON blob or a URL cannot push the table wide), text is
// left-aligned and numbers (cells and the headers of numeric columns) right-aligned. Selectors are
// prefixed with .siemlab-table so Jupyter's .rendered_html rules (right-aligned, centred) do not apply.
const TABLE_STYLE =
  `.siemlab-table{max-width:100%;overflow-x:auto;}` +
  `.siemlab-table table{border-collapse:collapse;font:12px/1.4 Menlo,Consolas,monospace;margin:4px 0;` +
  `width:auto;max-width:100%;table-layout:auto;}` +
  `.siemlab-table th,.siemlab-table td{border-bottom:1px solid #e5e5e5;padding:3px 8px;text-align:left;` +
  `vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere;max-width:40em;}` +
  `.siemlab-table td.num,.siemlab-table th.num{text-align:right;font-variant-numeric:tabular-nums;` +
  `white-space:nowrap;overflow-wrap:normal;}` +
  `.siemlab-table thead th{border-bottom:2px solid #999;}` +
  `.siemlab-table th.idx{color:#777;font-weight:normal;text-align:right;white-space:nowrap;}` +
  `.siemlab-table tr.gap td{color:#777;text-align:center;font-style:italic;}` +
  `.siemlab-table caption{caption-side:top;text-align:left;font:bold 13px sans-serif;padding:2px 0 4px;}` +
  `.siemlab-table .shape{color:#555;font:12px sans-serif;}`;

/** Whether every shown value of column `j` is a number (or empty): its header is right-aligned too. */
function numericColumn(l: Layout, j: number): boolean {
  const shown = [...l.head, ...l.tail].map((i) => l.grid.rows[i][j]);
  const present = shown.filter((v) => v !== null && v !== undefined);
  return present.length > 0 && present.every((v) => typeof v === "number" || typeof v === "bigint");
}

/**
 * An HTML table (string) of rows or a Danfo DataFrame: caption, row/column count, head and tail of long tables,
 * text left-aligned and wrapped within the output's width, numbers right-aligned and formatted, every text
 * escaped.
 *
 * @example
 * htmlTable([{ user: "alice", failures: 12 }, { user: "<script>", failures: 0.5 }], { caption: "Top users" });
 */
export function htmlTable(input: TableInput, options: TableOptions = {}): string {
  checkOptions(options, TABLE_OPTIONS_KEYS, "htmlTable");
  const l = layoutTable(input, options);
  const { columns, rows, index } = l.grid;
  const cell = (v: unknown) => {
    const text = escapeHtmlText(formatCell(v, l.digits, l.maxCellChars));
    return typeof v === "number" || typeof v === "bigint" ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
  };
  const row = (i: number) =>
    `<tr>${l.showIndex ? `<th class="idx">${escapeHtmlText(formatCell(index[i], l.digits, l.maxCellChars))}</th>` : ""}` +
    `${rows[i].map(cell).join("")}</tr>`;
  const width = columns.length + (l.showIndex ? 1 : 0);
  const body = [
    ...l.head.map(row),
    ...(l.hidden > 0 ? [`<tr class="gap"><td colspan="${Math.max(1, width)}">… ${plural(l.hidden, "more row")} …</td></tr>`] : []),
    ...l.tail.map(row),
  ];
  const caption = options.caption === undefined ? "" : `<caption>${escapeHtmlText(escapeControls(options.caption))}</caption>`;
  return (
    `<div class="siemlab-table"><style>${TABLE_STYLE}</style>` +
    `<table>${caption}<thead><tr>${l.showIndex ? `<th class="idx"></th>` : ""}` +
    `${columns.map((c, j) => `<th${numericColumn(l, j) ? ' class="num"' : ""}>${escapeHtmlText(escapeControls(c))}</th>`).join("")}</tr></thead>` +
    `<tbody>${body.join("")}</tbody></table>` +
    `<div class="shape">${escapeHtmlText(shapeText(l))}</div></div>`
  );
}

/**
 * The same table as aligned plain text (the text/plain form of {@link showTable}; handy in logs).
 *
 * @example
 * console.log(textTable([{ user: "alice", failures: 12 }]));
 */
export function textTable(input: TableInput, options: TableOptions = {}): string {
  checkOptions(options, TABLE_OPTIONS_KEYS, "textTable");
  const l = layoutTable(input, options);
  const { columns, rows, index } = l.grid;
  const fmt = (v: unknown) => formatCell(v, l.digits, Math.min(l.maxCellChars, 60)).replace(/[\r\n\t]/g, " ");
  const header = [...(l.showIndex ? [""] : []), ...columns.map(escapeControls)];
  const line = (i: number) => [...(l.showIndex ? [fmt(index[i])] : []), ...rows[i].map(fmt)];
  const numeric = [...(l.showIndex ? [true] : []), ...columns.map((_, j) => rows.every((r) => typeof r[j] === "number" || r[j] == null))];
  const body: (string[] | null)[] = [...l.head.map(line), ...(l.hidden > 0 ? [null] : []), ...l.tail.map(line)];
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => (r === null ? 0 : r[j].length))));
  const render = (r: string[]) => r.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join("  ").trimEnd();
  const out: string[] = [];
  if (options.caption !== undefined) out.push(escapeControls(options.caption));
  out.push(render(header));
  for (const r of body) out.push(r === null ? `… ${plural(l.hidden, "more row")} …` : render(r));
  out.push(shapeText(l));
  return out.join("\n");
}
