import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OptionError } from "../../../src/errors";
import { alertText, consoleAlert, jsonLinesAlert, postJsonWithRetry, slackPayload, webhookAlert } from "../../../src/respond/executors/alert";
import { planResponse } from "../../../src/respond/plan";
import { POLICY, failures, finding } from "../helpers";
import { closedPort, startServer } from "../server";

const hostile = failures(1, "203.0.113.7", "alice").map((e) => ({ ...e, message: "Failed password for <script>alert(1)</script> & <!channel>" }));
const action = planResponse([finding({ events: hostile })], POLICY)[0];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("alert text and payload", () => {
  it("summarises the evidence in one line", () => {
    expect(alertText(action)).toBe(
      "[high] 203.0.113.7 (ip): anomaly 95.0/100, decision -0.2000 by iforest (2 detectors agree: iforest, rule:failed_logins); " +
        "window 2025-03-06T08:00:00.000Z – 2025-03-06T08:01:00.000Z, 1 event(s)",
    );
  });

  it("builds a Slack-compatible payload with log text escaped", () => {
    const p = slackPayload(action);
    expect(p.text).toBe(alertText(action));
    expect([p.mrkdwn, p.blocks.map((b) => b.text.type)]).toEqual([false, ["plain_text", "plain_text"]]);
    expect(p.blocks[1].text.text).toContain("• line 1: Failed password for &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;");
    expect(JSON.stringify(p)).not.toContain("<script>");
  });
});

describe("console and JSON-lines alerts", () => {
  it("write one line per alert", async () => {
    const lines: string[] = [];
    const out = await consoleAlert({ write: (l) => lines.push(l) }).execute(action);
    expect(out.ok).toBe(true);
    expect(lines).toEqual([`ALERT ${alertText(action)}`]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-alert-")), "sub", "alerts.jsonl");
    const ex = jsonLinesAlert({ path: file });
    await ex.execute(action);
    await ex.execute(action);
    const rows = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.type, r.tier, r.evidence.entity])).toEqual([["alert", "high", "203.0.113.7"], ["alert", "high", "203.0.113.7"]]);
    expect(() => jsonLinesAlert({ path: "" })).toThrow(OptionError);
  });
});

describe("webhook alert against a local server", () => {
  it("posts the Slack payload once when the endpoint answers 200", async () => {
    const srv = await startServer((_r, _i, res) => res.end("ok"));
    close = srv.close;
    const out = await webhookAlert({ url: `${srv.url}/services/T0/B0/SECRET` }).execute(action);
    expect(out).toEqual({ ok: true, detail: `POST ${srv.url}/…: HTTP 200`, attempts: 1 });
    expect(srv.received).toHaveLength(1);
    expect(srv.received[0].method).toBe("POST");
    expect(srv.received[0].headers["content-type"]).toBe("application/json");
    expect(JSON.parse(srv.received[0].body)).toEqual(slackPayload(action));
  });

  it("retries 5xx with back-off and succeeds on the third attempt", async () => {
    const srv = await startServer((_r, i, res) => {
      res.statusCode = i < 2 ? 503 : 200;
      res.end(i < 2 ? "busy" : "ok");
    });
    close = srv.close;
    const out = await webhookAlert({ url: srv.url, retries: 3, backoffMs: 5 }).execute(action);
    expect([out.ok, out.attempts, srv.received.length]).toEqual([true, 3, 3]);
  });

  it("gives up after the retries and returns a failed result (no throw)", async () => {
    const srv = await startServer((_r, _i, res) => {
      res.statusCode = 500;
      res.end("boom");
    });
    close = srv.close;
    const out = await webhookAlert({ url: srv.url, retries: 2, backoffMs: 1 }).execute(action);
    expect(out.ok).toBe(false);
    expect(out.attempts).toBe(3);
    expect(out.error).toBe("attempt 1: HTTP 500 boom; attempt 2: HTTP 500 boom; attempt 3: HTTP 500 boom");
  });

  it("does not retry a 4xx client error", async () => {
    const srv = await startServer((_r, _i, res) => {
      res.statusCode = 404;
      res.end("no_service");
    });
    close = srv.close;
    const out = await webhookAlert({ url: srv.url, retries: 3, backoffMs: 1 }).execute(action);
    expect([out.ok, out.attempts, srv.received.length]).toEqual([false, 1, 1]);
  });

  it("times out a hanging endpoint on every attempt", async () => {
    const srv = await startServer(() => {
      /* never answers */
    });
    close = srv.close;
    const out = await postJsonWithRetry(srv.url, { text: "x" }, { timeoutMs: 100, retries: 1, backoffMs: 1 });
    expect(out.ok).toBe(false);
    expect(out.error).toBe("attempt 1: timed out after 100 ms; attempt 2: timed out after 100 ms");
    expect(srv.received).toHaveLength(2);
  });

  it("reports a refused connection when the endpoint is down", async () => {
    const port = await closedPort();
    const out = await webhookAlert({ url: `http://127.0.0.1:${port}/hook`, retries: 1, backoffMs: 1 }).execute(action);
    expect(out.ok).toBe(false);
    expect(out.error).toBe("attempt 1: ECONNREFUSED; attempt 2: ECONNREFUSED");
  });

  it("validates its options", () => {
    expect(() => webhookAlert({ url: "not a url" })).toThrow(OptionError);
    expect(() => webhookAlert({ url: "file:///etc/passwd" })).toThrow(/http: or https:/);
    expect(() => webhookAlert({ url: "http://x", retries: -1 })).toThrow(OptionError);
  });
});

// New-user trial T12: bidi and ESC from logs reached the Slack text raw, and `*bold* _it_ `code`` user names
// formatted the alert.
describe("hostile user names in alerts (webhook to a 127.0.0.1 server)", () => {
  const USER = "*bold* _it_ `code` ~s~ adm\u202enimda \u001b[31mred\u001b]0;t\u0007 <!channel>\nline2";
  const evs = failures(2, "203.0.113.7", USER).map((e) => ({ ...e, message: `Failed password for ${USER} from 203.0.113.7` }));
  const userAction = planResponse([finding({ entity: USER, entityType: "user", events: evs, related: { users: [USER], ips: ["203.0.113.7"], hosts: [] } })], POLICY)
    .find((a) => a.kind === "alert")!;
  const RAW = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

  it("alert text: entity quoted, controls and line breaks escaped", () => {
    const t = alertText(userAction);
    expect(t).not.toMatch(RAW);
    expect(t.startsWith('[high] "*bold* _it_ `code` ~s~ adm\\u202enimda \\u001b[31mred\\u001b]0;t\\u0007 <!channel>\\nline2" (user): anomaly')).toBe(true);
  });

  it("the posted payload is unformatted text: no raw controls, formatting characters kept as text, <>& escaped", async () => {
    const srv = await startServer((_r, _i, res) => res.end("ok"));
    close = srv.close;
    const out = await webhookAlert({ url: `${srv.url}/hook` }).execute(userAction);
    expect(out.ok).toBe(true);
    const body = JSON.parse(srv.received[0].body);
    expect(body.mrkdwn).toBe(false);
    expect(body.blocks.map((b: { text: { type: string } }) => b.text.type)).toEqual(["plain_text", "plain_text"]);
    const texts: string[] = [body.text, ...body.blocks.map((b: { text: { text: string } }) => b.text.text)];
    for (const t of texts) {
      for (const line of t.split("\n")) expect(line).not.toMatch(RAW); // the event lines are the only line breaks
      expect(t).not.toContain("<!channel>");
      expect(t).toContain("*bold* _it_ `code` ~s~");
      expect(t).toContain("&lt;!channel&gt;");
    }
    // One line per event: a newline in a name does not start a line of its own.
    expect(body.blocks[1].text.text.split("\n")).toHaveLength(3);
    expect(body.blocks[1].text.text.split("\n")[1]).toBe(
      "• line 1: Failed password for *bold* _it_ `code` ~s~ adm\\u202enimda \\x1b[31mred\\x1b]0;t\\x07 &lt;!channel&gt;\\nline2 from 203.0.113.7",
    );
  });
});
