// Shared by the engine tests (not a test itself): the ClickHouse servers the tests use, fresh stores per
// test, and a canonical form of window features for exact comparison.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openClickHouse } from "../../src/engines/clickhouse";
import { openDuckDb } from "../../src/engines/duckdb";
import { eventRow } from "../../src/engines/event-row";
import type { EventStore } from "../../src/engines/source";
import type { LogEvent } from "../../src/events";
import type { WindowFeatures } from "../../src/features/window-counts";
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli";

/**
 * The two ClickHouse servers of `.ci/run` (scripts/clickhouse.js start): SIEMLAB_CLICKHOUSE_URL and
 * SIEMLAB_CLICKHOUSE_URL2, when both answer /ping. Undefined otherwise — the ClickHouse tests then skip
 * with a message on a developer machine, and FAIL under CI=true (where the servers must be up).
 */
export async function clickhouseUrls(): Promise<[string, string] | undefined> {
  const urls = [process.env.SIEMLAB_CLICKHOUSE_URL, process.env.SIEMLAB_CLICKHOUSE_URL2];
  const up = async (u: string | undefined) => {
    if (!u) return false;
    try {
      const r = await fetch(new URL("/ping", u), { signal: AbortSignal.timeout(5000) });
      return r.ok && (await r.text()).trim() === "Ok.";
    } catch {
      return false;
    }
  };
  if ((await up(urls[0])) && (await up(urls[1]))) return urls as [string, string];
  const why =
    `no ClickHouse servers at SIEMLAB_CLICKHOUSE_URL=${urls[0] ?? "(unset)"} / SIEMLAB_CLICKHOUSE_URL2=${urls[1] ?? "(unset)"}; ` +
    "start two with: eval \"$(node scripts/clickhouse.js start)\"";
  if (process.env.CI === "true") throw new Error(`CI=true: ${why}`);
  console.warn(`skipping the ClickHouse engine tests: ${why}`);
  return undefined;
}

let dbCounter = 0;
/** A database name no other test (or earlier run) uses. */
export function freshDatabase(): string {
  return `siemlab_test_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`;
}

/** A temporary directory removed at process exit. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type EngineCase = { readonly name: string; readonly open: () => Promise<EventStore> };

/** Fresh, empty stores of every engine available: DuckDB always; ClickHouse one node and two shards when up. */
export function engineCases(ch: [string, string] | undefined): EngineCase[] {
  const dir = tempDir("siemlab-engines-");
  let n = 0;
  const cases: EngineCase[] = [{ name: "duckdb", open: () => openDuckDb(path.join(dir, `t${n++}.duckdb`), { create: true }) }];
  if (ch) {
    cases.push({ name: "clickhouse (1 node)", open: () => openClickHouse(ch[0], { database: freshDatabase(), create: true }) });
    cases.push({ name: "clickhouse (2 shards)", open: () => openClickHouse(ch, { database: freshDatabase(), create: true }) });
  }
  return cases;
}

/** Store events as rows of one pseudo-file (the rows the parsers' events become), in batches. */
export async function storeEvents(store: EventStore, events: readonly LogEvent[], fileId = "f0", batch = 5000): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    const rows = events.slice(i, i + batch).map((e) => eventRow(e, fileId, `/logs/${fileId}.log`));
    await store.append({ fileId, sourceFile: `/logs/${fileId}.log`, sizeBytes: 0, headBytes: 0, events: i + rows.length, read: 0, parsed: 0, rejected: 0, complete: false }, rows);
  }
}

/** Everything a WindowFeatures holds, as plain data (NaN kept distinguishable), for toEqual. */
export function canonical(f: WindowFeatures): Record<string, unknown> {
  const n = (x: number) => (Number.isNaN(x) ? "NaN" : x);
  return {
    columns: f.columns,
    windowMs: f.windowMs,
    start: n(f.start),
    end: n(f.end),
    counted: f.counted,
    skippedNoEntity: f.skippedNoEntity,
    skippedNoTime: f.skippedNoTime,
    skippedCompanions: f.skippedCompanions,
    rows: f.matrix.rows,
    cols: f.matrix.cols,
    entities: f.entities,
    windowStarts: Array.from(f.windowStarts),
    data: Array.from(f.matrix.data, n),
    zeroFillCap: f.zeroFillCap === undefined ? undefined : { ...f.zeroFillCap, filledStart: n(f.zeroFillCap.filledStart), filledEnd: n(f.zeroFillCap.filledEnd) },
    keys: f.keys,
  };
}

/** Runs the CLI in this process (its stdin empty) and collects what it writes: exit code, stdout, stderr. */
export async function runCliInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}
