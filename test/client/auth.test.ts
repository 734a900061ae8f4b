/** OAuth M2M (fetch, cache, refresh before expiry, single flight, 401 refresh) and Databricks CLI auth, against the emulator. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { hits, useEmulator } from '../fixtures/emulator';
import { AuthConfigError, DatabricksApiError, createWorkspaceClient } from '../../src/client';
import { clientFor, rejection, tempDir } from './helpers';
import { ADMIN, CI_APP, CI_SECRET, SCIM } from '../fixtures/seed';

const emu = useEmulator({ oauthTokenTtlSeconds: 120 });
const TOKEN_PATH = '/oidc/v1/token';
const ME = `${SCIM}/Me`;

describe('OAuth M2M', () => {
  it('fetches a token with client credentials, caches it and refreshes it before expiry', async () => {
    let now = 1_000_000;
    const { client, log } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET }, clock: () => now });
    try {
      assert.equal(client.authType, 'oauth-m2m');
      const me = await client.me();
      assert.equal(me.userName, CI_APP);
      const tokenReq = emu.requests.find((r) => r.path === TOKEN_PATH);
      assert.deepEqual(tokenReq?.body, { grant_type: 'client_credentials', scope: 'all-apis' });
      assert.equal(tokenReq?.status, 200);
      assert.equal(emu.requests.find((r) => r.path === ME)?.auth, CI_APP);

      await client.me();
      now += 59_000; // lifetime 120 s → refreshed 60 s before expiry
      await client.me();
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 1, 'cached token reused');
      now += 2_000;
      await client.me();
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 2, 'refreshed before expiry');
      assert.equal(hits(emu, 'GET', ME), 4);

      const text = log.join('\n');
      assert.ok(!text.includes(CI_SECRET));
      assert.ok(!/eyJemu\.[A-Za-z0-9_-]{8}/.test(text), 'access token in the log');
    } finally {
      await client.close();
    }
  });

  it('refreshes at half the lifetime when tokens live shorter than two minutes', async () => {
    emu.state.options.oauthTokenTtlSeconds = 10;
    let now = 0;
    const { client } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET }, clock: () => now });
    try {
      await client.me();
      now = 4_900;
      await client.me();
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 1);
      now = 5_100;
      await client.me();
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 2);
    } finally {
      await client.close();
    }
  });

  it('concurrent calls share one token request (single flight)', async () => {
    const { client } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET } });
    try {
      const all = await Promise.all([client.me(), client.me(), client.listWarehouses(), client.me(), client.isWorkspaceAdmin()]);
      assert.equal(all.length, 5);
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 1);
    } finally {
      await client.close();
    }
  });

  it('a token revoked server-side (401) is dropped and fetched again once', async () => {
    const { client } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET } });
    try {
      await client.me();
      emu.state.oauthTokens.clear();
      assert.equal((await client.me()).userName, CI_APP);
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 2);
      assert.deepEqual(
        emu.requests.filter((r) => r.path === ME).map((r) => r.status),
        [200, 401, 200],
      );
    } finally {
      await client.close();
    }
  });

  it('a token endpoint 503 is retried (asking for a token twice is harmless)', async () => {
    emu.faults.add({ method: 'POST', path: TOKEN_PATH, status: 503, times: 1 });
    const { client } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET } });
    try {
      await client.me();
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 2);
    } finally {
      await client.close();
    }
  });

  it('wrong credentials: an AuthConfigError naming the client id, never the secret', async () => {
    const secret = 'wrong-secret-value-123';
    const { client, log } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: secret } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof AuthConfigError, String(e));
      assert.equal(e.code, 'OAUTH_FAILED');
      assert.match(e.message, new RegExp(`client id ${CI_APP}: invalid_client`));
      assert.ok(!e.message.includes(secret) && !log.join('\n').includes(secret));
      assert.equal(hits(emu, 'GET', ME), 0);
    } finally {
      await client.close();
    }
    assert.throws(() => createWorkspaceClient({ host: emu.url, auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: ' ' } }), AuthConfigError);
  });
  it('a cancelled caller does not break the shared token fetch for others', async () => {
    emu.faults.add({ method: 'POST', path: TOKEN_PATH, delayMs: 100, times: 1 });
    const { client } = clientFor(emu, { auth: { type: 'oauth-m2m', clientId: CI_APP, clientSecret: CI_SECRET } });
    try {
      const ac = new AbortController();
      const a = client.me({ signal: ac.signal });
      const b = client.me();
      ac.abort();
      assert.equal((await rejection(a)).name, 'AbortError');
      assert.equal((await b).userName, CI_APP);
      assert.equal(hits(emu, 'POST', TOKEN_PATH), 1);
    } finally {
      await client.close();
    }
  });
});

describe('PAT', () => {
  it('sends the token as Bearer and does not retry a 401', async () => {
    assert.throws(() => createWorkspaceClient({ host: emu.url, auth: { type: 'pat', token: '  ' } }), AuthConfigError);
    const { client } = clientFor(emu, { auth: { type: 'pat', token: 'dapi-not-a-valid-token' } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof DatabricksApiError && e.status === 401);
      assert.equal(hits(emu, 'GET', ME), 1);
    } finally {
      await client.close();
    }
  });
});

describe('Databricks CLI (U2M)', () => {
  /** A fake `databricks` on PATH that logs its arguments and prints what `behaviour` says. */
  function fakeCli(dir: string, behaviour: string, version = 'Databricks CLI v0.250.0'): { env: Record<string, string>; calls: () => string[] } {
    const script = join(dir, 'databricks');
    const callLog = join(dir, 'calls.log');
    // Like the real CLI, it answers `databricks version` (the client asks before using --profile).
    writeFileSync(script, `#!/bin/sh\nif [ "$1" = version ]; then echo "${version}"; exit 0; fi\necho "$@" >> "${callLog}"\n${behaviour}\n`);
    chmodSync(script, 0o755);
    return {
      env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
      calls: () => (existsSync(callLog) ? readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean) : []),
    };
  }
  const skip = process.platform === 'win32' ? 'needs a POSIX shell' : false;

  it('runs `databricks auth token --host H`, parses JSON and caches until expiry', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const expiry = new Date(Date.now() + 3_600_000).toISOString();
      const cli = fakeCli(dir, `printf '{"access_token":"%s","token_type":"Bearer","expiry":"%s"}' "${emu.adminToken}" "${expiry}"`);
      let now = Date.now();
      const { client, log } = clientFor(emu, { auth: { type: 'databricks-cli' }, env: cli.env, clock: () => now });
      try {
        assert.equal((await client.me()).userName, ADMIN);
        await client.me();
        assert.deepEqual(cli.calls(), [`auth token --host ${emu.url}`]);
        now += 3_600_000 - 30_000; // within the refresh margin
        await client.me();
        assert.equal(cli.calls().length, 2);
        assert.ok(!log.join('\n').includes(emu.adminToken));
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
  });

  it('uses --profile when a profile is given, and re-runs the CLI after a 401', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const cli = fakeCli(dir, `printf '{"access_token":"%s"}' "${emu.adminToken}"`);
      const { client } = clientFor(emu, { auth: { type: 'databricks-cli', profile: 'dev' }, env: cli.env });
      try {
        await client.me();
        emu.faults.add({ path: ME, status: 401, times: 1 });
        await client.me();
        assert.deepEqual(cli.calls(), ['auth token --profile dev', 'auth token --profile dev']);
      } finally {
        await client.close();
      }
    } finally {
      cleanup();
    }
  });

  it('an expired login is LOGIN_REQUIRED with the `databricks auth login` to run; other failures name the login too', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      // What the CLI prints when the refresh token expired (databricks/cli libs/auth/error.go).
      const cli = fakeCli(dir, `echo "Error: A new access token could not be retrieved because the refresh token is invalid. To reauthenticate, run the following command:" >&2; exit 1`);
      const { client } = clientFor(emu, { auth: { type: 'databricks-cli' }, env: cli.env });
      try {
        const e = await rejection(client.me());
        assert.ok(e instanceof AuthConfigError);
        assert.equal(e.code, 'LOGIN_REQUIRED');
        assert.match(e.message, /^The Databricks CLI's sign-in for http:\/\/127\.0\.0\.1:\d+ has expired or was never made: run "databricks auth login --host http:\/\/127\.0\.0\.1:\d+", then retry\.$/);
        assert.deepEqual(e.login, { command: join(dir, 'databricks'), args: ['auth', 'login', '--host', emu.url] });
        assert.equal(hits(emu, 'GET', ME), 0);
      } finally {
        await client.close();
      }
      const other = fakeCli(dir, `echo "Error: something unexpected" >&2; exit 1`);
      const c2 = clientFor(emu, { auth: { type: 'databricks-cli', profile: 'dev', configFile: join(dir, 'cfg') }, env: other.env }).client;
      try {
        const e = await rejection(c2.me());
        assert.ok(e instanceof AuthConfigError && e.code === 'CLI_FAILED', String(e));
        assert.match(e.message, /exited with an error: Error: something unexpected\. Sign in again with "databricks auth login --profile dev"/);
        assert.deepEqual(e.login, { command: join(dir, 'databricks'), args: ['auth', 'login', '--profile', 'dev'], env: { DATABRICKS_CONFIG_FILE: join(dir, 'cfg') } });
      } finally {
        await c2.close();
      }
    } finally {
      cleanup();
    }
  });

  it('a CLI older than 0.207.1 (or one that does not say its version) gets --host, as the SDKs do', { skip }, async () => {
    for (const version of ['Databricks CLI v0.205.0', 'garbage']) {
      const { dir, cleanup } = tempDir();
      try {
        const cli = fakeCli(dir, `printf '{"access_token":"%s"}' "${emu.adminToken}"`, version);
        const { client } = clientFor(emu, { auth: { type: 'databricks-cli', profile: 'dev' }, env: cli.env });
        try {
          await client.me();
          assert.deepEqual(cli.calls(), [`auth token --host ${emu.url}`], version);
        } finally {
          await client.close();
        }
      } finally {
        cleanup();
      }
    }
  });

  it('DATABRICKS_CLI_PATH, then PATH, then the fallbacks (the official extension\'s bundled CLI)', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const cli = fakeCli(dir, `printf '{"access_token":"%s"}' "${emu.adminToken}"`);
      const bundled = join(dir, 'databricks');
      // Only the fallback: nothing on PATH.
      const a = clientFor(emu, { auth: { type: 'databricks-cli' }, env: { PATH: '/nonexistent' }, fallbackCliPaths: ['/nonexistent/databricks', bundled] }).client;
      try {
        assert.equal((await a.me()).userName, ADMIN);
      } finally {
        await a.close();
      }
      // DATABRICKS_CLI_PATH wins over PATH.
      const b = clientFor(emu, { auth: { type: 'databricks-cli' }, env: { PATH: '/nonexistent', DATABRICKS_CLI_PATH: bundled } }).client;
      try {
        assert.equal((await b.me()).userName, ADMIN);
      } finally {
        await b.close();
      }
      assert.equal(cli.calls().length, 2);
      const none = clientFor(emu, { auth: { type: 'databricks-cli' }, env: { PATH: '/nonexistent' }, fallbackCliPaths: ['/nonexistent/databricks'] }).client;
      try {
        const e = await rejection(none.me());
        assert.ok(e instanceof AuthConfigError && e.code === 'CLI_NOT_FOUND');
        assert.match(e.message, /not on PATH, nor bundled with the Databricks extension/);
      } finally {
        await none.close();
      }
    } finally {
      cleanup();
    }
  });

  it('reports non-JSON output, JSON without a token, and a missing CLI', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const notJson = fakeCli(dir, `echo "Token: abc"`);
      const a = clientFor(emu, { auth: { type: 'databricks-cli' }, env: notJson.env }).client;
      const e1 = await rejection(a.me());
      await a.close();
      assert.ok(e1 instanceof AuthConfigError && e1.code === 'CLI_OUTPUT_INVALID', String(e1));

      const noToken = fakeCli(dir, `echo '{"token_type":"Bearer"}'`);
      const b = clientFor(emu, { auth: { type: 'databricks-cli' }, env: noToken.env }).client;
      const e2 = await rejection(b.me());
      await b.close();
      assert.ok(e2 instanceof AuthConfigError && e2.code === 'CLI_OUTPUT_INVALID');

      const c = clientFor(emu, { auth: { type: 'databricks-cli', cliPath: join(dir, 'no-such-databricks') }, env: { PATH: dir } }).client;
      const e3 = await rejection(c.me());
      await c.close();
      assert.ok(e3 instanceof AuthConfigError && e3.code === 'CLI_NOT_FOUND', String(e3));
      assert.match(e3.message, /Databricks CLI .* was not found/);
    } finally {
      cleanup();
    }
  });

  it('rejects an unknown auth type', () => {
    assert.throws(
      () => createWorkspaceClient({ host: emu.url, auth: { type: 'kerberos' } as unknown as { type: 'pat'; token: string } }),
      (e: unknown) => e instanceof AuthConfigError && e.code === 'UNSUPPORTED_AUTH_TYPE',
    );
  });
});
