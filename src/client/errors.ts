/**
 * The error classes of the client. Every message says what failed, why, and what to do, and never
 * contains a secret (messages are built from redacted parts only).
 *
 * - `DatabricksApiError`: the workspace answered with an error status (or a FAILED statement).
 * - `UnexpectedResponseError`: a 2xx/3xx answer the client cannot use — not JSON (an HTML login
 *   page from a proxy), cut off, empty, or not matching the expected schema.
 * - `NetworkError`: no HTTP answer at all (connection refused/reset, DNS, TLS, proxy), after retries.
 * - `RequestTimeoutError`: the per-request timeout elapsed.
 * - `AuthConfigError`: the configuration cannot work (missing profile, bad host, CLI missing, ...).
 * - `CancelledError`: the caller's AbortSignal fired. Its `name` is 'AbortError', like DOM aborts.
 */
import { ScimErrorBody, StandardErrorBody } from './schemas';

/** Base class, so callers can tell client errors from programming errors. */
export class DatabricksClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP status → the error code Databricks uses for it (when the body carries none). */
export const STATUS_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface DatabricksApiErrorInit {
  status: number;
  errorCode: string;
  /** The server's own message (already redacted), without our hint. */
  serverMessage: string;
  method: string;
  /** Path with query (secret-like query values redacted). */
  path: string;
  requestId?: string;
  /** Extra guidance appended to the message. */
  hint?: string;
  /** Replaces the "METHOD /path failed with HTTP n CODE" opening of the message. */
  summary?: string;
  /** True when an earlier attempt of this call failed in a way that may have reached the server. */
  afterAmbiguousRetry?: boolean;
  attempts?: number;
}

export class DatabricksApiError extends DatabricksClientError {
  readonly status: number;
  readonly errorCode: string;
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  /**
   * An earlier attempt of this same call failed after the request may have reached the server
   * (e.g. a connection reset on a DELETE), so a 404 now may mean "already done".
   */
  readonly afterAmbiguousRetry: boolean;
  readonly attempts: number;

  constructor(init: DatabricksApiErrorInit) {
    const what = init.summary ?? `${init.method} ${stripQuery(init.path)} failed with HTTP ${init.status} ${init.errorCode}`;
    const why = init.serverMessage ? `: ${init.serverMessage}` : '';
    const hint = init.hint ?? defaultHint(init.status, init.errorCode);
    const rid = init.requestId ? ` (request id ${init.requestId})` : '';
    super(`${what}${why}${/[.!?]$/.test(why) ? '' : '.'}${hint ? ` ${hint}` : ''}${rid}`);
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.serverMessage = init.serverMessage;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.afterAmbiguousRetry = init.afterAmbiguousRetry ?? false;
    this.attempts = init.attempts ?? 1;
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.errorCode === 'RESOURCE_DOES_NOT_EXIST' || this.errorCode === 'NOT_FOUND' || isMissingCluster(this);
  }
  get isPermissionDenied(): boolean {
    return this.status === 403 || this.errorCode === 'PERMISSION_DENIED';
  }
  get isUnauthenticated(): boolean {
    return this.status === 401 || this.errorCode === 'UNAUTHENTICATED';
  }
  get isAlreadyExists(): boolean {
    return this.status === 409 || this.errorCode === 'RESOURCE_ALREADY_EXISTS' || this.errorCode === 'ALREADY_EXISTS';
  }
}

/**
 * The Clusters API answers a cluster that does not exist with 400 INVALID_PARAMETER_VALUE "Cluster <id>
 * does not exist", not 404: the Databricks SDKs map that answer to "resource does not exist"
 * (sdk-go apierr/error_overrides.go), and so do we, for every clusters call (a permanent-delete of a
 * cluster that is already gone is done).
 */
function isMissingCluster(e: { status: number; errorCode: string; path: string; serverMessage: string | undefined }): boolean {
  return e.status === 400 && e.errorCode === 'INVALID_PARAMETER_VALUE' && /^\/api\/2\.\d\/clusters\//.test(e.path) && /\bCluster .* does not exist/.test(e.serverMessage ?? '');
}

export type UnexpectedResponseReason = 'html' | 'not-json' | 'truncated' | 'empty' | 'schema' | 'redirect' | 'too-large';

export interface UnexpectedResponseInit {
  reason: UnexpectedResponseReason;
  status: number;
  method: string;
  path: string;
  contentType: string;
  /** Redacted, single-line, ≤ ~100 characters. */
  snippet: string;
  /** For 'schema': which fields did not match (paths and expectations, never values). */
  detail?: string;
  requestId?: string;
  /** Attempts made (when the failure ended a retried call). */
  attempts?: number;
}

export class UnexpectedResponseError extends DatabricksClientError {
  readonly reason: UnexpectedResponseReason;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly snippet: string;
  readonly requestId: string | undefined;
  readonly attempts: number | undefined;

  constructor(init: UnexpectedResponseInit) {
    const where = `${init.method} ${stripQuery(init.path)}`;
    const ct = init.contentType || 'no content-type';
    const starts = init.snippet ? ` Body starts with: "${init.snippet}".` : '';
    let msg: string;
    switch (init.reason) {
      case 'html':
        msg =
          `${where} answered HTTP ${init.status} with an HTML page (${ct}) instead of JSON — a sign-in page of a single-sign-on gateway or proxy, or a host that is not a Databricks workspace: ` +
          'check the workspace URL (for a workspace behind a shared host, include its ?o=<workspace id>) and the proxy settings (http.proxy / HTTPS_PROXY).' +
          starts;
        break;
      case 'not-json':
        msg = `${where} answered HTTP ${init.status} with a body that is not JSON (${ct}).${starts} Check the workspace URL and any proxy in between.`;
        break;
      case 'truncated':
        msg = `${where} answered HTTP ${init.status} but the JSON body was cut off (${ct}).${starts} The connection or a proxy dropped part of the response; try again.`;
        break;
      case 'empty':
        msg = `${where} answered HTTP ${init.status} with an empty body where JSON was expected. Check the workspace URL and any proxy in between.`;
        break;
      case 'schema':
        msg =
          `${where} answered HTTP ${init.status} with JSON of an unexpected shape (${init.detail ?? 'fields do not match'}).${starts} ` +
          'The workspace API may have changed or the host is not a Databricks workspace; please report this with the request id.';
        break;
      case 'too-large':
        msg = `${where} answered with a body too large to be a Databricks API answer (${init.detail ?? 'over the limit'}); it was not read. Check the workspace URL and any proxy in between.`;
        break;
      case 'redirect':
        msg =
          `${where} was redirected (HTTP ${init.status}${init.detail ? ` to ${init.detail}` : ''}). ` +
          'Databricks APIs do not redirect: the host is probably a login page or the wrong URL. Use the workspace URL (https://<workspace>.cloud.databricks.com or similar).';
        break;
    }
    super(`${msg}${init.requestId ? ` (request id ${init.requestId})` : ''}`);
    this.reason = init.reason;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.contentType = init.contentType;
    this.snippet = init.snippet;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
  }
}

export class NetworkError extends DatabricksClientError {
  constructor(
    message: string,
    readonly code: string,
    readonly method: string,
    readonly path: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export class RequestTimeoutError extends DatabricksClientError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(
      `${method} ${stripQuery(path)} got no answer within ${Math.round(timeoutMs / 1000)} s (after ${attempts} attempt${attempts === 1 ? '' : 's'}). ` +
        'The workspace may be slow or unreachable: check the network/proxy, or raise the request timeout setting.',
    );
  }
}

export type AuthConfigErrorCode =
  | 'INVALID_HOST'
  | 'INSECURE_HOST'
  | 'MISSING_HOST'
  | 'CONFIG_FILE_NOT_FOUND'
  | 'CONFIG_FILE_INVALID'
  | 'DUPLICATE_SECTION'
  | 'PROFILE_NOT_FOUND'
  | 'MISSING_CREDENTIALS'
  | 'UNSUPPORTED_AUTH_TYPE'
  | 'CLI_NOT_FOUND'
  | 'CLI_FAILED'
  | 'CLI_OUTPUT_INVALID'
  | 'OAUTH_FAILED'
  | 'MULTIPLE_AUTH_METHODS'
  | 'INVALID_CONFIG'
  | 'HOST_CHANGED'
  /** The Databricks CLI's (or Azure CLI's) sign-in for this host expired or never happened: run its login. */
  | 'LOGIN_REQUIRED'
  | 'AZURE_CLI_NOT_FOUND'
  | 'AZURE_CLI_FAILED'
  | 'AZURE_TENANT_NOT_FOUND'
  /** No sign-in method of the chain (Databricks CLI, Azure CLI) has a login for this host. */
  | 'NOT_SIGNED_IN';

/** A command that signs the user in again (run in a terminal, then retry). */
export interface LoginCommand {
  /** Executable path or name. */
  command: string;
  args: string[];
  /** Environment additions the command needs (e.g. DATABRICKS_CONFIG_FILE). */
  env?: Record<string, string>;
}

export class AuthConfigError extends DatabricksClientError {
  /** For LOGIN_REQUIRED: the login to offer (e.g. `databricks auth login --profile P`). */
  readonly login: LoginCommand | undefined;
  constructor(
    readonly code: AuthConfigErrorCode,
    message: string,
    extra: { login?: LoginCommand } = {},
  ) {
    super(message);
    this.login = extra.login;
  }
}

/**
 * A cancellation: the caller (the user, an aborted signal) stopped the work. Not a failure. Every
 * cancellation class of every layer (this one, the domain's cancelled connect, the adapters' dismissed
 * prompt) says so with this flag, so one `isCancellation` tells them all apart by type.
 */
export interface Cancellation extends Error {
  readonly cancellation: true;
}

/** The caller cancelled (AbortSignal). Named 'AbortError' so generic abort checks recognise it. */
export class CancelledError extends DatabricksClientError implements Cancellation {
  readonly cancellation = true as const;
  constructor(what = 'The request') {
    super(`${what} was cancelled.`);
    this.name = 'AbortError';
  }
}

/**
 * The one test for "the work was cancelled, not failed": a `Cancellation` of ours, or the platform's
 * own abort (a DOMException `AbortError` — an AbortSignal's default reason — or Node's AbortError,
 * code `ABORT_ERR`, of timers/promises, streams and fetch).
 */
export function isCancellation(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if ((e as Partial<Cancellation>).cancellation === true) return true;
  if (typeof DOMException !== 'undefined' && e instanceof DOMException) return e.name === 'AbortError';
  return (e as { code?: unknown }).code === 'ABORT_ERR';
}

// ------------------------------------------------------------------ error body parsing

export interface ParsedErrorBody {
  errorCode: string;
  message: string;
  requestId?: string;
}

/**
 * Reads both Databricks error shapes: standard `{error_code, message, details}` and SCIM
 * `{schemas, detail, status: "404"}` (→ `SCIM_404`), plus OAuth `{error, error_description}`.
 * Returns undefined when the value is none of them.
 */
export function parseErrorBody(value: unknown, httpStatus: number): ParsedErrorBody | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.error_code === 'string' || typeof o.error_code === 'number' || (typeof o.message === 'string' && !('detail' in o))) {
    const std = StandardErrorBody.safeParse(value);
    if (std.success) {
      return {
        errorCode: std.data.error_code ?? STATUS_ERROR_CODES[httpStatus] ?? `HTTP_${httpStatus}`,
        message: std.data.message ?? '',
        requestId: requestIdFromDetails(std.data.details),
      };
    }
  }
  const isScim =
    'detail' in o || (Array.isArray(o.schemas) && o.schemas.some((s) => typeof s === 'string' && s.endsWith(':Error')));
  if (isScim) {
    const scim = ScimErrorBody.safeParse(value);
    if (scim.success) {
      const status = scim.data.status !== undefined ? String(scim.data.status) : String(httpStatus);
      const detail = scim.data.detail ?? '';
      // SCIM throttling answers carry the standard code inside the detail text.
      const embedded = /\b(REQUEST_LIMIT_EXCEEDED|RESOURCE_EXHAUSTED|TEMPORARILY_UNAVAILABLE)\b/.exec(detail)?.[1];
      return { errorCode: embedded ?? `SCIM_${status}`, message: detail };
    }
  }
  if (typeof o.error === 'string') {
    const desc = typeof o.error_description === 'string' ? o.error_description : '';
    return { errorCode: o.error, message: desc };
  }
  return undefined;
}

function requestIdFromDetails(details: Array<Record<string, unknown>> | undefined): string | undefined {
  for (const d of details ?? []) {
    if (typeof d.request_id === 'string' && d.request_id) return d.request_id;
  }
  return undefined;
}

function defaultHint(status: number, code: string): string {
  if (status === 401 || code === 'UNAUTHENTICATED') {
    return 'The credentials were rejected: check that the token or OAuth client secret is valid and not expired, and that it belongs to this workspace.';
  }
  if (status === 403 || code === 'PERMISSION_DENIED' || code === 'SCIM_403') {
    return 'The signed-in identity lacks permission for this: it usually requires a workspace admin (member of the "admins" group) or, for Unity Catalog objects, the owner or a metastore admin.';
  }
  if (status === 407) return 'The proxy requires authentication: put credentials in the HTTPS_PROXY URL (http://user:password@proxy:port).';
  if (status === 429 || code === 'REQUEST_LIMIT_EXCEEDED') return 'The workspace is rate-limiting requests; wait a minute and try again.';
  if (status === 503) return 'The workspace is temporarily unavailable; try again shortly.';
  if (status >= 500) return 'The workspace had an internal error; try again, and report it with the request id if it persists.';
  return '';
}

function stripQuery(path: string): string {
  const i = path.indexOf('?');
  return i < 0 ? path : path.slice(0, i);
}
