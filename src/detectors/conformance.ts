/**
 * The detector contract as runnable checks, the same ones test/detectors/conformance.test.ts runs on every
 * registered detector, callable from a notebook on a detector of your own: scikit-learn's sign relations
 * (`scoreSamples = decisionFunction + offset`, `predict = sign(decisionFunction)`), contamination as the
 * percentile of the training scores, same seed → same output, refit replaces all state, plain rows and
 * DenseMatrix alike, NotFittedError before fit, DataError for bad input, constant data, contamination
 * validation.
 *
 * @example
 * const results = checkConformance(getDetectorEntry("robust-zscore"));
 * results.every((r) => r.ok); // true
 */
import { DataError, NotFittedError, SiemlabError } from "../errors";
import type { DenseMatrix } from "../matrix";
import { simulateBlobWithOutliers } from "../simulate/samples";
import type { DetectorCapabilities, DetectorFactoryOptions } from "./registry";
import type { Detector } from "./types";

/** What the checks need: a name, a factory of unfitted detectors, and declared exceptions (a registry entry fits). */
export interface DetectorUnderTest {
  /** The `name` every created detector must report, e.g. "max-abs". */
  readonly name: string;
  /** Builds an unfitted detector from `{ seed, contamination }`. */
  readonly create: (options?: DetectorFactoryOptions) => Detector;
  /** Exceptions to the strict checks, with the reason. Default: none. */
  readonly capabilities?: DetectorCapabilities;
}

/** One check of the contract: `run` throws a SiemlabError saying what broke. */
export interface ConformanceCheck {
  readonly name: string;
  readonly run: () => void;
}

/** The outcome of one check: `message` is "ok" or what broke. */
export interface ConformanceResult {
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
}

/** Features of the conformance data (a Gaussian blob with 5% outliers). */
const D = 3;

function ensure(condition: boolean, message: string): void {
  if (!condition) throw new SiemlabError(message);
}

function throwsLike(f: () => unknown, type: typeof SiemlabError, what: string, pattern?: RegExp | string): void {
  try {
    f();
  } catch (e) {
    ensure(e instanceof type, `${what}: expected a ${type.name}, got ${(e as Error).name}: ${(e as Error).message}`);
    const m = (e as Error).message;
    if (pattern !== undefined) ensure(typeof pattern === "string" ? m.includes(pattern) : pattern.test(m), `${what}: message ${JSON.stringify(m)} lacks ${String(pattern)}`);
    return;
  }
  throw new SiemlabError(`${what}: expected a ${type.name}, nothing was thrown`);
}

function rowsOf(X: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.rows; i++) out.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
  return out;
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function signRelations(det: Detector, X: DenseMatrix): void {
  const s = det.scoreSamples(X);
  const d = det.decisionFunction(X);
  const p = det.predict(X);
  ensure(s.length === X.rows, `scoreSamples returned ${s.length} values for ${X.rows} rows`);
  ensure(Number.isFinite(det.offset), `offset is ${det.offset}, expected a finite number`);
  for (let i = 0; i < X.rows; i++) {
    ensure(Number.isFinite(s[i]), `scoreSamples[${i}] is ${s[i]}`);
    ensure(Math.abs(s[i] - (d[i] + det.offset)) <= 1e-9 * Math.max(1, Math.abs(s[i])), `row ${i}: scoreSamples ${s[i]} ≠ decisionFunction ${d[i]} + offset ${det.offset}`);
    ensure(p[i] === (d[i] < 0 ? -1 : 1), `row ${i}: predict ${p[i]} but decisionFunction ${d[i]}`);
  }
}

/**
 * The checks of the contract for one detector, each runnable on its own (the conformance test makes each a
 * test case). Data: a seeded blob of 200 rows × 3 features (`capabilities.conformanceRows` to change).
 *
 * @example
 * conformanceChecks(getDetectorEntry("lof")).map((c) => c.name).slice(0, 2); // ["has its registry name and records nFeaturesIn", "keeps scikit-learn's sign relations: score = decision + offset, predict = sign(decision)"]
 */
export function conformanceChecks(entry: DetectorUnderTest): ConformanceCheck[] {
  const X = simulateBlobWithOutliers({ n: entry.capabilities?.conformanceRows ?? 200, d: D, outlierFraction: 0.05, seed: 11 }).X;
  const n = X.rows;
  const checks: ConformanceCheck[] = [
    {
      name: "has its registry name and records nFeaturesIn",
      run: () => {
        const det = entry.create({ seed: 0 }).fit(X);
        ensure(det.name === entry.name, `name is ${JSON.stringify(det.name)}, expected ${JSON.stringify(entry.name)}`);
        ensure(det.nFeaturesIn === D, `nFeaturesIn is ${det.nFeaturesIn}, expected ${D}`);
        // The 0–100 anomaly score's scale is learnt at fit, like the offset.
        const scale = det.anomalyScale;
        ensure(scale !== undefined && scale > 0 && Number.isFinite(scale), `anomalyScale is ${scale}, expected a positive finite number learnt at fit`);
      },
    },
    {
      name: "keeps scikit-learn's sign relations: score = decision + offset, predict = sign(decision)",
      run: () => {
        signRelations(entry.create({ seed: 0, contamination: 0.1 }).fit(X), X);
        signRelations(entry.create({ seed: 0 }).fit(X), X);
      },
    },
  ];
  for (const c of [0.05, 0.1]) {
    checks.push({
      name: `flags about ${c * 100}% of the training rows with contamination ${c}`,
      run: () => {
        const det = entry.create({ seed: 0, contamination: c }).fit(X);
        const s = det.scoreSamples(X);
        const flagged = Array.from(det.predict(X)).filter((p) => p === -1).length;
        if (entry.capabilities?.contaminationPercentile ?? true) {
          // Offset = np.percentile(training scores, 100c), interpolated between sorted scores k and k+1:
          // at most k+1 rows score below it, at least k+1 at or below it (more only through ties).
          const k = Math.floor(c * (n - 1));
          const atOrBelow = Array.from(s).filter((v) => v <= det.offset).length;
          ensure(flagged <= k + 1, `flagged ${flagged} rows, expected at most ${k + 1}`);
          ensure(atOrBelow >= k + 1, `${atOrBelow} rows score at or below the offset, expected at least ${k + 1}`);
        } else {
          ensure(flagged <= Math.ceil(2 * c * n) + 1, `flagged ${flagged} rows, expected at most ${Math.ceil(2 * c * n) + 1}`);
        }
      },
    });
  }
  checks.push(
    {
      name: "gives identical output for the same seed",
      run: () => {
        const a = entry.create({ seed: 3, contamination: 0.1 }).fit(X);
        const b = entry.create({ seed: 3, contamination: 0.1 }).fit(X);
        ensure(sameArray(a.scoreSamples(X), b.scoreSamples(X)), "two fits with seed 3 score differently");
        ensure(a.offset === b.offset, `two fits with seed 3 have offsets ${a.offset} and ${b.offset}`);
        ensure(sameArray(a.predict(X), b.predict(X)), "two fits with seed 3 predict differently");
      },
    },
    {
      name: "replaces all state on refit: fit(A).fit(B) equals a fresh fit(B)",
      run: () => {
        const other = simulateBlobWithOutliers({ n: Math.max(40, Math.floor(n / 2)), d: 2, outlierFraction: 0.05, seed: 5 }).X;
        const refit = entry.create({ seed: 2, contamination: 0.1 }).fit(X).fit(other);
        const fresh = entry.create({ seed: 2, contamination: 0.1 }).fit(other);
        ensure(refit.nFeaturesIn === 2, `after refit on 2 features nFeaturesIn is ${refit.nFeaturesIn}`);
        ensure(refit.offset === fresh.offset, `refit offset ${refit.offset} ≠ fresh offset ${fresh.offset}`);
        ensure(sameArray(refit.scoreSamples(other), fresh.scoreSamples(other)), "a refit detector scores differently from a fresh one");
      },
    },
    {
      name: "accepts plain rows and DenseMatrix alike",
      run: () => {
        const det = entry.create({ seed: 0 }).fit(X);
        ensure(sameArray(det.scoreSamples(rowsOf(X)), det.scoreSamples(X)), "rows and the same DenseMatrix score differently");
      },
    },
    {
      name: "throws NotFittedError before fit",
      run: () => {
        const det = entry.create({ seed: 0 });
        throwsLike(() => det.scoreSamples(X), NotFittedError, "scoreSamples before fit", /not fitted yet: call fit\(X\) first/);
        throwsLike(() => det.decisionFunction(X), NotFittedError, "decisionFunction before fit");
        throwsLike(() => det.predict(X), NotFittedError, "predict before fit");
      },
    },
    {
      name: "rejects a wrong feature count, empty input, NaN and Infinity with DataError",
      run: () => {
        const det = entry.create({ seed: 0 }).fit(X);
        throwsLike(() => det.scoreSamples([[1, 2]]), DataError, "2 features after fitting 3");
        throwsLike(() => det.predict([[1, 2, 3, 4]]), DataError, "4 features after fitting 3");
        throwsLike(() => det.scoreSamples([]), DataError, "scoring no rows");
        throwsLike(() => entry.create({ seed: 0 }).fit([]), DataError, "fitting no rows");
        throwsLike(() => det.scoreSamples([[1, Number.NaN, 3]]), DataError, "scoring NaN");
        throwsLike(() => det.predict([[1, 2, Number.POSITIVE_INFINITY]]), DataError, "predicting Infinity");
        const bad = rowsOf(X);
        bad[7][1] = Number.NaN;
        throwsLike(() => entry.create({ seed: 0 }).fit(bad), DataError, "fitting NaN", /row 7, column 1/);
        bad[7][1] = Number.NEGATIVE_INFINITY;
        throwsLike(() => entry.create({ seed: 0 }).fit(bad), DataError, "fitting -Infinity");
      },
    },
    {
      name: "survives constant data: no crash, no NaN scores",
      run: () => {
        const constant = Array.from({ length: 40 }, () => [2, -1, 0.5]);
        for (const contamination of ["auto", 0.1] as const) {
          const det = entry.create({ seed: 0, contamination }).fit(constant);
          ensure(Array.from(det.scoreSamples(constant)).every((v) => Number.isFinite(v)), `constant data (contamination ${contamination}): a score is not finite`);
          ensure(Array.from(det.predict(constant)).every((p) => p === 1 || p === -1), "predict returned something other than 1 or -1");
          if (entry.capabilities?.scoresNewRows ?? true) {
            ensure(Array.from(det.scoreSamples([[2, -1, 0.5], [9, 9, 9]])).every((v) => Number.isFinite(v)), "a new row after constant data scores NaN");
          }
        }
      },
    },
    {
      name: "accepts contamination 'auto' and rejects 0.7 with the fix-it message",
      run: () => {
        ensure(Number.isFinite(entry.create({ seed: 0, contamination: "auto" }).fit(X).offset), "contamination 'auto' gives a non-finite offset");
        throwsLike(() => entry.create({ seed: 0, contamination: 0.7 }).fit(X), SiemlabError, "contamination 0.7", "Expected `contamination` to be 'auto' or a number in (0, 0.5], got 0.7");
      },
    },
  );
  return checks;
}

/**
 * Runs every {@link conformanceChecks} check and reports each (never throws): what a notebook shows to see
 * whether a detector of its own keeps the contract.
 *
 * @example
 * checkConformance(getDetectorEntry("threshold-rule")).filter((r) => !r.ok).length; // 0
 */
export function checkConformance(entry: DetectorUnderTest): ConformanceResult[] {
  return conformanceChecks(entry).map((c) => {
    try {
      c.run();
      return { check: c.name, ok: true, message: "ok" };
    } catch (e) {
      return { check: c.name, ok: false, message: (e as Error).message };
    }
  });
}
