import { OptionError } from "../errors";
import { didYouMean } from "../options";
import { openClickHouse } from "./clickhouse";
import { openDuckDb } from "./duckdb";
import type { EventStore } from "./source";

/**
 * Open a store from an address as the CLI writes it: `duckdb:PATH` (a DuckDB file; created when `create`)
 * or `clickhouse:URL[,URL…]` (one server, or the shards of a Distributed table; `?database=NAME` on the
 * first URL picks the database, default 'siemlab'). Throws an OptionError for another scheme (with a
 * suggestion) and the engine's DataError, naming the address, when it cannot be reached.
 *
 * @example
 * const db = await openStore("duckdb:out/examples/store.duckdb", { create: true });
 * db.engine; // "duckdb"
 * await db.close();
 * await openStore("duckb:x.duckdb"); // throws: did you mean 'duckdb'
 */
export async function openStore(address: string, options: { readonly create?: boolean } = {}): Promise<EventStore> {
  const m = /^([A-Za-z]+):(.*)$/s.exec(address);
  const scheme = m?.[1].toLowerCase();
  const rest = m?.[2] ?? "";
  if (scheme === "duckdb" && rest !== "") return openDuckDb(rest, { create: options.create ?? false });
  if (scheme === "clickhouse" && rest !== "") return openClickHouse(rest, { create: options.create ?? false });
  throw new OptionError(
    `Expected a store address duckdb:PATH or clickhouse:URL (e.g. duckdb:siem.duckdb, clickhouse:http://127.0.0.1:8123), got ${JSON.stringify(address)}` +
      (scheme !== undefined && rest !== "" ? didYouMean(scheme, ["duckdb", "clickhouse"], "'") : ""),
  );
}
