// Executed notebooks in a real browser: every out/*.html written by `npm run notebooks` is opened offline
// (file://, every http(s) request aborted, so nbconvert's CDN require.js never loads) and every chart must be
// drawn. `npm test` runs the notebooks first, so a missing out/ is a failure, not a skip.
// Chart-only browser tests live in charts.test.ts and do not need out/.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openBrowser, pointColours, probePlots, watchedPage } from "./browser";

const repoRoot = resolve(__dirname, "../..");
const out = resolve(repoRoot, "out");
const shots = resolve(out, "screenshots");
const RED = "rgb(214, 39, 40)";
const MAX_BYTES = 6 * 1024 * 1024;

const exports = existsSync(out) ? readdirSync(out).filter((f) => /^\d\d-.*\.html$/.test(f)).sort() : [];

let browser: Browser;
beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("executed notebooks (out/*.html)", () => {
  test("out/ holds executed notebook exports", () => {
    expect(exports, "no out/NN-*.html: run `npm run notebooks` first (npm test does)").not.toEqual([]);
  });

  test.each(exports)("%s and its .ipynb are under 6 MB", (file) => {
    expect(statSync(resolve(out, file)).size).toBeLessThan(MAX_BYTES);
    const ipynb = resolve(out, file.replace(/\.html$/, ".ipynb"));
    if (existsSync(ipynb)) expect(statSync(ipynb).size).toBeLessThan(MAX_BYTES);
  });

  test.each(exports)("%s renders every chart offline", async (file) => {
    const w = await watchedPage(browser, { width: 1280, height: 1000 });
    await w.page.goto(pathToFileURL(resolve(out, file)).href);
    const plots = await probePlots(w.page);
    const bad = plots.filter((p) => !p.rendered || p.traces === 0 || p.drawn === 0);
    expect(bad, `charts not drawn in ${file}`).toEqual([]);
    expect(w.dialogs).toEqual([]);
    await w.page.screenshot({ path: resolve(shots, `${basename(file, ".html")}.png`), fullPage: true });

    if (file === "01-seed-tutorial.html") {
      expect(plots.length).toBeGreaterThanOrEqual(1);
      // The tutorial chart: the plot with an "anomaly (…)" trace; exactly three red markers (minutes 50, 51, 52).
      const tutorial = await w.page.evaluate(() =>
        Array.from(document.querySelectorAll(".siemlab-plot"))
          .filter((el) => ((el as unknown as { _fullData?: { name?: string }[] })._fullData ?? []).some((d) => /^anomaly \(/.test(d.name ?? "")))
          .map((el) => el.id),
      );
      expect(tutorial.length, "no tutorial chart (a trace named 'anomaly (n)') in notebook 01").toBeGreaterThanOrEqual(1);
      const colours = await pointColours(w.page, tutorial[0]);
      expect(colours.filter((c) => c === RED)).toHaveLength(3);
    }
    await w.page.close();
  });
});
