/**
 * The npm package `ml-isolation-forest` (mljs, 0.1.0) behind siemlab's detector contract, as a second
 * engine to set beside {@link IsolationForest} when teaching.
 *
 * What this wrapper adds: a fresh package model per `fit` (the package keeps its old trees when `train`
 * is called again), determinism by `seed` (the package draws from `Math.random`, which is swapped for the
 * seeded {@link RandomState} only while the package runs, and restored afterwards), scikit-learn's sign
 * convention (`scoreSamples = -packageScore`, lower = more abnormal), `contamination` and input checks.
 *
 * How the package differs from the paper and from scikit-learn (kept as is: this engine is for comparison):
 * - no subsampling: every tree is grown on all n training rows (the paper and scikit-learn use 256), so
 *   fitting costs O(nEstimators · n · log n) time and keeps every row in the leaves, and it is slow and
 *   memory-hungry on large n (100k × 8: ~15 s to train, ~30 s to score, ~1.2 GB);
 * - scores are normalised by c(n) of the training size, not c(256), and its c(n) is
 *   2·ln(n-1) + 0.57721 - 2(n-1)/n (Euler's γ is not doubled as in the paper's 2(ln(n-1) + γ));
 * - a split feature is drawn among all features, constant ones included (those splits send every row
 *   right), rows `< threshold` go left (scikit-learn: `<=`), and trees grow one level deeper than
 *   ceil(log2 n).
 * A single training row would make the package divide 0 by 0; this wrapper scores that case -0.5 (the
 * value scikit-learn gives it) instead of NaN.
 */
import { ModelFileError } from "../errors";
import { RandomState } from "../random";
import { BaseDetector, DETECTOR_OPTION_KEYS, validatePositiveInteger } from "./base";
import type { Contamination, DetectorOptions } from "./types";
import type { DenseMatrix } from "../matrix";
import type { OptionKeys } from "../options";

/** The part of the package's (untyped) API this wrapper uses. */
interface MlIsolationForestModel {
  train(trainingSet: ArrayLike<number>[]): void;
  predict(data: ArrayLike<number>[]): number[];
  /** Set by `train`; `predict` reads only its length. */
  trainingSet?: { readonly length: number };
  /** Set by `train`: one root TreeNode per tree. */
  forest: MlTreeNode[];
}
/** The package's TreeNode fields `pathLengthFromRoot` reads (a leaf has neither child). */
interface MlTreeNode {
  left?: MlTreeNode;
  right?: MlTreeNode;
  splitColumn?: number;
  splitValue?: number;
  /** Training rows in a leaf; scoring reads only its length. */
  trainingSet?: { readonly length: number };
}

/**
 * The package's trees, saved node by node in preorder: `splitColumn` (-1 for a leaf), `splitValue` (0 for a
 * leaf), `leafSize` (rows in a leaf, 0 for an inner node) and `treeSizes` (nodes per tree).
 */
interface MlSavedForest {
  readonly nFeaturesIn: number;
  readonly nTrain: number;
  readonly nEstimators: number;
  readonly treeSizes: Int32Array;
  readonly splitColumn: Int32Array;
  readonly splitValue: Float64Array;
  readonly leafSize: Int32Array;
}
interface MlIsolationForestModule {
  IsolationForest: new (options: { nEstimators: number }) => MlIsolationForestModel;
}

let mlModule: MlIsolationForestModule | null = null;
function loadPackage(): MlIsolationForestModule {
  // The package's file path, not its bare name: the tslab kernel resolves a bare `require("ml-isolation-forest")`
  // made from this file to this file's own compiled output (same base name) before node_modules.
  if (mlModule === null) mlModule = require("ml-isolation-forest/lib/index.js") as MlIsolationForestModule;
  return mlModule;
}

let nodePrototype: object | null = null;
/** The package's (unexported) TreeNode prototype, taken from a one-tree model trained on two rows. */
function treeNodePrototype(): object {
  if (nodePrototype === null) {
    const probe = new (loadPackage().IsolationForest)({ nEstimators: 1 });
    withSeededMathRandom(new RandomState(0), () => probe.train([[0], [1]]));
    nodePrototype = Object.getPrototypeOf(probe.forest[0]) as object;
  }
  return nodePrototype;
}

/** Runs `fn` with `Math.random` replaced by the seeded generator; always restores it. */
function withSeededMathRandom<T>(rs: RandomState, fn: () => T): T {
  const original = Math.random;
  Math.random = () => rs.rand();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

function rowViews(X: DenseMatrix): Float64Array[] {
  const rows = new Array<Float64Array>(X.rows);
  for (let i = 0; i < X.rows; i++) rows[i] = X.data.subarray(i * X.cols, (i + 1) * X.cols);
  return rows;
}

/** Options of {@link MlIsolationForest}. */
export interface MlIsolationForestOptions extends DetectorOptions {
  /** Number of trees. Default: 100. */
  readonly nEstimators?: number;
  /** Expected fraction of outliers: 'auto' (offset -0.5) or in (0, 0.5]. Default: 'auto'. */
  readonly contamination?: Contamination;
  /** Seed for the package's random choices; recorded as `seed`. Default: 0. */
  readonly seed?: number;
}

/** Every option name of {@link MlIsolationForestOptions} (checked by the constructor: unknown names fail with a suggestion). */
const ML_ISOLATION_FOREST_OPTION_KEYS: OptionKeys<MlIsolationForestOptions> = { ...DETECTOR_OPTION_KEYS, nEstimators: true };

interface MlState {
  /** The trained package model; null for a single training row (scored -0.5). */
  readonly model: MlIsolationForestModel | null;
  readonly nFeaturesIn: number;
}

/**
 * `ml-isolation-forest` with scikit-learn's sign convention, a seed and contamination.
 *
 * @example
 * const X = simulateLoginAttempts().counts.map((c) => [c]);
 * const ml = new MlIsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
 * ml.predict(X).slice(49); // Int8Array [1, -1, -1, -1]: the three spikes
 */
export class MlIsolationForest extends BaseDetector<MlState> {
  readonly name = "ml-iforest";
  readonly nEstimators: number;

  constructor(options: MlIsolationForestOptions = {}) {
    super("MlIsolationForest", options, ML_ISOLATION_FOREST_OPTION_KEYS);
    this.nEstimators = options.nEstimators ?? 100;
    validatePositiveInteger("nEstimators", this.nEstimators);
  }

  /**
   * Trains a fresh package model on X (every tree sees every row); `fit` then sets `offset`: -0.5 for
   * 'auto', else the contamination percentile of the training scores.
   *
   * @example
   * new MlIsolationForest({ seed: 3 }).fit([[0], [1], [2], [9]]).offset; // -0.5
   */
  protected override fitModel(dense: DenseMatrix): MlState {
    let model: MlIsolationForestModel | null = null;
    if (dense.rows > 1) {
      const Ctor = loadPackage().IsolationForest;
      const fresh = new Ctor({ nEstimators: this.nEstimators });
      const rows = rowViews(dense);
      withSeededMathRandom(new RandomState(this.seed), () => fresh.train(rows));
      model = fresh;
    }
    return { model, nFeaturesIn: dense.cols };
  }

  /** scikit-learn's offset for 'auto'. */
  protected override autoOffset(): number {
    return -0.5;
  }

  /**
   * The package's trees as flat arrays (a leaf keeps only its row count, all the package's scoring reads),
   * so a saved model holds no training rows.
   */
  protected override modelToState(state: MlState): unknown {
    if (state.model === null) return { nFeaturesIn: state.nFeaturesIn, nTrain: 1, nEstimators: this.nEstimators };
    const splitColumn: number[] = [];
    const splitValue: number[] = [];
    const leafSize: number[] = [];
    const treeSizes: number[] = [];
    for (const root of state.model.forest) {
      const before = splitColumn.length;
      const stack: MlTreeNode[] = [root];
      while (stack.length > 0) {
        const node = stack.pop() as MlTreeNode;
        const leaf = node.left === undefined && node.right === undefined;
        splitColumn.push(leaf ? -1 : (node.splitColumn as number));
        splitValue.push(leaf ? 0 : (node.splitValue as number));
        leafSize.push(leaf ? (node.trainingSet?.length ?? 0) : 0);
        if (!leaf) stack.push(node.right as MlTreeNode, node.left as MlTreeNode);
      }
      treeSizes.push(splitColumn.length - before);
    }
    const saved: MlSavedForest = {
      nFeaturesIn: state.nFeaturesIn,
      nTrain: state.model.trainingSet?.length ?? 0,
      nEstimators: state.model.forest.length,
      treeSizes: Int32Array.from(treeSizes),
      splitColumn: Int32Array.from(splitColumn),
      splitValue: Float64Array.from(splitValue),
      leafSize: Int32Array.from(leafSize),
    };
    return saved;
  }

  /** Rebuilds the package's model and TreeNode objects from the flat arrays, so the package's `predict` scores them. */
  protected override modelFromState(state: unknown): MlState {
    const s = super.modelFromState(state) as unknown as MlSavedForest;
    if (s.treeSizes === undefined) return { model: null, nFeaturesIn: s.nFeaturesIn };
    const n = s.splitColumn.length;
    if (!(s.splitValue.length === n && s.leafSize.length === n && s.treeSizes.length === s.nEstimators && s.nEstimators === this.nEstimators)) {
      throw new ModelFileError("the MlIsolationForest state has arrays that disagree in length");
    }
    const Ctor = loadPackage().IsolationForest;
    const model = new Ctor({ nEstimators: s.nEstimators });
    const nodeProto = treeNodePrototype();
    const sized = (length: number) => ({ length });
    let at = 0;
    const readTree = (end: number): MlTreeNode => {
      if (at >= end) throw new ModelFileError("the MlIsolationForest state has a truncated tree");
      const i = at++;
      const node = Object.create(nodeProto) as MlTreeNode;
      if (s.splitColumn[i] < 0) {
        node.trainingSet = sized(s.leafSize[i]);
        return node;
      }
      if (s.splitColumn[i] >= s.nFeaturesIn) throw new ModelFileError(`the MlIsolationForest state has a split on column ${s.splitColumn[i]}`);
      node.splitColumn = s.splitColumn[i];
      node.splitValue = s.splitValue[i];
      node.left = readTree(end);
      node.right = readTree(end);
      return node;
    };
    for (const size of s.treeSizes) {
      const end = at + size;
      model.forest.push(readTree(end));
      if (at !== end) throw new ModelFileError("the MlIsolationForest state has a tree of the wrong size");
    }
    model.trainingSet = sized(s.nTrain);
    return { model, nFeaturesIn: s.nFeaturesIn };
  }

  /** `-(package score)` per row, in [-1, 0): lower = more abnormal. */
  protected override scoreModel(state: MlState, X: DenseMatrix): Float64Array {
    const out = new Float64Array(X.rows);
    if (state.model === null) return out.fill(-0.5);
    const scores = state.model.predict(rowViews(X));
    for (let i = 0; i < X.rows; i++) out[i] = -scores[i];
    return out;
  }
}
