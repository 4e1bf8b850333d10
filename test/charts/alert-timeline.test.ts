import { describe, expect, it } from "vitest";
import { alertTimelineChart } from "../../src/charts/alert-timeline";

const T = Date.UTC(2025, 2, 6, 10, 0, 0);

describe("alertTimelineChart", () => {
  const spec = alertTimelineChart({
    firings: [
      { name: "sigma:ssh_brute_force", time: T + 30_000, entity: "198.51.100.23", attack: true },
      { name: "iforest", time: T + 120_000, entity: "198.51.100.23", attack: true },
      { name: "iforest", time: T + 600_000, entity: "<img src=x>", attack: false },
    ],
    attacks: [{ kind: "brute_force", start: T, end: T + 300_000 }],
  });
  it("one row per name, attacks red, false positives blue, attack spans shaded", () => {
    expect(spec.data).toHaveLength(2);
    const [hit, fp] = spec.data as Array<{ name: string; x: string[]; y: string[]; marker: { color: string } }>;
    expect(hit.name).toBe("on an attack (2)");
    expect(hit.x).toEqual(["2025-03-06 10:00:30", "2025-03-06 10:02:00"]);
    expect(fp.y).toEqual(["iforest"]);
    expect(hit.marker.color).not.toBe(fp.marker.color);
    expect((spec.layout.yaxis as { categoryarray: string[] }).categoryarray).toEqual(["iforest", "sigma:ssh_brute_force"]);
    expect(spec.layout.shapes).toHaveLength(1);
    expect(spec.layout.shapes![0]).toMatchObject({ x0: "2025-03-06 10:00:00", x1: "2025-03-06 10:05:00" });
  });
  it("escapes text from logs", () => {
    expect(JSON.stringify(spec)).not.toContain("<img");
  });
  it("refuses a firing whose name is not a row", () => {
    expect(() => alertTimelineChart({ firings: [{ name: "a", time: T, entity: "x", attack: true }], names: ["b"] })).toThrow(/not in `names`/);
  });
});
