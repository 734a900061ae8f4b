/**
 * Personal access tokens of service principals: the token permissions, on-behalf-of tokens and
 * their refusals, the token list's fields and int64 ids, a non-admin token's 403s, and what goes
 * with a deleted principal.
 */
import type { ServicePrincipal, TokenInfo } from '../../src/client';
import { DatabricksApiError, type AuthConfig } from '../../src/client';
import { directLevel, tokensOf } from '../../src/domain/util';
import { deleteAgain, failed, outcome, passed, refused, type CheckDef, type Run } from '../check';
import { errorText, SkipCheck } from '../errors';
import { createOboToken, grantTokenUse, ONE_HOUR } from '../fixtures';
import { spSpec } from '../specs';
import { deletedTwice } from './scim';

const sp = (t: Run, k: 'a' | 'b' | 'c'): ServicePrincipal => {
  const v = t.shared.sp[k];
  if (!v) throw new Error(`internal: service principal ${k} was not created`);
  return v;
};
const token = (t: Run): { id: string; value: string } => {
  if (!t.shared.token) throw new Error('internal: no token for service principal a');
  return t.shared.token;
};
/** The Azure answer (real-platform facts: status + message, the code is not documented). */
const OBO_REFUSED = /on-behalf-of token creation for service principals is not enabled/i;
const DAY = 86_400;

export const tokenChecks: CheckDef[] = [
  {
    id: 'tokens.acl.get',
    area: 'tokens',
    title: 'The token permissions list admins with CAN_MANAGE',
    expected: 'object_type tokens; an entry for group admins with CAN_MANAGE',
    reliedOnBy: 'state detection reads the token permissions once per workspace (src/domain/state/detect.ts)',
    emulator: 'test/emulator/routes-tokens.ts tokenAclJson',
    async run(t) {
      const acl = await t.client.getTokenPermissions(t.o);
      const admins = acl.access_control_list.find((e) => e.group_name === 'admins');
      const level = admins?.all_permissions.map((p) => p.permission_level).join('/') ?? 'absent';
      const users = acl.access_control_list.find((e) => e.group_name === 'users');
      return outcome(admins?.all_permissions.some((p) => p.permission_level === 'CAN_MANAGE') === true, `object_type ${acl.object_type ?? '?'}; ${acl.access_control_list.length} entries; admins ${level}; users ${users ? users.all_permissions.map((p) => p.permission_level).join('/') : 'no entry'}`);
    },
  },
  {
    id: 'tokens.acl.patch',
    area: 'tokens',
    title: 'PATCH CAN_USE on tokens for a service principal',
    expected: 'the answer lists the applicationId with a direct (not inherited) CAN_USE',
    reliedOnBy: 'connect grant-token-use (PATCH, never PUT) and detection (src/domain/util.ts directLevel)',
    emulator: 'test/emulator/routes-tokens.ts PATCH /permissions/authorization/tokens (merge)',
    after: ['scim.sp.create'],
    async run(t) {
      const a = sp(t, 'a');
      await grantTokenUse(t, a);
      const level = directLevel(await t.client.getTokenPermissions(t.o), a.applicationId);
      return outcome(level === 'CAN_USE', `${a.applicationId}: ${level ?? 'not listed'}`);
    },
  },
  {
    id: 'tokens.obo.create',
    area: 'tokens',
    title: 'An on-behalf-of token for the service principal (or the documented refusal)',
    expected: 'AWS/GCP: token_value + token_info (token_id, expiry = creation + lifetime). Azure: 400 "On-behalf-of token creation for service principals is not enabled for this workspace"',
    reliedOnBy: 'connect create-token and rotate (src/domain/connect/connect.ts, housekeeping/rotateToken.ts); the Azure refusal must be recognised',
    emulator: 'test/emulator/routes-tokens.ts createObo (option oboTokensEnabled=false answers the Azure refusal)',
    after: ['tokens.acl.patch'],
    async run(t) {
      const a = sp(t, 'a');
      try {
        const c = await createOboToken(t, a, 'token a');
        t.features.oboTokens = true;
        t.shared.token = { id: c.token_info.token_id, value: c.token_value };
        const life = c.token_info.expiry_time !== undefined && c.token_info.creation_time !== undefined ? (c.token_info.expiry_time - c.token_info.creation_time) / 1000 : null;
        const ok = c.token_value.length > 0 && !!c.token_info.token_id && life !== null && Math.abs(life - ONE_HOUR) <= 120;
        return outcome(ok, `token ${c.token_info.token_id}, a value of ${c.token_value.length} characters, lifetime ${life === null ? 'unknown' : `${Math.round(life)} s`} (asked ${ONE_HOUR} s)`);
      } catch (e) {
        if (e instanceof DatabricksApiError && e.status === 400 && OBO_REFUSED.test(e.serverMessage)) {
          t.features.oboTokens = false;
          return passed(`refused as documented for Azure: ${errorText(e)}`);
        }
        throw e;
      }
    },
  },
  {
    id: 'tokens.list.fields',
    area: 'tokens',
    title: 'The token list names owner and creator of the new token',
    expected: 'the token listed with comment, creation_time, expiry_time, created_by_id = the caller, created_by_username = the caller, owner_id = the principal\'s SCIM id',
    reliedOnBy: 'detection and disconnect find a principal\'s tokens by owner_id (src/domain/util.ts tokensOf)',
    emulator: 'test/emulator/routes-tokens.ts tokenInfoJson',
    needs: ['obo'],
    after: ['tokens.obo.create'],
    async run(t) {
      const a = sp(t, 'a');
      const all = await t.client.listTokens({}, t.o);
      const mine = all.find((x) => x.token_id === token(t).id);
      if (!mine) return failed(`token ${token(t).id} not in the list of ${all.length}`);
      const owned = tokensOf(all, a).map((x) => x.token_id);
      const ok =
        mine.comment === `${t.names.prefix} token a` &&
        mine.creation_time !== undefined &&
        mine.expiry_time !== undefined &&
        mine.created_by_id === t.me.id &&
        mine.created_by_username?.toLowerCase() === t.me.userName.toLowerCase() &&
        mine.owner_id === a.id &&
        owned.includes(mine.token_id);
      return outcome(ok, describeToken(mine) + `; tokensOf(principal) ${owned.includes(mine.token_id) ? 'finds it' : 'does not find it'}`);
    },
  },
  {
    id: 'tokens.list.created-by',
    area: 'tokens',
    title: 'The created_by_id filter of the token list',
    expected: 'only tokens created by the caller, the new token among them',
    reliedOnBy: 'WorkspaceClient.listTokens({ createdById })',
    emulator: 'test/emulator/routes-tokens.ts GET /token-management/tokens (created_by_id, created_by_username)',
    needs: ['obo'],
    after: ['tokens.obo.create'],
    async run(t) {
      const list = await t.client.listTokens({ createdById: t.me.id }, t.o);
      const others = list.filter((x) => x.created_by_id !== t.me.id);
      const has = list.some((x) => x.token_id === token(t).id);
      return outcome(has && others.length === 0, `${list.length} token(s); ${has ? 'the new token among them' : 'the new token missing'}; ${others.length} created by someone else`);
    },
  },
  {
    id: 'tokens.int64-ids',
    area: 'tokens',
    title: 'Numeric ids on the wire keep every digit in the client',
    expected: 'owner_id / created_by_id as sent (JSON numbers, possibly above 2^53) equal the client\'s string ids digit for digit',
    reliedOnBy: 'every id comparison (token owner = principal id); the schemas normalise ids to strings',
    emulator: 'test/emulator/routes-tokens.ts tokenInfoJson (ids as JSON numbers)',
    needs: ['obo'],
    after: ['tokens.list.fields'],
    async run(t) {
      const r = await t.raw.request('GET', '/api/2.0/token-management/tokens', { signal: t.signal });
      const id = token(t).id;
      const i = r.text.indexOf(`"${id}"`);
      if (r.status !== 200 || i < 0) return failed(`HTTP ${r.status}; token ${i < 0 ? 'not found in the raw body' : ''}`);
      const end = r.text.indexOf('}', i);
      const start = r.text.lastIndexOf('{', i);
      const obj = r.text.slice(start, end + 1);
      const wire = (k: string): string | null => new RegExp(`"${k}"\\s*:\\s*"?(\\d+)"?`).exec(obj)?.[1] ?? null;
      const parsed = (await t.client.listTokens({}, t.o)).find((x) => x.token_id === id);
      const pairs = (['owner_id', 'created_by_id'] as const).map((k) => ({ k, wire: wire(k), client: parsed?.[k] ?? null }));
      const ok = pairs.every((p) => p.wire !== null && p.wire === p.client);
      const big = pairs.some((p) => p.wire !== null && BigInt(p.wire) > BigInt(Number.MAX_SAFE_INTEGER));
      return outcome(ok, pairs.map((p) => `${p.k} wire ${p.wire ?? 'absent'} → client ${p.client ?? 'absent'}`).join('; ') + (big ? ' (above 2^53)' : ''));
    },
  },
  {
    id: 'tokens.obo.without-token-use',
    area: 'tokens',
    title: 'An on-behalf-of token for a principal without token permission',
    expected: 'refused with a 4xx API error and nothing created — unless the token permissions give CAN_USE to all users, then created',
    reliedOnBy: 'connect grants CAN_USE on tokens before it creates the token (src/domain/profiles/plan.ts)',
    emulator: 'test/emulator/routes-tokens.ts createObo: 403 PERMISSION_DENIED without token usage',
    needs: ['obo'],
    after: ['tokens.obo.create', 'scim.sp.create-more'],
    async run(t) {
      const b = sp(t, 'b');
      const acl = await t.client.getTokenPermissions(t.o);
      const everyone = acl.access_control_list.some((e) => (e.group_name === 'users' || e.group_name === 'account users') && e.all_permissions.some((p) => p.permission_level === 'CAN_USE'));
      try {
        const c = await createOboToken(t, b, 'token b');
        return outcome(everyone, `created (${c.token_info.token_id})${everyone ? ': all users may use tokens here' : ' although b holds no token permission'}`);
      } catch (e) {
        const listed = tokensOf(await t.client.listTokens({}, t.o), b);
        return outcome(!everyone && e instanceof DatabricksApiError && e.status >= 400 && e.status < 500 && listed.length === 0, `${errorText(e)}; ${listed.length} token(s) of b listed`);
      }
    },
  },
  {
    id: 'tokens.obo.unknown-principal',
    area: 'tokens',
    title: 'An on-behalf-of token for an unknown applicationId',
    expected: 'refused with a 4xx API error (the emulator: 404 RESOURCE_DOES_NOT_EXIST)',
    reliedOnBy: 'connect reports a failed create-token and rolls back',
    emulator: 'test/emulator/routes-tokens.ts createObo: 404 RESOURCE_DOES_NOT_EXIST',
    needs: ['obo'],
    async run(t) {
      return refused(
        () => createOboToken(t, { id: '0', applicationId: '00000000-0000-4000-8000-000000000000', displayName: 'an unknown principal', active: true, entitlements: [], groups: [] }, 'token for an unknown principal'),
        (e) => e.status >= 400 && e.status < 500,
        'a token was created for a principal that does not exist',
      );
    },
  },
  {
    id: 'tokens.max-lifetime-setting',
    area: 'tokens',
    title: 'The workspace setting maxTokenLifetimeDays',
    expected: 'GET /workspace-conf?keys=maxTokenLifetimeDays → a decimal string of days (1–730), or absent / empty / null when no admin set it',
    reliedOnBy: 'new tokens get a lifetime within the cap (src/domain: the connect form\'s default lifetime)',
    emulator: 'test/emulator/routes-tokens.ts GET /workspace-conf (option maxTokenLifetimeDays)',
    async run(t) {
      const conf = await t.client.getWorkspaceConf(['maxTokenLifetimeDays'], t.o);
      const raw = conf.maxTokenLifetimeDays ?? null;
      t.features.maxTokenLifetimeDays = raw;
      if (raw === null || raw === '') {
        t.shared.maxTokenLifetimeDays = null;
        return passed(`not set (${raw === null ? 'absent or null' : 'empty'})`);
      }
      const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
      t.shared.maxTokenLifetimeDays = Number.isInteger(days) ? days : null;
      return outcome(days >= 1 && days <= 730, `"${raw}"`);
    },
  },
  {
    id: 'tokens.obo.lifetime-at-cap',
    area: 'tokens',
    title: 'A token with the longest lifetime allowed',
    expected: 'a lifetime of exactly maxTokenLifetimeDays (730 days when unset) is accepted, and the token expires then',
    reliedOnBy: 'connect\'s default token lifetime is the cap (src/domain/profiles/plan.ts)',
    emulator: 'test/emulator/routes-tokens.ts createObo (lifetime within the cap)',
    needs: ['obo'],
    after: ['tokens.obo.create', 'tokens.max-lifetime-setting'],
    async run(t) {
      const days = t.shared.maxTokenLifetimeDays ?? 730;
      const c = await createOboToken(t, sp(t, 'a'), 'token at the cap', days * DAY);
      const life = c.token_info.expiry_time !== undefined && c.token_info.creation_time !== undefined ? (c.token_info.expiry_time - c.token_info.creation_time) / 1000 : null;
      await t.client.deleteToken(c.token_info.token_id, t.o);
      t.ledger.deletedByCheck('token', c.token_info.token_id);
      return outcome(life !== null && Math.abs(life - days * DAY) <= 120, `${days} days asked; lifetime ${life === null ? 'unknown' : `${(life / DAY).toFixed(2)} days`}`);
    },
  },
  {
    id: 'tokens.obo.lifetime-above-cap',
    area: 'tokens',
    title: 'A token lifetime above the workspace cap is refused',
    expected: 'lifetime_seconds above maxTokenLifetimeDays (or above 730 days when the setting is absent) → 400, nothing created',
    reliedOnBy: 'connect and rotate send an explicit lifetime within the cap (real-platform facts: "New PATs are capped")',
    emulator: 'test/emulator/routes-tokens.ts createObo: lifetime above the cap',
    needs: ['obo'],
    after: ['tokens.obo.create', 'tokens.max-lifetime-setting'],
    async run(t) {
      const a = sp(t, 'a');
      const capDays = t.shared.maxTokenLifetimeDays ?? 730;
      const lifetime = (capDays + 1) * DAY;
      try {
        const c = await createOboToken(t, a, 'token above the cap', lifetime);
        return failed(`created (${c.token_info.token_id}) with ${capDays + 1} days`);
      } catch (e) {
        const listed = (await t.client.listTokens({}, t.o)).filter((x) => x.comment === `${t.names.prefix} token above the cap`);
        return outcome(e instanceof DatabricksApiError && e.status === 400 && listed.length === 0, `${capDays + 1} days (cap ${capDays}): ${errorText(e)}`);
      }
    },
  },
  {
    id: 'tokens.use',
    area: 'tokens',
    title: 'The principal\'s token signs in',
    expected: 'SCIM Me with the token answers the service principal (userName = its applicationId)',
    reliedOnBy: 'the token handed to the partner works (the point of a connection)',
    emulator: 'test/emulator/index.ts resolveCaller (PAT of a service principal)',
    needs: ['obo'],
    after: ['tokens.obo.create'],
    async run(t) {
      const me = await t.clientWith({ type: 'pat', token: token(t).value }).me(t.o);
      const a = sp(t, 'a');
      return outcome(me.userName.toLowerCase() === a.applicationId.toLowerCase() || me.displayName === a.displayName, `Me: userName ${me.userName}, displayName ${me.displayName ?? '?'}`);
    },
  },
  {
    id: 'errors.forbidden',
    area: 'errors',
    title: 'A non-admin is refused admin APIs with 403',
    expected: 'signed in as the principal (its token, or its OAuth secret): the token list → 403 (isPermissionDenied); creating a service principal → 403 (SCIM error); nothing created',
    reliedOnBy: 'a non-admin sees "needs a workspace admin" (src/domain/errors.ts NotWorkspaceAdminError); detection degrades on 403 (isPermissionDenied)',
    emulator: 'test/emulator/http.ts requireAdmin (403 PERMISSION_DENIED; SCIM 403 error body)',
    after: ['scim.sp.create'],
    async run(t) {
      const a = sp(t, 'a');
      const auth: AuthConfig | null = t.shared.token
        ? { type: 'pat', token: t.shared.token.value }
        : t.shared.secret
          ? { type: 'oauth-m2m', clientId: a.applicationId, clientSecret: t.shared.secret.value }
          : null;
      if (!auth) throw new SkipCheck('needs a credential of the principal: an on-behalf-of token or an OAuth secret');
      const c = t.clientWith(auth);
      const list = await refused(() => c.listTokens({}, t.o), (e) => e.isPermissionDenied, 'allowed');
      const name = t.names.name('sp-forbidden');
      const create = await refused(() => t.ledger.create(spSpec(t.client, name), () => c.createServicePrincipal({ displayName: name, entitlements: [] }, t.o), (s) => s.id), (e) => e.isPermissionDenied, 'allowed');
      return outcome(list.pass && create.pass, `as ${auth.type === 'pat' ? 'its token' : 'its OAuth secret'}: token list: ${list.observed}; create service principal: ${create.observed}`);
    },
  },
  {
    id: 'tokens.delete',
    area: 'tokens',
    title: 'Deleting a token; a second delete is a 404',
    expected: 'no longer listed; deleting again → 404 (isNotFound)',
    reliedOnBy: 'rotate deletes the old token; disconnect counts an already-deleted token as done',
    emulator: 'test/emulator/routes-tokens.ts DELETE /token-management/tokens/{id}',
    needs: ['obo'],
    after: ['tokens.obo.create'],
    async run(t) {
      const id = token(t).id;
      await t.client.deleteToken(id, t.o);
      t.ledger.deletedByCheck('token', id);
      const listed = (await t.client.listTokens({}, t.o)).some((x) => x.token_id === id);
      const again = await deleteAgain(() => t.client.deleteToken(id, t.o));
      return outcome(!listed && again.notFound, `${listed ? 'still listed' : 'no longer listed'}; ${again.text}`);
    },
  },
  {
    id: 'scim.sp.delete',
    area: 'scim',
    title: 'Deleting a service principal; a second delete is a 404',
    expected: 'no longer listed; deleting again → 404 (isNotFound)',
    reliedOnBy: 'disconnect (src/domain/disconnect/disconnect.ts): an already-deleted principal counts as done',
    emulator: 'test/emulator/routes-scim.ts DELETE /ServicePrincipals/{id}',
    after: ['scim.sp.create-more'],
    async run(t) {
      const c = sp(t, 'c');
      // c first gets token permission and (where possible) a token: both must go with it
      await grantTokenUse(t, c);
      if (t.features.oboTokens) {
        const tok = await createOboToken(t, c, 'token c');
        t.ledger.resources.filter((r) => r.kind === 'token' && r.id === tok.token_info.token_id).forEach((r) => (r.goesWith = `the service principal ${c.displayName}`));
      }
      await t.client.deleteServicePrincipal(c.id, t.o);
      t.ledger.deletedByCheck('service-principal', c.id);
      return deletedTwice(t, c);
    },
  },
  {
    id: 'tokens.deleted-with-principal',
    area: 'tokens',
    title: 'A deleted principal\'s tokens are gone',
    expected: 'no token owned by the deleted principal is listed',
    reliedOnBy: 'disconnect and rollback leave tokens to the principal\'s deletion ("deleted together with the service principal")',
    emulator: 'test/emulator/state.ts deleteServicePrincipal (deletes its tokens)',
    needs: ['obo'],
    after: ['scim.sp.delete'],
    async run(t) {
      const c = sp(t, 'c');
      const left = tokensOf(await t.client.listTokens({}, t.o), c);
      return outcome(left.length === 0, left.length ? `still listed: ${left.map(describeToken).join('; ')}` : 'none listed');
    },
  },
  {
    id: 'tokens.acl.deleted-with-principal',
    area: 'tokens',
    title: 'A deleted principal leaves the token permissions',
    expected: 'its CAN_USE entry is no longer listed',
    reliedOnBy: 'rollback and disconnect count the token permission as removed with the principal (src/domain/connect/connect.ts grant undo "with-service-principal")',
    emulator: 'test/emulator/state.ts deleteServicePrincipal (drops its ACL entries)',
    after: ['scim.sp.delete'],
    async run(t) {
      const c = sp(t, 'c');
      const level = directLevel(await t.client.getTokenPermissions(t.o), c.applicationId);
      return outcome(level === null, `${c.applicationId}: ${level === null ? 'not listed' : `still listed with ${level}`}`);
    },
  },
];

function describeToken(x: TokenInfo): string {
  return `token ${x.token_id}: comment "${x.comment}", created ${x.creation_time ?? '?'}, expires ${x.expiry_time ?? '?'}, created_by ${x.created_by_username ?? '?'} (${x.created_by_id ?? '?'}), owner_id ${x.owner_id ?? '?'}`;
}
