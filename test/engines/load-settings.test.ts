// loadFiles and parse settings: a re-load with the settings a file was loaded with is skipped; with other
// settings (year, format, time zone) it is refused and the store left as it was; `reload` replaces the events
// with ones read with the new settings; stores written before the settings were recorded still open and load.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openClickHouse } from "../../src/engines/clickhouse";
import { openDuckDb } from "../../src/engines/duckdb";
import { loadFiles } from "../../src/engines/load";
import type { EventStore } from "../../src/engines/source";
import { windowCounts } from "../../src/features/window-counts";
import { parseLog } from "../../src/ingest/parse-log";
import { canonical, clickhouseUrls, engineCases, freshDatabase, tempDir, type EngineCase } from "./engines-support";

const AUTH = "data/sim/auth.log";
const lines = fs.readFileSync(AUTH, "utf8").split("\n").filter((l) => l !== "");
const dir = tempDir("siemlab-load-settings-");
let ch: [string, string] | undefined;
let cases: EngineCase[] = [];

beforeAll(async () => {
  ch = await clickhouseUrls();
  cases = engineCases(ch);
}, 60_000);

/** A copy of the log (all of it on Mar 6, no year) whose modification time is `mtime`: the year inferred. */
function logCopy(name: string, mtime = "2025-12-31T12:00:00Z", text = lines.join("\n") + "\n"): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.utimesSync(file, new Date(mtime), new Date(mtime));
  return file;
}

/** Window counts of every event type (count, failures): what the store answers, for comparing whole stores. */
async function everyType(count: (o: Parameters<typeof windowCounts>[1]) => Promise<ReturnType<typeof windowCounts>>) {
  const out: Record<string, unknown> = {};
  for (const t of ["failed_password", "invalid_user", "accepted_password", "session_opened", "disconnect", "connection_closed"]) {
    out[t] = canonical(await count({ by: "srcIp", window: "1m", filter: t, features: ["count", "failures"], zeroFill: false }));
  }
  return out;
}

/** What the file itself gives with these options (the reference a store must equal). */
async function fileCounts(file: string, year: number) {
  const { events } = await parseLog(file, { year });
  return everyType(async (o) => windowCounts(events, o));
}

describe("loadFiles: parse settings", () => {
  it("skips a re-load with the same settings, refuses other ones (store unchanged), and replaces the events with reload", async () => {
    for (const c of cases) {
      const log = logCopy(`same-${c.name.replace(/\W/g, "")}.log`);
      const store = await c.open();
      try {
        const [first] = await loadFiles(store, [log], { parse: { year: 2025 } });
        expect([first.status, first.settings?.format, first.settings?.year, first.settings?.yearSource], c.name).toEqual(["loaded", "rfc3164", 2025, "given"]);
        const before = await everyType((o) => store.windowCounts(o));
        expect(before, c.name).toEqual(await fileCounts(log, 2025));
        // The same events however the same settings are asked for: the format named, the year inferred (mtime in 2025), defaults spelled out.
        for (const parse of [{ year: 2025 }, { year: 2025, format: "syslog" }, {}, { year: 2025, timeZone: "Z", maxLineLength: 65536 }]) {
          const [again] = await loadFiles(store, [log], { parse });
          expect([again.status, again.alreadyStored, again.storedSettings?.year], `${c.name} ${JSON.stringify(parse)}`).toEqual(["skipped", first.stored, 2025]);
        }
        // Other settings: refused, each difference named, nothing read or changed.
        const refusals: Array<[object, string, string, string]> = [
          [{ year: 2024 }, "year", "2025 (given)", "2024 (given)"],
          [{ year: 2025, timeZone: "+02:00" }, "timeZone", "UTC", "+02:00"],
          [{ year: 2025, format: "raw" }, "format", "rfc3164 (detected)", "raw"],
          [{ year: 2025, pairAttempts: false }, "pairAttempts", "true", "false"],
        ];
        for (const [parse, setting, stored, requested] of refusals) {
          let read = 0;
          const [r] = await loadFiles(store, [log], { parse, onReject: () => read++ });
          expect([r.status, r.stored, r.alreadyStored, r.summary, r.differences], `${c.name} ${setting}`).toEqual(["refused", 0, first.stored, undefined, [{ setting, stored, requested }]]);
          expect(read).toBe(0);
        }
        // Without a year, the one inferred from the file's date: another year once the mtime is in 2026.
        fs.utimesSync(log, new Date("2026-06-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z"));
        const [inferred] = await loadFiles(store, [log]);
        expect([inferred.status, inferred.differences], c.name).toEqual(["refused", [{ setting: "year", stored: "2025 (given)", requested: "2026 (inferred from the file's date)" }]]);
        expect(await everyType((o) => store.windowCounts(o)), c.name).toEqual(before);
        expect(await store.storedEvents(first.fileId), c.name).toBe(first.stored);
        // reload: the events read again with the settings given, the earlier ones gone.
        const [reloaded] = await loadFiles(store, [log], { parse: { year: 2024 }, reload: true });
        expect([reloaded.status, reloaded.reloadReason, reloaded.alreadyStored, reloaded.stored, reloaded.storedSettings?.year, reloaded.settings?.year], c.name).toEqual([
          "reloaded", "requested", first.stored, first.stored, 2025, 2024,
        ]);
        expect(await store.storedEvents(first.fileId), c.name).toBe(first.stored);
        const after = await everyType((o) => store.windowCounts(o));
        expect(after, c.name).toEqual(await fileCounts(log, 2024));
        expect(after, c.name).not.toEqual(before);
        const [now] = await loadFiles(store, [log], { parse: { year: 2024 } });
        expect(now.status, c.name).toBe("skipped");
        const [old] = await loadFiles(store, [log], { parse: { year: 2025 } });
        expect([old.status, old.differences?.[0]], c.name).toEqual(["refused", { setting: "year", stored: "2024 (given)", requested: "2025 (given)" }]);
      } finally {
        await store.close();
      }
    }
  }, 240_000);

  it("refuses only the file loaded with other settings among several, and loads the rest", async () => {
    for (const c of cases) {
      const tag = c.name.replace(/\W/g, "");
      const a = logCopy(`a-${tag}.log`, undefined, lines.slice(0, 600).join("\n") + "\n");
      const b = logCopy(`b-${tag}.log`, undefined, lines.slice(600).join("\n") + "\n");
      const n = logCopy(`n-${tag}.log`, undefined, lines.slice(300, 900).join("\n") + "\n");
      const store = await c.open();
      try {
        await loadFiles(store, [a], { parse: { year: 2025 } });
        const [rb] = await loadFiles(store, [b], { parse: { year: 2024 } });
        const bEvents = await store.storedEvents(rb.fileId);
        const seen: string[] = [];
        const rs = await loadFiles(store, [a, b, n], { parse: { year: 2025 }, onFile: (r) => seen.push(r.status) });
        expect(rs.map((r) => r.status), c.name).toEqual(["skipped", "refused", "loaded"]);
        expect(seen, c.name).toEqual(["skipped", "refused", "loaded"]);
        expect(rs[1].differences?.map((d) => d.setting), c.name).toEqual(["year"]);
        expect(await store.storedEvents(rb.fileId), c.name).toBe(bEvents);
        // b's events are still the 2024 ones: the store answers as a (2025) + b (2024) + n (2025).
        const parts = [...(await parseLog(a, { year: 2025 })).events, ...(await parseLog(b, { year: 2024 })).events, ...(await parseLog(n, { year: 2025 })).events];
        expect(await everyType((o) => store.windowCounts(o)), c.name).toEqual(await everyType(async (o) => windowCounts(parts, o)));
      } finally {
        await store.close();
      }
    }
  }, 240_000);

  it("refuses to continue a cut load with other settings, and continues it with the same", async () => {
    for (const c of cases) {
      const log = logCopy(`cut-${c.name.replace(/\W/g, "")}.log`);
      const store = await c.open();
      try {
        let appends = 0;
        const dying: EventStore = Object.create(store, {
          append: { value: (f: never, rows: never) => (++appends > 2 ? Promise.reject(new Error("killed")) : store.append(f, rows)) },
        });
        await expect(loadFiles(dying, [log], { parse: { year: 2025 }, batchSize: 100 })).rejects.toThrow("killed");
        const [other] = await loadFiles(store, [log], { parse: { year: 2024 }, batchSize: 100 });
        expect([other.status, other.alreadyStored, other.differences], c.name).toEqual(["refused", 200, [{ setting: "year", stored: "2025 (given)", requested: "2024 (given)" }]]);
        expect(await store.storedEvents(other.fileId), c.name).toBe(200);
        const [resumed] = await loadFiles(store, [log], { parse: { year: 2025 }, batchSize: 100 });
        expect([resumed.status, resumed.alreadyStored, resumed.alreadyStored + resumed.stored], c.name).toEqual(["resumed", 200, lines.length]);
        expect(await everyType((o) => store.windowCounts(o)), c.name).toEqual(await fileCounts(log, 2025));
      } finally {
        await store.close();
      }
    }
  }, 240_000);

  it("a format whose lines carry their year: --year changes nothing there (skipped), --epoch-unit does (refused)", async () => {
    const store = await cases[0].open();
    try {
      const rows = Array.from({ length: 300 }, (_, i) => JSON.stringify({ time: 1741255200 + 60 * i, user: `u${i % 7}`, src_ip: `10.0.0.${i % 5}`, event_type: "failed_password" }));
      const log = logCopy("events.jsonl", undefined, rows.join("\n") + "\n");
      const [r] = await loadFiles(store, [log]);
      expect([r.status, r.settings?.format, r.settings?.year]).toEqual(["loaded", "jsonl", undefined]);
      fs.utimesSync(log, new Date("2026-06-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z")); // touched: another reference date
      for (const parse of [{}, { year: 2024 }, { format: "json" }, { epochUnit: "auto" as const }]) {
        const [again] = await loadFiles(store, [log], { parse });
        expect(again.status, JSON.stringify(parse)).toBe("skipped");
      }
      const [ms] = await loadFiles(store, [log], { parse: { epochUnit: "ms" } });
      expect([ms.status, ms.differences]).toEqual(["refused", [{ setting: "epochUnit", stored: "auto", requested: "ms" }]]);
      const [csv] = await loadFiles(store, [log], { parse: { format: "csv" } });
      expect([csv.status, csv.differences]).toEqual(["refused", [{ setting: "format", stored: "jsonl (detected)", requested: "csv" }]]);
    } finally {
      await store.close();
    }
  });

  it("reload also replaces the events of a file that shrank or whose rows and record disagree (refused without it)", async () => {
    const store = await cases[0].open();
    try {
      const log = logCopy("shrink.log", undefined, lines.slice(0, 800).join("\n") + "\n");
      const [r] = await loadFiles(store, [log], { parse: { year: 2025 } });
      fs.writeFileSync(log, lines.slice(0, 500).join("\n") + "\n");
      await expect(loadFiles(store, [log], { parse: { year: 2025 } })).rejects.toThrow(/smaller .* not loaded again \(reload: true, or siemlab load --reload/);
      const [shrunk] = await loadFiles(store, [log], { parse: { year: 2025 }, reload: true });
      expect([shrunk.status, shrunk.alreadyStored, shrunk.stored, await store.storedEvents(r.fileId)]).toEqual(["reloaded", 800, 500, 500]);
      // Rows stored without their record moving on (a ClickHouse load cut between the two).
      const [rec] = (await store.loadedFiles()).filter((f) => f.fileId === r.fileId);
      const { eventRow } = await import("../../src/engines/event-row");
      const { events } = await parseLog(log, { year: 2025 });
      await store.append(rec, [eventRow(events[0], r.fileId, rec.sourceFile)]);
      fs.appendFileSync(log, lines.slice(500, 510).join("\n") + "\n");
      await expect(loadFiles(store, [log], { parse: { year: 2025 } })).rejects.toThrow(/holds 501 events .* record says 500: .*reload: true \(siemlab load --reload\)/);
      const [fixed] = await loadFiles(store, [log], { parse: { year: 2025 }, reload: true });
      expect([fixed.status, fixed.stored, await store.storedEvents(r.fileId)]).toEqual(["reloaded", 510, 510]);
    } finally {
      await store.close();
    }
  });
});

/** The loaded_files table as siemlab wrote it before it recorded parse settings (main at 612ac32). */
const OLD_DUCKDB_SCHEMA = [
  `CREATE TABLE events (
    file_id VARCHAR NOT NULL, source_file VARCHAR NOT NULL, line_no UINTEGER NOT NULL, time_ms DOUBLE,
    event_type VARCHAR NOT NULL, outcome VARCHAR, user_name VARCHAR, src_ip VARCHAR, host VARCHAR, process VARCHAR,
    companion UTINYINT NOT NULL, bytes DOUBLE)`,
  `CREATE TABLE loaded_files (
    file_id VARCHAR PRIMARY KEY, source_file VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, head_bytes INTEGER NOT NULL,
    events BIGINT NOT NULL, read BIGINT NOT NULL, parsed BIGINT NOT NULL, rejected BIGINT NOT NULL,
    complete BOOLEAN NOT NULL, updated_ms DOUBLE NOT NULL)`,
];
const OLD_COLUMNS = "file_id, source_file, size_bytes, head_bytes, events, read, parsed, rejected, complete, updated_ms";

/** Run statements on a DuckDB file directly (the old store's tables, written as the old code wrote them). */
async function duckdbRun(file: string, statements: readonly string[]): Promise<void> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(file, { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const conn = await instance.connect();
  try {
    for (const s of statements) await conn.run(s);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function clickhouseRun(url: string, sql: string): Promise<string> {
  const r = await fetch(url, { method: "POST", body: sql });
  const text = await r.text();
  if (!r.ok) throw new Error(`${sql}: ${text}`);
  return text;
}

/** An old store's life under this code: read-only queries, a skip that says it cannot compare, reload, then refusals. */
async function oldStoreLoads(name: string, open: (create: boolean) => Promise<EventStore>, log: string, events: number): Promise<void> {
  const want2025 = await fileCounts(log, 2025);
  const ro = await open(false);
  try {
    expect((await ro.loadedFiles()).map((f) => [f.events, f.complete, f.parseSettings]), name).toEqual([[events, true, undefined]]);
    expect(await everyType((o) => ro.windowCounts(o)), name).toEqual(want2025);
  } finally {
    await ro.close();
  }
  const store = await open(true);
  try {
    // Settings unknown: a complete file is skipped whatever is asked (storedSettings undefined says they were not compared).
    for (const year of [2025, 2024]) {
      const [r] = await loadFiles(store, [log], { parse: { year } });
      expect([r.status, r.alreadyStored, r.storedSettings], `${name} ${year}`).toEqual(["skipped", events, undefined]);
    }
    expect(await everyType((o) => store.windowCounts(o)), name).toEqual(want2025);
    const [re] = await loadFiles(store, [log], { parse: { year: 2024 }, reload: true });
    expect([re.status, re.reloadReason, re.alreadyStored, re.stored], name).toEqual(["reloaded", "requested", events, events]);
    expect(await everyType((o) => store.windowCounts(o)), name).toEqual(await fileCounts(log, 2024));
    const [now] = await loadFiles(store, [log], { parse: { year: 2025 } });
    expect([now.status, now.differences?.[0].setting], name).toEqual(["refused", "year"]);
  } finally {
    await store.close();
  }
}

describe("stores written before the parse settings were recorded", () => {
  it("DuckDB: opens (read-only too), skips its complete files with a notice, reloads and then records the settings", async () => {
    const log = logCopy("old-duckdb.log");
    const fresh = path.join(dir, "fresh.duckdb");
    const old = path.join(dir, "old.duckdb");
    const s = await openDuckDb(fresh, { create: true });
    const [r] = await loadFiles(s, [log], { parse: { year: 2025 } });
    await s.close();
    // The old tables, verbatim, holding the events and the record (without settings) the old code wrote.
    await duckdbRun(old, [
      ...OLD_DUCKDB_SCHEMA,
      `ATTACH '${fresh}' AS f (READ_ONLY)`,
      "INSERT INTO events SELECT * EXCLUDE (companion_type) FROM f.events", // (the old events table: without companion_type)
      `INSERT INTO loaded_files SELECT ${OLD_COLUMNS} FROM f.loaded_files`,
    ]);
    await oldStoreLoads("duckdb", (create) => openDuckDb(old, { create }), log, r.stored);
  }, 120_000);

  it("ClickHouse (one node, two shards): the column added, old records skipped with a notice, reloaded, then compared", async (ctx) => {
    if (!ch) return ctx.skip();
    for (const urls of [[ch[0]], ch]) {
      const name = `clickhouse ${urls.length}`;
      const log = logCopy(`old-ch-${urls.length}.log`);
      const database = freshDatabase();
      const s = await openClickHouse(urls, { database, create: true });
      const [r] = await loadFiles(s, [log], { parse: { year: 2025 } });
      await s.close();
      // Back to the old table: loaded_files without parse_settings (the column order the old code created).
      await clickhouseRun(urls[0], `ALTER TABLE ${database}.loaded_files DROP COLUMN parse_settings`);
      const cols = await clickhouseRun(urls[0], `SELECT name FROM system.columns WHERE database = '${database}' AND table = 'loaded_files' FORMAT TabSeparated`);
      expect(cols.trim().split("\n").join(", "), name).toBe(OLD_COLUMNS);
      await oldStoreLoads(name, (create) => openClickHouse(urls, { database, create }), log, r.stored);
      await clickhouseRun(urls[0], `DROP DATABASE ${database}`);
      if (urls.length > 1) await clickhouseRun(urls[1], `DROP DATABASE ${database}`);
    }
  }, 240_000);
});
