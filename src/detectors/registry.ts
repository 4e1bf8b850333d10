/**
 * The one list of detectors that notebooks, comparisons and the conformance tests all use. Each entry
 * names a detector, says what it is, and builds an unfitted instance from an options object.
 *
 * To add a detector: import its class and append one entry to `detectorRegistry` (the conformance suite
 * in test/detectors/conformance.test.ts then checks it automatically).
 *
 * @example
 * listDetectors().map((d) => d.name);            // ["iforest", "ml-iforest", ...]
 * const det = createDetector("iforest", { contamination: 0.05, seed: 42 });
 */
import { OptionError } from "../errors";
import { checkOptions, didYouMean } from "../options";
import { IsolationForest, type IsolationForestOptions } from "./isolation-forest";
import { MlIsolationForest, type MlIsolationForestOptions } from "./ml-isolation-forest";
import { Autoencoder, type AutoencoderOptions } from "./autoencoder";
import { LocalOutlierFactor, type LocalOutlierFactorOptions } from "./lof";
import { OneClassSVM, type OneClassSVMOptions } from "./ocsvm";
import { RobustZScore, type RobustZScoreOptions } from "./robust-zscore";
import { ThresholdRule, type ThresholdRuleOptions } from "./threshold-rule";
import { EntityBaseline, type EntityBaselineOptions } from "./entity-baseline";
import type { Detector, DetectorOptions } from "./types";

/** Options passed to a registry factory: the shared ones plus any detector-specific option. */
export type DetectorFactoryOptions = DetectorOptions & { readonly [option: string]: unknown };

/**
 * Exceptions a detector declares to the conformance suite, each with the reason in `why`. Every field is
 * optional and defaults to the strict behaviour.
 */
export interface DetectorCapabilities {
  /**
   * The offset is the contamination percentile of the training scores (as scikit-learn), so the suite checks
   * the number of training rows flagged exactly (ties allowed). Default: true.
   */
  readonly contaminationPercentile?: boolean;
  /**
   * The detector scores rows other than its training rows with its default options (LOF's outlier-detection
   * mode scores only the training rows, as scikit-learn's `novelty=False`). Default: true.
   */
  readonly scoresNewRows?: boolean;
  /** Training rows the conformance suite uses for this detector (keep slow detectors fast). Default: 200. */
  readonly conformanceRows?: number;
  /** Why a field above differs from its default. Default: none. */
  readonly why?: string;
}

/** A detector in the registry. Structurally usable as an entry of `compareDetectors`. */
export interface RegisteredDetector {
  /** Registry key, equal to the detector's `name`, e.g. "iforest". */
  readonly name: string;
  /** Short display title, e.g. "Isolation Forest". */
  readonly title: string;
  /** One or two sentences: what it does and when to use it. */
  readonly description: string;
  /** Builds an unfitted detector. Options go to the detector's constructor, which rejects unknown names. */
  readonly create: (options?: DetectorFactoryOptions) => Detector;
  /** True when the detector makes no random choice (its seed is only recorded). Default: false. */
  readonly deterministic?: boolean;
  /** Exceptions to the strict conformance checks. Default: none. */
  readonly capabilities?: DetectorCapabilities;
}

/** Every registered detector, in display order. Append new entries at the end. */
export const detectorRegistry: RegisteredDetector[] = [
  {
    name: "iforest",
    title: "Isolation Forest",
    description:
      "Random axis-parallel splits isolate rare points in few steps (scikit-learn semantics, subsamples of 256 rows). Fast, no scaling needed; a strong default for tabular features.",
    create: (options) => new IsolationForest(options as IsolationForestOptions),
  },
  {
    name: "ml-iforest",
    title: "Isolation Forest (ml-isolation-forest package)",
    description:
      "The mljs npm package behind the same contract: every tree sees every row, scores normalised by c(n). For side-by-side teaching; slow and memory-hungry on large data.",
    create: (options) => new MlIsolationForest(options as MlIsolationForestOptions),
  },
  {
    name: "lof",
    title: "Local Outlier Factor",
    description:
      "Compares each row's local density with its 20 nearest neighbours' (scikit-learn semantics). Finds points in sparse pockets next to dense clusters; O(n²) exact neighbours, so subsample beyond ~10k rows; scale features first.",
    create: (options) => new LocalOutlierFactor(options as LocalOutlierFactorOptions),
    deterministic: true,
    capabilities: {
      scoresNewRows: false,
      why: "novelty: false (the default, as scikit-learn) scores only the training rows; pass novelty: true to score new rows",
    },
  },
  {
    name: "ocsvm",
    title: "One-Class SVM",
    description:
      "Learns an RBF-kernel boundary around the bulk of the data (libsvm's one-class SMO, nu 0.5, gamma 'scale'). Smooth boundaries on small, scaled data; training is O(n²), subsample beyond a few thousand rows.",
    create: (options) => new OneClassSVM(options as OneClassSVMOptions),
    deterministic: true,
  },
  {
    name: "robust-zscore",
    title: "Robust z-score (median / MAD)",
    description:
      "Per-feature modified z-scores from the median and MAD, combined by max; flags |z| > 3.5 by default. Transparent and instant; sees only feature-wise extremes, not unusual combinations.",
    create: (options) => new RobustZScore(options as RobustZScoreOptions),
    deterministic: true,
  },
  {
    name: "autoencoder",
    title: "Autoencoder (TensorFlow.js)",
    description:
      "A small dense network learns to reconstruct standardised rows; a high reconstruction error is abnormal. Captures correlations between features; needs more rows and training time, and depends on its seed.",
    create: (options) => new Autoencoder(options as AutoencoderOptions),
    capabilities: { conformanceRows: 120, why: "training is the slow part; 120 rows keep the suite fast" },
  },
  {
    name: "threshold-rule",
    title: "Threshold rule (SIEM baseline)",
    description:
      "The correlation-rule baseline: feature `column` (default 0) ≥ `threshold` (default 8) is an alert, e.g. failures per window. Explainable and exact for known attacks; blind to anything the rule does not name.",
    create: (options) => new ThresholdRule(options as ThresholdRuleOptions),
    deterministic: true,
  },
  {
    name: "entity-baseline",
    title: "Per-entity baseline",
    description:
      "Each window against its entity's own history (robust median/MAD per feature) and the population's for new or short-history entities. Pass `entityColumn` (entityFeatures(..., { entityColumn: true }) puts it at 0); without it, one population.",
    create: (options) => new EntityBaseline(options as EntityBaselineOptions),
    deterministic: true,
  },
];

/**
 * Adds a detector to the registry (notebooks, comparisons and the conformance suite then see it), the same
 * shape as `registerLogFormat` and `registerDataset`: refuses a name already taken unless `override` is true,
 * which replaces the entry in place.
 *
 * @example
 * registerDetector({ ...getDetectorEntry("robust-zscore"), name: "robust-z-rms", create: (o) => new RobustZScore({ ...o, combine: "rms" }) });
 * listDetectors().map((d) => d.name).includes("robust-z-rms"); // true
 */
export function registerDetector(entry: RegisteredDetector, options: { readonly override?: boolean } = {}): void {
  checkOptions(options, { override: true }, "registerDetector");
  if (typeof entry?.name !== "string" || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(entry.name)) {
    throw new OptionError(`Expected a detector \`name\` in kebab-case such as "my-detector", got ${JSON.stringify(entry?.name)}`);
  }
  if (typeof entry.create !== "function") throw new OptionError(`Expected detector ${JSON.stringify(entry.name)} to have a \`create(options)\` function`);
  const at = detectorRegistry.findIndex((d) => d.name === entry.name);
  if (at >= 0 && !options.override) {
    throw new OptionError(`Detector name ${JSON.stringify(entry.name)} is already registered. Use { override: true } to replace it.`);
  }
  if (at >= 0) detectorRegistry[at] = entry;
  else detectorRegistry.push(entry);
}

/**
 * The registry entry called `name`; throws an OptionError listing the known names otherwise.
 *
 * @example
 * getDetectorEntry("iforest").title; // "Isolation Forest"
 */
export function getDetectorEntry(name: string): RegisteredDetector {
  const entry = detectorRegistry.find((d) => d.name === name);
  if (entry === undefined) {
    throw new OptionError(
      `Unknown detector ${JSON.stringify(name)}${typeof name === "string" ? didYouMean(name, detectorRegistry.map((d) => d.name)) : ""}: expected one of ${detectorRegistry.map((d) => JSON.stringify(d.name)).join(", ")}`,
    );
  }
  return entry;
}

/**
 * Builds an unfitted detector by registry name.
 *
 * @example
 * const det = createDetector("iforest", { contamination: 0.05, seed: 42 });
 * det.fit([[1], [2], [3], [40]]).predict([[40]]); // Int8Array [-1]
 */
export function createDetector(name: string, options: DetectorFactoryOptions = {}): Detector {
  return getDetectorEntry(name).create(options);
}

/**
 * Name, title and description of every registered detector (e.g. for a table in a notebook).
 *
 * @example
 * showTable(listDetectors());
 */
export function listDetectors(): { name: string; title: string; description: string }[] {
  return detectorRegistry.map(({ name, title, description }) => ({ name, title, description }));
}
