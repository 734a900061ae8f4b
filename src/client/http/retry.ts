/**
 * Retry policy of the transport.
 *
 * What is retried:
 * - HTTP 429 and 503, and throttling error codes (REQUEST_LIMIT_EXCEEDED, RESOURCE_EXHAUSTED,
 *   TEMPORARILY_UNAVAILABLE) whatever the status (Databricks sends them with 400, and SCIM even
 *   with 500). The server refused the request, so this is safe for every method, POST included.
 * - HTTP 502 and 504 for idempotent requests only (a gateway gave up; the work may have happened).
 * - Connection failures that prove the request never left (refused, DNS, connect timeout, proxy
 *   tunnel refused): every method.
 * - Connection resets / sockets closed / body cut off / our per-request timeout, after the request
 *   may have reached the server: idempotent requests only. A POST that creates something is never
 *   re-sent in that case.
 *
 * Idempotent: GET, HEAD, PUT, DELETE, and PATCH. PATCH is idempotent for every endpoint this client
 * uses (SCIM add/replace/remove operations on entitlements, permission ACL PATCH which sets levels,
 * UC grant add/remove): applying the same change twice leaves the same state. Callers may mark a
 * POST idempotent when it is (mkdirs, import with overwrite, start, permanent-delete, the OAuth
 * token request).
 *
 * Waits: `Retry-After` (seconds or HTTP date) when present, else exponential backoff
 * `base × 2^(n-1)` capped at `maxDelayMs`, with ±25 % jitter. Attempts are capped (`maxAttempts`)
 * and so is the total time (`maxTotalMs`): a wait that would exceed the budget is not started.
 * Cancellation interrupts a wait immediately.
 */
import { CancelledError } from '../errors';
import { onAbort } from './abort';

export interface RetryPolicy {
  /** Total attempts including the first. Default 5. */
  maxAttempts: number;
  /** Budget for all attempts and waits. Default 120 000 ms. */
  maxTotalMs: number;
  /** First backoff delay. Default 1 000 ms. */
  baseDelayMs: number;
  /** Cap of one backoff delay (not of Retry-After). Default 10 000 ms. */
  maxDelayMs: number;
  /** Cap of an honoured Retry-After. Default 60 000 ms. */
  maxRetryAfterMs: number;
}

/**
 * A per-request override: which error statuses are retried (instead of 429/503/throttling codes and,
 * for idempotent requests, 502/504) and fixed waits before each retry (instead of Retry-After and
 * backoff; their count + 1 is the number of attempts). Connection failures keep the rules above:
 * a request that may have reached the server is re-sent only when it is idempotent.
 */
export interface RequestRetry {
  statuses?: readonly number[];
  delaysMs?: readonly number[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  maxTotalMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export function resolveRetryPolicy(o: Partial<RetryPolicy> | undefined): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY };
  if (o) {
    for (const k of Object.keys(p) as Array<keyof RetryPolicy>) {
      const v = o[k];
      if (v !== undefined && Number.isFinite(v) && v >= 0) p[k] = v;
    }
  }
  p.maxAttempts = Math.max(1, Math.floor(p.maxAttempts));
  return p;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

export const THROTTLING_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'RESOURCE_EXHAUSTED', 'TEMPORARILY_UNAVAILABLE']);

/** Is an HTTP error answer worth retrying? */
export function isRetryableStatus(status: number, errorCode: string | undefined, idempotent: boolean): boolean {
  if (status === 429 || status === 503) return true;
  if (errorCode !== undefined && THROTTLING_CODES.has(errorCode)) return true;
  if (idempotent && (status === 502 || status === 504)) return true;
  return false;
}

/** Error codes of failures where the request certainly did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'PROXY_TUNNEL_REFUSED']);
/** Error codes of transient failures after which the request may or may not have been processed. */
const AMBIGUOUS_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'REQUEST_TIMEOUT',
  'BODY_CUT_OFF',
]);

export type NetworkFailureKind = 'not-sent' | 'ambiguous' | 'fatal';
export function classifyNetworkCode(code: string): NetworkFailureKind {
  if (NOT_SENT_CODES.has(code)) return 'not-sent';
  if (AMBIGUOUS_CODES.has(code)) return 'ambiguous';
  return 'fatal';
}

/** Parses Retry-After: delta-seconds or an HTTP date. Returns ms, or undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/** Backoff before attempt `attempt + 1` (attempt is 1-based: the attempt that just failed). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.75 + random() * 0.5;
  return Math.round(Math.min(policy.maxDelayMs, exp * jitter));
}

/** Waits `ms`, rejecting with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopWaiting();
      resolve();
    }, ms);
    const stopWaiting = onAbort(signal, () => {
      clearTimeout(timer);
      reject(new CancelledError());
    });
  });
}
