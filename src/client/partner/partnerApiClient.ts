/**
 * The Databricks-side client of the Partner Connect protocol: calls the endpoints a partner hosts
 * (connect, delete-connection, test-connection, connectors), as described by its PartnerConfig.
 *
 * Guarantees:
 * - Every request carries `User-Agent: databricks`, `Authorization: Basic …` (when credentials are
 *   configured), `Content-Type: application/json`, `Accept-Language: en-US`.
 * - Outgoing bodies are validated with the strict zod schemas before anything is sent; incoming
 *   bodies are parsed with zod. Nothing from the partner is trusted unparsed.
 * - Requests go through the project's one HTTP transport (../http/transport.ts): the same proxy
 *   settings, trusted CAs, redactor, timeouts and body cap (1 MiB here) as workspace calls.
 * - Retries follow Databricks' own policy for partner calls: `connect` only on HTTP 500, after 1 s,
 *   2 s, 4 s (injectable); the other calls also on 502/503/504. A refused connection (nothing was
 *   sent) is retried too; a request that may have reached the partner (reset, timeout, cut-off
 *   answer) is never re-sent — a second connect could duplicate the connection — and a connect that
 *   broke that way is reported as `interrupted`.
 * - `debugging_message` goes to the logger only; outcomes carry `display_message` only.
 * - The personal access token, any OAuth secret and the basic-auth password never reach the
 *   logger, an outcome or an error message: log lines are built from a redacted summary and then
 *   scrubbed of every secret value this client knows about (in case a partner echoes one back;
 *   ./redaction.ts). What each call ends in: ./outcomes.ts.
 * - Credentials and tokens only travel over https, except to loopback hosts (the simulator).
 *   Redirects are never followed.
 */
import { stringifyJsonLossless } from '../schemas/json';
import { CancelledError, NetworkError, RequestTimeoutError, UnexpectedResponseError } from '../errors';
import { createHttpTransport, type HttpResponse } from '../http/transport';
import type { NetworkOptions } from '../http/proxy';
import { classifyNetworkCode } from '../http/retry';
import { checkPartnerBaseUrl, checkUrl, normalizeHostname, originAndPath } from '../urls';
import {
  ConnectRequest,
  ConnectResponse,
  ConnectorResponse,
  DeleteConnectionRequest,
  DeleteConnectionResponse,
  ErrorResponse,
  TestConnectionRequest,
  TestConnectionResponse,
  type ConnectRequestInput,
  type DeleteConnectionRequestInput,
  type PartnerProtocolConfig,
} from './partnerConfig';
import type { BadRequest, ConnectOutcome, DeleteConnectionOutcome, Failed, GetConnectorsOutcome, TestConnectionOutcome, Unauthorized } from './outcomes';
import { carriesSecret, redactConnectRequest, scrub, secretForms, secretsOf } from './redaction';

export interface PartnerCredentials {
  username: string;
  /** Secret. */
  password: string;
}

export interface PartnerApiClientOptions {
  config: PartnerProtocolConfig;
  /** Partner-issued basic-auth credentials; undefined sends no Authorization header (the partner will answer 401). */
  credentials: PartnerCredentials | undefined;
  /** Receives redacted, single-line log entries (for the output channel). */
  logger?: (line: string) => void;
  /** Environment used for HTTPS_PROXY / HTTP_PROXY / NO_PROXY and CA files (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** VS Code's network settings (proxy, no-proxy, proxy authorization, strict SSL, system certificates). */
  network?: NetworkOptions;
  /** Extra CA certificates (PEM). */
  ca?: string | string[];
  /** Waits before each retry on a retryable failure; default [1000, 2000, 4000] (3 retries). */
  retryDelaysMs?: readonly number[];
  /** Per-attempt timeout in ms; default 30 000. */
  timeoutMs?: number;
  /** Accept-Language header; default en-US. */
  acceptLanguage?: string;
}

export interface PartnerCallOptions {
  /** Cancels the request and any retry wait; the call then rejects with an error named AbortError. */
  signal?: AbortSignal;
  /** Per-attempt timeout override in ms. */
  timeoutMs?: number;
}

export interface PartnerApiClient {
  readonly config: PartnerProtocolConfig;
  connect(request: ConnectRequestInput, o?: PartnerCallOptions): Promise<ConnectOutcome>;
  deleteConnection(request: DeleteConnectionRequestInput, o?: PartnerCallOptions): Promise<DeleteConnectionOutcome>;
  testConnection(request: TestConnectionRequest, o?: PartnerCallOptions): Promise<TestConnectionOutcome>;
  getConnectors(q?: { pagination_token?: string }, o?: PartnerCallOptions): Promise<GetConnectorsOutcome>;
  /** Closes keep-alive connections. */
  close(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000];
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 1024 * 1024;
const RETRYABLE_STATUSES: readonly number[] = [500, 502, 503, 504];
/** connect (not idempotent): Databricks retries it only on 500. */
const CONNECT_RETRYABLE_STATUSES: readonly number[] = [500];

// ------------------------------------------------------------------ URL rules
/**
 * True only when `redirectUri` may be opened in a browser for this partner: it passes the project's
 * one URL parser (../urls.ts: https, or http to a loopback host; no user:password@; canonical — so
 * `https://app.partner.example\@evil.example/` is refused) and its hostname equals
 * (case-insensitively, ignoring a trailing dot) one of `config.hostnames`.
 *
 * Strict by design: subdomains do NOT count (`app.partner.com` is not allowed by `partner.com`),
 * and entries are compared as plain hostnames (no wildcards, schemes or ports).
 */
export function isRedirectAllowed(config: Pick<PartnerProtocolConfig, 'hostnames'>, redirectUri: string): boolean {
  const c = checkUrl(redirectUri);
  if (!c.ok) return false;
  const host = normalizeHostname(c.url.hostname);
  return config.hostnames.some((h) => normalizeHostname(h) === host);
}

/** Joins base_url and an endpoint path ("https://p.com/api/" + "/connect" → "https://p.com/api/connect"). */
export function partnerEndpointUrl(baseUrl: string, path: string): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const p = path.startsWith('/') ? path : `/${path}`;
  return new URL(base + p);
}

// ------------------------------------------------------------------ client
interface RawResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty / not JSON. */
  json: unknown;
}

type AttemptResult =
  | { type: 'response'; res: RawResponse; attempts: number }
  | { type: 'error'; reason: 'network' | 'interrupted' | 'timeout' | 'server_error' | 'invalid_response'; status: number | null; attempts: number };

export function createPartnerApiClient(opts: PartnerApiClientOptions): PartnerApiClient {
  const { config, credentials } = opts;
  const env = opts.env ?? process.env;
  const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const acceptLanguage = opts.acceptLanguage ?? 'en-US';
  const partnerName = config.name;

  const base = checkPartnerBaseUrl(config.base_url);
  if (!base.ok) throw new Error(`Partner "${partnerName}": base_url ${base.reason}.`);

  const authHeader =
    credentials !== undefined ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}` : undefined;
  const clientSecrets = [credentials?.password, authHeader, authHeader?.slice('Basic '.length)].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );

  const transport = createHttpTransport({
    userAgent: 'databricks',
    timeoutMs: defaultTimeout,
    env,
    network: opts.network,
    ca: opts.ca,
    maxBodyBytes: MAX_BODY_BYTES,
    // Partner URLs are logged by origin + path only.
    logQuery: false,
    secrets: () => clientSecrets,
    logger: opts.logger ? (line) => log(line) : undefined,
  });

  const log = (line: string, extraSecrets: readonly string[] = []) => {
    if (!opts.logger) return;
    try {
      opts.logger(scrub(`[partner ${partnerName}] ${line}`, secretForms([...clientSecrets, ...extraSecrets])));
    } catch {
      // a failing logger must not break the protocol
    }
  };

  const signInUrl = config.sign_up_page && config.sign_up_page.length > 0 ? config.sign_up_page : undefined;

  function rawOf(res: HttpResponse): RawResponse {
    let json: unknown;
    if (res.text.trim() !== '') {
      try {
        json = JSON.parse(res.text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, json };
  }

  /** One logical call: the transport retries per the partner policy; every status comes back as a response. */
  async function call(
    op: string,
    method: 'GET' | 'POST',
    url: URL,
    body: string | undefined,
    summary: string,
    secrets: readonly string[],
    o: PartnerCallOptions | undefined,
  ): Promise<AttemptResult> {
    const isConnect = op === 'connect';
    log(`${op}: ${method} ${originAndPath(url)} ${summary}`, secrets);
    try {
      const res = await transport.send({
        method,
        url: url.href,
        headers: { 'accept-language': acceptLanguage, ...(authHeader ? { authorization: authHeader } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        // Serialised by the caller (int64 ids keep every digit).
        ...(body !== undefined ? { rawBody: body } : {}),
        // Never re-sent once it may have reached the partner (reset, timeout, cut-off answer).
        idempotent: false,
        retry: { statuses: isConnect ? CONNECT_RETRYABLE_STATUSES : RETRYABLE_STATUSES, delaysMs: retryDelays },
        acceptStatus: () => true,
        signal: o?.signal,
        timeoutMs: o?.timeoutMs ?? defaultTimeout,
        secrets,
        label: `The ${op} call to ${partnerName}`,
      });
      const raw = rawOf(res);
      logResponse(op, raw, secrets);
      return { type: 'response', res: raw, attempts: res.attempts };
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (e instanceof RequestTimeoutError) {
        log(`${op}: timed out`, secrets);
        return { type: 'error', reason: 'timeout', status: null, attempts: e.attempts };
      }
      if (e instanceof NetworkError) {
        const mayHaveArrived = classifyNetworkCode(e.code) === 'ambiguous';
        return { type: 'error', reason: isConnect && mayHaveArrived ? 'interrupted' : 'network', status: null, attempts: e.attempts };
      }
      if (e instanceof UnexpectedResponseError && e.reason === 'truncated') {
        return { type: 'error', reason: isConnect ? 'interrupted' : 'network', status: null, attempts: e.attempts ?? 1 };
      }
      if (e instanceof UnexpectedResponseError && e.reason === 'too-large') {
        log(`${op}: the answer is larger than ${MAX_BODY_BYTES} bytes; not read`, secrets);
        return { type: 'error', reason: 'invalid_response', status: null, attempts: e.attempts ?? 1 };
      }
      throw e;
    }
  }

  function logResponse(op: string, res: RawResponse, secrets: readonly string[]): void {
    const err = res.status >= 400 ? ErrorResponse.safeParse(res.json) : undefined;
    if (err?.success) {
      const dbg = err.data.debugging_message !== undefined ? ` debugging_message=${JSON.stringify(err.data.debugging_message)}` : '';
      log(`${op}: HTTP ${res.status} error_reason=${err.data.error_reason}${dbg}`, secrets);
    } else {
      log(`${op}: HTTP ${res.status}`, secrets);
    }
  }

  function displayMessageOf(json: unknown): string | undefined {
    const r = ErrorResponse.safeParse(json);
    if (r.success) return r.data.display_message;
    // An error body that does not match the spec: still take a string display_message, nothing else.
    if (json && typeof json === 'object' && typeof (json as { display_message?: unknown }).display_message === 'string') {
      return (json as { display_message: string }).display_message;
    }
    return undefined;
  }

  function errorReasonOf(json: unknown): string | undefined {
    const r = ErrorResponse.safeParse(json);
    return r.success ? r.data.error_reason : undefined;
  }

  /** Maps the outcomes common to every call (errors and non-2xx statuses). */
  function commonOutcome(r: AttemptResult, allowSignIn: boolean): Failed | Unauthorized | BadRequest | undefined {
    if (r.type === 'error') {
      return { kind: 'failed', status: r.status, reason: r.reason, attempts: r.attempts, ...(allowSignIn && signInUrl ? { signInUrl } : {}) };
    }
    const { status, json } = r.res;
    const displayMessage = displayMessageOf(json);
    const dm = displayMessage !== undefined ? { displayMessage } : {};
    if (status === 401) return { kind: 'unauthorized', ...dm, ...(signInUrl ? { signInUrl } : {}), attempts: r.attempts };
    if (status === 400) return { kind: 'bad_request', ...dm, attempts: r.attempts };
    if (status >= 500) {
      return { kind: 'failed', status, reason: 'server_error', ...dm, ...(allowSignIn && signInUrl ? { signInUrl } : {}), attempts: r.attempts };
    }
    return undefined;
  }

  function unexpected(status: number, attempts: number, json: unknown): Failed {
    const displayMessage = displayMessageOf(json);
    return { kind: 'failed', status, reason: 'unexpected_status', ...(displayMessage !== undefined ? { displayMessage } : {}), attempts };
  }

  function invalid(op: string, status: number, attempts: number, why: string): Failed {
    log(`${op}: invalid response body: ${why}`);
    return { kind: 'failed', status, reason: 'invalid_response', attempts };
  }

  function issuesOf(e: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
    return e.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
  }

  /** A partner could echo a secret back in display_message: never let it reach the UI. */
  function sanitize<T extends object>(outcome: T, secrets: readonly string[]): T {
    const dm = (outcome as { displayMessage?: unknown }).displayMessage;
    if (typeof dm !== 'string') return outcome;
    return { ...outcome, displayMessage: scrub(dm, secretForms([...clientSecrets, ...secrets])) };
  }

  /**
   * A successful connect's answer reaches the UI (display_message, redirect_uri) and the record
   * (connection_id). A partner that echoes a secret of the request: every string of the answer is
   * scrubbed; a redirect that carried one is not opened; a connection_id that carries one is refused.
   */
  function sanitizeConnected(outcome: ConnectOutcome, requestSecrets: readonly string[]): ConnectOutcome {
    if (outcome.kind !== 'connected') return sanitize(outcome, requestSecrets);
    const all = [...clientSecrets, ...requestSecrets];
    const r = outcome.response;
    if (r.connection_id !== undefined && carriesSecret(r.connection_id, all)) {
      return invalid('connect', outcome.status, outcome.attempts, 'connection_id carries a credential that was sent to the partner');
    }
    const forms = secretForms(all);
    const clean = (v: unknown): unknown =>
      typeof v === 'string' ? (carriesSecret(v, all) ? scrub(v, forms) : v) : Array.isArray(v) ? v.map(clean) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)])) : v;
    const carries = carriesSecret(r.redirect_uri, all) || (r.oauth_redirect_uri !== undefined && carriesSecret(r.oauth_redirect_uri, all));
    const response = clean(r) as ConnectResponse;
    if (carries) {
      response.redirect_uri = scrub(r.redirect_uri, forms);
      log('connect: redirect_uri carries a credential that was sent to the partner: it is not opened');
    }
    return { ...outcome, response, redirectAllowed: outcome.redirectAllowed && !carries, redirectCarriesSecret: carries };
  }

  return {
    config,

    async connect(input, o) {
      return sanitizeConnected(await connectInner(input, o), secretsOf(input));
    },
    async deleteConnection(input, o) {
      return sanitize(await deleteInner(input, o), []);
    },
    async testConnection(input, o) {
      return sanitize(await testInner(input, o), []);
    },
    async getConnectors(q, o) {
      return sanitize(await connectorsInner(q, o), []);
    },
    async close() {
      await transport.close();
    },
  };

  async function connectInner(input: ConnectRequestInput, o: PartnerCallOptions | undefined): Promise<ConnectOutcome> {
    const secrets = secretsOf(input);
    const parsed = ConnectRequest.safeParse(input);
    if (!parsed.success) {
      // Programming error on our side; the message names fields, never values.
      throw new Error(`Invalid ConnectRequest for partner "${partnerName}": ${issuesOf(parsed.error)}`);
    }
    const req = parsed.data;
    const established = req.user_info.is_connection_established;
    if (established && (req.connection_id === undefined || req.connection_id === '')) {
      throw new Error('Invalid ConnectRequest: connection_id is required when is_connection_established is true');
    }
    if (established && req.user_info.auth !== undefined) {
      throw new Error('Invalid ConnectRequest: no token may be sent when is_connection_established is true');
    }
    if (!established && req.connection_id !== undefined) {
      throw new Error('Invalid ConnectRequest: connection_id is only sent when is_connection_established is true');
    }
    const url = partnerEndpointUrl(config.base_url, config.endpoints.connect_path);
    // int64 ids (workspace_id, ...) are bigints here: written with every digit
    const summary = stringifyJsonLossless(redactConnectRequest(req));
    const r = await call('connect', 'POST', url, stringifyJsonLossless(req), summary, secrets, o);
    const common = commonOutcome(r, true);
    if (common) return common;
    if (r.type !== 'response') throw new Error('unreachable');
    const { status, json } = r.res;
    if (status === 404) {
      const reason = errorReasonOf(json);
      const nf: 'account_not_found' | 'connection_not_found' =
        reason === 'account_not_found' || reason === 'connection_not_found'
          ? reason
          : established
            ? 'connection_not_found'
            : 'account_not_found';
      const displayMessage = displayMessageOf(json);
      return { kind: 'not_found', reason: nf, ...(displayMessage !== undefined ? { displayMessage } : {}), attempts: r.attempts };
    }
    if (status !== 200 && status !== 201) return unexpected(status, r.attempts, json);
    const body = ConnectResponse.safeParse(json);
    if (!body.success) return invalid('connect', status, r.attempts, issuesOf(body.error));
    const response = body.data;
    if (!established && response.configured_resources && !response.connection_id) {
      return invalid('connect', status, r.attempts, 'configured_resources is true but connection_id is missing');
    }
    const redirectAllowed = isRedirectAllowed(config, response.redirect_uri);
    log(
      `connect: HTTP ${status} user_status=${response.user_status} account_status=${response.account_status} ` +
        `configured_resources=${response.configured_resources} redirect_value=${response.redirect_value} ` +
        `connection_id=${response.connection_id ?? '-'} redirect_allowed=${redirectAllowed}`,
      secrets,
    );
    return { kind: 'connected', status, response, redirectAllowed, redirectCarriesSecret: false, attempts: r.attempts };
  }

  async function deleteInner(input: DeleteConnectionRequestInput, o: PartnerCallOptions | undefined): Promise<DeleteConnectionOutcome> {
    const path = config.endpoints.delete_connection_path;
    if (!path) return { kind: 'not_supported' };
    const parsed = DeleteConnectionRequest.safeParse(input);
    if (!parsed.success) throw new Error(`Invalid DeleteConnectionRequest: ${issuesOf(parsed.error)}`);
    const url = partnerEndpointUrl(config.base_url, path);
    const summary = `(connection_id=${parsed.data.connection_id} workspace_id=${parsed.data.databricks_organization_id})`;
    const r = await call('delete-connection', 'POST', url, stringifyJsonLossless(parsed.data), summary, [], o);
    const common = commonOutcome(r, false);
    if (common) return common;
    if (r.type !== 'response') throw new Error('unreachable');
    const { status, json } = r.res;
    if (status === 404) {
      const reason = errorReasonOf(json) === 'account_not_found' ? 'account_not_found' : 'connection_not_found';
      const displayMessage = displayMessageOf(json);
      return { kind: 'already_gone', reason, ...(displayMessage !== undefined ? { displayMessage } : {}), attempts: r.attempts };
    }
    if (status < 200 || status > 299) return unexpected(status, r.attempts, json);
    const body = DeleteConnectionResponse.safeParse(json);
    if (!body.success) return invalid('delete-connection', status, r.attempts, issuesOf(body.error));
    const rs = body.data.resource_status;
    if (rs === 'user_unauthorized') return { kind: 'unauthorized', ...(signInUrl ? { signInUrl } : {}), attempts: r.attempts };
    return { kind: 'deleted', resource_status: rs, attempts: r.attempts };
  }

  async function testInner(input: TestConnectionRequest, o: PartnerCallOptions | undefined): Promise<TestConnectionOutcome> {
    const path = config.endpoints.test_connection_path;
    if (!path) return { kind: 'not_supported' };
    const parsed = TestConnectionRequest.safeParse(input);
    if (!parsed.success) throw new Error(`Invalid TestConnectionRequest: ${issuesOf(parsed.error)}`);
    const url = partnerEndpointUrl(config.base_url, path);
    const r = await call('test-connection', 'POST', url, JSON.stringify(parsed.data), `(connection_id=${parsed.data.connection_id})`, [], o);
    const common = commonOutcome(r, false);
    if (common) return common;
    if (r.type !== 'response') throw new Error('unreachable');
    const { status, json } = r.res;
    if (status === 404) {
      const displayMessage = displayMessageOf(json);
      return { kind: 'not_found', ...(displayMessage !== undefined ? { displayMessage } : {}), attempts: r.attempts };
    }
    if (status !== 200) return unexpected(status, r.attempts, json);
    const body = TestConnectionResponse.safeParse(json);
    if (!body.success) return invalid('test-connection', status, r.attempts, issuesOf(body.error));
    const results = body.data.test_results;
    return { kind: 'tested', results, allPassed: results.length > 0 && results.every((t) => t.status === 'PASS'), attempts: r.attempts };
  }

  async function connectorsInner(q: { pagination_token?: string } | undefined, o: PartnerCallOptions | undefined): Promise<GetConnectorsOutcome> {
    const path = config.endpoints.get_connectors_path;
    if (!path) return { kind: 'not_supported' };
    const url = partnerEndpointUrl(config.base_url, path);
    if (q?.pagination_token !== undefined) url.searchParams.set('pagination_token', q.pagination_token);
    const r = await call('connectors', 'GET', url, undefined, '', [], o);
    const common = commonOutcome(r, false);
    if (common) return common;
    if (r.type !== 'response') throw new Error('unreachable');
    const { status, json } = r.res;
    if (status !== 200) return unexpected(status, r.attempts, json);
    const body = ConnectorResponse.safeParse(json);
    if (!body.success) return invalid('connectors', status, r.attempts, issuesOf(body.error));
    return { kind: 'connectors', response: body.data, attempts: r.attempts };
  }
}
