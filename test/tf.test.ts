import { describe, expect, it, vi } from "vitest";
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

describe("TensorFlow.js's tfjs-node banner", () => {
  it("is not printed on the CPU backend's first tensor; other TensorFlow.js warnings still are", async () => {
    const tf = getTf();
    // The CPU backend of the same tfjs-core siemlab uses (danfojs-node falls back to it before initTf).
    const { MathBackendCPU } = await import("@tensorflow/tfjs-backend-cpu");
    const warnings: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((...a: unknown[]) => void warnings.push(a.join(" ")));
    try {
      const cpu = new MathBackendCPU();
      cpu.write(new Float32Array([1, 2]), [2], "float32"); // the first write is where tfjs prints its advice
      cpu.dispose();
      tf.backend_util.warn("a warning that matters");
    } finally {
      spy.mockRestore();
    }
    expect(warnings.join("\n")).not.toMatch(/looks like you are running TensorFlow\.js in Node/);
    expect(warnings).toEqual(["a warning that matters"]);
  });
});
