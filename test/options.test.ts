import { describe, expect, it } from "vitest";
import * as sl from "../src/index";
import { OptionError } from "../src/errors";
import { checkChoice, checkOptions, closestName, didYouMean, editDistance, pickOptions } from "../src/options";

describe("strict options (src/options.ts)", () => {
  it("measures Levenshtein distance", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("nEstimator", "nEstimators")).toBe(1);
  });

  it("suggests the closest known name only when it is close", () => {
    expect(closestName("failed_pasword", ["accepted_password", "failed_password", "invalid_user"])).toBe("failed_password");
    expect(closestName("blok", ["log", "alert", "block_ip"])).toBe("block_ip");
    expect(closestName("NESTIMATORS", ["nEstimators"])).toBe("nEstimators");
    expect(closestName("zzzzzz", ["count", "failures"])).toBeUndefined();
    expect(didYouMean("sed", ["seed"], "`")).toBe(" (did you mean `seed`?)");
    expect(didYouMean("zzzzzz", ["seed"])).toBe("");
  });

  it("returns valid options, rejects unknown keys (even with an undefined value) and non-objects", () => {
    const keys: { readonly seed: true; readonly contamination: true } = { seed: true, contamination: true };
    expect(checkOptions({ seed: 1 }, keys, "X")).toEqual({ seed: 1 });
    expect(checkOptions(undefined, keys, "X")).toEqual({});
    expect(() => checkOptions({ sed: undefined } as object, keys, "X")).toThrow("Unknown option `sed` for X (did you mean `seed`?); expected one of: seed, contamination");
    expect(() => checkOptions(null as unknown as object, keys, "X")).toThrow(OptionError);
    expect(() => checkOptions([] as object, keys, "X")).toThrow(/got an array/);
  });

  it("checks a choice and picks known keys", () => {
    expect(checkChoice("brute", ["auto", "brute"], "algorithm")).toBe("brute");
    expect(() => checkChoice("brut", ["auto", "brute"], "algorithm")).toThrow('Unknown algorithm "brut" (did you mean "brute"?); expected one of: auto, brute');
    expect(pickOptions({ seed: 1, other: 2 }, { seed: true })).toEqual({ seed: 1 });
  });
});

describe("every options object of the public API is strict", () => {
  const typo = (f: () => unknown, message: RegExp) => expect(f).toThrow(message);

  it("detector constructors name the option they expected", () => {
    typo(() => new sl.IsolationForest({ nEstimator: 10 } as never), /Unknown option `nEstimator` for IsolationForest \(did you mean `nEstimators`\?\)/);
    typo(() => new sl.detect.LocalOutlierFactor({ nNeighbours: 5 } as never), /did you mean `nNeighbors`/);
    typo(() => new sl.detect.OneClassSVM({ gama: 0.1 } as never), /did you mean `gamma`/);
    typo(() => new sl.detect.ThresholdRule({ treshold: 3 } as never), /did you mean `threshold`/);
  });

  it("a BaseDetector subclass without options of its own accepts only contamination and seed", () => {
    class Plain extends sl.detect.BaseDetector<sl.detect.FittedModel> {
      readonly name = "plain";
      constructor(options: sl.detect.DetectorOptions = {}) {
        super("Plain", options);
      }
      protected fitModel(X: sl.DenseMatrix) {
        return { nFeaturesIn: X.cols };
      }
      protected scoreModel(_m: sl.detect.FittedModel, X: sl.DenseMatrix) {
        return new Float64Array(X.rows);
      }
      protected autoOffset() {
        return -1;
      }
    }
    expect(new Plain({ seed: 3 }).seed).toBe(3);
    typo(() => new Plain({ sead: 3 } as never), /Unknown option `sead` for Plain \(did you mean `seed`\?\)/);
  });

  it("chart builders, tables, features, parsing, evaluation, simulators and response", () => {
    typo(() => sl.timelineChart({ x: [1], y: [1], titel: "t" } as never), /for timelineChart \(did you mean `title`\?\)/);
    typo(() => sl.charts.rocChart([], { titel: "t" } as never), /for rocChart \(did you mean `title`\?\)/);
    typo(() => sl.charts.textTable([{ a: 1 }], { maxRow: 3 } as never), /for textTable \(did you mean `maxRows`\?\)/);
    typo(() => sl.windowCounts([], { windw: "1m" } as never), /for windowCounts \(did you mean `window`\?\)/);
    typo(() => sl.parseLogLines(["x"], { formt: "raw" } as never), /for parseLogLines \(did you mean `format`\?\)/);
    typo(() => sl.simulateLoginAttempts({ sed: 1 } as never), /for simulateLoginAttempts \(did you mean `seed`\?\)/);
    typo(() => sl.simulate.simulateBlobWithOutliers({ outlierFrac: 0.1 } as never), /did you mean `outlierFraction`/);
    typo(() => sl.respond.blockIpCommand("192.0.2.1", { formt: "nftables" } as never), /for blockIpCommand \(did you mean `format`\?\)/);
    typo(() => sl.respond.validatePolicy({ name: "p", tiers: [], dedupWindow: 5 }), /did you mean "dedupWindowSeconds"/);
  });
});

describe("the three registries suggest the closest name", () => {
  it("formats, data sets and detectors", () => {
    expect(() => sl.ingest.getLogFormat("rfc3146")).toThrow(/Unknown log format "rfc3146" \(did you mean "rfc3164"\?\)/);
    expect(() => sl.ingest.getDatasetInfo("loghub/OpenSSH_2K")).toThrow(/\(did you mean "loghub\/OpenSSH_2k"\?\)/);
    expect(() => sl.detect.getDetectorEntry("iforst")).toThrow(/\(did you mean "iforest"\?\)/);
  });
});
