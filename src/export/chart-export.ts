/**
 * Static export of any chart spec: a standalone offline HTML file, or PNG / SVG rendered by headless Chromium
 * with `Plotly.toImage` (the same renderer the notebook uses, so files match what the analyst saw).
 */
import { mkdirSync, writeFileSync } from "fs";
import { dirname } from "path";
import type { Browser, Page } from "playwright-core";
import { OptionError } from "../errors";
import { escapeHtmlText } from "../charts/escape";
import { launchChromium } from "./chromium";
import { plotlyBundle, plotlyChartHtml, plotlyLoaderHtml } from "../display/plotly-html";
import type { PlotlySpec } from "../charts/spec";

/** Options of {@link standaloneHtml} and {@link saveHtml}. */
export interface HtmlExportOptions {
  /** Page title. Default: the chart title, else "siemlab chart". */
  readonly title?: string;
  /** Chart height in CSS pixels. Default: `spec.layout.height`, else 500. */
  readonly height?: number;
  /** Chart width in CSS pixels. Default: `spec.layout.width`, else the window width. */
  readonly width?: number;
}

/** Options of {@link savePng}, {@link saveSvg} and {@link renderChartImage}. */
export interface ImageExportOptions {
  /** Image width in CSS pixels. Default: `spec.layout.width`, else 900. */
  readonly width?: number;
  /** Image height in CSS pixels. Default: `spec.layout.height`, else 500. */
  readonly height?: number;
  /** Pixel ratio of PNG output (2 = sharp on high-DPI screens). Default: 2. Ignored for SVG. */
  readonly scale?: number;
}

function titleOf(spec: PlotlySpec): string | undefined {
  const t = spec.layout.title;
  return typeof t === "string" ? t : t?.text;
}

/**
 * A complete HTML page showing the chart offline (Plotly.js inlined, ≈ 1.5 MB).
 *
 * @example
 * const html = standaloneHtml(timelineChart({ x: [0, 1], y: [1, 2] }));
 */
export function standaloneHtml(spec: PlotlySpec, options: HtmlExportOptions = {}): string {
  // Chart titles are already escaped for Plotly (entities); the page <title> shows the same text.
  const title = options.title !== undefined ? escapeHtmlText(options.title) : (titleOf(spec) ?? "siemlab chart");
  const height = options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 500);
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title.replace(/<[^<>]*>/g, "")}</title>\n` +
    `<meta name="generator" content="siemlab (plotly.js ${plotlyBundle().version})">\n</head>\n` +
    `<body style="margin:0;padding:8px;background:#fff;">\n${plotlyLoaderHtml()}\n` +
    `${plotlyChartHtml(spec, { divId: "siemlab-chart", height, width: options.width })}\n</body>\n</html>\n`
  );
}

/**
 * Write {@link standaloneHtml} to `path` (parent folders are created). Works offline, opens in any browser.
 *
 * @example
 * saveHtml(spec, "out/logins.html");
 */
export function saveHtml(spec: PlotlySpec, path: string, options: HtmlExportOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, standaloneHtml(spec, options));
}

/**
 * Abort every http(s) request of a page: rendering must never depend on the network.
 *
 * @example
 * const page = await browser.newPage();
 * await blockNetwork(page);
 * await page.goto("https://example.org") // rejects: "page.goto: net::ERR_FAILED at https://example.org/"
 */
export async function blockNetwork(page: Page): Promise<void> {
  await page.route(/^(https?|wss?|ftp):/i, (route) => route.abort());
}

/**
 * A reusable renderer: one Chromium for many images (each standalone call starts its own, ≈ 2 s).
 * Close it when done.
 *
 * @example
 * const r = await openChartRenderer();
 * try { await r.savePng(spec1, "docs/a.png"); await r.saveSvg(spec2, "docs/b.svg"); } finally { await r.close(); }
 */
export interface ChartRenderer {
  render(spec: PlotlySpec, format: "png" | "svg", options?: ImageExportOptions): Promise<Buffer>;
  savePng(spec: PlotlySpec, path: string, options?: ImageExportOptions): Promise<void>;
  saveSvg(spec: PlotlySpec, path: string, options?: ImageExportOptions): Promise<void>;
  close(): Promise<void>;
}

function checkSize(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0 || v > 10000) throw new OptionError(`Expected \`${name}\` to be a number of pixels in (0, 10000], got ${v}`);
  return v;
}

async function preparePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await blockNetwork(page);
  await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>`);
  await page.addScriptTag({ content: plotlyBundle().text });
  return page;
}

/**
 * Open a {@link ChartRenderer} on a fresh headless Chromium (see `launchChromium`).
 *
 * @example
 * const r = await openChartRenderer();
 */
export async function openChartRenderer(): Promise<ChartRenderer> {
  const browser = await launchChromium();
  let pagePromise: Promise<Page> | undefined;
  const render = async (spec: PlotlySpec, format: "png" | "svg", options: ImageExportOptions = {}): Promise<Buffer> => {
    const width = checkSize("width", options.width ?? (typeof spec.layout.width === "number" ? spec.layout.width : 900));
    const height = checkSize("height", options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 500));
    const scale = options.scale ?? 2;
    if (!(scale > 0 && scale <= 10)) throw new OptionError(`Expected \`scale\` to be in (0, 10], got ${scale}`);
    pagePromise ??= preparePage(browser);
    const page = await pagePromise;
    // Plain JSON round trip: typed arrays → arrays, NaN → null, exactly what show() sends.
    const fig = JSON.parse(JSON.stringify(spec, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)));
    const url: string = await page.evaluate(
      async ({ fig, format, width, height, scale }) => {
        const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        return P.toImage({ data: fig.data, layout: fig.layout, config: { ...(fig.config ?? {}), displaylogo: false } }, { format, width, height, scale });
      },
      { fig, format, width, height, scale },
    );
    const comma = url.indexOf(",");
    const head = url.slice(0, comma);
    const body = url.slice(comma + 1);
    return head.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
  };
  const save = async (spec: PlotlySpec, path: string, format: "png" | "svg", options?: ImageExportOptions) => {
    const bytes = await render(spec, format, options);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  };
  return {
    render,
    savePng: (spec, path, options) => save(spec, path, "png", options),
    saveSvg: (spec, path, options) => save(spec, path, "svg", options),
    close: () => browser.close(),
  };
}

/**
 * Render a chart to PNG or SVG bytes with a one-off headless Chromium.
 *
 * @example
 * const png = await renderChartImage(spec, "png", { width: 800, height: 400 });
 */
export async function renderChartImage(spec: PlotlySpec, format: "png" | "svg", options: ImageExportOptions = {}): Promise<Buffer> {
  const r = await openChartRenderer();
  try {
    return await r.render(spec, format, options);
  } finally {
    await r.close();
  }
}

/**
 * Save a chart as PNG (default 900×500 CSS px at scale 2), rendered by headless Chromium.
 *
 * @example
 * await savePng(spec, "docs/timeline.png", { width: 900, height: 420 });
 */
export async function savePng(spec: PlotlySpec, path: string, options: ImageExportOptions = {}): Promise<void> {
  const r = await openChartRenderer();
  try {
    await r.savePng(spec, path, options);
  } finally {
    await r.close();
  }
}

/**
 * Save a chart as SVG (vector; text stays text), rendered by headless Chromium.
 *
 * @example
 * await saveSvg(spec, "docs/timeline.svg");
 */
export async function saveSvg(spec: PlotlySpec, path: string, options: ImageExportOptions = {}): Promise<void> {
  const r = await openChartRenderer();
  try {
    await r.saveSvg(spec, path, options);
  } finally {
    await r.close();
  }
}
