/**
 * Workspace-level OAuth secrets of a service principal (every cloud; the credential where on-behalf-of
 * tokens are refused): create with a lifetime, list without the value, sign in with OAuth M2M,
 * delete — after which the secret no longer signs in.
 */
import { createWorkspaceClient, type ServicePrincipal } from '../../src/client';
import { outcome, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { ONE_HOUR } from '../fixtures';

const spA = (t: Run): ServicePrincipal => {
  if (!t.shared.sp.a) throw new Error('internal: no service principal a');
  return t.shared.sp.a;
};
const secret = (t: Run): { id: string; value: string } => {
  if (!t.shared.secret) throw new Error('internal: no OAuth secret');
  return t.shared.secret;
};

/** Creating, listing and signing in: before the token and non-admin checks (which may sign in with it). */
export const secretChecks: CheckDef[] = [
  {
    id: 'secrets.create',
    area: 'tokens',
    title: 'A workspace-level OAuth secret for the service principal',
    expected: 'POST /api/2.0/accounts/servicePrincipals/{id}/credentials/secrets with lifetime "3600s" → id, the secret (once), status ACTIVE, expire_time ≈ now + 1 hour',
    reliedOnBy: 'connect on Azure and for AUTH_OAUTH_M2M partners, rotate (WorkspaceClient.createServicePrincipalSecret)',
    emulator: 'test/emulator/routes-secrets.ts POST …/credentials/secrets',
    after: ['scim.sp.create'],
    async run(t) {
      const a = spA(t);
      const name = `OAuth secret of ${a.displayName}`;
      const c = await t.ledger.create(
        {
          kind: 'oauth-secret',
          name,
          remove: (id, signal) => t.client.deleteServicePrincipalSecret(a.id, id, { signal }),
          find: async () => [],
          exists: async (id, signal) => {
            try {
              return (await t.client.listServicePrincipalSecrets(a.id, { signal })).some((x) => x.id === id);
            } catch (e) {
              // the principal (and with it the secret) is gone
              if (/404|RESOURCE_DOES_NOT_EXIST|NOT_FOUND/.test(errorText(e))) return false;
              throw e;
            }
          },
          manual: `Settings → Identity and access → Service principals → ${a.displayName} → Secrets: delete ${name}`,
        },
        () => t.client.createServicePrincipalSecret(a.id, { lifetimeSeconds: ONE_HOUR }, t.o),
        (x) => x.id,
      );
      t.shared.secret = { id: c.id, value: c.secret };
      const expires = c.expire_time ? (Date.parse(c.expire_time) - Date.now()) / 1000 : null;
      const ok = c.secret.length > 0 && (c.status === undefined || c.status === 'ACTIVE') && expires !== null && Math.abs(expires - ONE_HOUR) <= 300;
      return outcome(ok, `secret ${c.id}, a value of ${c.secret.length} characters, status ${c.status ?? '?'}, expires in ${expires === null ? '?' : `${Math.round(expires)} s`}`);
    },
  },
  {
    id: 'secrets.list',
    area: 'tokens',
    title: 'The secret list shows the secret without its value',
    expected: 'the secret listed by id with status and expire_time; the value appears nowhere in the answer',
    reliedOnBy: 'detection, inspect and rotate list a principal\'s credentials (WorkspaceClient.listServicePrincipalSecrets)',
    emulator: 'test/emulator/routes-secrets.ts GET …/credentials/secrets',
    after: ['secrets.create'],
    async run(t) {
      const a = spA(t);
      const list = await t.client.listServicePrincipalSecrets(a.id, t.o);
      const mine = list.find((x) => x.id === secret(t).id);
      const r = await t.raw.request('GET', `/api/2.0/accounts/servicePrincipals/${encodeURIComponent(a.id)}/credentials/secrets`, { signal: t.signal });
      const leaks = r.text.includes(secret(t).value);
      return outcome(!!mine && !leaks, `${list.length} secret(s); ${mine ? `${mine.id} ${mine.status ?? '?'} expires ${mine.expire_time ?? '?'}` : 'the new one missing'}; value ${leaks ? 'IN THE ANSWER' : 'not in the answer'}`);
    },
  },
  {
    id: 'secrets.sign-in',
    area: 'tokens',
    title: 'The principal signs in with OAuth M2M using the secret',
    expected: 'client credentials at {host}/oidc/v1/token (client id = applicationId) give an access token; SCIM Me then answers the principal',
    reliedOnBy: 'the OAuth secret handed to a partner works (src/client/auth/oauthM2m.ts)',
    emulator: 'test/emulator/routes-workspace.ts POST /oidc/v1/token (workspace-level secrets)',
    after: ['secrets.create'],
    async run(t) {
      const a = spA(t);
      const me = await t.clientWith({ type: 'oauth-m2m', clientId: a.applicationId, clientSecret: secret(t).value }).me(t.o);
      return outcome(me.userName.toLowerCase() === a.applicationId.toLowerCase() || me.displayName === a.displayName, `Me: userName ${me.userName}, displayName ${me.displayName ?? '?'}`);
    },
  },
];

/** Deleting the secret: after the checks that sign in with it. */
export const secretDeleteChecks: CheckDef[] = [
  {
    id: 'secrets.delete',
    area: 'tokens',
    title: 'A deleted secret is no longer listed and no longer signs in',
    expected: 'DELETE …/secrets/{id} succeeds; the list no longer has it; OAuth M2M with it is refused',
    reliedOnBy: 'rotate deletes the old secret; disconnect deletes the principal\'s secrets (WorkspaceClient.deleteServicePrincipalSecret)',
    emulator: 'test/emulator/routes-secrets.ts DELETE …/credentials/secrets/{id}',
    after: ['secrets.create'],
    async run(t) {
      const a = spA(t);
      const s = secret(t);
      await t.client.deleteServicePrincipalSecret(a.id, s.id, t.o);
      t.ledger.deletedByCheck('oauth-secret', s.id);
      const listed = (await t.client.listServicePrincipalSecrets(a.id, t.o)).some((x) => x.id === s.id);
      // a fresh client: nothing cached
      const fresh = createWorkspaceClient({ host: t.client.host, auth: { type: 'oauth-m2m', clientId: a.applicationId, clientSecret: s.value }, retry: { maxAttempts: 1 } });
      try {
        await fresh.me(t.o);
        return outcome(false, `${listed ? 'still listed' : 'no longer listed'}; the deleted secret still signs in`);
      } catch (e) {
        return outcome(!listed, `${listed ? 'still listed' : 'no longer listed'}; sign-in refused: ${errorText(e)}`);
      } finally {
        await fresh.close();
      }
    },
  },
];
