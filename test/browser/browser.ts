// Shared helpers of the browser tests: one headless Chromium, pages with the network blocked, and probes
// that tell whether every Plotly chart on a page was drawn.
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../src/export/chromium";
import { blockNetwork } from "../../src/export/chart-export";

export interface WatchedPage {
  page: Page;
  dialogs: string[];
  errors: string[];
  blocked: string[];
}

export async function openBrowser(): Promise<Browser> {
  return launchChromium();
}

/** A new page that aborts every http(s) request and records dialogs (alert/confirm) and page errors. */
export async function watchedPage(browser: Browser, viewport = { width: 1200, height: 900 }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const w: WatchedPage = { page, dialogs: [], errors: [], blocked: [] };
  page.on("dialog", (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => w.errors.push(String(e)));
  page.on("requestfailed", (r) => w.blocked.push(r.url()));
  await blockNetwork(page);
  return w;
}

export interface PlotProbe {
  id: string;
  rendered: boolean;
  traces: number;
  drawn: number;
  message: string | null;
}

/** Wait until every `.siemlab-plot` is drawn (or `timeoutMs` passes), then describe each. */
export async function probePlots(page: Page, timeoutMs = 30_000): Promise<PlotProbe[]> {
  await page
    .waitForFunction(
      () => {
        const plots = Array.from(document.querySelectorAll(".siemlab-plot"));
        // Heatmaps draw into g.hm (an <image>), not g.trace.
        return plots.every((p) => p.querySelector(".main-svg") !== null && p.querySelector("g.trace, g.hm") !== null);
      },
      undefined,
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(() => undefined);
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>(".siemlab-plot")).map((el) => {
      const gd = el as HTMLElement & { _fullData?: unknown[] };
      const msg = el.querySelector(".siemlab-plot-message");
      return {
        id: el.id,
        rendered: el.querySelector(".main-svg") !== null,
        traces: gd._fullData?.length ?? 0,
        // drawn marks inside trace groups: scatter points/lines, bars, contour paths, and heatmap images (g.hm)
        drawn: el.querySelectorAll("g.trace path, g.trace image, g.hm image").length,
        message: msg ? msg.textContent : null,
      };
    }),
  );
}

/** Fill colours of the scatter points drawn in one plot, e.g. "rgb(214, 39, 40)" for the anomaly red. */
export async function pointColours(page: Page, id: string): Promise<string[]> {
  return page.evaluate(
    (plotId) =>
      Array.from(document.querySelectorAll(`#${CSS.escape(plotId)} .scatterlayer path.point`)).map(
        (p) => (p as SVGPathElement).style.fill,
      ),
    id,
  );
}
