/**
 * Saved detectors: every registered detector saved and loaded gives bit-identical scores, decisions and labels;
 * every kind of bad file gives a ModelFileError and no detector.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectorRegistry, registerDetector, getDetectorEntry } from "../../src/detectors/registry";
import { checkModelFeatures, loadDetector, saveDetector, MODEL_FORMAT_VERSION } from "../../src/detectors/model-file";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { LocalOutlierFactor } from "../../src/detectors/lof";
import { RobustZScore } from "../../src/detectors/robust-zscore";
import { MlIsolationForest } from "../../src/detectors/ml-isolation-forest";
import { Autoencoder } from "../../src/detectors/autoencoder";
import { EntityBaseline } from "../../src/detectors/entity-baseline";
import { ModelFileError, OptionError } from "../../src/errors";
import { simulateBlobWithOutliers } from "../../src/simulate/samples";
import { SIEMLAB_VERSION } from "../../src/version";
import type { Detector } from "../../src/detectors/types";
import { getTf } from "../../src/tf";

getTf();
const dir = mkdtempSync(join(tmpdir(), "siemlab-model-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmp = (name = "model.json") => join(dir, `${fileNo++}-${name}`);

const toRows = (M: { data: Float64Array; rows: number; cols: number }): number[][] =>
  Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
const X = toRows(simulateBlobWithOutliers({ n: 240, d: 4, outlierFraction: 0.05, seed: 11 }).X);
const Xnew = toRows(simulateBlobWithOutliers({ n: 60, d: 4, outlierFraction: 0.1, seed: 12 }).X);

/** Exactly equal, element by element (Object.is: -0 and NaN count too). */
function expectIdentical(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff++;
  expect(diff).toBe(0);
}

function expectSameOutputs(a: Detector, b: Detector, rows: number[][]): void {
  expectIdentical(a.scoreSamples(rows), b.scoreSamples(rows));
  expectIdentical(a.decisionFunction(rows), b.decisionFunction(rows));
  expectIdentical(a.predict(rows), b.predict(rows));
  expect(Object.is(a.offset, b.offset)).toBe(true);
  expect(Object.is(a.anomalyScale, b.anomalyScale)).toBe(true);
  expect(b.nFeaturesIn).toBe(a.nFeaturesIn);
}

/** Options per registry entry: small where fitting is slow, non-default where it tests more. */
const OPTIONS: Record<string, Record<string, unknown>> = {
  iforest: { seed: 5, nEstimators: 60, contamination: 0.05 },
  "ml-iforest": { seed: 5, nEstimators: 20 },
  lof: { nNeighbors: 10 },
  ocsvm: { nu: 0.2 },
  "robust-zscore": { combine: "rms" },
  autoencoder: { seed: 3, epochs: 4, batchSize: 32, hiddenSizes: [3, 2] },
  "threshold-rule": { column: 2, threshold: 1.5 },
  "entity-baseline": { entityColumn: 0, minHistory: 3 },
};

describe("every registered detector", () => {
  // Entity baseline: column 0 as an entity code.
  const XE = X.map((r, i) => [i % 7, ...r.slice(1)]);
  const XEnew = Xnew.map((r, i) => [i % 9, ...r.slice(1)]);
  for (const entry of detectorRegistry) {
    it(`${entry.name}: save + load gives bit-identical scoreSamples, decisionFunction and predict`, () => {
      const opts = OPTIONS[entry.name] ?? { seed: 1 };
      const det = entry.create(opts);
      const train = entry.name === "entity-baseline" ? XE : X;
      const fresh = entry.name === "entity-baseline" ? XEnew : Xnew;
      det.fit(train);
      const path = tmp(`${entry.name}.json`);
      saveDetector(det, path, { featureNames: ["a", "b", "c", "d"], metadata: { by: "srcIp", window: "1m" } });
      const loaded = loadDetector(path);
      expect(loaded.name).toBe(entry.name);
      expect(loaded.detector.constructor).toBe(det.constructor);
      expect(loaded.featureNames).toEqual(["a", "b", "c", "d"]);
      expect(loaded.metadata).toEqual({ by: "srcIp", window: "1m" });
      expect(loaded.formatVersion).toBe(MODEL_FORMAT_VERSION);
      expect(loaded.siemlabVersion).toBe(SIEMLAB_VERSION);
      expectSameOutputs(det, loaded.detector, train);
      // LOF's default (novelty false) scores only its training rows, loaded or not.
      if (entry.capabilities?.scoresNewRows !== false) expectSameOutputs(det, loaded.detector, fresh);
      // The options and the seed are recorded.
      const doc = JSON.parse(readFileSync(path, "utf8"));
      expect(doc.detector).toBe(entry.name);
      expect(doc.seed).toBe((det as unknown as { seed: number }).seed);
      for (const [k, v] of Object.entries(opts)) expect(doc.options[k]).toEqual(v);
      // The class's own static load returns that class.
      const Ctor = det.constructor as unknown as { load(p: string): Detector };
      expectSameOutputs(det, Ctor.load(path), train);
    });
  }

  it("the JSON records format, versions, class and the fitted state; big arrays go to the sidecar", () => {
    const det = new IsolationForest({ seed: 9, nEstimators: 30 }).fit(X);
    const path = tmp();
    det.save(path);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc).toMatchObject({
      format: "siemlab-model",
      formatVersion: 1,
      siemlabVersion: SIEMLAB_VERSION,
      kind: "detector",
      detector: "iforest",
      className: "IsolationForest",
      seed: 9,
      nFeaturesIn: 4,
      metadata: {},
      sidecar: { file: `${path.split("/").pop()}.bin` },
    });
    expect(doc.options).toEqual({ contamination: "auto", seed: 9, nEstimators: 30, maxSamples: "auto", maxFeatures: 1, bootstrap: false, engine: "wasm", treeBuilder: "fast" });
    expect(doc.state.offset).toBe(-0.5);
    expect(doc.state.model.forest.feature).toEqual({ $typed: "Int32Array", offset: 0, length: det.nodeCount });
    const bin = readFileSync(`${path}.bin`);
    expect(doc.sidecar.bytes).toBe(bin.length);
    expect(doc.sidecar.sha256).toBe(createHash("sha256").update(bin).digest("hex"));
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("autoencoder weights (float32 values in float64 arrays) are stored as float32 and restored exactly", () => {
    const ae = new Autoencoder({ seed: 2, epochs: 2, hiddenSizes: [40] }).fit(X);
    const path = tmp();
    ae.save(path);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc.state.model.layers[0].W).toMatchObject({ $typed: "Float64Array", stored: "Float32Array", length: 160 });
    expect(doc.state.model.mean.$typed).toBe("Float64Array");
    expectSameOutputs(ae, Autoencoder.load(path), Xnew);
  });

  it("treeBuilder 'sklearn', engine 'js', and a saved-then-loaded-then-saved model stay identical", () => {
    const sk = new IsolationForest({ seed: 4, nEstimators: 25, treeBuilder: "sklearn", contamination: 0.1 }).fit(X);
    const p1 = tmp();
    sk.save(p1);
    const once = IsolationForest.load(p1);
    expectSameOutputs(sk, once, Xnew);
    const p2 = tmp();
    once.save(p2);
    expectSameOutputs(sk, IsolationForest.load(p2), Xnew);
    const js = new IsolationForest({ seed: 4, nEstimators: 25, engine: "js" }).fit(X);
    const p3 = tmp();
    js.save(p3);
    expectSameOutputs(js, IsolationForest.load(p3), Xnew);
  });

  it("LOF with novelty: true scores new rows identically after load", () => {
    const lof = new LocalOutlierFactor({ nNeighbors: 15, novelty: true }).fit(X);
    const path = tmp();
    lof.save(path);
    const back = LocalOutlierFactor.load(path);
    expectSameOutputs(lof, back, Xnew);
    expectIdentical(lof.negativeOutlierFactor, back.negativeOutlierFactor);
  });

  it("ml-iforest: the package's own trees come back (no training rows saved), one training row too", () => {
    const ml = new MlIsolationForest({ seed: 8, nEstimators: 15 }).fit(X);
    const path = tmp();
    ml.save(path);
    expect(readFileSync(path, "utf8")).not.toContain("trainingSet");
    expectSameOutputs(ml, MlIsolationForest.load(path), Xnew);
    const one = new MlIsolationForest({ seed: 8 }).fit([[1, 2]]);
    const p2 = tmp();
    one.save(p2);
    expectSameOutputs(one, MlIsolationForest.load(p2), [[1, 2], [5, 5]]);
  });

  it("entity-baseline keeps its per-entity Map (negative and fractional entity codes too)", () => {
    const rows = X.map((r, i) => [i % 5 === 0 ? -3 : i % 7 === 0 ? 2.5 : i % 4, ...r.slice(1)]);
    const eb = new EntityBaseline({ entityColumn: 0, minHistory: 2, tails: "both" }).fit(rows);
    const path = tmp();
    eb.save(path);
    const back = EntityBaseline.load(path);
    expectSameOutputs(eb, back, rows);
    expect(back.entitiesWithHistory).toBe(eb.entitiesWithHistory);
  });

  it("a detector registered under another name with a custom factory loads through its class", () => {
    registerDetector({ ...getDetectorEntry("robust-zscore"), name: "robust-z-rms-persist", create: (o) => new RobustZScore({ ...o, combine: "rms" }) });
    const det = new RobustZScore({ combine: "rms" }).fit(X);
    const path = tmp();
    det.save(path);
    const back = loadDetector(path);
    expect(back.name).toBe("robust-zscore");
    expectSameOutputs(det, back.detector, Xnew);
  });
});

describe("bad files and bad calls give a ModelFileError and no detector", () => {
  const saved = () => {
    const path = tmp();
    new IsolationForest({ seed: 2, nEstimators: 20 }).fit(X).save(path);
    return path;
  };
  const fails = (path: string, message: RegExp) => {
    expect(() => loadDetector(path)).toThrow(ModelFileError);
    expect(() => loadDetector(path)).toThrow(message);
    expect(() => IsolationForest.load(path)).toThrow(ModelFileError);
  };

  it("an unfitted detector cannot be saved, and nothing is written", () => {
    const path = tmp();
    expect(() => new IsolationForest().save(path)).toThrow(ModelFileError);
    expect(() => saveDetector(new LocalOutlierFactor(), path)).toThrow(/LocalOutlierFactor is not fitted yet: call fit\(X\) before saving it/);
    expect(existsSync(path)).toBe(false);
  });

  it("a missing file", () => fails(join(dir, "nope.json"), /No model file at .*nope\.json/));

  it("a truncated JSON file", () => {
    const path = saved();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    fails(path, /is not a complete model file \(truncated or corrupted JSON/);
  });

  it("an edited JSON file that still parses (one threshold changed)", () => {
    const path = saved();
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace('"offset": -0.5', '"offset": -0.25'));
    expect(readFileSync(path, "utf8")).not.toBe(text);
    fails(path, /corrupted or was edited: its content checksum does not match/);
  });

  it("another format version, with the version that wrote it in the message", () => {
    const path = saved();
    const doc = JSON.parse(readFileSync(path, "utf8"));
    doc.formatVersion = 2;
    writeFileSync(path, JSON.stringify(doc));
    fails(path, /has model format version 2 \(written by siemlab 0\.1\.0\); this siemlab 0\.1\.0 reads version 1 only/);
  });

  it("a consistent, checksummed file whose state is wrong for its detector (a crafted file)", () => {
    // Rewrite the JSON and its content checksum the way the writer computes it, so only the state is wrong.
    const craft = (mutate: (doc: Record<string, any>) => void) => {
      const path = saved();
      const { contentSha256: _old, ...doc } = JSON.parse(readFileSync(path, "utf8"));
      mutate(doc);
      const sum = createHash("sha256").update(JSON.stringify(doc, null, 1)).digest("hex");
      writeFileSync(path, JSON.stringify({ ...doc, contentSha256: sum }, null, 1));
      return path;
    };
    expect(loadDetector(craft(() => {})).name).toBe("iforest"); // the crafting itself keeps a valid file
    fails(craft((d) => { d.state.model.maxSamplesUsed = 0; }), /lacks a complete forest/);
    fails(craft((d) => { d.state.model.forest.roots = { $typed: "Int32Array", values: [1e9] }; }), /invalid root/);
    fails(craft((d) => { d.state.model.forest.feature.offset = 4; }), /lies outside the \d+-byte sidecar|corrupted/);
    fails(craft((d) => { d.state.offset = "high"; }), /lacks its model, offset or anomaly scale/);
    fails(craft((d) => { d.options.nEstimators = -1; }), /records options that IsolationForest refuses/);
    fails(craft((d) => { d.state.model.forest.threshold = { $typed: "BigInt64Array", values: [] }; }), /unknown array type/);
  });

  it("every registered detector refuses a crafted state whose first array is cut short (threshold-rule: too few features)", () => {
    const XE = X.map((r, i) => [i % 7, ...r.slice(1)]);
    for (const entry of detectorRegistry) {
      const det = entry.create(OPTIONS[entry.name] ?? { seed: 1 }).fit(entry.name === "entity-baseline" ? XE : X);
      const path = tmp(`${entry.name}-crafted.json`);
      saveDetector(det, path);
      const { contentSha256: _old, ...doc } = JSON.parse(readFileSync(path, "utf8"));
      const cut = (v: any): boolean => {
        if (v === null || typeof v !== "object") return false;
        for (const k of Object.keys(v)) {
          if (v[k] !== null && typeof v[k] === "object" && "$typed" in v[k]) {
            v[k] = { $typed: v[k].$typed, values: [0] };
            return true;
          }
          if (cut(v[k])) return true;
        }
        return false;
      };
      if (!cut(doc.state.model)) {
        doc.nFeaturesIn = 2;
        doc.state.model.nFeaturesIn = 2;
      }
      const sum = createHash("sha256").update(JSON.stringify(doc, null, 1)).digest("hex");
      writeFileSync(path, JSON.stringify({ ...doc, contentSha256: sum }, null, 1));
      expect(() => loadDetector(path), entry.name).toThrow(ModelFileError);
      expect(() => loadDetector(path), entry.name).toThrow(/state (lacks|has)/);
    }
  });

  it("not a model file at all", () => {
    const path = tmp();
    writeFileSync(path, JSON.stringify({ hello: "world" }));
    fails(path, /is not a siemlab model file/);
  });

  it("a missing sidecar", () => {
    const path = saved();
    rmSync(`${path}.bin`);
    fails(path, /needs its binary sidecar .*\.bin, which is missing/);
  });

  it("a pair renamed together still loads; a JSON renamed alone names the sidecar it needs", () => {
    const path = saved();
    const moved = tmp("moved.json");
    renameSync(path, moved);
    expect(() => loadDetector(moved)).toThrow(/needs its binary sidecar .*moved\.json\.bin, which is missing: copy or rename both files together/);
    renameSync(`${path}.bin`, `${moved}.bin`);
    expect(loadDetector(moved).name).toBe("iforest");
  });

  it("a truncated sidecar", () => {
    const path = saved();
    truncateSync(`${path}.bin`, 100);
    fails(path, /has 100 bytes, .* expects \d+: the sidecar is truncated/);
  });

  it("a corrupted sidecar (one byte flipped: checksum mismatch)", () => {
    const path = saved();
    const bin = readFileSync(`${path}.bin`);
    bin[bin.length >> 1] ^= 0xff;
    writeFileSync(`${path}.bin`, bin);
    fails(path, /is corrupted or belongs to another save: its SHA-256 does not match/);
  });

  it("a sidecar from another save of the same path", () => {
    const path = saved();
    const oldJson = readFileSync(path);
    new IsolationForest({ seed: 3, nEstimators: 20 }).fit(X).save(path);
    writeFileSync(path, oldJson);
    expect(() => loadDetector(path)).toThrow(ModelFileError);
  });

  it("an unknown detector name (a consistent file, but no such registry entry)", () => {
    // Build a well-formed file for a name nobody registered by saving a detector whose name is overridden.
    const det = new RobustZScore().fit(X);
    Object.defineProperty(det, "name", { value: "robust-zscor" });
    const path = tmp();
    det.save(path);
    fails(path, /holds a detector named "robust-zscor" \(RobustZScore\), which this siemlab does not register \(did you mean .robust-zscore.\?\)/);
  });

  it("a file of another detector class for Class.load", () => {
    const path = tmp();
    new RobustZScore().fit(X).save(path);
    expect(() => IsolationForest.load(path)).toThrow(/holds the "robust-zscore" model \(class RobustZScore\), not class IsolationForest: load it with RobustZScore\.load\(path\) or loadDetector\(path\)/);
    expect(RobustZScore.load(path).predict(X).length).toBe(X.length);
  });

  it("bad save options: unknown option, feature names of the wrong count, non-JSON metadata", () => {
    const det = new RobustZScore().fit(X);
    expect(() => det.save(tmp(), { featureName: ["a"] } as never)).toThrow(/did you mean `featureNames`/);
    expect(() => det.save(tmp(), { featureNames: ["a", "b"] })).toThrow(OptionError);
    expect(() => det.save(tmp(), { featureNames: ["a", "b"] })).toThrow(/Expected 4 `featureNames`/);
    expect(() => det.save(tmp(), { metadata: { when: new Date() } })).toThrow(/Expected `metadata`.when to be JSON/);
    expect(() => det.save(tmp(), { metadata: { x: NaN } })).toThrow(ModelFileError);
  });

  it("a detector not built on BaseDetector cannot be saved", () => {
    const plain = { name: "custom", offset: 0, nFeaturesIn: 1, fit() { return this; }, scoreSamples: () => new Float64Array(), decisionFunction: () => new Float64Array(), predict: () => new Int8Array() };
    expect(() => saveDetector(plain, tmp())).toThrow(/only detectors built on BaseDetector can be saved/);
  });

  it("a save that cannot write says where and leaves no temporary file", () => {
    const det = new IsolationForest({ seed: 2, nEstimators: 20 }).fit(X);
    expect(() => det.save(join(dir, "no-such-folder", "m.json"))).toThrow(/Cannot write .*no-such-folder\/m\.json\.bin: ENOENT/);
    const asDir = join(dir, `folder-${fileNo++}.json`);
    mkdirSync(asDir);
    expect(() => det.save(asDir)).toThrow(ModelFileError);
    expect(() => det.save(asDir)).toThrow(/Cannot save to ".*folder-\d+\.json": it is a directory; give a file name, e\.g\. ".*folder-\d+\.json\/model\.json"/);
    // Refused before anything is written: no sidecar `<dir>.bin` beside it, no temporary file.
    expect(existsSync(`${asDir}.bin`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("a save over an existing model replaces both files; a stale sidecar is removed when none is needed", () => {
    const path = saved();
    expect(existsSync(`${path}.bin`)).toBe(true);
    new RobustZScore().fit(X).save(path); // small state: no sidecar
    expect(existsSync(`${path}.bin`)).toBe(false);
    expect(loadDetector(path).name).toBe("robust-zscore");
  });
});

describe("checkModelFeatures", () => {
  const path = tmp();
  new RobustZScore().fit(X).save(path, { featureNames: ["failures", "users", "hosts", "bytes"] });
  const model = loadDetector(path);
  it("accepts the same names in the same order", () => {
    expect(() => checkModelFeatures(model, ["failures", "users", "hosts", "bytes"])).not.toThrow();
  });
  it("refuses other names, naming expected and actual", () => {
    expect(() => checkModelFeatures(model, ["failures", "users", "hosts"])).toThrow(
      "The robust-zscore model expects features [failures, users, hosts, bytes], got [failures, users, hosts] (missing [bytes]): compute the same features, in the same order, as when it was saved",
    );
    expect(() => checkModelFeatures(model, ["users", "failures", "hosts", "bytes"])).toThrow(/same names in another order/);
    expect(() => checkModelFeatures(model, ["failures", "users", "hosts", "packets"])).toThrow(/missing \[bytes\], unexpected \[packets\]/);
  });
  it("without saved names, checks the count", () => {
    const p2 = tmp();
    new RobustZScore().fit(X).save(p2);
    const m2 = loadDetector(p2);
    expect(m2.featureNames).toBeUndefined();
    expect(() => checkModelFeatures(m2, ["a", "b", "c", "d"])).not.toThrow();
    expect(() => checkModelFeatures(m2, ["a"])).toThrow(/expects 4 features \(it was saved without names\), got 1: \[a\]/);
  });
});

describe("SIEMLAB_VERSION", () => {
  it("equals package.json's version", () => {
    expect(SIEMLAB_VERSION).toBe(JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")).version);
  });
});
