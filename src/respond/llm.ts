import type { Finding } from "./finding";
import { Redactor } from "./redact";
import { incidentFacts, SUMMARY_OPTIONS_KEYS, summaryText } from "./summary";
import type { IncidentFacts, SummaryOptions } from "./summary";
import { checkOptions, type OptionKeys, pickOptions } from "../options";


/** Every option name of {@link LlmOptions} (unknown names fail with a suggestion). */
const LLM_OPTIONS_KEYS: OptionKeys<LlmOptions> = { baseUrl: true, model: true, apiKey: true, timeoutMs: true, redactEntities: true, restorePlaceholders: true, omitFields: true, secrets: true, patterns: true, temperature: true, maxTokens: true, env: true };

/** The option names {@link buildSummaryPrompt} reads. */
const PROMPT_OPTIONS_KEYS: OptionKeys<Pick<LlmOptions, "redactEntities" | "omitFields" | "secrets" | "patterns" | "apiKey">> = {
  redactEntities: true,
  omitFields: true,
  secrets: true,
  patterns: true,
  apiKey: true,
};

/** One chat message of an OpenAI-compatible chat-completions request. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

export interface LlmOptions {
  /** API base, e.g. "http://localhost:11434/v1" (Ollama), "http://localhost:8080/v1" (llama.cpp), "https://api.openai.com/v1". Default: env SIEMLAB_LLM_BASE_URL. */
  readonly baseUrl?: string;
  /** Model name. Default: env SIEMLAB_LLM_MODEL. */
  readonly model?: string;
  /** API key sent as a bearer token (and redacted from the prompt). Default: env SIEMLAB_LLM_API_KEY, else none. */
  readonly apiKey?: string;
  /** Request timeout in ms. Default: 30000. */
  readonly timeoutMs?: number;
  /** Replace IPs and usernames with placeholders before sending (restored in the reply). Default: true. */
  readonly redactEntities?: boolean;
  /** Put the real IPs/usernames back into the reply shown to the analyst. Default: true. */
  readonly restorePlaceholders?: boolean;
  /** Fact fields left out of the prompt, e.g. ["sampleMessages"]. Default: none. */
  readonly omitFields?: readonly (keyof IncidentFacts)[];
  /** Extra literal secrets and patterns to redact. Default: none. */
  readonly secrets?: readonly string[];
  readonly patterns?: readonly RegExp[];
  /** Sampling temperature. Default: 0. */
  readonly temperature?: number;
  /** Reply length limit in tokens. Default: 400. */
  readonly maxTokens?: number;
  /** Where SIEMLAB_LLM_* are read from. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The result of an LLM summary request: always has text; `source` says where it came from. */
export interface LlmSummary {
  /** The summary shown to the analyst. */
  readonly text: string;
  /** "llm" when the model answered; "template" when the deterministic summary is shown instead. */
  readonly source: "llm" | "template";
  /** Why the template is shown (no endpoint, timeout, HTTP error, …); undefined on success. */
  readonly note?: string;
  /** The messages sent (or that would be sent): redacted, built only from computed evidence. */
  readonly prompt: readonly ChatMessage[];
  /** The deterministic summary (the fallback). */
  readonly template: string;
  readonly model?: string;
  /** Placeholders used in the prompt (their real values never leave the process). */
  readonly placeholders: readonly string[];
  /** Count of redactions by rule. */
  readonly redactions: Readonly<Record<string, number>>;
}

const SYSTEM =
  "You are a SOC analyst assistant. Write a concise incident summary (3-5 sentences) for another analyst from the " +
  "JSON evidence given. Use only the facts in the evidence; do not invent users, addresses, counts or causes. " +
  "Placeholders such as IP_1 or USER_2 stand for redacted values: keep them as they are. " +
  "Say what happened, how unusual it is compared with the baseline, how confident the detectors are, and what the " +
  "planned response is. If the evidence is weak (score near the threshold, one detector), say so.";

/**
 * Build the redacted chat messages for an incident's facts. Only computed evidence goes in; secrets are
 * removed and (by default) IPs/usernames become placeholders.
 *
 * @example
 * const { messages } = buildSummaryPrompt(incidentFacts(finding, { events }));
 */
export function buildSummaryPrompt(
  facts: IncidentFacts,
  options: Pick<LlmOptions, "redactEntities" | "omitFields" | "secrets" | "patterns" | "apiKey"> = {},
): { readonly messages: ChatMessage[]; readonly redactor: Redactor } {
  checkOptions(options, PROMPT_OPTIONS_KEYS, "buildSummaryPrompt");
  const users = [...facts.users, ...(facts.entityType === "user" ? [facts.entity] : [])];
  const redactor = new Redactor({
    entities: options.redactEntities ?? true,
    users,
    secrets: [...(options.secrets ?? []), ...(options.apiKey ? [options.apiKey] : [])],
    patterns: options.patterns,
  });
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined || (options.omitFields ?? []).includes(k as keyof IncidentFacts)) continue;
    kept[k] = v;
  }
  const evidence = redactor.redactDeep(kept);
  return {
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: `Evidence (JSON):\n${JSON.stringify(evidence, null, 1)}\n\nWrite the incident summary.` },
    ],
    redactor,
  };
}

class LlmFailure extends Error {}

async function chatCompletion(url: string, body: unknown, apiKey: string | undefined, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    text = await res.text();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    throw new LlmFailure(controller.signal.aborted ? `the request timed out after ${timeoutMs} ms` : `the request failed (${err.cause?.code ?? err.cause?.message ?? err.message})`);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw new LlmFailure(`the endpoint answered HTTP ${res.status}${text ? `: ${text.slice(0, 120).replace(/\s+/g, " ")}` : ""}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LlmFailure("the reply was not JSON");
  }
  const choices = (json as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) throw new LlmFailure("the reply had no choices");
  const content = (choices[0] as { message?: { content?: unknown } })?.message?.content;
  if (typeof content !== "string") throw new LlmFailure("the reply's choices[0].message.content is not a string");
  const cleaned = content.replace(/<think>[\s\S]*?<\/think>/g, "").trim();
  if (cleaned === "") throw new LlmFailure("the reply was empty");
  return cleaned;
}

/**
 * An incident summary written by an LLM through an OpenAI-compatible chat-completions endpoint
 * (POST {base}/chat/completions: Ollama, llama.cpp's server, vLLM, OpenAI), configured by options or
 * SIEMLAB_LLM_BASE_URL / SIEMLAB_LLM_MODEL / SIEMLAB_LLM_API_KEY. The prompt holds only the computed
 * evidence, redacted. Never throws: with no configuration, a timeout, an HTTP error, a malformed or empty
 * reply, it returns the deterministic summary with a note saying why.
 *
 * @example
 * const s = await llmSummary(findings[0], { events, plan });
 * console.log(s.note ?? `(by ${s.model})`, s.text);
 */
export async function llmSummary(finding: Finding, options: LlmOptions & SummaryOptions = {}): Promise<LlmSummary> {
  checkOptions(options, { ...LLM_OPTIONS_KEYS, ...SUMMARY_OPTIONS_KEYS }, "llmSummary");
  return llmSummaryFromFacts(incidentFacts(finding, pickOptions(options, SUMMARY_OPTIONS_KEYS)), pickOptions(options, LLM_OPTIONS_KEYS));
}

/**
 * {@link llmSummary} from already computed facts.
 *
 * @example
 * const s = await llmSummaryFromFacts(incidentFacts(finding), { env: {} });
 * s.source // "template" (s.note: "LLM summary unavailable: no endpoint configured …")
 */
export async function llmSummaryFromFacts(facts: IncidentFacts, options: LlmOptions = {}): Promise<LlmSummary> {
  checkOptions(options, LLM_OPTIONS_KEYS, "llmSummaryFromFacts");
  const env = options.env ?? process.env;
  const baseUrl = (options.baseUrl ?? env.SIEMLAB_LLM_BASE_URL ?? "").trim();
  const model = (options.model ?? env.SIEMLAB_LLM_MODEL ?? "").trim();
  const apiKey = options.apiKey ?? (env.SIEMLAB_LLM_API_KEY || undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const template = summaryText(facts);
  const { messages, redactor } = buildSummaryPrompt(facts, pickOptions({ ...options, apiKey }, PROMPT_OPTIONS_KEYS));
  const base = { prompt: messages, template, placeholders: redactor.placeholders, redactions: { ...redactor.stats } };
  const fallback = (why: string): LlmSummary => ({
    ...base,
    text: template,
    source: "template",
    note: `LLM summary unavailable: ${why}. Showing the deterministic summary.`,
    model: model || undefined,
  });
  if (!baseUrl) return fallback("no endpoint configured (set SIEMLAB_LLM_BASE_URL and SIEMLAB_LLM_MODEL, or pass baseUrl and model)");
  if (!model) return fallback("no model configured (set SIEMLAB_LLM_MODEL or pass model)");
  let url: URL;
  try {
    url = new URL(baseUrl.replace(/\/+$/, "") + "/chat/completions");
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
  } catch {
    return fallback(`SIEMLAB_LLM_BASE_URL is not an http(s) URL (${JSON.stringify(baseUrl.slice(0, 80))})`);
  }
  try {
    const reply = await chatCompletion(
      url.href,
      { model, messages, temperature: options.temperature ?? 0, max_tokens: options.maxTokens ?? 400, stream: false },
      apiKey,
      timeoutMs,
    );
    return { ...base, text: options.restorePlaceholders === false ? reply : redactor.restore(reply), source: "llm", model };
  } catch (e) {
    return fallback(e instanceof LlmFailure ? e.message : `unexpected error (${(e as Error).message})`);
  }
}

/**
 * The summary as text for a notebook: the note (if any) first, then the summary, then where it came from.
 *
 * @example
 * console.log(formatLlmSummary(await llmSummary(finding)));
 */
export function formatLlmSummary(s: LlmSummary): string {
  return `${s.note ? `Note: ${s.note}\n\n` : ""}${s.text}\n\n(${s.source === "llm" ? `written by ${s.model}; verify against the evidence` : "deterministic template summary"})`;
}
