import * as fs from "node:fs";
import * as path from "node:path";
import { sharedDatasetsDir } from "../../src/ingest/datasets";

/** Minimal independent RFC 4180 reader for the Loghub structured CSVs (test fixture, not the code under test). */
export function readCsvRecords(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; }
    else field += c;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/** Path of a Loghub file in the shared datasets, and whether the shared datasets are present. */
export function loghubFile(system: string, suffix = ""): string {
  return path.join(sharedDatasetsDir(), "loghub", system, `${system}_2k.log${suffix}`);
}

export const loghubPresent = ["OpenSSH", "Linux", "Apache"].every((s) => fs.existsSync(loghubFile(s)) && fs.existsSync(loghubFile(s, "_structured.csv")));
if (!loghubPresent) console.warn(`[siemlab tests] Loghub samples not found under ${sharedDatasetsDir()}: Loghub parser tests are skipped.`);
