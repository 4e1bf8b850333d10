/**
 * "Actual vs typical" for rows a detector flagged, whatever the detector: each feature's value beside the
 * median of a reference (the training rows), its robust deviation, and — when given — the share of the
 * score a detector attributes to it (e.g. `IsolationForest.featureAttribution`), ordered by that share, or
 * by the deviation without one. Elastic shows the same pair ("actual", "typical") on every anomaly record.
 *
 * @example
 * const forest = new IsolationForest({ seed: 0, contamination: 0.01 }).fit(X);
 * const flagged = [...forest.predict(X).keys()].filter((i) => forest.predict(X)[i] === -1);
 * actualVsTypical({ X, rows: flagged, reference: X, attribution: forest.featureAttribution(X), featureNames });
 */
import { DataError, OptionError } from "../errors";
import { type DenseMatrix, type Matrix, toDense } from "../matrix";
import { medianOfSorted } from "../percentile";

/** One feature of one explained row. */
export interface ActualVsTypical {
  /** Column index and name. */
  readonly column: number;
  readonly feature: string;
  /** The row's value and the reference median, in the feature's unit. */
  readonly actual: number;
  readonly typical: number;
  /**
   * (actual - typical) / robust spread of the reference: 1.4826·MAD, else (MAD 0, as in sparse counts)
   * 1.253314·(mean absolute deviation from the median) — the modified z-score's fallback (Iglewicz & Hoaglin),
   * as the robust-zscore detector uses; the standard deviation it replaced was inflated by the very outliers
   * being explained — else 1.
   */
  readonly deviation: number;
  /** Share of the detector's score attributed to this feature (0–1), when an attribution was given. */
  readonly share?: number;
}

/** Options of {@link actualVsTypical}. */
export interface ActualVsTypicalOptions {
  /** The rows scored (rows × features). Required. */
  readonly X: Matrix;
  /** Indices of the rows to explain (e.g. the flagged ones). Required. */
  readonly rows: readonly number[];
  /** Rows that define "typical", usually the training rows. Required. */
  readonly reference: Matrix;
  /** Per-row, per-feature shares for X (rows × features), e.g. `forest.featureAttribution(X)`. Default: none. */
  readonly attribution?: DenseMatrix;
  /** Feature names, one per column. Default: "f0", "f1", …. */
  readonly featureNames?: readonly string[];
}

/**
 * For each requested row, every feature's actual value, typical value (reference median) and deviation,
 * with the attributed share when given; features ordered by share (else by |deviation|), largest first.
 * Errors: DataError when X, the reference and the attribution disagree on columns or a row index is out of
 * range; OptionError when `featureNames` has the wrong length.
 *
 * @example
 * actualVsTypical({ X: [[40, 1]], rows: [0], reference: [[1, 1], [2, 1], [1, 2]] })[0].features[0];
 * // { column: 0, feature: "f0", actual: 40, typical: 1, deviation: 93.4 } (MAD 0: by 1.253314 · mean absolute deviation)
 */
export function actualVsTypical(options: ActualVsTypicalOptions): { readonly row: number; readonly features: readonly ActualVsTypical[] }[] {
  const X = toDense(options.X, "X");
  const R = toDense(options.reference, "reference");
  if (R.cols !== X.cols) throw new DataError(`The reference has ${R.cols} columns but X has ${X.cols}: pass the training rows of the same features`);
  const A = options.attribution;
  if (A && (A.rows !== X.rows || A.cols !== X.cols)) {
    throw new DataError(`The attribution is ${A.rows} × ${A.cols} but X is ${X.rows} × ${X.cols}: attribute the same rows`);
  }
  const names = options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `f${j}`);
  if (names.length !== X.cols) throw new OptionError(`Expected \`featureNames\` to have ${X.cols} names, got ${names.length}`);
  const typical = new Float64Array(X.cols);
  const spread = new Float64Array(X.cols);
  for (let j = 0; j < X.cols; j++) {
    const col = Float64Array.from({ length: R.rows }, (_, i) => R.data[i * R.cols + j]);
    typical[j] = medianOfSorted(col.slice().sort());
    spread[j] = robustSpread(col, typical[j]);
  }
  return options.rows.map((r) => {
    if (!Number.isInteger(r) || r < 0 || r >= X.rows) throw new DataError(`Row ${r} is outside X's ${X.rows} rows`);
    const features = Array.from({ length: X.cols }, (_, j): ActualVsTypical => {
      const actual = X.data[r * X.cols + j];
      const base = { column: j, feature: names[j], actual, typical: typical[j], deviation: (actual - typical[j]) / spread[j] };
      return A ? { ...base, share: A.data[r * A.cols + j] } : base;
    });
    features.sort((a, b) => (A ? (b.share ?? 0) - (a.share ?? 0) : Math.abs(b.deviation) - Math.abs(a.deviation)) || a.column - b.column);
    return { row: r, features };
  });
}

/** 1.4826·MAD of `col` around `median`, else 1.253314·mean absolute deviation from it, else 1 (a constant column). */
function robustSpread(col: Float64Array, median: number): number {
  const dev = Float64Array.from(col, (x) => Math.abs(x - median));
  let sum = 0;
  for (const d of dev) sum += d;
  const mad = 1.4826 * medianOfSorted(dev.sort());
  if (mad > 1e-12 && Number.isFinite(mad)) return mad;
  const meanAd = 1.253314 * (sum / col.length);
  return meanAd > 1e-12 && Number.isFinite(meanAd) ? meanAd : 1;
}
