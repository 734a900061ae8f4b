/**
 * One HTTP exchange through undici's dispatch API: the request goes out on the dispatcher's
 * keep-alive connections, the answer's status, headers and body come back as one string.
 *
 * Why not `undici.request`: it wraps every answer in a Readable stream (an event emitter, buffers and
 * callbacks per response) that the transport then only drains into a string. Fed straight from the
 * dispatcher's callbacks, the body is the chunks that arrived, joined once. Refreshing 100 workspaces
 * (2 093 requests) took ~15-20 % less CPU this way (bench/BASELINE.md, *Fleet, fourth pass*).
 *
 * Abort: the caller's AbortSignal or the attempt's timeout ends the exchange at once, whether it is
 * written, waiting for its answer or reading the body; a request still queued behind others is
 * aborted as soon as undici starts it. The caller's signal gets one listener however many exchanges
 * wait on it (./abort.ts), and no AbortController is made per exchange (each is an EventTarget: ~1 KB
 * and listeners per request).
 * Cap: an announced Content-Length above `cap` is refused before the body is read; a longer body is
 * cut as soon as it passes `cap`.
 */
import type * as Undici from 'undici';
import { onAbort } from './abort';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** the caller's signal */
  signal: AbortSignal | undefined;
  /** the whole exchange's time limit (also undici's headers and body idle timeouts), ms */
  timeoutMs: number;
  /** body cap, bytes */
  cap: number;
}

export type ExchangeResult =
  | { status: number; headers: Record<string, string>; text: string }
  /** the answer was larger than the cap (announced, or read so far) */
  | { tooLarge: string };

/** How an exchange went, for the caller's words when it rejects. */
export interface ExchangeState {
  /** the answer's headers had arrived */
  body: boolean;
  /** the time limit ended it */
  timedOut: boolean;
}

const ABORTED = (): Error => Object.assign(new Error('aborted'), { name: 'AbortError' });

/** Rejects with undici's error (or an abort) when no whole answer arrived; `state` tells how far it got and why it ended. */
export function exchange(dispatcher: Undici.Dispatcher, r: ExchangeRequest, state: ExchangeState): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve, reject) => {
    let controller: Undici.Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let stopWaiting: () => void = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      settled = true;
      clearTimeout(timer);
      stopWaiting();
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
    // a request not yet started is aborted when undici starts it (onRequestStart)
    const end = (reason: Error): void => {
      fail(reason);
      controller?.abort(reason);
    };
    if (r.signal?.aborted) {
      reject(ABORTED());
      return;
    }
    stopWaiting = onAbort(r.signal, () => end(ABORTED()));
    timer = setTimeout(() => {
      state.timedOut = true;
      end(new Error(`no answer within ${r.timeoutMs} ms`));
    }, r.timeoutMs);
    const handler: Undici.Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(ABORTED());
      },
      onResponseStart(c, statusCode, raw) {
        // 1xx informational answers precede the real one
        if (statusCode < 200) return;
        status = statusCode;
        state.body = true;
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
