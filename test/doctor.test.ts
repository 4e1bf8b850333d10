import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sharedDatasetsDir } from "../src/ingest/datasets";

// `npm run doctor` (scripts/doctor.js): the README's "before the workshop" checklist. Its verdicts must match
// this machine as the tests see it, and a broken machine must get FAIL/warn lines that say how to fix it.
const require_ = createRequire(import.meta.url);
const DOCTOR = resolve("scripts/doctor.js");
const empty = mkdtempSync(join(tmpdir(), "siemlab-doctor-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix?: string;
}
function doctor(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [DOCTOR, ...args], {
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const hasJupyter = spawnSync(process.env.SIEMLAB_PYTHON ?? "/usr/bin/python3", ["-c", "import notebook, jupyter_client"], { stdio: "ignore" }).status === 0;

describe("npm run doctor", () => {
  it("checks node, packages, build, Jupyter, kernel, Chromium, data sets and memory, as this machine has them", () => {
    const { buildState } = require_("../scripts/build.js") as { buildState(): { fresh: boolean } };
    const r = doctor(hasJupyter ? ["--json"] : ["--json", "--quick"]);
    const report = JSON.parse(r.out) as { ok: boolean; checks: Check[] };
    const by = new Map(report.checks.map((c) => [c.name, c]));
    for (const name of ["Node.js", "npm packages", "library build (dist/)", "Jupyter Notebook", "kernel registered", "Chromium", "free memory"]) {
      expect(by.has(name), `no check named ${name}`).toBe(true);
    }
    expect(by.get("Node.js")!.status).toBe("ok");
    expect(by.get("library build (dist/)")!.status).toBe(buildState().fresh ? "ok" : "fail");
    // (Node 20 on this CPU runs WebAssembly SIMD: the scanner's own tests run it too)
    if (buildState().fresh) expect(by.get("fast log reader")?.status).toBe("ok");
    expect(by.get("Chromium")!.status).toBe(existsSync(process.env.SIEMLAB_CHROMIUM ?? "/usr/bin/chromium") ? "ok" : "fail");
    if (hasJupyter && by.get("kernel registered")!.status === "ok") {
      expect(by.get("kernel starts"), "the registered kernel was not started").toBeDefined();
      expect(by.get("kernel starts")!.status, by.get("kernel starts")!.detail).toBe("ok");
    }
    const adbench = join(sharedDatasetsDir(), "adbench", "6_cardio.npz");
    expect(by.get("data set adbench/6_cardio.npz")!.status).toBe(existsSync(adbench) ? "ok" : "warn");
    for (const c of report.checks) if (c.status !== "ok") expect(c.fix, `${c.name} has no fix`).toBeTruthy();
    expect(r.code).toBe(report.checks.some((c) => c.status === "fail") ? 1 : 0);
    expect(report.ok).toBe(r.code === 0);
  }, 240_000);

  it("says what is missing and how to fix it: no Chromium (FAIL, exit 1), no data sets (warn)", () => {
    const env = {
      SIEMLAB_CHROMIUM: join(empty, "no-chromium"),
      SIEMLAB_SHARED_DATASETS: empty,
      SIEMLAB_DATA_DIR: empty,
      SIEMLAB_CACHE_DIR: empty,
    };
    const json = doctor(["--json", "--quick"], env);
    const checks = (JSON.parse(json.out) as { checks: Check[] }).checks;
    const chromium = checks.find((c) => c.name === "Chromium")!;
    expect(chromium).toMatchObject({ status: "fail" });
    expect(chromium.detail).toContain("no-chromium");
    expect(chromium.fix).toMatch(/apt-get install chromium|SIEMLAB_CHROMIUM/);
    const ssh = checks.find((c) => c.name === "data set loghub/OpenSSH_2k")!;
    expect(ssh.status).toBe("warn");
    expect(ssh.detail).toMatch(/simulator/);
    expect(ssh.fix).toContain(empty);
    expect(checks.find((c) => c.name === "data set adbench/16_http.npz")!.status).toBe("warn");
    expect(json.code).toBe(1);

    const text = doctor(["--quick"], env);
    expect(text.out).toMatch(/^FAIL {2}Chromium: /m);
    expect(text.out).toMatch(/^ {6}fix: /m);
    expect(text.out).toMatch(/check(s)? failed: fix them before the workshop/);
    expect(doctor(["--bogus"]).code).toBe(2);
  }, 120_000);
});
