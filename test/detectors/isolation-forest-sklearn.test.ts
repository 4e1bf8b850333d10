import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IsolationForest, type IsolationForestOptions } from "../../src/detectors/isolation-forest";
import { SklearnRandR, toFloat32Matrix } from "../../src/detectors/sklearn-tree-builder";
import type { DenseMatrix } from "../../src/matrix";
import { DataError, OptionError } from "../../src/errors";
import { loadAdbench } from "../../src/eval/npz";
import { sharedDatasetsDir } from "../../src/ingest/datasets";
import { RandomState, sampleWithoutReplacement } from "../../src/random";
import { simulateLoginAttempts } from "../../src/simulate/samples";

// treeBuilder 'sklearn' against scikit-learn itself: Debian's python3-sklearn 1.2.1, run live by
// test/detectors/sklearn_iforest_oracle.py on the same rows, seeds and options.

const PY = "/usr/bin/python3";
const ORACLE = join(__dirname, "sklearn_iforest_oracle.py");
const CI = process.env.CI === "true";

function sklearnVersion(): string | null {
  try {
    return execFileSync(PY, ["-c", "import sklearn; print(sklearn.__version__)"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}
const version = sklearnVersion();
if (version === null) {
  console.warn(`SKIPPED treeBuilder 'sklearn' parity tests: ${PY} with scikit-learn not found (apt-get install python3-sklearn)`);
}
const adbench = join(sharedDatasetsDir(), "adbench");
const ADBENCH_SETS = ["4_breastw", "18_Ionosphere", "29_Pima", "23_mammography", "34_smtp"];
const hasAdbench = ADBENCH_SETS.every((name) => existsSync(join(adbench, `${name}.npz`)));
if (!hasAdbench) console.warn(`SKIPPED treeBuilder 'sklearn' ADBench parity: ${ADBENCH_SETS.join(", ")} not all in ${adbench}`);

describe("scikit-learn is there under CI", () => {
  it.runIf(CI)("finds scikit-learn 1.2 and the ADBench files (CI=true never skips)", () => {
    expect(version).toMatch(/^1\.2\./);
    expect(hasAdbench).toBe(true);
  });
});

interface Case {
  readonly name: string;
  readonly X: DenseMatrix;
  /** How the oracle gets the same rows: inline, or an npz with stride and limit. */
  readonly source: { X: number[][] } | { npz: string; stride: number; limit: number };
  readonly options: IsolationForestOptions;
}

interface OracleResult {
  readonly rows: number;
  readonly offset: number;
  readonly scoreSamples: number[];
  readonly decision: number[];
  readonly predict: number[];
}

function oracle(cases: readonly object[]): { sklearn: string; results: unknown[] } {
  const out = execFileSync(PY, [ORACLE], { input: JSON.stringify({ cases }), encoding: "utf8", maxBuffer: 1 << 28 });
  return JSON.parse(out);
}

function toRows(X: DenseMatrix): number[][] {
  return Array.from({ length: X.rows }, (_, r) => Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols)));
}

function inline(name: string, rows: number[][], options: IsolationForestOptions): Case {
  return { name, X: { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length }, source: { X: rows }, options };
}

function fromNpz(name: string, stride: number, limit: number, options: IsolationForestOptions): Case {
  const path = join(adbench, `${name}.npz`);
  const { X } = loadAdbench(path);
  const rows = Math.min(limit, Math.ceil(X.rows / stride));
  const data = new Float64Array(rows * X.cols);
  for (let r = 0; r < rows; r++) data.set(X.data.subarray(r * stride * X.cols, (r * stride + 1) * X.cols), r * X.cols);
  return { name: `${name} (${rows}×${X.cols})`, X: { data, rows, cols: X.cols }, source: { npz: path, stride, limit }, options };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Fits ours on every case, asks scikit-learn for the same, and checks decision values and labels. */
function expectParity(cases: readonly Case[]): void {
  const { sklearn, results } = oracle(
    cases.map((c) => ({
      kind: "iforest",
      ...c.source,
      seed: c.options.seed ?? 0,
      contamination: c.options.contamination ?? "auto",
      maxSamples: c.options.maxSamples ?? "auto",
      maxFeatures: c.options.maxFeatures ?? 1,
      bootstrap: c.options.bootstrap ?? false,
      nEstimators: c.options.nEstimators ?? 100,
    })),
  );
  expect(sklearn).toMatch(/^1\.2\./);
  cases.forEach((c, k) => {
    const want = results[k] as OracleResult;
    expect(want.rows, c.name).toBe(c.X.rows);
    const f = new IsolationForest({ ...c.options, treeBuilder: "sklearn" }).fit(c.X);
    const label = `${c.name} ${JSON.stringify(c.options)}`;
    expect(Math.abs(f.offset - want.offset), label).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(f.scoreSamples(c.X), want.scoreSamples), label).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(f.decisionFunction(c.X), want.decision), label).toBeLessThanOrEqual(1e-12);
    expect(Array.from(f.predict(c.X)), label).toEqual(want.predict);
  });
}

describe.skipIf(version === null)("treeBuilder 'sklearn' equals scikit-learn 1.2 (live, /usr/bin/python3)", () => {
  const tutorial = simulateLoginAttempts().counts.map((c) => [c]);

  it("the seed tutorial: 50 Poisson(5) minutes + [30, 40, 50], random_state 42", () => {
    const { results } = oracle([
      { kind: "iforest", X: tutorial, seed: 42, contamination: 0.05 },
      { kind: "iforest", X: tutorial, seed: 42, contamination: 0.02 },
    ]);
    const flagged = (p: ArrayLike<number>) => Array.from(p).flatMap((v, i) => (v < 0 ? [i] : []));
    const r05 = results[0] as OracleResult;
    const r02 = results[1] as OracleResult;
    expect(flagged(r05.predict)).toEqual([50, 51, 52]);
    expect(flagged(r02.predict)).toEqual([50, 52]);
    const f05 = new IsolationForest({ contamination: 0.05, seed: 42, treeBuilder: "sklearn" }).fit(tutorial);
    const f02 = new IsolationForest({ contamination: 0.02, seed: 42, treeBuilder: "sklearn" }).fit(tutorial);
    expect(flagged(f05.predict(tutorial))).toEqual([50, 51, 52]);
    expect(flagged(f02.predict(tutorial))).toEqual([50, 52]);
    expect(f02.offset).toBeCloseTo(-0.7457, 4);
    expect(Math.abs(f02.offset - r02.offset)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(f02.decisionFunction(tutorial), r02.decision)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(f05.decisionFunction(tutorial), r05.decision)).toBeLessThanOrEqual(1e-12);
    // The fast builder draws other trees: same ranking of the spikes, other numbers.
    const fast = new IsolationForest({ contamination: 0.02, seed: 42 }).fit(tutorial);
    expect(maxAbsDiff(fast.decisionFunction(tutorial), r02.decision)).toBeGreaterThan(1e-6);
  });

  it("the tutorial over seeds, row fractions, counts and bootstrap", () => {
    const cases: Case[] = [];
    for (const seed of [0, 1, 2, 7, 123, 4294967295]) cases.push(inline("tutorial", tutorial, { seed, contamination: 0.05 }));
    cases.push(inline("tutorial", tutorial, { seed: 3, maxSamples: 0.5 }));
    cases.push(inline("tutorial", tutorial, { seed: 4, maxSamples: 20, nEstimators: 37 }));
    cases.push(inline("tutorial", tutorial, { seed: 5, bootstrap: true, contamination: 0.1 }));
    cases.push(inline("tutorial", tutorial, { seed: 6, maxSamples: 2, nEstimators: 10 }));
    cases.push(inline("tutorial", tutorial, { seed: 8, maxSamples: 500 })); // more than n: capped at 53, as scikit-learn
    expectParity(cases);
  });

  it("constant and duplicated features (the splitter's constant-feature bookkeeping)", () => {
    const rs = new RandomState(5);
    // The last column takes 1 and the next float32 above it: constant by scikit-learn's float32 rule
    // (max <= min + 1e-7 in float32), not in float64.
    const next = 1 + 2 ** -23;
    const rows = Array.from({ length: 300 }, () => [rs.poisson(3), 7, rs.randint(0, 2), rs.randint(0, 3) * 0.1, rs.randint(0, 2) ? 1 : next]);
    const cases = [
      inline("constant/duplicates", rows, { seed: 0 }),
      inline("constant/duplicates", rows, { seed: 1, maxFeatures: 0.5, contamination: 0.05 }),
      inline("constant/duplicates", rows, { seed: 2, bootstrap: true, maxSamples: 1 }),
      inline("all rows equal", Array.from({ length: 40 }, () => [3, -1]), { seed: 3, contamination: 0.1 }),
      inline("one row", [[2.5]], { seed: 4 }),
    ];
    expectParity(cases);
  });

  it("random small data sets (ties, constant columns, scales 1 to 1e5) with random options", () => {
    const rs = new RandomState(2026);
    const cases: Case[] = [];
    for (let k = 0; k < 16; k++) {
      const n = 2 + rs.randint(0, 200);
      const d = 1 + rs.randint(0, 6);
      const kind = k % 3;
      const rows = Array.from({ length: n }, () =>
        Array.from({ length: d }, (_, j) => (kind === 0 ? rs.randint(0, 4) : kind === 1 ? rs.normal(0, 10 ** j) : j === 0 ? 5 : rs.poisson(2))),
      );
      const maxSamples = (["auto", 0.3, 1, 2 + rs.randint(0, 300)] as const)[rs.randint(0, 4)];
      cases.push(
        inline(`random #${k} (${n}×${d})`, rows, {
          seed: rs.randint(0, 2 ** 32 - 1),
          contamination: rs.rand() < 0.5 ? "auto" : 0.1,
          maxSamples,
          maxFeatures: rs.randint(1, d + 1),
          bootstrap: rs.rand() < 0.3,
          nEstimators: 1 + rs.randint(0, 30),
        }),
      );
    }
    expectParity(cases);
  });

  it("epoch-millisecond timestamps: X is cast to float32 as scikit-learn does", () => {
    const rs = new RandomState(9);
    const rows = Array.from({ length: 200 }, (_, i) => [1.7e12 + i * 60000 + rs.randint(0, 1000), rs.rand()]);
    expectParity([inline("timestamps", rows, { seed: 0, contamination: 0.05 })]);
  });

  it("sampleWithoutReplacement draws scikit-learn's rows (permutation, tracking, reservoir)", () => {
    const draws = [
      { n: 10, k: 3, seed: 0 },
      { n: 1000, k: 5, seed: 0 },
      { n: 100, k: 99, seed: 1 },
      { n: 351, k: 350, seed: 2 },
      { n: 30000, k: 256, seed: 3 },
      { n: 53, k: 53, seed: 4 },
      { n: 8, k: 0, seed: 5 },
    ];
    const { results } = oracle(draws.map((d) => ({ kind: "swr", ...d })));
    draws.forEach((d, i) => expect(sampleWithoutReplacement(d.n, d.k, new RandomState(d.seed)), JSON.stringify(d)).toEqual(results[i]));
  });

  describe.skipIf(!hasAdbench)("small ADBench sets", () => {
    it("breastw, Ionosphere, Pima: several seeds and options", () => {
      expectParity([
        fromNpz("4_breastw", 1, Infinity, { seed: 0 }),
        fromNpz("4_breastw", 1, Infinity, { seed: 1, contamination: 0.1 }),
        fromNpz("4_breastw", 1, Infinity, { seed: 2, maxFeatures: 0.5 }),
        fromNpz("4_breastw", 1, Infinity, { seed: 3, bootstrap: true }),
        fromNpz("18_Ionosphere", 1, Infinity, { seed: 0, contamination: 0.1 }),
        fromNpz("18_Ionosphere", 1, Infinity, { seed: 1, maxFeatures: 5, maxSamples: 1 }),
        fromNpz("18_Ionosphere", 1, Infinity, { seed: 2, maxSamples: 350 }),
        fromNpz("29_Pima", 1, Infinity, { seed: 0 }),
        fromNpz("29_Pima", 1, Infinity, { seed: 11, contamination: 0.2, maxSamples: 0.25 }),
      ]);
    });

    it("larger sets, subsampled: mammography (permutation draw) and smtp (tracking-selection draw)", () => {
      expectParity([
        fromNpz("23_mammography", 2, Infinity, { seed: 0, contamination: 0.02 }),
        fromNpz("34_smtp", 3, Infinity, { seed: 1, nEstimators: 50 }),
      ]);
    });
  });
});

describe("treeBuilder option", () => {
  it("is 'fast' by default and rejects unknown values with a suggestion", () => {
    expect(new IsolationForest().treeBuilder).toBe("fast");
    expect(() => new IsolationForest({ treeBuilder: "sklern" as never })).toThrow(OptionError);
    expect(() => new IsolationForest({ treeBuilder: "sklern" as never })).toThrow(/Expected `treeBuilder` to be 'fast' or 'sklearn', got "sklern" \(did you mean 'sklearn'\?\)/);
    expect(() => new IsolationForest({ treeBuilder: "scikit-learn" as never })).toThrow(/did you mean 'sklearn'/);
    expect(() => new IsolationForest({ treeBuilder: "quick" as never })).toThrow(/got "quick"$/);
  });

  it("keeps scoreSamples = decisionFunction + offset, refits from scratch and is reproducible", () => {
    const X = simulateLoginAttempts().counts.map((c) => [c]);
    const a = new IsolationForest({ seed: 3, contamination: 0.05, treeBuilder: "sklearn" }).fit(X);
    const s = a.scoreSamples(X);
    const d = a.decisionFunction(X);
    s.forEach((v, i) => expect(v).toBeCloseTo(d[i] + a.offset, 15));
    const b = new IsolationForest({ seed: 3, contamination: 0.05, treeBuilder: "sklearn" }).fit(X);
    expect(Array.from(b.scoreSamples(X))).toEqual(Array.from(s));
    const js = new IsolationForest({ seed: 3, contamination: 0.05, treeBuilder: "sklearn", engine: "js" }).fit(X);
    expect(Array.from(js.scoreSamples(X))).toEqual(Array.from(s));
    a.fit(X.slice(0, 50));
    expect(a.maxSamplesUsed).toBe(50);
  });

  it("rejects values beyond float32 (scikit-learn's tree dtype) with the row and column", () => {
    expect(() => new IsolationForest({ treeBuilder: "sklearn" }).fit([[1], [1e39]])).toThrow(DataError);
    expect(() => toFloat32Matrix({ data: Float64Array.of(0, -4e38), rows: 1, cols: 2 })).toThrow(/row 0, column 1/);
  });

  it("SklearnRandR is the xorshift our_rand_r (state 0 becomes 1)", () => {
    const zero = new SklearnRandR(0);
    const one = new SklearnRandR(1);
    const a = [zero.next(), zero.next(), zero.next()];
    expect(a).toEqual([one.next(), one.next(), one.next()]);
    // xorshift32 (13, 17, 5) from 1: 270369, then 67634689, then 2647435461 (mod 2**31: 499951813).
    expect(a).toEqual([270369, 67634689, 499951813]);
    const r = new SklearnRandR(12345);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(2, 7);
      expect(k >= 2 && k < 7).toBe(true);
      const u = r.uniform(-1, 3);
      expect(u >= -1 && u <= 3).toBe(true);
    }
  });
});
