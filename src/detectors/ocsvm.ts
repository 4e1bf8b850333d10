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
 * back. The solver is a step-by-step TypeScript port of libsvm's (src/detectors/libsvm-solver.ts: WSS3,
 * shrinking, gradient reconstruction, a float32 column cache of `cacheSize` MB, ρ as libsvm), so it takes the
 * same iterations as scikit-learn and its decision values agree to ~1e-12 relative on the fixtures
 * (test/detectors/ocsvm.test.ts checks 1e-5).
 *
 * Cost: training computes about ν·n² kernel values at the start and two kernel columns per step (cached);
 * scoring n rows costs n × (support vectors ≈ ν·n) kernel values: both are quadratic in n, as in scikit-learn.
 */
import { DataError, OptionError } from "../errors";
import { BaseDetector, DETECTOR_OPTION_KEYS } from "./base";
import { squaredDistance } from "./distance";
import { fastExp } from "./exp";
import { LeafKernel } from "./leaf-kernel";
import { solveOneClassSvm } from "./libsvm-solver";
import { sameMatrix } from "./lof";
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
  /** Memory for cached kernel columns, in MB (scikit-learn's `cache_size`). Default: 200. */
  readonly cacheSize?: number;
  /** libsvm's shrinking heuristic (scikit-learn's `shrinking`): the same solution, usually sooner. Default: true. */
  readonly shrinking?: boolean;
}

/** Every option name of {@link OneClassSVMOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ONE_CLASS_SVM_OPTION_KEYS: OptionKeys<OneClassSVMOptions> = { ...DETECTOR_OPTION_KEYS, nu: true, gamma: true, tol: true, maxIter: true, cacheSize: true, shrinking: true };

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
  /** A copy of the training rows and their scores, returned when the training rows are scored again. */
  readonly train: DenseMatrix;
  readonly trainScores: Float64Array;
  /** The support vectors column-major in a WebAssembly kernel's memory (null without WebAssembly), for scoring. */
  readonly svKernel: LeafKernel | null;
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
  readonly cacheSize: number;
  readonly shrinking: boolean;

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
    this.cacheSize = options.cacheSize ?? 200;
    if (typeof this.cacheSize !== "number" || !(this.cacheSize > 0) || !Number.isFinite(this.cacheSize)) {
      throw new OptionError(`Expected \`cacheSize\` to be a positive number of MB, got ${String(options.cacheSize)}`);
    }
    this.shrinking = options.shrinking ?? true;
    if (typeof this.shrinking !== "boolean") throw new OptionError(`Expected \`shrinking\` to be true or false, got ${String(options.shrinking)}`);
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
    const sol = solveOneClassSvm(M, { nu: this.nu, gamma, tol: this.tol, maxIter: this.maxIter, cacheSize: this.cacheSize, shrinking: this.shrinking });
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
    const support = Int32Array.from(idx);
    const train: DenseMatrix = { data: M.data.slice(), rows: M.rows, cols: d };
    const trainScores = trainingKernelSum(train, support, coef, gamma);
    const svKernel = supportVectorKernel(sv, coef.length, d);
    return { nFeaturesIn: d, gamma, supportVectors: sv, dualCoef: coef, support, rho: sol.rho, iterations: sol.iterations, converged: sol.converged, train, trainScores, svKernel };
  }

  /** Checks a saved state: support vectors, coefficients and indices of matching sizes, finite γ and ρ. */
  /** The WebAssembly scoring kernel is not saved: it is rebuilt from the support vectors on load. */
  protected override modelToState(model: SvmState): unknown {
    const { svKernel: _kernel, ...rest } = model;
    return rest;
  }

  protected override modelFromState(state: unknown): SvmState {
    const s = super.modelFromState(state);
    const m = s.dualCoef?.length;
    const t = s.train;
    this.checkState(
      s.dualCoef instanceof Float64Array && m >= 1 && s.supportVectors instanceof Float64Array && s.supportVectors.length === m * s.nFeaturesIn &&
        s.support instanceof Int32Array && s.support.length === m && Number.isFinite(s.gamma) && Number.isFinite(s.rho) &&
        Number.isInteger(s.iterations) && typeof s.converged === "boolean" &&
        t !== null && typeof t === "object" && Number.isInteger(t.rows) && t.cols === s.nFeaturesIn && t.data instanceof Float64Array &&
        t.data.length === t.rows * t.cols && s.trainScores instanceof Float64Array && s.trainScores.length === t.rows,
      "lacks consistent support vectors, dual coefficients, gamma, rho, training rows or training scores",
    );
    return { ...s, svKernel: supportVectorKernel(s.supportVectors, m, s.nFeaturesIn) };
  }

  /** ρ, so that `decisionFunction` equals scikit-learn's `decision_function`. */
  protected override autoOffset(model: SvmState): number {
    return model.rho;
  }

  /** The training rows' scores, computed once in `fit`. */
  protected override trainingScores(model: SvmState): Float64Array {
    return model.trainScores;
  }

  /**
   * Σ αᵢ K(xᵢ, x) per row (scikit-learn's `score_samples`): lower = more abnormal. The training matrix
   * itself (same shape and values) gets the scores computed in `fit`, which are the same bits.
   */
  protected override scoreModel(model: SvmState, M: DenseMatrix): Float64Array {
    if (sameMatrix(M, model.train)) return model.trainScores.slice();
    return kernelSum(model, M);
  }
}

/** Stride (in doubles) of the support vectors' columns in {@link supportVectorKernel}'s memory. */
const svStride = (nsv: number): number => nsv + (nsv & 1) + 2;

/** The support vectors copied column-major into a WebAssembly kernel's memory, built once per fit. */
function supportVectorKernel(sv: Float64Array, nsv: number, d: number): LeafKernel | null {
  const S = svStride(nsv);
  const wk = LeafKernel.create(S * d, d, S);
  if (wk !== null) for (let t = 0; t < nsv; t++) for (let c = 0; c < d; c++) wk.f64[c * S + t] = sv[t * d + c];
  return wk;
}

function kernelSum(st: SvmState, M: DenseMatrix): Float64Array {
  const d = st.nFeaturesIn;
  const sv = st.supportVectors;
  const coef = st.dualCoef;
  const nsv = coef.length;
  const g = st.gamma;
  const out = new Float64Array(M.rows);
  const X = M.data;
  // All squared distances to the support vectors per call, two at a time (the kernel built in fit).
  const S = svStride(nsv);
  const wk = st.svKernel;
  if (wk !== null) {
    const f = wk.f64;
    const count = nsv + (nsv & 1);
    for (let r = 0; r < M.rows; r++) {
      for (let c = 0; c < d; c++) f[wk.qAt + c] = X[r * d + c];
      wk.sqdist(0, count * 8, S * 8, d, wk.qAt * 8, wk.accAt * 8);
      const a = wk.accAt;
      let acc = 0;
      for (let t = 0; t < nsv; t++) acc += coef[t] * fastExp(-g * f[a + t]);
      out[r] = acc;
    }
    return out;
  }
  for (let r = 0; r < M.rows; r++) {
    const ro = r * d;
    let acc = 0;
    for (let t = 0; t < nsv; t++) acc += coef[t] * fastExp(-g * squaredDistance(X, ro, sv, t * d, d));
    out[r] = acc;
  }
  return out;
}

/**
 * {@link kernelSum} of the training rows themselves, the same bits with half the kernel values between
 * support vectors: K(a, b) = K(b, a) exactly ((a − b)² = (b − a)²), so each pair of support vectors is
 * evaluated once, and every row's sum is still taken over the support vectors in order.
 */
function trainingKernelSum(train: DenseMatrix, support: Int32Array, coef: Float64Array, g: number): Float64Array {
  const { data: X, rows: n, cols: d } = train;
  const nsv = support.length;
  const svPos = new Int32Array(n).fill(-1);
  for (let u = 0; u < nsv; u++) svPos[support[u]] = u;
  const acc = new Float64Array(n);
  // The rows column-major in a WebAssembly kernel's memory: all n squared distances to a support vector per call.
  const S = n + (n & 1) + 2;
  const wk = LeafKernel.create(S * d, d, S);
  const f = wk !== null ? wk.f64 : null;
  if (f !== null) for (let j = 0; j < n; j++) for (let c = 0; c < d; c++) f[c * S + j] = X[j * d + c];
  const dist = new Float64Array(n);
  for (let t = 0; t < nsv; t++) {
    const row = support[t];
    const ro = row * d;
    const ct = coef[t];
    if (wk !== null && f !== null) {
      for (let c = 0; c < d; c++) f[wk.qAt + c] = X[ro + c];
      wk.sqdist(0, (n + (n & 1)) * 8, S * 8, d, wk.qAt * 8, wk.accAt * 8);
      dist.set(f.subarray(wk.accAt, wk.accAt + n));
    } else {
      for (let j = 0; j < n; j++) dist[j] = squaredDistance(X, j * d, X, ro, d);
    }
    // Row `row`'s own sum: support vectors before t were added by earlier passes; add t, then those after t.
    let own = acc[row] + ct * fastExp(-g * dist[row]);
    for (let j = 0; j < n; j++) {
      const u = svPos[j];
      if (u >= 0 && u <= t) continue;
      const k = fastExp(-g * dist[j]);
      if (u > t) own += coef[u] * k;
      acc[j] += ct * k;
    }
    acc[row] = own;
  }
  return acc;
}
