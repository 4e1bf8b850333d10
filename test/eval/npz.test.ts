import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataError, OptionError, ParseError } from "../../src/errors";
import { loadLabelledCsv } from "../../src/eval/labelled-csv";
import { loadAdbench, loadNpz } from "../../src/eval/npz";
import { sharedDatasetsDir } from "../../src/ingest/datasets";

const PY = "/usr/bin/python3";
function pythonHasNumpy(): boolean {
  try {
    execFileSync(PY, ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const hasNumpy = pythonHasNumpy();
if (!hasNumpy) console.warn(`SKIPPED npz round-trip tests: ${PY} with numpy not found`);
const adbenchDir = join(sharedDatasetsDir(), "adbench");
const hasAdbench = existsSync(adbenchDir) && readdirSync(adbenchDir).some((f) => f.endsWith(".npz"));
if (!hasAdbench) console.warn(`SKIPPED real ADBench npz tests: no .npz files in ${adbenchDir} (set SIEMLAB_SHARED_DATASETS)`);

const tmp = mkdtempSync(join(tmpdir(), "siemlab-npz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasNumpy)("loadNpz against NumPy-written archives", () => {
  it("reads every supported dtype, C and Fortran order, stored and compressed", () => {
    const script = `
import numpy as np, json, sys
out = sys.argv[1]
r = np.random.RandomState(0)
base = r.randn(5, 4) * 100
arrays = {
  'f8c': base, 'f8f': np.asfortranarray(base), 'f4': base.astype('<f4'), 'i8': base.astype('<i8'),
  'i4f': np.asfortranarray(base.astype('<i4')), 'i2': base.astype('<i2'), 'u1': np.abs(base).astype('|u1'),
  'b1': base > 0, 'be': base.astype('>f8'), 't3f': np.asfortranarray(r.randn(2, 3, 4)), 'v': np.arange(7.0),
}
np.savez_compressed(out + '/c.npz', **arrays)
np.savez(out + '/s.npz', **arrays)
json.dump({k: {'shape': list(v.shape), 'values': np.ascontiguousarray(v).astype(float).ravel().tolist()} for k, v in arrays.items()}, open(out + '/ref.json', 'w'))
`;
    execFileSync(PY, ["-c", script, tmp]);
    const ref = JSON.parse(readFileSync(join(tmp, "ref.json"), "utf8")) as Record<string, { shape: number[]; values: number[] }>;
    for (const file of ["c.npz", "s.npz"]) {
      const arrays = loadNpz(join(tmp, file));
      expect(Object.keys(arrays).sort()).toEqual(Object.keys(ref).sort());
      for (const [k, r] of Object.entries(ref)) {
        expect({ k, shape: arrays[k].shape }).toEqual({ k, shape: r.shape });
        expect({ k, values: Array.from(arrays[k].data) }).toEqual({ k, values: r.values });
      }
      expect(arrays.f8f.fortranOrder).toBe(true);
      expect(arrays.f8c.fortranOrder).toBe(false);
    }
  });

  it("loadAdbench returns row-major X and 0/1 labels, and rejects non-binary labels", () => {
    execFileSync(PY, [
      "-c",
      `import numpy as np; X=np.asfortranarray(np.arange(6.).reshape(3,2)); np.savez_compressed('${tmp}/a.npz', X=X, y=np.array([0,1,0]))
np.savez_compressed('${tmp}/bad.npz', X=X, y=np.array([0,2,0])); np.savez('${tmp}/noy.npz', X=X)`,
    ]);
    const { X, y, columns } = loadAdbench(join(tmp, "a.npz"));
    expect([X.rows, X.cols, Array.from(X.data)]).toEqual([3, 2, [0, 1, 2, 3, 4, 5]]);
    expect(Array.from(y)).toEqual([0, 1, 0]);
    expect(columns).toEqual(["x0", "x1"]);
    expect(() => loadAdbench(join(tmp, "bad.npz"))).toThrow("expected labels 0/1 in y, got 2 at row 1");
    expect(() => loadAdbench(join(tmp, "noy.npz"))).toThrow("expected arrays X and y, found X");
  });
});

describe("loadNpz errors", () => {
  it("rejects a file that is not a zip", () => {
    const p = join(tmp, "not.npz");
    writeFileSync(p, "hello, this is not a zip archive at all");
    expect(() => loadNpz(p)).toThrow(DataError);
  });
});

describe.skipIf(!hasAdbench || !hasNumpy)("real ADBench files", () => {
  it("match NumPy's shapes, sums and label counts", () => {
    const files = readdirSync(adbenchDir).filter((f) => f.endsWith(".npz")).sort();
    const ref = JSON.parse(
      execFileSync(PY, [
        "-c",
        `import numpy as np, json, sys, os
d = sys.argv[1]
print(json.dumps({f: (lambda z: [list(z['X'].shape), float(z['X'].astype(float).sum()), float(z['X'][-1].astype(float).sum()), int(z['y'].sum())])(np.load(os.path.join(d, f))) for f in sys.argv[2:]}))`,
        adbenchDir,
        ...files,
      ]).toString(),
    ) as Record<string, [number[], number, number, number]>;
    for (const f of files) {
      const { X, y } = loadAdbench(join(adbenchDir, f));
      const [shape, sum, lastRowSum, anomalies] = ref[f];
      let s = 0;
      for (let i = 0; i < X.data.length; i++) s += X.data[i];
      let last = 0;
      for (let j = 0; j < X.cols; j++) last += X.data[(X.rows - 1) * X.cols + j];
      expect({ f, shape: [X.rows, X.cols] }).toEqual({ f, shape });
      expect(Math.abs(s - sum)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(sum)));
      expect(Math.abs(last - lastRowSum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(lastRowSum)));
      expect({ f, anomalies: y.reduce((a, v) => a + v, 0) }).toEqual({ f, anomalies });
    }
  });
});

describe("loadLabelledCsv", () => {
  it("reads numeric features and a 0/1 or true/false label column, with quoted fields", () => {
    const p = join(tmp, "l.csv");
    writeFileSync(p, 'id,bytes,"fails",is_attack\n1,100,0,0\n2,"250",3,true\n\n3,7.5,1,FALSE\n');
    const { X, y, columns } = loadLabelledCsv(p, { labelColumn: "is_attack", dropColumns: ["id"] });
    expect(columns).toEqual(["bytes", "fails"]);
    expect([X.rows, X.cols, Array.from(X.data)]).toEqual([3, 2, [100, 0, 250, 3, 7.5, 1]]);
    expect(Array.from(y)).toEqual([0, 1, 0]);
  });

  it("says which line and column is wrong", () => {
    const p = join(tmp, "bad.csv");
    writeFileSync(p, "a,label\n1,0\nx,1\n");
    expect(() => loadLabelledCsv(p)).toThrow(ParseError);
    expect(() => loadLabelledCsv(p)).toThrow(/line 3: column "a" has non-numeric value "x"/);
    writeFileSync(p, "a,label\n1,0\n2,maybe\n");
    expect(() => loadLabelledCsv(p)).toThrow(/line 3: label "maybe"/);
    writeFileSync(p, "a,label\n1,0,9\n");
    expect(() => loadLabelledCsv(p)).toThrow(/line 2: expected 2 fields/);
    expect(() => loadLabelledCsv(p, { labelColumn: "y" })).toThrow(OptionError);
    writeFileSync(p, "");
    expect(() => loadLabelledCsv(p)).toThrow(DataError);
  });

  it("splits records as RFC 4180 (CsvRecordReader): escaped quotes, empty fields, CRLF, line breaks in quotes", () => {
    const p = join(tmp, "rfc.csv");
    writeFileSync(p, '\uFEFFnote,a,b,label\r\n"say ""hi""",1,7,0\r\n"two\r\nlines",2,3,1\r\n,4,5,0\r\n');
    const { X, y, columns } = loadLabelledCsv(p, { dropColumns: ["note"] });
    expect(columns).toEqual(["a", "b"]);
    expect(Array.from(X.data)).toEqual([1, 7, 2, 3, 4, 5]); // the empty note on line 5 was dropped
    expect(Array.from(y)).toEqual([0, 1, 0]);
    writeFileSync(p, 'a,label\n1,0\n"2"x,1\n');
    expect(() => loadLabelledCsv(p)).toThrow(/line 3: unexpected character after a closing quote at column 4/);
    writeFileSync(p, 'a,label\n1,0\n"2,1\n3,0\n');
    expect(() => loadLabelledCsv(p)).toThrow(/line 3: unterminated quoted field at end of input/);
    expect(() => loadLabelledCsv(p, { delimiter: "" })).toThrow(OptionError);
  });
});
