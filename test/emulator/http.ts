/** Shared HTTP plumbing of the emulator: replies, errors, request context, paging helpers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller, EmulatorState } from './state';

export interface Reply {
  status: number;
  /** JSON body (serialised by the server); omitted = no body */
  body?: unknown;
  /** raw body text (wins over body) */
  raw?: string;
  headers?: Record<string, string>;
  /** send the body exactly as given (no request-id details added) */
  verbatim?: boolean;
}

export interface Ctx {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  rawBody: string;
  headers: IncomingHttpHeaders;
  caller: Caller | null;
  state: EmulatorState;
  /** regex capture groups of the route, URL-decoded */
  params: string[];
  requestId: string;
  /** host[:port] the request was sent to */
  host: string;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** 'none' = no Authorization needed (OAuth token endpoint, discovery) */
  auth?: 'none';
  /** errors from this route use the SCIM error body */
  scim?: boolean;
}

/** Thrown by handlers; the server turns it into the reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

/** Standard Databricks error (request id details are added by the server). */
export function apiError(status: number, errorCode: string, message: string): HttpError {
  return new HttpError({ status, body: { error_code: errorCode, message } });
}
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export function scimError(status: number, detail: string, scimType?: string): HttpError {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], detail, status: String(status) };
  if (scimType) body.scimType = scimType;
  return new HttpError({ status, body });
}

export function requireCaller(ctx: Ctx): Caller {
  if (!ctx.caller) throw apiError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.');
  return ctx.caller;
}
export function requireAdmin(ctx: Ctx, scim = false): Caller {
  const c = requireCaller(ctx);
  if (!c.isAdmin) {
    if (scim) throw scimError(403, 'User is not authorized to perform this operation. Only workspace admins may.');
    throw apiError(403, 'PERMISSION_DENIED', `${c.name} is not a workspace admin; only workspace admins may call ${ctx.method} ${ctx.path}.`);
  }
  return c;
}

/** The body as a plain object (400 MALFORMED_REQUEST otherwise). */
export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw apiError(400, 'MALFORMED_REQUEST', 'Request body must be a JSON object.');
  return b as Record<string, unknown>;
}
export function str(o: Record<string, unknown>, key: string, required: true): string;
export function str(o: Record<string, unknown>, key: string, required?: false): string | undefined;
export function str(o: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Missing required field: ${key}`);
    return undefined;
  }
  if (typeof v !== 'string') throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid value for ${key}: expected a string.`);
  return v;
}
export function int(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid value for ${key}: expected an integer.`);
  return n;
}
export function bool(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid value for ${key}: expected a boolean.`);
}

// ------------------------------------------------------------------ token paging
interface PageCursor {
  /** offset of the next real item */
  o: number;
  /** the next page is a real page (false = serve an empty page first) */
  r: boolean;
}
function encodeCursor(c: PageCursor, tag: string): string {
  return Buffer.from(JSON.stringify({ ...c, t: tag }), 'utf8').toString('base64url');
}
function decodeCursor(token: string, tag: string): PageCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (v && typeof v === 'object') {
      const o = (v as Record<string, unknown>).o;
      const r = (v as Record<string, unknown>).r;
      const t = (v as Record<string, unknown>).t;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && typeof r === 'boolean' && t === tag) return { o, r };
    }
  } catch {
    /* fall through */
  }
  throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Invalid page_token.');
}

/**
 * Token paging over a snapshot list. `pageSize` undefined = everything in one page. With
 * `emptyPages`, every real page is preceded by an empty page that still carries a token.
 */
export function tokenPage<T>(items: T[], tag: string, pageToken: string | undefined, pageSize: number | undefined, emptyPages: boolean): { items: T[]; next?: string } {
  const cur: PageCursor = pageToken ? decodeCursor(pageToken, tag) : { o: 0, r: !emptyPages };
  if (!cur.r) return { items: [], next: encodeCursor({ o: cur.o, r: true }, tag) };
  const size = pageSize ?? Math.max(items.length - cur.o, 0);
  const slice = items.slice(cur.o, cur.o + size);
  const nextOffset = cur.o + slice.length;
  if (nextOffset >= items.length || size === 0) return { items: slice };
  return { items: slice, next: encodeCursor({ o: nextOffset, r: !emptyPages }, tag) };
}

export function queryInt(ctx: Ctx, key: string): number | undefined {
  const v = ctx.query[key];
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid value for ${key}: "${v}" is not an integer.`);
  return Number(v);
}
