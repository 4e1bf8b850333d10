/**
 * Drain's state saved and restored mid-stream (toJSON / fromJSON, save / load) gives the results an
 * uninterrupted miner gives; bad states and files are refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IsolationForest } from "../../src/detectors/isolation-forest";
import { loadDetector } from "../../src/detectors/model-file";
import { ModelFileError, OptionError } from "../../src/errors";
import { Drain, type DrainOptions, type DrainState } from "../../src/ingest/drain";
import { simulateLoginAttempts } from "../../src/simulate/samples";
import { simulateAttacks } from "../../src/simulate/attacks";
import { loghubFile, loghubPresent, readCsvRecords } from "./csv-fixture";

const dir = mkdtempSync(join(tmpdir(), "siemlab-drain-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every observable result of adding the messages. */
const run = (d: Drain, messages: readonly string[]) => messages.map((m) => d.add(m));

/** A stream of real messages (Loghub's Linux and OpenSSH samples) when present, plus a simulated day of auth.log and access log. */
function corpus(): string[] {
  const sim = simulateAttacks({ seed: 7, hours: 6 });
  const real = loghubPresent ? ["Linux", "OpenSSH"].flatMap((s) => readCsvRecords(loghubFile(s, "_structured.csv")).map((r) => r.Content)) : [];
  return [...real, ...sim.auth.lines, ...sim.access.lines];
}

describe("Drain state mid-stream", () => {
  const messages = corpus();
  const cut = Math.floor(messages.length / 2);

  const cases: [string, DrainOptions][] = [
    ["defaults", {}],
    ["depth 5, st 0.5, maxChildren 4, maxClusters 12, extra delimiters, custom masks", {
      depth: 5, similarityThreshold: 0.5, maxChildren: 4, maxClusters: 12, extraDelimiters: ["=", ","],
      masks: [{ name: "IP", pattern: /\d+\.\d+\.\d+\.\d+/g }, { name: "NUM", pattern: /(?<![A-Za-z])\d+/g }], maskPrefix: "<:", maskSuffix: ":>",
    }],
  ];
  for (const [name, options] of cases) {
    it(`toJSON → JSON text → fromJSON continues exactly (${name})`, () => {
      const whole = new Drain(options);
      const expected = run(whole, messages);
      const first = new Drain(options);
      expect(run(first, messages.slice(0, cut))).toEqual(expected.slice(0, cut));
      const restored = Drain.fromJSON(JSON.parse(JSON.stringify(first.toJSON())) as DrainState);
      expect(run(restored, messages.slice(cut))).toEqual(expected.slice(cut));
      expect(restored.templates()).toEqual(whole.templates());
      expect(restored.toJSON()).toEqual(whole.toJSON());
      // match and parameter extraction agree too.
      for (const m of messages.slice(0, 200)) {
        expect(restored.match(m, { fullSearchStrategy: "fallback" })).toEqual(whole.match(m, { fullSearchStrategy: "fallback" }));
        const t = whole.match(m)?.template;
        if (t !== undefined) expect(restored.extractParameters(t, m)).toEqual(whole.extractParameters(t, m));
      }
    });
  }

  it("save → load through the model-file format continues exactly", () => {
    const whole = new Drain({ maxClusters: 40 });
    const expected = run(whole, messages);
    const first = new Drain({ maxClusters: 40 });
    run(first, messages.slice(0, cut));
    const path = join(dir, "drain.json");
    first.save(path);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc).toMatchObject({ format: "siemlab-model", formatVersion: 1, kind: "drain", parser: "drain", sidecar: null });
    expect(doc.state.format).toBe("siemlab-drain");
    const loaded = Drain.load(path);
    expect(run(loaded, messages.slice(cut))).toEqual(expected.slice(cut));
    expect(loaded.templates()).toEqual(whole.templates());
  });

  it("the options come back with the state", () => {
    const d = new Drain({ depth: 6, similarityThreshold: 0.3, maxChildren: 7, extraDelimiters: ["_"], parametrizeNumericTokens: false, maskPrefix: "{", maskSuffix: "}" });
    const back = Drain.fromJSON(d.toJSON());
    for (const k of ["depth", "similarityThreshold", "maxChildren", "maxClusters", "extraDelimiters", "parametrizeNumericTokens", "maskPrefix", "maskSuffix", "paramStr"] as const) {
      expect(back[k]).toEqual(d[k]);
    }
    expect(back.mask("port 22 from 10.0.0.1")).toBe(d.mask("port 22 from 10.0.0.1"));
  });
});

describe("bad states and files", () => {
  it("fromJSON refuses what toJSON did not write, saying what is wrong", () => {
    expect(() => Drain.fromJSON({} as DrainState)).toThrow(OptionError);
    expect(() => Drain.fromJSON({} as DrainState)).toThrow(/Not a siemlab Drain state: expected \{ format: "siemlab-drain"/);
    const good = new Drain();
    good.add("user alice logged in");
    const s = good.toJSON();
    expect(() => Drain.fromJSON({ ...s, version: 2 } as unknown as DrainState)).toThrow(/version 2, this siemlab reads version 1/);
    expect(() => Drain.fromJSON({ ...s, clusters: [{ id: 9, tokens: ["x"], size: 1 }] })).toThrow(/cluster 9/);
    expect(() => Drain.fromJSON({ ...s, options: { ...s.options, masks: [{ name: "X", source: "(", flags: "g" }] } })).toThrow(/a mask does not compile/);
    expect(() => Drain.fromJSON({ ...s, options: { ...s.options, depth: 2 } })).toThrow(/depth/);
  });

  it("load refuses a corrupted, truncated or foreign file with a ModelFileError", () => {
    const d = new Drain();
    d.add("user alice logged in");
    const path = join(dir, "bad.json");
    d.save(path);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace("alice", "alicf"));
    expect(() => Drain.load(path)).toThrow(/content checksum does not match/);
    writeFileSync(path, text.slice(0, 100));
    expect(() => Drain.load(path)).toThrow(ModelFileError);
    expect(() => loadDetector(join(dir, "none.json"))).toThrow(/No model file/);
    // A detector's file for Drain.load, and a Drain file for loadDetector, name the right loader.
    d.save(path);
    expect(() => loadDetector(path)).toThrow(/holds a model of kind "drain", not of kind "detector": load it with Drain\.load\(path\)/);
    const det = join(dir, "det.json");
    new IsolationForest({ nEstimators: 5 }).fit(simulateLoginAttempts().counts.map((c) => [c])).save(det);
    expect(() => Drain.load(det)).toThrow(/holds a model of kind "detector", not of kind "drain": load it with loadDetector\(path\)/);
  });
});
