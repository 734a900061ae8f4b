/**
 * The account client against the account emulator (test/account-emulator): accounts hosts and the
 * workspace URL derivation per cloud, account OAuth M2M at the account OIDC endpoint, the workspace
 * list, account SCIM, permission assignments, a token per workspace (the account token is never
 * accepted by a workspace), account profiles and the CLI with an account login.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Agent, request } from 'undici';
import { loopbackAwareLookup } from '../../src/client/http/lookup';
import {
  AuthConfigError,
  DatabricksApiError,
  WorkspaceListUnavailableError,
  accountProfileConfig,
  azureDatabricksWorkspaces,
  cloudOfAccountsHost,
  createAccountClient,
  createWorkspaceClient,
  listAccountProfiles,
  normaliseAccountsHost,
  parseDatabricksConfig,
  workspaceAuthFor,
  workspaceUrlFor,
  type AccountClientOptions,
} from '../../src/client';
import { FLEET_ADMIN, startAccountEmulator, type AccountEmulatorHandle } from '../account-emulator';
import { demoFleet } from '../account-emulator/fleetSeeds';
import { rejection, tempDir } from './helpers';
import { startConnectProxy } from '../fixtures/network';

const TOKEN_PATH = (id: string): string => `/oidc/accounts/${id}/v1/token`;

describe('accounts hosts and workspace URLs', () => {
  it('derives each workspace URL from deployment_name as the SDKs and Terraform do', () => {
    assert.equal(workspaceUrlFor('https://accounts.cloud.databricks.com', 'dbc-1a2b3c4d-e5f6'), 'https://dbc-1a2b3c4d-e5f6.cloud.databricks.com');
    assert.equal(workspaceUrlFor('https://accounts.azuredatabricks.net', 'adb-1234567890123456.7'), 'https://adb-1234567890123456.7.azuredatabricks.net');
    assert.equal(workspaceUrlFor('https://accounts.gcp.databricks.com', '8757561887652360.0'), 'https://8757561887652360.0.gcp.databricks.com');
    assert.equal(workspaceUrlFor('https://accounts-dod.cloud.databricks.mil', 'ws1'), 'https://ws1.cloud.databricks.mil');
    assert.equal(workspaceUrlFor('https://accounts.cloud.databricks.us', 'ws1'), 'https://ws1.cloud.databricks.us');
    assert.equal(workspaceUrlFor('https://accounts.azuredatabricks.cn', 'adb-1.2'), 'https://adb-1.2.databricks.azure.cn');
    assert.equal(workspaceUrlFor('http://accounts.fleet.localhost:4321', 'acme-prod'), 'http://acme-prod.fleet.localhost:4321');
    assert.equal(workspaceUrlFor('https://accounts.cloud.databricks.com', undefined), undefined, 'no deployment name (not provisioned)');
    assert.equal(workspaceUrlFor('https://accounts.cloud.databricks.com', 'bad name/..'), undefined);
  });

  it('knows the cloud of an accounts host and refuses workspace hosts', () => {
    assert.equal(cloudOfAccountsHost('https://accounts.azuredatabricks.net'), 'azure');
    assert.equal(cloudOfAccountsHost('https://accounts.gcp.databricks.com'), 'gcp');
    assert.equal(cloudOfAccountsHost('https://accounts.cloud.databricks.com'), 'aws');
    assert.equal(normaliseAccountsHost('accounts.cloud.databricks.com/login?x=1'), 'https://accounts.cloud.databricks.com');
    assert.throws(() => normaliseAccountsHost('https://dbc-1234.cloud.databricks.com'), (e: unknown) => e instanceof AuthConfigError && /not a Databricks accounts host/.test(e.message));
    assert.throws(() => normaliseAccountsHost('http://accounts.example.com'), (e: unknown) => e instanceof AuthConfigError && e.code === 'INSECURE_HOST');
  });
});

describe('account client against the account emulator', () => {
  let acct: AccountEmulatorHandle;
  const log: string[] = [];
  const options = (o: Partial<AccountClientOptions> = {}): AccountClientOptions => ({
    host: acct.url,
    accountId: acct.accountId,
    auth: { type: 'oauth-m2m', clientId: FLEET_ADMIN.applicationId, clientSecret: FLEET_ADMIN.secret },
    env: {},
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: (l) => log.push(l),
    ...o,
  });

  before(async () => {
    acct = await startAccountEmulator({
      workspaces: demoFleet(),
      principals: [{ applicationId: '0badc0de-0000-4000-8000-000000000002', displayName: 'not-an-admin', secret: 'not-an-admin-secret', accountAdmin: false }],
    });
  });
  after(async () => {
    await acct.close();
  });
  beforeEach(() => {
    acct.reset();
    log.length = 0;
  });

  it('signs in at the account OIDC endpoint and lists the workspaces with their URLs', async () => {
    const client = createAccountClient(options());
    try {
      const list = await client.listWorkspaces();
      assert.equal(list.length, 13);
      const prod = list.find((w) => w.workspace_name === 'acme-prod');
      assert.ok(prod);
      assert.equal(prod.workspace_status, 'RUNNING');
      assert.equal(client.workspaceUrl(prod), acct.workspace('acme-prod').url);
      const azure = list.find((w) => w.workspace_name === 'azure-sandbox');
      assert.equal(client.workspaceUrl(azure!), acct.workspace('azure-sandbox').url, 'a deployment name with dots (adb-<id>.<n>)');
      assert.equal(azure?.azure_workspace_info?.resource_group, 'rg-sandbox');
      assert.equal(list.find((w) => w.workspace_name === 'new-workspace')?.workspace_status, 'PROVISIONING');

      const tokenCalls = acct.requests.filter((r) => r.path === TOKEN_PATH(acct.accountId));
      assert.equal(tokenCalls.length, 1);
      assert.deepEqual(tokenCalls[0].body, { grant_type: 'client_credentials', scope: 'all-apis' }, 'client credentials by HTTP Basic, not in the form');
      await client.listWorkspaces();
      assert.equal(acct.requests.filter((r) => r.path === TOKEN_PATH(acct.accountId)).length, 1, 'the account token is cached');
      assert.ok(!log.join('\n').includes(FLEET_ADMIN.secret), 'the secret is never logged');
    } finally {
      await client.close();
    }
  });

  it('a SCIM filter of more than 200 nodes is refused (400, scimType InvalidFilter), as Databricks does; 199 nodes are served', async () => {
    const client = createAccountClient(options());
    try {
      const filter = (n: number): string => Array.from({ length: n }, (_, i) => `displayName eq "P${i}_USER"`).join(' or ');
      const e = await rejection(client.listServicePrincipals({ filter: filter(101) }));
      assert.ok(e instanceof DatabricksApiError && e.status === 400, String(e));
      assert.match(e.message, /201 nodes; at most 200/);
      assert.deepEqual(await client.listServicePrincipals({ filter: filter(100) }), []);
    } finally {
      await client.close();
    }
  });

  it('finds every <PARTNER>_USER principal of the account in one SCIM call', async () => {
    const client = createAccountClient(options());
    try {
      const before = acct.requests.length;
      const sps = await client.listServicePrincipals({ filter: 'displayName eq "DATAIKU_USER" or displayName eq "SIGMA_USER" or displayName eq "NO_SUCH_USER"' });
      const scim = acct.requests.slice(before).filter((r) => r.path.endsWith('/scim/v2/ServicePrincipals'));
      assert.equal(scim.length, 1, 'one page holds up to 10 000');
      assert.equal(scim[0].query.count, '10000');
      const names = sps.map((s) => s.displayName).sort();
      assert.ok(names.includes('DATAIKU_USER') && names.includes('SIGMA_USER'));
      assert.ok(!names.includes('NO_SUCH_USER'));
      const dataiku = sps.filter((s) => s.displayName === 'DATAIKU_USER');
      assert.ok(dataiku.length >= 2, 'one account principal per workspace that created one');
      assert.equal(new Set(dataiku.map((s) => s.applicationId)).size, dataiku.length);
    } finally {
      await client.close();
    }
  });

  it('mints a token per workspace with the same client id and secret; the account token is refused by a workspace', async () => {
    const ws = acct.workspace('acme-prod');
    const wsClient = createWorkspaceClient({ host: ws.url, auth: workspaceAuthFor({ type: 'oauth-m2m', clientId: FLEET_ADMIN.applicationId, clientSecret: FLEET_ADMIN.secret }), env: {} });
    try {
      const me = await wsClient.me();
      assert.equal(me.userName, FLEET_ADMIN.applicationId);
      assert.equal(await wsClient.isWorkspaceAdmin(), true);
      assert.equal(ws.core.requests.filter((r) => r.path === '/oidc/v1/token').length, 1, "the workspace's own token endpoint");
      assert.equal(acct.requests.length, 0, 'the accounts host was not involved');
    } finally {
      await wsClient.close();
    }
    // an account-issued token at a workspace: refused
    const accountToken = await mintAccountToken(acct);
    const wrong = createWorkspaceClient({ host: ws.url, auth: { type: 'pat', token: accountToken }, env: {}, retry: { maxAttempts: 1 } });
    try {
      const e = await rejection(wrong.me());
      assert.ok(e instanceof DatabricksApiError && e.status === 401);
    } finally {
      await wrong.close();
    }
  });

  it('explains a workspace where the principal is not assigned (its token is refused) with the permission assignments', async () => {
    const ws = acct.workspace('partner-lab');
    const wsClient = createWorkspaceClient({ host: ws.url, auth: workspaceAuthFor({ type: 'oauth-m2m', clientId: FLEET_ADMIN.applicationId, clientSecret: FLEET_ADMIN.secret }), env: {}, retry: { maxAttempts: 1 } });
    const client = createAccountClient(options());
    try {
      const e = await rejection(wsClient.me());
      assert.ok(e instanceof AuthConfigError && e.code === 'OAUTH_FAILED', String(e));
      const assignments = await client.listPermissionAssignments(ws.spec.workspaceId);
      assert.ok(assignments.length > 0);
      assert.ok(!assignments.some((a) => a.principal?.service_principal_name === FLEET_ADMIN.applicationId));
      const restricted = await client.listPermissionAssignments(acct.workspace('finance-restricted').spec.workspaceId);
      assert.deepEqual(restricted.find((a) => a.principal?.service_principal_name === FLEET_ADMIN.applicationId)?.permissions, ['USER']);
    } finally {
      await wsClient.close();
      await client.close();
    }
  });

  it('reports a wrong secret and a principal without the account admin role', async () => {
    const bad = createAccountClient(options({ auth: { type: 'oauth-m2m', clientId: FLEET_ADMIN.applicationId, clientSecret: 'wrong-secret-000' } }));
    try {
      const e = await rejection(bad.listWorkspaces());
      assert.ok(e instanceof AuthConfigError && e.code === 'OAUTH_FAILED', String(e));
      assert.match(e.message, /account admin role/);
      assert.ok(!e.message.includes('wrong-secret-000'));
    } finally {
      await bad.close();
    }
    const user = createAccountClient(options({ auth: { type: 'oauth-m2m', clientId: '0badc0de-0000-4000-8000-000000000002', clientSecret: 'not-an-admin-secret' } }));
    try {
      const e = await rejection(user.listWorkspaces());
      assert.ok(e instanceof DatabricksApiError && e.status === 403, String(e));
    } finally {
      await user.close();
    }
  });

  it('turns a missing workspace list into WorkspaceListUnavailableError (the Azure case)', async () => {
    const azure = await startAccountEmulator({ workspaces: demoFleet().slice(0, 2), workspaceList: 'missing', domain: 'azurefleet' });
    let client: ReturnType<typeof createAccountClient> | undefined;
    try {
      client = createAccountClient({ ...options(), host: azure.url, accountId: azure.accountId, cloud: 'azure' });
      const e = await rejection(client.listWorkspaces());
      assert.ok(e instanceof WorkspaceListUnavailableError, String(e));
      assert.equal(e.cloud, 'azure');
      assert.match(e.message, /unreliable on Azure: add the workspaces by URL, or list them through Azure Resource Manager/);
    } finally {
      await client?.close();
      await azure.close();
    }
  });

  it('account calls use the network settings too: through http.proxy (a proxy answering 407 is said so; a .invalid host is never looked up)', async () => {
    const proxy = await startConnectProxy({ requireAuth: 'Basic bm90OnNlbnQ=' });
    const client = createAccountClient(options({ host: 'https://accounts.proxy-test.invalid', network: { proxy: proxy.url } }));
    try {
      const e = await rejection(client.listWorkspaces());
      assert.match(e.message, /the proxy requires authentication \(HTTP 407\): set VS Code's http\.proxyAuthorization/);
      assert.ok(proxy.seen.some((x) => x.kind === 'connect' && x.target === 'accounts.proxy-test.invalid:443'), JSON.stringify(proxy.seen));
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('refuses an account id that is not one', () => {
    assert.throws(() => createAccountClient(options({ accountId: 'x y/z' })), /is not a Databricks account id/);
  });

  const skip = process.platform === 'win32' ? 'needs a POSIX shell' : false;
  it('signs in through the Databricks CLI with an account login (`auth token --host H --account-id X`)', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const token = await mintAccountToken(acct);
      const script = join(dir, 'databricks');
      const calls = join(dir, 'calls.log');
      // Like the real CLI, it answers `databricks version` (the client asks before using --profile).
      writeFileSync(script, `#!/bin/sh\nif [ "$1" = version ]; then echo "Databricks CLI v0.250.0"; exit 0; fi\necho "$@" >> "${calls}"\nprintf '{"access_token":"%s","token_type":"Bearer"}' "${token}"\n`);
      chmodSync(script, 0o755);
      const env = { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
      const byHost = createAccountClient(options({ auth: { type: 'databricks-cli' }, env }));
      const byProfile = createAccountClient(options({ auth: { type: 'databricks-cli', profile: `ACCOUNT-${acct.accountId}` }, env }));
      try {
        assert.equal((await byHost.listWorkspaces()).length, 13);
        assert.equal((await byProfile.listWorkspaces()).length, 13);
        const lines = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
        assert.deepEqual(lines, [`auth token --host ${acct.url} --account-id ${acct.accountId}`, `auth token --profile ACCOUNT-${acct.accountId}`]);
        assert.deepEqual(workspaceAuthFor({ type: 'databricks-cli', profile: 'ACCOUNT-x' }), { type: 'databricks-cli', cliPath: undefined }, 'each workspace: the CLI token of that host');
      } finally {
        await byHost.close();
        await byProfile.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('Azure Resource Manager listing through the Azure CLI', () => {
  const skip = process.platform === 'win32' ? 'needs a POSIX shell' : false;
  it('lists the Databricks workspaces of every enabled subscription, following ARM pages only', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const az = join(dir, 'az');
      const page2 = 'https://management.azure.com/subscriptions/sub-1/providers/Microsoft.Databricks/workspaces?api-version=2018-04-01&$skiptoken=2';
      writeFileSync(
        az,
        [
          '#!/bin/sh',
          `echo "$@" >> "${join(dir, 'calls.log')}"`,
          'case "$*" in',
          `  "account list --output json") echo '[{"id":"sub-1","name":"Prod","state":"Enabled"},{"id":"sub-2","name":"Old","state":"Disabled"}]' ;;`,
          `  *skiptoken=2*) echo '{"value":[{"id":"/subscriptions/sub-1/resourceGroups/rg-b/providers/Microsoft.Databricks/workspaces/ws-b","name":"ws-b","location":"westeurope","properties":{"workspaceUrl":"adb-2222222222222222.2.azuredatabricks.net","workspaceId":"2222222222222222"}}]}' ;;`,
          `  *sub-1*) echo '{"value":[{"id":"/subscriptions/sub-1/resourceGroups/rg-a/providers/Microsoft.Databricks/workspaces/ws-a","name":"ws-a","location":"eastus","properties":{"workspaceUrl":"adb-1111111111111111.1.azuredatabricks.net","workspaceId":1111111111111111}},{"name":"broken"}],"nextLink":"${page2}"}' ;;`,
          '  *) echo "unexpected" >&2; exit 1 ;;',
          'esac',
        ].join('\n'),
      );
      chmodSync(az, 0o755);
      const found = await azureDatabricksWorkspaces({ azPath: az, env: { PATH: process.env.PATH ?? '' } });
      assert.deepEqual(found, [
        { name: 'ws-a', host: 'https://adb-1111111111111111.1.azuredatabricks.net', workspaceId: '1111111111111111', subscriptionId: 'sub-1', subscriptionName: 'Prod', resourceGroup: 'rg-a', location: 'eastus' },
        { name: 'ws-b', host: 'https://adb-2222222222222222.2.azuredatabricks.net', workspaceId: '2222222222222222', subscriptionId: 'sub-1', subscriptionName: 'Prod', resourceGroup: 'rg-b', location: 'westeurope' },
      ]);
      const calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
      assert.equal(calls.length, 3, 'the disabled subscription is not listed');
      const missing = await rejection(azureDatabricksWorkspaces({ azPath: join(dir, 'no-such-az'), env: {} }));
      assert.ok(missing instanceof AuthConfigError && missing.code === 'CLI_NOT_FOUND');
      assert.match(missing.message, /az login|add the workspaces by URL/);
    } finally {
      cleanup();
    }
  });
});

describe('name resolution', () => {
  it('resolves *.localhost to loopback without DNS and other names through dns.lookup', async () => {
    const look = (name: string, opts: Parameters<typeof loopbackAwareLookup>[1]): Promise<unknown> =>
      new Promise((resolve, reject) => loopbackAwareLookup(name, opts, (err, address, family) => (err ? reject(err) : resolve({ address, family }))));
    assert.deepEqual(await look('acme-prod.fleet.localhost', {}), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(await look('x.localhost', { family: 6 }), { address: '::1', family: 6 });
    assert.deepEqual(await look('x.localhost', { all: true }), { address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
    assert.deepEqual(await look('127.0.0.1', {}), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(await look('127.0.0.1', { all: true }), { address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
    await assert.rejects(look('no-such-host.invalid', {}));
  });
});

describe('Azure CLI sign-in for an account', () => {
  const skip = process.platform === 'win32' ? 'needs a POSIX shell' : false;
  it('uses one Entra ID token from az for the account and for each workspace', { skip }, async () => {
    const acct = await startAccountEmulator({ workspaces: demoFleet().slice(0, 2), domain: 'azcli' });
    const { dir, cleanup } = tempDir();
    const entra = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.entra-test-token.sig';
    const clients: Array<{ close(): Promise<void> }> = [];
    try {
      acct.acceptEntraToken(entra);
      const az = join(dir, 'az');
      writeFileSync(az, `#!/bin/sh\necho "$@" >> "${join(dir, 'az.log')}"\nprintf '{"accessToken":"%s","expiresOn":"2099-01-01 00:00:00.000000"}' "${entra}"\n`);
      chmodSync(az, 0o755);
      const env = { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
      const account = createAccountClient({ host: acct.url, accountId: acct.accountId, auth: { type: 'azure-cli' }, env, cloud: 'azure' });
      clients.push(account);
      assert.equal((await account.listWorkspaces()).length, 2);
      const ws = createWorkspaceClient({ host: acct.workspaces[0].url, auth: workspaceAuthFor({ type: 'azure-cli' }), env });
      clients.push(ws);
      assert.equal((await ws.me()).userName, FLEET_ADMIN.applicationId);
      const calls = readFileSync(join(dir, 'az.log'), 'utf8').trim().split('\n');
      assert.ok(calls.every((c) => c.startsWith('account get-access-token --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d')), calls.join(' | '));
      assert.deepEqual(accountProfileConfig(parseDatabricksConfig('[az]\nhost = https://accounts.azuredatabricks.net\naccount_id = 0d1e2f3a-0000-4000-8000-000000000009\nauth_type = azure-cli\nazure_tenant_id = t-1\n'), 'az').auth, { type: 'azure-cli', tenantId: 't-1' });
    } finally {
      for (const c of clients) await c.close();
      cleanup();
      await acct.close();
    }
  });
});

describe('account profiles in ~/.databrickscfg', () => {
  const text = [
    '[DEFAULT]',
    'host = https://dbc-1234.cloud.databricks.com',
    'token = dapi-workspace',
    '',
    '[ACCOUNT-0d1e2f3a-0000-4000-8000-000000000001]',
    'host = https://accounts.cloud.databricks.com',
    'account_id = 0d1e2f3a-0000-4000-8000-000000000001',
    'auth_type = databricks-cli',
    '',
    '[acct-sp]',
    'host = https://accounts.azuredatabricks.net',
    'account_id = 0d1e2f3a-0000-4000-8000-000000000002',
    'client_id = 11111111-2222-4333-8444-555555555555',
    'client_secret = dose-secret-value',
    '',
    '[acct-pat]',
    'host = https://accounts.gcp.databricks.com',
    'account_id = 0d1e2f3a-0000-4000-8000-000000000003',
    'token = dapi-not-for-accounts',
    '',
    '[unified-ws]',
    'host = https://accounts.cloud.databricks.com',
    'account_id = 0d1e2f3a-0000-4000-8000-000000000004',
    'workspace_id = 1234',
    '',
  ].join('\n');

  it('reads CLI and M2M account profiles and refuses tokens', () => {
    const file = parseDatabricksConfig(text);
    assert.deepEqual(accountProfileConfig(file, 'ACCOUNT-0d1e2f3a-0000-4000-8000-000000000001'), {
      name: 'ACCOUNT-0d1e2f3a-0000-4000-8000-000000000001',
      host: 'https://accounts.cloud.databricks.com',
      accountId: '0d1e2f3a-0000-4000-8000-000000000001',
      auth: { type: 'databricks-cli', profile: 'ACCOUNT-0d1e2f3a-0000-4000-8000-000000000001' },
    });
    const sp = accountProfileConfig(file, 'acct-sp');
    assert.deepEqual(sp.auth, { type: 'oauth-m2m', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'dose-secret-value' });
    assert.throws(() => accountProfileConfig(file, 'acct-pat'), (e: unknown) => e instanceof AuthConfigError && /do not take personal access tokens/.test(e.message));
    assert.throws(() => accountProfileConfig(file, 'DEFAULT'), /is not an account profile/);
    assert.throws(() => accountProfileConfig(file, 'unified-ws'), /is not an account profile/, 'a profile with a workspace_id is a workspace profile (the CLI test)');
  });

  it('lists only the account profiles', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'cfg');
      writeFileSync(path, text);
      assert.deepEqual(
        listAccountProfiles({ path }).map((p) => `${p.name} ${p.authType}`),
        ['ACCOUNT-0d1e2f3a-0000-4000-8000-000000000001 databricks-cli', 'acct-sp oauth-m2m', 'acct-pat databricks-cli'],
      );
    } finally {
      cleanup();
    }
  });
});

/** An account token from the account OIDC endpoint (for the fake CLI, and to show a workspace refuses it). */
async function mintAccountToken(acct: AccountEmulatorHandle): Promise<string> {
  const agent = new Agent({ connect: { lookup: loopbackAwareLookup } });
  try {
    const res = await request(`${acct.url}${TOKEN_PATH(acct.accountId)}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${FLEET_ADMIN.applicationId}:${FLEET_ADMIN.secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    assert.equal(res.statusCode, 200);
    return ((await res.body.json()) as { access_token: string }).access_token;
  } finally {
    await agent.close();
  }
}
