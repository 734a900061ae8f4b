/**
 * One HTTP exchange through undici's dispatch API: the request goes out on the dispatcher's
 * keep-alive connections, the answer's status, headers and body come back as one string.
 *
 * Why not `undici.request`: it wraps every answer in a Readable stream (an event emitter, buffers and
 * callbacks per response) that the transport then only drains into a string. Fed straight from the
 * dispatcher's callbacks, the body is the chunks that arrived, joined once. Refreshing 100 workspaces
 * (2 093 requests) took ~15-20 % less CPU this way (bench/BASELINE.md, *Fleet, fourth pass*).
 *
 * Abort: an AbortSignal (the transport's per-attempt one: the caller's signal and the timeout) ends
 * the exchange at once, whether it is written, waiting for its answer or reading the body; a request
 * still queued behind others is aborted as soon as undici starts it.
 * Cap: an announced Content-Length above `cap` is refused before the body is read; a longer body is
 * cut as soon as it passes `cap`.
 */
import type * as Undici from 'undici';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
  /** undici's own headers and body (idle) timeouts, ms */
  timeoutMs: number;
  /** body cap, bytes */
  cap: number;
}

export type ExchangeResult =
  | { status: number; headers: Record<string, string>; text: string }
  /** the answer was larger than the cap (announced, or read so far) */
  | { tooLarge: string };

/** Rejects with undici's error (or the abort's reason) when no whole answer arrived; `phase` tells whether its headers had. */
export function exchange(dispatcher: Undici.Dispatcher, r: ExchangeRequest, phase: { body: boolean }): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve, reject) => {
    let controller: Undici.Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      settled = true;
      r.signal.removeEventListener('abort', onAbort);
    };
    const fail = (e: unknown): void => {
      if (settled) return;
      done();
      reject(e);
    };
    const stop = (reason: string): void => {
      if (settled) return;
      done();
      resolve({ tooLarge: reason });
      controller?.abort(new Error(reason));
    };
    function onAbort(): void {
      const reason = r.signal.reason instanceof Error ? r.signal.reason : new Error('aborted');
      fail(reason);
      // not yet started: aborted when undici starts it (onRequestStart)
      controller?.abort(reason);
    }
    if (r.signal.aborted) {
      reject(r.signal.reason instanceof Error ? r.signal.reason : new Error('aborted'));
      return;
    }
    r.signal.addEventListener('abort', onAbort);
    const handler: Undici.Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(r.signal.aborted && r.signal.reason instanceof Error ? r.signal.reason : new Error('aborted'));
      },
      onResponseStart(c, statusCode, raw) {
        // 1xx informational answers precede the real one
        if (statusCode < 200) return;
        status = statusCode;
        phase.body = true;
        const h: Record<string, string> = {};
        for (const k in raw) {
          const v = raw[k];
          if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        headers = h;
        const declared = Number(h['content-length']);
        if (Number.isFinite(declared) && declared > r.cap) stop(`the answer announces ${declared} bytes`);
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size > r.cap) {
          stop(`the answer passed ${r.cap} bytes`);
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        done();
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        resolve({ status, headers, text });
      },
      onResponseError(_c, e) {
        fail(e);
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: r.url.origin,
          path: r.url.pathname + r.url.search,
          method: r.method as Undici.Dispatcher.HttpMethod,
          headers: r.headers,
          body: r.body,
          headersTimeout: r.timeoutMs,
          bodyTimeout: r.timeoutMs,
        },
        handler,
      );
    } catch (e) {
      fail(e);
    }
  });
}
