/**
 * The one HTTP transport of the project, on undici: workspace calls, OAuth / Entra ID token calls and
 * Partner Connect protocol calls all go through it. Independent of Databricks specifics except for the
 * error-body shapes it understands.
 *
 * - One keep-alive dispatcher: undici's `EnvHttpProxyAgent`, fed with VS Code's proxy settings or the
 *   HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment (./proxy.ts); `Proxy-Authorization` from
 *   `http.proxyAuthorization` or the proxy URL's user info.
 * - Trusted CAs: Node's roots + the OS store + NODE_EXTRA_CA_CERTS + `ca` (./ca.ts), as one cached
 *   secure context.
 * - Credentials only travel over https: a plain-http URL is refused unless its host is a literal
 *   loopback address or `localhost`.
 * - A per-attempt timeout, an AbortSignal on every call (aborts the in-flight request and any wait).
 * - Response bodies are capped (`maxBodyBytes`, default 32 MiB): a larger Content-Length is refused
 *   before reading, a longer stream is cut as soon as it passes the cap.
 * - Retries per ./retry.ts, or per request (`retry`: which statuses, fixed waits) — e.g. the Partner
 *   Connect protocol's "500 only, after 1 s, 2 s, 4 s; never re-sent after a reset or timeout"
 *   (`idempotent: false`); on a 401 the `onUnauthorized` hook may refresh credentials once.
 * - `acceptStatus` returns error statuses as responses (the partner protocol interprets them itself).
 * - One redacted log line per attempt: method, URL path and query (secret-like values redacted),
 *   status or failure code, duration, attempt number.
 * One attempt's exchange over the dispatcher is ./exchange.ts; a failed attempt's words and error are in
 * ./failures.ts; a 2xx body's JSON check in ./jsonBody.ts.
 */
import { platform } from 'node:os';
import type * as Undici from 'undici';
import type * as z from 'zod';
import { AuthConfigError, CancelledError, DatabricksApiError, UnexpectedResponseError } from '../errors';
import { isSecureOrLoopbackUrl } from '../auth/host';
import { bodySnippet, redactPathAndQuery, redactSecrets } from '../redact';
import { resolveTrustedCas, secureContextFor } from './ca';
import { loopbackAwareLookup } from './lookup';
import { proxyConfig, type Env, type NetworkOptions } from './proxy';
import {
  backoffDelay,
  classifyNetworkCode,
  isIdempotentMethod,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryPolicy,
  sleep,
  type RequestRetry,
  type RetryPolicy,
} from './retry';
import undiciPackage from 'undici/package.json';
import { describeErrorBody, describeNetworkError, networkError, type AttemptFailure } from './failures';
import { parseJsonBody } from './jsonBody';
import { exchange } from './exchange';

type Dispatcher = Undici.Dispatcher;
let undiciModule: typeof Undici | undefined;
/**
 * undici, loaded when the first request is sent, not when the extension is activated: evaluating it
 * (and the Node modules it needs: net, tls, http2, zlib, …) was most of the bundle's load time.
 */
function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first request, not at activation (above); esbuild keeps it apart in dist/vendor/undici.js
  return (undiciModule ??= require('undici') as typeof Undici);
}

export interface TransportOptions {
  /** Full User-Agent header value (see buildUserAgent). */
  userAgent: string;
  /** Default per-attempt timeout in ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra CA certificates (PEM), in addition to the OS store and NODE_EXTRA_CA_CERTS. */
  ca?: string | string[];
  /** Environment for proxy variables, NODE_EXTRA_CA_CERTS and SSL_CERT_FILE / SSL_CERT_DIR (default process.env). */
  env?: Env;
  /** VS Code's network settings (proxy, no-proxy, proxy authorization, strict SSL, system certificates). */
  network?: NetworkOptions;
  retry?: Partial<RetryPolicy>;
  /** Default cap of a response body in bytes (default 32 MiB). */
  maxBodyBytes?: number;
  /** Receives one redacted line per attempt. */
  logger?: (line: string) => void;
  /** false: log lines and messages show the URL path without its query (partner URLs). Default true. */
  logQuery?: boolean;
  /** Secret values currently in use (scrubbed from every message and log line). */
  secrets?: () => Iterable<string>;
  /** Randomness for jitter (tests). */
  random?: () => number;
  /**
   * Parses a 2xx JSON body before schema validation (default JSON.parse). The workspace client passes
   * the int64-safe parser of ../schemas/json.ts so ids beyond 2^53 keep their digits.
   */
  parseJson?: (text: string) => unknown;
}

export interface HttpRequest {
  method: string;
  /** Absolute URL including the query string. */
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialised with Content-Type application/json). */
  json?: unknown;
  /** Form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** A body sent as is (with the caller's content-type header). */
  rawBody?: string;
  /** Overrides the method-based idempotency (see ./retry.ts). */
  idempotent?: boolean;
  /** Overrides which statuses are retried and how long to wait (see ./retry.ts). */
  retry?: RequestRetry;
  /** Statuses returned as responses instead of errors (after the retries for them are spent). */
  acceptStatus?: (status: number) => boolean;
  /** Cap of this response's body in bytes. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called before every attempt; its headers (e.g. Authorization) are added. */
  authorize?: (signal: AbortSignal | undefined) => Promise<Record<string, string>>;
  /** Called once on a 401; resolve true when credentials were refreshed and a retry makes sense. */
  onUnauthorized?: () => Promise<boolean>;
  /** Human name of the call for messages, default "METHOD /path". */
  label?: string;
  /**
   * Called before a non-idempotent request is sent again after a throttled answer (429/503): the
   * workspace may have done the work anyway. It may look the result up and throw to stop the resend
   * (the client's createOnce), or undo a partial result first.
   */
  beforeResend?: () => Promise<void>;
  /** Secrets of this request only (e.g. a token in its body), scrubbed like the transport's. */
  secrets?: readonly string[];
  /**
   * Called when an attempt ends without an answer after the request may have reached the server (a
   * timeout, a reset after sending): even when a later attempt succeeds, this one may still land late.
   */
  onAmbiguousAttempt?: () => void;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  contentType: string;
  requestId?: string;
  attempts: number;
  /** An earlier attempt failed after the request may have reached the server. */
  afterAmbiguousRetry: boolean;
}

export interface HttpTransport {
  /** Sends with retries. 2xx (and `acceptStatus`) → the response; error statuses → DatabricksApiError; others per class docs. */
  send(req: HttpRequest): Promise<HttpResponse>;
  /** `send` + JSON parse + zod. An empty 2xx body is an error unless `allowEmpty`. */
  requestJson<S extends z.ZodTypeAny>(req: HttpRequest, schema: S, o?: { allowEmpty?: boolean }): Promise<z.output<S>>;
  close(): Promise<void>;
}

/** `<product>/<version> undici/<v> node/<v> os/<platform> auth/<type>` */
export function buildUserAgent(product: { name: string; version: string }, authType: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9._+-]/g, '-');
  return [
    `${clean(product.name)}/${clean(product.version)}`,
    `undici/${clean(undiciPackage.version)}`,
    `node/${clean(process.versions.node)}`,
    `os/${clean(platform())}`,
    `auth/${clean(authType)}`,
  ].join(' ');
}

/**
 * The CA list to trust, or undefined to keep Node's defaults: Node's bundled roots plus `ca` plus the
 * PEM file named by NODE_EXTRA_CA_CERTS (plus the OS store with `systemCertificates: true`, which the
 * transport itself always asks for unless VS Code's http.systemCertificates is off). Unreadable files
 * are reported through `warn` and skipped.
 */
export function resolveCaCertificates(
  ca: string | string[] | undefined,
  env: Env,
  warn: (m: string) => void = () => undefined,
  o: { systemCertificates?: boolean } = {},
): string[] | undefined {
  return resolveTrustedCas({ ca, systemCertificates: o.systemCertificates ?? false }, env, warn).certificates;
}

const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;


export function createHttpTransport(options: TransportOptions): HttpTransport {
  const env: Env = options.env ?? process.env;
  const network = options.network ?? {};
  const policy = resolveRetryPolicy(options.retry);
  const random = options.random ?? Math.random;
  const log = options.logger;
  const defaultCap = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const proxyAuth = network.proxyAuthorization?.trim() || undefined;
  const secrets = (extra: readonly string[] = []): string[] => [...(options.secrets ? options.secrets() : []), ...extra, ...(proxyAuth ? [proxyAuth] : [])];
  const redact = (s: string, extra: readonly string[] = []): string => redactSecrets(s, secrets(extra));
  let dispatcher: Dispatcher | undefined;
  let closed = false;

  const getDispatcher = (): Dispatcher => {
    if (dispatcher) return dispatcher;
    const cas = resolveTrustedCas({ ca: options.ca, systemCertificates: network.systemCertificates }, env, (m) => log?.(redact(m)));
    const proxy = proxyConfig(env, network);
    const secureContext = cas.certificates ? secureContextFor(cas.certificates) : undefined;
    const tls = secureContext ? { secureContext } : {};
    const throughProxy = network.proxyStrictSSL === false ? { ...tls, rejectUnauthorized: false } : tls;
    dispatcher = new (undici().EnvHttpProxyAgent)({
      httpProxy: proxy.httpProxy,
      httpsProxy: proxy.httpsProxy,
      noProxy: proxy.noProxy,
      // Names under .localhost resolve to loopback without DNS (./lookup.ts); proxyConfig keeps them off proxies.
      connect: { ...tls, lookup: loopbackAwareLookup },
      requestTls: throughProxy,
      proxyTls: throughProxy,
      ...(proxyAuth ? { token: proxyAuth } : {}),
      keepAliveTimeout: 10_000,
    });
    return dispatcher;
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    if (closed) throw new Error('HTTP transport used after close()');
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    // for log lines and messages only: computed when one is written
    let shownPath: string | undefined;
    const pathQ = (): string => (shownPath ??= options.logQuery === false ? url.pathname : redactPathAndQuery(url.pathname + url.search));
    if (!isSecureOrLoopbackUrl(url)) {
      throw new AuthConfigError(
        'INSECURE_HOST',
        `Refusing ${method} ${url.protocol}//${url.host}${url.pathname}: only https:// is used (plain http only for 127.0.0.1, ::1 and localhost).`,
      );
    }
    const label = req.label ?? `${method} ${url.pathname}`;
    const idempotent = req.idempotent ?? isIdempotentMethod(method);
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const cap = req.maxBodyBytes ?? defaultCap;
    const reqSecrets = req.secrets ?? [];
    const maxAttempts = req.retry?.delaysMs !== undefined ? req.retry.delaysMs.length + 1 : policy.maxAttempts;
    const started = Date.now();
    let body: string | undefined;
    const baseHeaders: Record<string, string> = { 'user-agent': options.userAgent, accept: 'application/json' };
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      baseHeaders['content-type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      baseHeaders['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.rawBody !== undefined) {
      body = req.rawBody;
    }
    let ambiguous = false;
    let refreshedAuth = false;
    // a log line is built (and scrubbed) only when there is a log to write it to
    const line = (s: () => string): void => {
      if (log) log(redact(s(), reqSecrets));
    };
    const giveUp = (attempt: number): string => (attempt > 1 ? `, giving up after ${attempt} attempts` : '');
    const wait = (ms: number): Promise<void> =>
      sleep(ms, req.signal).catch(() => {
        throw new CancelledError(label);
      });

    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError(label);
      const headers: Record<string, string> = { ...baseHeaders };
      if (req.headers) addLowerKeys(headers, req.headers);
      if (req.authorize) addLowerKeys(headers, await req.authorize(req.signal));
      const t0 = Date.now();
      const outcome = await attemptOnce(url, method, headers, body, req.signal, timeoutMs, cap);
      const ms = Date.now() - t0;

      if ('kind' in outcome) {
        // No usable HTTP answer.
        if (outcome.code === 'CANCELLED') {
          line(() => `${method} ${url.host}${pathQ()} → cancelled after ${ms} ms (attempt ${attempt})`);
          throw new CancelledError(label);
        }
        const cls = classifyNetworkCode(outcome.code);
        const retryable = cls === 'not-sent' || (cls === 'ambiguous' && idempotent);
        const next = retryable ? nextWait(attempt, maxAttempts, undefined, started, req.retry) : undefined;
        line(
          () => `${method} ${url.host}${pathQ()} → ${outcome.code} after ${ms} ms (attempt ${attempt})${next !== undefined ? `, retrying in ${next} ms` : retryable ? giveUp(attempt) : ''}`,
        );
        if (cls === 'ambiguous') {
          ambiguous = true;
          req.onAmbiguousAttempt?.();
        }
        if (next === undefined) throw networkError(outcome, method, pathQ(), attempt, timeoutMs, cap, cls, idempotent, (m) => redact(m, reqSecrets), url.host);
        await wait(next);
        continue;
      }

      const { status, headers: resHeaders, text } = outcome;
      const contentType = resHeaders['content-type'] ?? '';
      // a request id is shown in messages: what a server or proxy put there is scrubbed like the body
      const rawRequestId = resHeaders['x-request-id'] ?? resHeaders['x-databricks-request-id'];
      // (scrubbed when first read: most answers are parsed and never name it)
      let shownId: string | undefined | null = null;
      const requestIdOf = (): string | undefined => (shownId !== null ? shownId : (shownId = rawRequestId === undefined ? undefined : redact(rawRequestId, reqSecrets).slice(0, 200)));
      const response = (): HttpResponse => ({
        status,
        headers: resHeaders,
        text,
        contentType,
        get requestId() {
          return requestIdOf();
        },
        attempts: attempt,
        afterAmbiguousRetry: ambiguous,
      });
      if (status >= 200 && status < 300) {
        if (log) line(() => `${method} ${url.host}${pathQ()} → ${status} in ${ms} ms (attempt ${attempt})`);
        return response();
      }
      const accepted = req.acceptStatus?.(status) === true;
      if (status >= 300 && status < 400) {
        line(() => `${method} ${url.host}${pathQ()} → ${status} in ${ms} ms (attempt ${attempt})`);
        if (accepted) return response();
        const location = resHeaders.location;
        let detail: string | undefined;
        if (location) {
          try {
            detail = new URL(location, url).host;
          } catch {
            detail = undefined;
          }
        }
        throw new UnexpectedResponseError({
          reason: 'redirect',
          status,
          method,
          path: pathQ(),
          contentType,
          snippet: bodySnippet(text, secrets(reqSecrets)),
          detail,
          requestId: requestIdOf(),
        });
      }
      // Error status.
      const err = describeErrorBody(status, text, contentType, secrets(reqSecrets));
      const rid = err.requestId ?? requestIdOf();
      if (status === 401 && req.onUnauthorized && !refreshedAuth) {
        refreshedAuth = true;
        const again = await req.onUnauthorized();
        line(() => `${method} ${url.host}${pathQ()} → 401 ${err.errorCode} in ${ms} ms (attempt ${attempt})${again ? ', retrying with refreshed credentials' : ''}`);
        if (again && attempt < maxAttempts) continue;
      } else {
        const retryable = req.retry?.statuses !== undefined ? req.retry.statuses.includes(status) : isRetryableStatus(status, err.errorCode, idempotent);
        const next = retryable ? nextWait(attempt, maxAttempts, parseRetryAfter(resHeaders['retry-after']), started, req.retry) : undefined;
        line(
          () => `${method} ${url.host}${pathQ()} → ${status} ${err.errorCode} in ${ms} ms (attempt ${attempt})${next !== undefined ? `, retrying in ${next} ms` : retryable ? giveUp(attempt) : ''}`,
        );
        if (next !== undefined) {
          await wait(next);
          if (!idempotent && req.beforeResend) await req.beforeResend();
          continue;
        }
      }
      if (accepted) return response();
      throw new DatabricksApiError({
        status,
        errorCode: err.errorCode,
        serverMessage: err.message,
        method,
        path: pathQ(),
        requestId: rid,
        afterAmbiguousRetry: ambiguous,
        attempts: attempt,
      });
    }
  };

  /** The wait before the next attempt, or undefined when attempts or the time budget are spent. */
  const nextWait = (attempt: number, maxAttempts: number, retryAfterMs: number | undefined, started: number, custom: RequestRetry | undefined): number | undefined => {
    if (attempt >= maxAttempts) return undefined;
    let ms: number;
    if (custom?.delaysMs !== undefined) ms = custom.delaysMs[attempt - 1] ?? 0;
    else ms = retryAfterMs !== undefined ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : backoffDelay(policy, attempt, random);
    if (Date.now() - started + ms > policy.maxTotalMs) return undefined;
    return ms;
  };

  const attemptOnce = async (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    userSignal: AbortSignal | undefined,
    timeoutMs: number,
    cap: number,
  ): Promise<AttemptFailure | { status: number; headers: Record<string, string>; text: string }> => {
    const state = { body: false, timedOut: false };
    try {
      const r = await exchange(getDispatcher(), { url, method, headers, body, signal: userSignal, timeoutMs, cap }, state);
      if ('tooLarge' in r) return { kind: 'network', code: 'BODY_TOO_LARGE', message: r.tooLarge };
      return r;
    } catch (e) {
      if (userSignal?.aborted) return { kind: 'network', code: 'CANCELLED', message: 'cancelled' };
      if (state.timedOut) return { kind: 'network', code: 'REQUEST_TIMEOUT', message: `no answer within ${timeoutMs} ms` };
      return describeNetworkError(e, state.body ? 'body' : 'request');
    }
  };

  const requestJson = async <S extends z.ZodTypeAny>(req: HttpRequest, schema: S, o?: { allowEmpty?: boolean }): Promise<z.output<S>> => {
    const res = await send(req);
    const path = (): string => {
      const url = new URL(req.url);
      return redactPathAndQuery(url.pathname + url.search);
    };
    return parseJsonBody(res, schema, req.method.toUpperCase(), path, () => secrets(req.secrets), o?.allowEmpty ?? false, options.parseJson);
  };

  return {
    send,
    requestJson,
    close: async () => {
      closed = true;
      const d = dispatcher;
      dispatcher = undefined;
      await d?.close().catch(() => undefined);
    },
  };
}

/** Copies `h` into `into` with lower-case names (a later name replaces an earlier one). */
function addLowerKeys(into: Record<string, string>, h: Record<string, string>): void {
  for (const k of Object.keys(h)) into[k.toLowerCase()] = h[k];
}

/**
 * One-shot JSON request with retries to any URL (creates and closes its own transport). For repeated
 * calls create a transport with createHttpTransport and reuse it (keep-alive).
 */
export async function requestJson<S extends z.ZodTypeAny>(
  req: HttpRequest & { schema: S; allowEmpty?: boolean },
  options: TransportOptions,
): Promise<z.output<S>> {
  const t = createHttpTransport(options);
  try {
    return await t.requestJson(req, req.schema, { allowEmpty: req.allowEmpty });
  } finally {
    await t.close();
  }
}
