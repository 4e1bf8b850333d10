/**
 * Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics and defaults
 * (`sklearn.ensemble.IsolationForest`), on flat typed arrays.
 *
 * Each of `nEstimators` trees is grown on `maxSamples` rows drawn without replacement (with replacement
 * if `bootstrap`): at every node a feature is chosen uniformly among those not constant in the node and
 * split at a threshold uniform in (min, max); rows `<= threshold` go left. Trees stop at depth
 * ceil(log2(maxSamples)) or at one row. A row's path length in a tree is the depth of the leaf it lands in
 * plus c(leaf size), the average path length of an unbuilt subtree; the score is
 * `scoreSamples = -2^(-mean path length / c(maxSamples))`, in [-1, 0): lower = more abnormal.
 *
 * Trees live in flat typed arrays; scoring walks them block by block with a small branch-free WebAssembly
 * kernel (src/detectors/iforest-kernel.ts; `engine: 'js'` selects the plain loop, with identical results).
 *
 * Two tree builders. `treeBuilder: 'sklearn'` grows scikit-learn 1.2's own trees for `random_state =
 * seed` (src/detectors/sklearn-tree-builder.ts): X cast to float32, the same bagging seeds, subsamples and
 * splitter draws, so `scoreSamples`, `offset` and `decisionFunction` equal scikit-learn's to about 1e-16
 * (test/detectors/isolation-forest-sklearn.test.ts runs scikit-learn live); use it to compare numbers
 * with Python. The default `'fast'` builder differs on purpose: computations stay in float64 (scikit-learn
 * rounds large values such as epoch-millisecond timestamps to float32) and the random stream is its own, so
 * individual trees differ while scores agree in distribution (the parity benchmark compares ROC AUC over
 * seeds). One measurable side effect: in scikit-learn 1.2 a tree's splitter seed and its subsample come
 * from the same first draw of one RandomState, which correlates thresholds with the subsample and shifts
 * mean scores by about -0.0015 (on test/fixtures/numpy-iforest-sklearn.json: -0.4338 vs -0.4327 when that
 * seed is decorrelated in scikit-learn itself, -0.4320 here); 'fast' draws them independently, 'sklearn'
 * keeps the quirk.
 */
import { ModelFileError, OptionError } from "../errors";
import { RandomState } from "../random";
import { ForestKernel, type KernelForest } from "./iforest-kernel";
import { isolationPathAttribution } from "./iforest-attribution";
import { growSklearnForest, toFloat32Matrix } from "./sklearn-tree-builder";
import { BaseDetector, DETECTOR_OPTION_KEYS, validatePositiveInteger } from "./base";
import type { Contamination, DetectorOptions } from "./types";
import type { DenseMatrix, Matrix } from "../matrix";
import { didYouMean, type OptionKeys } from "../options";

/** Euler–Mascheroni constant, as `np.euler_gamma`. */
const EULER_GAMMA = 0.5772156649015329;
/** scikit-learn's FEATURE_THRESHOLD: a feature whose range in a node is at most this is constant there. */
const FEATURE_THRESHOLD = 1e-7;
/** Largest seed drawn for each tree, as scikit-learn's MAX_INT (2**31 - 1). */
const MAX_INT = 2147483647;
/** Relative rounding of a sum of path lengths over trees that still counts as "exactly c(maxSamples)". */
const RATIO_TIE = 1e-12;
/** Rows scored per block: keeps a block of X in cache while every tree walks it. */
const SCORE_CHUNK = 1024;

/**
 * Average path length of an unsuccessful search in a binary search tree of `n` items, exactly as
 * scikit-learn's `_average_path_length`: c(n) = 0 for n <= 1, 1 for n = 2, else
 * 2(ln(n - 1) + γ) - 2(n - 1)/n.
 *
 * @example
 * averagePathLength(256); // 10.244770920116851
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n;
}

/** Options of {@link IsolationForest}. */
export interface IsolationForestOptions extends DetectorOptions {
  /** Number of trees. Default: 100. */
  readonly nEstimators?: number;
  /**
   * Rows drawn to grow each tree: 'auto' = min(256, n); a number in (0, 1] is a fraction of the rows
   * (floor(fraction · n), so 1 = every row); an integer > 1 is a count, capped at n. Default: 'auto'.
   */
  readonly maxSamples?: "auto" | number;
  /**
   * Features each tree may split on, drawn without replacement per tree: a number in (0, 1] is a fraction
   * (max(1, floor(fraction · d))); an integer > 1 is a count, at most d. Default: 1.0 (every feature).
   */
  readonly maxFeatures?: number;
  /** Draw each tree's rows with replacement. Default: false. */
  readonly bootstrap?: boolean;
  /** Expected fraction of outliers: 'auto' (offset -0.5) or in (0, 0.5]. Default: 'auto'. */
  readonly contamination?: Contamination;
  /** Seed of the tree construction; recorded as `seed`. Default: 0. */
  readonly seed?: number;
  /**
   * Scoring engine: 'wasm' (a small WebAssembly kernel, about 2–3× faster) or 'js' (plain typed-array
   * loop). Both give bit-identical scores; 'wasm' falls back to 'js' where WebAssembly is unavailable.
   * Default: 'wasm'.
   */
  readonly engine?: "wasm" | "js";
  /**
   * How trees are drawn: 'fast' (siemlab's own stream, float64 values) or 'sklearn' (scikit-learn 1.2's
   * trees for `random_state = seed`, draw for draw, X cast to float32 as scikit-learn does: scores equal
   * scikit-learn's to rounding, fit several times slower; see src/detectors/sklearn-tree-builder.ts).
   * Default: 'fast'.
   */
  readonly treeBuilder?: TreeBuilder;
}

/** Every option name of {@link IsolationForestOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ISOLATION_FOREST_OPTION_KEYS: OptionKeys<IsolationForestOptions> = {
  ...DETECTOR_OPTION_KEYS,
  nEstimators: true,
  maxSamples: true,
  maxFeatures: true,
  bootstrap: true,
  engine: true,
  treeBuilder: true,
};

/** Values of {@link IsolationForestOptions.treeBuilder}. */
export type TreeBuilder = "fast" | "sklearn";
const TREE_BUILDERS: readonly TreeBuilder[] = ["fast", "sklearn"];

/** The fitted forest: all trees' nodes concatenated in flat typed arrays (the layout the kernel scores). */
type Forest = KernelForest;

interface FittedForest {
  readonly forest: Forest;
  readonly nFeaturesIn: number;
  readonly maxSamplesUsed: number;
  readonly maxFeaturesUsed: number;
  /** Rows are cast to float32 before scoring (treeBuilder 'sklearn'). */
  readonly float32: boolean;
  /** WebAssembly scorer, built on first use; null when unavailable or engine is 'js'. */
  kernel: ForestKernel | null | undefined;
}

/**
 * Isolation Forest detector. `fit` replaces all previous state; `seed` makes it reproducible.
 *
 * @example
 * const { counts } = simulateLoginAttempts();
 * const X = counts.map((c) => [c]);
 * const iforest = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
 * iforest.predict(X).slice(49); // Int8Array [1, -1, -1, -1]: minutes 50, 51, 52 (the spikes) are outliers
 * // scikit-learn's own trees for random_state=42: its offset_ (-0.7457 at 0.02) and labels (50, 52)
 * new IsolationForest({ contamination: 0.02, seed: 42, treeBuilder: "sklearn" }).fit(X).offset;
 */
export class IsolationForest extends BaseDetector<FittedForest> {
  readonly name = "iforest";
  readonly nEstimators: number;
  readonly maxSamples: "auto" | number;
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  readonly engine: "wasm" | "js";
  readonly treeBuilder: TreeBuilder;

  constructor(options: IsolationForestOptions = {}) {
    super("IsolationForest", options, ISOLATION_FOREST_OPTION_KEYS);
    this.nEstimators = options.nEstimators ?? 100;
    validatePositiveInteger("nEstimators", this.nEstimators);
    this.maxSamples = options.maxSamples ?? "auto";
    const ms = this.maxSamples;
    if (ms !== "auto" && !(typeof ms === "number" && ((ms > 0 && ms <= 1) || (Number.isInteger(ms) && ms > 1)))) {
      throw new OptionError(
        `Expected \`maxSamples\` to be 'auto', a fraction in (0, 1] or an integer count > 1, got ${typeof ms === "string" ? `'${ms}'` : String(ms)}`,
      );
    }
    this.maxFeatures = options.maxFeatures ?? 1.0;
    const mf = this.maxFeatures;
    if (!(typeof mf === "number" && ((mf > 0 && mf <= 1) || (Number.isInteger(mf) && mf > 1)))) {
      throw new OptionError(`Expected \`maxFeatures\` to be a fraction in (0, 1] or an integer count > 1, got ${String(mf)}`);
    }
    this.bootstrap = options.bootstrap ?? false;
    if (typeof this.bootstrap !== "boolean") {
      throw new OptionError(`Expected \`bootstrap\` to be true or false, got ${String(this.bootstrap)}`);
    }
    this.engine = options.engine ?? "wasm";
    if (this.engine !== "wasm" && this.engine !== "js") {
      throw new OptionError(`Expected \`engine\` to be 'wasm' or 'js', got ${JSON.stringify(this.engine)}`);
    }
    this.treeBuilder = options.treeBuilder ?? "fast";
    if (!TREE_BUILDERS.includes(this.treeBuilder)) {
      throw new OptionError(
        `Expected \`treeBuilder\` to be 'fast' or 'sklearn', got ${JSON.stringify(this.treeBuilder)}${treeBuilderHint(this.treeBuilder, TREE_BUILDERS)}`,
      );
    }
  }

  /** Rows drawn per tree at fit (scikit-learn's `max_samples_`). */
  get maxSamplesUsed(): number {
    return this.fittedModel().maxSamplesUsed;
  }

  /** Features available to each tree at fit. */
  get maxFeaturesUsed(): number {
    return this.fittedModel().maxFeaturesUsed;
  }

  /** Total number of nodes in the fitted forest. */
  get nodeCount(): number {
    return this.fittedModel().forest.feature.length;
  }

  /**
   * Grows the forest on X (rows × features); `fit` then sets `offset`: -0.5 for 'auto', else the
   * contamination percentile of the training scores.
   *
   * @example
   * new IsolationForest({ seed: 1 }).fit([[0], [0.1], [0.2], [5]]).offset; // -0.5
   */
  protected override fitModel(dense: DenseMatrix): FittedForest {
    const n = dense.rows;
    const d = dense.cols;
    const ms = this.maxSamples;
    const maxSamplesUsed = ms === "auto" ? Math.min(256, n) : ms <= 1 ? Math.floor(ms * n) : Math.min(ms, n);
    if (maxSamplesUsed < 1) {
      throw new OptionError(
        `\`maxSamples\` ${String(ms)} of ${n} rows draws no row: use a larger fraction, an integer count or 'auto'`,
      );
    }
    const mf = this.maxFeatures;
    const maxFeaturesUsed = mf <= 1 ? Math.max(1, Math.floor(mf * d)) : mf;
    if (maxFeaturesUsed > d) {
      throw new OptionError(`Expected \`maxFeatures\` to be at most the ${d} features of X, got ${mf}: lower it or pass a fraction`);
    }
    const grow = {
      nEstimators: this.nEstimators,
      maxSamples: maxSamplesUsed,
      maxFeatures: maxFeaturesUsed,
      bootstrap: this.bootstrap,
      seed: this.seed,
    };
    const float32 = this.treeBuilder === "sklearn";
    const forest = float32 ? growSklearnForest(toFloat32Matrix(dense), { ...grow, averagePathLength }) : growForest(dense, grow);
    return { forest, nFeaturesIn: d, maxSamplesUsed, maxFeaturesUsed, float32, kernel: undefined };
  }

  /** scikit-learn's offset for 'auto'. */
  protected override autoOffset(): number {
    return -0.5;
  }

  /** The forest's flat arrays and counts, without the WebAssembly kernel (rebuilt on first use after load). */
  protected override modelToState(model: FittedForest): unknown {
    const { kernel: _kernel, ...state } = model;
    return state;
  }

  /** Checks the node arrays before any scoring walks them: equal lengths, children and roots inside. */
  protected override modelFromState(state: unknown): FittedForest {
    const s = super.modelFromState(state) as Omit<FittedForest, "kernel">;
    const f = s.forest;
    const ok =
      f !== null && typeof f === "object" && f.feature instanceof Int32Array && f.threshold instanceof Float64Array &&
      f.children instanceof Int32Array && f.value instanceof Float64Array && f.roots instanceof Int32Array &&
      Number.isInteger(f.depth) && [f.threshold, f.children, f.value].every((a) => a.length === f.feature.length) &&
      Number.isInteger(s.maxSamplesUsed) && s.maxSamplesUsed >= 1 && typeof s.float32 === "boolean";
    if (!ok) throw new ModelFileError("the IsolationForest state lacks a complete forest");
    const n = f.feature.length;
    for (let i = 0; i < n; i++) {
      if (f.feature[i] >= s.nFeaturesIn || (f.feature[i] >= 0 && !(f.children[i] > i && f.children[i] + 1 < n))) {
        throw new ModelFileError(`the IsolationForest state has an invalid node ${i}`);
      }
    }
    for (const r of f.roots) if (!(r >= 0 && r < n)) throw new ModelFileError(`the IsolationForest state has an invalid root ${r}`);
    return { ...s, kernel: undefined };
  }

  /**
   * Which features isolated each row: shares summing to 1 per row (rows × features, row-major), from the
   * splits on each row's path in every tree, each credited log2(n / m) bits for taking the row from a node
   * of n training rows to one of m (see `isolationPathAttribution`).
   *
   * @example
   * const forest = new IsolationForest({ seed: 0 }).fit(X2); // X2: a 200 × 2 blob
   * forest.featureAttribution([[10, 0]]).data; // [0.80, 0.20]: feature 0 isolated it
   */
  featureAttribution(X: Matrix): DenseMatrix {
    const { model, dense } = this.fittedInput(X);
    return isolationPathAttribution(model.forest, model.float32 ? toFloat32Matrix(dense) : dense);
  }

  /**
   * `-2^(-mean path length / c(maxSamples))` per row, in [-1, 0): lower = more abnormal (scikit-learn's
   * `score_samples`).
   */
  protected override scoreModel(model: FittedForest, input: DenseMatrix): Float64Array {
    const X = model.float32 ? toFloat32Matrix(input) : input;
    if (model.kernel === undefined) model.kernel = this.engine === "wasm" ? ForestKernel.create(model.forest) : null;
    const sums = new Float64Array(X.rows);
    if (model.kernel !== null) model.kernel.pathLengthSums(X.data, X.rows, X.cols, sums);
    else pathLengthSums(model.forest, X, sums);
    // scikit-learn: -2^(-depths / denominator), with depths / denominator := 1 when denominator is 0.
    // Departure from scikit-learn 1.2.1, on purpose: a ratio within RATIO_TIE of 1 (a mean path length of
    // exactly c(maxSamples), up to the rounding of summing over trees) is snapped to 1, so the score is
    // exactly -0.5 = the 'auto' offset and the row is an inlier. Without it, 256 identical rows (every
    // tree a single leaf) score -0.5 - 1e-16 and all are flagged, as they are in scikit-learn.
    const denominator = this.nEstimators * averagePathLength(model.maxSamplesUsed);
    for (let r = 0; r < sums.length; r++) {
      let ratio = denominator !== 0 ? sums[r] / denominator : 1;
      if (Math.abs(ratio - 1) <= RATIO_TIE) ratio = 1;
      sums[r] = -Math.pow(2, -ratio);
    }
    return sums;
  }
}

/** ` (did you mean 'x'?)` for a value close to one of `options` (the shared edit-distance match), else "". */
function treeBuilderHint(value: unknown, options: readonly TreeBuilder[]): string {
  if (typeof value !== "string") return "";
  if (/scikit|sk-?learn/i.test(value)) return " (did you mean 'sklearn'?)";
  return didYouMean(value, options, "'");
}

interface GrowOptions {
  readonly nEstimators: number;
  readonly maxSamples: number;
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  readonly seed: number;
}

/** Grows every tree; each draws from its own RandomState seeded from the forest's generator. */
function growForest(X: DenseMatrix, o: GrowOptions): Forest {
  const n = X.rows;
  const d = X.cols;
  const data = X.data;
  const m = o.maxSamples;
  const maxDepth = Math.ceil(Math.log2(Math.max(m, 2)));
  const maxNodesPerTree = 2 * m - 1;
  const capacity = o.nEstimators * maxNodesPerTree;
  const feature = new Int32Array(capacity);
  const threshold = new Float64Array(capacity);
  const children = new Int32Array(capacity);
  const value = new Float64Array(capacity);
  const roots = new Int32Array(o.nEstimators);

  const seeds = new RandomState(o.seed).randint(0, MAX_INT, o.nEstimators);
  // Pool of row indices for sampling without replacement (a partial Fisher–Yates per tree).
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const seen = o.bootstrap ? new Uint8Array(n) : null;
  const idx = new Int32Array(m);
  const allFeatures = new Int32Array(d);
  for (let f = 0; f < d; f++) allFeatures[f] = f;
  const treeFeatures = new Int32Array(d);
  const cand = new Int32Array(d);
  // Explicit stack of (node, start, end, depth).
  const stackNode = new Int32Array(maxNodesPerTree);
  const stackStart = new Int32Array(maxNodesPerTree);
  const stackEnd = new Int32Array(maxNodesPerTree);
  const stackDepth = new Int32Array(maxNodesPerTree);
  let next = 0;
  let deepest = 0;

  for (let t = 0; t < o.nEstimators; t++) {
    const rs = new RandomState(seeds[t]);
    // Rows of this tree.
    let size = m;
    if (seen === null) {
      for (let i = 0; i < m; i++) {
        const j = i + rs.randint(0, n - i);
        const tmp = pool[i];
        pool[i] = pool[j];
        pool[j] = tmp;
        idx[i] = pool[i];
      }
    } else {
      // With replacement; as scikit-learn (bootstrap through sample weights), a row drawn twice is one
      // row of the tree.
      size = 0;
      for (let i = 0; i < m; i++) {
        const r = rs.randint(0, n);
        if (seen[r] === 0) {
          seen[r] = 1;
          idx[size++] = r;
        }
      }
      for (let i = 0; i < size; i++) seen[idx[i]] = 0;
    }
    // Features of this tree.
    let nTreeFeatures = d;
    if (o.maxFeatures < d) {
      treeFeatures.set(allFeatures);
      for (let i = 0; i < o.maxFeatures; i++) {
        const j = i + rs.randint(0, d - i);
        const tmp = treeFeatures[i];
        treeFeatures[i] = treeFeatures[j];
        treeFeatures[j] = tmp;
      }
      nTreeFeatures = o.maxFeatures;
    } else {
      treeFeatures.set(allFeatures);
    }

    const root = next++;
    roots[t] = root;
    let sp = 0;
    stackNode[sp] = root;
    stackStart[sp] = 0;
    stackEnd[sp] = size;
    stackDepth[sp] = 0;
    sp++;
    while (sp > 0) {
      sp--;
      const node = stackNode[sp];
      const start = stackStart[sp];
      const end = stackEnd[sp];
      const depth = stackDepth[sp];
      const count = end - start;
      let splitFeature = -1;
      let lo = 0;
      let hi = 0;
      if (count >= 2 && depth < maxDepth) {
        // A feature uniform among those not constant in this node.
        for (let k = 0; k < nTreeFeatures; k++) cand[k] = treeFeatures[k];
        let nCand = nTreeFeatures;
        while (nCand > 0) {
          const k = nCand === 1 ? 0 : rs.randint(0, nCand);
          const f = cand[k];
          let mn = data[idx[start] * d + f];
          let mx = mn;
          for (let i = start + 1; i < end; i++) {
            const v = data[idx[i] * d + f];
            if (v < mn) mn = v;
            else if (v > mx) mx = v;
          }
          if (mx <= mn + FEATURE_THRESHOLD) {
            cand[k] = cand[--nCand];
            continue;
          }
          splitFeature = f;
          lo = mn;
          hi = mx;
          break;
        }
      }
      if (splitFeature < 0) {
        feature[node] = -1;
        value[node] = depth + averagePathLength(count);
        if (depth > deepest) deepest = depth;
        continue;
      }
      let thr = lo + (hi - lo) * rs.rand();
      if (thr === hi) thr = lo;
      // Partition idx[start, end): values <= thr first.
      let i = start;
      let j = end - 1;
      while (i <= j) {
        if (data[idx[i] * d + splitFeature] <= thr) i++;
        else {
          const tmp = idx[i];
          idx[i] = idx[j];
          idx[j] = tmp;
          j--;
        }
      }
      const left = next;
      next += 2;
      feature[node] = splitFeature;
      threshold[node] = thr;
      children[node] = left;
      // Push right then left so the left subtree is built first.
      stackNode[sp] = left + 1;
      stackStart[sp] = i;
      stackEnd[sp] = end;
      stackDepth[sp] = depth + 1;
      sp++;
      stackNode[sp] = left;
      stackStart[sp] = start;
      stackEnd[sp] = i;
      stackDepth[sp] = depth + 1;
      sp++;
    }
  }
  return {
    feature: feature.slice(0, next),
    threshold: threshold.slice(0, next),
    children: children.slice(0, next),
    value: value.slice(0, next),
    roots,
    depth: deepest,
  };
}

/** Adds each row's path lengths over all trees into `out`, block by block (the plain-JavaScript engine). */
function pathLengthSums(forest: Forest, X: DenseMatrix, out: Float64Array): void {
  const { feature, threshold, children, value, roots } = forest;
  const n = X.rows;
  const d = X.cols;
  const data = X.data;
  const nTrees = roots.length;
  for (let r0 = 0; r0 < n; r0 += SCORE_CHUNK) {
    const r1 = Math.min(n, r0 + SCORE_CHUNK);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      for (let r = r0; r < r1; r++) {
        const base = r * d;
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          node = data[base + f] <= threshold[node] ? children[node] : children[node] + 1;
          f = feature[node];
        }
        out[r] += value[node];
      }
    }
  }
}
