import { describe, expect, test } from "vitest";
import { entityHeatmap } from "../../src/charts/entity-heatmap";

type Heat = { x: string[]; y: string[]; z: (number | null)[][]; text: string[][] };
type Marks = { x: string[]; y: string[]; name: string };

describe("entityHeatmap", () => {
  const cells = [
    { entity: "alice", window: "2024-03-01T10:00:00Z", value: 2 },
    { entity: "alice", window: "2024-03-01T10:05:00Z", value: 1 },
    { entity: "mallory", window: "2024-03-01T10:05:00Z", value: 45, anomaly: true, decision: -0.2 },
    { entity: "bob", window: "2024-03-01T10:00:00Z", value: 9 },
  ];
  test("pivots cells to entity × window, anomalous entities first, red marks on flagged cells (snapshot)", () => {
    const spec = entityHeatmap(cells, { valueTitle: "failed logins", entityTitle: "user" });
    const [heat, marks] = spec.data as [Heat, Marks];
    expect(heat.y).toEqual(["mallory", "bob", "alice"]);
    expect(heat.x).toEqual(["2024-03-01 10:00:00", "2024-03-01 10:05:00"]);
    expect(heat.z).toEqual([
      [0, 45],
      [9, 0],
      [2, 1],
    ]);
    expect(marks).toMatchObject({ x: ["2024-03-01 10:05:00"], y: ["mallory"], name: "anomaly (1)" });
    expect(heat.text[0][1]).toBe("user: <b>mallory</b><br>window: 2024-03-01 10:05:00<br>failed logins: 45<br>decision: -0.2<br><b>anomaly</b>");
    expect(spec).toMatchSnapshot();
  });
  test("limits entities, keeps blanks with missingValue null, escapes names", () => {
    const spec = entityHeatmap([...cells, { entity: "<svg onload=alert(1)>", window: "2024-03-01T10:00:00Z", value: 100 }], { maxEntities: 2, missingValue: null });
    const heat = spec.data[0] as Heat;
    expect(heat.y).toEqual(["mallory", "&lt;svg onload=alert(1)&gt;"]);
    expect(heat.z[0][0]).toBeNull();
    expect(spec.layout.yaxis?.title).toEqual({ text: "entity (top 2 of 4)" });
  });
});
