/**
 * Azure sign-in against local doubles only (nothing reaches the internet): a fake `az` on PATH
 * (azure-cli), a local Entra ID token endpoint (azure-client-secret, the tenant found from the
 * workspace's /aad/auth redirect as the SDKs find it), and the default chain for host-only profiles
 * (Databricks CLI, then Azure CLI).
 */
import { before, after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AuthConfigError, createWorkspaceClient, isAzureHost } from '../../src/client';
import { AZURE_DATABRICKS_RESOURCE, azCliExpiry } from '../../src/client/auth/azure';
import { useEmulator } from '../fixtures/emulator';
import { tinyServer, type TinyServer } from '../fixtures/http';
import { startConnectProxy } from '../fixtures/network';
import { ADMIN } from '../fixtures/seed';
import { clientFor, rejection, tempDir } from './helpers';

const skip = process.platform === 'win32' ? 'needs a POSIX shell' : false;

/** A fake executable `name` in `dir` that logs its arguments and runs `behaviour` (sh). */
function fakeTool(dir: string, name: string, behaviour: string): { calls: () => string[] } {
  const log = join(dir, `${name}.calls`);
  const script = join(dir, name);
  writeFileSync(script, `#!/bin/sh\nif [ "$1" = version ]; then echo "Databricks CLI v0.250.0"; exit 0; fi\necho "$@" >> "${log}"\n${behaviour}\n`);
  chmodSync(script, 0o755);
  return { calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

/** az's local-time expiresOn format: "2024-03-20 10:30:00.123456". */
function azLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}123`;
}

describe('azure-cli: az account get-access-token', () => {
  const emu = useEmulator();
  it('runs az with the AzureDatabricks resource, signs in, and caches the token until expiresOn', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      let now = Date.now();
      const expires = now + 3_600_000;
      const az = fakeTool(dir, 'az', `printf '{"accessToken":"%s","expiresOn":"%s","tokenType":"Bearer"}' "${emu.adminToken}" "${azLocal(expires)}"`);
      const { client, log } = clientFor(emu, { auth: { type: 'azure-cli' }, env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` }, clock: () => now });
      try {
        assert.equal((await client.me()).userName, ADMIN);
        await client.me();
        assert.deepEqual(az.calls(), [`account get-access-token --resource ${AZURE_DATABRICKS_RESOURCE} --output json`]);
        now = expires - 30_000; // inside the refresh margin
        await client.me();
        assert.equal(az.calls().length, 2);
        assert.ok(!log.join('\n').includes(emu.adminToken));
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
  });

  it('passes a configured tenant (--tenant) and reads expires_on of newer az versions', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const az = fakeTool(dir, 'az', `printf '{"accessToken":"%s","expiresOn":"2000-01-01 00:00:00.000000","expires_on":${Math.floor(Date.now() / 1000) + 3600}}' "${emu.adminToken}"`);
      const { client } = clientFor(emu, { auth: { type: 'azure-cli', tenantId: 'contoso-tenant' }, env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` } });
      try {
        await client.me();
        await client.me();
        assert.deepEqual(az.calls(), [`account get-access-token --resource ${AZURE_DATABRICKS_RESOURCE} --output json --tenant contoso-tenant`]);
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
    assert.equal(azCliExpiry({ accessToken: 'x', expires_on: 1_700_000_000 }), 1_700_000_000_000);
    assert.equal(azCliExpiry({ accessToken: 'x' }), undefined);
  });

  it('az not signed in → LOGIN_REQUIRED with "az login"; az missing → a sentence with the fix', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      fakeTool(dir, 'az', `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`);
      const { client } = clientFor(emu, { auth: { type: 'azure-cli', tenantId: 't-1' }, env: { PATH: dir } });
      try {
        const e = await rejection(client.me());
        assert.ok(e instanceof AuthConfigError && e.code === 'LOGIN_REQUIRED', String(e));
        assert.equal(e.message, 'The Azure CLI is not signed in (or its sign-in expired): run "az login --tenant t-1", then retry.');
        assert.deepEqual(e.login, { command: join(dir, 'az'), args: ['login', '--tenant', 't-1'] });
      } finally {
        await client.close();
      }
      const missing = clientFor(emu, { auth: { type: 'azure-cli' }, env: { PATH: '/nonexistent' } }).client;
      try {
        const e = await rejection(missing.me());
        assert.ok(e instanceof AuthConfigError && e.code === 'AZURE_CLI_NOT_FOUND');
        assert.match(e.message, /Azure CLI \(az\) was not found on PATH: install it .* run "az login"/);
      } finally {
        await missing.close();
      }
    } finally {
      cleanup();
    }
  });
});

describe('azure-client-secret: Entra ID client credentials at a local token endpoint', () => {
  const emu = useEmulator();
  let entra: TinyServer;
  let workspace: TinyServer;
  const SECRET = 'entra-client-secret-7Q~abc';
  const MGMT = 'mgmt-token-value-123456';
  let refuseManagement = false;
  before(async () => {
    entra = await tinyServer((req, res, body) => {
      const form = new URLSearchParams(body);
      const ok = form.get('client_id') === 'app-123' && form.get('client_secret') === SECRET && form.get('grant_type') === 'client_credentials';
      res.setHeader('content-type', 'application/json');
      if (!ok) {
        res.writeHead(401);
        res.end(JSON.stringify({ error: 'invalid_client', error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. Trace ID: 0a1b Correlation ID: 2c3d Timestamp: 2026-01-01 00:00:00Z" }));
        return;
      }
      const resource = form.get('resource');
      if (resource === AZURE_DATABRICKS_RESOURCE) {
        res.writeHead(200);
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: '3599', access_token: emu.adminToken }));
      } else if (!refuseManagement && resource === 'https://management.core.windows.net/') {
        res.writeHead(200);
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: '3599', access_token: MGMT }));
      } else {
        res.writeHead(400);
        res.end(JSON.stringify({ error: 'invalid_resource', error_description: 'AADSTS500011: no such resource.' }));
      }
    });
    workspace = await tinyServer((req, res) => {
      if (req.url === '/aad/auth') {
        res.writeHead(302, { location: 'https://login.microsoftonline.com/tenant-from-redirect/oauth2/authorize?client_id=x&redirect_uri=y' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1', userName: 'sp@acme.example' }));
    });
  });
  after(async () => {
    await entra?.close();
    await workspace?.close();
  });
  beforeEach(() => {
    entra.requests.length = 0;
    workspace.requests.length = 0;
    refuseManagement = false;
  });

  it('signs in to the workspace with the Entra token; the management token rides along', async () => {
    const { client, log } = clientFor(emu, { auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: SECRET, tenantId: 'tenant-1', loginEndpoint: entra.url } });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      await client.me();
      assert.deepEqual(entra.requests.map((r) => [r.method, r.url, new URLSearchParams(r.body).get('resource')]), [
        ['POST', '/tenant-1/oauth2/token', AZURE_DATABRICKS_RESOURCE],
        ['POST', '/tenant-1/oauth2/token', 'https://management.core.windows.net/'],
      ]);
      assert.ok(!log.join('\n').includes(SECRET));
    } finally {
      await client.close();
    }
  });

  it('token calls use the same transport: http.proxy with http.proxyAuthorization carries the Entra ID and the workspace requests', async () => {
    const auth = `Basic ${Buffer.from('corp-user:proxy-pass-entra').toString('base64')}`;
    const proxy = await startConnectProxy({ requireAuth: auth });
    const { client, log } = clientFor(emu, {
      auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: SECRET, tenantId: 'tenant-1', loginEndpoint: entra.url },
      network: { proxy: proxy.url, proxyAuthorization: auth },
    });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      const targets = new Set(proxy.seen.map((x) => `${x.kind} ${x.target} ${x.proxyAuthorization === auth}`));
      assert.ok(targets.has(`connect ${new URL(entra.url).host} true`), [...targets].join('; '));
      assert.ok(targets.has(`connect ${new URL(emu.url).host} true`), [...targets].join('; '));
      assert.ok(!log.join('\n').includes('proxy-pass-entra') && !log.join('\n').includes(auth));
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('finds the tenant from the workspace\'s /aad/auth redirect; sends the SP management token and the resource id', async () => {
    const c = createWorkspaceClient({
      host: workspace.url,
      auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: SECRET, azureResourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w', loginEndpoint: entra.url },
      env: {},
    });
    try {
      await c.me();
      assert.equal(entra.requests[0]?.url, '/tenant-from-redirect/oauth2/token');
      const me = workspace.requests.find((r) => r.url.startsWith('/api/'));
      assert.equal(me?.headers.authorization, `Bearer ${emu.adminToken}`);
      assert.equal(me?.headers['x-databricks-azure-sp-management-token'], MGMT);
      assert.equal(me?.headers['x-databricks-azure-workspace-resource-id'], '/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w');
    } finally {
      await c.close();
    }
  });

  it('a refused management token is not a failure (and is not asked for on every request)', async () => {
    refuseManagement = true;
    const c = createWorkspaceClient({ host: workspace.url, auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: SECRET, tenantId: 't', loginEndpoint: entra.url }, env: {}, retry: { maxAttempts: 1 } });
    try {
      await c.me();
      await c.me();
      assert.equal(entra.requests.length, 2, 'one token, one refused management token');
      assert.equal(workspace.requests.at(-1)?.headers['x-databricks-azure-sp-management-token'], undefined);
    } finally {
      await c.close();
    }
  });

  it('a wrong secret: one sentence naming the client id, tenant and AADSTS reason, never the secret or trace ids', async () => {
    const c = createWorkspaceClient({ host: workspace.url, auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: 'wrong-secret-value', tenantId: 't', loginEndpoint: entra.url }, env: {} });
    try {
      const e = await rejection(c.me());
      assert.ok(e instanceof AuthConfigError && e.code === 'OAUTH_FAILED', String(e));
      assert.match(e.message, /^Entra ID refused the client secret sign-in of app-123 in tenant t \(.*AADSTS7000215: Invalid client secret provided.*\): check azure_client_id/);
      assert.ok(!e.message.includes('wrong-secret-value') && !e.message.includes('Trace ID'));
    } finally {
      await c.close();
    }
  });

  it('no tenant and no login redirect: a sentence saying to set azure_tenant_id', async () => {
    const c = createWorkspaceClient({ host: emu.url, auth: { type: 'azure-client-secret', clientId: 'app-123', clientSecret: SECRET, loginEndpoint: entra.url }, env: {} });
    try {
      const e = await rejection(c.me());
      assert.ok(e instanceof AuthConfigError && e.code === 'AZURE_TENANT_NOT_FOUND', String(e));
      assert.match(e.message, /set azure_tenant_id \(ARM_TENANT_ID\)/);
    } finally {
      await c.close();
    }
  });
});

describe('the default chain for a host-only configuration', () => {
  const emu = useEmulator();
  const token = (t: string): string => `printf '{"access_token":"%s","accessToken":"%s","expiresOn":"2999-01-01 00:00:00.000000"}' "${t}" "${t}"`;

  it('the Databricks CLI first; without its login, the Azure CLI (Azure hosts); the choice is kept', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const dbx = fakeTool(dir, 'databricks', `echo "Error: cache: databricks OAuth is not configured for this host. Try logging in again with databricks auth login" >&2; exit 1`);
      const az = fakeTool(dir, 'az', token(emu.adminToken));
      const { client } = clientFor(emu, { auth: { type: 'default', azureEnvironment: 'PUBLIC' }, env: { PATH: dir } });
      try {
        assert.equal((await client.me()).userName, ADMIN);
        await client.me();
        assert.equal(dbx.calls().length, 1);
        assert.equal(az.calls().length, 1);
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
    const { dir: d2, cleanup: c2 } = tempDir();
    try {
      const dbx = fakeTool(d2, 'databricks', token(emu.adminToken));
      const az = fakeTool(d2, 'az', token('never-used'));
      const { client } = clientFor(emu, { auth: { type: 'default', profile: 'p' }, env: { PATH: d2 } });
      try {
        await client.me();
        assert.deepEqual(dbx.calls(), ['auth token --profile p']);
        assert.equal(az.calls().length, 0, 'not an Azure host: az is not tried');
      } finally {
        await client.close();
      }
    } finally {
      c2();
    }
  });

  it('nothing signed in: the CLI\'s expired login is offered; with no CLI at all, one sentence says what to run', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      fakeTool(dir, 'databricks', `echo "Error: A new access token could not be retrieved because the refresh token is invalid." >&2; exit 1`);
      const { client } = clientFor(emu, { auth: { type: 'default', profile: 'p' }, env: { PATH: dir } });
      try {
        const e = await rejection(client.me());
        assert.ok(e instanceof AuthConfigError && e.code === 'LOGIN_REQUIRED', String(e));
        assert.deepEqual(e.login?.args, ['auth', 'login', '--profile', 'p']);
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
    const { client } = clientFor(emu, { auth: { type: 'default' }, env: { PATH: '/nonexistent' } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof AuthConfigError && e.code === 'NOT_SIGNED_IN', String(e));
      assert.match(e.message, /has a host but no credentials, and no sign-in was found for it .*: run "databricks auth login --host http:\/\/127\.0\.0\.1:\d+"/);
    } finally {
      await client.close();
    }
  });

  it('Azure hosts are recognised by name (public, US Government, China)', () => {
    for (const h of ['https://adb-1.2.azuredatabricks.net', 'https://adb-1.2.databricks.azure.us', 'https://adb-1.2.databricks.azure.cn']) assert.ok(isAzureHost(h), h);
    for (const h of ['https://dbc-1.cloud.databricks.com', 'https://x.gcp.databricks.com', 'https://azuredatabricks.net.evil.example']) assert.ok(!isAzureHost(h), h);
  });
});
