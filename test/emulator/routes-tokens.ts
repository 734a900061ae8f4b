/** Token management, on-behalf-of tokens and the token-usage ACL. */
import { aclEntryJson, effectiveLevel, mergeAcl, parseAclRequest } from './acl';
import { apiError, bodyObject, int, json, requireAdmin, str, type Ctx, type Reply, type Route } from './http';
import type { AclEntry, Caller, EmulatorState, TokenRec } from './state';

type Json = Record<string, unknown>;

export function tokenInfoJson(state: EmulatorState, t: TokenRec): Json {
  // ids are int64 in the real API: sent as JSON numbers (the client normalises them to strings)
  const o: Json = {
    token_id: t.token_id,
    creation_time: t.creation_time,
    expiry_time: t.expiry_time,
    comment: t.comment,
    created_by_id: Number(t.created_by_id),
    created_by_username: t.created_by_username,
    owner_id: Number(t.ownerId),
  };
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

function createObo(ctx: Ctx): Reply {
  const caller = requireAdmin(ctx);
  const b = bodyObject(ctx);
  const appId = str(b, 'application_id', true);
  const comment = str(b, 'comment') ?? '';
  const lifetime = int(b, 'lifetime_seconds');
  if (!ctx.state.options.oboTokensEnabled) {
    throw apiError(400, 'FEATURE_DISABLED', 'On-behalf-of token creation for service principals is not enabled for this workspace');
  }
  if (lifetime !== undefined && lifetime < 0) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'lifetime_seconds must not be negative.');
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

function getToken(ctx: Ctx): TokenRec {
  const t = ctx.state.tokens.get(ctx.params[0]);
  if (!t) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Token with ID ${ctx.params[0]} does not exist.`);
  return t;
}

export const tokenRoutes: Route[] = [
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
