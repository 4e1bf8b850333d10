import { describe, expect, it } from "vitest";
import { getTf, initTf } from "../src/tf";

describe("initTf", () => {
  it("picks a working backend offline and reports why the others were skipped", async () => {
    const info = await initTf();
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.backend);
    expect(info.tried.filter((t) => t.ok)).toHaveLength(1);
    expect(info.summary).toContain(`backend: ${info.backend}`);
    const tf = getTf();
    expect(tf.getBackend()).toBe(info.backend);
    // The chosen backend computes.
    const y = tf.tidy(() => tf.tensor1d([1, 2, 3]).mul(2).arraySync());
    expect(y).toEqual([2, 4, 6]);
    // Second call returns the same decision.
    expect(await initTf()).toBe(info);
  });
});
