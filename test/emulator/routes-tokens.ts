/** Token management, on-behalf-of tokens and the token-usage ACL. */
import { aclEntryJson, effectiveLevel, mergeAcl, parseAclRequest } from './acl';
import { apiError, bodyObject, int, json, requireAdmin, requireCaller, str, type Ctx, type Reply, type Route } from './http';
import type { AclEntry, Caller, EmulatorState, TokenRec } from './state';

type Json = Record<string, unknown>;

export function tokenInfoJson(state: EmulatorState, t: TokenRec): Json {
  // ids are int64 in the real API: sent as JSON integers, beyond 2^53 for principals the emulator creates
  const o: Json = {
    token_id: t.token_id,
    creation_time: t.creation_time,
    expiry_time: t.expiry_time,
    comment: t.comment,
    created_by_id: BigInt(t.created_by_id),
    created_by_username: t.created_by_username,
    owner_id: BigInt(t.ownerId),
  };
  if (t.last_used_day !== undefined) o.last_used_day = t.last_used_day;
  void state;
  return o;
}

function tokenAclJson(state: EmulatorState): Json {
  return {
    object_id: '/authorization/tokens',
    object_type: 'tokens',
    access_control_list: [
      { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] },
      ...state.tokenAcl.filter((e) => !(e.kind === 'group' && e.name === 'admins')).map((e) => aclEntryJson(state, e)),
    ],
  };
}

/** May this principal use (create/own) tokens? */
export function canUseTokens(state: EmulatorState, c: Caller): boolean {
  return c.isAdmin || effectiveLevel(state.tokenAcl, c) !== undefined;
}

function validateTokenAcl(entries: AclEntry[]): AclEntry[] {
  for (const e of entries) {
    if (e.level === 'CAN_MANAGE' && !(e.kind === 'group' && e.name === 'admins')) {
      throw apiError(400, 'INVALID_PARAMETER_VALUE', 'CAN_MANAGE on tokens can only be held by the admins group.');
    }
  }
  return entries.filter((e) => !(e.kind === 'group' && e.name === 'admins'));
}

/** The lifetime a new token gets, in seconds, or the refusal: never "never", never above the cap. */
function allowedLifetime(ctx: Ctx, requested: number | undefined): number {
  const maxDays = ctx.state.maxTokenLifetimeDays();
  // An omitted lifetime is not documented (the Go SDK says 2 years for user tokens): here it gets the cap.
  // A lifetime of 0 or less would be "never", which no new token may be since Dec 2024; above the cap is refused.
  const lifetime = requested ?? maxDays * 86_400;
  if (lifetime <= 0 || lifetime > maxDays * 86_400) {
    throw apiError(
      400,
      'INVALID_PARAMETER_VALUE',
      `Token lifetime ${lifetime <= 0 ? '(no expiry)' : `${lifetime} seconds`} exceeds the maximum lifetime of ${maxDays} days allowed for new tokens in this workspace.`,
    );
  }
  return lifetime;
}

/** The caller's own tokens (Token API: any user who may use tokens). */
function ownTokens(ctx: Ctx): TokenRec[] {
  const c = ctx.caller;
  if (!c) return [];
  return [...ctx.state.tokens.values()].filter((t) => t.ownerId === c.id);
}
function requireTokenUser(ctx: Ctx): Caller {
  const c = requireCaller(ctx);
  if (!canUseTokens(ctx.state, c)) throw apiError(403, 'PERMISSION_DENIED', `${c.name} does not have permission to use tokens.`);
  return c;
}

/** POST /api/2.0/token/create: a personal access token of the caller (sdk-go settings TokensAPI Create). */
function createOwn(ctx: Ctx): Reply {
  const caller = requireTokenUser(ctx);
  const b = bodyObject(ctx);
  const lifetime = allowedLifetime(ctx, int(b, 'lifetime_seconds'));
  const me = ctx.state.principalById(caller.kind, caller.id)!;
  const { value, info } = ctx.state.issueToken({ owner: me, createdBy: me, comment: str(b, 'comment') ?? '', lifetimeSeconds: lifetime });
  return json({ token_value: value, token_info: publicTokenJson(info) });
}

/** PublicTokenInfo: no owner or creator fields (sdk-go settings model). */
function publicTokenJson(t: TokenRec): Json {
  const o: Json = { token_id: t.token_id, creation_time: t.creation_time, expiry_time: t.expiry_time, comment: t.comment };
  if (t.last_used_day !== undefined) o.last_used_day = t.last_used_day;
  return o;
}

function createObo(ctx: Ctx): Reply {
  const caller = requireAdmin(ctx);
  const b = bodyObject(ctx);
  const appId = str(b, 'application_id', true);
  const comment = str(b, 'comment') ?? '';
  const requested = int(b, 'lifetime_seconds');
  if (!ctx.state.options.oboTokensEnabled || ctx.state.options.cloud === 'azure') {
    // the documented refusal (Azure); its error code is not documented: clients match status + message
    throw apiError(400, 'INVALID_PARAMETER_VALUE', 'On-behalf-of token creation for service principals is not enabled for this workspace');
  }
  const lifetime = allowedLifetime(ctx, requested);
  const sp = ctx.state.findSpByApplicationId(appId);
  if (!sp) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Service principal with application ID ${appId} does not exist.`);
  if (!sp.active) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Service principal ${appId} is not active.`);
  if (!canUseTokens(ctx.state, ctx.state.callerOf(sp))) {
    throw apiError(403, 'PERMISSION_DENIED', `Service principal ${appId} does not have permission to use tokens (grant it CAN_USE in /permissions/authorization/tokens).`);
  }
  const creator = ctx.state.principalById(caller.kind, caller.id)!;
  const { value, info } = ctx.state.issueToken({ owner: sp, createdBy: creator, comment, lifetimeSeconds: lifetime });
  return json({ token_value: value, token_info: tokenInfoJson(ctx.state, info) });
}

// ------------------------------------------------------------------ workspace-conf
const CONF_KEYS = new Set(['maxTokenLifetimeDays', 'enableTokensConfig']);
function workspaceConf(ctx: Ctx): Reply {
  // reading it as a non-admin: not documented either way (README); refused unless the seed says otherwise
  if (ctx.state.options.workspaceConfReadableByUsers) requireCaller(ctx);
  else requireAdmin(ctx);
  const keys = (ctx.query.keys ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (keys.length === 0) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'keys is required.');
  const out: Json = {};
  for (const k of keys) {
    if (!CONF_KEYS.has(k)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid keys: ["${k}"]`);
    // values are strings; an unset key answers null
    if (k === 'maxTokenLifetimeDays') out[k] = ctx.state.options.maxTokenLifetimeDays === null ? null : String(ctx.state.options.maxTokenLifetimeDays);
    else out[k] = 'true';
  }
  return json(out);
}
function patchWorkspaceConf(ctx: Ctx): Reply {
  requireAdmin(ctx);
  const b = bodyObject(ctx);
  for (const [k, v] of Object.entries(b)) {
    if (k !== 'maxTokenLifetimeDays') throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid keys: ["${k}"]`);
    if (v === null || v === '') ctx.state.options.maxTokenLifetimeDays = null;
    else {
      const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n >= 1 && n <= 730)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'maxTokenLifetimeDays must be a whole number of days from 1 to 730 (as a string).');
      ctx.state.options.maxTokenLifetimeDays = n;
    }
  }
  return { status: 204 };
}

function getToken(ctx: Ctx): TokenRec {
  const t = ctx.state.tokens.get(ctx.params[0]);
  if (!t) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Token with ID ${ctx.params[0]} does not exist.`);
  return t;
}

export const tokenRoutes: Route[] = [
  { method: 'POST', pattern: /^\/api\/2\.0\/token\/create$/, handler: createOwn },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/token\/list$/,
    handler: (ctx) => {
      requireTokenUser(ctx);
      const infos = ownTokens(ctx).map(publicTokenJson);
      return json(infos.length > 0 ? { token_infos: infos } : {});
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/token\/delete$/,
    handler: (ctx) => {
      requireCaller(ctx);
      const id = str(bodyObject(ctx), 'token_id', true) ?? '';
      const t = ownTokens(ctx).find((x) => x.token_id === id);
      if (!t) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Token with ID ${id} does not exist.`);
      ctx.state.deleteToken(t.token_id);
      return json({});
    },
  },
  { method: 'GET', pattern: /^\/api\/2\.0\/workspace-conf$/, handler: workspaceConf },
  { method: 'PATCH', pattern: /^\/api\/2\.0\/workspace-conf$/, handler: patchWorkspaceConf },
  { method: 'POST', pattern: /^\/api\/2\.0\/token-management\/on-behalf-of\/tokens$/, handler: createObo },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/token-management\/tokens$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      const byId = ctx.query.created_by_id;
      const byName = ctx.query.created_by_username?.toLowerCase();
      const infos = [...ctx.state.tokens.values()]
        .filter((t) => (byId === undefined || t.created_by_id === byId) && (byName === undefined || t.created_by_username.toLowerCase() === byName))
        .map((t) => tokenInfoJson(ctx.state, t));
      return json(infos.length > 0 ? { token_infos: infos } : {});
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/token-management\/tokens\/([^/]+)$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      return json({ token_info: tokenInfoJson(ctx.state, getToken(ctx)) });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/2\.0\/token-management\/tokens\/([^/]+)$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      ctx.state.deleteToken(getToken(ctx).token_id);
      return json({});
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/permissions\/authorization\/tokens$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      return json(tokenAclJson(ctx.state));
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/2\.0\/permissions\/authorization\/tokens$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      const changes = validateTokenAcl(parseAclRequest(ctx, ['CAN_USE', 'CAN_MANAGE']));
      ctx.state.tokenAcl = mergeAcl(ctx.state.tokenAcl, changes);
      return json(tokenAclJson(ctx.state));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/api\/2\.0\/permissions\/authorization\/tokens$/,
    handler: (ctx) => {
      requireAdmin(ctx);
      ctx.state.tokenAcl = mergeAcl([], validateTokenAcl(parseAclRequest(ctx, ['CAN_USE', 'CAN_MANAGE'])));
      return json(tokenAclJson(ctx.state));
    },
  },
];
