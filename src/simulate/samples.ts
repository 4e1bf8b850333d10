/**
 * Seeded simulators for teaching and testing: the seed tutorial's login attempts per minute, Poisson
 * counts in general, and a Gaussian blob with scattered outliers for detector checks and benchmarks.
 * All draw from {@link RandomState}, so the same seed gives NumPy's numbers.
 *
 * @example
 * const sim = simulateLoginAttempts();
 * sim.counts.slice(-3); // [30, 40, 50]
 */
import { OptionError } from "../errors";
import { RandomState } from "../random";
import type { DenseMatrix } from "../matrix";

export interface SimulateCountsOptions {
  /** Number of counts to draw. Default: 50. */
  readonly size?: number;
  /** Poisson mean of each count. Default: 5. */
  readonly lam?: number;
  /** Seed of the generator. Default: 42. */
  readonly seed?: number;
}

/**
 * Poisson counts from `np.random.seed(seed); np.random.poisson(lam, size)`.
 *
 * @example
 * simulateCounts({ size: 5 }); // [5, 4, 4, 5, 5]
 */
export function simulateCounts(options: SimulateCountsOptions = {}): number[] {
  const size = options.size ?? 50;
  if (!Number.isInteger(size) || size < 0) {
    throw new OptionError(`Expected \`size\` to be a non-negative integer, got ${String(size)}`);
  }
  return new RandomState(options.seed ?? 42).poisson(options.lam ?? 5, size);
}

export interface SimulateLoginAttemptsOptions {
  /** Minutes of normal traffic. Default: 50. */
  readonly minutes?: number;
  /** Mean login attempts per normal minute. Default: 5. */
  readonly lam?: number;
  /** Counts of the attack minutes appended after the normal ones. Default: [30, 40, 50]. */
  readonly spikes?: readonly number[];
  /** Seed of the generator. Default: 42 (the tutorial's `np.random.seed(42)`). */
  readonly seed?: number;
}

/** Login attempts per minute: normal minutes followed by attack spikes. */
export interface LoginAttempts {
  /** Attempts in each minute. */
  readonly counts: number[];
  /** True for the appended spike minutes. */
  readonly isSpike: boolean[];
  /** Minute index 0, 1, 2, ... */
  readonly minute: number[];
}

/**
 * The seed tutorial's data: `np.random.seed(42); np.random.poisson(lam=5, size=50)` then the spikes
 * `[30, 40, 50]` appended (53 minutes; the spikes are minutes 50, 51, 52).
 *
 * @example
 * const { counts, isSpike } = simulateLoginAttempts();
 * counts.length; // 53
 * isSpike.filter(Boolean).length; // 3
 */
export function simulateLoginAttempts(options: SimulateLoginAttemptsOptions = {}): LoginAttempts {
  const spikes = options.spikes ?? [30, 40, 50];
  for (const s of spikes) {
    if (!Number.isFinite(s) || s < 0) throw new OptionError(`Expected every spike to be a count >= 0, got ${String(s)}`);
  }
  const normal = simulateCounts({ size: options.minutes ?? 50, lam: options.lam ?? 5, seed: options.seed ?? 42 });
  const counts = normal.concat(spikes);
  return {
    counts,
    isSpike: counts.map((_, i) => i >= normal.length),
    minute: counts.map((_, i) => i),
  };
}

export interface SimulateBlobOptions {
  /** Total number of rows (inliers + outliers). Default: 1000. */
  readonly n?: number;
  /** Number of features. Default: 2. */
  readonly d?: number;
  /** Fraction of rows that are outliers, in [0, 1). Default: 0.01. */
  readonly outlierFraction?: number;
  /** Outliers are uniform in [-spread, spread] on every feature; inliers are standard normal. Default: 6. */
  readonly spread?: number;
  /** Seed of the generator. Default: 0. */
  readonly seed?: number;
}

/** A labelled data set: features and labels (1 = outlier, 0 = inlier). */
export interface LabelledMatrix {
  readonly X: DenseMatrix;
  readonly y: Int8Array;
}

/**
 * A standard-normal blob with `round(n * outlierFraction)` uniform outliers in the last rows: the
 * synthetic data set of the detector tests and benchmarks.
 *
 * @example
 * const { X, y } = simulateBlobWithOutliers({ n: 200, d: 3, outlierFraction: 0.05, seed: 1 });
 * X.rows; // 200
 */
export function simulateBlobWithOutliers(options: SimulateBlobOptions = {}): LabelledMatrix {
  const n = options.n ?? 1000;
  const d = options.d ?? 2;
  const frac = options.outlierFraction ?? 0.01;
  const spread = options.spread ?? 6;
  if (!Number.isInteger(n) || n < 1) throw new OptionError(`Expected \`n\` to be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(d) || d < 1) throw new OptionError(`Expected \`d\` to be a positive integer, got ${String(d)}`);
  if (!(frac >= 0 && frac < 1)) throw new OptionError(`Expected \`outlierFraction\` to be in [0, 1), got ${String(frac)}`);
  if (!(spread > 0 && Number.isFinite(spread))) {
    throw new OptionError(`Expected \`spread\` to be a finite number > 0, got ${String(spread)}`);
  }
  const rs = new RandomState(options.seed ?? 0);
  const nOut = Math.round(n * frac);
  const nIn = n - nOut;
  const data = new Float64Array(n * d);
  for (let i = 0; i < nIn * d; i++) data[i] = rs.randn();
  for (let i = nIn * d; i < n * d; i++) data[i] = rs.uniform(-spread, spread);
  const y = new Int8Array(n);
  y.fill(1, nIn);
  return { X: { data, rows: n, cols: d }, y };
}
