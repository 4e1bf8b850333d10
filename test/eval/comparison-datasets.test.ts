import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadComparisonDatasets, SIM_AUTH_COLUMNS, simulatedAuthWindows } from "../../src/eval/comparison-datasets";
import { sharedDatasetsDir } from "../../src/ingest/datasets";

const adbench = join(sharedDatasetsDir(), "adbench");
const present = existsSync(join(adbench, "16_http.npz")) && existsSync(join(adbench, "6_cardio.npz"));
if (!present) console.warn(`SKIPPED comparison-datasets ADBench tests: 16_http.npz / 6_cardio.npz not found in ${adbench}`);

describe("loadComparisonDatasets", () => {
  it("falls back to a seeded synthetic blob when the files are missing", () => {
    const a = loadComparisonDatasets({ dir: "/nonexistent/adbench", simulatedAuth: false });
    expect(a.kind).toBe("synthetic");
    expect(a.note).toMatch(/16_http.npz, 6_cardio.npz missing/);
    expect(a.datasets.map((d) => [d.name, d.rows, d.features, d.anomalies])).toEqual([["synthetic-blob", 3000, 6, 60]]);
    const withSim = loadComparisonDatasets({ dir: "/nonexistent/adbench" });
    expect(withSim.datasets.map((d) => d.name)).toEqual(["synthetic-blob", "sim-auth-5m"]);
    expect(withSim.note).toMatch(/plus sim-auth-5m \(162 source-IP windows, 22 attack windows, seed 0\)/);
    const b = loadComparisonDatasets({ dir: "/nonexistent/adbench" });
    expect(Array.from(b.datasets[0].X.data.subarray(0, 6))).toEqual(Array.from(a.datasets[0].X.data.subarray(0, 6)));
  });
  it("rejects a tiny maxRows", () => {
    expect(() => loadComparisonDatasets({ maxRows: 2 })).toThrow(/maxRows/);
  });
});

describe.skipIf(!present)("loadComparisonDatasets with the shared ADBench files", () => {
  it("loads and subsamples http, keeps cardio whole", () => {
    const { kind, datasets, note } = loadComparisonDatasets({ maxRows: 4000, seed: 0, simulatedAuth: false });
    expect(kind).toBe("adbench");
    expect(datasets.map((d) => [d.name, d.rows, d.features, d.subsampledFrom])).toEqual([
      ["16_http", 4000, 3, 567498],
      ["6_cardio", 1831, 21, undefined],
    ]);
    expect(datasets[1].anomalies).toBe(176);
    expect(note).toMatch(/^ADBench from .*16_http \(4000 of 567498 rows/);
  });
});

describe("simulatedAuthWindows", () => {
  it("counts a seeded simulated auth.log per source IP and 5-minute window, labelled by attack", () => {
    const d = simulatedAuthWindows({ seed: 0 });
    expect([d.name, d.rows, d.features, d.anomalies]).toEqual(["sim-auth-5m", 162, 4, 22]);
    expect(d.columns).toEqual(SIM_AUTH_COLUMNS);
    const kinds: Record<string, number> = {};
    for (const k of d.kinds ?? []) kinds[k] = (kinds[k] ?? 0) + 1;
    expect(kinds).toEqual({ normal: 116, background: 24, brute_force: 3, password_spraying: 19 });
    // Every brute-force window has many failures: the rule "failures ≥ 8" reads column 0.
    const bf = (d.kinds ?? []).flatMap((k, i) => (k === "brute_force" ? [d.X.data[i * 4]] : []));
    expect(Math.min(...bf)).toBeGreaterThanOrEqual(8);
    expect(Array.from(d.y as Uint8Array).reduce((a, b) => a + b, 0)).toBe(22);
  });
  it("validates the window", () => {
    expect(() => simulatedAuthWindows({ windowMinutes: 0 })).toThrow(/windowMinutes/);
  });
});
