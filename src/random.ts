/**
 * A seeded random generator that reproduces NumPy's legacy `np.random.RandomState(seed)` draw for draw:
 * MT19937 seeded like `RandomState(int)`, 53-bit doubles, the legacy polar Gaussian with its cached second
 * value, the legacy Poisson (multiplication below lam = 10, Hörmann's PTRS from lam = 10), masked-rejection
 * integers and NumPy's Fisher–Yates shuffle. Every stochastic siemlab API takes a `seed` and draws from one
 * of these, never from `Math.random`.
 *
 * @example
 * const rs = new RandomState(42);
 * rs.poisson(5, 5); // [5, 4, 4, 5, 5], as np.random.seed(42); np.random.poisson(5, 5)
 */
import { OptionError } from "./errors";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;

/** Largest seed NumPy's `RandomState(int)` accepts. */
export const MAX_SEED = TWO_32 - 1;

/**
 * Throws an OptionError unless `seed` is an integer in [0, 2**32 - 1]. Returns the seed.
 *
 * @example
 * checkSeed(42) // 42
 * checkSeed(-1) // throws OptionError: Expected `seed` to be an integer in [0, 4294967295] (as NumPy's RandomState), got -1
 */
export function checkSeed(seed: number, name = "seed"): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new OptionError(`Expected \`${name}\` to be an integer in [0, 4294967295] (as NumPy's RandomState), got ${String(seed)}`);
  }
  return seed;
}

function checkFinite(value: number, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new OptionError(`Expected \`${name}\` to be a finite number, got ${String(value)}`);
  }
}

function checkSize(size: number, name = "size"): void {
  if (!Number.isInteger(size) || size < 0) {
    throw new OptionError(`Expected \`${name}\` to be a non-negative integer, got ${String(size)}`);
  }
}

/** Smallest all-ones bit mask >= v, for v < 2**32. */
function mask32(v: number): number {
  let m = v >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

// NumPy's random_loggam coefficients (log-gamma by Stirling's series).
const LOGGAM_A = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/**
 * log(Gamma(x)) exactly as NumPy's `random_loggam` computes it (used by the PTRS Poisson sampler).
 *
 * @example
 * randomLoggam(5) // 3.178053830347946 (log 4! = 3.1780538303479458)
 */
export function randomLoggam(x: number): number {
  if (x === 1 || x === 2) return 0;
  const n = x < 7 ? Math.trunc(7 - x) : 0;
  let x0 = x + n;
  const x2 = (1 / x0) * (1 / x0);
  const lg2pi = 1.8378770664093453;
  let gl0 = LOGGAM_A[9];
  for (let k = 8; k >= 0; k--) {
    gl0 *= x2;
    gl0 += LOGGAM_A[k];
  }
  let gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * Math.log(x0) - x0;
  if (x < 7) {
    for (let k = 1; k <= n; k++) {
      gl -= Math.log(x0 - 1);
      x0 -= 1;
    }
  }
  return gl;
}

/**
 * NumPy's legacy `RandomState`: same seed, same numbers as Python, method by method.
 *
 * Scalar methods return one number; pass `size` to get a `number[]` (as NumPy's `size=` argument).
 *
 * @example
 * const rs = new RandomState(0);
 * rs.rand();            // 0.5488135039273248, as np.random.RandomState(0).rand()
 * rs.randint(0, 10, 3); // three integers in [0, 10)
 */
export class RandomState {
  /** The seed this generator was created with. */
  readonly seed: number;
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /** @param seed integer in [0, 2**32 - 1]. Default: 0. */
  constructor(seed?: number) {
    this.seed = checkSeed(seed ?? 0);
    // NumPy's mt19937_seed (Knuth's linear initialiser), used by RandomState for integer seeds.
    let s = this.seed >>> 0;
    const key = this.key;
    for (let pos = 0; pos < N; pos++) {
      key[pos] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + pos + 1) >>> 0;
    }
  }

  private generate(): void {
    const key = this.key;
    let y: number;
    let i = 0;
    for (; i < N - M; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (key[N - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
    key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** Next raw 32-bit output of MT19937, as an unsigned integer. */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (NumPy's `random_sample()` / `rand()`). */
  rand(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** `size` doubles in [0, 1), as `np.random.random_sample(size)`. */
  randomSample(size: number): number[] {
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = this.rand();
    return out;
  }

  private legacyGauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2.0 * this.rand() - 1.0;
      x2 = 2.0 * this.rand() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** Standard normal draw(s), as `np.random.randn()` (legacy polar method, second value cached). */
  randn(): number;
  randn(size: number): number[];
  randn(size?: number): number | number[] {
    if (size === undefined) return this.legacyGauss();
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = this.legacyGauss();
    return out;
  }

  /** Normal draw(s) with mean `loc` (default 0) and standard deviation `scale` (default 1, >= 0). */
  normal(loc?: number, scale?: number): number;
  normal(loc: number | undefined, scale: number | undefined, size: number): number[];
  normal(loc?: number, scale?: number, size?: number): number | number[] {
    const l = loc ?? 0;
    const s = scale ?? 1;
    checkFinite(l, "loc");
    checkFinite(s, "scale");
    if (s < 0) throw new OptionError(`Expected \`scale\` to be >= 0, got ${s}`);
    if (size === undefined) return l + s * this.legacyGauss();
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = l + s * this.legacyGauss();
    return out;
  }

  /** Uniform draw(s) in [low, high) (defaults 0 and 1), as `np.random.uniform`. */
  uniform(low?: number, high?: number): number;
  uniform(low: number | undefined, high: number | undefined, size: number): number[];
  uniform(low?: number, high?: number, size?: number): number | number[] {
    const lo = low ?? 0;
    const range = (high ?? 1) - lo;
    checkFinite(lo, "low");
    if (!Number.isFinite(range)) throw new OptionError(`Expected \`high - low\` to be finite, got ${range}`);
    if (size === undefined) return lo + range * this.rand();
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = lo + range * this.rand();
    return out;
  }

  /** Exponential draw(s) with mean `scale` (default 1, >= 0), as `np.random.exponential`. */
  exponential(scale?: number): number;
  exponential(scale: number | undefined, size: number): number[];
  exponential(scale?: number, size?: number): number | number[] {
    const s = scale ?? 1;
    checkFinite(s, "scale");
    if (s < 0) throw new OptionError(`Expected \`scale\` to be >= 0, got ${s}`);
    if (size === undefined) return s * -Math.log(1.0 - this.rand());
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = s * -Math.log(1.0 - this.rand());
    return out;
  }

  private poissonMult(lam: number): number {
    const enlam = Math.exp(-lam);
    let x = 0;
    let prod = 1.0;
    for (;;) {
      prod *= this.rand();
      if (prod > enlam) x += 1;
      else return x;
    }
  }

  private poissonPtrs(lam: number): number {
    const slam = Math.sqrt(lam);
    const loglam = Math.log(lam);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.rand() - 0.5;
      const V = this.rand();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - randomLoggam(k + 1)) {
        return k;
      }
    }
  }

  private poissonOne(lam: number): number {
    if (lam >= 10) return this.poissonPtrs(lam);
    if (lam === 0) return 0;
    return this.poissonMult(lam);
  }

  /**
   * Poisson draw(s) with mean `lam` (>= 0, finite; default 1), as NumPy's legacy `np.random.poisson`.
   *
   * @example
   * new RandomState(42).poisson(5, 50); // the seed tutorial's login attempts
   */
  poisson(lam?: number): number;
  poisson(lam: number | undefined, size: number): number[];
  poisson(lam?: number, size?: number): number | number[] {
    const l = lam ?? 1;
    if (typeof l !== "number" || !Number.isFinite(l) || l < 0) {
      throw new OptionError(`Expected \`lam\` to be a finite number >= 0, got ${String(l)}`);
    }
    if (l > 9.2e18) throw new OptionError(`Expected \`lam\` to be at most 9.2e18 (NumPy's limit), got ${l}`);
    if (size === undefined) return this.poissonOne(l);
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = this.poissonOne(l);
    return out;
  }

  /** One integer in [0, rng] by NumPy's masked rejection (rng < 2**53). */
  private boundedMasked(rng: number): number {
    if (rng === 0) return 0;
    if (rng < TWO_32) {
      if (rng === TWO_32 - 1) return this.nextUint32();
      const mask = mask32(rng);
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > rng);
      return v;
    }
    // 64-bit path: next_uint64 = (first << 32) | second; only the high word needs masking here.
    const maskHi = mask32(Math.floor(rng / TWO_32));
    let v: number;
    do {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      v = hi * TWO_32 + lo;
    } while (v > rng);
    return v;
  }

  /**
   * Integer draw(s) in [low, high), as NumPy's legacy `randint` (int64 dtype, masked rejection).
   * With one argument, draws from [0, low). Bounds must be safe integers with `high - low <= 2**53`.
   *
   * @example
   * new RandomState(1).randint(0, 6, 4); // four dice rolls minus one
   */
  randint(low: number, high?: number): number;
  randint(low: number, high: number | undefined, size: number): number[];
  randint(low: number, high?: number, size?: number): number | number[] {
    let lo = low;
    let hi = high;
    if (hi === undefined) {
      hi = lo;
      lo = 0;
    }
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      throw new OptionError(`Expected \`low\` and \`high\` to be safe integers, got ${String(low)} and ${String(high)}`);
    }
    if (lo >= hi) throw new OptionError(`Expected \`low\` < \`high\`, got low=${lo}, high=${hi}`);
    const rng = hi - 1 - lo;
    if (rng > Number.MAX_SAFE_INTEGER) throw new OptionError(`Expected \`high - low\` to be at most 2**53, got ${hi - lo}`);
    if (size === undefined) return lo + this.boundedMasked(rng);
    checkSize(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = lo + this.boundedMasked(rng);
    return out;
  }

  /** NumPy's `random_interval(max)`: an integer in [0, max] by masked rejection. */
  private interval(max: number): number {
    return this.boundedMasked(max);
  }

  /**
   * Shuffles `arr` in place (NumPy's legacy Fisher–Yates: for i from n-1 down to 1, swap with [0, i]).
   * Returns the same array.
   */
  shuffle<A extends { [index: number]: unknown; length: number }>(arr: A): A {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A shuffled `[0, 1, ..., n-1]`, as `np.random.permutation(n)`. */
  permutation(n: number): number[] {
    checkSize(n, "n");
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * Draws `size` items from `a` (an array, or `n` meaning `[0, n)`), as NumPy's legacy `choice` without `p`:
   * with replacement (default) via `randint`, without via `permutation(n)[:size]`.
   *
   * @example
   * new RandomState(0).choice(10, 3, false); // three distinct integers in [0, 10)
   */
  choice(a: number, size: number, replace?: boolean): number[];
  choice<T>(a: readonly T[], size: number, replace?: boolean): T[];
  choice<T>(a: number | readonly T[], size: number, replace?: boolean): (number | T)[] {
    const n = typeof a === "number" ? a : a.length;
    checkSize(n, "a");
    checkSize(size);
    if (n === 0 && size > 0) throw new OptionError("Expected a non-empty population to choose from, got 0 items");
    let idx: number[];
    if (replace ?? true) {
      idx = size === 0 ? [] : this.randint(0, n, size);
    } else {
      if (size > n) {
        throw new OptionError(`Cannot take ${size} items from ${n} without replacement: use replace=true or a smaller size`);
      }
      idx = this.permutation(n).slice(0, size);
    }
    return typeof a === "number" ? idx : idx.map((i) => a[i]);
  }
}

/**
 * Factory for {@link RandomState}: `randomState(42)` is `np.random.RandomState(42)`.
 *
 * @example
 * randomState(42).rand(); // 0.3745401188473625
 */
export function randomState(seed?: number): RandomState {
  return new RandomState(seed);
}

/**
 * `k` distinct integers from [0, n), drawn from `rs` exactly as scikit-learn 1.2's
 * `sklearn.utils.random.sample_without_replacement(n, k, method="auto", random_state=rs)`: with
 * ratio = k / n, `rs.permutation(n)[:k]` when 0.01 < ratio < 0.99; otherwise tracking selection (redraw
 * `randint(n)` until unseen) when ratio < 0.2, else reservoir sampling (`out = [0..k)`, then for i from k
 * to n - 1, j = `randint(0, i + 1)` replaces out[j] if j < k). Order matters: it is scikit-learn's.
 *
 * @example
 * sampleWithoutReplacement(10, 3, new RandomState(0)); // [2, 8, 4], as sample_without_replacement(10, 3, random_state=0)
 * sampleWithoutReplacement(5, 5, new RandomState(0));  // [0, 1, 2, 3, 4] (reservoir: no draw)
 */
export function sampleWithoutReplacement(n: number, k: number, rs: RandomState): number[] {
  checkSize(n, "n");
  checkSize(k, "k");
  if (k > n) throw new OptionError(`Expected at most n = ${n} items to draw without replacement, got ${k}`);
  const ratio = n !== 0 ? k / n : 1.0;
  if (ratio > 0.01 && ratio < 0.99) return rs.permutation(n).slice(0, k);
  const out = new Array<number>(k);
  if (ratio < 0.2) {
    const selected = new Set<number>();
    for (let i = 0; i < k; i++) {
      let j = rs.randint(0, n);
      while (selected.has(j)) j = rs.randint(0, n);
      selected.add(j);
      out[i] = j;
    }
    return out;
  }
  for (let i = 0; i < k; i++) out[i] = i;
  for (let i = k; i < n; i++) {
    const j = rs.randint(0, i + 1);
    if (j < k) out[j] = i;
  }
  return out;
}
