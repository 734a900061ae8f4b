/**
 * A local Databricks workspace emulator for tests and demos: node:http on 127.0.0.1, in-memory state
 * from a JSON seed, fault injection and a request log. See test/emulator/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Faults, STATUS_CODES, type FaultInjector, type FaultRule, type RecordedRequest } from './faults';
import { HttpError, apiError, type Ctx, type Reply, type Route } from './http';
import { scimRoutes } from './routes-scim';
import { tokenRoutes } from './routes-tokens';
import { secretRoutes } from './routes-secrets';
import { computeRoutes } from './routes-compute';
import { ucRoutes } from './routes-uc';
import { auditLogin, auditRequest } from './audit';
import { workspaceRoutes } from './routes-workspace';
import { folderAclRoutes } from './folder-acl';
import { EmulatorState, sha256, type Caller } from './state';
import type { Seed } from './seed';

export { Seed, loadSeed } from './seed';
export type { ParsedSeed } from './seed';
export { EmulatorState } from './state';
export type { Caller, UserRec, SpRec, SecretRec, GroupRec, TokenRec, AclEntry, WarehouseRec, ClusterRec, CatalogRec, SchemaRec, FileRec, StatementRec, PermissionLevel } from './state';
export type { FaultRule, FaultInjector, RecordedRequest } from './faults';
export { parseScimFilter, evalScimFilter } from './scim-filter';
export { parseStatement, quoteIdent } from './sql';

export interface StartEmulatorOptions {
  /** a seed object or a path to a JSON seed; default: seeds/demo.json */
  seed?: Seed | string;
  /** 0 (default) = any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** overrides the seed's options.oauthTokenTtlSeconds */
  oauthTokenTtlSeconds?: number;
}

export interface EmulatorHandle {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** PAT of the seed's first workspace admin user */
  readonly adminToken: string;
  /** PAT of a seeded user (or a service principal by applicationId/displayName); throws if unknown */
  tokenFor(userName: string): string;
  /** live state (same object across reset()) */
  state: EmulatorState;
  faults: FaultInjector;
  /** newest last */
  requests: RecordedRequest[];
  clearRequests(): void;
  /** reloads the state from a seed (default: the seed the emulator started with) */
  reset(seed?: Seed | string): void;
  close(): Promise<void>;
}

/** Seeds live in test/emulator/seeds (not copied to out/): found from both the source and the compiled folder. */
export function seedPath(name: string): string {
  const candidates = [resolve(__dirname, 'seeds', name), resolve(__dirname, '../../../test/emulator/seeds', name)];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}
export const DEMO_SEED_PATH = seedPath('demo.json');

const ROUTES: Route[] = [...scimRoutes, ...tokenRoutes, ...secretRoutes, ...computeRoutes, ...ucRoutes, ...workspaceRoutes, ...folderAclRoutes];
const MAX_BODY = 20 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(apiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function redactBody(path: string, body: unknown): unknown {
  if (path.startsWith('/oidc/') && body && typeof body === 'object') {
    const o = { ...(body as Record<string, unknown>) };
    if ('client_secret' in o) o.client_secret = '***';
    return o;
  }
  return body;
}

/**
 * One emulated workspace without a server of its own: its state, faults, request log and the
 * request handler. `startEmulator` serves one core on its own port; the account emulator
 * (test/account-emulator) serves many behind one server, routed by Host name like Databricks' front end.
 */
export interface EmulatorCore extends Omit<EmulatorHandle, 'url' | 'close'> {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createEmulatorCore(opts: Pick<StartEmulatorOptions, 'seed' | 'oauthTokenTtlSeconds'> = {}): EmulatorCore {
  let initialSeed: Seed | string = opts.seed ?? DEMO_SEED_PATH;
  const state = new EmulatorState(initialSeed);
  const applyOptions = (): void => {
    if (opts.oauthTokenTtlSeconds !== undefined) state.options.oauthTokenTtlSeconds = opts.oauthTokenTtlSeconds;
  };
  applyOptions();
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  /** bumped by reset(): a request that arrived before it is not matched against the faults added after it */
  let generation = 0;

  const resolveCaller = (authz: string | undefined): { caller: Caller | null; tokenId?: string; error?: HttpError } => {
    if (!authz) return { caller: null };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (!m) return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.') };
    const value = m[1];
    const t = state.tokenByValue(value);
    if (t) {
      if (t.expiry_time !== -1 && t.expiry_time <= state.now()) return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Token is expired.') };
      const p = state.principalById(t.ownerKind, t.ownerId);
      if (!p || !p.active) return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Invalid access token.') };
      state.touchToken(t);
      return { caller: state.callerOf(p), tokenId: t.token_id };
    }
    const o = state.oauthTokens.get(sha256(value));
    if (o) {
      if (o.expiresAt <= state.now()) return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Token is expired.') };
      const sp = state.servicePrincipals.get(o.spId);
      if (!sp || !sp.active) return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Invalid access token.') };
      return { caller: state.callerOf(sp) };
    }
    return { caller: null, error: apiError(401, 'UNAUTHENTICATED', 'Invalid access token.') };
  };

  const finish = (res: ServerResponse, reply: Reply, requestId: string): void => {
    // every workspace answer names the workspace (the SDKs read the workspace id from it on SCIM Me)
    const headers: Record<string, string> = { 'x-request-id': requestId, 'x-databricks-org-id': state.workspaceId, ...(reply.headers ?? {}) };
    let text: string | undefined;
    if (reply.raw !== undefined) {
      text = reply.raw;
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = text.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
      }
    } else if (reply.body !== undefined) {
      let body = reply.body;
      if (!reply.verbatim && body && typeof body === 'object' && !Array.isArray(body) && 'error_code' in body && !('details' in body)) {
        body = { ...body, details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', request_id: requestId, serving_data: '' }] };
      }
      // bigint values (int64 ids beyond 2^53) are written as plain JSON integers, digits intact
      text = stringifyWithBigInts(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    if (text !== undefined) headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
  };

  const scripted = (rule: FaultRule): Reply => {
    const status = rule.status ?? 500;
    if (rule.rawBody !== undefined) return { status, raw: rule.rawBody, headers: rule.headers };
    if (rule.body !== undefined) return { status, body: rule.body, headers: rule.headers, verbatim: true };
    if (status >= 400) {
      return { status, body: { error_code: STATUS_CODES[status] ?? 'UNKNOWN', message: `Injected fault: HTTP ${status}` }, headers: rule.headers };
    }
    return { status, body: {}, headers: rule.headers };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const record: RecordedRequest = { method, path, query, body: undefined, status: 0, auth: '', at: Date.now() };
    requests.push(record);
    const arrivedIn = generation;
    state.revokeUnusedTokens();
    let reply: Reply;
    try {
      const raw = await readBody(req);
      let body: unknown;
      const ctype = String(req.headers['content-type'] ?? '');
      if (raw.length > 0) {
        if (ctype.includes('application/x-www-form-urlencoded')) {
          body = Object.fromEntries(new URLSearchParams(raw));
        } else {
          try {
            body = JSON.parse(raw);
          } catch {
            if (!path.startsWith('/oidc/')) throw apiError(400, 'MALFORMED_REQUEST', 'Invalid JSON given in the body of the request.');
            body = Object.fromEntries(new URLSearchParams(raw));
          }
        }
      }
      record.body = redactBody(path, body);

      const rule = arrivedIn === generation ? faults.match(method, path) : undefined;
      if (rule) record.faulted = true;
      if (rule?.onMatch) await rule.onMatch(record);
      if (rule?.delayMs) await sleep(rule.delayMs);
      if (rule && !rule.after && rule.reset) {
        req.socket.resetAndDestroy();
        return;
      }
      if (rule && !rule.after && (rule.status !== undefined || rule.body !== undefined || rule.rawBody !== undefined)) {
        reply = scripted(rule);
      } else {
        reply = await route(method, path, query, body, raw, req, requestId, record);
        if (rule?.after) {
          if (rule.reset) {
            req.socket.resetAndDestroy();
            return;
          }
          reply = scripted(rule);
        }
      }
    } catch (e) {
      if (e instanceof HttpError) reply = e.reply;
      else {
        process.stderr.write(`emulator: internal error on ${method} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        reply = { status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'Emulator internal error.' } };
      }
    }
    record.status = reply.status;
    finish(res, reply, requestId);
  };

  const route = async (
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    raw: string,
    req: IncomingMessage,
    requestId: string,
    record: RecordedRequest,
  ): Promise<Reply> => {
    let found: { r: Route; m: RegExpExecArray } | undefined;
    for (const r of ROUTES) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) {
        found = { r, m };
        break;
      }
    }
    if (!found) throw apiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
    let caller: Caller | null = null;
    if (found.r.auth !== 'none') {
      const a = resolveCaller(req.headers.authorization);
      if (a.error) throw a.error;
      caller = a.caller;
      if (!caller) throw apiError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.');
      record.auth = caller.name;
      auditLogin(state, caller, a.tokenId ?? null);
    }
    const ctx: Ctx = {
      method,
      path,
      query,
      body,
      rawBody: raw,
      headers: req.headers,
      caller,
      state,
      params: found.m.slice(1).map((p) => decodeURIComponent(p ?? '')),
      requestId,
      host: req.headers.host ?? '127.0.0.1',
    };
    const reply = await found.r.handler(ctx);
    if (reply.status < 400) auditRequest(state, caller, method, path, body, reply.body);
    return reply;
  };

  const tokenFor = (name: string): string => {
    const known = state.seededTokenValues.get(name);
    if (known !== undefined) return known;
    const p = state.findPrincipalRef(name);
    if (!p) throw new Error(`emulator: no seeded user or service principal named "${name}"`);
    const key = p.kind === 'user' ? p.userName : p.applicationId;
    const existing = state.seededTokenValues.get(key);
    if (existing !== undefined) return existing;
    const creator = [...state.users.values()].find((u) => u.groups.has('admins'))!;
    const { value } = state.issueToken({ owner: p, createdBy: p.kind === 'user' ? p : creator, comment: 'emulator test token' });
    state.seededTokenValues.set(key, value);
    return value;
  };

  const core: EmulatorCore = {
    handle,
    get adminToken(): string {
      const admin = [...state.users.values()].find((u) => u.groups.has('admins'));
      if (!admin) throw new Error('emulator: the seed has no admin user');
      return tokenFor(admin.userName);
    },
    tokenFor,
    state,
    faults,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    reset: (seed?: Seed | string) => {
      if (seed !== undefined) initialSeed = seed;
      state.load(initialSeed);
      applyOptions();
      faults.clear();
      requests.length = 0;
      generation++;
    },
  };
  return core;
}

/**
 * JSON text of a reply body, bigint values as plain integers: JSON.stringify with each bigint first
 * written as a marked string, then unquoted (2-3x faster than lossless-json's stringify on a list of
 * 5 000 tokens, which the bench's large workspace serves on every detection).
 */
export function stringifyWithBigInts(body: unknown): string {
  let big = false;
  const text = JSON.stringify(body, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    big = true;
    return `\u0000bigint:${v}`;
  });
  return big ? text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1') : text;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  const core = createEmulatorCore(opts);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    core.handle(req, res).catch((e: unknown) => {
      process.stderr.write(`emulator: ${String(e)}\n`);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  const handle: EmulatorHandle = {
    url,
    get adminToken(): string {
      return core.adminToken;
    },
    tokenFor: core.tokenFor,
    state: core.state,
    faults: core.faults,
    requests: core.requests,
    clearRequests: core.clearRequests,
    reset: core.reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
  return handle;
}
