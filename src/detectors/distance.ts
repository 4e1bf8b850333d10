/**
 * Squared Euclidean distance between rows stored in flat typed arrays, the inner loop LOF's neighbour
 * search and the One-Class SVM's RBF kernel share. Summed in column order, so every caller gets the same
 * bits for the same pair of rows.
 */

/**
 * Σ (A[ao + c] − B[bo + c])² for c in [0, d): the squared distance between the d values starting at
 * `ao` in A and at `bo` in B (row offsets into row-major data).
 *
 * @example
 * squaredDistance(Float64Array.of(0, 0, 3, 4), 0, Float64Array.of(0, 0, 3, 4), 2, 2); // 25
 */
export function squaredDistance(A: Float64Array, ao: number, B: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) {
    const diff = A[ao + c] - B[bo + c];
    s += diff * diff;
  }
  return s;
}
