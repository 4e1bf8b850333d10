import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadComparisonDatasets } from "../../src/eval/comparison-datasets";
import { sharedDatasetsDir } from "../../src/ingest/datasets";

const adbench = join(sharedDatasetsDir(), "adbench");
const present = existsSync(join(adbench, "16_http.npz")) && existsSync(join(adbench, "6_cardio.npz"));
if (!present) console.warn(`SKIPPED comparison-datasets ADBench tests: 16_http.npz / 6_cardio.npz not found in ${adbench}`);

describe("loadComparisonDatasets", () => {
  it("falls back to a seeded synthetic blob when the files are missing", () => {
    const a = loadComparisonDatasets({ dir: "/nonexistent/adbench" });
    expect(a.kind).toBe("synthetic");
    expect(a.note).toMatch(/16_http.npz, 6_cardio.npz missing/);
    expect(a.datasets.map((d) => [d.name, d.rows, d.features, d.anomalies])).toEqual([["synthetic-blob", 3000, 6, 60]]);
    const b = loadComparisonDatasets({ dir: "/nonexistent/adbench" });
    expect(Array.from(b.datasets[0].X.data.subarray(0, 6))).toEqual(Array.from(a.datasets[0].X.data.subarray(0, 6)));
  });
  it("rejects a tiny maxRows", () => {
    expect(() => loadComparisonDatasets({ maxRows: 2 })).toThrow(/maxRows/);
  });
});

describe.skipIf(!present)("loadComparisonDatasets with the shared ADBench files", () => {
  it("loads and subsamples http, keeps cardio whole", () => {
    const { kind, datasets, note } = loadComparisonDatasets({ maxRows: 4000, seed: 0 });
    expect(kind).toBe("adbench");
    expect(datasets.map((d) => [d.name, d.rows, d.features, d.subsampledFrom])).toEqual([
      ["16_http", 4000, 3, 567498],
      ["6_cardio", 1831, 21, undefined],
    ]);
    expect(datasets[1].anomalies).toBe(176);
    expect(note).toMatch(/^ADBench from .*16_http \(4000 of 567498 rows/);
  });
});
