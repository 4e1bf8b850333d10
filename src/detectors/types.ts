/**
 * The contract every siemlab detector follows, with scikit-learn's sign convention:
 * `scoreSamples` is lower for more abnormal rows; `decisionFunction = scoreSamples - offset` is negative
 * for outliers; `predict` returns 1 (inlier) or -1 (outlier).
 */
import type { Matrix } from "../matrix";

/** `'auto'` or a number in (0, 0.5]: the fraction of training rows expected to be anomalous. */
export type Contamination = "auto" | number;

export interface DetectorOptions {
  /** Expected fraction of outliers, 'auto' or in (0, 0.5]. Default: 'auto' (detector-specific offset). */
  readonly contamination?: Contamination;
  /** Seed for every random choice the detector makes. Default: 0. */
  readonly seed?: number;
}

export interface Detector {
  /** Registry name, e.g. "iforest". */
  readonly name: string;
  /** Threshold subtracted from `scoreSamples`; set by `fit`. */
  readonly offset: number;
  /** Number of features seen by `fit`. */
  readonly nFeaturesIn: number;
  /** Fit on X (rows × features). Replaces all previous state. Returns this. */
  fit(X: Matrix): this;
  /** Raw normality score per row: lower = more abnormal. */
  scoreSamples(X: Matrix): Float64Array;
  /** `scoreSamples(X) - offset`: negative = outlier. */
  decisionFunction(X: Matrix): Float64Array;
  /** 1 for inliers, -1 for outliers. */
  predict(X: Matrix): Int8Array;
}
