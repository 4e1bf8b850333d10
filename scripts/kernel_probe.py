"""Talks to the siemlab tslab kernel over the real Jupyter protocol (jupyter_client), for tests and timing.

Modes (one JSON line on stdout with the result; exit 1 when any check failed):
  starts   --starts N --parallel P   start N kernels, P at a time; each must answer kernel_info, run
                                     `1 + 1` and shut down, with no socket error on its stderr
  watch    --root DIR                run cells while files under DIR change between them (a new file in a
                                     watched directory, an edited module): every cell must succeed
  first    --notebook NB [--pause S] seconds from kernel start to ready and to the first code cell's reply
                                     (after S seconds idle, as a person reading the first markdown cell)
  run      --notebook NB             every code cell in order: seconds and the kernel's peak memory (VmHWM)

Kernel: started as scripts/kernel.js from a kernel spec written to a temporary JUPYTER_PATH (with
--argv tslab: tslab's own launcher, unpatched, to show what the fixes are for), or with
--registered NAME the kernel Jupyter finds by that name (npm run doctor checks "tslab" this way).
"""
import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time

from jupyter_client.manager import AsyncKernelManager

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOISE = re.compile(r"EBUSY|blocked by a bind|Unexpected pending rebuildTimer|UncaughtException|UnhandledPromise")


def write_spec(jupyter_path, root, argv_kind):
    node = os.environ.get("SIEMLAB_NODE", "node")
    if argv_kind == "tslab":
        argv = [node, os.path.join(REPO, "node_modules", "tslab", "bin", "tslab"), "kernel"]
    else:
        argv = [node, os.path.join(REPO, "scripts", "kernel.js"), "kernel"]
    spec_dir = os.path.join(jupyter_path, "kernels", "siemlab-probe")
    os.makedirs(spec_dir, exist_ok=True)
    with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
        json.dump({"argv": argv + ["--config-path", "{connection_file}"], "display_name": "probe",
                   "language": "typescript", "env": {"SIEMLAB_ROOT": root}}, f)


async def wait_reply(client, msg_id, timeout):
    deadline = time.time() + timeout
    while True:
        reply = await client.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


async def run_cell(client, code, timeout=120):
    """Executes code; returns (status, text of results and streams)."""
    msg_id = client.execute(code)
    reply = await wait_reply(client, msg_id, timeout)
    texts = []
    while True:
        try:
            msg = await client.get_iopub_msg(timeout=2)
        except Exception:
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            texts.append(msg["content"]["text"])
        elif kind in ("execute_result", "display_data"):
            texts.append(msg["content"]["data"].get("text/plain", ""))
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    return reply["content"]["status"], "".join(texts)


class Kernel:
    kernel_name = "siemlab-probe"

    def __init__(self, log_path, cwd=REPO):
        self.log_path = log_path
        self.cwd = cwd
        self.km = AsyncKernelManager(kernel_name=Kernel.kernel_name)
        self.client = None

    async def __aenter__(self):
        self.log = open(self.log_path, "w")
        await self.km.start_kernel(stdout=self.log, stderr=self.log, cwd=self.cwd)
        self.client = self.km.client()
        self.client.start_channels()
        return self

    async def __aexit__(self, *exc):
        try:
            if self.client is not None:
                self.client.stop_channels()
            await self.km.shutdown_kernel(now=False)
        finally:
            self.log.close()

    def stderr(self):
        with open(self.log_path) as f:
            return f.read()


async def one_start(i, tmp, sem, results):
    async with sem:
        t0 = time.time()
        log = os.path.join(tmp, f"kernel-{i}.log")
        problem = None
        try:
            async with Kernel(log) as k:
                await k.client.wait_for_ready(timeout=120)
                status, text = await run_cell(k.client, "1 + 1")
                if status != "ok" or "2" not in text:
                    problem = f"`1 + 1` gave {status} {text!r}"
        except Exception as e:  # a dead kernel, a timeout
            problem = f"{type(e).__name__}: {e}"
        with open(log) as f:
            noise = [line for line in f.read().splitlines() if NOISE.search(line)]
        if noise and problem is None:
            problem = "kernel stderr: " + " | ".join(noise[:3])
        results.append({"start": i, "ok": problem is None, "seconds": round(time.time() - t0, 2),
                        "problem": problem})


async def mode_starts(args, tmp):
    sem = asyncio.Semaphore(args.parallel)
    results = []
    await asyncio.gather(*(one_start(i, tmp, sem, results) for i in range(args.starts)))
    failed = [r for r in results if not r["ok"]]
    print(json.dumps({"starts": len(results), "failed": len(failed), "failures": failed[:5],
                      "max_seconds": max(r["seconds"] for r in results)}))
    return 1 if failed else 0


async def mode_watch(args, tmp):
    root = args.root
    lib = os.path.join(root, "lib")
    os.makedirs(lib, exist_ok=True)
    with open(os.path.join(lib, "a.ts"), "w") as f:
        f.write("export const a = 1;\n")
    steps = []
    async with Kernel(os.path.join(tmp, "kernel.log"), cwd=root) as k:
        await k.client.wait_for_ready(timeout=120)
        cells = [
            ('import { a } from "./lib/a";\na + 1', "2", None),
            # A failed import makes TypeScript watch lib/ for the missing module.
            ('import { b } from "./lib/b";\nb', None, None),
            # A new file appears in the watched directory (as when node_modules is relinked)...
            ("a + 2", "3", lambda: open(os.path.join(lib, "other.ts"), "w").write("export const o = 0;\n")),
            # ...and a module the kernel already compiled is edited.
            ("a + 3", "4", lambda: open(os.path.join(lib, "a.ts"), "w").write("export const a = 10;\n")),
            ('import { a as a2 } from "./lib/a";\na2 + 1', "11", None),
            # The module that was missing appears: the failed lookup is invalidated and resolves.
            ('import { b } from "./lib/b";\nb * 2', "14",
             lambda: open(os.path.join(lib, "b.ts"), "w").write("export const b = 7;\n")),
        ]
        for code, want, before in cells:
            if before is not None:
                before()
                await asyncio.sleep(args.settle)  # let the file watchers fire
            status, text = await run_cell(k.client, code)
            ok = want is None or (status == "ok" and want in text)
            steps.append({"code": code.splitlines()[-1], "status": status, "ok": ok, "text": text.strip()[:160]})
        noise = [line for line in k.stderr().splitlines() if NOISE.search(line)]
    failed = [s for s in steps if not s["ok"]]
    print(json.dumps({"cells": len(steps), "failed": len(failed), "steps": steps, "noise": noise[:3]}))
    return 1 if failed or noise else 0


async def mode_first(args, tmp):
    with open(args.notebook) as f:
        nb = json.load(f)
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code = "".join(first["source"])
    t0 = time.time()
    async with Kernel(os.path.join(tmp, "kernel.log")) as k:
        await k.client.wait_for_ready(timeout=120)
        ready = time.time() - t0
        await asyncio.sleep(args.pause)  # a person reading the first markdown cell
        t1 = time.time()
        status, text = await run_cell(k.client, code, timeout=300)
        result = time.time() - t0
        cell = time.time() - t1
    print(json.dumps({"notebook": os.path.basename(args.notebook), "ready_s": round(ready, 2),
                      "pause_s": args.pause, "first_result_s": round(result, 2),
                      "first_cell_s": round(cell, 2), "status": status, "output": text.strip()[:120]}))
    return 0 if status == "ok" else 1


def peak_mb(km):
    """The kernel process's peak resident memory in MB (Linux /proc), or None."""
    try:
        pid = km.provisioner.process.pid
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except Exception:
        return None
    return None


async def mode_run(args, tmp):
    with open(args.notebook) as f:
        nb = json.load(f)
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    t0 = time.time()
    failed = None
    async with Kernel(os.path.join(tmp, "kernel.log")) as k:
        await k.client.wait_for_ready(timeout=120)
        for i, code in enumerate(cells, 1):
            status, text = await run_cell(k.client, code, timeout=600)
            if status != "ok":
                failed = {"cell": i, "status": status, "text": text.strip()[:300]}
                break
        peak = peak_mb(k.km)
    print(json.dumps({"notebook": os.path.basename(args.notebook), "cells": len(cells),
                      "seconds": round(time.time() - t0, 1), "peak_mb": peak, "failed": failed}))
    return 0 if failed is None else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["starts", "watch", "first", "run"])
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--parallel", type=int, default=4)
    ap.add_argument("--root", default=REPO)
    ap.add_argument("--notebook")
    ap.add_argument("--settle", type=float, default=1.5)
    ap.add_argument("--pause", type=float, default=0.0, help="first: seconds between ready and the first cell")
    ap.add_argument("--argv", choices=["siemlab", "tslab"], default="siemlab")
    ap.add_argument("--registered", metavar="NAME",
                    help="use this registered kernel (found on JUPYTER_PATH) instead of writing a spec")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="siemlab-probe-") as tmp:
        if args.registered:
            Kernel.kernel_name = args.registered
        else:
            jupyter_path = os.path.join(tmp, "jupyter")
            write_spec(jupyter_path, os.path.abspath(args.root), args.argv)
            os.environ["JUPYTER_PATH"] = jupyter_path
        os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")
        mode = {"starts": mode_starts, "watch": mode_watch, "first": mode_first, "run": mode_run}[args.mode]
        return asyncio.run(mode(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
