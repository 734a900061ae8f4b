/** Who the caller is, which workspace it is, and how a refused credential looks. */
import { createWorkspaceClient, DatabricksApiError } from '../../src/client';
import { isAdmin } from '../../src/domain/util';
import { failed, outcome, type CheckDef } from '../check';
import { errorText } from '../errors';

const SCIM_ME = '/api/2.0/preview/scim/v2/Me';

export const identityChecks: CheckDef[] = [
  {
    id: 'identity.me',
    area: 'identity',
    title: 'SCIM Me names the caller and its groups',
    expected: '200; userName; groups[].display lists "admins" for a workspace admin',
    reliedOnBy: 'WorkspaceClient.me / isWorkspaceAdmin; every engine operation checks admin first (src/domain/util.ts isAdmin)',
    emulator: 'test/emulator/routes-scim.ts GET /Me (userJson with groups)',
    async run(t) {
      const [me, admin] = await Promise.all([t.client.me(t.o), t.client.isWorkspaceAdmin(t.o)]);
      const groups = me.groups.map((g) => g.display).filter(Boolean);
      return outcome(!!me.userName && admin && isAdmin(me), `userName ${me.userName}; ${groups.length} group(s)${admin ? ', admins among them' : ', not in admins'}`);
    },
  },
  {
    id: 'identity.org-id-header',
    area: 'identity',
    title: 'SCIM Me answers with the workspace id in X-Databricks-Org-Id',
    expected: 'header X-Databricks-Org-Id: a non-zero decimal id (equal to the metastore assignment\'s workspace_id when there is one)',
    reliedOnBy: 'WorkspaceClient.identify(): the workspace id of the Partner Connect ConnectRequest (src/domain/handoff/protocol.ts), as the SDKs read it',
    emulator: 'test/emulator/index.ts finish(): the x-databricks-org-id response header',
    async run(t) {
      const { workspaceId } = await t.client.identify(t.o);
      if (workspaceId === null) {
        // what the header was, for the report
        const r = await t.raw.request('GET', SCIM_ME, { signal: t.signal });
        return failed(`identify() found no workspace id; X-Databricks-Org-Id: ${r.headers['x-databricks-org-id'] ?? '(absent)'} (HTTP ${r.status})`);
      }
      t.features.workspaceId = workspaceId;
      const m = t.features.metastoreWorkspaceId;
      const same = m === null || m === workspaceId;
      return outcome(same, `X-Databricks-Org-Id: ${workspaceId}${m !== null ? (same ? ' (= metastore assignment workspace_id)' : ` but the metastore assignment says ${m}`) : ''}`);
    },
  },
  {
    id: 'identity.admins-group',
    area: 'identity',
    title: 'The admins group is found with a SCIM eq filter',
    expected: 'exactly one group with displayName "admins"',
    reliedOnBy: 'WorkspaceClient.listGroups (group lookups by name)',
    emulator: 'test/emulator/routes-scim.ts GET /Groups with filter',
    async run(t) {
      const groups = await t.client.listGroups({ filter: 'displayName eq "admins"' }, t.o);
      return outcome(groups.length === 1 && groups[0].displayName === 'admins', `${groups.length} group(s): ${groups.map((g) => `${g.displayName} (${g.id})`).join(', ') || 'none'}`);
    },
  },
  {
    id: 'identity.users-filter',
    area: 'identity',
    title: 'A user found by a SCIM userName filter, with its groups',
    expected: 'exactly the caller, with groups[].display listing admins',
    reliedOnBy: 'the record folder\'s trust check: is a user who can edit the folder an admin? (src/domain/record/trust.ts; WorkspaceClient.listUsers)',
    emulator: 'test/emulator/routes-scim.ts GET /Users with filter',
    async run(t) {
      const users = await t.client.listUsers({ filter: `userName eq "${t.me.userName}"` }, t.o);
      return outcome(users.length === 1 && users[0].id === t.me.id && isAdmin(users[0]), `${users.length} user(s)${users[0] ? `: ${users[0].userName} in ${users[0].groups.map((g) => g.display).join(', ') || 'no groups'}` : ''}`);
    },
  },
  {
    id: 'errors.unauthenticated',
    area: 'errors',
    title: 'An invalid token is refused with 401 as an API error',
    expected: 'HTTP 401 with a JSON error body (not a login page); the client raises DatabricksApiError with isUnauthenticated',
    reliedOnBy: 'the transport re-authenticates once on 401 (src/client/http/transport.ts); the UI says "sign in again"',
    emulator: 'test/emulator/index.ts resolveCaller: 401 UNAUTHENTICATED "Invalid access token."',
    async run(t) {
      const bad = createWorkspaceClient({ host: t.client.host, auth: { type: 'pat', token: 'dapi00000000000000000000000000000000' }, retry: { maxAttempts: 1 } });
      try {
        await bad.me(t.o);
        return failed('the invalid token was accepted');
      } catch (e) {
        if (e instanceof DatabricksApiError) return outcome(e.isUnauthenticated, errorText(e));
        return failed(errorText(e));
      } finally {
        await bad.close();
      }
    },
  },
  {
    id: 'errors.request-id',
    area: 'errors',
    title: 'Error answers carry a request id',
    expected: 'an error answer names its request id (x-request-id header or the error details), so a user can quote it to support',
    reliedOnBy: 'DatabricksApiError.requestId, shown in error messages (src/client/errors.ts)',
    emulator: 'test/emulator/index.ts finish(): x-request-id header and a google.rpc RequestInfo detail',
    async run(t) {
      try {
        await t.client.getWarehouse('0000000000000000', t.o);
        return failed('GET /api/2.0/sql/warehouses/0000000000000000 succeeded');
      } catch (e) {
        if (!(e instanceof DatabricksApiError)) return failed(errorText(e));
        return outcome(!!e.requestId, e.requestId ? `request id ${e.requestId} (${errorText(e)})` : `no request id (${errorText(e)})`);
      }
    },
  },
];
