// `siemlab load … --into STORE` and `features`/`detect --from STORE`: byte-identical CSV to the file path,
// clear errors naming the engine and address.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support";
import { clickhouseUrls, freshDatabase, runCliInProcess, tempDir } from "./engines-support";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  if (args[0] === "detect") {
    // detect loads the detector registry with require(), which needs the compiled dist/ (built by the test setup).
    const r = spawnSync(process.execPath, [path.resolve("bin/siemlab.js"), ...args], { encoding: "utf8", timeout: 120_000, env: process.env });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  }
  return runCliInProcess(args);
}

const dir = tempDir("siemlab-cli-load-");
// Year roll-over in a syslog file without years: Dec 31 → Jan 1 (the year given is the first line's).
const ROLLOVER = path.join(dir, "rollover.log");
fs.writeFileSync(
  ROLLOVER,
  [
    "Dec 31 23:59:00 gw sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2",
    "Dec 31 23:59:59 gw sshd[1]: Failed password for José from 198.51.100.23 port 2 ssh2",
    "Jan  1 00:00:00 gw sshd[2]: Failed password for admin from 198.51.100.23 port 3 ssh2",
    "Jan  1 00:00:30 gw sshd[3]: Failed password for root from 203.0.113.9 port 4 ssh2",
    "not a syslog line",
    "Jan  1 00:05:00 gw sshd[4]: Accepted password for alice from 10.0.0.5 port 5 ssh2",
  ].join("\n") + "\n",
);
const QUERIES: string[][] = [
  ["features", "--event", "failed_password"],
  ["features", "--by", "user", "--window", "5m", "--sparse"],
  ["features", "--by", "host", "--window", "30s"],
  ["detect", "--event", "failed_password", "--contamination", "0.05", "--seed", "3"],
];

let ch: [string, string] | undefined;
beforeAll(async () => {
  ch = await clickhouseUrls();
}, 60_000);

describe("siemlab load / --from", () => {
  it("lists the first rejects of each file with their line numbers, also for a path given relative to the directory", async () => {
    // (The list was keyed by the path as given and looked up by the absolute one: it stayed empty.)
    const rel = path.relative(process.cwd(), ROLLOVER);
    const r = await cli(["load", rel, "--into", `duckdb:${path.join(dir, "rejects.duckdb")}`, "--year", "2024"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/rejected 1\b/);
    expect(r.err).toMatch(/rejected lines \(first 1; .*\n.*line 5: .*"not a syslog line"/);
  });

  it("gives byte-identical features and detect output from DuckDB and ClickHouse as from the files", async () => {
    // A fresh store per file: a DuckDB file, one ClickHouse node, a Distributed table over two shards.
    const stores: Array<(file: string) => string> = [(file) => `duckdb:${path.join(dir, `${path.basename(file)}.duckdb`)}`];
    if (ch) stores.push(() => `clickhouse:${ch![0]}?database=${freshDatabase()}`, () => `clickhouse:${ch![0]},${ch![1]}?database=${freshDatabase()}`);
    for (const [file, year] of [["data/sim/auth.log", "2025"], [ROLLOVER, "2024"]]) {
      for (const storeFor of stores) {
        const isolated = storeFor(file);
        const store = isolated;
        const load = await cli(["load", file, "--into", isolated, "--year", year, "--batch", "100"]);
        expect(load.code, load.err).toBe(0);
        expect(load.err).toMatch(/lines read \d+, parsed \d+, rejected \d+/);
        expect(load.err).toMatch(/\d+ events stored/);
        for (const q of QUERIES) {
          const want = await cli([...q, file, "--year", year]);
          const got = await cli([...q, "--from", isolated]);
          expect(got.code, got.err).toBe(0);
          expect(got.out, `${store} ${q.join(" ")}`).toBe(want.out);
          expect(want.out.split("\n").length).toBeGreaterThan(2);
        }
        const again = await cli(["load", file, "--into", isolated, "--year", year]);
        expect(again.err).toContain("already loaded");
      }
    }
  }, 300_000);

  it("names the engine and address when a store is missing, down or the address is wrong", async () => {
    const port = await freePort();
    const down = await cli(["features", "--from", `clickhouse:http://127.0.0.1:${port}`]);
    expect([down.code, down.err]).toEqual([1, expect.stringContaining(`ClickHouse at http://127.0.0.1:${port}: cannot connect`)]);
    if (ch) {
      const db = freshDatabase();
      const typo = await cli(["features", "--from", `clickhouse:${ch[0]}?database=${db}`]);
      expect([typo.code, typo.err]).toEqual([1, expect.stringContaining(`ClickHouse at ${ch[0]}: no table ${db}.events`)]);
    }
    const ftp = await cli(["features", "--from", "clickhouse:ftp://127.0.0.1:1"]);
    expect([ftp.code, ftp.err]).toEqual([2, expect.stringContaining("not an http(s) URL")]);
    const missing = await cli(["features", "--from", `duckdb:${path.join(dir, "nope.duckdb")}`]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/DuckDB at .*nope\.duckdb: no such database file/)]);
    const typo = await cli(["features", "--from", "duckb:x.duckdb"]);
    expect([typo.code, typo.err]).toEqual([2, expect.stringContaining("did you mean 'duckdb'")]);
    expect((await cli(["load", "data/sim/auth.log"])).err).toContain("load needs --into");
    expect((await cli(["features", "--from", "duckdb:x", "--year", "2024"])).code).toBe(2);
    expect((await cli(["features", "data/sim/auth.log", "--max-cells", "5"])).code).toBe(2);
  });

  it("says the result is over --max-cells instead of truncating it", async () => {
    const db = `duckdb:${path.join(dir, "cap.duckdb")}`;
    expect((await cli(["load", ROLLOVER, "--into", db, "--year", "2024"])).code).toBe(0);
    const r = await cli(["features", "--from", db, "--max-cells", "2"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/DuckDB at .*cap\.duckdb: the feature query returned more than 2 \(entity, window\) cells/);
    expect(r.out).toBe("");
  });
});
