import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLog, loadAuditLog } from "../../src/respond/audit";
import { Deduplicator } from "../../src/respond/dedup";
import { executePlan, previewAction, respond } from "../../src/respond/execute-plan";
import { consoleAlert, webhookAlert } from "../../src/respond/executors/alert";
import { blockIpCommandFile } from "../../src/respond/executors/block-ip";
import type { Executor } from "../../src/respond/executors/executor";
import { ticketFile } from "../../src/respond/executors/ticket";
import { planResponse } from "../../src/respond/plan";
import { POLICY, T0, finding } from "./helpers";
import { closedPort } from "./server";

const NOW = () => Date.UTC(2025, 5, 1, 12, 0, 0);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-exec-"));
const brief = (rows: { action: string; target: string; status: string; executor: string }[]) =>
  rows.map((r) => `${r.action} ${r.target} ${r.status} ${r.executor}`);

/** An executor that counts calls; used to prove nothing runs in a dry run. */
function spy(kind: Executor["kind"]): Executor & { calls: number } {
  const ex = {
    name: `spy-${kind}`,
    kind,
    calls: 0,
    render: () => `would ${kind}`,
    async execute() {
      ex.calls++;
      return { ok: true, detail: `did ${kind}` };
    },
  };
  return ex;
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("executePlan", () => {
  it("is a dry run by default: renders every action, executes none, audits all", async () => {
    const plan = planResponse([finding(), finding({ entity: "10.0.0.9" })], POLICY);
    const alert = spy("alert");
    const { rows } = await executePlan(plan, { executors: [alert], now: NOW });
    expect(alert.calls).toBe(0);
    expect(brief(rows)).toEqual([
      "alert 203.0.113.7 dry_run spy-alert",
      "block_ip 203.0.113.7 dry_run preview",
      "lock_user 203.0.113.7 skipped_no_target none",
      "open_ticket 203.0.113.7 dry_run preview",
      "alert 10.0.0.9 dry_run spy-alert",
      "block_ip 10.0.0.9 skipped_allowlist none",
      "lock_user 10.0.0.9 skipped_no_target none",
      "open_ticket 10.0.0.9 dry_run preview",
    ]);
    expect(rows[1]).toMatchObject({
      ts: "2025-06-01T12:00:00.000Z", dryRun: true, detail: "nft add element inet filter siemlab_blocklist { 203.0.113.7 }",
      entity: "203.0.113.7", windowStart: "2025-03-06T08:00:00.000Z", tier: "high", detector: "iforest", error: "",
    });
    expect(rows[5].error).toMatch(/private\/internal range 10\.0\.0\.0\/8/);
  });

  it("executes for real only with dryRun: false AND a configured executor for the kind", async () => {
    const dir = tmp();
    const plan = planResponse([finding()], POLICY);
    const alert = spy("alert");
    const { rows } = await executePlan(plan, {
      dryRun: false,
      executors: [alert, blockIpCommandFile({ path: path.join(dir, "block.nft") })],
      now: NOW,
    });
    expect(alert.calls).toBe(1);
    expect(brief(rows)).toEqual([
      "alert 203.0.113.7 executed spy-alert",
      "block_ip 203.0.113.7 executed nftables-file",
      "lock_user 203.0.113.7 skipped_no_target none",
      "open_ticket 203.0.113.7 dry_run preview",
    ]);
    expect(rows[3].detail).toMatch(/^\(no open_ticket executor configured: not executed\) \{"id":/);
    expect(fs.readFileSync(path.join(dir, "block.nft"), "utf8")).toBe("nft add element inet filter siemlab_blocklist { 203.0.113.7 }\n");
  });

  it("does not repeat the same entity and action within the dedup window", async () => {
    const fs3 = [0, 1, 61].map((m) => finding({ windowStart: T0 + m * 60_000, windowEnd: T0 + (m + 1) * 60_000, detectors: ["iforest"], anomalyScore: 80 }));
    const plan = planResponse(fs3, POLICY);
    const { rows } = await executePlan(plan, { dedupWindowSeconds: 3600 });
    expect(rows.map((r) => `${r.windowStart.slice(11, 16)} ${r.status}`)).toEqual(["08:00 dry_run", "08:01 deduplicated", "09:01 dry_run"]);
    expect(rows[1].error).toBe("alert 203.0.113.7 already decided for the window at 2025-03-06T08:00:00.000Z (within 3600 s)");
    // A shared Deduplicator carries the memory across batches; window 0 disables dedup.
    const dedup = new Deduplicator({ windowSeconds: 3600 });
    await executePlan(plan.slice(0, 1), { dedup });
    expect((await executePlan(plan.slice(1, 2), { dedup })).rows[0].status).toBe("deduplicated");
    expect((await executePlan(plan, { dedupWindowSeconds: 0 })).rows.map((r) => r.status)).toEqual(["dry_run", "dry_run", "dry_run"]);
  });

  it("records a failing webhook as failed without throwing, and keeps going", async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const plan = planResponse([finding({ detectors: ["iforest"], anomalyScore: 80 })], POLICY);
    const { rows } = await executePlan(plan, {
      dryRun: false,
      executors: [webhookAlert({ url: `http://127.0.0.1:${port}/hook`, retries: 1, backoffMs: 1 }), consoleAlert({ write: (l) => lines.push(l) })],
    });
    expect(brief(rows)).toEqual(["alert 203.0.113.7 failed webhook", "alert 203.0.113.7 executed console"]);
    expect(rows[0].error).toBe("attempt 1: ECONNREFUSED; attempt 2: ECONNREFUSED (2 attempt(s))");
    expect(lines).toHaveLength(1);
  });

  it("rejects an invalid target at render time even if the plan was tampered with", async () => {
    const plan = planResponse([finding()], POLICY).map((a) => (a.kind === "block_ip" ? { ...a, target: "1.2.3.4 && x" } : a));
    const { rows } = await executePlan(plan, { dryRun: false, executors: [blockIpCommandFile({ path: path.join(tmp(), "b.nft") })] });
    expect(rows[1]).toMatchObject({ status: "rejected_invalid", executor: "nftables-file" });
    expect(() => previewAction(plan[1])).toThrow(/Invalid IP address/);
  });

  it("appends to an audit file that loads back as rows and a DataFrame (round trip)", async () => {
    const file = path.join(tmp(), "audit", "audit.jsonl");
    const audit = new AuditLog({ path: file });
    const dir = tmp();
    const { rows, plan } = await respond([finding(), finding({ entity: "alice", entityType: "user" })], POLICY, {
      audit, now: NOW, dryRun: false, executors: [ticketFile({ dir })],
    });
    expect(plan).toHaveLength(8);
    expect(rows.map((r) => r.status)).toEqual(["dry_run", "dry_run", "skipped_no_target", "executed", "dry_run", "deduplicated", "dry_run", "executed"]);
    expect(audit.rows).toEqual(rows);
    fs.appendFileSync(file, '{"cut short by a cra\n');
    const loaded = loadAuditLog(file);
    expect(loaded.rows).toEqual(rows);
    expect(loaded.rejects).toEqual([{ lineNo: 9, raw: '{"cut short by a cra', reason: expect.stringMatching(/^invalid JSON/) }]);
    expect(loaded.frame.shape).toEqual([8, 17]);
    expect(loaded.frame.columns.slice(0, 7)).toEqual(["ts", "actionId", "action", "target", "targetType", "tier", "status"]);
    expect(loaded.frame.column("status").values).toEqual(rows.map((r) => r.status));
    expect(fs.readdirSync(dir)).toHaveLength(2);
    expect(audit.toDataFrame().shape).toEqual([8, 17]);
    expect(new AuditLog().toDataFrame().shape).toEqual([0, 17]);
  });

  it("records the decision value under scikit-learn's name and reads older logs' `score` as `decision`", async () => {
    const { rows } = await respond([finding()], POLICY, { now: NOW });
    expect(rows[0].decision).toBe(-0.2);
    expect("score" in rows[0]).toBe(false);
    const file = path.join(tmp(), "old.jsonl");
    const { decision, ...rest } = rows[0];
    fs.writeFileSync(file, JSON.stringify({ ...rest, score: decision }) + "\n");
    const loaded = loadAuditLog(file);
    expect(loaded.rows).toEqual([rows[0]]);
    expect(loaded.frame.column("decision").values).toEqual([-0.2]);
  });
});
