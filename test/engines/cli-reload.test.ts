// `siemlab load` with other parse settings than a file was loaded with: refused (exit 1, both settings named,
// the store unchanged) instead of "already loaded; skipped"; `--reload` replaces the file's events, after
// which `features --from` prints what `features FILE` prints with the new settings.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clickhouseUrls, freshDatabase, runCliInProcess, tempDir } from "./engines-support";

const cli = runCliInProcess;

const dir = tempDir("siemlab-cli-reload-");
const lines = fs.readFileSync("data/sim/auth.log", "utf8").split("\n").filter((l) => l !== "");
const LOG = path.join(dir, "auth.log");
fs.writeFileSync(LOG, lines.join("\n") + "\n");
const OTHER = path.join(dir, "other.log");
fs.writeFileSync(OTHER, lines.slice(400).join("\n") + "\n"); // another head: another file
const QUERIES: string[][] = [
  ["features", "--event", "failed_password"],
  ["features", "--by", "user", "--window", "5m", "--sparse"],
];

let ch: [string, string] | undefined;
beforeAll(async () => {
  ch = await clickhouseUrls();
}, 60_000);

function stores(): string[] {
  const out = [`duckdb:${path.join(dir, `s${Math.random().toString(36).slice(2)}.duckdb`)}`];
  if (ch) out.push(`clickhouse:${ch[0]}?database=${freshDatabase()}`, `clickhouse:${ch[0]},${ch[1]}?database=${freshDatabase()}`);
  return out;
}

/** The output of each query from the store, and from the file read with `year`. */
async function outputs(store: string): Promise<string[]> {
  const out: string[] = [];
  for (const q of QUERIES) {
    const r = await cli([...q, "--from", store]);
    expect(r.code, r.err).toBe(0);
    out.push(r.out);
  }
  return out;
}
async function fileOutputs(year: string): Promise<string[]> {
  const out: string[] = [];
  for (const q of QUERIES) out.push((await cli([...q, LOG, "--year", year])).out);
  return out;
}

describe("siemlab load: other parse settings", () => {
  it("refuses another --year (exit 1, both named, store unchanged); --reload replaces the events", async () => {
    const want2025 = await fileOutputs("2025");
    const want2024 = await fileOutputs("2024");
    expect(want2024).not.toEqual(want2025);
    for (const store of stores()) {
      const first = await cli(["load", LOG, "--into", store, "--year", "2025"]);
      expect(first.code, first.err).toBe(0);
      const same = await cli(["load", LOG, "--into", store, "--year", "2025"]);
      expect([same.code, same.err], store).toEqual([0, expect.stringContaining(`${LOG}: already loaded (${lines.length} events); skipped\n`)]);
      const other = await cli(["load", LOG, "--into", store, "--year", "2024"]);
      expect(other.code, store).toBe(1);
      expect(other.err, store).toContain(`${LOG}: refused: loaded before with other parse settings; its ${lines.length} stored events are unchanged:\n`);
      expect(other.err, store).toContain("  year (--year): stored 2025 (given), asked 2024 (given)\n");
      expect(other.err, store).toContain("to keep them, load it as it was loaded (--year 2025); to replace them with events read with these settings, add --reload\n");
      expect(other.err, store).toMatch(/1 file \(1 refused\), 0 events stored/);
      expect(await outputs(store), store).toEqual(want2025);
      const tz = await cli(["load", LOG, "--into", store, "--year", "2025", "--tz", "Europe/Berlin"]);
      expect([tz.code, tz.err], store).toEqual([1, expect.stringContaining("  timeZone (--tz): stored UTC, asked Europe/Berlin\n")]);
      const reload = await cli(["load", LOG, "--into", store, "--year", "2024", "--reload"]);
      expect(reload.code, reload.err).toBe(0);
      expect(reload.err, store).toContain(`${lines.length} events stored (reloaded with --reload: the ${lines.length} events stored before were replaced)`);
      expect(await outputs(store), store).toEqual(want2024);
      const now = await cli(["load", LOG, "--into", store, "--year", "2024"]);
      expect([now.code, now.err], store).toEqual([0, expect.stringContaining("already loaded")]);
    }
  }, 300_000);

  it("several files in one load: the one loaded with other settings is refused, the others skipped or loaded; exit 1", async () => {
    for (const store of stores()) {
      expect((await cli(["load", LOG, "--into", store, "--year", "2024"])).code).toBe(0);
      const r = await cli(["load", LOG, OTHER, "--into", store, "--year", "2025"]);
      expect(r.code, store).toBe(1);
      expect(r.err, store).toContain(`${LOG}: refused: loaded before with other parse settings`);
      expect(r.err, store).toContain(`${OTHER}:\n`);
      expect(r.err, store).toContain(`\nsiemlab: ${lines.length - 400} events stored\n`);
      expect(r.err, store).toContain(`2 files (1 refused), ${lines.length - 400} events stored into`);
      const again = await cli(["load", OTHER, LOG, "--into", store, "--year", "2025", "--reload"]);
      expect(again.code, again.err).toBe(0);
      expect(again.err.match(/reloaded with --reload/g)?.length, store).toBe(2);
      // Both files now read with 2025: no event of the 2024 load is left.
      const rows = (await cli(["features", "--from", store, "--by", "user", "--window", "1h", "--sparse"])).out;
      expect([rows.includes(",2025-03-06T"), rows.includes(",2024-")], store).toEqual([true, false]);
    }
  }, 300_000);

  it("--reload belongs to load only", async () => {
    expect((await cli(["features", LOG, "--reload"])).err).toContain("--reload only applies to 'siemlab load'");
    expect((await cli(["features", "--from", "duckdb:x.duckdb", "--reload"])).code).toBe(2);
    expect((await cli(["parse", LOG, "--reload"])).code).toBe(2);
    expect((await cli(["load", LOG, "--into", "duckdb:x.duckdb", "--relaod"])).err).toContain("did you mean '--reload'");
  });
});
