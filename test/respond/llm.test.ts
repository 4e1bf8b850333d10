import { afterEach, describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { buildSummaryPrompt, formatLlmSummary, llmSummary } from "../../src/respond/llm";
import { incidentFacts, summarizeIncident } from "../../src/respond/summary";
import { T0, failures, finding } from "./helpers";
import { closedPort, startServer } from "./server";

const API_KEY = "sk-test-DO-NOT-SEND-0123456789";
const events: LogEvent[] = [
  ...failures(4, "203.0.113.7", "alice"),
  { lineNo: 9, time: T0 + 5000, eventType: "other", user: "alice", srcIp: "203.0.113.7", message: "login attempt user=alice password=hunter2 token=tok_ABC" },
];
const f = finding({ entity: "alice", entityType: "user", events, related: { users: ["alice"], ips: ["203.0.113.7"], hosts: [] } });
const template = summarizeIncident(f, { events }).text;
const env = {};
const reply = (content: unknown) => JSON.stringify({ id: "x", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content } }] });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("llmSummary against a local chat-completions server", () => {
  it("sends a redacted prompt built from the evidence and restores placeholders in the reply", async () => {
    const srv = await startServer((req, _i, res) => {
      res.setHeader("content-type", "application/json");
      res.end(reply("<think>hidden</think>USER_1 was brute-forced from IP_1; lock USER_1 and block IP_1."));
    });
    close = srv.close;
    const s = await llmSummary(f, { baseUrl: `${srv.url}/v1/`, model: "tiny", apiKey: API_KEY, events, env });
    expect(s.source).toBe("llm");
    expect(s.note).toBeUndefined();
    expect(s.text).toBe("alice was brute-forced from 203.0.113.7; lock alice and block 203.0.113.7.");
    expect(s.template).toBe(template);
    const req = srv.received[0];
    expect([req.method, req.url, req.headers.authorization]).toEqual(["POST", "/v1/chat/completions", `Bearer ${API_KEY}`]);
    const body = JSON.parse(req.body);
    expect([body.model, body.temperature, body.stream, body.messages.length]).toEqual(["tiny", 0, false, 2]);
    // The server-side check: no secret, no password, no real username or IP in what was sent.
    for (const secret of [API_KEY, "hunter2", "tok_ABC", "alice", "203.0.113.7"]) expect(req.body).not.toContain(secret);
    expect(req.body).toContain("USER_1");
    expect(req.body).toContain("IP_1");
    expect(body.messages).toEqual(s.prompt);
    expect(s.redactions).toMatchObject({ "key=value credential": 2 });
  });

  it("can keep entities and drop fields when configured", async () => {
    const { messages } = buildSummaryPrompt(incidentFacts(f, { events }), { redactEntities: false, omitFields: ["sampleMessages"] });
    expect(messages[1].content).toContain("203.0.113.7");
    expect(messages[1].content).not.toContain("sampleMessages");
    expect(messages[1].content).not.toContain("hunter2");
  });

  it("falls back with a note when nothing is configured (offline default)", async () => {
    const s = await llmSummary(f, { events, env });
    expect([s.source, s.text]).toEqual(["template", template]);
    expect(s.note).toBe(
      "LLM summary unavailable: no endpoint configured (set SIEMLAB_LLM_BASE_URL and SIEMLAB_LLM_MODEL, or pass baseUrl and model). Showing the deterministic summary.",
    );
    expect(s.prompt[1].content).toMatch(/^<<<UNTRUSTED_EVIDENCE id=[0-9a-f]{16}>>>\n/);
    expect(formatLlmSummary(s)).toMatch(/^Note: LLM summary unavailable[\s\S]*\(deterministic template summary\)$/);
    const noModel = await llmSummary(f, { env: { SIEMLAB_LLM_BASE_URL: "http://127.0.0.1:1/v1" } });
    expect(noModel.note).toMatch(/no model configured/);
    const badUrl = await llmSummary(f, { env: { SIEMLAB_LLM_BASE_URL: "ftp://x", SIEMLAB_LLM_MODEL: "m" } });
    expect(badUrl.note).toMatch(/not an http\(s\) URL/);
  });

  it("reads its configuration from the environment", async () => {
    const srv = await startServer((_r, _i, res) => res.end(reply("ok summary")));
    close = srv.close;
    const s = await llmSummary(f, { env: { SIEMLAB_LLM_BASE_URL: srv.url, SIEMLAB_LLM_MODEL: "m1", SIEMLAB_LLM_API_KEY: "" } });
    expect([s.source, s.text, s.model]).toEqual(["llm", "ok summary", "m1"]);
    expect(srv.received[0].headers.authorization).toBeUndefined();
  });

  it.each([
    ["HTTP 500", (res: import("node:http").ServerResponse) => { res.statusCode = 500; res.end("model crashed"); }, "the endpoint answered HTTP 500: model crashed"],
    ["malformed JSON", (res: import("node:http").ServerResponse) => res.end("{not json"), "the reply was not JSON"],
    ["empty choices", (res: import("node:http").ServerResponse) => res.end(JSON.stringify({ choices: [] })), "the reply had no choices"],
    ["no content", (res: import("node:http").ServerResponse) => res.end(JSON.stringify({ choices: [{ message: {} }] })), "the reply's choices[0].message.content is not a string"],
    ["blank content", (res: import("node:http").ServerResponse) => res.end(reply("  ")), "the reply was empty"],
  ])("falls back on %s", async (_name, handler, why) => {
    const srv = await startServer((_r, _i, res) => handler(res));
    close = srv.close;
    const s = await llmSummary(f, { baseUrl: srv.url, model: "m", env, events });
    expect([s.source, s.text]).toEqual(["template", template]);
    expect(s.note).toBe(`LLM summary unavailable: ${why}. Showing the deterministic summary.`);
  });

  it("falls back on a timeout and on a refused connection", async () => {
    const srv = await startServer(() => {
      /* never answers */
    });
    close = srv.close;
    const slow = await llmSummary(f, { baseUrl: srv.url, model: "m", timeoutMs: 150, env });
    expect(slow.note).toBe("LLM summary unavailable: the request timed out after 150 ms. Showing the deterministic summary.");
    const port = await closedPort();
    const down = await llmSummary(f, { baseUrl: `http://127.0.0.1:${port}/v1`, model: "m", env });
    expect(down.note).toBe("LLM summary unavailable: the request failed (ECONNREFUSED). Showing the deterministic summary.");
  });
});
