import { describe, expect, test } from "vitest";
import { entityTimelineChart } from "../../src/charts/entity-timeline";
import type { LogEvent } from "../../src/events";

const t0 = Date.UTC(2024, 2, 1, 10, 0);
const ev = (lineNo: number, minute: number, eventType: string, outcome?: "success" | "failure", message = "m"): LogEvent => ({
  lineNo,
  time: t0 + minute * 60_000,
  eventType,
  outcome,
  user: "mallory",
  srcIp: "203.0.113.7",
  message,
});

describe("entityTimelineChart", () => {
  const events = [ev(1, 5, "failed_password", "failure"), ev(2, 1, "login_success", "success"), ev(3, 6, "failed_password", "failure"), { ...ev(4, 0, "x"), time: NaN }];

  test("one trace per event type in time order, failures as crosses, anomalies ringed red (snapshot)", () => {
    const spec = entityTimelineChart({ events, entity: "mallory", anomalies: [2], anomalyWindows: [{ start: t0 + 4 * 60_000, end: t0 + 7 * 60_000 }] });
    const names = spec.data.map((d) => d.name);
    expect(names).toEqual(["failed_password (2)", "login_success (1)", "anomaly (1)"]);
    const failed = spec.data[0] as { x: string[]; marker: { symbol: string[] } };
    expect(failed.x).toEqual(["2024-03-01 10:05:00", "2024-03-01 10:06:00"]);
    expect(failed.marker.symbol).toEqual(["x", "x"]);
    expect(spec.layout.title).toMatchObject({ text: "Events of mallory (1 without time not shown)" });
    expect(spec.layout.shapes).toHaveLength(1);
    expect(spec).toMatchSnapshot();
  });

  test("hostile messages, users and types are escaped and clipped", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const spec = entityTimelineChart({ events: [{ ...ev(1, 0, evil, "failure", evil + "y".repeat(300)), user: evil }], maxMessageChars: 50 });
    const json = JSON.stringify(spec);
    expect(json).not.toContain("<img");
    const text = (spec.data[0] as { text: string[] }).text[0];
    expect(text).toContain("user: &lt;img src=x onerror=alert(1)&gt;");
    expect(text).toMatch(/y…$/);
  });
});
