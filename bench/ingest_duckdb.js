/**
 * DuckDB side of bench/ingest.ts (run with plain node in a process of its own, no TypeScript loader in the
 * timing): failed passwords per source address per minute with `read_csv` (one VARCHAR column) +
 * `regexp_extract` + `GROUP BY` on the address and the stamp's minute text, the grouped rows' minutes then
 * written as ISO text, the table written as CSV "ip,minute,count" (like siemlab's window_start).
 * Extensions are neither installed nor loaded (nothing may download here). Prints one JSON line.
 *
 *   node bench/ingest_duckdb.js AUTH_LOG THREADS YEAR OUT.csv
 *   node bench/ingest_duckdb.js --csv EXPORT.csv THREADS OUT.csv   (section 3: a SIEM export read with read_csv's
 *                                     own header and type detection, failed logins per src_ip per minute)
 */
const { DuckDBInstance } = require("@duckdb/node-api");

const FAILED = String.raw`^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ sshd\[\d+\]: Failed password for (?:invalid user )?.*? from (\S+) port \d+`;
const q = (s) => `'${s.replace(/'/g, "''")}'`;

async function exportCsv(file, threads, out) {
  const db = await DuckDBInstance.create(":memory:", { threads, autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const c = await db.connect();
  await c.run(
    `CREATE TEMP TABLE g AS SELECT src_ip AS ip, strftime(date_trunc('minute', _time::TIMESTAMPTZ AT TIME ZONE 'UTC'), '%Y-%m-%dT%H:%M:00.000Z') AS minute, ` +
      `count(*)::BIGINT AS n FROM read_csv(${q(file)}, header = true) WHERE action = 'login_failed' GROUP BY ALL`,
  );
  await c.run(`COPY g TO ${q(out)} (HEADER)`);
  const rows = (await c.runAndReadAll("SELECT count(*)::BIGINT, coalesce(sum(n), 0)::BIGINT FROM g")).getRows();
  console.log(JSON.stringify({ groups: Number(rows[0][0]), total: Number(rows[0][1]) }));
}

async function main() {
  if (process.argv[2] === "--csv") return exportCsv(...process.argv.slice(3));
  const [file, threads, year, out] = process.argv.slice(2);
  const db = await DuckDBInstance.create(":memory:", { threads, autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const c = await db.connect();
  await c.run(
    `CREATE TEMP TABLE g AS SELECT ip, strftime(strptime(k || ' ${Number(year)}', '%b %d %H:%M %Y'), '%Y-%m-%dT%H:%M:00.000Z') AS minute, n FROM (` +
      `SELECT m.ip AS ip, substr(m.ts, 1, 12) AS k, count(*)::BIGINT AS n ` +
      `FROM (SELECT regexp_extract(line, ${q(FAILED)}, ['ts', 'ip']) AS m ` +
      `FROM read_csv(${q(file)}, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', auto_detect = false)) ` +
      `WHERE m.ip <> '' GROUP BY ALL)`,
  );
  await c.run(`COPY g TO ${q(out)} (HEADER)`);
  const rows = (await c.runAndReadAll("SELECT count(*)::BIGINT, coalesce(sum(n), 0)::BIGINT FROM g")).getRows();
  console.log(JSON.stringify({ groups: Number(rows[0][0]), total: Number(rows[0][1]) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
