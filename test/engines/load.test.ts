// loadFiles: every line accounted for, resumable per file (skip complete, continue cut or grown files, know
// a rotated copy), nothing loaded twice; features from the store equal the file's.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFiles } from "../../src/engines/load";
import type { EventStore } from "../../src/engines/source";
import { windowCounts } from "../../src/features/window-counts";
import { parseLog } from "../../src/ingest/parse-log";
import { canonical, clickhouseUrls, engineCases, tempDir, type EngineCase } from "./engines-support";

const AUTH = "data/sim/auth.log";
const parse = { year: 2025 };
const lines = fs.readFileSync(AUTH, "utf8").split("\n").filter((l) => l !== "");
let cases: EngineCase[] = [];
const dir = tempDir("siemlab-load-");

beforeAll(async () => {
  cases = engineCases(await clickhouseUrls());
}, 60_000);

/** Full-file reference: the in-memory features of the whole log. */
async function reference(file: string) {
  const { events } = await parseLog(file, parse);
  const o = { by: "srcIp" as const, window: "1m", filter: "failed_password", features: ["count", "failures", "distinctUsers"] as const };
  return { events, o, want: canonical(windowCounts(events, { ...o, features: [...o.features] })) };
}

/** Every event type's window counts (count, failures) of a source, for comparing a store with the file. */
async function everyType(windowCountsOf: (o: Parameters<typeof windowCounts>[1]) => Promise<ReturnType<typeof windowCounts>>, types: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const t of types) out[t] = canonical(await windowCountsOf({ by: "srcIp", window: "1m", filter: t, features: ["count", "failures"] }));
  return out;
}

describe("loadFiles", () => {
  it("a file that grew after a complete load answers as the whole file, for every event type, wherever it was cut", async () => {
    // Cuts right after a PAM / 'Invalid user' record whose sshd 'Failed password' follows: at the first load's end
    // that record stood alone; in the grown file it is the attempt's companion. Also a cut inside a line.
    const { events } = await parseLog(AUTH, parse);
    const types = [...new Set(events.map((e) => e.eventType))].sort();
    const want = await everyType(async (o) => windowCounts(events, o), types);
    const cuts: number[] = [];
    for (let i = 200; i < lines.length - 1 && cuts.length < 3; i++) {
      if (/authentication failure|Invalid user/.test(lines[i - 1]) && /Failed password/.test(lines[i])) cuts.push(i);
    }
    expect(cuts.length).toBe(3);
    const whole = lines.join("\n") + "\n";
    const byteCuts = [...cuts.map((i) => Buffer.byteLength(lines.slice(0, i).join("\n") + "\n")), Buffer.byteLength(lines.slice(0, 500).join("\n")) - 7];
    for (const c of cases) {
      for (const cut of byteCuts) {
        const log = path.join(dir, `cut-${c.name.replace(/\W/g, "")}-${cut}.log`);
        fs.writeFileSync(log, whole.slice(0, cut));
        const store = await c.open();
        try {
          const [first] = await loadFiles(store, [log], { parse });
          expect(first.status).toBe("loaded");
          fs.writeFileSync(log, whole);
          const [grown] = await loadFiles(store, [log], { parse });
          expect([grown.status, grown.alreadyStored, grown.stored], `${c.name} cut at byte ${cut}`).toEqual(["reloaded", first.stored, events.length]);
          expect(await everyType((o) => store.windowCounts(o), types), `${c.name} cut at byte ${cut}`).toEqual(want);
          const [again] = await loadFiles(store, [log], { parse });
          expect(again.status).toBe("skipped");
        } finally {
          await store.close();
        }
      }
    }
  }, 240_000);

  it("loads a log with every line accounted for, skips it on a re-run, and answers as the file does", async () => {
    const { events, o, want } = await reference(AUTH);
    for (const c of cases) {
      const store = await c.open();
      try {
        const [r] = await loadFiles(store, [AUTH], { parse, batchSize: 300 });
        const n = r.summary!.counts;
        expect([r.status, n.read, n.parsed + n.rejected, r.stored], c.name).toEqual(["loaded", lines.length, n.read, events.length]);
        const [again] = await loadFiles(store, [AUTH], { parse });
        expect([again.status, again.stored, again.alreadyStored], c.name).toEqual(["skipped", 0, events.length]);
        expect(canonical(await store.windowCounts({ ...o, features: [...o.features] })), c.name).toEqual(want);
        expect(await store.storedEvents(r.fileId)).toBe(events.length);
      } finally {
        await store.close();
      }
    }
  });

  it("resumes a cut load after its stored batches and loads only what a grown file added", async () => {
    const { events, o, want } = await reference(AUTH);
    for (const c of cases) {
      const log = path.join(dir, `grow-${c.name.replace(/\W/g, "")}.log`);
      fs.writeFileSync(log, lines.slice(0, 700).join("\n") + "\n");
      const store = await c.open();
      try {
        // A load that dies after two batches of 100 events (the third insert fails).
        let appends = 0;
        const dying: EventStore = Object.create(store, {
          append: { value: (f: never, rows: never) => (++appends > 2 ? Promise.reject(new Error("killed")) : store.append(f, rows)) },
        });
        await expect(loadFiles(dying, [log], { parse, batchSize: 100 })).rejects.toThrow("killed");
        const [resumed] = await loadFiles(store, [log], { parse, batchSize: 100 });
        expect([resumed.status, resumed.alreadyStored], c.name).toEqual(["resumed", 200]);
        // The log grows after the complete load: read again, its earlier events replaced.
        fs.appendFileSync(log, lines.slice(700).join("\n") + "\n");
        const [grown] = await loadFiles(store, [log], { parse });
        expect([grown.status, grown.alreadyStored, grown.stored], c.name).toEqual(["reloaded", resumed.alreadyStored + resumed.stored, events.length]);
        expect(await store.storedEvents(grown.fileId), c.name).toBe(events.length);
        expect(canonical(await store.windowCounts({ ...o, features: [...o.features] })), c.name).toEqual(want);
        // A rotated copy (same content, another name) is recognised, not loaded twice.
        const rotated = log + ".1";
        fs.copyFileSync(log, rotated);
        const [copy] = await loadFiles(store, [rotated], { parse });
        expect([copy.status, copy.sameAs], c.name).toEqual(["skipped", path.resolve(log)]);
        // A file that shrank (same first 4 KiB, fewer bytes) is refused, not reloaded.
        fs.writeFileSync(log, lines.slice(0, 100).join("\n") + "\n");
        await expect(loadFiles(store, [log], { parse }), c.name).rejects.toThrow(/smaller .* than when it was loaded/);
      } finally {
        await store.close();
      }
    }
  });

  it("refuses to continue when the store holds rows its record does not count (a cut between rows and record)", async () => {
    const store = await cases[0].open();
    try {
      const log = path.join(dir, "cut.log");
      fs.writeFileSync(log, lines.slice(0, 50).join("\n") + "\n");
      const [r] = await loadFiles(store, [log], { parse });
      fs.appendFileSync(log, lines.slice(50, 60).join("\n") + "\n");
      const [rec] = (await store.loadedFiles()).filter((f) => f.fileId === r.fileId);
      // Rows stored without their record moving on: what a ClickHouse load cut between the two leaves.
      const { events } = await parseLog(log, parse);
      const { eventRow } = await import("../../src/engines/event-row");
      await store.append(rec, [eventRow(events[events.length - 1], r.fileId, rec.sourceFile)]);
      await expect(loadFiles(store, [log], { parse })).rejects.toThrow(new RegExp(`holds ${rec.events + 1} events of .* record says ${rec.events}`));
      await expect(loadFiles(store, [path.join(dir, "missing.log")])).rejects.toThrow(/Cannot load .*missing\.log/);
    } finally {
      await store.close();
    }
  });
});
