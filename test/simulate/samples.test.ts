import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { simulateBlobWithOutliers, simulateCounts, simulateLoginAttempts } from "../../src/simulate/samples";

const TUTORIAL = [
  5, 4, 4, 5, 5, 3, 5, 4, 6, 7, 2, 5, 5, 6, 4, 6, 6, 1, 7, 2, 11, 4, 3, 8, 3, 3, 5, 8, 3, 2, 5, 3, 8, 10, 3, 2, 5, 7,
  6, 6, 2, 4, 9, 7, 11, 8, 3, 2, 3, 4,
];

describe("simulateLoginAttempts", () => {
  it("reproduces the Python tutorial: poisson(5, 50) with seed 42, then [30, 40, 50]", () => {
    const sim = simulateLoginAttempts();
    expect(sim.counts).toEqual([...TUTORIAL, 30, 40, 50]);
    expect(sim.minute).toEqual(Array.from({ length: 53 }, (_, i) => i));
    expect(sim.isSpike.map((s, i) => (s ? i : -1)).filter((i) => i >= 0)).toEqual([50, 51, 52]);
  });

  it("takes its options", () => {
    const sim = simulateLoginAttempts({ minutes: 10, lam: 2, spikes: [99], seed: 7 });
    expect(sim.counts.length).toBe(11);
    expect(sim.counts.slice(0, 10)).toEqual(simulateCounts({ size: 10, lam: 2, seed: 7 }));
    expect(sim.counts[10]).toBe(99);
    expect(() => simulateLoginAttempts({ spikes: [-1] })).toThrow(OptionError);
  });
});

describe("simulateCounts", () => {
  it("defaults to the tutorial's draw", () => {
    expect(simulateCounts()).toEqual(TUTORIAL);
    expect(() => simulateCounts({ size: -1 })).toThrow("Expected `size` to be a non-negative integer");
    expect(() => simulateCounts({ lam: -5 })).toThrow("Expected `lam` to be a finite number >= 0");
  });
});

describe("simulateBlobWithOutliers", () => {
  it("puts round(n * fraction) uniform outliers in the last rows, seeded", () => {
    const { X, y } = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 1 });
    expect([X.rows, X.cols, X.data.length]).toEqual([200, 3, 600]);
    expect(Array.from(y.slice(0, 190)).every((v) => v === 0)).toBe(true);
    expect(Array.from(y.slice(190)).every((v) => v === 1)).toBe(true);
    const again = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 1 });
    expect(again.X.data).toEqual(X.data);
    const other = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 2 });
    expect(other.X.data).not.toEqual(X.data);
    expect(Number(X.data[0].toFixed(6))).toBe(1.624345); // np.random.RandomState(1).randn() = 1.6243453636632417
    for (let i = 190 * 3; i < 600; i++) expect(Math.abs(X.data[i])).toBeLessThanOrEqual(6);
  });

  it("validates options", () => {
    expect(() => simulateBlobWithOutliers({ outlierFraction: 1 })).toThrow("Expected `outlierFraction` to be in [0, 1)");
    expect(() => simulateBlobWithOutliers({ n: 0 })).toThrow(OptionError);
    expect(() => simulateBlobWithOutliers({ d: 1.5 })).toThrow(OptionError);
  });
});
