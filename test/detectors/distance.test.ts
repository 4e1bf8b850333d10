import { describe, expect, it } from "vitest";
import { squaredDistance } from "../../src/detectors/distance";

describe("squaredDistance", () => {
  it("measures between rows at any offsets of two arrays", () => {
    const A = Float64Array.of(0, 0, 3, 4);
    expect(squaredDistance(A, 0, A, 2, 2)).toBe(25);
    expect(squaredDistance(A, 2, Float64Array.of(9, 3, 4), 1, 2)).toBe(0);
    expect(squaredDistance(A, 0, A, 2, 0)).toBe(0);
  });

  it("sums in column order (the same bits as the loop it replaced)", () => {
    const A = Float64Array.of(0.1, 0.2, 0.3);
    const B = Float64Array.of(0.7, -0.05, 1e-9);
    let s = 0;
    for (let c = 0; c < 3; c++) s += (A[c] - B[c]) * (A[c] - B[c]);
    expect(squaredDistance(A, 0, B, 0, 3)).toBe(s);
  });
});
