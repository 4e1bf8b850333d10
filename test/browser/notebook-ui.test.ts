import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../src/export/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A person opens notebooks/01-seed-tutorial.ipynb in Jupyter Notebook (classic UI), runs all cells and sees
// the same answers as the Python tutorial with the chart drawn. This drives the real UI in headless Chromium
// with every request outside this machine blocked. The notebook runs from a temporary copy so the committed
// one stays free of outputs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require("../../scripts/jupyter.js") as {
  ensurePython(use: string): string;
  registerKernel(): void;
  jupyterEnv(): NodeJS.ProcessEnv;
};


function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}

describe("Jupyter Notebook UI", () => {
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let base = "";
  const token = `siemlab${Date.now()}`;

  beforeAll(async () => {
    const python = jupyter.ensurePython("start");
    jupyter.registerKernel();
    const dir = mkdtempSync(join(tmpdir(), "siemlab-ui-"));
    copyFileSync(resolve("notebooks/01-seed-tutorial.ipynb"), join(dir, "01-seed-tutorial.ipynb"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      python,
      ["-m", "notebook", "--no-browser", "--allow-root", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`, `--notebook-dir=${dir}`],
      { env: jupyter.jupyterEnv(), stdio: "ignore" },
    );
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/api/status?token=${token}`)).ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
  });

  it("runs 01-seed-tutorial top to bottom and shows the anomalies and the chart", async () => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const blocked: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(`${base}/notebooks/01-seed-tutorial.ipynb?token=${token}`);
    await page.waitForFunction(() => {
      const nb = (window as any).Jupyter?.notebook;
      return nb?.kernel?.is_connected?.() && nb.kernel_busy === false;
    }, undefined, { timeout: 60_000 });
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(
      () => {
        const cells = (window as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
        return cells.every((c: any) => typeof c.input_prompt_number === "number");
      },
      undefined,
      { timeout: 120_000, polling: 500 },
    );
    const outputs = await page.evaluate(() =>
      (window as any).Jupyter.notebook
        .get_cells()
        .filter((c: any) => c.cell_type === "code")
        .map((c: any) => c.output_area.outputs.map((o: any) => ({ type: o.output_type, name: o.name, text: o.text ?? "" }))),
    );
    const flat = outputs.flat();
    expect(flat.filter((o: any) => o.type === "error" || o.name === "stderr")).toEqual([]);
    const text = flat.map((o: any) => o.text).join("");
    expect(text).toContain("Anomalies at indices: [ 50, 51, 52 ]");
    expect(text).toContain("Alert! Detected 3 anomalous events. Initiating response procedures...");
    // The chart: drawn by Plotly, with the three anomalies as red markers.
    await page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 30_000 });
    const red = await page.evaluate(() => {
      const plot = document.querySelector(".js-plotly-plot") as any;
      const trace = plot.data.find((t: any) => /anomal/i.test(String(t.name)));
      return trace ? trace.x.length : -1;
    });
    expect(red).toBe(3);
    mkdirSync("out/screenshots", { recursive: true });
    await page.screenshot({ path: "out/screenshots/jupyter-ui-01-seed-tutorial.png", fullPage: false });
    await page.close();
  }, 240_000);
});
