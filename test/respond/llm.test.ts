import { isIP } from "node:net";
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
    // Names come back quoted (as in the deterministic summary), addresses as they are.
    expect(s.text).toBe('"alice" was brute-forced from 203.0.113.7; lock "alice" and block 203.0.113.7.');
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

// New-user trial T11: user names were redacted after IPs, so a name holding an address went out in clear
// ("alice@IP_2"), and a user named IP_1 made the model's "IP_1" come back as that name instead of the address.
describe("entity redaction against hostile user names (what the server receives, what the analyst is shown)", () => {
  const ATTACKER = "203.0.113.66";
  const NAMES = [
    "alice@10.0.0.5", "carol-192.168.0.1", "dave 1.2.3.4", "eve@2001:db8::5", "frank.10.1.1.1",
    "198.51.100.9", "IP_1", "USER_1", "TEXT_1", "ip_2", "bob", "bob.smith",
  ];
  // Parts of the names that must not leave the machine (the placeholders themselves aside).
  const LEAKS = ["10.0.0.5", "192.168.0.1", "1.2.3.4", "2001:db8", "10.1.1.1", "198.51.100.9", ATTACKER, "alice", "carol", "dave", "eve@", "frank", "bob", "smith", "ip_2"];
  const hostileEvents: LogEvent[] = [
    ...NAMES.flatMap((n, i) => failures(2, ATTACKER, n, T0 + i * 2000, 1 + i * 2)),
    { lineNo: 99, time: T0 + 30_000, eventType: "other", srcIp: ATTACKER, message: "banner: IP_1 is the admin box, USER_2 and TEXT_1 too" },
  ];
  const hostile = finding({ entity: ATTACKER, entityType: "ip", windowStart: T0, windowEnd: T0 + 60_000, events: hostileEvents, features: { count: 25 } });
  const evidenceOf = (body: string) => {
    const content = JSON.parse(body).messages[1].content as string;
    return JSON.parse(content.slice(content.indexOf("```json\n") + 8, content.lastIndexOf("\n```"))) as { entity: string; users: string[]; failures: number; sampleMessages: string[] };
  };

  it("sends none of the names or addresses, and the model's placeholders map back to the real entity and names", async () => {
    // A model that repeats the evidence's placeholders: entity, failure count and every user, in order.
    const srv = await startServer((req, _i, res) => {
      const ev = evidenceOf(req.body);
      res.setHeader("content-type", "application/json");
      res.end(reply(`${ev.entity} made ${ev.failures} failed login attempts against ${ev.users.join(", ")}.`));
    });
    close = srv.close;
    const facts = incidentFacts(hostile, { events: hostileEvents });
    expect(facts.users).toHaveLength(NAMES.length);
    const s = await llmSummary(hostile, { baseUrl: srv.url, model: "m", env, events: hostileEvents });
    const body = srv.received[0].body;
    for (const leak of LEAKS) expect(body, leak).not.toContain(leak);
    const ev = evidenceOf(body);
    expect(ev.entity).toBe("IP_1");
    expect(ev.users).toHaveLength(NAMES.length);
    expect(new Set(ev.users).size).toBe(NAMES.length);
    for (const p of ev.users) expect(p).toMatch(/^(?:USER|IP)_\d+$/);
    expect(ev.users).not.toContain("IP_1"); // no name shares the attacker address's placeholder
    // Placeholder-shaped free text went out as TEXT_n, not as IP_1 / USER_2.
    expect(ev.sampleMessages.join("\n")).not.toMatch(/IP_1 is|USER_2 and|TEXT_1 too/);
    expect([s.source, s.note]).toEqual(["llm", undefined]);
    const shownName = (n: string) => (isIP(n) ? n : JSON.stringify(n));
    expect(s.text).toBe(`${ATTACKER} made 24 failed login attempts against ${facts.users.map(shownName).join(", ")}.`);
  });

  it("the reply 'IP_1 made 7 failed login attempts' names the address, not the user called IP_1 (trial recipe)", async () => {
    const evs = [...failures(6, ATTACKER, "IP_1"), ...failures(1, ATTACKER, "USER_1", T0 + 9000, 10)];
    const fnd = finding({ entity: ATTACKER, entityType: "ip", events: evs, features: { count: 7 } });
    const srv = await startServer((req, _i, res) => {
      res.setHeader("content-type", "application/json");
      res.end(reply(`${evidenceOf(req.body).entity} made 7 failed login attempts.`));
    });
    close = srv.close;
    const s = await llmSummary(fnd, { baseUrl: srv.url, model: "m", env, events: evs });
    const ev = evidenceOf(srv.received[0].body);
    expect([ev.entity, ev.users]).toEqual(["IP_1", ["USER_1", "USER_2"]]);
    expect(srv.received[0].body).not.toContain(ATTACKER);
    expect([s.source, s.text]).toEqual(["llm", `${ATTACKER} made 7 failed login attempts.`]);
    // The attacker's names come back as the literal text they were (quoted in the text shown).
    const users = await startServer((_req, _i, res) => res.end(reply("USER_1 and USER_2 were tried from IP_1.")));
    const shownUsers = await llmSummary(fnd, { baseUrl: users.url, model: "m", env, events: evs });
    await users.close();
    expect(shownUsers.text).toBe(`"IP_1" and "USER_1" were tried from ${ATTACKER}.`);
    const named = await llmSummary(fnd, { baseUrl: srv.url, model: "m", env, events: evs, restorePlaceholders: false });
    expect(named.text).toBe("IP_1 made 7 failed login attempts.");
    const { redactor } = buildSummaryPrompt(incidentFacts(fnd, { events: evs }));
    expect(redactor.restore("USER_1 and USER_2 from IP_1")).toBe(`IP_1 and USER_1 from ${ATTACKER}`);
  });
});
