import { resolve } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { OptionError, shortStack } from "../src/errors";
import { IsolationForest } from "../src/detectors/isolation-forest";

// A user's bad call reads well where notebooks show errors: tslab prints a failing cell's error with
// console.error (util.inspect). The message comes first, then the siemlab call the user made and the user's
// frames; the library's and the runtime's frames are counted, not listed.
function userCall(): never {
  new IsolationForest({ nEstimator: 10 } as never);
  throw new Error("unreachable");
}

describe("errors in a notebook", () => {
  it("print the message first, the siemlab entry point, the caller's frames, and hide library internals", () => {
    let error: unknown;
    try {
      userCall();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    const printed = inspect(error);
    const lines = printed.split("\n");
    expect(lines[0]).toBe(
      "OptionError: Unknown option `nEstimator` for IsolationForest (did you mean `nEstimators`?); expected one of: contamination, seed, nEstimators, maxSamples, maxFeatures, bootstrap, engine, treeBuilder",
    );
    expect(lines[1]).toMatch(/^\s+at new IsolationForest \(siemlab\/detectors\/isolation-forest\.ts:\d+:\d+\)$/);
    expect(lines[2]).toMatch(/at userCall \(.*errors\.test\.ts:\d+:\d+\)/);
    expect(printed).not.toContain(resolve("src") + "/"); // no other library frame
    expect(printed).not.toContain("node_modules");
    expect(lines[lines.length - 1]).toMatch(/\(\d+ siemlab and runtime frames hidden; SIEMLAB_FULL_STACK=1 shows them\)/);
    expect((error as Error).stack).toContain(resolve("src/detectors/base.ts")); // the full stack is kept
  });

  it("shows every frame with SIEMLAB_FULL_STACK=1", () => {
    const e = new OptionError("boom");
    process.env.SIEMLAB_FULL_STACK = "1";
    try {
      expect(inspect(e)).toBe(e.stack);
    } finally {
      delete process.env.SIEMLAB_FULL_STACK;
    }
    expect(shortStack(e).split("\n")[0]).toBe("OptionError: boom");
  });

  it("reads the same through tslab's own executor (the notebook kernel's code path)", async () => {
    const { createConverter } = require("tslab/dist/converter");
    const { createExecutor } = require("tslab/dist/executor");
    const printed: string[] = [];
    const converter = createConverter({ isJS: false, isBrowser: false });
    const keep = (...args: unknown[]) => printed.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
    const executor = createExecutor(process.cwd(), { node: converter, browser: converter, close: () => converter.close() }, { log: keep, error: keep });
    try {
      expect(await executor.execute('import * as sl from "./src/index";')).toBe(true);
      expect(await executor.execute("const forest = new sl.IsolationForest({ nEstimator: 10 } as never);")).toBe(false);
    } finally {
      executor.close();
    }
    const out = printed.join("\n").split("\n");
    expect(out[0]).toMatch(/^OptionError: Unknown option `nEstimator` for IsolationForest \(did you mean `nEstimators`\?\)/);
    expect(out[1]).toMatch(/at new IsolationForest \(siemlab\/detectors\/isolation-forest\.js:\d+:\d+\)/);
    expect(out[2]).toMatch(/at evalmachine\.<anonymous>:\d+:\d+/);
    expect(out.filter((l) => /^\s+at /.test(l)).length).toBeLessThanOrEqual(8);
  }, 120_000);
});
