import { describe, expect, it } from "vitest";
import { countByEntityWindow } from "../../src/features/entity-window-count";
import { templateWindowCounts } from "../../src/features/template-counts";
import { RandomState } from "../../src/random";

function naive(entities: string[], times: number[], w: number): string[] {
  const m = new Map<string, number>();
  entities.forEach((e, i) => {
    const k = `${e}\u0000${Math.floor(times[i] / w) * w}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  });
  return [...m.entries()].map(([k, c]) => `${k.replace("\u0000", "@")}=${c}`).sort();
}

describe("countByEntityWindow", () => {
  it("counts non-empty groups, sorted by entity then window", () => {
    const r = countByEntityWindow(["bob", "alice", "alice", "bob", undefined], [0, 1000, 59000, 120000, 5], { window: "1m" });
    expect([r.entities, Array.from(r.windowStarts), Array.from(r.counts)]).toEqual([["alice", "bob", "bob"], [0, 0, 120000], [2, 1, 1]]);
  });

  it.each([["dense", 60000], ["sparse map", 1]])("agrees with a naive count on seeded data (%s path)", (_, w) => {
    const rng = new RandomState(3);
    const users = Array.from({ length: 5000 }, () => `u${rng.randint(0, 300)}`);
    const times = Array.from({ length: 5000 }, () => rng.randint(0, 86400) * 1000 + 1.7e12);
    const r = countByEntityWindow(users, times, { window: w });
    const got = r.entities.map((e, i) => `${e}@${r.windowStarts[i]}=${r.counts[i]}`).sort();
    expect(got).toEqual(naive(users, times, w));
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(5000);
  });
});

describe("templateWindowCounts", () => {
  it("builds a zero-filled windows × templates matrix", () => {
    const m = templateWindowCounts([0, 1000, 130000, NaN], [2, 1, 2, 1], { window: "1m" });
    expect(m.columns).toEqual(["t1", "t2"]);
    expect(Array.from(m.windowStarts)).toEqual([0, 60000, 120000]);
    expect(Array.from(m.matrix.data)).toEqual([1, 1, 0, 0, 0, 1]);
  });
});
