import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../../src/errors";
import { appendLineExecutor, requireOutputPath } from "../../../src/respond/executors/file-output";
import { planResponse } from "../../../src/respond/plan";
import { POLICY, finding } from "../helpers";

const action = planResponse([finding()], POLICY)[0];
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-fileoutput-"));

describe("requireOutputPath", () => {
  it("returns a non-empty string and otherwise says what to pass", () => {
    expect(requireOutputPath("out/x.txt", "path", "the file", '{ path: "out/x.txt" }')).toBe("out/x.txt");
    for (const bad of [undefined, "", 3]) {
      expect(() => requireOutputPath(bad, "dir", "the folder tickets are written to", '{ dir: "out/tickets" }')).toThrow(OptionError);
    }
    expect(() => requireOutputPath("", "dir", "the folder tickets are written to", '{ dir: "out/tickets" }')).toThrow(
      'Expected `dir` to name the folder tickets are written to, e.g. { dir: "out/tickets" }',
    );
  });
});

describe("appendLineExecutor", () => {
  it("appends one rendered line per action, creating the folder, with the default detail", async () => {
    const file = path.join(tmp(), "sub", "lines.txt");
    const ex = appendLineExecutor({ name: "t", kind: "log", path: file, render: (a) => `line ${a.target}` });
    expect(ex.render(action)).toBe(`line ${action.target}`);
    const first = await ex.execute(action);
    await ex.execute(action);
    expect(first).toEqual({ ok: true, detail: `appended \`line ${action.target}\` to ${file}` });
    expect(fs.readFileSync(file, "utf8")).toBe(`line ${action.target}\nline ${action.target}\n`);
  });

  it("uses a custom detail and turns a failing render into a failed outcome without writing", async () => {
    const file = path.join(tmp(), "lines.txt");
    const ok = appendLineExecutor({ name: "t", kind: "alert", path: file, render: () => "x", detail: (l) => `wrote ${l}` });
    expect(await ok.execute(action)).toEqual({ ok: true, detail: "wrote x" });
    const failing = appendLineExecutor({ name: "t", kind: "alert", path: file, render: () => { throw new Error("bad target"); } });
    expect(await failing.execute(action)).toEqual({ ok: false, detail: "", error: "bad target" });
    expect(fs.readFileSync(file, "utf8")).toBe("x\n");
  });
});
