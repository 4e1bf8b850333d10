/**
 * A dense autoencoder on TensorFlow.js: rows the network reconstructs badly are abnormal.
 *
 * - Features are standardised with the training mean and standard deviation (a zero std becomes 1).
 * - Layers d → hidden… → bottleneck → …hidden → d (the decoder mirrors `hiddenSizes`), `activation` on
 *   hidden layers, linear output, Glorot-uniform weights from seeds drawn from `seed`, zero biases.
 * - Trained with Adam on mean squared error, mini-batches from a seeded shuffle each epoch, in a
 *   synchronous loop (`optimizer.minimize` inside `tf.tidy`), so `fit` stays synchronous.
 * - After training the weights are copied out and every tensor and optimizer slot is disposed: a fitted
 *   model holds no TensorFlow memory, and scoring runs in plain JavaScript (float64).
 * - `scoreSamples` = −(mean squared reconstruction error of the standardised row);
 *   `contamination: 'auto'` gives offset = −(mean + 3·std) of the training errors.
 *
 * Training uses the active backend (`initTf()` in src/tf.ts picks one; 'cpu' when none was chosen). With
 * the same seed, results are identical run to run on the cpu backend (tested) and on wasm (checked by hand);
 * different backends can give slightly different weights.
 */
import { OptionError } from "../errors";
import { RandomState } from "../random";
import { getTf } from "../tf";
import { BaseDetector, DETECTOR_OPTION_KEYS, validatePositiveInteger } from "./base";
import type { DetectorOptions } from "./types";
import type { DenseMatrix, Matrix } from "../matrix";
import type { OptionKeys } from "../options";

/** Options of {@link Autoencoder}. */
export interface AutoencoderOptions extends DetectorOptions {
  /** Encoder layer sizes, outermost first; the decoder mirrors them. Default: [max(2, ⌈d/2⌉)] for d features. */
  readonly hiddenSizes?: readonly number[];
  /** Activation of hidden layers. Default: 'tanh'. */
  readonly activation?: "tanh" | "relu" | "linear";
  /** Passes over the training rows. Default: 40. */
  readonly epochs?: number;
  /** Rows per gradient step (larger is faster per epoch: the per-step overhead dominates for small networks). Default: 128. */
  readonly batchSize?: number;
  /** Adam learning rate. Default: 0.01. */
  readonly learningRate?: number;
}

/** Every option name of {@link AutoencoderOptions} (checked by the constructor: unknown names fail with a suggestion). */
const AUTOENCODER_OPTION_KEYS: OptionKeys<AutoencoderOptions> = { ...DETECTOR_OPTION_KEYS, hiddenSizes: true, activation: true, epochs: true, batchSize: true, learningRate: true };

interface Layer {
  readonly inSize: number;
  readonly outSize: number;
  /** Row-major inSize × outSize. */
  readonly W: Float64Array;
  readonly b: Float64Array;
}

interface AeState {
  readonly nFeaturesIn: number;
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly layers: readonly Layer[];
  readonly lossHistory: Float64Array;
  readonly backend: string;
}

/**
 * Dense autoencoder detector (reconstruction error), trained with TensorFlow.js.
 *
 * @example
 * const ae = new Autoencoder({ epochs: 20, seed: 1 }).fit(X);
 * const errors = ae.reconstructionErrors(X); // per row, standardised units
 * ae.predict(X); // per row: -1 where the error exceeds mean + 3·std of the training errors
 */
export class Autoencoder extends BaseDetector<AeState> {
  readonly name = "autoencoder";
  readonly hiddenSizes: readonly number[] | undefined;
  readonly activation: "tanh" | "relu" | "linear";
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;

  constructor(options: AutoencoderOptions = {}) {
    super("Autoencoder", options, AUTOENCODER_OPTION_KEYS);
    this.hiddenSizes = options.hiddenSizes;
    if (this.hiddenSizes !== undefined) {
      if (!Array.isArray(this.hiddenSizes) || this.hiddenSizes.length === 0) {
        throw new OptionError(`Expected \`hiddenSizes\` to be a non-empty array of layer sizes, e.g. [8, 4], got ${String(options.hiddenSizes)}`);
      }
      for (const h of this.hiddenSizes) validatePositiveInteger("hiddenSizes[i]", h);
    }
    this.activation = options.activation ?? "tanh";
    if (!["tanh", "relu", "linear"].includes(this.activation)) {
      throw new OptionError(`Expected \`activation\` to be 'tanh', 'relu' or 'linear', got ${String(options.activation)}`);
    }
    this.epochs = options.epochs ?? 40;
    validatePositiveInteger("epochs", this.epochs);
    this.batchSize = options.batchSize ?? 128;
    validatePositiveInteger("batchSize", this.batchSize);
    this.learningRate = options.learningRate ?? 0.01;
    if (typeof this.learningRate !== "number" || !(this.learningRate > 0) || !Number.isFinite(this.learningRate)) {
      throw new OptionError(`Expected \`learningRate\` to be a positive number, got ${String(options.learningRate)}`);
    }
  }

  /** Mean training loss (standardised MSE) after each epoch. */
  get lossHistory(): Float64Array {
    return this.fittedModel().lossHistory.slice();
  }
  /** The tfjs backend the model was trained on. */
  get backend(): string {
    return this.fittedModel().backend;
  }
  /** Layer sizes of the fitted network, input to output, e.g. [6, 3, 6]. */
  get layerSizes(): number[] {
    const st = this.fittedModel();
    return [st.layers[0].inSize, ...st.layers.map((l) => l.outSize)];
  }

  /** Standardises X, trains the network and copies its weights out (disposing every tensor). */
  protected override fitModel(M: DenseMatrix): AeState {
    const { rows: n, cols: d } = M;
    const { mean, std } = standardiser(M);
    const Z = new Float32Array(n * d);
    for (let i = 0; i < n * d; i++) Z[i] = (M.data[i] - mean[i % d]) / std[i % d];
    const hidden = this.hiddenSizes ?? [Math.max(2, Math.ceil(d / 2))];
    const sizes = [d, ...hidden, ...hidden.slice(0, -1).reverse(), d];
    const rng = new RandomState(this.seed);
    const tf = getTf();
    const backend = tf.getBackend();
    const act = this.activation;

    const weights: ReturnType<typeof tf.variable>[] = [];
    const biases: ReturnType<typeof tf.variable>[] = [];
    for (let l = 0; l < sizes.length - 1; l++) {
      const layerSeed = rng.randint(0, 2 ** 31 - 1) as number;
      const init = tf.initializers.glorotUniform({ seed: layerSeed });
      weights.push(tf.tidy(() => tf.variable(init.apply([sizes[l], sizes[l + 1]]) as ReturnType<typeof tf.zeros>)));
      biases.push(tf.tidy(() => tf.variable(tf.zeros([sizes[l + 1]]))));
    }
    const vars = [...weights, ...biases];
    const forward = (x: ReturnType<typeof tf.zeros>) => {
      let h = x;
      for (let l = 0; l < weights.length; l++) {
        h = tf.add(tf.matMul(h, weights[l]), biases[l]);
        if (l < weights.length - 1) {
          if (act === "tanh") h = tf.tanh(h);
          else if (act === "relu") h = tf.relu(h);
        }
      }
      return h;
    };
    const optimizer = tf.train.adam(this.learningRate);
    const lossHistory = new Float64Array(this.epochs);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const bs = Math.min(this.batchSize, n);
    const batch = new Float32Array(bs * d);
    try {
      for (let epoch = 0; epoch < this.epochs; epoch++) {
        rng.shuffle(order);
        let lossSum = 0;
        for (let start = 0; start < n; start += bs) {
          const m = Math.min(bs, n - start);
          for (let r = 0; r < m; r++) batch.set(Z.subarray(order[start + r] * d, order[start + r] * d + d), r * d);
          const xb = tf.tensor2d(batch.subarray(0, m * d), [m, d]);
          const cost = optimizer.minimize(
            () => tf.tidy(() => tf.mean(tf.square(tf.sub(forward(xb), xb))) as ReturnType<typeof tf.scalar>),
            true,
            vars,
          );
          xb.dispose();
          if (cost) {
            lossSum += cost.dataSync()[0] * m;
            cost.dispose();
          }
        }
        lossHistory[epoch] = lossSum / n;
      }
      const layers: Layer[] = [];
      for (let l = 0; l < weights.length; l++) {
        layers.push({
          inSize: sizes[l],
          outSize: sizes[l + 1],
          W: Float64Array.from(weights[l].dataSync()),
          b: Float64Array.from(biases[l].dataSync()),
        });
      }
      return { nFeaturesIn: d, mean, std, layers, lossHistory, backend };
    } finally {
      optimizer.dispose();
      for (const v of vars) v.dispose();
    }
  }

  /** Checks a saved state: standardiser of d features, layers chained from d back to d with weights of their sizes. */
  protected override modelFromState(state: unknown): AeState {
    const s = super.modelFromState(state);
    const d = s.nFeaturesIn;
    const layers = s.layers;
    const chained =
      Array.isArray(layers) && layers.length >= 1 && layers[0]?.inSize === d && layers[layers.length - 1]?.outSize === d &&
      layers.every((l, i) =>
        Number.isInteger(l?.inSize) && l.inSize >= 1 && Number.isInteger(l.outSize) && l.outSize >= 1 && (i === 0 || layers[i - 1].outSize === l.inSize) &&
        l.W instanceof Float64Array && l.W.length === l.inSize * l.outSize && l.b instanceof Float64Array && l.b.length === l.outSize,
      );
    this.checkState(
      chained && s.mean instanceof Float64Array && s.mean.length === d && s.std instanceof Float64Array && s.std.length === d &&
        s.lossHistory instanceof Float64Array && (s.backend === undefined || typeof s.backend === "string"),
      "lacks a standardiser of its features or layers chained with weights of their sizes",
    );
    return s;
  }

  /** −(mean + 3·std) of the training reconstruction errors. */
  protected override autoOffset(model: AeState, M: DenseMatrix): number {
    const errors = reconstructionErrorsOf(model, this.activation, M);
    const n = errors.length;
    let mu = 0;
    for (let i = 0; i < n; i++) mu += errors[i];
    mu /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (errors[i] - mu) ** 2;
    return -(mu + 3 * Math.sqrt(ss / n));
  }

  /** Mean squared reconstruction error of each standardised row (higher = more abnormal). */
  reconstructionErrors(X: Matrix): Float64Array {
    const { model, dense } = this.fittedInput(X);
    return reconstructionErrorsOf(model, this.activation, dense);
  }

  /** −(mean squared reconstruction error) per row: lower = more abnormal. */
  protected override scoreModel(model: AeState, M: DenseMatrix): Float64Array {
    const e = reconstructionErrorsOf(model, this.activation, M);
    for (let i = 0; i < e.length; i++) e[i] = -e[i];
    return e;
  }
}

function standardiser(M: DenseMatrix): { mean: Float64Array; std: Float64Array } {
  const { rows: n, cols: d, data } = M;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d] += data[i];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n * d; i++) std[i % d] += (data[i] - mean[i % d]) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j] / n);
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** Forward pass in float64 with the copied weights; returns per-row MSE in standardised units. */
function reconstructionErrorsOf(st: AeState, act: "tanh" | "relu" | "linear", M: DenseMatrix): Float64Array {
  const { rows: n, cols: d, data } = M;
  const widest = Math.max(...st.layers.map((l) => Math.max(l.inSize, l.outSize)));
  let a = new Float64Array(widest);
  let b = new Float64Array(widest);
  const z = new Float64Array(d);
  const out = new Float64Array(n);
  const last = st.layers.length - 1;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      z[j] = (data[r * d + j] - st.mean[j]) / st.std[j];
      a[j] = z[j];
    }
    for (let l = 0; l <= last; l++) {
      const { inSize, outSize, W, b: bias } = st.layers[l];
      for (let o = 0; o < outSize; o++) {
        let s = bias[o];
        for (let i = 0; i < inSize; i++) s += a[i] * W[i * outSize + o];
        b[o] = l === last || act === "linear" ? s : act === "tanh" ? Math.tanh(s) : s > 0 ? s : 0;
      }
      const t = a;
      a = b;
      b = t;
    }
    let e = 0;
    for (let j = 0; j < d; j++) e += (a[j] - z[j]) ** 2;
    out[r] = e / d;
  }
  return out;
}
