/**
 * Reading an HTTP response body without trusting its size: the response-size cap shared by the webhook
 * executor and the LLM client (internal to src/respond; not re-exported).
 */

/** A response body read up to a byte cap. */
export interface CappedBody {
  /** The body as UTF-8 text (at most `maxBytes` bytes of it; a character cut at the cap is dropped). */
  readonly text: string;
  /** Bytes read (≤ maxBytes, plus at most one chunk past it that was discarded). */
  readonly bytes: number;
  /** True when the body was longer than `maxBytes`: reading stopped there and the connection was cancelled. */
  readonly truncated: boolean;
}

/**
 * Read `res.body` chunk by chunk and stop once more than `maxBytes` arrived: the rest is never read (the
 * stream is cancelled, which closes the connection), so memory stays near `maxBytes` whatever the server
 * sends. Errors of the stream (reset, abort) are thrown.
 *
 * @example
 * const { text, truncated } = await readBodyCapped(await fetch(url), 64 * 1024);
 */
export async function readBodyCapped(res: Response, maxBytes: number): Promise<CappedBody> {
  if (!res.body) return { text: "", bytes: 0, truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let kept = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (kept + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - kept));
      kept = maxBytes;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    kept += value.byteLength;
  }
  const all = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  // A multi-byte character cut by the cap becomes U+FFFD with fatal: false; drop a trailing one.
  let text = new TextDecoder("utf-8").decode(all);
  if (truncated && text.endsWith("\uFFFD")) text = text.slice(0, -1);
  return { text, bytes, truncated };
}
