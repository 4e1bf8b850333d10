/**
 * Saved detectors: `saveDetector(detector, path)` writes a fitted detector to a versioned JSON file (plus a
 * binary sidecar `path.bin` for big arrays: Isolation Forest node arrays, LOF and One-Class SVM training rows,
 * autoencoder weights), `loadDetector(path)` builds it back, fitted, giving bit-identical `scoreSamples`,
 * `decisionFunction` and `predict`: what scikit-learn users do with `joblib.dump` / `joblib.load`, in a file
 * that says what it holds.
 *
 * The JSON records the format name and version, the siemlab version, the detector's registry name, class,
 * options (the seed among them), feature count and names, free metadata, and its fitted state (offset, anomaly
 * scale, trees, medians, weights…); the layout is described in src/model-file-format.ts. Files are written to a
 * temporary name and renamed into place. A file of another format version, a truncated or edited JSON, a
 * missing, truncated or altered sidecar, an unknown detector name or an unfitted detector all give a
 * {@link ModelFileError} that names the file and the fix; nothing is half-loaded.
 *
 * Every registered detector can be saved (test/detectors/model-file.test.ts checks each one). `ml-iforest`
 * keeps the package's trees: they are saved node by node (split column, split value, leaf size) and rebuilt as
 * the package's own tree objects, so the package's `predict` scores them.
 */
import { ModelFileError } from "../errors";
import { didYouMean } from "../options";
import { detectorRegistry } from "./registry";
import { readDetectorFile, restoreDetector, writeDetectorFile, type SaveModelOptions } from "./detector-file";
import type { Detector } from "./types";

export type { SaveModelOptions } from "./detector-file";
export { ModelFileError } from "../errors";
export { MODEL_FORMAT_VERSION } from "../model-file-format";

/** A detector read back from a model file by {@link loadDetector}. */
export interface LoadedModel {
  /** The detector, fitted, ready for scoreSamples / decisionFunction / predict. */
  readonly detector: Detector;
  /** Registry name, e.g. "iforest". */
  readonly name: string;
  /** Names of the feature columns it was fitted on, when they were saved. */
  readonly featureNames?: readonly string[];
  /** The metadata saved with it ({} when none). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The file's format version (equal to MODEL_FORMAT_VERSION: other versions are refused). */
  readonly formatVersion: number;
  /** The siemlab version that wrote the file. */
  readonly siemlabVersion: string;
}

/**
 * Saves a fitted detector to `path` (JSON) and, when its state holds arrays above 512 bytes, `path.bin`,
 * atomically (temporary files renamed into place; an existing file is replaced). `featureNames` (one per
 * feature) and `metadata` (plain JSON) are stored for whoever loads it. Throws a ModelFileError for an
 * unfitted detector or one not built on BaseDetector, an OptionError for feature names of the wrong count.
 *
 * @example
 * const X = [[1, 2], [2, 1], [1, 1], [9, 9]];
 * const det = new IsolationForest({ seed: 3 }).fit(X);
 * saveDetector(det, "/tmp/iforest-example.json", { featureNames: ["failures", "users"], metadata: { by: "srcIp" } });
 * loadDetector("/tmp/iforest-example.json").featureNames; // ["failures", "users"]
 */
export function saveDetector(detector: Detector, path: string, options?: SaveModelOptions): void {
  writeDetectorFile(detector, path, options);
}

/**
 * Loads a detector saved by {@link saveDetector} (or `detector.save`): checks format version, checksums of
 * the JSON and the sidecar, builds the registered detector with the saved options and installs the fitted
 * state. Throws a ModelFileError (naming the file) for a missing file, another format version, a truncated,
 * corrupted or edited file, a missing or altered sidecar, or a detector name the registry does not know.
 *
 * @example
 * new RobustZScore().fit([[10], [11], [9], [10], [12]]).save("/tmp/rz.json");
 * const { detector, name } = loadDetector("/tmp/rz.json");
 * name;                               // "robust-zscore"
 * detector.predict([[10], [30]]);     // Int8Array [1, -1]
 */
export function loadDetector(path: string): LoadedModel {
  const contents = readDetectorFile(path);
  const entry = detectorRegistry.find((d) => d.name === contents.name);
  if (entry === undefined) {
    const known = detectorRegistry.map((d) => d.name);
    throw new ModelFileError(
      `${path} holds a detector named ${JSON.stringify(contents.name)} (${contents.className}), which this siemlab does not register` +
        `${didYouMean(contents.name, known)}: register it with registerDetector before loading (known: ${known.join(", ")})`,
    );
  }
  let detector: Detector;
  try {
    detector = entry.create(contents.options);
  } catch (e) {
    throw new ModelFileError(`${path} records options that ${contents.className} refuses (${(e as Error).message}); save the model again`);
  }
  restoreDetector(detector, contents, path);
  return {
    detector,
    name: contents.name,
    ...(contents.featureNames !== undefined ? { featureNames: contents.featureNames } : {}),
    metadata: contents.metadata,
    formatVersion: contents.formatVersion,
    siemlabVersion: contents.siemlabVersion,
  };
}

/**
 * Refuses to score a feature set other than the model's: throws a ModelFileError naming the expected and the
 * actual feature names (or counts, when the model was saved without names) unless `featureNames` equals the
 * saved names in order.
 *
 * @example
 * new RobustZScore().fit([[1, 2], [2, 1], [3, 3]]).save("/tmp/rz-features.json", { featureNames: ["failures", "users"] });
 * const model = loadDetector("/tmp/rz-features.json");
 * checkModelFeatures(model, ["failures", "users"]);
 * checkModelFeatures(model, ["users", "failures"]); // throws: expects features [failures, users], got [users, failures]
 */
export function checkModelFeatures(model: LoadedModel, featureNames: readonly string[]): void {
  const expected = model.featureNames;
  const n = model.detector.nFeaturesIn;
  const list = (names: readonly string[]) => `[${names.join(", ")}]`;
  if (expected === undefined) {
    if (featureNames.length !== n) {
      throw new ModelFileError(
        `The ${model.name} model expects ${n} features (it was saved without names), got ${featureNames.length}: ${list(featureNames)}`,
      );
    }
    return;
  }
  if (expected.length === featureNames.length && expected.every((name, i) => name === featureNames[i])) return;
  const missing = expected.filter((name) => !featureNames.includes(name));
  const extra = featureNames.filter((name) => !expected.includes(name));
  const why =
    missing.length === 0 && extra.length === 0
      ? "same names in another order"
      : [missing.length ? `missing ${list(missing)}` : "", extra.length ? `unexpected ${list(extra)}` : ""].filter(Boolean).join(", ");
  throw new ModelFileError(
    `The ${model.name} model expects features ${list(expected)}, got ${list(featureNames)} (${why}): compute the same features, in the same order, as when it was saved`,
  );
}
