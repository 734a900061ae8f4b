/** Workspace files (/api/2.0/workspace/*) and OAuth M2M (/oidc/*). */
import { randomBytes } from 'node:crypto';
import { apiError, bodyObject, bool, json, requireCaller, str, HttpError, type Ctx, type Reply, type Route } from './http';
import { grantCreator, nearestExisting, requireFolderLevel } from './folder-acl';
import { parentPath, sha256, type Caller, type FileRec } from './state';

type Json = Record<string, unknown>;

function normPath(p: string | undefined): string {
  if (p === undefined || p === '') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'path is required.');
  if (!p.startsWith('/')) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Path (${p}) must be absolute.`);
  if (p.split('/').some((seg) => seg === '..' || seg === '.')) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid path ${p}.`);
  const n = p.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  // `/Workspace/...` is an alias of the workspace root
  if (n === '/Workspace') return '/';
  return n.startsWith('/Workspace/') ? n.slice('/Workspace'.length) : n;
}

/** Reads need CAN READ, changes CAN EDIT, on the folder (folder-acl.ts: the special folders' rules). */
function checkAccess(ctx: Ctx, c: Caller, path: string, need: 'read' | 'write'): void {
  requireFolderLevel(ctx.state, c, path, need === 'read' ? 'CAN_READ' : 'CAN_EDIT');
}

function notFound(path: string): HttpError {
  return apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Path (${path}) doesn't exist.`);
}

function infoJson(f: FileRec): Json {
  const o: Json = { object_type: f.type, path: f.path, object_id: f.object_id, created_at: f.created_at, modified_at: f.modified_at };
  if (f.type !== 'DIRECTORY') o.size = f.content.length;
  if (f.language) o.language = f.language;
  if (f.type === 'FILE') o.resource_id = String(f.object_id);
  return o;
}

function importFile(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const b = bodyObject(ctx);
  const path = normPath(str(b, 'path', true));
  checkAccess(ctx, c, parentPath(path), 'write');
  const format = (str(b, 'format') ?? 'SOURCE').toUpperCase();
  if (!['AUTO', 'SOURCE', 'RAW', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN'].includes(format)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid format ${format}.`);
  const language = str(b, 'language');
  if (format === 'SOURCE' && !language) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'language is required when format is SOURCE.');
  const overwrite = bool(b, 'overwrite') ?? false;
  const contentB64 = str(b, 'content') ?? '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(contentB64)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'content must be base64 encoded.');
  const content = Buffer.from(contentB64, 'base64');
  if (content.length > 10 * 1024 * 1024) throw apiError(400, 'MAX_NOTEBOOK_SIZE_EXCEEDED', 'File size imported is larger than the 10 MB limit.');
  const parent = ctx.state.files.get(parentPath(path));
  if (!parent) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `The parent folder (${parentPath(path)}) does not exist.`);
  if (parent.type !== 'DIRECTORY') throw apiError(400, 'INVALID_PARAMETER_VALUE', `The parent path (${parentPath(path)}) is not a folder.`);
  const existing = ctx.state.files.get(path);
  if (existing && (existing.type === 'DIRECTORY' || !overwrite)) {
    throw apiError(400, 'RESOURCE_ALREADY_EXISTS', `Path (${path}) already exists.`);
  }
  const now = Date.now();
  const isNotebook = format !== 'AUTO' && format !== 'RAW';
  ctx.state.files.set(path, {
    path,
    type: isNotebook ? 'NOTEBOOK' : 'FILE',
    content,
    language: isNotebook ? (language ?? 'PYTHON') : undefined,
    object_id: existing?.object_id ?? ctx.state.nextObjectId(),
    created_at: existing?.created_at ?? now,
    modified_at: now,
  });
  return json({});
}

function deletePath(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const b = bodyObject(ctx);
  const path = normPath(str(b, 'path', true));
  checkAccess(ctx, c, path, 'write');
  const recursive = bool(b, 'recursive') ?? false;
  const f = ctx.state.files.get(path);
  if (!f) throw notFound(path);
  if (path === '/' || path === '/Users' || path === '/Shared') throw apiError(403, 'PERMISSION_DENIED', `Cannot delete ${path}.`);
  if (f.type === 'DIRECTORY') {
    const children = [...ctx.state.files.keys()].filter((k) => k.startsWith(`${path}/`));
    if (children.length > 0 && !recursive) throw apiError(400, 'DIRECTORY_NOT_EMPTY', `Folder (${path}) is not empty.`);
    children.forEach((k) => ctx.state.files.delete(k));
  }
  ctx.state.files.delete(path);
  return json({});
}

// ------------------------------------------------------------------ OAuth M2M
function parseForm(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}
function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError({ status, body: { error, error_description: description } });
}
/** Client id and secret of a token request: HTTP Basic (RFC 6749 §2.3.1, form-urlencoded first) or form fields. */
export function clientCredentials(form: Record<string, string>, authorization: string | undefined): { clientId?: string; clientSecret?: string } {
  let clientId = form.client_id;
  let clientSecret = form.client_secret;
  if (authorization && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      clientId = decodeURIComponent(decoded.slice(0, i));
      clientSecret = decodeURIComponent(decoded.slice(i + 1));
    }
  }
  return { clientId, clientSecret };
}

function tokenEndpoint(ctx: Ctx): Reply {
  const form = typeof ctx.body === 'object' && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, string>) : parseForm(ctx.rawBody);
  const { clientId, clientSecret } = clientCredentials(form, ctx.headers.authorization);
  if (form.grant_type !== 'client_credentials') throw oauthError(400, 'unsupported_grant_type', `grant_type ${form.grant_type ?? '(missing)'} is not supported; use client_credentials.`);
  if (!clientId || !clientSecret) throw oauthError(401, 'invalid_client', 'Client authentication failed: missing client credentials.');
  // the seeded secret or any active, unexpired workspace-level secret of the principal
  const sp = ctx.state.spBySecret(clientId, clientSecret);
  if (!sp || !sp.active) throw oauthError(401, 'invalid_client', 'Client authentication failed.');
  const scope = form.scope ?? 'all-apis';
  const ttl = ctx.state.options.oauthTokenTtlSeconds;
  const token = `eyJemu.${randomBytes(24).toString('base64url')}`;
  ctx.state.oauthTokens.set(sha256(token), { spId: sp.id, expiresAt: ctx.state.now() + ttl * 1000 });
  ctx.state.issuedCredentials.add(token);
  return json({ access_token: token, token_type: 'Bearer', expires_in: ttl, scope });
}

export const workspaceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/workspace\/get-status$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const path = normPath(ctx.query.path);
      checkAccess(ctx, c, path, 'read');
      const f = ctx.state.files.get(path);
      if (!f) throw notFound(path);
      return json(infoJson(f));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/workspace\/list$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const path = normPath(ctx.query.path);
      checkAccess(ctx, c, path, 'read');
      const f = ctx.state.files.get(path);
      if (!f) throw notFound(path);
      if (f.type !== 'DIRECTORY') return json({ objects: [infoJson(f)] });
      const prefix = path === '/' ? '/' : `${path}/`;
      const objects = [...ctx.state.files.values()]
        .filter((x) => x.path !== '/' && x.path.startsWith(prefix) && !x.path.slice(prefix.length).includes('/'))
        .sort((a, b) => a.path.localeCompare(b.path))
        .map(infoJson);
      return json(objects.length > 0 ? { objects } : {});
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/workspace\/mkdirs$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const path = normPath(str(bodyObject(ctx), 'path', true));
      checkAccess(ctx, c, nearestExisting(ctx.state, path), 'write');
      const top = /^\/Users\/([^/]+)/.exec(path);
      if (top && !ctx.state.files.has(`/Users/${top[1]}`)) throw apiError(400, 'DIRECTORY_PROTECTED', 'Folder Users is protected');
      const before = new Set(ctx.state.files.keys());
      const blocked = ctx.state.mkdirs(path);
      if (blocked !== undefined) throw apiError(400, 'RESOURCE_ALREADY_EXISTS', `Path (${blocked}) already exists and is not a folder.`);
      grantCreator(ctx.state, c, [...ctx.state.files.keys()].filter((k) => !before.has(k)));
      return json({});
    },
  },
  { method: 'POST', pattern: /^\/api\/2\.0\/workspace\/import$/, handler: importFile },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/workspace\/export$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const path = normPath(ctx.query.path);
      checkAccess(ctx, c, path, 'read');
      const f = ctx.state.files.get(path);
      if (!f) throw notFound(path);
      if (f.type === 'DIRECTORY') throw apiError(400, 'INVALID_PARAMETER_VALUE', `Path (${path}) is a folder; export it with format DBC.`);
      if (ctx.query.direct_download === 'true') return { status: 200, raw: f.content.toString('utf8'), headers: { 'content-type': 'application/octet-stream' } };
      return json({ content: f.content.toString('base64'), file_type: f.type === 'NOTEBOOK' ? 'py' : (f.path.split('.').pop() ?? '') });
    },
  },
  { method: 'POST', pattern: /^\/api\/2\.0\/workspace\/delete$/, handler: deletePath },
  { method: 'POST', pattern: /^\/oidc\/v1\/token$/, auth: 'none', handler: tokenEndpoint },
  {
    method: 'GET',
    pattern: /^\/oidc\/\.well-known\/oauth-authorization-server$/,
    auth: 'none',
    handler: (ctx) => {
      const base = `http://${ctx.host}`;
      return json({
        issuer: `${base}/oidc`,
        authorization_endpoint: `${base}/oidc/v1/authorize`,
        token_endpoint: `${base}/oidc/v1/token`,
        grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      });
    },
  },
];
