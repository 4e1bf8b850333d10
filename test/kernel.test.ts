import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// The kernel launcher (scripts/kernel.js) patches two tslab 1.0.22 faults at load time: the start-up race
// (receive loops running while the five sockets bind: EBUSY) and "Unexpected pending rebuildTimer" when
// a watched file changes. These tests speak the Jupyter protocol for real (jupyter_client from Debian's
// Python, through scripts/kernel_probe.py) and watch the socket calls in-process.
const require_ = createRequire(import.meta.url);
const PYTHON = process.env.SIEMLAB_PYTHON ?? "/usr/bin/python3";
const PROBE = path.resolve("scripts/kernel_probe.py");
const hasJupyterClient = spawnSync(PYTHON, ["-c", "import jupyter_client"], { stdio: "ignore" }).status === 0;
if (!hasJupyterClient) {
  if (process.env.CI === "true") throw new Error(`${PYTHON} cannot import jupyter_client (npm run setup installs it)`);
  console.warn(`[kernel.test] skipping the protocol tests: ${PYTHON} has no jupyter_client (run npm run setup)`);
}

/** Runs the probe; resolves with its JSON summary and exit code. */
function probe(args: string[]): Promise<{ code: number | null; result: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [PROBE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve({ code, result: JSON.parse(line), stderr: err });
      } catch {
        reject(new Error(`probe printed no JSON (exit ${code}):\n${out}\n${err}`));
      }
    });
  });
}

describe("scripts/kernel.js: tslab binds every socket before it serves", () => {
  it("no socket receives or sends before all five binds have finished", async () => {
    const zmq = require_(require_.resolve("zeromq", { paths: [path.resolve("node_modules/tslab/dist")] }));
    const { patchTslab } = require_(path.resolve("scripts/kernel.js"));
    patchTslab();
    const { ZmqServer } = require_(path.resolve("node_modules/tslab/dist/jupyter.js"));
    const events: string[] = [];
    // zeromq's native methods are read-only: shadow them on the socket classes tslab uses.
    const classes = [zmq.Publisher, zmq.Router, zmq.Reply].map((c) => c.prototype);
    const native = Object.getPrototypeOf(zmq.Router.prototype);
    const spy = (name: string, wrap: (orig: Function) => Function) => {
      for (const proto of classes) Object.defineProperty(proto, name, { configurable: true, value: wrap(native[name]) });
    };
    spy("bind", (orig) => async function (this: unknown, addr: string) {
      events.push("bind-start");
      await orig.call(this, addr);
      events.push("bind-end");
    });
    for (const name of ["receive", "send"]) {
      spy(name, (orig) => function (this: unknown, ...args: unknown[]) {
        events.push(name);
        return orig.apply(this, args);
      });
    }
    const restore = () => {
      for (const proto of classes) for (const name of ["bind", "receive", "send"]) delete proto[name];
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-kernel-"));
    const config = path.join(dir, "connection.json");
    const ports = { iopub_port: "*", shell_port: "*", control_port: "*", stdin_port: "*", hb_port: "*" };
    fs.writeFileSync(config, JSON.stringify({ transport: "tcp", ip: "127.0.0.1", key: "k", ...ports }));
    const server = new ZmqServer({ close() {} }, config);
    try {
      await server.init();
      await new Promise((r) => setTimeout(r, 50)); // let the receive loops start
    } finally {
      server.close();
      restore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const lastBind = events.lastIndexOf("bind-end");
    expect(events.filter((e) => e === "bind-end")).toHaveLength(5);
    expect(events.indexOf("receive"), events.join(" ")).toBeGreaterThan(lastBind);
    expect(events.slice(0, lastBind + 1)).not.toContain("send");
  });

  it.skipIf(!hasJupyterClient)(
    "20 kernel starts, 4 at a time, with a busy loop on the other core: every one answers",
    async () => {
      const busy = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
      try {
        const { code, result, stderr } = await probe(["starts", "--starts", "20", "--parallel", "4"]);
        expect(result.failures, stderr).toEqual([]);
        expect(result).toMatchObject({ starts: 20, failed: 0 });
        expect(code).toBe(0);
      } finally {
        busy.kill();
      }
    },
    300_000,
  );

  it.skipIf(!hasJupyterClient)(
    "a cell does not die because files changed under the kernel (new file in a watched folder, edited module)",
    async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-watch-"));
      try {
        const { code, result, stderr } = await probe(["watch", "--root", root]);
        const steps = result.steps as { code: string; ok: boolean; text: string }[];
        for (const s of steps) expect(s.ok, `${s.code}: ${s.text}\n${stderr}`).toBe(true);
        // The edit to lib/a.ts is seen by the next import, and the module that appeared later resolves.
        expect(steps.map((s) => s.text)).toEqual(expect.arrayContaining(["11", "14"]));
        expect(result.noise).toEqual([]);
        expect(code).toBe(0);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
