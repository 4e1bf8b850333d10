import { parseAllDocuments } from "yaml";
import type { RuleDiagnostic } from "./rule-diagnostic";

/** Limits that keep hostile YAML (alias bombs, huge files) from exhausting memory. */
export interface SigmaYamlOptions {
  /** File name used in diagnostics. Default: none. */
  readonly file?: string;
  /** Largest accepted text, in UTF-16 code units (≈ bytes for ASCII). Default: 1 MiB (1_048_576). */
  readonly maxBytes?: number;
  /** Most alias (`*name`) expansions per document, passed to yaml's `toJS({ maxAliasCount })`. Default: 50. */
  readonly maxAliasCount?: number;
  /** Most YAML documents (`---` separated) per file. Default: 500. */
  readonly maxDocuments?: number;
}

/** One YAML document of a rule file, converted to plain data. */
export interface SigmaYamlDocument {
  /** 0-based index of the document in the file. */
  readonly index: number;
  readonly value: unknown;
}

/** The documents of a rule file that parsed, plus a diagnostic for each that did not. */
export interface SigmaYamlResult {
  readonly documents: SigmaYamlDocument[];
  readonly diagnostics: RuleDiagnostic[];
}

/**
 * Parse the YAML text of a Sigma rule file (one or more `---` separated documents) with the `yaml`
 * package (YAML 1.2 core schema, duplicate keys refused). Text longer than `maxBytes` is refused before
 * parsing; a document whose aliases expand more than `maxAliasCount` times is refused ("alias bomb");
 * both give a diagnostic instead of throwing, and a broken document never hides the others. Every syntax
 * error of a document is a diagnostic of its own, with its line and column.
 *
 * @example
 * parseSigmaYaml("title: a\n---\ntitle: b\n").documents.map((d) => d.value) // [{ title: "a" }, { title: "b" }]
 * parseSigmaYaml("x".repeat(2e6)).diagnostics[0].message // "file is 2000000 characters, over the 1048576 limit; split it or raise maxBytes"
 */
export function parseSigmaYaml(text: string, options: SigmaYamlOptions = {}): SigmaYamlResult {
  const file = options.file;
  const maxBytes = options.maxBytes ?? 1 << 20;
  const maxAliasCount = options.maxAliasCount ?? 50;
  const maxDocuments = options.maxDocuments ?? 500;
  const documents: SigmaYamlDocument[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  if (text.length > maxBytes) {
    diagnostics.push({
      severity: "error",
      file,
      message: `file is ${text.length} characters, over the ${maxBytes} limit; split it or raise maxBytes`,
    });
    return { documents, diagnostics };
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    diagnostics.push({ severity: "error", file, message: `YAML: ${(e as Error).message}` });
    return { documents, diagnostics };
  }
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > maxDocuments) {
    diagnostics.push({ severity: "error", file, message: `file has ${list.length} YAML documents, over the ${maxDocuments} limit` });
    return { documents, diagnostics };
  }
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // Every error of the document (a file with two mistakes shows both), each at its line and column.
      for (const err of doc.errors) {
        // The position as line and column of the file (the parser gives an offset; linePos only with prettyErrors).
        const at = err.pos?.[0];
        let where = "";
        if (typeof at === "number" && at >= 0 && at <= text.length) {
          const before = text.slice(0, at);
          const line = before.split("\n").length;
          where = ` line ${line}, column ${at - before.lastIndexOf("\n")}`;
        }
        diagnostics.push({
          severity: "error",
          file,
          document: index,
          message: `YAML${where}: ${err.message.split("\n")[0]}`,
        });
      }
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount });
      if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
      documents.push({ index, value });
    } catch (e) {
      const msg = (e as Error).message;
      diagnostics.push({
        severity: "error",
        file,
        document: index,
        message: /alias count/i.test(msg)
          ? `YAML aliases expand more than ${maxAliasCount} times (possible alias bomb); refused`
          : `YAML: ${msg}`,
      });
    }
  });
  return { documents, diagnostics };
}
