/**
 * exp(x) in plain JavaScript for the RBF kernel's hot loops (One-Class SVM training columns and scoring):
 * about twice as fast as `Math.exp` in V8's optimised code, within 2 ulp of it on normal results
 * (relative error < 5e-16 for x in [-708, 709]; results below 2^-1022 lose precision as subnormals do).
 *
 * Method (as fdlibm / musl / glibc's exp): x = k·ln2/128 + r with |r| ≤ ln2/256, k rounded to nearest by
 * adding and subtracting 1.5·2^52, ln2/128 split in a high part (exact times k) and a low part;
 * exp(x) = 2^⌊k/128⌋ · 2^((k mod 128)/128) · exp(r), both powers of two from tables, exp(r) by its Taylor
 * polynomial to r⁵ (the first term left out is below 6e-19).
 */

const N = 128;
/** 2^(j/128), j = 0..127. */
const T = Float64Array.from({ length: N }, (_, j) => 2 ** (j / N));
/** 2^e for e = -1100..1100 (index e + 1100): exact, subnormal or 0 below -1022. */
const P = Float64Array.from({ length: 2201 }, (_, i) => 2 ** (i - 1100));
const INV_LN2_N = N / Math.LN2;
const LN2_HI_N = 6.93147180369123816490e-1 / N;
const LN2_LO_N = 1.90821492927058770002e-10 / N;
/** 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer. */
const SHIFT = 6755399441055744;

/**
 * e^x, within 2 ulp of `Math.exp` for normal results and about twice as fast in V8's optimised loops;
 * 0 below -746, Infinity above 709.78, NaN for NaN.
 *
 * @example
 * fastExp(0); // 1
 * fastExp(-800); // 0
 */
export function fastExp(x: number): number {
  if (x > 709.78) return Infinity;
  // Below -746 the result is 0 (2^⌊k/128⌋ is 0 in the table): clamping instead of branching keeps the loops of
  // the RBF kernel, where far rows underflow, free of mispredicted branches. NaN stays NaN.
  x = Math.max(x, -746);
  const kd = x * INV_LN2_N + SHIFT - SHIFT;
  const r = x - kd * LN2_HI_N - kd * LN2_LO_N;
  const k = kd | 0;
  const t = T[k & 127];
  const p = r + r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))));
  return (t + t * p) * P[(k >> 7) + 1100];
}
