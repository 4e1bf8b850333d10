import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { OptionError } from "../src/errors";
import { RandomState, randomLoggam, randomState } from "../src/random";

interface SeedFixture {
  seed: number;
  randomSample: number[];
  randn: number[];
  normal: number[];
  uniform: number[];
  exponential: number[];
  poisson: { lam: number; values: number[] }[];
  randint: { low: number; high: number; values: number[] }[];
  shuffle25: number[];
  permutation300: number[];
  choiceReplace: number[];
  choiceNoReplace: number[];
  interleaved: [string, number][];
}

const fixture = JSON.parse(readFileSync(resolve(__dirname, "fixtures/numpy-random.json"), "utf8")) as {
  numpy: string;
  seeds: SeedFixture[];
};

/** Floats agree to 1e-15 (relative for large values): Math.log may differ from glibc's in the last bit. */
function expectFloatsClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-15 * Math.max(1, Math.abs(expected[i]));
    if (Math.abs(actual[i] - expected[i]) > tol) {
      expect.fail(`index ${i}: got ${actual[i]}, NumPy gives ${expected[i]}`);
    }
  }
}

describe("RandomState reproduces NumPy's legacy RandomState", () => {
  it("gives the seed tutorial's login attempts for np.random.seed(42); poisson(lam=5, size=50)", () => {
    expect(new RandomState(42).poisson(5, 50)).toEqual([
      5, 4, 4, 5, 5, 3, 5, 4, 6, 7, 2, 5, 5, 6, 4, 6, 6, 1, 7, 2, 11, 4, 3, 8, 3, 3, 5, 8, 3, 2, 5, 3, 8, 10, 3, 2, 5,
      7, 6, 6, 2, 4, 9, 7, 11, 8, 3, 2, 3, 4,
    ]);
  });

  for (const f of fixture.seeds) {
    describe(`seed ${f.seed}`, () => {
      it("randomSample matches bit for bit", () => {
        expect(new RandomState(f.seed).randomSample(f.randomSample.length)).toEqual(f.randomSample);
      });
      it("randn, normal, uniform, exponential match to 1e-15", () => {
        expectFloatsClose(new RandomState(f.seed).randn(f.randn.length), f.randn);
        expectFloatsClose(new RandomState(f.seed).normal(3.5, 2.0, f.normal.length), f.normal);
        expectFloatsClose(new RandomState(f.seed).uniform(-2.0, 7.0, f.uniform.length), f.uniform);
        expectFloatsClose(new RandomState(f.seed).exponential(1.5, f.exponential.length), f.exponential);
      });
      it("poisson matches exactly for every lam (both NumPy methods)", () => {
        for (const p of f.poisson) {
          expect({ lam: p.lam, values: new RandomState(f.seed).poisson(p.lam, p.values.length) }).toEqual(p);
        }
      });
      it("randint matches exactly, 32- and 64-bit ranges", () => {
        for (const r of f.randint) {
          expect({ ...r, values: new RandomState(f.seed).randint(r.low, r.high, r.values.length) }).toEqual(r);
        }
      });
      it("shuffle, permutation and choice match exactly", () => {
        const a = Array.from({ length: 25 }, (_, i) => i);
        expect(new RandomState(f.seed).shuffle(a)).toEqual(f.shuffle25);
        expect(new RandomState(f.seed).permutation(300)).toEqual(f.permutation300);
        expect(new RandomState(f.seed).choice(50, 20, true)).toEqual(f.choiceReplace);
        expect(new RandomState(f.seed).choice(50, 20, false)).toEqual(f.choiceNoReplace);
      });
      it("interleaved calls share one stream and the cached Gaussian", () => {
        const rs = new RandomState(f.seed);
        const got: [string, number][] = [
          ["randn", rs.randn()],
          ["rand", rs.rand()],
          ["randn", rs.randn()],
          ["poisson3", rs.poisson(3)],
          ["poisson30", rs.poisson(30)],
          ["randint", rs.randint(0, 1000)],
          ["normal", rs.normal(1.0, 0.5)],
          ["exponential", rs.exponential(2.0)],
          ["uniform", rs.uniform(1.0, 2.0)],
          ["randn", rs.randn()],
        ];
        expect(got.map((g) => g[0])).toEqual(f.interleaved.map((g) => g[0]));
        expectFloatsClose(
          got.map((g) => g[1]),
          f.interleaved.map((g) => g[1]),
        );
      });
    });
  }
});

describe("RandomState API", () => {
  it("shuffles typed arrays in place like plain arrays", () => {
    const t = Int32Array.from({ length: 25 }, (_, i) => i);
    const back = new RandomState(1).shuffle(t);
    expect(back).toBe(t);
    expect(Array.from(t)).toEqual(new RandomState(1).permutation(25));
  });

  it("choice picks from an array of items", () => {
    const items = ["a", "b", "c", "d"];
    const idx = new RandomState(3).choice(4, 6, true);
    expect(new RandomState(3).choice(items, 6)).toEqual(idx.map((i) => items[i]));
  });

  it("randint(high) draws from [0, high)", () => {
    expect(new RandomState(5).randint(7, undefined, 10)).toEqual(new RandomState(5).randint(0, 7, 10));
  });

  it("randomState(seed) is new RandomState(seed) and records its seed", () => {
    expect(randomState(9).rand()).toBe(new RandomState(9).rand());
    expect(randomState(9).seed).toBe(9);
    expect(new RandomState().seed).toBe(0);
  });

  it("randomLoggam agrees with known log-gamma values", () => {
    expect(randomLoggam(1)).toBe(0);
    expect(randomLoggam(2)).toBe(0);
    expect(randomLoggam(5)).toBeCloseTo(Math.log(24), 12);
    expect(randomLoggam(11)).toBeCloseTo(Math.log(3628800), 12);
  });

  it("rejects seeds NumPy rejects, with the accepted range in the message", () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => new RandomState(bad)).toThrow(OptionError);
    }
    expect(() => new RandomState(-1)).toThrow("Expected `seed` to be an integer in [0, 4294967295]");
  });

  it("rejects invalid distribution arguments", () => {
    const rs = new RandomState(0);
    expect(() => rs.poisson(-1)).toThrow("Expected `lam` to be a finite number >= 0, got -1");
    expect(() => rs.poisson(Number.POSITIVE_INFINITY)).toThrow(OptionError);
    expect(() => rs.poisson(Number.NaN)).toThrow(OptionError);
    expect(() => rs.normal(0, -1)).toThrow("Expected `scale` to be >= 0");
    expect(() => rs.exponential(-2)).toThrow(OptionError);
    expect(() => rs.randint(5, 5)).toThrow("Expected `low` < `high`");
    expect(() => rs.randint(0.5, 3)).toThrow(OptionError);
    expect(() => rs.choice(3, 4, false)).toThrow("without replacement");
    expect(() => rs.randomSample(-1)).toThrow(OptionError);
  });
});
