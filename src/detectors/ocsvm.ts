/**
 * One-Class SVM with an RBF kernel, solving libsvm's one-class dual by SMO with libsvm's second-order
 * working-set selection (WSS3), as scikit-learn's `OneClassSVM` does through libsvm:
 *
 *   min ½ αᵀKα  subject to 0 ≤ αᵢ ≤ 1, Σ αᵢ = ν·n,   K(x, y) = exp(-γ‖x − y‖²)
 *
 * decision(x) = Σ αᵢ K(xᵢ, x) − ρ. scikit-learn's `score_samples` is Σ αᵢ K(xᵢ, x) and its `offset_` is ρ;
 * this detector uses the same: `scoreSamples` = Σ αᵢ K(xᵢ, x), and `contamination: 'auto'` gives
 * offset = ρ (so `decisionFunction` equals scikit-learn's `decision_function`). A numeric contamination
 * takes the percentile of the training scores instead.
 *
 * Why not an npm package: `libsvm-js` 0.2.1 (libsvm compiled by emscripten) trains one-class models, but
 * exposes only ±1 labels, not decision values, so ranking (ROC) would need its serialised model text parsed
 * back. This port stays in plain TypeScript; its decision values agree with scikit-learn to ~1e-3 relative
 * (test/detectors/ocsvm.test.ts). libsvm's shrinking heuristic is not implemented (it only saves time).
 *
 * Cost: each SMO step needs two kernel rows (O(n·d) each); rows are cached up to `cacheMB`. Training is
 * roughly O(n²) or worse: keep n to a few thousand rows (subsample larger sets).
 */
import { DataError, OptionError } from "../errors";
import { BaseDetector, DETECTOR_OPTION_KEYS } from "./base";
import { squaredDistance } from "./distance";
import type { DetectorOptions } from "./types";
import type { DenseMatrix } from "../matrix";
import type { OptionKeys } from "../options";

/** Options of {@link OneClassSVM}. */
export interface OneClassSVMOptions extends DetectorOptions {
  /**
   * Upper bound on the fraction of training errors and lower bound on the fraction of support vectors, in
   * (0, 1). Default: 0.5 (scikit-learn's). scikit-learn accepts 1, which puts every row at the bound and
   * leaves the offset infinite; siemlab refuses it.
   */
  readonly nu?: number;
  /** RBF width: 'scale' = 1 / (d · Var(X)) over all values of X, 'auto' = 1 / d, or a positive number. Default: 'scale'. */
  readonly gamma?: "scale" | "auto" | number;
  /** Stopping tolerance on the KKT violation (libsvm's eps). Default: 1e-3. */
  readonly tol?: number;
  /** Maximum SMO iterations. Default: max(10 000 000, 100·n), libsvm's own cap. */
  readonly maxIter?: number;
  /** Memory for cached kernel rows, in MB. Default: 256. */
  readonly cacheMB?: number;
}

/** Every option name of {@link OneClassSVMOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ONE_CLASS_SVM_OPTION_KEYS: OptionKeys<OneClassSVMOptions> = { ...DETECTOR_OPTION_KEYS, nu: true, gamma: true, tol: true, maxIter: true, cacheMB: true };

interface SvmState {
  readonly nFeaturesIn: number;
  readonly gamma: number;
  /** Support vectors, row-major (nSupport × d). */
  readonly supportVectors: Float64Array;
  /** Their dual coefficients αᵢ (in (0, 1]). */
  readonly dualCoef: Float64Array;
  /** Training row index of each support vector. */
  readonly support: Int32Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const TAU = 1e-12;

/** RBF kernel rows over the training matrix, with a bounded LRU cache. */
class KernelRows {
  private readonly cache = new Map<number, Float64Array>();
  private readonly maxRows: number;
  constructor(
    private readonly X: DenseMatrix,
    private readonly gamma: number,
    cacheMB: number,
  ) {
    this.maxRows = Math.max(2, Math.floor((cacheMB * 1024 * 1024) / (8 * Math.max(1, X.rows))));
  }
  row(i: number): Float64Array {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    const { data, rows: n, cols: d } = this.X;
    const out = new Float64Array(n);
    const io = i * d;
    const g = this.gamma;
    for (let j = 0; j < n; j++) out[j] = Math.exp(-g * squaredDistance(data, io, data, j * d, d));
    if (this.cache.size >= this.maxRows) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    this.cache.set(i, out);
    return out;
  }
}

/** Result of {@link solveOneClassSvm}. */
export interface OneClassSvmSolution {
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Solves the one-class SVM dual with libsvm's SMO (WSS3, no shrinking) for an RBF kernel.
 *
 * @example
 * const { alpha, rho } = solveOneClassSvm(toDense([[0], [1], [2]]), { nu: 0.5, gamma: 1 });
 */
export function solveOneClassSvm(
  X: DenseMatrix,
  options: { readonly nu: number; readonly gamma: number; readonly tol?: number; readonly maxIter?: number; readonly cacheMB?: number },
): OneClassSvmSolution {
  const l = X.rows;
  const nu = options.nu;
  const eps = options.tol ?? 1e-3;
  const maxIter = options.maxIter ?? Math.max(10_000_000, 100 * l);
  const K = new KernelRows(X, options.gamma, options.cacheMB ?? 256);
  // libsvm's initial point: the first ⌊ν·l⌋ alphas at the upper bound 1, the next one holds the rest.
  const alpha = new Float64Array(l);
  const nBound = Math.floor(nu * l);
  for (let i = 0; i < nBound; i++) alpha[i] = 1;
  if (nBound < l) alpha[nBound] = nu * l - nBound;
  // Gradient G = K·α (p = 0, y = +1 for all rows, C = 1).
  const G = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    if (alpha[i] === 0) continue;
    const Ki = K.row(i);
    const a = alpha[i];
    for (let k = 0; k < l; k++) G[k] += a * Ki[k];
  }
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    // Working set selection 3 (Fan, Chen & Lin 2005), all labels +1.
    let Gmax = -Infinity;
    let GmaxIdx = -1;
    for (let t = 0; t < l; t++) {
      if (alpha[t] < 1 && -G[t] >= Gmax) {
        Gmax = -G[t];
        GmaxIdx = t;
      }
    }
    let Gmax2 = -Infinity;
    let GminIdx = -1;
    let objDiffMin = Infinity;
    const i = GmaxIdx;
    const Ki = i >= 0 ? K.row(i) : null;
    for (let j = 0; j < l; j++) {
      if (alpha[j] > 0) {
        const gradDiff = Gmax + G[j];
        if (G[j] >= Gmax2) Gmax2 = G[j];
        if (gradDiff > 0 && Ki) {
          const quad = 2 - 2 * Ki[j];
          const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (objDiff <= objDiffMin) {
            GminIdx = j;
            objDiffMin = objDiff;
          }
        }
      }
    }
    if (Gmax + Gmax2 < eps || GminIdx === -1 || !Ki) {
      converged = true;
      break;
    }
    iter++;
    const j = GminIdx;
    const Kj = K.row(j);
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    let quad = 2 - 2 * Ki[j];
    if (quad <= 0) quad = TAU;
    const delta = (G[i] - G[j]) / quad;
    const sum = alpha[i] + alpha[j];
    alpha[i] -= delta;
    alpha[j] += delta;
    clipPairToBox(alpha, i, j, sum);
    clipPairToBox(alpha, j, i, sum);
    const dAi = alpha[i] - oldAi;
    const dAj = alpha[j] - oldAj;
    for (let k = 0; k < l; k++) G[k] += Ki[k] * dAi + Kj[k] * dAj;
  }
  // ρ: mean gradient over free alphas, else the midpoint of the bounds (libsvm's calculate_rho).
  let nFree = 0;
  let sumFree = 0;
  let ub = Infinity;
  let lb = -Infinity;
  for (let t = 0; t < l; t++) {
    if (alpha[t] >= 1) lb = Math.max(lb, G[t]);
    else if (alpha[t] <= 0) ub = Math.min(ub, G[t]);
    else {
      nFree++;
      sumFree += G[t];
    }
  }
  const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  return { alpha, rho, iterations: iter, converged };
}

/**
 * One half of libsvm's clipping of an updated pair back into the box [0, 1]² along αa + αb = sum: αa
 * above 1 (possible when sum > 1) or αb below 0 (when sum ≤ 1) is moved to the bound. libsvm applies it
 * to (i, j), then to (j, i).
 */
function clipPairToBox(alpha: Float64Array, a: number, b: number, sum: number): void {
  if (sum > 1) {
    if (alpha[a] > 1) {
      alpha[a] = 1;
      alpha[b] = sum - 1;
    }
  } else if (alpha[b] < 0) {
    alpha[b] = 0;
    alpha[a] = sum;
  }
}

/**
 * scikit-learn's gamma: 'scale' = 1 / (d · Var(X)) (1 when Var is 0), 'auto' = 1 / d.
 *
 * @example
 * resolveRbfGamma("scale", { data: Float64Array.of(0, 0, 0, 4), rows: 2, cols: 2 }) // 0.16666666666666666 (Var = 3)
 */
export function resolveRbfGamma(gamma: "scale" | "auto" | number, X: DenseMatrix): number {
  if (typeof gamma === "number") return gamma;
  if (gamma === "auto") return 1 / X.cols;
  const v = X.data;
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) * (v[i] - mean);
  const variance = ss / v.length;
  return variance !== 0 ? 1 / (X.cols * variance) : 1;
}

/**
 * One-Class SVM detector (RBF kernel, `nu` 0.5, `gamma` 'scale'), scikit-learn's semantics.
 * Deterministic: the `seed` is recorded but nothing is random.
 *
 * @example
 * const svm = new OneClassSVM({ nu: 0.1, gamma: 0.5 }).fit([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]);
 * svm.predict([[0.5, 0.5], [6, 6]]); // Int8Array [1, -1]
 */
export class OneClassSVM extends BaseDetector<SvmState> {
  readonly name = "ocsvm";
  readonly nu: number;
  readonly gamma: "scale" | "auto" | number;
  readonly tol: number;
  readonly maxIter: number | undefined;
  readonly cacheMB: number;

  constructor(options: OneClassSVMOptions = {}) {
    super("OneClassSVM", options, ONE_CLASS_SVM_OPTION_KEYS);
    this.nu = options.nu ?? 0.5;
    if (this.nu === 1) {
      throw new OptionError(
        "Expected `nu` to be a number in (0, 1), got 1: nu = 1 puts every training row at the bound (α = 1), so the offset ρ " +
          "is infinite (scikit-learn returns an infinite offset_ and flags nothing or everything); use nu < 1, e.g. 0.5",
      );
    }
    if (typeof this.nu !== "number" || !(this.nu > 0 && this.nu < 1)) {
      throw new OptionError(`Expected \`nu\` to be a number in (0, 1), got ${String(options.nu)}`);
    }
    this.gamma = options.gamma ?? "scale";
    if (!(this.gamma === "scale" || this.gamma === "auto" || (typeof this.gamma === "number" && this.gamma > 0 && Number.isFinite(this.gamma)))) {
      throw new OptionError(`Expected \`gamma\` to be 'scale', 'auto' or a positive number, got ${String(options.gamma)}`);
    }
    this.tol = options.tol ?? 1e-3;
    if (!(this.tol > 0)) throw new OptionError(`Expected \`tol\` to be a positive number, got ${String(options.tol)}`);
    this.maxIter = options.maxIter;
    if (this.maxIter !== undefined && !(Number.isInteger(this.maxIter) && this.maxIter > 0)) {
      throw new OptionError(`Expected \`maxIter\` to be a positive integer, got ${String(options.maxIter)}`);
    }
    this.cacheMB = options.cacheMB ?? 256;
    if (!(this.cacheMB > 0)) throw new OptionError(`Expected \`cacheMB\` to be a positive number, got ${String(options.cacheMB)}`);
  }

  /** ρ of the fitted model (scikit-learn's `offset_`, minus its `intercept_`). */
  get rho(): number {
    return this.fittedModel().rho;
  }
  /** The γ actually used (after resolving 'scale' / 'auto'). */
  get gammaFitted(): number {
    return this.fittedModel().gamma;
  }
  /** Training indices of the support vectors. */
  get support(): Int32Array {
    return this.fittedModel().support.slice();
  }
  /** Their dual coefficients αᵢ ∈ (0, 1] (Σ αᵢ = ν·n). */
  get dualCoef(): Float64Array {
    return this.fittedModel().dualCoef.slice();
  }
  /** SMO iterations used and whether the tolerance was reached before `maxIter`. */
  get solverInfo(): { readonly iterations: number; readonly converged: boolean } {
    const st = this.fittedModel();
    return { iterations: st.iterations, converged: st.converged };
  }

  /** Solves the dual on X and keeps the support vectors, their αᵢ and ρ. */
  protected override fitModel(M: DenseMatrix): SvmState {
    const gamma = resolveRbfGamma(this.gamma, M);
    const sol = solveOneClassSvm(M, { nu: this.nu, gamma, tol: this.tol, maxIter: this.maxIter, cacheMB: this.cacheMB });
    if (!Number.isFinite(sol.rho)) {
      // libsvm's calculate_rho: with no free α and no α at 0 (every row at the bound, i.e. nu·n = n), the
      // offset is (+∞ + lb) / 2; scikit-learn then returns an infinite offset_ and flags or passes every row.
      throw new OptionError(
        `\`nu\` ${this.nu} puts all ${M.rows} training rows at the bound (α = 1), so the offset ρ is not finite: ` +
          `use nu < 1 (nu bounds the fraction of training outliers from above; 0.5 is the default)`,
      );
    }
    const d = M.cols;
    const idx: number[] = [];
    for (let i = 0; i < M.rows; i++) if (sol.alpha[i] > 0) idx.push(i);
    if (idx.length === 0) throw new DataError("OneClassSVM found no support vector; check the input data");
    const sv = new Float64Array(idx.length * d);
    const coef = new Float64Array(idx.length);
    idx.forEach((r, t) => {
      sv.set(M.data.subarray(r * d, r * d + d), t * d);
      coef[t] = sol.alpha[r];
    });
    return {
      nFeaturesIn: d,
      gamma,
      supportVectors: sv,
      dualCoef: coef,
      support: Int32Array.from(idx),
      rho: sol.rho,
      iterations: sol.iterations,
      converged: sol.converged,
    };
  }

  /** Checks a saved state: support vectors, coefficients and indices of matching sizes, finite γ and ρ. */
  protected override modelFromState(state: unknown): SvmState {
    const s = super.modelFromState(state);
    const m = s.dualCoef?.length;
    this.checkState(
      s.dualCoef instanceof Float64Array && m >= 1 && s.supportVectors instanceof Float64Array && s.supportVectors.length === m * s.nFeaturesIn &&
        s.support instanceof Int32Array && s.support.length === m && Number.isFinite(s.gamma) && Number.isFinite(s.rho) &&
        Number.isInteger(s.iterations) && typeof s.converged === "boolean",
      "lacks consistent support vectors, dual coefficients, gamma or rho",
    );
    return s;
  }

  /** ρ, so that `decisionFunction` equals scikit-learn's `decision_function`. */
  protected override autoOffset(model: SvmState): number {
    return model.rho;
  }

  /** Σ αᵢ K(xᵢ, x) per row (scikit-learn's `score_samples`): lower = more abnormal. */
  protected override scoreModel(model: SvmState, M: DenseMatrix): Float64Array {
    return kernelSum(model, M);
  }
}

function kernelSum(st: SvmState, M: DenseMatrix): Float64Array {
  const d = st.nFeaturesIn;
  const sv = st.supportVectors;
  const coef = st.dualCoef;
  const nsv = coef.length;
  const g = st.gamma;
  const out = new Float64Array(M.rows);
  const X = M.data;
  for (let r = 0; r < M.rows; r++) {
    const ro = r * d;
    let acc = 0;
    for (let t = 0; t < nsv; t++) acc += coef[t] * Math.exp(-g * squaredDistance(X, ro, sv, t * d, d));
    out[r] = acc;
  }
  return out;
}
