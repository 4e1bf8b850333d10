import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { freePort } from "./support";

// `npm start` (scripts/start.js): Jupyter Notebook with the project's configuration, and the options a teacher
// uses to serve a room (`--ip 0.0.0.0 --port N --token T`).
const require_ = createRequire(import.meta.url);
const { jupyterArgs } = require_("../scripts/start.js") as { jupyterArgs(extra: string[], env?: object): string[] };
const hasNotebook = spawnSync(process.env.SIEMLAB_PYTHON ?? "/usr/bin/python3", ["-c", "import notebook"], { stdio: "ignore" }).status === 0;

describe("npm start", () => {
  it("listens on 127.0.0.1 unless told otherwise; --ip/--port pass through; --token T sets the token", () => {
    const local = jupyterArgs([], {});
    expect(local).toContain("--ip=127.0.0.1");
    expect(local).toContain("--no-browser");
    const room = jupyterArgs(["--ip", "0.0.0.0", "--port", "8888", "--token", "workshop"], {});
    expect(room).not.toContain("--ip=127.0.0.1");
    expect(room.join(" ")).toContain("--ip 0.0.0.0 --port 8888 --NotebookApp.token=workshop");
    expect(jupyterArgs(["--token=abc"], {})).toContain("--NotebookApp.token=abc");
    expect(() => jupyterArgs(["--token"], {})).toThrow(/--token needs a value/);
  });

  it.skipIf(!hasNotebook)(
    "serves the notebooks with the given port and token, the project's custom.js, and prints the URL to open",
    async () => {
      const port = await freePort();
      const child = spawn(process.execPath, ["scripts/start.js", "--ip", "127.0.0.1", "--port", String(port), "--token", "room42"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      const exited = new Promise((r) => child.on("exit", r));
      try {
        for (let i = 0; i < 150 && !err.includes("Jupyter is ready"); i++) await new Promise((r) => setTimeout(r, 200));
        expect(err).toContain(`[siemlab] Jupyter is ready: open http://127.0.0.1:${port}/?token=room42`);
        const base = `http://127.0.0.1:${port}`;
        expect((await fetch(`${base}/api/status?token=room42`)).ok).toBe(true);
        expect((await fetch(`${base}/api/status?token=wrong`)).status).toBe(403);
        const custom = await (await fetch(`${base}/custom/custom.js?token=room42`)).text();
        expect(custom).toContain("auto_scroll_threshold = -1");
        const listing = (await (await fetch(`${base}/api/contents?token=room42`)).json()) as { content: { name: string }[] };
        expect(listing.content.map((f) => f.name)).toContain("01-seed-tutorial.ipynb");
      } finally {
        child.kill("SIGTERM");
        await exited;
      }
    },
    60_000,
  );
});
