import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { DataError } from "../../src/errors";
import { entityVerdicts, featureCells } from "../../src/features/entity-verdicts";
import { windowCounts } from "../../src/features/window-counts";

const ev = (t: number, srcIp: string): LogEvent => ({ lineNo: 1, time: t * 1000, eventType: "failed_password", srcIp, message: "" });
const events = [ev(0, "a"), ev(1, "a"), ev(2, "a"), ev(65, "b"), ev(130, "c")];
const f = windowCounts(events, { window: "1m" });

describe("entityVerdicts", () => {
  it("joins detector flags and rule bursts per entity", () => {
    const predictions = f.entities.map((e, i) => (e === "a" && f.matrix.data[i] > 0 ? -1 : e === "c" && f.matrix.data[i] > 0 ? -1 : 1));
    const v = entityVerdicts({ features: f, predictions, ruleHits: [{ entity: "a", count: 3 }, { entity: "b", count: 9 }] });
    expect(v).toEqual([
      { entity: "a", total: 3, maxPerWindow: 3, detectorWindows: 1, ruleBursts: 1, ruleMaxCount: 3, agreement: "both" },
      { entity: "b", total: 1, maxPerWindow: 1, detectorWindows: 0, ruleBursts: 1, ruleMaxCount: 9, agreement: "rule only" },
      { entity: "c", total: 1, maxPerWindow: 1, detectorWindows: 1, ruleBursts: 0, ruleMaxCount: 0, agreement: "detector only" },
    ]);
    expect(entityVerdicts({ features: f, predictions: f.entities.map(() => 1), includeUnflagged: true }).map((x) => x.agreement)).toEqual(["neither", "neither", "neither"]);
    expect(() => entityVerdicts({ features: f, predictions: [1] })).toThrow(DataError);
  });

  it("gives heatmap cells for non-zero or flagged rows", () => {
    const cells = featureCells(f, { predictions: f.entities.map((_, i) => (i === 1 ? -1 : 1)) });
    expect(cells.map((c) => [c.entity, c.window, c.value, c.anomaly])).toEqual([
      ["a", "1970-01-01T00:00:00.000Z", 3, false],
      ["a", "1970-01-01T00:01:00.000Z", 0, true],
      ["b", "1970-01-01T00:01:00.000Z", 1, false],
      ["c", "1970-01-01T00:02:00.000Z", 1, false],
    ]);
  });
});
