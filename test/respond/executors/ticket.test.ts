import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { safeFileName, ticketBaseId, ticketFile, ticketFor } from "../../../src/respond/executors/ticket";
import { planResponse } from "../../../src/respond/plan";
import { POLICY, T0, finding } from "../helpers";

const action = planResponse([finding()], POLICY).find((a) => a.kind === "open_ticket")!;

describe("tickets", () => {
  it("builds a deterministic ticket from the evidence", () => {
    const t = ticketFor(action);
    expect(ticketBaseId(action)).toMatch(new RegExp(`^high_open_ticket_203\\.0\\.113\\.7_${T0}-[0-9a-f]{12}$`));
    expect([t.id, t.actionId, t.title, t.severity, t.status, t.entity]).toEqual([
      ticketBaseId(action), `high:open_ticket:203.0.113.7:${T0}`, "[high] Anomalous activity from ip 203.0.113.7", "high", "open", "203.0.113.7",
    ]);
    expect(t.evidence.features).toEqual({ failures: 50, distinctUsers: 3 });
  });

  it("writes one JSON file per ticket with a safe name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-ticket-"));
    const out = await ticketFile({ dir }).execute(action);
    const id = ticketBaseId(action);
    const file = path.join(dir, `${id}.json`);
    expect(out).toEqual({ ok: true, detail: `wrote ticket ${id} to ${file}` });
    expect(JSON.parse(fs.readFileSync(file, "utf8")).title).toBe("[high] Anomalous activity from ip 203.0.113.7");
    expect(safeFileName("../../etc/passwd")).toBe("__.._etc_passwd"); // no path separators survive
  });
});

// New-user trial T12: ticket files held raw U+202E (and could hold ESC or a newline) in "title".
describe("tickets for hostile names", () => {
  it("title and description are display-safe; entity and evidence keep the exact name", async () => {
    const user = "adm\u202enimda\u001b[2J x, y\nline2";
    const a = planResponse([finding({ entity: user, entityType: "user", related: { users: [user], ips: [], hosts: [] } })], POLICY).find((x) => x.kind === "open_ticket")!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-ticket-"));
    try {
      expect((await ticketFile({ dir }).execute(a)).ok).toBe(true);
      const t = JSON.parse(fs.readFileSync(path.join(dir, `${ticketBaseId(a)}.json`), "utf8"));
      expect(t.title).toBe('[high] Anomalous activity from user "adm\\u202enimda\\u001b[2J x, y\\nline2"');
      expect(t.description.split("\n")).toHaveLength(2); // the alert line and the reason
      expect(`${t.title}${t.description}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2028\u2029]/);
      expect([t.entity, t.evidence.entity]).toEqual([user, user]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
