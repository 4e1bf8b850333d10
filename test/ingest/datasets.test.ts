import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../src/errors";
import { findDatasetSync, getDatasetInfo, listDatasets, loadDatasetPath, registerDataset, sharedDatasetsDir } from "../../src/ingest/datasets";
import { loghubPresent } from "./csv-fixture";

const body = Buffer.from("Dec 10 06:55:46 LabSZ sshd[1]: Invalid user x from 1.2.3.4\n");
const sha = createHash("sha256").update(body).digest("hex");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-ds-"));
let server: http.Server;
let base = "";
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    if (req.url === "/good.log") res.end(body);
    else if (req.url === "/tampered.log") res.end(Buffer.concat([body, Buffer.from("evil\n")]));
    else {
      res.statusCode = 404;
      res.end("no");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registerDataset({ name: "test/good", file: "test/good.log", url: `${base}/good.log`, sha256: sha, description: "test" });
  registerDataset({ name: "test/tampered", file: "test/tampered.log", url: `${base}/tampered.log`, sha256: sha, description: "test" });
  registerDataset({ name: "test/offline", file: "test/offline.log", url: "http://127.0.0.1:9/offline.log", sha256: sha, description: "test" });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const dirs = (name: string) => ({ dataDir: path.join(tmp, name, "data"), sharedDir: path.join(tmp, name, "shared"), cacheDir: path.join(tmp, name, "cache") });

describe("datasets", () => {
  it("catalogues the Loghub samples with their public URLs and pinned hashes", () => {
    const d = getDatasetInfo("loghub/OpenSSH_2k");
    expect(d.url).toBe("https://raw.githubusercontent.com/logpai/loghub/master/OpenSSH/OpenSSH_2k.log");
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(listDatasets().filter((x) => x.name.startsWith("loghub/")).length).toBe(9);
    expect(() => getDatasetInfo("nope")).toThrow(/Unknown dataset "nope". Known: loghub\/OpenSSH_2k/);
    expect(() => registerDataset({ ...d })).toThrow(OptionError);
  });

  it.skipIf(!loghubPresent)("finds the shared Loghub files and their hashes match the pins", () => {
    for (const d of listDatasets().filter((x) => x.name.startsWith("loghub/"))) {
      expect(findDatasetSync(d.name, { dataDir: path.join(tmp, "none") })).toBe(path.join(sharedDatasetsDir(), d.file));
    }
  });

  it("downloads into the cache, verifies the hash, then serves the cached copy", async () => {
    const o = dirs("dl");
    const before = hits;
    const p = await loadDatasetPath("test/good", o);
    expect(p).toBe(path.join(o.cacheDir, "test/good.log"));
    expect(fs.readFileSync(p).equals(body)).toBe(true);
    expect(await loadDatasetPath("test/good", o)).toBe(p);
    expect(hits - before).toBe(1);
  });

  it("prefers the data dir over the cache", async () => {
    const o = dirs("order");
    fs.mkdirSync(path.join(o.dataDir, "test"), { recursive: true });
    fs.writeFileSync(path.join(o.dataDir, "test/good.log"), body);
    expect(await loadDatasetPath("test/good", o)).toBe(path.join(o.dataDir, "test/good.log"));
  });

  it("refuses a download whose hash does not match, saving nothing", async () => {
    const o = dirs("bad");
    await expect(loadDatasetPath("test/tampered", o)).rejects.toThrow(/SHA-256 is [0-9a-f]{64}, not the pinned/);
    expect(fs.existsSync(path.join(o.cacheDir, "test/tampered.log"))).toBe(false);
  });

  it("offline: a clear error saying where to put the file", async () => {
    const o = dirs("off");
    const err = await loadDatasetPath("test/offline", o).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/not available locally and downloading http:\/\/127\.0\.0\.1:9\/offline\.log failed/);
    expect(err.message).toContain(path.join(o.dataDir, "test/offline.log"));
    await expect(loadDatasetPath("test/offline", { ...o, download: false })).rejects.toThrow(/not found. Put offline.log at one of/);
  });

  it("flags a local file that does not match its pin", () => {
    const o = dirs("local");
    fs.mkdirSync(path.join(o.dataDir, "test"), { recursive: true });
    fs.writeFileSync(path.join(o.dataDir, "test/good.log"), "changed\n");
    expect(() => findDatasetSync("test/good", o)).toThrow(/does not match the pinned SHA-256/);
    expect(findDatasetSync("test/good", { ...o, verify: false })).toBe(path.join(o.dataDir, "test/good.log"));
  });
});
