import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { windowCounts } from "../../src/features/window-counts";
import { parseLogLines } from "../../src/ingest/parse-log";
import { ATTACK_LABELS, labelSimulatedWindows, simulateAttacks, writeSimulatedSamples } from "../../src/simulate/attacks";

const sim = simulateAttacks();

describe("simulateAttacks", () => {
  it("is seeded: same seed same lines, other seed other lines", () => {
    expect(simulateAttacks().auth.lines).toEqual(sim.auth.lines);
    expect(simulateAttacks({ seed: 1 }).auth.lines).not.toEqual(sim.auth.lines);
  });

  it("labels every line, in time order, and injects the four attacks", () => {
    for (const log of [sim.auth, sim.access]) {
      expect(log.labels).toHaveLength(log.lines.length);
      for (let i = 1; i < log.labels.length; i++) expect(log.labels[i].time).toBeGreaterThanOrEqual(log.labels[i - 1].time);
    }
    expect(sim.attacks.map((a) => a.kind).sort()).toEqual([...ATTACK_LABELS].sort());
    for (const a of sim.attacks) {
      const log = a.kind === "brute_force" || a.kind === "password_spraying" ? sim.auth : sim.access;
      expect(log.labels.filter((l) => l.label === a.kind).length).toBe(a.lines);
      expect(log.labels.filter((l) => l.label === a.kind).every((l) => l.srcIp === a.srcIp)).toBe(true);
    }
  });

  it("produces lines our parsers read completely, with the attack visible in the features", () => {
    const auth = parseLogLines(sim.auth.lines, { year: 2025 });
    expect(auth.format).toBe("rfc3164");
    expect(auth.counts.rejected).toBe(0);
    const access = parseLogLines(sim.access.lines);
    expect([access.format, access.counts.rejected]).toEqual(["combined", 0]);
    const f = windowCounts(auth.events, { filter: "failed_password", window: "1m", zeroFill: false });
    let maxIp = "";
    let max = 0;
    f.entities.forEach((e, i) => { if (f.matrix.data[i] > max) { max = f.matrix.data[i]; maxIp = e; } });
    expect(maxIp).toBe("198.51.100.23");
    expect(max).toBeGreaterThanOrEqual(15);
    const bytes = windowCounts(access.events, { window: "1h", features: ["bytesSum"], zeroFill: false });
    const top = bytes.entities[bytes.matrix.data.indexOf(Math.max(...bytes.matrix.data))];
    expect(top).toBe("10.0.9.23");
  });

  it("labels windows: attack when any line is an attack line", () => {
    const w = labelSimulatedWindows(sim.auth);
    const brute = w.filter((x) => x.label === "brute_force");
    expect(brute.length).toBeGreaterThanOrEqual(10);
    expect(brute.every((x) => x.srcIp === "198.51.100.23")).toBe(true);
    expect(w.reduce((a, x) => a + x.lines, 0)).toBe(sim.auth.labels.filter((l) => l.srcIp !== undefined).length);
  });

  it("data/sim holds exactly what the default seed generates (byte-identical)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-sim-"));
    try {
      const files = writeSimulatedSamples(dir);
      expect(files.map((f) => path.basename(f))).toEqual(["auth.log", "access.log", "labels.csv", "windows.csv"]);
      for (const f of files) {
        const committed = path.join("data/sim", path.basename(f));
        expect(fs.existsSync(committed), `${committed} missing: run writeSimulatedSamples("data/sim")`).toBe(true);
        expect(fs.readFileSync(f).equals(fs.readFileSync(committed)), `${committed} differs from a fresh run`).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
