import { describe, expect, it } from "vitest";
import { lazyDanfo } from "../src/lazy-danfo";

describe("lazyDanfo", () => {
  it("loads danfojs-node once, on demand", () => {
    const dfd = lazyDanfo();
    expect(new dfd.DataFrame({ a: [1, 2] }).shape).toEqual([2, 1]);
    expect(lazyDanfo()).toBe(dfd);
  });
});
