/**
 * scikit-learn 1.2's Isolation Forest trees, reproduced draw for draw: for the same `random_state` and the
 * same rows, {@link growSklearnForest} grows the very trees that `sklearn.ensemble.IsolationForest(
 * random_state=seed).fit(X)` grows (same features, thresholds and leaf sizes), so scores agree with
 * scikit-learn's to rounding. It is the `treeBuilder: 'sklearn'` option of the IsolationForest.
 *
 * What scikit-learn 1.2.1 does, step by step (sklearn/ensemble/_iforest.py, _bagging.py, _base.py,
 * sklearn/tree/_classes.py, _tree.pyx, _splitter.pyx, _criterion.pyx, _utils.pyx, utils/_random.pyx):
 * 1. X is cast to float32 (the trees' DTYPE); `y = RandomState(seed).uniform(size=n)` is a random target
 *    (an Isolation Forest is a forest of ExtraTreeRegressors fitted to noise).
 * 2. Bagging: `seeds = RandomState(seed).randint(MAX_INT, size=n_estimators)`. Tree t uses `seeds[t]` twice:
 *    `RandomState(seeds[t])` draws the tree's features (`sample_without_replacement(d, max_features)`), then
 *    its rows (`sample_without_replacement(n, max_samples)`, or `randint(0, n, max_samples)` when
 *    bootstrapping); rows enter the tree as sample weights (1 or the bootstrap count; 0 = left out).
 * 3. The tree's own `random_state` is `RandomState(seeds[t]).randint(MAX_INT)`, the first draw of that
 *    same stream (the quirk: subsample and splitter are seeded from one draw, so they are correlated);
 *    its splitter seeds a 32-bit xorshift generator (`our_rand_r`) with `RandomState(that).randint(0,
 *    RAND_R_MAX)` and draws every feature and threshold from it.
 * 4. Depth-first growth (DepthFirstTreeBuilder, left child first): a node is a leaf at `max_depth =
 *    ceil(log2(max_samples))`, below 2 rows, or when the variance of y in it is <= DBL_EPSILON. Otherwise
 *    the random splitter (max_features = 1) draws features by a Fisher–Yates walk that remembers constant
 *    features (range <= 1e-7 in float32) for the node's descendants, until it finds a non-constant one,
 *    and splits it at `min + (max - min) · r / RAND_R_MAX` (`min` if that equals `max`); a node whose
 *    features are all constant, or whose split leaves a side empty or improves the variance by less than
 *    -DBL_EPSILON, becomes a leaf. The variance bookkeeping (MSE criterion) follows _criterion.pyx's
 *    summation order, so these leaf decisions match too.
 * 5. Scoring: a row's path length in a tree is `(nodes on its path + c(leaf n_node_samples)) - 1`, rows
 *    cast to float32 and compared `x <= threshold` in double.
 *
 * @example
 * const X = toDense([[0], [1], [2], [30]]);
 * const forest = growSklearnForest(toFloat32Matrix(X), {
 *   nEstimators: 10, maxSamples: 4, maxFeatures: 1, bootstrap: false, seed: 42, averagePathLength,
 * });
 * forest.roots.length; // 10
 */
import { DataError } from "../errors";
import { RandomState, sampleWithoutReplacement } from "../random";
import type { KernelForest } from "./iforest-kernel";
import type { DenseMatrix } from "../matrix";

/** np.iinfo(np.int32).max: the bound of the bagging seeds and of each tree's random_state. */
const MAX_INT = 2147483647;
/** _utils.pyx RAND_R_MAX (0x7FFFFFFF): bound of the splitter's seed and divisor of rand_uniform. */
const RAND_R_MAX = 0x7fffffff;
/** _splitter.pyx FEATURE_THRESHOLD, a float32 constant (DTYPE_t). */
const FEATURE_THRESHOLD = Math.fround(1e-7);
/** _tree.pyx EPSILON = np.finfo('double').eps. */
const EPSILON = 2.220446049250313e-16;
/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Options of {@link growSklearnForest}; counts already resolved as scikit-learn's `_fit` resolves them. */
export interface SklearnForestOptions {
  /** Number of trees (`n_estimators`). */
  readonly nEstimators: number;
  /** Rows drawn per tree (`max_samples_`, an integer in [1, n]). */
  readonly maxSamples: number;
  /** Features drawn per tree (`_max_features`, an integer in [1, d]). */
  readonly maxFeatures: number;
  /** Draw rows with replacement (`bootstrap`). */
  readonly bootstrap: boolean;
  /** scikit-learn's `random_state`, an integer in [0, 2**32 - 1]. */
  readonly seed: number;
  /** c(n), the average path length of an unsuccessful BST search (`_average_path_length`). */
  readonly averagePathLength: (n: number) => number;
}

/**
 * X rounded to float32 (as scikit-learn's `check_array(X, dtype=np.float32)`), still as float64 values.
 * Throws a DataError for values beyond float32's range, as scikit-learn does.
 *
 * @example
 * toFloat32Matrix(toDense([[0.1]])).data[0]; // 0.10000000149011612
 */
export function toFloat32Matrix(X: DenseMatrix): DenseMatrix {
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = X.data[i];
    if (Math.abs(v) > FLOAT32_MAX) {
      throw new DataError(
        `Expected values within float32's range (±3.4e38) for treeBuilder 'sklearn' (scikit-learn casts X to float32), got ${v} at row ${Math.floor(i / X.cols)}, column ${i % X.cols}: rescale the column`,
      );
    }
    data[i] = Math.fround(v);
  }
  return { data, rows: X.rows, cols: X.cols };
}

/**
 * scikit-learn's tree-private generator (`our_rand_r` in sklearn/tree/_utils.pyx): a 32-bit xorshift
 * (13, 17, 5) whose state 0 is replaced by 1, returning the state modulo 2**31.
 *
 * @example
 * const r = new SklearnRandR(1);
 * r.next(); // 270369, as our_rand_r on seed 1
 */
export class SklearnRandR {
  private state: number;

  /** @param seed the splitter's `rand_r_state`, an unsigned 32-bit integer. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** `our_rand_r`: the next value in [0, 2**31). */
  next(): number {
    let s = this.state === 0 ? 1 : this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return s & 0x7fffffff;
  }

  /** `rand_int(low, high)`: `low + our_rand_r() % (high - low)`. */
  int(low: number, high: number): number {
    return low + (this.next() % (high - low));
  }

  /** `rand_uniform(low, high)`: `(high - low) * our_rand_r() / RAND_R_MAX + low`, in [low, high]. */
  uniform(low: number, high: number): number {
    return ((high - low) * this.next()) / RAND_R_MAX + low;
  }
}

/** Mutable state of one tree's growth: the splitter's arrays and the MSE criterion's sums. */
interface TreeState {
  readonly data: Float64Array;
  readonly d: number;
  readonly y: Float64Array;
  readonly weight: Float64Array;
  readonly weightTotal: number;
  /** Rows with non-zero weight, ascending, then permuted by the partitions (splitter.samples). */
  readonly samples: Int32Array;
  readonly xf: Float64Array;
  /** Tree-local feature indices, permuted by the Fisher–Yates draws (splitter.features). */
  readonly features: Int32Array;
  readonly constantFeatures: Int32Array;
  /** Tree-local feature → column of X. */
  readonly column: Int32Array;
  readonly rand: SklearnRandR;
  // Criterion of the current node.
  sumTotal: number;
  sqSumTotal: number;
  weightNode: number;
  sumLeft: number;
  weightLeft: number;
}

/** Criterion.init over samples[start, end): sums of w·y, (w·y)·y and w, in sample order. */
function criterionInit(s: TreeState, start: number, end: number): void {
  let sum = 0;
  let sq = 0;
  let wn = 0;
  for (let p = start; p < end; p++) {
    const i = s.samples[p];
    const w = s.weight[i];
    const yi = s.y[i];
    const wy = w * yi;
    sum += wy;
    sq += wy * yi;
    wn += w;
  }
  s.sumTotal = sum;
  s.sqSumTotal = sq;
  s.weightNode = wn;
}

/** RegressionCriterion.reset then update(pos): sum_left from the nearer end, as _criterion.pyx. */
function criterionUpdate(s: TreeState, start: number, end: number, pos: number): void {
  let sumLeft = 0;
  let weightLeft = 0;
  if (pos - start <= end - pos) {
    for (let p = start; p < pos; p++) {
      const i = s.samples[p];
      const w = s.weight[i];
      sumLeft += w * s.y[i];
      weightLeft += w;
    }
  } else {
    sumLeft = s.sumTotal;
    weightLeft = s.weightNode;
    for (let p = end - 1; p >= pos; p--) {
      const i = s.samples[p];
      const w = s.weight[i];
      sumLeft -= w * s.y[i];
      weightLeft -= w;
    }
  }
  s.sumLeft = sumLeft;
  s.weightLeft = weightLeft;
}

/** The split a node takes: samples[start, pos) go left; pos = end means no split. */
interface Split {
  pos: number;
  feature: number;
  threshold: number;
  improvement: number;
  impurityLeft: number;
  impurityRight: number;
}

/**
 * RandomSplitter.node_split with max_features = 1 and min_samples_leaf = 1. Returns the number of features
 * known to be constant for the children (`n_constant_features`).
 */
function nodeSplit(s: TreeState, start: number, end: number, impurity: number, nKnown: number, split: Split): number {
  const { features, constantFeatures, samples, xf, data, d, rand } = s;
  let fI = features.length;
  let nFound = 0;
  let nDrawn = 0;
  let nTotal = nKnown;
  let nVisited = 0;
  split.pos = end;
  split.improvement = -Infinity;
  while (fI > nTotal && (nVisited < 1 || nVisited <= nFound + nDrawn)) {
    nVisited++;
    let fJ = rand.int(nDrawn, fI - nFound);
    if (fJ < nKnown) {
      const t = features[nDrawn];
      features[nDrawn] = features[fJ];
      features[fJ] = t;
      nDrawn++;
      continue;
    }
    fJ += nFound;
    const feature = features[fJ];
    const col = s.column[feature];
    let mn = data[samples[start] * d + col];
    let mx = mn;
    xf[start] = mn;
    for (let p = start + 1; p < end; p++) {
      const v = data[samples[p] * d + col];
      xf[p] = v;
      if (v < mn) mn = v;
      else if (v > mx) mx = v;
    }
    // float32 arithmetic, as the DTYPE_t comparison in _splitter.pyx.
    if (mx <= Math.fround(mn + FEATURE_THRESHOLD)) {
      features[fJ] = features[nTotal];
      features[nTotal] = feature;
      nFound++;
      nTotal++;
      continue;
    }
    fI--;
    features[fJ] = features[fI];
    features[fI] = feature;
    let threshold = rand.uniform(mn, mx);
    if (threshold === mx) threshold = mn;
    let p = start;
    let partitionEnd = end;
    while (p < partitionEnd) {
      if (xf[p] <= threshold) p++;
      else {
        partitionEnd--;
        const tx = xf[p];
        xf[p] = xf[partitionEnd];
        xf[partitionEnd] = tx;
        const ts = samples[p];
        samples[p] = samples[partitionEnd];
        samples[partitionEnd] = ts;
      }
    }
    // min_samples_leaf = 1; the proxy improvement is finite, so the first valid split is the best.
    if (partitionEnd - start < 1 || end - partitionEnd < 1) continue;
    split.pos = partitionEnd;
    split.feature = feature;
    split.threshold = threshold;
  }
  if (split.pos < end) {
    // Only one feature is evaluated (max_features = 1), so samples are already partitioned on it.
    const pos = split.pos;
    criterionUpdate(s, start, end, pos);
    let sqLeft = 0;
    for (let q = start; q < pos; q++) {
      const i = samples[q];
      const yi = s.y[i];
      sqLeft += s.weight[i] * yi * yi;
    }
    const sqRight = s.sqSumTotal - sqLeft;
    const weightRight = s.weightNode - s.weightLeft;
    const sumRight = s.sumTotal - s.sumLeft;
    split.impurityLeft = sqLeft / s.weightLeft - (s.sumLeft / s.weightLeft) ** 2;
    split.impurityRight = sqRight / weightRight - (sumRight / weightRight) ** 2;
    split.improvement =
      (s.weightNode / s.weightTotal) *
      (impurity - (weightRight / s.weightNode) * split.impurityRight - (s.weightLeft / s.weightNode) * split.impurityLeft);
  }
  // Restore the order of the known constants for siblings and children; record the new ones.
  for (let k = 0; k < nKnown; k++) features[k] = constantFeatures[k];
  for (let k = nKnown; k < nKnown + nFound; k++) constantFeatures[k] = features[k];
  return nTotal;
}

/**
 * Grows scikit-learn 1.2's Isolation Forest trees on X (already float32-rounded, see
 * {@link toFloat32Matrix}) for `random_state = seed`, in the flat layout the scoring kernel walks: leaf
 * values are `(depth + 1 + c(n_node_samples)) - 1`, summed over trees in order as scikit-learn does, and
 * split features are columns of X (the tree's feature subset mapped back).
 *
 * @example
 * const X = toFloat32Matrix(toDense(simulateLoginAttempts().counts.map((c) => [c])));
 * const forest = growSklearnForest(X, {
 *   nEstimators: 100, maxSamples: 53, maxFeatures: 1, bootstrap: false, seed: 42, averagePathLength,
 * });
 * forest.roots.length; // 100
 */
export function growSklearnForest(X: DenseMatrix, o: SklearnForestOptions): KernelForest {
  const n = X.rows;
  const d = X.cols;
  const m = o.maxSamples;
  const c = o.averagePathLength;
  const maxDepth = Math.ceil(Math.log2(Math.max(m, 2)));
  const y = Float64Array.from(new RandomState(o.seed).uniform(0, 1, n));
  const seeds = new RandomState(o.seed).randint(0, MAX_INT, o.nEstimators);
  const maxNodesPerTree = 2 * m - 1;
  const capacity = o.nEstimators * maxNodesPerTree;
  const feature = new Int32Array(capacity);
  const threshold = new Float64Array(capacity);
  const children = new Int32Array(capacity);
  const value = new Float64Array(capacity);
  const roots = new Int32Array(o.nEstimators);
  const weight = new Float64Array(n);
  const samplesAll = new Int32Array(n);
  const xf = new Float64Array(n);
  const stackNode: number[] = [];
  const stackStart: number[] = [];
  const stackEnd: number[] = [];
  const stackDepth: number[] = [];
  const stackImpurity: number[] = [];
  const stackConstants: number[] = [];
  const split: Split = { pos: 0, feature: 0, threshold: 0, improvement: 0, impurityLeft: 0, impurityRight: 0 };
  let next = 0;
  let deepest = 0;

  for (let t = 0; t < o.nEstimators; t++) {
    const treeSeed = new RandomState(seeds[t]).randint(0, MAX_INT);
    const rand = new SklearnRandR(new RandomState(treeSeed).randint(0, RAND_R_MAX));
    const bag = new RandomState(seeds[t]);
    const column = Int32Array.from(sampleWithoutReplacement(d, o.maxFeatures, bag));
    weight.fill(0);
    if (o.bootstrap) {
      for (const i of bag.randint(0, n, m)) weight[i] += 1;
    } else {
      for (const i of sampleWithoutReplacement(n, m, bag)) weight[i] = 1;
    }
    let nSamples = 0;
    let weightTotal = 0;
    for (let i = 0; i < n; i++) {
      if (weight[i] !== 0) samplesAll[nSamples++] = i;
      weightTotal += weight[i];
    }
    const s: TreeState = {
      data: X.data,
      d,
      y,
      weight,
      weightTotal,
      samples: samplesAll.subarray(0, nSamples),
      xf,
      features: Int32Array.from(column, (_, k) => k),
      constantFeatures: new Int32Array(column.length),
      column,
      rand,
      sumTotal: 0,
      sqSumTotal: 0,
      weightNode: 0,
      sumLeft: 0,
      weightLeft: 0,
    };

    const root = next++;
    roots[t] = root;
    stackNode.push(root);
    stackStart.push(0);
    stackEnd.push(nSamples);
    stackDepth.push(0);
    stackImpurity.push(Infinity);
    stackConstants.push(0);
    let first = true;
    while (stackNode.length > 0) {
      const node = stackNode.pop()!;
      const start = stackStart.pop()!;
      const end = stackEnd.pop()!;
      const depth = stackDepth.pop()!;
      let impurity = stackImpurity.pop()!;
      let nConstants = stackConstants.pop()!;
      const count = end - start;
      criterionInit(s, start, end);
      let isLeaf = depth >= maxDepth || count < 2;
      if (first) {
        impurity = s.sqSumTotal / s.weightNode - (s.sumTotal / s.weightNode) ** 2;
        first = false;
      }
      isLeaf = isLeaf || impurity <= EPSILON;
      if (!isLeaf) {
        nConstants = nodeSplit(s, start, end, impurity, nConstants, split);
        isLeaf = split.pos >= end || split.improvement + EPSILON < 0;
      }
      if (isLeaf) {
        feature[node] = -1;
        value[node] = depth + 1 + c(count) - 1.0;
        if (depth > deepest) deepest = depth;
        continue;
      }
      const left = next;
      next += 2;
      feature[node] = s.column[split.feature];
      threshold[node] = split.threshold;
      children[node] = left;
      // Right pushed first, so the left subtree is grown first.
      stackNode.push(left + 1, left);
      stackStart.push(split.pos, start);
      stackEnd.push(end, split.pos);
      stackDepth.push(depth + 1, depth + 1);
      stackImpurity.push(split.impurityRight, split.impurityLeft);
      stackConstants.push(nConstants, nConstants);
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
