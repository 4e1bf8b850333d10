import type { DenseMatrix } from "../matrix";

/** A labelled data set: features and labels (1 = anomaly, 0 = normal). */
export interface LabelledData {
  readonly X: DenseMatrix;
  readonly y: Int8Array;
  /** Feature names when the source has them (CSV header); else "x0", "x1", ... */
  readonly columns: string[];
}
