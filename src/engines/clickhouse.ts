import * as http from "node:http";
import * as https from "node:https";
import { DataError, OptionError } from "../errors";
import type { WindowFeatures } from "../features/window-counts";
import { clickhouseString, tsvLine, tsvValue, type EventRow } from "./event-row";
import { loadedFileFromRow, type EventStore, type LoadedFile } from "./source";
import { windowCountsBySql, type SourceWindowCountsOptions } from "./window-query";

/** Options of {@link openClickHouse}. */
export interface ClickHouseOptions {
  /** Database of the tables (created when missing). Default: 'siemlab' (or a URL's `?database=`). */
  readonly database?: string;
  /**
   * With several URLs: the `remote_servers` cluster of the Distributed table, whose shards are those
   * servers. Default: 'siemlab' (or a URL's `?cluster=`).
   */
  readonly cluster?: string;
  /** Milliseconds before a request is abandoned. Default: 300,000. */
  readonly timeoutMs?: number;
  /**
   * Create the database and tables when missing (loading). false: they must exist (querying), so a
   * mistyped database is an error, not an empty result. Default: false.
   */
  readonly create?: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const COLUMNS_SQL =
  "(file_id String, source_file String, line_no UInt64, time_ms Nullable(Float64), event_type String, " +
  "outcome Nullable(String), user_name Nullable(String), src_ip Nullable(String), host Nullable(String), " +
  "process Nullable(String), companion UInt8, bytes Nullable(Float64), companion_type Nullable(String))";

/** Parse TabSeparated output into rows of values (NULL → undefined). */
function parseTsv(text: string): Array<Array<string | undefined>> {
  const out: Array<Array<string | undefined>> = [];
  if (text === "") return out;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const l of lines) out.push(l.split("\t").map(tsvValue));
  return out;
}

/** Parse TabSeparated output column by column (one array per column; NULL → undefined). */
function tsvColumns(text: string): Array<Array<string | undefined>> {
  const cols: Array<Array<string | undefined>> = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let c = 0;
    let from = start;
    for (;;) {
      const tab = text.indexOf("\t", from);
      const stop = tab < 0 || tab > end ? end : tab;
      (cols[c++] ??= []).push(tsvValue(text.slice(from, stop)));
      if (stop === end) break;
      from = stop + 1;
    }
    start = end + 1;
  }
  return cols;
}

class ClickHouseStore implements EventStore {
  readonly engine = "clickhouse" as const;
  lastSql: string[] = [];
  readonly address: string;
  private readonly table: string;
  /** Whether `loaded_files` has the parse_settings column (a store opened for queries may predate it). */
  private hasSettings = true;
  /** Whether `events` has the companion_type column (a store made before it is read, and written, without it). */
  private hasCompanionType = true;

  constructor(
    private readonly urls: readonly URL[],
    private readonly database: string,
    private readonly cluster: string | undefined,
    private readonly timeoutMs: number,
  ) {
    this.address = urls.map((u) => u.origin).join(",");
    this.table = `${database}.events`;
  }

  /**
   * POST one statement to a node; the body of the answer, or a DataError naming the engine and address.
   * A new connection per request (no keep-alive): a reused socket the server closed after its
   * keep_alive_timeout (3 s on 18.16) fails a request at random, and an insert must not be retried blindly.
   */
  request(url: URL, sql: string, body?: string, settings: Record<string, string> = {}): Promise<string> {
    const u = new URL(url.href);
    u.search = "";
    for (const [k, v] of Object.entries(settings)) u.searchParams.set(k, v);
    if (body !== undefined) u.searchParams.set("query", sql);
    const payload = Buffer.from(body ?? sql, "utf8");
    const client = u.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        u,
        { method: "POST", agent: false, timeout: this.timeoutMs, headers: { "Content-Length": payload.length, "Content-Type": "text/plain; charset=utf-8" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (e) => reject(new DataError(`ClickHouse at ${url.origin}: answer cut: ${e.message}`)));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode === 200) resolve(text);
            else reject(new DataError(`ClickHouse at ${url.origin}: HTTP ${res.statusCode}: ${text.trim().split("\n")[0].slice(0, 500)}`));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      req.on("error", (e: NodeJS.ErrnoException) => {
        const why = e.code === "ECONNREFUSED" ? "connection refused (is clickhouse-server running there?)" : e.message;
        reject(new DataError(`ClickHouse at ${url.origin}: cannot connect: ${why}`));
      });
      req.end(payload);
    });
  }

  private async rows(sql: string): Promise<Array<Array<string | undefined>>> {
    return parseTsv(await this.request(this.urls[0], `${sql}\nFORMAT TabSeparated`));
  }

  private async columns(sql: string): Promise<Array<Array<string | undefined>>> {
    return tsvColumns(await this.request(this.urls[0], `${sql}\nFORMAT TabSeparated`));
  }

  async init(create: boolean): Promise<void> {
    const db = this.database;
    const distributed = this.urls.length > 1;
    if (!create) {
      const [[n]] = await this.rows(`SELECT count() FROM system.tables WHERE database = ${clickhouseString(db)} AND name = 'events'`);
      if (Number(n) === 0) throw new DataError(`ClickHouse at ${this.address}: no table ${db}.events; load logs first with 'siemlab load FILE --into clickhouse:…?database=${db}'`);
      await this.settingsColumn();
      await this.companionTypeColumn();
      return;
    }
    if (distributed) {
      const [[n]] = await this.rows(`SELECT count() FROM system.clusters WHERE cluster = ${clickhouseString(this.cluster!)}`);
      if (Number(n) !== this.urls.length) {
        throw new DataError(`ClickHouse at ${this.urls[0].origin}: its remote_servers has no cluster '${this.cluster}' of ${this.urls.length} shards (found ${n}); declare one with the ${this.urls.length} servers (scripts/clickhouse.js writes such configs)`);
      }
    }
    for (const url of this.urls) {
      await this.request(url, `CREATE DATABASE IF NOT EXISTS ${db}`);
      const local = distributed ? `${db}.events_local` : `${db}.events`;
      await this.request(url, `CREATE TABLE IF NOT EXISTS ${local} ${COLUMNS_SQL} ENGINE = MergeTree() ORDER BY (file_id, line_no)`);
      if (distributed) await this.request(url, `CREATE TABLE IF NOT EXISTS ${db}.events AS ${db}.events_local ENGINE = Distributed(${this.cluster}, ${db}, events_local, rand())`);
    }
    await this.request(
      this.urls[0],
      `CREATE TABLE IF NOT EXISTS ${db}.loaded_files (file_id String, source_file String, size_bytes UInt64, head_bytes UInt32, ` +
        `events UInt64, read UInt64, parsed UInt64, rejected UInt64, complete UInt8, updated_ms Float64, parse_settings String DEFAULT '') ` +
        `ENGINE = MergeTree() ORDER BY file_id`,
    );
    // A store created before the parse settings were recorded gets the column (its records read as '': unknown).
    // 18.16 has no ADD COLUMN IF NOT EXISTS: look first; a concurrent load that added it meanwhile is fine.
    if (!(await this.settingsColumn())) {
      try {
        await this.request(this.urls[0], `ALTER TABLE ${db}.loaded_files ADD COLUMN parse_settings String DEFAULT ''`);
        this.hasSettings = true;
      } catch (e) {
        if (!(await this.settingsColumn())) throw e;
      }
    }
    // Events tables made before companions carried their attempt's type: add the column on every table the
    // rows go through (old rows NULL: counted as then). If that fails, rows are written without it.
    if (!(await this.companionTypeColumn())) {
      const tables: [URL, string][] = distributed ? this.urls.map((u): [URL, string] => [u, `${db}.events_local`]) : [];
      tables.push([this.urls[0], `${db}.events`]);
      try {
        for (const [url, t] of tables) await this.request(url, `ALTER TABLE ${t} ADD COLUMN companion_type Nullable(String)`);
      } catch {
        // (checked below)
      }
      await this.companionTypeColumn();
    }
  }

  private async companionTypeColumn(): Promise<boolean> {
    const [[n]] = await this.rows(
      `SELECT count() FROM system.columns WHERE database = ${clickhouseString(this.database)} AND table = 'events' AND name = 'companion_type'`,
    );
    this.hasCompanionType = Number(n) > 0;
    return this.hasCompanionType;
  }

  private async settingsColumn(): Promise<boolean> {
    const [[n]] = await this.rows(
      `SELECT count() FROM system.columns WHERE database = ${clickhouseString(this.database)} AND table = 'loaded_files' AND name = 'parse_settings'`,
    );
    this.hasSettings = Number(n) > 0;
    return this.hasSettings;
  }

  async windowCounts(options: SourceWindowCountsOptions = {}): Promise<WindowFeatures> {
    const sql: string[] = [];
    this.lastSql = sql;
    return windowCountsBySql((q) => this.columns(q), "clickhouse", this.table, options, `ClickHouse at ${this.address}`, (q) => sql.push(q), this.hasCompanionType);
  }

  async loadedFiles(): Promise<LoadedFile[]> {
    // The progress log is append-only: a file's state is its latest record (by time; within one millisecond, the
    // one with the most events, complete after incomplete). A grown file loaded again starts over from 0 events.
    const rows = await this.rows(
      `SELECT file_id, argMax(source_file, k), argMax(size_bytes, k), argMax(head_bytes, k), argMax(events, k), argMax(read, k), ` +
        `argMax(parsed, k), argMax(rejected, k), argMax(complete, k), ${this.hasSettings ? "argMax(parse_settings, k)" : "''"} ` +
        `FROM (SELECT *, (updated_ms, events, complete, size_bytes) AS k FROM ${this.database}.loaded_files) GROUP BY file_id ORDER BY file_id`,
    );
    return rows.map(loadedFileFromRow);
  }

  async storedEvents(fileId: string): Promise<number> {
    const [[n]] = await this.rows(`SELECT count() FROM ${this.table} WHERE file_id = ${clickhouseString(fileId)}`);
    return Number(n);
  }

  async deleteEvents(fileId: string): Promise<void> {
    // A mutation on each shard's MergeTree table (18.16 runs them in the background): wait until none is pending.
    const local = this.urls.length > 1 ? "events_local" : "events";
    for (const url of this.urls) await this.request(url, `ALTER TABLE ${this.database}.${local} DELETE WHERE file_id = ${clickhouseString(fileId)}`);
    const deadline = Date.now() + this.timeoutMs;
    for (const url of this.urls) {
      for (;;) {
        const [[n]] = parseTsv(
          await this.request(url, `SELECT count() FROM system.mutations WHERE database = ${clickhouseString(this.database)} AND table = '${local}' AND is_done = 0\nFORMAT TabSeparated`),
        );
        if (Number(n) === 0) break;
        if (Date.now() > deadline) throw new DataError(`ClickHouse at ${url.origin}: deleting the rows of file ${fileId} did not finish within ${this.timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async append(file: LoadedFile, rows: readonly EventRow[]): Promise<void> {
    let body = "";
    for (const r of rows) body += tsvLine(r, this.hasCompanionType);
    // Through a Distributed table the insert waits until every shard has its part (not queued in the background).
    const settings: Record<string, string> = this.urls.length > 1 ? { insert_distributed_sync: "1" } : {};
    await this.request(this.urls[0], `INSERT INTO ${this.table} FORMAT TabSeparated`, body, settings);
    await this.record(file);
  }

  async record(f: LoadedFile): Promise<void> {
    const values = [
      clickhouseString(f.fileId), clickhouseString(f.sourceFile), f.sizeBytes, f.headBytes, f.events, f.read, f.parsed, f.rejected,
      f.complete ? 1 : 0, Date.now(), clickhouseString(f.parseSettings ?? ""),
    ];
    const columns = "file_id, source_file, size_bytes, head_bytes, events, read, parsed, rejected, complete, updated_ms, parse_settings";
    await this.request(this.urls[0], `INSERT INTO ${this.database}.loaded_files (${columns}) VALUES (${values.join(", ")})`);
  }

  async close(): Promise<void> {
    // HTTP: nothing held open between requests.
  }
}

/**
 * Connect to ClickHouse over HTTP (its own protocol; works with Debian's 18.16 and current releases) as a
 * store of parsed events. One URL: a MergeTree table `DB.events`. Several URLs (the shards of a
 * `remote_servers` cluster): `DB.events_local` on each and a Distributed table `DB.events` over them; the
 * same feature SQL runs on either. Values in SQL are escaped string literals (18.16 has no query
 * parameters); rows are sent as TabSeparated. With `create`, a database made by an earlier siemlab gets the
 * columns added since (`loaded_files.parse_settings`, empty for its old records). Throws an OptionError for a
 * URL that is not http(s) or a bad database/cluster name, and a DataError naming the address when a server
 * is down or answers an error.
 *
 * @example
 * // Two shards of a remote_servers cluster (`node scripts/clickhouse.js start` starts such a pair):
 * //   const ch = await openClickHouse(["http://127.0.0.1:8123", "http://127.0.0.1:8124"], { database: "siem", create: true });
 * //   const f = await ch.windowCounts({ by: "srcIp", window: "1m", filter: "failed_password" });
 * await openClickHouse("http://127.0.0.1:1"); // throws: ClickHouse at http://127.0.0.1:1: cannot connect
 */
export async function openClickHouse(urls: string | readonly string[], options: ClickHouseOptions = {}): Promise<EventStore> {
  const list = typeof urls === "string" ? urls.split(",").map((s) => s.trim()).filter((s) => s !== "") : [...urls];
  if (list.length === 0) throw new OptionError("Expected a ClickHouse URL such as http://127.0.0.1:8123");
  const parsed = list.map((s) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new OptionError(`ClickHouse address '${s}' is not a URL; expected e.g. http://127.0.0.1:8123`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new OptionError(`ClickHouse address '${s}' is not an http(s) URL; expected e.g. http://127.0.0.1:8123`);
    return u;
  });
  // `?database=` / `?cluster=` may sit on any of the URLs (usually the last: clickhouse:URL1,URL2?database=x).
  const param = (name: string): string | undefined => {
    const values = [...new Set(parsed.map((u) => u.searchParams.get(name)).filter((v): v is string => v !== null))];
    if (values.length > 1) throw new OptionError(`The ClickHouse URLs name different ${name}s: ${values.join(", ")}`);
    return values[0];
  };
  const database = options.database ?? param("database") ?? "siemlab";
  const cluster = options.cluster ?? param("cluster") ?? "siemlab";
  for (const [what, v] of [["database", database], ["cluster", cluster]] as const) {
    if (!IDENTIFIER.test(v)) throw new OptionError(`Expected the ClickHouse ${what} to be a plain name (letters, digits, _), got ${JSON.stringify(v)}`);
  }
  const store = new ClickHouseStore(parsed, database, parsed.length > 1 ? cluster : undefined, options.timeoutMs ?? 300_000);
  await store.init(options.create ?? false);
  return store;
}
