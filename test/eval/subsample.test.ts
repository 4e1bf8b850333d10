import { describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { subsampleLabelled } from "../../src/eval/subsample";

const X = Array.from({ length: 10 }, (_, i) => [i, 10 * i]);
const y = X.map((_, i) => (i % 4 === 0 ? 1 : 0));

describe("subsampleLabelled", () => {
  it("draws NumPy's RandomState(seed).choice(n, m, replace=False) rows, back in original order", () => {
    // np.sort(np.random.RandomState(0).choice(10, 4, replace=False)) → [2, 4, 8, 9]
    const s = subsampleLabelled(X, y, 4, 0);
    expect(Array.from(s.indices)).toEqual([2, 4, 8, 9]);
    expect(Array.from(s.X.data)).toEqual([2, 20, 4, 40, 8, 80, 9, 90]);
    expect(Array.from(s.y)).toEqual([0, 1, 1, 0]);
  });
  it("keeps every row when n ≤ maxRows", () => {
    const s = subsampleLabelled(X, y, 50, 3);
    expect(s.X.rows).toBe(10);
    expect(Array.from(s.y)).toEqual(y);
  });
  it("validates", () => {
    expect(() => subsampleLabelled(X, [1], 4)).toThrow(DataError);
    expect(() => subsampleLabelled(X, y, 0)).toThrow(OptionError);
  });
});
