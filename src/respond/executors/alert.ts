import { OptionError } from "../../errors";
import type { PlannedAction } from "../plan";
import { safely } from "./executor";
import type { Executor, ExecutorOutcome } from "./executor";
import { appendLineExecutor, requireOutputPath } from "./file-output";
import { readBodyCapped } from "../http-body";
import { checkOptions, type OptionKeys } from "../../options";
import { escapeControls, quotedName } from "../../terminal-text";

/** Every option name of {@link ConsoleAlertOptions} (unknown names fail with a suggestion). */
const CONSOLE_ALERT_OPTIONS_KEYS: OptionKeys<ConsoleAlertOptions> = { write: true, name: true };

/** Every option name of {@link JsonLinesAlertOptions} (unknown names fail with a suggestion). */
const JSON_LINES_ALERT_OPTIONS_KEYS: OptionKeys<JsonLinesAlertOptions> = { path: true, name: true };

/** Every option name of {@link WebhookAlertOptions} (unknown names fail with a suggestion). */
const WEBHOOK_ALERT_OPTIONS_KEYS: OptionKeys<WebhookAlertOptions> = { url: true, timeoutMs: true, retries: true, backoffMs: true, headers: true, payload: true, name: true, redirects: true, maxResponseBytes: true };

/**
 * One-line alert text for an action, display-safe: the entity is quoted unless it is an IP address
 * (`[high] "alice" (user): …`, see `quotedName`), and control, bidi and line-break characters from logs are
 * shown as escapes (`\x1b`, `\u202e`, `\n`), so a log value can neither start a line of its own nor
 * read as more fields.
 *
 * @example
 * alertText(action).split("; ")[1] // "window 2025-03-06T10:40:00.000Z – 2025-03-06T10:45:00.000Z, 160 event(s)"
 */
export function alertText(action: PlannedAction): string {
  const ev = action.evidence;
  const agree = ev.detectors.length > 1 ? ` (${ev.detectors.length} detectors agree: ${ev.detectors.join(", ")})` : "";
  return escapeControls(
    `[${action.tier}] ${quotedName(ev.entity)} (${ev.entityType}): anomaly ${ev.anomalyScore.toFixed(1)}/100, decision ${ev.decision.toFixed(4)} by ${ev.detector}${agree}; ` +
    `window ${new Date(ev.windowStart).toISOString()} – ${new Date(ev.windowEnd).toISOString()}, ${ev.lineNos.length} event(s)`
  );
}

/**
 * Log text made safe for a Slack text object: control, bidi and line-break characters shown as escapes
 * ({@link escapeControls}), then the three characters Slack parses in every text object (`&`, `<`, `>`)
 * written as the HTML entities Slack's "Escaping text" section prescribes.
 */
function slackEscape(s: string): string {
  return escapeControls(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A Slack-compatible incoming-webhook payload: `{text, mrkdwn: false, blocks}`. Every text is unformatted
 * (`mrkdwn: false` for the top-level text, `plain_text` objects in the blocks), so `*`, `_`, `~` and
 * backticks from logs show as they are, and `&`, `<`, `>` are escaped.
 */
export interface SlackPayload {
  readonly text: string;
  readonly mrkdwn: false;
  readonly blocks: readonly { readonly type: "section"; readonly text: { readonly type: "plain_text"; readonly text: string } }[];
}

/**
 * The Slack-compatible payload a webhook alert sends. Log text cannot format, link or mention: Slack's
 * mrkdwn has no escape for its formatting characters (`*bold*`, `_italic_`, `~strike~`, `` `code` ``; its
 * formatting reference documents escapes for `&`, `<` and `>` only), so the text goes out unformatted
 * (`mrkdwn: false`, `plain_text` blocks), with `&`, `<`, `>` written as `&amp;`, `&lt;`, `&gt;` and control,
 * bidi and line-break characters from logs as visible escapes (one line per event).
 *
 * @example
 * slackPayload(action).text.split(";")[0] // "[medium] 198.51.100.23 (ip): anomaly 93.3/100, decision -0.1417 by iforest"
 */
export function slackPayload(action: PlannedAction): SlackPayload {
  const ev = action.evidence;
  const text = slackEscape(alertText(action));
  const lines = ev.events.slice(0, 5).map((e) => `• line ${e.lineNo}: ${slackEscape(e.message)}`);
  return {
    text,
    mrkdwn: false,
    blocks: [
      { type: "section", text: { type: "plain_text", text } },
      { type: "section", text: { type: "plain_text", text: `${slackEscape(action.reason)}${lines.length ? "\n" + lines.join("\n") : ""}` } },
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
 * await executePlan(plan, { dryRun: false, executors: [consoleAlert()] });
 */
export function consoleAlert(options: ConsoleAlertOptions = {}): Executor {
  checkOptions(options, CONSOLE_ALERT_OPTIONS_KEYS, "consoleAlert");
  return consoleLineExecutor("alert", "ALERT", options);
}

/**
 * The "log" action: a warning line (console by default).
 *
 * @example
 * await executePlan(plan, { dryRun: false, executors: [consoleLog()] });
 */
export function consoleLog(options: ConsoleAlertOptions = {}): Executor {
  checkOptions(options, CONSOLE_ALERT_OPTIONS_KEYS, "consoleLog");
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
  checkOptions(options, JSON_LINES_ALERT_OPTIONS_KEYS, "jsonLinesAlert");
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

export interface WebhookAlertOptions extends PostJsonOptions {
  /** http(s) URL of the webhook (e.g. a Slack incoming webhook). Required. */
  readonly url: string;
  /** Payload builder. Default: {@link slackPayload}. */
  readonly payload?: (action: PlannedAction) => unknown;
  /** Name in the audit log. Default: "webhook". */
  readonly name?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How a webhook POST treats an HTTP redirect (3xx with a Location). */
export type RedirectPolicy = "none" | "same-origin";

/** Options of {@link postJsonWithRetry}. */
export interface PostJsonOptions {
  /** Per-attempt timeout in ms (covers the response body too). Default: 5000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (on network errors, timeouts, HTTP 429 and 5xx). Default: 3. */
  readonly retries?: number;
  /** Delay before the first retry in ms; doubles for each further retry. Default: 500. */
  readonly backoffMs?: number;
  /** Extra request headers. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * "none": a redirect is never followed and the attempt fails, saying where it pointed (fetch would
   * otherwise re-send to any host, and turn a 301/302/303 POST into a GET that delivers nothing).
   * "same-origin" (opt-in): a redirect to the same scheme, host and port is followed with the same POST
   * body, up to 3 hops; any other redirect fails. Default: "none".
   */
  readonly redirects?: RedirectPolicy;
  /** Bytes of each response body read (the rest is not read; the connection is closed). Default: 65536. */
  readonly maxResponseBytes?: number;
}

const MAX_REDIRECT_HOPS = 3;
const where = (u: URL) => `${u.origin}/…`;

/**
 * POST a JSON body with a timeout and retries with exponential back-off. Never throws: resolves to a
 * failed outcome when the endpoint stays down, times out, answers an error, or redirects (not followed
 * unless `redirects: "same-origin"` and the target is on the same origin). At most `maxResponseBytes` of a
 * response body are read. The outcome says what really happened: the status of the response that
 * ended the attempt, the hops followed, and whether the body was cut.
 *
 * @example
 * const r = await postJsonWithRetry("http://127.0.0.1:9/hook", { text: "hi" }, { retries: 1 });
 * r.ok // false (nothing listens on port 9)
 */
export async function postJsonWithRetry(url: string, body: unknown, options: PostJsonOptions = {}): Promise<ExecutorOutcome> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const redirects = options.redirects ?? "none";
  const maxBytes = options.maxResponseBytes ?? 65_536;
  const payload = JSON.stringify(body);
  const errors: string[] = [];
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let target = new URL(url);
      const hops: string[] = [];
      let stop: string | undefined;
      let res: Response;
      for (;;) {
        res = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: payload,
          signal: controller.signal,
          redirect: "manual",
        });
        const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
        if (location === null) break;
        await res.body?.cancel().catch(() => undefined);
        let next: URL | undefined;
        try {
          next = new URL(location, target);
        } catch {
          next = undefined;
        }
        const shown = next ? where(next) : JSON.stringify(location.slice(0, 80));
        if (redirects !== "same-origin") stop = `HTTP ${res.status} redirect to ${shown} not followed (redirects: "none")`;
        else if (!next || next.origin !== target.origin) stop = `HTTP ${res.status} redirect to another origin (${shown}) not followed`;
        else if (hops.length >= MAX_REDIRECT_HOPS) stop = `HTTP ${res.status}: more than ${MAX_REDIRECT_HOPS} redirects`;
        if (stop) break;
        hops.push(`HTTP ${res.status} → ${next!.pathname === target.pathname ? "same path" : "another path"}`);
        target = next!;
      }
      if (stop) {
        errors.push(`attempt ${attempt}: ${stop}`);
        break; // a redirect is an answer, not a transient failure: retrying gives the same one
      }
      const followed = hops.length ? ` after ${hops.length} same-origin redirect(s) (${hops.join(", ")})` : "";
      let read: { text: string; truncated: boolean; error?: string };
      try {
        read = await readBodyCapped(res!, maxBytes);
      } catch (e) {
        // The status line arrived; the body did not (reset, timeout). Say so rather than pretend.
        read = { text: "", truncated: false, error: controller.signal.aborted ? `timed out after ${timeoutMs} ms` : (e as Error).message };
      }
      const note = read.truncated ? ` (response body cut at ${maxBytes} bytes)` : read.error ? ` (response body not read: ${read.error})` : "";
      if (res!.ok) return { ok: true, detail: `HTTP ${res!.status}${followed}${note}`, attempts: attempt };
      errors.push(`attempt ${attempt}: HTTP ${res!.status}${followed}${read.text ? ` ${read.text.slice(0, 100)}` : ""}${note}`);
      if (res!.status !== 429 && res!.status < 500) break;
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
 * webhookAlert({ url: process.env.SLACK_WEBHOOK_URL ?? url, timeoutMs: 3000, retries: 2 })
 */
export function webhookAlert(options: WebhookAlertOptions): Executor {
  checkOptions(options, WEBHOOK_ALERT_OPTIONS_KEYS, "webhookAlert");
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
  if (options.redirects !== undefined && options.redirects !== "none" && options.redirects !== "same-origin") {
    throw new OptionError(`Expected \`redirects\` to be "none" or "same-origin", got ${JSON.stringify(options.redirects)}`);
  }
  const mb = options.maxResponseBytes;
  if (mb !== undefined && !(Number.isInteger(mb) && mb >= 0)) throw new OptionError(`Expected \`maxResponseBytes\` to be an integer number of bytes ≥ 0, got ${mb}`);
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
