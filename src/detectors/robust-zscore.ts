/**
 * Robust z-score (median / MAD) detector: the classic "modified z-score" of Iglewicz and Hoaglin, per
 * feature, combined over features.
 *
 *   z = 0.6745 · (x − median) / MAD,   MAD = median |x − median|
 *
 * When a feature's MAD is 0 (more than half its values equal), the mean absolute deviation from the median
 * is used instead: z = (x − median) / (1.253314 · meanAD) (1.253314 ≈ √(π/2) makes both scales estimate σ
 * for normal data). When that is 0 too the feature is constant in training: z = 0 where x equals the
 * training value, and a large finite z (|x − median| / (1e-9 · max(1, |median|)), capped at 1e12) where it
 * differs, so a never-seen value always ranks as abnormal without producing Infinity.
 *
 * Per row the |z| values are combined by `max` (default) or `rms`; `scoreSamples = −combined`.
 * `contamination: 'auto'` gives offset −3.5: rows with a combined |z| above 3.5 are outliers (Iglewicz–Hoaglin's
 * recommended cut-off). Deterministic: the `seed` is recorded but nothing is random.
 */
import { OptionError } from "../errors";
import { BaseDetector, DETECTOR_OPTION_KEYS } from "./base";
import type { DetectorOptions } from "./types";
import { medianOfSorted } from "../percentile";
import type { DenseMatrix, Matrix } from "../matrix";
import type { OptionKeys } from "../options";

/** Options of {@link RobustZScore}. */
export interface RobustZScoreOptions extends DetectorOptions {
  /** How per-feature |z| values combine into one row score: 'max' or 'rms' (root mean square). Default: 'max'. */
  readonly combine?: "max" | "rms";
}

/** Every option name of {@link RobustZScoreOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ROBUST_Z_SCORE_OPTION_KEYS: OptionKeys<RobustZScoreOptions> = { ...DETECTOR_OPTION_KEYS, combine: true };

/** Largest |z| reported for a value that differs from a constant training feature. */
export const ROBUST_Z_CAP = 1e12;

interface RzState {
  readonly nFeaturesIn: number;
  readonly median: Float64Array;
  /** Divisor per feature: MAD / 0.6745, 1.253314 · meanAD, or 0 for a constant feature. */
  readonly scale: Float64Array;
}

/**
 * Robust z-score detector (median/MAD per feature, combined by max or rms).
 *
 * @example
 * const rz = new RobustZScore().fit([[10], [11], [9], [10], [12], [10]]);
 * rz.predict([[10], [30]]); // Int8Array [1, -1]
 */
export class RobustZScore extends BaseDetector<RzState> {
  readonly name = "robust-zscore";
  readonly combine: "max" | "rms";

  constructor(options: RobustZScoreOptions = {}) {
    super("RobustZScore", options, ROBUST_Z_SCORE_OPTION_KEYS);
    this.combine = options.combine ?? "max";
    if (this.combine !== "max" && this.combine !== "rms") {
      throw new OptionError(`Expected \`combine\` to be 'max' or 'rms', got ${String(options.combine)}`);
    }
  }

  /** Per-feature training medians (a copy). */
  get medians(): Float64Array {
    return this.fittedModel().median.slice();
  }

  /** Per-feature median and robust scale of the training rows. */
  protected override fitModel(M: DenseMatrix): RzState {
    const { rows: n, cols: d, data } = M;
    const median = new Float64Array(d);
    const scale = new Float64Array(d);
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) col[i] = data[i * d + j];
      const med = medianOfSorted(col.slice().sort());
      let sumAbs = 0;
      for (let i = 0; i < n; i++) {
        col[i] = Math.abs(col[i] - med);
        sumAbs += col[i];
      }
      const mad = medianOfSorted(col.slice().sort());
      median[j] = med;
      scale[j] = mad > 0 ? mad / 0.6745 : sumAbs > 0 ? 1.253314 * (sumAbs / n) : 0;
    }
    return { nFeaturesIn: d, median, scale };
  }

  /** Iglewicz–Hoaglin's cut-off: combined |z| above 3.5. */
  /** Checks a saved state: one median and one scale per feature. */
  protected override modelFromState(state: unknown): RzState {
    const s = super.modelFromState(state);
    const d = s.nFeaturesIn;
    this.checkState(s.median instanceof Float64Array && s.median.length === d && s.scale instanceof Float64Array && s.scale.length === d, "lacks one median and one scale per feature");
    return s;
  }

  protected override autoOffset(): number {
    return -3.5;
  }

  /** Per-feature robust z-scores of X (rows × features, row-major), for explaining which feature fired. */
  zScores(X: Matrix): Float64Array {
    const { model: st, dense: M } = this.fittedInput(X);
    const out = new Float64Array(M.rows * M.cols);
    for (let i = 0; i < out.length; i++) out[i] = zOf(M.data[i], st.median[i % M.cols], st.scale[i % M.cols]);
    return out;
  }

  /** `-(max or rms of |z|)` per row: lower = more abnormal. */
  protected override scoreModel(st: RzState, M: DenseMatrix): Float64Array {
    const { rows: n, cols: d, data } = M;
    const out = new Float64Array(n);
    const rms = this.combine === "rms";
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const z = Math.abs(zOf(data[i * d + j], st.median[j], st.scale[j]));
        if (rms) acc += z * z;
        else if (z > acc) acc = z;
      }
      out[i] = -(rms ? Math.sqrt(acc / d) : acc);
    }
    return out;
  }
}

function zOf(x: number, med: number, scale: number): number {
  const dev = x - med;
  if (scale > 0) return dev / scale;
  if (dev === 0) return 0;
  const z = Math.abs(dev) / (1e-9 * Math.max(1, Math.abs(med)));
  return Math.sign(dev) * Math.min(ROBUST_Z_CAP, z);
}
