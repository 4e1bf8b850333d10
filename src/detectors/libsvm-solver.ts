/**
 * libsvm's SMO solver (`Solver::Solve` in scikit-learn's `sklearn/svm/src/libsvm/svm.cpp`, libsvm 3.x) for the
 * one-class problem with an RBF kernel, ported step by step so that the iterates are libsvm's:
 *
 *   min ½ αᵀQα  subject to 0 ≤ αᵢ ≤ 1, Σ αᵢ = ν·l,   Qᵢⱼ = exp(-γ(‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ)) stored as float32
 *
 * - initial point as `solve_one_class`: ν added l times, the first rows at 1, one row holding the remainder;
 * - working-set selection with second-order information (WSS3, Fan, Chen & Lin 2005), stopping when the
 *   maximal violation m(α) − M(α) < eps (`tol`);
 * - shrinking every min(l, 1000) iterations (`do_shrinking` / `be_shrunk`, with the one-time unshrink at
 *   violation ≤ 10·eps), variables swapped to the end of the active set exactly as libsvm swaps them;
 * - gradient reconstruction from G_bar (the gradient part of the variables at the upper bound) when the shrunk
 *   problem is optimal, then a last check on the full problem;
 * - ρ = mean gradient of the free variables, else the midpoint of the bounds (`calculate_rho`);
 * - a kernel cache of columns (float32, LRU, `cacheSize` MB as libsvm's `Cache`, columns by active position,
 *   entries swapped with the variables).
 *
 * The only departure, for speed with identical arithmetic: the initial gradient Σ αᵢQᵢⱼ is summed over the
 * symmetric block of the non-zero αᵢ once per pair (still in increasing i for every j, so the same bits).
 */

/** Options of {@link solveOneClassSvm}. */
export interface OneClassSvmSolverOptions {
  /** ν in (0, 1). */
  readonly nu: number;
  /** RBF γ > 0. */
  readonly gamma: number;
  /** Stopping tolerance (libsvm's eps). Default: 1e-3. */
  readonly tol?: number;
  /** Iteration cap. Default: max(10 000 000, 100·l). */
  readonly maxIter?: number;
  /** Kernel cache in MB (libsvm's cache_size). Default: 200. */
  readonly cacheSize?: number;
  /** libsvm's shrinking heuristic. Default: true. */
  readonly shrinking?: boolean;
}

/** Result of {@link solveOneClassSvm}. */
export interface OneClassSvmSolution {
  /** αᵢ per training row (original order). */
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  /** False when `maxIter` stopped the solver before the tolerance was met. */
  readonly converged: boolean;
}

import { fastExp } from "./exp";
import { LeafKernel } from "./leaf-kernel";

const TAU = 1e-12;
const LOWER = 0;
const UPPER = 1;
const FREE = 2;

/** libsvm's ONE_CLASS_Q with its Cache: RBF columns by active position, float32, LRU within a byte budget. */
class OneClassQ {
  readonly QD: Float64Array;
  /** Rows by position (swapped with the variables). */
  private readonly x: Float64Array;
  private readonly xsq: Float64Array;
  private readonly d: number;
  private readonly gamma: number;
  /** Cache: column data and cached length per position, LRU list (index l is the list head). */
  private readonly data: (Float32Array | null)[];
  private readonly len: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private size: number;
  private readonly l: number;
  /** The rows again, column-major (value c of position j at c·S + j) in a WebAssembly kernel's memory, for
   * dot products two rows at a time; null without WebAssembly (then the scalar loop runs). */
  private readonly wk: LeafKernel | null;
  private readonly S: number;
  /** Position swaps not yet applied to the cached columns' entries (pairs i < j, in order). */
  private pending: Int32Array;
  private nPending = 0;

  constructor(X: Float64Array, l: number, d: number, gamma: number, cacheBytes: number) {
    this.l = l;
    this.d = d;
    this.gamma = gamma;
    this.x = X.slice(0, l * d);
    this.xsq = new Float64Array(l);
    for (let i = 0; i < l; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += this.x[i * d + c] * this.x[i * d + c];
      this.xsq[i] = s;
    }
    this.QD = new Float64Array(l);
    for (let i = 0; i < l; i++) this.QD[i] = this.kernel(i, i);
    this.data = new Array<Float32Array | null>(l).fill(null);
    this.len = new Int32Array(l);
    this.prev = new Int32Array(l + 1);
    this.next = new Int32Array(l + 1);
    this.prev[l] = l;
    this.next[l] = l;
    // libsvm: size in floats, minus the heads (32 bytes each), at least two columns.
    let size = Math.floor(cacheBytes / 4);
    size -= (l * 32) / 4;
    this.size = Math.max(size, 2 * l);
    this.pending = new Int32Array(64);
    this.S = l + (l & 1) + 2;
    this.wk = LeafKernel.create(this.S * d, d, this.S);
    if (this.wk !== null) {
      const f = this.wk.f64;
      for (let j = 0; j < l; j++) for (let c = 0; c < d; c++) f[c * this.S + j] = this.x[j * d + c];
    }
  }

  /** exp(-γ(‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ)) as libsvm's kernel_rbf (double). */
  kernel(i: number, j: number): number {
    const x = this.x;
    const d = this.d;
    let dot = 0;
    for (let c = 0; c < d; c++) dot += x[i * d + c] * x[j * d + c];
    return fastExp(-this.gamma * (this.xsq[i] + this.xsq[j] - 2 * dot));
  }

  /** Fills out[j] = float32 Q(i, j) for j in [from, to). */
  private fill(out: Float32Array, i: number, from: number, to: number): void {
    const x = this.x;
    const xsq = this.xsq;
    const d = this.d;
    const g = -this.gamma;
    const io = i * d;
    const si = xsq[i];
    const wk = this.wk;
    if (wk !== null && to > from) {
      // libsvm's dot(x_i, x_j) for j in [from, to) by the WebAssembly kernel (same sums), then the exponentials.
      const f = wk.f64;
      for (let c = 0; c < d; c++) f[wk.qAt + c] = x[io + c];
      const count = to - from + ((to - from) & 1);
      wk.dot(from * 8, count * 8, this.S * 8, d, wk.qAt * 8, wk.accAt * 8);
      const a = wk.accAt - from;
      for (let j = from; j < to; j++) out[j] = fastExp(g * (si + xsq[j] - 2 * f[a + j]));
      return;
    }
    if (d === 1) {
      const a = x[io];
      for (let j = from; j < to; j++) out[j] = fastExp(g * (si + xsq[j] - 2 * (a * x[j])));
      return;
    }
    for (let j = from; j < to; j++) {
      const jo = j * d;
      let dot = x[io] * x[jo];
      for (let c = 1; c < d; c++) dot += x[io + c] * x[jo + c];
      out[j] = fastExp(g * (si + xsq[j] - 2 * dot));
    }
  }

  private lruDelete(h: number): void {
    this.next[this.prev[h]] = this.next[h];
    this.prev[this.next[h]] = this.prev[h];
  }

  private lruInsert(h: number): void {
    const l = this.l;
    this.next[h] = l;
    this.prev[h] = this.prev[l];
    this.next[this.prev[h]] = h;
    this.prev[l] = h;
  }

  /** Column i for positions [0, len) (libsvm's get_Q), from the cache where it can. */
  getQ(i: number, len: number): Float32Array {
    if (this.nPending > 0) this.applySwaps();
    const have = this.len[i];
    if (have > 0) this.lruDelete(i);
    const more = len - have;
    let col = this.data[i];
    if (more > 0) {
      while (this.size < more) {
        const old = this.next[this.l];
        this.lruDelete(old);
        this.data[old] = null;
        this.size += this.len[old];
        this.len[old] = 0;
      }
      const grown = new Float32Array(len);
      if (col !== null && have > 0) grown.set(col.subarray(0, have));
      col = grown;
      this.data[i] = col;
      this.size -= more;
      this.len[i] = len;
      this.fill(col, i, have, len);
    }
    this.lruInsert(i);
    return col as Float32Array;
  }

  /** libsvm's ONE_CLASS_Q::swap_index: cache entries, rows, norms and QD. */
  swapIndex(i: number, j: number): void {
    if (i === j) return;
    const { len, data } = this;
    if (len[i] > 0) this.lruDelete(i);
    if (len[j] > 0) this.lruDelete(j);
    const td = data[i];
    data[i] = data[j];
    data[j] = td;
    const tl = len[i];
    len[i] = len[j];
    len[j] = tl;
    if (len[i] > 0) this.lruInsert(i);
    if (len[j] > 0) this.lruInsert(j);
    if (i > j) {
      const t = i;
      i = j;
      j = t;
    }
    // libsvm swaps entries i and j of every cached column here (dropping those that hold i but not j); the
    // swaps are queued and applied column by column before the next read (same contents, fewer cache misses).
    if (this.nPending * 2 + 2 > this.pending.length) {
      const grown = new Int32Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[this.nPending * 2] = i;
    this.pending[this.nPending * 2 + 1] = j;
    this.nPending++;
    const d = this.d;
    const x = this.x;
    for (let c = 0; c < d; c++) {
      const t = x[i * d + c];
      x[i * d + c] = x[j * d + c];
      x[j * d + c] = t;
    }
    if (this.wk !== null) {
      const f = this.wk.f64;
      const S = this.S;
      for (let c = 0; c < d; c++) {
        const t = f[c * S + i];
        f[c * S + i] = f[c * S + j];
        f[c * S + j] = t;
      }
    }
    let t = this.xsq[i];
    this.xsq[i] = this.xsq[j];
    this.xsq[j] = t;
    t = this.QD[i];
    this.QD[i] = this.QD[j];
    this.QD[j] = t;
  }

  /** Applies the queued position swaps to every cached column, in order, as libsvm's swap_index would have. */
  private applySwaps(): void {
    const { len, data, pending } = this;
    const np = this.nPending;
    const l = this.l;
    for (let h = this.next[l]; h !== l; ) {
      const nextH = this.next[h];
      const L = len[h];
      const col = data[h] as Float32Array;
      for (let s = 0; s < np; s++) {
        const i = pending[2 * s];
        if (L <= i) continue;
        const j = pending[2 * s + 1];
        if (L > j) {
          const t = col[i];
          col[i] = col[j];
          col[j] = t;
        } else {
          // give up
          this.lruDelete(h);
          data[h] = null;
          this.size += L;
          len[h] = 0;
          break;
        }
      }
      h = nextH;
    }
    this.nPending = 0;
  }

  /**
   * G[j] = Σᵢ αᵢ Qᵢⱼ and Gbar[j] = Σ_{αᵢ = 1} Qᵢⱼ over the non-zero αᵢ, which are the first m positions, each
   * sum taken in increasing i as libsvm's column loop, with each Qᵢⱼ of the m × m block computed once.
   */
  initialGradient(alpha: Float64Array, status: Uint8Array, m: number, G: Float64Array, Gbar: Float64Array): void {
    const l = this.l;
    // libsvm leaves these m full columns in its cache. When they all fit, keep them too: column i's entries
    // before i are entry i of the columns already kept (Q is symmetric bit for bit), so each costs only its
    // part from i on; otherwise compute only that part and keep nothing (libsvm would evict them anyway).
    const keep = m * l <= this.size;
    let col = new Float32Array(l);
    for (let i = 0; i < m; i++) {
      if (keep) {
        col = new Float32Array(l);
        for (let j = 0; j < i; j++) col[j] = (this.data[j] as Float32Array)[i];
        this.data[i] = col;
        this.len[i] = l;
        this.size -= l;
        this.lruInsert(i);
      }
      this.fill(col, i, i, l);
      const ai = alpha[i];
      const ui = status[i] === UPPER;
      // Row i's own sums: its contributions from i' < i are already in; add i' = i, i + 1, …, m − 1 in order.
      let gi = G[i] + ai * col[i];
      let gbi = ui ? Gbar[i] + col[i] : Gbar[i];
      for (let j = i + 1; j < m; j++) {
        const q = col[j];
        gi += alpha[j] * q;
        if (status[j] === UPPER) gbi += q;
        G[j] += ai * q;
        if (ui) Gbar[j] += q;
      }
      G[i] = gi;
      Gbar[i] = gbi;
      if (ui) {
        for (let j = m; j < l; j++) {
          const q = col[j];
          G[j] += ai * q;
          Gbar[j] += q;
        }
      } else {
        for (let j = m; j < l; j++) G[j] += ai * col[j];
      }
    }
  }
}

/**
 * Solves the one-class SVM dual with libsvm's solver (WSS3, shrinking, kernel cache) for an RBF kernel;
 * the same iterates, α and ρ as scikit-learn's `OneClassSVM` up to the last bits of `exp`.
 *
 * @example
 * const { alpha, rho } = solveOneClassSvm(toDense([[0], [1], [2]]), { nu: 0.5, gamma: 1 });
 */
export function solveOneClassSvm(X: { readonly data: Float64Array; readonly rows: number; readonly cols: number }, options: OneClassSvmSolverOptions): OneClassSvmSolution {
  const l = X.rows;
  const eps = options.tol ?? 1e-3;
  const maxIter = options.maxIter ?? Math.max(10_000_000, 100 * l);
  const shrinking = options.shrinking ?? true;
  const Q = new OneClassQ(X.data, l, X.cols, options.gamma, (options.cacheSize ?? 200) * (1 << 20));
  const QD = Q.QD;

  // solve_one_class: C = 1 per row, ν·l accumulated row by row, then the first rows take min(1, rest).
  const alpha = new Float64Array(l);
  let nuL = 0;
  for (let i = 0; i < l; i++) nuL += options.nu;
  let m = 0;
  while (nuL > 0 && m < l) {
    alpha[m] = Math.min(1, nuL);
    nuL -= alpha[m];
    m++;
  }
  const status = new Uint8Array(l);
  const updateStatus = (i: number): void => {
    status[i] = alpha[i] >= 1 ? UPPER : alpha[i] <= 0 ? LOWER : FREE;
  };
  for (let i = 0; i < l; i++) updateStatus(i);
  const activeSet = new Int32Array(l);
  for (let i = 0; i < l; i++) activeSet[i] = i;
  let activeSize = l;
  const G = new Float64Array(l);
  const Gbar = new Float64Array(l);
  Q.initialGradient(alpha, status, m, G, Gbar);

  const swapIndex = (i: number, j: number): void => {
    Q.swapIndex(i, j);
    let t = G[i];
    G[i] = G[j];
    G[j] = t;
    const s = status[i];
    status[i] = status[j];
    status[j] = s;
    t = alpha[i];
    alpha[i] = alpha[j];
    alpha[j] = t;
    const a = activeSet[i];
    activeSet[i] = activeSet[j];
    activeSet[j] = a;
    t = Gbar[i];
    Gbar[i] = Gbar[j];
    Gbar[j] = t;
  };

  const reconstructGradient = (): void => {
    if (activeSize === l) return;
    for (let j = activeSize; j < l; j++) G[j] = Gbar[j];
    let nrFree = 0;
    for (let j = 0; j < activeSize; j++) if (status[j] === FREE) nrFree++;
    if (nrFree * l > 2 * activeSize * (l - activeSize)) {
      for (let i = activeSize; i < l; i++) {
        const Qi = Q.getQ(i, activeSize);
        let g = G[i];
        for (let j = 0; j < activeSize; j++) if (status[j] === FREE) g += alpha[j] * Qi[j];
        G[i] = g;
      }
    } else {
      for (let i = 0; i < activeSize; i++) {
        if (status[i] !== FREE) continue;
        const Qi = Q.getQ(i, l);
        const ai = alpha[i];
        for (let j = activeSize; j < l; j++) G[j] += ai * Qi[j];
      }
    }
  };

  let unshrink = false;
  const doShrinking = (): void => {
    let Gmax1 = -Infinity; // max { -G_i | i in I_up }
    let Gmax2 = -Infinity; // max { G_i | i in I_low }
    for (let i = 0; i < activeSize; i++) {
      if (status[i] !== UPPER && -G[i] >= Gmax1) Gmax1 = -G[i];
      if (status[i] !== LOWER && G[i] >= Gmax2) Gmax2 = G[i];
    }
    if (!unshrink && Gmax1 + Gmax2 <= eps * 10) {
      unshrink = true;
      reconstructGradient();
      activeSize = l;
    }
    const beShrunk = (i: number): boolean =>
      status[i] === UPPER ? -G[i] > Gmax1 : status[i] === LOWER ? G[i] > Gmax2 : false;
    for (let i = 0; i < activeSize; i++) {
      if (beShrunk(i)) {
        activeSize--;
        while (activeSize > i) {
          if (!beShrunk(activeSize)) {
            swapIndex(i, activeSize);
            break;
          }
          activeSize--;
        }
      }
    }
  };

  // select_working_set (all labels +1): returns false when optimal; sets wsI, wsJ.
  let wsI = -1;
  let wsJ = -1;
  const selectWorkingSet = (): boolean => {
    let Gmax = -Infinity;
    let Gmax2 = -Infinity;
    let GmaxIdx = -1;
    let GminIdx = -1;
    let objDiffMin = Infinity;
    for (let t = 0; t < activeSize; t++) {
      if (status[t] !== UPPER && -G[t] >= Gmax) {
        Gmax = -G[t];
        GmaxIdx = t;
      }
    }
    const i = GmaxIdx;
    if (i !== -1) {
      const Qi = Q.getQ(i, activeSize);
      const QDi = QD[i];
      for (let j = 0; j < activeSize; j++) {
        if (status[j] === LOWER) continue;
        const Gj = G[j];
        const gradDiff = Gmax + Gj;
        if (Gj >= Gmax2) Gmax2 = Gj;
        if (gradDiff > 0) {
          const quad = QDi + QD[j] - 2.0 * Qi[j];
          const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
          if (objDiff <= objDiffMin) {
            GminIdx = j;
            objDiffMin = objDiff;
          }
        }
      }
    } else {
      for (let j = 0; j < activeSize; j++) if (status[j] !== LOWER && G[j] >= Gmax2) Gmax2 = G[j];
    }
    if (Gmax + Gmax2 < eps || GminIdx === -1) return false;
    wsI = GmaxIdx;
    wsJ = GminIdx;
    return true;
  };

  let iter = 0;
  let counter = Math.min(l, 1000) + 1;
  let converged = false;
  for (;;) {
    if (iter >= maxIter) break;
    if (--counter === 0) {
      counter = Math.min(l, 1000);
      if (shrinking) doShrinking();
    }
    if (!selectWorkingSet()) {
      reconstructGradient();
      activeSize = l;
      if (!selectWorkingSet()) {
        converged = true;
        break;
      }
      counter = 1; // shrink at the next iteration
    }
    ++iter;
    const i = wsI;
    const j = wsJ;
    const Qi = Q.getQ(i, activeSize);
    const Qj = Q.getQ(j, activeSize);
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    let quad = QD[i] + QD[j] - 2 * Qi[j];
    if (quad <= 0) quad = TAU;
    const delta = (G[i] - G[j]) / quad;
    const sum = alpha[i] + alpha[j];
    alpha[i] -= delta;
    alpha[j] += delta;
    if (sum > 1) {
      if (alpha[i] > 1) {
        alpha[i] = 1;
        alpha[j] = sum - 1;
      }
    } else if (alpha[j] < 0) {
      alpha[j] = 0;
      alpha[i] = sum;
    }
    if (sum > 1) {
      if (alpha[j] > 1) {
        alpha[j] = 1;
        alpha[i] = sum - 1;
      }
    } else if (alpha[i] < 0) {
      alpha[i] = 0;
      alpha[j] = sum;
    }
    const dAi = alpha[i] - oldAi;
    const dAj = alpha[j] - oldAj;
    for (let k = 0; k < activeSize; k++) G[k] += Qi[k] * dAi + Qj[k] * dAj;
    const ui = status[i] === UPPER;
    const uj = status[j] === UPPER;
    updateStatus(i);
    updateStatus(j);
    if (ui !== (status[i] === UPPER)) {
      const Qf = Q.getQ(i, l);
      if (ui) for (let k = 0; k < l; k++) Gbar[k] -= Qf[k];
      else for (let k = 0; k < l; k++) Gbar[k] += Qf[k];
    }
    if (uj !== (status[j] === UPPER)) {
      const Qf = Q.getQ(j, l);
      if (uj) for (let k = 0; k < l; k++) Gbar[k] -= Qf[k];
      else for (let k = 0; k < l; k++) Gbar[k] += Qf[k];
    }
  }

  // calculate_rho over the active set (all of it unless maxIter stopped a shrunk problem).
  let nrFree = 0;
  let sumFree = 0;
  let ub = Infinity;
  let lb = -Infinity;
  for (let t = 0; t < activeSize; t++) {
    if (status[t] === UPPER) lb = Math.max(lb, G[t]);
    else if (status[t] === LOWER) ub = Math.min(ub, G[t]);
    else {
      nrFree++;
      sumFree += G[t];
    }
  }
  const rho = nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
  const out = new Float64Array(l);
  for (let t = 0; t < l; t++) out[activeSet[t]] = alpha[t];
  return { alpha: out, rho, iterations: iter, converged };
}
