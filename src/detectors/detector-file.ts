/**
 * Saved detectors, the part that needs no registry (so that {@link BaseDetector}'s `save` and static `load`
 * can use it without an import cycle): what a detector file holds, writing one, reading one back into a
 * detector instance. The public face is src/detectors/model-file.ts (`saveDetector`, `loadDetector`).
 */
import { ModelFileError, OptionError } from "../errors";
import { checkOptions, type OptionKeys } from "../options";
import { checkJsonValue, readModelFile, writeModelFile } from "../model-file-format";
import type { Detector } from "./types";

/** The `kind` of a detector model file. */
export const DETECTOR_KIND = "detector";

/** Symbol of the method that returns a fitted detector's state for saving (implemented by BaseDetector). */
export const EXPORT_DETECTOR_STATE: unique symbol = Symbol("siemlab.exportDetectorState");
/** Symbol of the method that installs a saved state into a fresh detector (implemented by BaseDetector). */
export const RESTORE_DETECTOR_STATE: unique symbol = Symbol("siemlab.restoreDetectorState");

/** A detector's fitted state as saved: the model (plain data), the offset and the anomaly scale. */
export interface SavedFit {
  readonly model: unknown;
  readonly offset: number;
  readonly anomalyScale: number;
}

/** What a savable detector exposes to the model file (BaseDetector implements it). */
export interface SavableDetector extends Detector {
  /** Class name used in messages, e.g. "IsolationForest". */
  [EXPORT_DETECTOR_STATE](): { readonly className: string; readonly params: Readonly<Record<string, unknown>>; readonly fit: SavedFit };
  [RESTORE_DETECTOR_STATE](className: string, fit: SavedFit): void;
}

/** Options of `saveDetector` and `detector.save`. */
export interface SaveModelOptions {
  /** Names of the feature columns the model was fitted on (checked on load by callers such as watch). Default: none recorded. */
  readonly featureNames?: readonly string[];
  /** Free JSON metadata, e.g. `{ by: "srcIp", window: "1m", event: ["failed_password"] }`. Default: {}. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const SAVE_MODEL_OPTION_KEYS: OptionKeys<SaveModelOptions> = { featureNames: true, metadata: true };

/**
 * True when `d` can be saved (every detector built on BaseDetector).
 *
 * @example
 * isSavable(new IsolationForest()); // true
 * isSavable({ name: "plain" });     // false
 */
export function isSavable(d: unknown): d is SavableDetector {
  return typeof d === "object" && d !== null && typeof (d as Partial<SavableDetector>)[EXPORT_DETECTOR_STATE] === "function";
}

/**
 * Writes a fitted detector to `path` (+ `path.bin`); see saveDetector in model-file.ts.
 *
 * @example
 * writeDetectorFile(new RobustZScore().fit([[1], [2], [3], [2], [2]]), "/tmp/rz-write.json", { metadata: { by: "user" } });
 * readDetectorFile("/tmp/rz-write.json").metadata; // { by: "user" }
 */
export function writeDetectorFile(detector: Detector, path: string, options: SaveModelOptions = {}): void {
  checkOptions(options, SAVE_MODEL_OPTION_KEYS, "saveDetector");
  if (!isSavable(detector)) {
    const what = (detector as { name?: unknown })?.name;
    throw new ModelFileError(
      `Cannot save detector ${JSON.stringify(what)}: only detectors built on BaseDetector can be saved (they record their options and fitted state)`,
    );
  }
  const { className, params, fit } = detector[EXPORT_DETECTOR_STATE]();
  const featureNames = options.featureNames;
  if (featureNames !== undefined) {
    if (!Array.isArray(featureNames) || featureNames.some((n) => typeof n !== "string")) {
      throw new OptionError(`Expected \`featureNames\` to be an array of column names, got ${JSON.stringify(featureNames)}`);
    }
    if (featureNames.length !== detector.nFeaturesIn) {
      throw new OptionError(
        `Expected ${detector.nFeaturesIn} \`featureNames\` (the features ${className} was fitted on), got ${featureNames.length}: ${JSON.stringify(featureNames)}`,
      );
    }
  }
  const metadata = options.metadata ?? {};
  checkJsonValue(metadata, "`metadata`");
  writeModelFile(
    path,
    DETECTOR_KIND,
    {
      detector: detector.name,
      className,
      seed: params.seed,
      options: params,
      nFeaturesIn: detector.nFeaturesIn,
      ...(featureNames !== undefined ? { featureNames: [...featureNames] } : {}),
      metadata,
    },
    fit,
  );
}

/** A detector file read back, before a detector is built from it. */
export interface DetectorFileContents {
  /** Registry name, e.g. "iforest". */
  readonly name: string;
  readonly className: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly nFeaturesIn: number;
  readonly featureNames?: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly formatVersion: number;
  readonly siemlabVersion: string;
  readonly fit: SavedFit;
}

/**
 * Reads and checks a detector file (format, version, checksums, header fields); builds nothing yet.
 *
 * @example
 * new RobustZScore().fit([[1], [2], [3], [2], [2]]).save("/tmp/rz-read.json");
 * readDetectorFile("/tmp/rz-read.json").className; // "RobustZScore"
 */
export function readDetectorFile(path: string): DetectorFileContents {
  const { doc, state } = readModelFile(path, DETECTOR_KIND, { drain: "Drain.load(path)" });
  const bad = (what: string): never => {
    throw new ModelFileError(`${path} is corrupted: ${what}; save the model again`);
  };
  const name = typeof doc.detector === "string" ? doc.detector : bad("no detector name");
  const className = typeof doc.className === "string" ? doc.className : bad("no class name");
  const options = doc.options !== null && typeof doc.options === "object" && !Array.isArray(doc.options) ? (doc.options as Record<string, unknown>) : bad("no options");
  const nFeaturesIn = Number.isInteger(doc.nFeaturesIn) && (doc.nFeaturesIn as number) > 0 ? (doc.nFeaturesIn as number) : bad("no feature count");
  const fn = doc.featureNames;
  if (fn !== undefined && !(Array.isArray(fn) && fn.length === nFeaturesIn && fn.every((n) => typeof n === "string"))) bad("featureNames is not one name per feature");
  const metadata = doc.metadata !== null && typeof doc.metadata === "object" && !Array.isArray(doc.metadata) ? (doc.metadata as Record<string, unknown>) : bad("no metadata object");
  const fit = state as Partial<SavedFit> | null;
  if (fit === null || typeof fit !== "object" || typeof fit.offset !== "number" || typeof fit.anomalyScale !== "number" || !("model" in fit)) {
    bad("the fitted state lacks its model, offset or anomaly scale");
  }
  return {
    name,
    className,
    options,
    nFeaturesIn,
    ...(fn !== undefined ? { featureNames: fn as string[] } : {}),
    metadata,
    formatVersion: doc.formatVersion as number,
    siemlabVersion: String(doc.siemlabVersion),
    fit: fit as SavedFit,
  };
}

/**
 * Installs the file's fitted state into `detector` (a fresh instance built with the file's options) and checks
 * that it took: same class, same feature count. Errors name the file.
 *
 * @example
 * new RobustZScore().fit([[1], [2], [3], [2], [2]]).save("/tmp/rz-restore.json");
 * const contents = readDetectorFile("/tmp/rz-restore.json");
 * const det = new RobustZScore(contents.options);
 * restoreDetector(det, contents, "/tmp/rz-restore.json");
 * det.predict([[2], [40]]); // Int8Array [1, -1]
 */
export function restoreDetector(detector: Detector, contents: DetectorFileContents, path: string): void {
  if (!isSavable(detector)) throw new ModelFileError(`${path}: detector ${JSON.stringify(contents.name)} cannot be restored (it is not built on BaseDetector)`);
  try {
    detector[RESTORE_DETECTOR_STATE](contents.className, contents.fit);
  } catch (e) {
    if (e instanceof ModelFileError) throw new ModelFileError(`${path}: ${e.message}`);
    throw new ModelFileError(`${path} is corrupted: its ${contents.className} state cannot be restored (${(e as Error).message}); save the model again`);
  }
  if (detector.nFeaturesIn !== contents.nFeaturesIn) {
    throw new ModelFileError(`${path} is corrupted: the header says ${contents.nFeaturesIn} features, the fitted state ${detector.nFeaturesIn}; save the model again`);
  }
}
