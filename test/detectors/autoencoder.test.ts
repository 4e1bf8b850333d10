import { describe, expect, it } from "vitest";
import { Autoencoder } from "../../src/detectors/autoencoder";
import { NotFittedError, OptionError } from "../../src/errors";
import { anomalyScores, rocAuc } from "../../src/eval/metrics";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";
import { getTf } from "../../src/tf";

const tf = getTf();
const { X, y } = simulateBlobWithOutliers({ n: 300, d: 4, outlierFraction: 0.05, seed: 3 });
const opts = { epochs: 12, batchSize: 32, seed: 7 };

describe("Autoencoder", () => {
  it("ranks the blob's outliers high and follows the sign convention", () => {
    const ae = new Autoencoder(opts).fit(X);
    const s = ae.scoreSamples(X);
    expect(rocAuc(y, anomalyScores(s))).toBeGreaterThan(0.95);
    const e = ae.reconstructionErrors(X);
    for (let i = 0; i < 5; i++) expect(s[i]).toBe(-e[i]);
    const d = ae.decisionFunction(X);
    expect(d[0]).toBeCloseTo(s[0] - ae.offset, 12);
    expect(ae.layerSizes).toEqual([4, 2, 4]);
    const loss = ae.lossHistory;
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  });
  it("'auto' offset is −(mean + 3·std) of the training errors", () => {
    const ae = new Autoencoder(opts).fit(X);
    const e = Array.from(ae.reconstructionErrors(X));
    const mu = e.reduce((a, b) => a + b, 0) / e.length;
    const sd = Math.sqrt(e.reduce((a, b) => a + (b - mu) ** 2, 0) / e.length);
    expect(ae.offset).toBeCloseTo(-(mu + 3 * sd), 12);
  });
  it("is reproducible for a seed on the cpu backend, differs across seeds, refit equals fresh fit", () => {
    expect(tf.getBackend()).toBe("cpu");
    const a = new Autoencoder(opts).fit(X).scoreSamples(X);
    const b = new Autoencoder(opts).fit(X).scoreSamples(X);
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = new Autoencoder({ ...opts, seed: 8 }).fit(X).scoreSamples(X);
    expect(Array.from(c)).not.toEqual(Array.from(a));
    const re = new Autoencoder(opts).fit([[1, 2, 3, 4], [2, 3, 4, 5]]).fit(X).scoreSamples(X);
    expect(Array.from(re)).toEqual(Array.from(a));
  });
  it("leaves no TensorFlow tensors behind", () => {
    const before = tf.memory().numTensors;
    const ae = new Autoencoder({ ...opts, hiddenSizes: [3, 2], epochs: 2 }).fit(X);
    ae.scoreSamples(X);
    ae.fit(X);
    expect(tf.memory().numTensors).toBe(before);
    expect(ae.layerSizes).toEqual([4, 3, 2, 3, 4]);
  });
  it("handles constant data and a numeric contamination", () => {
    const s = new Autoencoder({ epochs: 2 }).fit([[1, 1], [1, 1], [1, 1]]).scoreSamples([[1, 1], [2, 2]]);
    expect(Array.from(s).every(Number.isFinite)).toBe(true);
    const ae = new Autoencoder({ ...opts, contamination: 0.05 }).fit(X);
    expect(ae.predict(X).filter((v) => v === -1).length).toBe(15);
  });
  it("gives clear errors", () => {
    expect(() => new Autoencoder({ hiddenSizes: [] })).toThrow(/non-empty array/);
    expect(() => new Autoencoder({ epochs: 0 })).toThrow(OptionError);
    expect(() => new Autoencoder({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new Autoencoder().scoreSamples(X)).toThrow(NotFittedError);
  });
});
