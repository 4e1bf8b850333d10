import { OptionError } from "../../errors";
import type { PlannedAction } from "../plan";
import { safely } from "./executor";
import type { Executor, ExecutorOutcome } from "./executor";
import { appendLineExecutor, requireOutputPath } from "./file-output";

/**
 * One-line alert text for an action.
 *
 * @example
 * alertText(action) // "[high] 203.0.113.7 (ip): anomaly 97.1/100, decision -0.1432 by iforest; 2025-03-06T08:50:00.000Z … 8 events"
 */
export function alertText(action: PlannedAction): string {
  const ev = action.evidence;
  const agree = ev.detectors.length > 1 ? ` (${ev.detectors.length} detectors agree: ${ev.detectors.join(", ")})` : "";
  return (
    `[${action.tier}] ${ev.entity} (${ev.entityType}): anomaly ${ev.anomalyScore.toFixed(1)}/100, decision ${ev.score.toFixed(4)} by ${ev.detector}${agree}; ` +
    `window ${new Date(ev.windowStart).toISOString()} – ${new Date(ev.windowEnd).toISOString()}, ${ev.lineNos.length} event(s)`
  );
}

/** Escape the three characters Slack's mrkdwn treats as control characters. */
function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Slack-compatible incoming-webhook payload: `{text, blocks}` (mrkdwn-escaped). */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly { readonly type: "section"; readonly text: { readonly type: "mrkdwn"; readonly text: string } }[];
}

/**
 * The Slack-compatible payload a webhook alert sends; hostile log text is escaped (`&`, `<`, `>`).
 *
 * @example
 * slackPayload(action).text // "[high] 203.0.113.7 (ip): anomaly …"
 */
export function slackPayload(action: PlannedAction): SlackPayload {
  const ev = action.evidence;
  const text = slackEscape(alertText(action));
  const lines = ev.events.slice(0, 5).map((e) => `• line ${e.lineNo}: ${slackEscape(e.message)}`);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(action.tier)}* — ${text}` } },
      { type: "section", text: { type: "mrkdwn", text: `${slackEscape(action.reason)}${lines.length ? "\n" + lines.join("\n") : ""}` } },
    ],
  };
}

export interface ConsoleAlertOptions {
  /** Where lines go. Default: console.warn. */
  readonly write?: (line: string) => void;
  /** Name in the audit log. Default: "console". */
  readonly name?: string;
}

/**
 * Alert executor printing one line per alert (kind "alert"; use `kind: "log"` through {@link consoleLog}).
 *
 * @example
 * await executePlan(plan, { dryRun: false, executors: { alert: consoleAlert() } });
 */
export function consoleAlert(options: ConsoleAlertOptions = {}): Executor {
  return consoleLineExecutor("alert", "ALERT", options);
}

/**
 * The "log" action: a warning line (console by default).
 *
 * @example
 * await executePlan(plan, { dryRun: false, executors: { log: consoleLog() } });
 */
export function consoleLog(options: ConsoleAlertOptions = {}): Executor {
  return consoleLineExecutor("log", "WARN", options);
}

/** Writes `<prefix> <alertText>` per action through `options.write`; the line is also the outcome's detail. */
function consoleLineExecutor(kind: "alert" | "log", prefix: string, options: ConsoleAlertOptions): Executor {
  const write = options.write ?? ((l: string) => console.warn(l));
  const render = (a: PlannedAction) => `${prefix} ${alertText(a)}`;
  return {
    name: options.name ?? "console",
    kind,
    render,
    execute(a) {
      return safely(() => {
        const line = render(a);
        write(line);
        return { ok: true, detail: line };
      });
    },
  };
}

export interface JsonLinesAlertOptions {
  /** File the alerts are appended to, one JSON object a line. Required. */
  readonly path: string;
  /** Name in the audit log. Default: "jsonl". */
  readonly name?: string;
}

/**
 * Alert executor appending one JSON object per alert to a file (created with its folder if needed).
 *
 * @example
 * jsonLinesAlert({ path: "out/alerts.jsonl" })
 */
export function jsonLinesAlert(options: JsonLinesAlertOptions): Executor {
  const file = requireOutputPath(options?.path, "path", "the JSON-lines file alerts are appended to", 'jsonLinesAlert({ path: "out/alerts.jsonl" })');
  return appendLineExecutor({
    name: options.name ?? "jsonl",
    kind: "alert",
    path: file,
    render: (a: PlannedAction) =>
      JSON.stringify({ type: "alert", id: a.id, tier: a.tier, text: alertText(a), reason: a.reason, evidence: a.evidence }),
    detail: () => `appended to ${file}`,
  });
}

export interface WebhookAlertOptions {
  /** http(s) URL of the webhook (e.g. a Slack incoming webhook). Required. */
  readonly url: string;
  /** Per-attempt timeout in ms. Default: 5000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (on network errors, timeouts, HTTP 429 and 5xx). Default: 3. */
  readonly retries?: number;
  /** Delay before the first retry in ms; doubles for each further retry. Default: 500. */
  readonly backoffMs?: number;
  /** Extra request headers. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Payload builder. Default: {@link slackPayload}. */
  readonly payload?: (action: PlannedAction) => unknown;
  /** Name in the audit log. Default: "webhook". */
  readonly name?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * POST a JSON body with a timeout and retries with exponential back-off. Never throws: resolves to a
 * failed outcome when the endpoint stays down, times out, or answers an error.
 *
 * @example
 * const r = await postJsonWithRetry("http://127.0.0.1:9/hook", { text: "hi" }, { retries: 1 });
 * r.ok // false (nothing listens on port 9)
 */
export async function postJsonWithRetry(
  url: string,
  body: unknown,
  options: { readonly timeoutMs?: number; readonly retries?: number; readonly backoffMs?: number; readonly headers?: Readonly<Record<string, string>> } = {},
): Promise<ExecutorOutcome> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const errors: string[] = [];
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await res.text().catch(() => "");
      if (res.ok) return { ok: true, detail: `HTTP ${res.status}`, attempts: attempt };
      errors.push(`attempt ${attempt}: HTTP ${res.status}${text ? ` ${text.slice(0, 100)}` : ""}`);
      if (res.status !== 429 && res.status < 500) break;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      errors.push(`attempt ${attempt}: ${controller.signal.aborted ? `timed out after ${timeoutMs} ms` : err.cause?.code ?? err.cause?.message ?? err.message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return { ok: false, detail: "", error: errors.join("; "), attempts: errors.length };
}

/**
 * Alert executor posting a Slack-compatible payload to a webhook, with a timeout, retries with
 * exponential back-off, and no exceptions: an unreachable endpoint gives a failed result, not a crash.
 *
 * @example
 * webhookAlert({ url: process.env.SLACK_WEBHOOK_URL!, timeoutMs: 3000, retries: 2 })
 */
export function webhookAlert(options: WebhookAlertOptions): Executor {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new OptionError(`Expected \`url\` to be an http(s) URL for the webhook, got ${JSON.stringify(options?.url)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OptionError(`Expected \`url\` to use http: or https:, got ${url.protocol}`);
  }
  for (const [key, v] of [["timeoutMs", options.timeoutMs], ["backoffMs", options.backoffMs]] as const) {
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) throw new OptionError(`Expected \`${key}\` to be a number of ms ≥ 0, got ${v}`);
  }
  if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 0)) {
    throw new OptionError(`Expected \`retries\` to be an integer ≥ 0, got ${options.retries}`);
  }
  const payload = options.payload ?? slackPayload;
  return {
    name: options.name ?? "webhook",
    kind: "alert",
    render: (a) => JSON.stringify(payload(a)),
    execute(a) {
      return safely(async () => {
        const r = await postJsonWithRetry(url.href, payload(a), options);
        // The path of a webhook URL is often its secret (Slack): record the origin only.
        return r.ok ? { ...r, detail: `POST ${url.origin}/…: ${r.detail}` } : r;
      });
    },
  };
}
