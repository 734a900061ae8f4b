/**
 * The HTTP transport of the client, on undici. Independent of Databricks specifics except for the
 * error-body shapes it understands, so other modules (e.g. the Partner Connect protocol client) can
 * reuse it for JSON requests with retries to any base URL and arbitrary headers.
 *
 * - One keep-alive dispatcher per origin: an undici `Agent`, or a `ProxyAgent` when HTTPS_PROXY /
 *   HTTP_PROXY (NO_PROXY honoured) from `options.env ?? process.env` say so.
 * - Extra CA certificates from `options.ca` and the file named by NODE_EXTRA_CA_CERTS, added to
 *   Node's bundled roots (read here because an extension host may not have had the variable at start).
 * - A per-attempt timeout, an AbortSignal on every call (aborts the in-flight request and any wait).
 * - Retries per ./retry.ts; on a 401 the `onUnauthorized` hook may refresh credentials once.
 * - One redacted log line per attempt: method, URL path and query (secret-like values redacted),
 *   status or failure code, duration, attempt number.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { platform } from 'node:os';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import {
  CancelledError,
  DatabricksApiError,
  NetworkError,
  RequestTimeoutError,
  STATUS_ERROR_CODES,
  UnexpectedResponseError,
  parseErrorBody,
} from '../errors';
import { bodySnippet, redactPathAndQuery, redactSecrets } from '../redact';
import { loopbackAwareLookup } from './lookup';
import { proxyForUrl, type Env } from './proxy';
import { onAbort } from './abort';
import {
  backoffDelay,
  classifyNetworkCode,
  isIdempotentMethod,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryPolicy,
  sleep,
  type RetryPolicy,
} from './retry';
import undiciPackage from 'undici/package.json';

export interface TransportOptions {
  /** Full User-Agent header value (see buildUserAgent). */
  userAgent: string;
  /** Default per-attempt timeout in ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra CA certificates (PEM), in addition to NODE_EXTRA_CA_CERTS. */
  ca?: string | string[];
  /** Environment for proxy variables and NODE_EXTRA_CA_CERTS (default process.env). */
  env?: Env;
  retry?: Partial<RetryPolicy>;
  /** Receives one redacted line per attempt. */
  logger?: (line: string) => void;
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
  /** Overrides the method-based idempotency (see ./retry.ts). */
  idempotent?: boolean;
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
  /** Sends with retries. 2xx → the response; error statuses → DatabricksApiError; others per class docs. */
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
 * PEM file named by NODE_EXTRA_CA_CERTS. Unreadable files are reported through `warn` and skipped.
 */
export function resolveCaCertificates(ca: string | string[] | undefined, env: Env, warn: (m: string) => void = () => undefined): string[] | undefined {
  const extra: string[] = [];
  if (ca !== undefined) extra.push(...(Array.isArray(ca) ? ca : [ca]).filter((c) => c.trim() !== ''));
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file !== undefined && file.trim() !== '') {
    try {
      extra.push(readFileSync(file, 'utf8'));
    } catch (e) {
      warn(`NODE_EXTRA_CA_CERTS: cannot read ${file} (${e instanceof Error ? e.message : String(e)}); continuing with the default CA certificates.`);
    }
  }
  if (extra.length === 0) return undefined;
  return [...rootCertificates, ...extra];
}

const DEFAULT_TIMEOUT_MS = 60_000;

interface AttemptFailure {
  kind: 'network';
  code: string;
  message: string;
}

export function createHttpTransport(options: TransportOptions): HttpTransport {
  const env: Env = options.env ?? process.env;
  const policy = resolveRetryPolicy(options.retry);
  const random = options.random ?? Math.random;
  const log = options.logger;
  const secrets = (): Iterable<string> => (options.secrets ? options.secrets() : []);
  const redact = (s: string): string => redactSecrets(s, secrets());
  const ca = resolveCaCertificates(options.ca, env, (m) => log?.(redact(m)));
  const dispatchers = new Map<string, Dispatcher>();
  let closed = false;

  const dispatcherFor = (url: URL): Dispatcher => {
    const key = url.origin;
    let d = dispatchers.get(key);
    if (!d) {
      const proxy = proxyForUrl(url, env);
      const tls = ca ? { ca } : undefined;
      d = proxy
        ? new ProxyAgent({ uri: proxy, requestTls: tls, proxyTls: tls, keepAliveTimeout: 10_000 })
        : new Agent({ connect: { ...tls, lookup: loopbackAwareLookup }, keepAliveTimeout: 10_000 });
      dispatchers.set(key, d);
    }
    return d;
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    if (closed) throw new Error('HTTP transport used after close()');
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const pathQ = redactPathAndQuery(url.pathname + url.search);
    const label = req.label ?? `${method} ${url.pathname}`;
    const idempotent = req.idempotent ?? isIdempotentMethod(method);
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    let body: string | undefined;
    const baseHeaders: Record<string, string> = { 'user-agent': options.userAgent, accept: 'application/json' };
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      baseHeaders['content-type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      baseHeaders['content-type'] = 'application/x-www-form-urlencoded';
    }
    let ambiguous = false;
    let refreshedAuth = false;

    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError(label);
      const headers: Record<string, string> = { ...baseHeaders, ...lowerKeys(req.headers ?? {}) };
      if (req.authorize) Object.assign(headers, lowerKeys(await req.authorize(req.signal)));
      const t0 = Date.now();
      const outcome = await attemptOnce(url, method, headers, body, req.signal, timeoutMs);
      const ms = Date.now() - t0;

      if ('kind' in outcome) {
        // No usable HTTP answer.
        if (outcome.code === 'CANCELLED') {
          log?.(`${method} ${url.host}${pathQ} → cancelled after ${ms} ms (attempt ${attempt})`);
          throw new CancelledError(label);
        }
        const cls = classifyNetworkCode(outcome.code);
        const retryable = cls === 'not-sent' || (cls === 'ambiguous' && idempotent);
        const wait = retryable ? nextWait(attempt, undefined, started) : undefined;
        log?.(
          `${method} ${url.host}${pathQ} → ${outcome.code} after ${ms} ms (attempt ${attempt})${wait !== undefined ? `, retrying in ${wait} ms` : ''}`,
        );
        if (cls === 'ambiguous') ambiguous = true;
        if (wait === undefined) throw networkError(outcome, method, pathQ, attempt, timeoutMs, cls, idempotent, redact);
        await sleep(wait, req.signal).catch(() => {
          throw new CancelledError(label);
        });
        continue;
      }

      const { status, headers: resHeaders, text } = outcome;
      const contentType = resHeaders['content-type'] ?? '';
      const requestId = resHeaders['x-request-id'] ?? resHeaders['x-databricks-request-id'];
      if (status >= 200 && status < 300) {
        log?.(`${method} ${url.host}${pathQ} → ${status} in ${ms} ms (attempt ${attempt})`);
        return { status, headers: resHeaders, text, contentType, requestId, attempts: attempt, afterAmbiguousRetry: ambiguous };
      }
      if (status >= 300 && status < 400) {
        log?.(`${method} ${url.host}${pathQ} → ${status} in ${ms} ms (attempt ${attempt})`);
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
          path: pathQ,
          contentType,
          snippet: bodySnippet(text, secrets()),
          detail,
          requestId,
        });
      }
      // Error status.
      const err = describeErrorBody(status, text, contentType, secrets());
      const rid = err.requestId ?? requestId;
      if (status === 401 && req.onUnauthorized && !refreshedAuth) {
        refreshedAuth = true;
        const again = await req.onUnauthorized();
        log?.(`${method} ${url.host}${pathQ} → 401 ${err.errorCode} in ${ms} ms (attempt ${attempt})${again ? ', retrying with refreshed credentials' : ''}`);
        if (again && attempt < policy.maxAttempts) continue;
      } else {
        const retryable = isRetryableStatus(status, err.errorCode, idempotent);
        const wait = retryable ? nextWait(attempt, parseRetryAfter(resHeaders['retry-after']), started) : undefined;
        log?.(
          `${method} ${url.host}${pathQ} → ${status} ${err.errorCode} in ${ms} ms (attempt ${attempt})${wait !== undefined ? `, retrying in ${wait} ms` : ''}`,
        );
        if (wait !== undefined) {
          await sleep(wait, req.signal).catch(() => {
            throw new CancelledError(label);
          });
          if (!idempotent && req.beforeResend) await req.beforeResend();
          continue;
        }
      }
      throw new DatabricksApiError({
        status,
        errorCode: err.errorCode,
        serverMessage: err.message,
        method,
        path: pathQ,
        requestId: rid,
        afterAmbiguousRetry: ambiguous,
        attempts: attempt,
      });
    }
  };

  /** The wait before the next attempt, or undefined when attempts or the time budget are spent. */
  const nextWait = (attempt: number, retryAfterMs: number | undefined, started: number): number | undefined => {
    if (attempt >= policy.maxAttempts) return undefined;
    const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : backoffDelay(policy, attempt, random);
    if (Date.now() - started + wait > policy.maxTotalMs) return undefined;
    return wait;
  };

  const attemptOnce = async (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    userSignal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<AttemptFailure | { status: number; headers: Record<string, string>; text: string }> => {
    const ac = new AbortController();
    let timedOut = false;
    const stopWaiting = onAbort(userSignal, () => ac.abort());
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    let phase: 'request' | 'body' = 'request';
    try {
      const res = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal: ac.signal,
        dispatcher: dispatcherFor(url),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      phase = 'body';
      const text = await res.body.text();
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { status: res.statusCode, headers: h, text };
    } catch (e) {
      if (userSignal?.aborted) return { kind: 'network', code: 'CANCELLED', message: 'cancelled' };
      if (timedOut) return { kind: 'network', code: 'REQUEST_TIMEOUT', message: `no answer within ${timeoutMs} ms` };
      return describeNetworkError(e, phase);
    } finally {
      clearTimeout(timer);
      stopWaiting();
    }
  };

  const requestJson = async <S extends z.ZodTypeAny>(req: HttpRequest, schema: S, o?: { allowEmpty?: boolean }): Promise<z.output<S>> => {
    const res = await send(req);
    const url = new URL(req.url);
    return parseJsonBody(res, schema, req.method.toUpperCase(), redactPathAndQuery(url.pathname + url.search), secrets(), o?.allowEmpty ?? false, options.parseJson);
  };

  return {
    send,
    requestJson,
    close: async () => {
      closed = true;
      const all = [...dispatchers.values()];
      dispatchers.clear();
      await Promise.all(all.map((d) => d.close().catch(() => undefined)));
    },
  };
}

/**
 * Parses a 2xx body as JSON and validates it. Non-JSON, HTML, truncated, empty (unless allowed)
 * and schema-mismatched bodies become UnexpectedResponseError.
 */
export function parseJsonBody<S extends z.ZodTypeAny>(
  res: Pick<HttpResponse, 'status' | 'text' | 'contentType' | 'requestId'>,
  schema: S,
  method: string,
  path: string,
  secrets: Iterable<string>,
  allowEmpty: boolean,
  parseJson: (text: string) => unknown = JSON.parse,
): z.output<S> {
  const known = [...secrets];
  const base = { status: res.status, method, path, contentType: res.contentType, requestId: res.requestId };
  const trimmed = res.text.trim();
  let value: unknown;
  if (trimmed === '') {
    if (!allowEmpty) throw new UnexpectedResponseError({ ...base, reason: 'empty', snippet: '' });
    value = {};
  } else {
    if (/html/i.test(res.contentType) || trimmed.startsWith('<')) {
      throw new UnexpectedResponseError({ ...base, reason: 'html', snippet: bodySnippet(trimmed, known) });
    }
    try {
      value = parseJson(trimmed);
    } catch {
      const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
      throw new UnexpectedResponseError({ ...base, reason: looksJson && isIncompleteJson(trimmed) ? 'truncated' : 'not-json', snippet: bodySnippet(trimmed, known) });
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
      .join('; ');
    throw new UnexpectedResponseError({ ...base, reason: 'schema', snippet: bodySnippet(trimmed, known), detail: redactSecrets(detail, known) });
  }
  return parsed.data as z.output<S>;
}

/** A JSON text that fails to parse only because it ends too early. */
function isIncompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    if (/end of (JSON )?input|Unterminated string/i.test(m)) return true;
  }
  // Unbalanced brackets outside strings also mean "cut off".
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth > 0 || inString;
}

function describeErrorBody(status: number, text: string, contentType: string, secrets: Iterable<string>): { errorCode: string; message: string; requestId?: string } {
  const known = [...secrets];
  const fallbackCode = STATUS_ERROR_CODES[status] ?? `HTTP_${status}`;
  const trimmed = text.trim();
  if (trimmed === '') return { errorCode: fallbackCode, message: '' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    const kind = /html/i.test(contentType) || trimmed.startsWith('<') ? 'an HTML page' : `a non-JSON body (${contentType || 'no content-type'})`;
    return {
      errorCode: fallbackCode,
      message: `the response was ${kind}, which usually comes from a proxy or gateway rather than Databricks; it starts with "${bodySnippet(trimmed, known)}"`,
    };
  }
  const parsed = parseErrorBody(value, status);
  if (!parsed) return { errorCode: fallbackCode, message: `unrecognised error body "${bodySnippet(trimmed, known)}"` };
  return { errorCode: parsed.errorCode, message: redactSecrets(parsed.message, known), requestId: parsed.requestId };
}

function describeNetworkError(e: unknown, phase: 'request' | 'body'): AttemptFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = (err as { cause?: unknown }).cause;
  const code =
    (err as { code?: unknown }).code ?? (cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined);
  const proxy = /Proxy response \((\d+)\)/.exec(err.message);
  if (proxy) {
    return { kind: 'network', code: proxy[1] === '407' ? 'PROXY_AUTH_REQUIRED' : 'PROXY_TUNNEL_REFUSED', message: err.message };
  }
  if (phase === 'body') return { kind: 'network', code: 'BODY_CUT_OFF', message: err.message };
  return { kind: 'network', code: typeof code === 'string' ? code : 'NETWORK_ERROR', message: err.message };
}

function networkError(
  f: AttemptFailure,
  method: string,
  path: string,
  attempts: number,
  timeoutMs: number,
  cls: 'not-sent' | 'ambiguous' | 'fatal',
  idempotent: boolean,
  redact: (s: string) => string,
): Error {
  const where = `${method} ${path.split('?')[0]}`;
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (f.code === 'REQUEST_TIMEOUT') return new RequestTimeoutError(method, path, timeoutMs, attempts);
  if (f.code === 'BODY_CUT_OFF') {
    return new UnexpectedResponseError({
      reason: 'truncated',
      status: 0,
      method,
      path,
      contentType: '',
      snippet: '',
      detail: redact(f.message),
    });
  }
  let why: string;
  switch (f.code) {
    case 'ECONNREFUSED':
      why = 'the connection was refused: check the workspace URL and that nothing blocks it (firewall, VPN)';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      why = 'the host name could not be resolved: check the workspace URL and your DNS / VPN';
      break;
    case 'PROXY_AUTH_REQUIRED':
      why = 'the proxy requires authentication (HTTP 407): put credentials in the HTTPS_PROXY URL';
      break;
    case 'PROXY_TUNNEL_REFUSED':
      why = 'the proxy refused to open a tunnel: check HTTPS_PROXY / NO_PROXY';
      break;
    default:
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/i.test(f.code)) {
        why = 'the TLS certificate could not be verified: if a corporate proxy inspects TLS, point NODE_EXTRA_CA_CERTS at its CA certificate';
      } else if (cls === 'ambiguous') {
        why = idempotent
          ? 'the connection was interrupted'
          : 'the connection was interrupted after the request may have reached the workspace, so it was not re-sent (it may or may not have taken effect — check before trying again)';
      } else {
        why = `the network request failed (${redact(f.message)})`;
      }
  }
  return new NetworkError(redact(`${where} failed ${tries}: ${why} [${f.code}].`), f.code, method, path, attempts);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
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
