// One failed SSH attempt is counted once (new-user trial T13): sshd's `Failed password` record and the PAM
// `authentication failure` companion record of the same attempt are both in `--event failed_password,auth_failure`,
// and the companion is skipped because its attempt's type is counted too. Same numbers from the file, from the
// library (windowCounts, WindowAccumulator merged, entityFeatures), from DuckDB and from ClickHouse; stores made
// before the companion_type column keep working (counted as they were).
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDuckDb } from "../../src/engines/duckdb";
import { openClickHouse } from "../../src/engines/clickhouse";
import { loadFiles } from "../../src/engines/load";
import { companionCounted, type LogEvent } from "../../src/events";
import { entityFeatures } from "../../src/features/entity-features";
import { WindowAccumulator, windowCounts } from "../../src/features/window-counts";
import { featurizeLog } from "../../src/features/featurize-log";
import { parseLog } from "../../src/ingest/parse-log";
import { watchLog } from "../../src/watch/watcher";
import { loghubFile, loghubPresent } from "../ingest/csv-fixture";
import { canonical, clickhouseUrls, freshDatabase, runCliInProcess, tempDir } from "./engines-support";

const dir = tempDir("siemlab-companions-");
const BOTH = ["failed_password", "auth_failure"];
const HOT_IP = "183.62.140.253";
const HOT_WINDOW = Date.UTC(2015, 11, 10, 10, 55);

let ch: [string, string] | undefined;
let events: LogEvent[] = [];
beforeAll(async () => {
  ch = await clickhouseUrls();
  if (loghubPresent) events = (await parseLog(loghubFile("OpenSSH"), { year: 2015 })).events;
}, 60_000);

/** The cell of (ip, window start) in CSV rows `entity,window_start,count`. */
function cell(csv: string, ip: string, start: number): number | undefined {
  const row = csv.trim().split("\n").find((l) => l.startsWith(`${ip},${new Date(start).toISOString()},`));
  return row === undefined ? undefined : Number(row.split(",")[2]);
}

describe.skipIf(!loghubPresent)("an attempt logged by sshd and PAM is counted once (Loghub OpenSSH_2k)", () => {
  it("the parser marks each PAM companion with its attempt's type (companionType beside companionOf)", () => {
    const byLine = new Map(events.map((e) => [e.lineNo, e]));
    const companions = events.filter((e) => e.companionOf !== undefined);
    expect(companions.length).toBeGreaterThan(800);
    for (const c of companions) expect(c.companionType).toBe(byLine.get(c.companionOf as number)?.eventType);
    expect(events.filter((e) => e.companionOf === undefined && e.companionType !== undefined && e.folded === undefined)).toEqual([]);
  });

  it("features --event failed_password,auth_failure counts the attempts: failed_password plus the auth_failure records of no counted attempt", async () => {
    const f = (event: string) => runCliInProcess(["features", loghubFile("OpenSSH"), "--year", "2015", "--event", event, "--window", "5m", "--sparse"]);
    const both = await f(BOTH.join(","));
    const fp = await f("failed_password");
    expect(both.code).toBe(0);
    // The attack's busiest 5 minutes: 141 attempts (282 when each PAM companion counted again).
    expect(cell(both.out, HOT_IP, HOT_WINDOW)).toBe(141);
    expect(cell(fp.out, HOT_IP, HOT_WINDOW)).toBe(141);
    const counted = (err: string) => Number(/(\d+) events counted/.exec(err)?.[1]);
    const nFp = events.filter((e) => e.eventType === "failed_password" && e.srcIp).length;
    const lone = events.filter((e) => e.eventType === "auth_failure" && e.srcIp && e.companionType !== "failed_password").length;
    const paired = events.filter((e) => e.eventType === "auth_failure" && e.companionOf !== undefined && e.companionType === "failed_password").length;
    expect(counted(fp.err)).toBe(nFp);
    expect(counted(both.err)).toBe(nFp + lone);
    expect(paired).toBeGreaterThan(400);
    expect(both.err).toContain(`siemlab: ${paired} companion records skipped: their attempt's sshd record is counted\n`);
    expect(fp.err).not.toContain("companion records skipped");
    // Each row of the pair = its failed_password row plus the lone auth_failure records of that cell.
    for (const line of both.out.trim().split("\n").slice(1)) {
      const [ip, start, n] = line.split(",");
      const t = Date.parse(start);
      const inCell = (e: LogEvent) => e.srcIp === ip && Math.floor(e.time / 300_000) * 300_000 === t;
      const expected = (cell(fp.out, ip, t) ?? 0) + events.filter((e) => inCell(e) && e.eventType === "auth_failure" && e.companionType !== "failed_password").length;
      expect(Number(n), line).toBe(expected);
    }
    // auth_failure alone: every record counts (it is then the only counted record of its attempt).
    expect(counted((await f("auth_failure")).err)).toBe(events.filter((e) => e.eventType === "auth_failure" && e.srcIp).length);
  });

  it("windowCounts, a merged WindowAccumulator and entityFeatures apply the same rule", () => {
    const w = windowCounts(events, { filter: BOTH, window: "5m", zeroFill: false });
    const fp = windowCounts(events, { filter: "failed_password", window: "5m", zeroFill: false });
    const paired = events.filter((e) => e.eventType === "auth_failure" && e.companionType === "failed_password").length;
    expect(w.skippedCompanions).toBe(paired);
    expect(fp.skippedCompanions).toBe(0);
    const hot = w.keys.findIndex((k) => k.entity === HOT_IP && k.windowStart === HOT_WINDOW);
    expect(w.matrix.data[hot]).toBe(141);
    // Without a filter every record is counted (the failures column counts attempts once).
    const all = windowCounts(events, { window: "5m", zeroFill: false, features: ["count", "failures"] });
    expect(all.skippedCompanions).toBe(0);
    expect(all.counted).toBe(events.filter((e) => e.srcIp).length);
    // A predicate decides alone; companionCounted gives it the same rule.
    const pred = windowCounts(events, { filter: (e) => BOTH.includes(e.eventType) && companionCounted(e, (t) => BOTH.includes(t)), window: "5m", zeroFill: false });
    expect([pred.counted, pred.skippedCompanions]).toEqual([w.counted, 0]);
    // Two halves counted apart and merged (parallel reading): the same counts and the same skipped companions.
    const a = new WindowAccumulator({ filter: BOTH, window: "5m", zeroFill: false });
    const b = new WindowAccumulator({ filter: BOTH, window: "5m", zeroFill: false });
    events.forEach((e, i) => (i < events.length / 2 ? a : b).add(e));
    a.mergeState(b.exportState());
    expect(canonical(a.finish())).toEqual(canonical(w));
    expect(a.finish().skippedCompanions).toBe(paired);
    const ef = entityFeatures(events, { filter: BOTH, window: "5m" });
    expect([ef.counted, ef.skippedCompanions]).toEqual([w.counted, paired]);
  });

  it("parallel reading (byte ranges, in process and through worker threads) counts and skips the same companions", async () => {
    const w = windowCounts(events, { filter: BOTH, window: "5m", zeroFill: false });
    for (const inProcess of [true, false]) {
      for (const threads of [2, 3]) {
        const r = await featurizeLog(loghubFile("OpenSSH"), { parse: { year: 2015 }, window: { filter: BOTH, window: "5m", zeroFill: false }, threads, minParallelBytes: 0, warmupBytes: 4096, inProcess });
        expect(r.parallel.ranges, `${threads} threads`).toBeGreaterThan(1);
        expect(canonical(r.features), `${threads} threads`).toEqual(canonical(w));
      }
    }
  });

  it("fit and watch count the same way", async () => {
    const w = windowCounts(events, { filter: BOTH, window: "5m", zeroFill: false });
    const model = path.join(dir, "model.json");
    const fit = await runCliInProcess(["fit", loghubFile("OpenSSH"), "--year", "2015", "--event", BOTH.join(","), "--window", "5m", "--out", model]);
    expect(fit.code, fit.err).toBe(0);
    expect(fit.err).toContain(`on ${w.matrix.rows} windows`);
    expect(fit.err).toContain(`siemlab: ${w.skippedCompanions} companion records skipped: their attempt's sshd record is counted\n`);
    const copy = path.join(dir, "watch.log");
    fs.copyFileSync(loghubFile("OpenSSH"), copy);
    const watch = watchLog(copy, { event: BOTH, window: "5m", lateness: "1h", threshold: 140, year: 2015, once: true });
    const summary = await watch.done;
    expect(summary.counted + summary.late + summary.skipped).toBe(w.counted + w.skippedNoEntity + w.skippedNoTime);
    // The 10:55 window of the attack: 141 attempts, over the threshold of 140 (282 counted each attempt twice).
    expect(summary.findings).toBe(w.matrix.data.filter((x) => x >= 140).length);
  });

  it("the same numbers from a DuckDB store and from ClickHouse (one node, two shards): byte-identical CSV", async () => {
    const args = ["--event", BOTH.join(","), "--window", "5m", "--sparse"];
    const file = await runCliInProcess(["features", loghubFile("OpenSSH"), "--year", "2015", ...args]);
    const stores = [`duckdb:${path.join(dir, "ssh.duckdb")}`];
    if (ch) stores.push(`clickhouse:${ch[0]}?database=${freshDatabase()}`, `clickhouse:${ch[0]},${ch[1]}?database=${freshDatabase()}`);
    for (const store of stores) {
      const load = await runCliInProcess(["load", loghubFile("OpenSSH"), "--year", "2015", "--into", store]);
      expect(load.code, load.err).toBe(0);
      const from = await runCliInProcess(["features", "--from", store, ...args]);
      expect(from.code, from.err).toBe(0);
      expect(from.out, store).toBe(file.out);
      expect(cell(from.out, HOT_IP, HOT_WINDOW)).toBe(141);
      expect(from.err).toContain(/(\d+ companion records skipped: their attempt's sshd record is counted)/.exec(file.err)?.[1]);
      expect(/(\d+) events counted/.exec(from.err)?.[1]).toBe(/(\d+) events counted/.exec(file.err)?.[1]);
    }
  });

  it("a DuckDB store made before companion_type still answers (read-only: companions counted, as then), and gains the column when loaded into", async () => {
    const old = path.join(dir, "old.duckdb");
    const s = await openDuckDb(old, { create: true });
    await loadFiles(s, [loghubFile("OpenSSH")], { parse: { year: 2015 } });
    await s.close();
    // Make it an old store: without the column.
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const inst = await DuckDBInstance.create(old);
    const conn = await inst.connect();
    await conn.run("ALTER TABLE events DROP COLUMN companion_type");
    conn.closeSync();
    inst.closeSync();
    const ro = await openDuckDb(old);
    const f = await ro.windowCounts({ filter: BOTH, window: "5m", zeroFill: false });
    await ro.close();
    const pairedWithIp = events.filter((e) => e.eventType === "auth_failure" && e.companionType === "failed_password" && e.srcIp).length;
    expect([f.counted, f.skippedCompanions]).toEqual([windowCounts(events, { filter: BOTH }).counted + pairedWithIp, 0]);
    // Opened for loading: the column is added; old rows count as before, rows loaded now by the rule.
    const rw = await openDuckDb(old, { create: true });
    const again = await rw.windowCounts({ filter: BOTH, window: "5m", zeroFill: false });
    await rw.close();
    expect(again.counted).toBe(f.counted);
  });

  it.runIf(process.env.SIEMLAB_CLICKHOUSE_URL !== undefined)("a ClickHouse table made before companion_type gets the column when loaded into, and counts by the rule", async () => {
    const urls = (await clickhouseUrls()) as [string, string];
    const db = freshDatabase();
    const post = async (sql: string) => {
      const r = await fetch(urls[0], { method: "POST", body: sql });
      if (!r.ok) throw new Error(await r.text());
    };
    await post(`CREATE DATABASE ${db}`);
    await post(
      `CREATE TABLE ${db}.events (file_id String, source_file String, line_no UInt64, time_ms Nullable(Float64), event_type String, ` +
        `outcome Nullable(String), user_name Nullable(String), src_ip Nullable(String), host Nullable(String), ` +
        `process Nullable(String), companion UInt8, bytes Nullable(Float64)) ENGINE = MergeTree() ORDER BY (file_id, line_no)`,
    );
    const s = await openClickHouse(urls[0], { database: db, create: true });
    await loadFiles(s, [loghubFile("OpenSSH")], { parse: { year: 2015 } });
    const f = await s.windowCounts({ filter: BOTH, window: "5m", zeroFill: false });
    await s.close();
    expect(canonical(f)).toEqual(canonical(windowCounts(events, { filter: BOTH, window: "5m", zeroFill: false })));
    expect(fs.existsSync(loghubFile("OpenSSH"))).toBe(true);
  });
});
