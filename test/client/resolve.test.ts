/**
 * Unified-auth resolution rules of the Databricks SDKs, case by case, against fixtures of real config
 * files (test/client/fixtures/databrickscfg): what `databricks configure`, `databricks auth login`,
 * `databricks auth switch` and the official Databricks extension write.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthConfigError, defaultProfile, parseWorkspaceHost, profileNames, readDatabricksConfig, resolveWorkspaceConfig } from '../../src/client';
import { tempDir } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'client', 'fixtures', 'databrickscfg');
const fixture = (name: string): string => join(FIXTURES, name);

function authErr(fn: () => unknown): AuthConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthConfigError) return e;
    throw e;
  }
  throw new Error('expected an AuthConfigError');
}

/** An environment whose HOME has no ~/.databrickscfg, plus `extra`. */
function isolated(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: '/nonexistent-home-for-tests', ...extra };
}

describe('resolution: no profile named + host or credentials in the environment skips the config file', () => {
  const file = fixture('default-only.cfg');
  it('DATABRICKS_HOST alone is never combined with [DEFAULT]\'s token (the token would go to another host)', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_HOST: 'https://other.cloud.databricks.com' }) });
    assert.equal(r.host, 'https://other.cloud.databricks.com');
    assert.equal(r.source, 'environment');
    assert.equal(r.profile, undefined);
    assert.deepEqual(r.auth, { type: 'default' }, 'a host alone means the CLI login for that host, not the DEFAULT token');
    assert.ok(!JSON.stringify(r).includes('dapi-fixture-default'));
  });
  it('DATABRICKS_TOKEN alone (no host) does not read the file either: a host is missing', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_TOKEN: 'dapi-env-only' }) }));
    assert.equal(e.code, 'MISSING_HOST');
    assert.ok(!e.message.includes('dapi'));
  });
  it('ARM_CLIENT_ID / DATABRICKS_CLIENT_ID count as credentials too', () => {
    const extras: Array<Record<string, string>> = [{ DATABRICKS_CLIENT_ID: 'x' }, { ARM_CLIENT_ID: 'x' }, { ARM_TENANT_ID: 't' }];
    for (const extra of extras) {
      const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, ...extra }) }));
      assert.equal(e.code, 'MISSING_HOST', JSON.stringify(extra));
    }
  });
  it('complete environment variables work without any file', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_HOST: 'x.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi-env' }) });
    assert.deepEqual(r, { host: 'https://x.cloud.databricks.com', auth: { type: 'pat', token: 'dapi-env' }, source: 'environment', environment: ['DATABRICKS_HOST', 'DATABRICKS_TOKEN'] });
    const m = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_HOST: 'https://x.example', DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: 'sec' }) });
    assert.deepEqual(m.auth, { type: 'oauth-m2m', clientId: 'id', clientSecret: 'sec' });
  });
  it('DATABRICKS_AUTH_TYPE or DATABRICKS_CLI_PATH alone are not credentials: the DEFAULT profile is still read', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_CLI_PATH: '/opt/databricks' }) });
    assert.equal(r.profile, 'DEFAULT');
    assert.deepEqual(r.auth, { type: 'pat', token: 'dapi-fixture-default-0000000000000000' });
  });
  it('no environment: [DEFAULT] is used', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }) });
    assert.equal(r.host, 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com');
    assert.equal(r.profile, 'DEFAULT');
    assert.equal(r.configFile, file);
  });
});

describe('resolution: [__settings__] default_profile', () => {
  const file = fixture('settings.cfg');
  it('chooses the default profile; __settings__ is never a profile', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }) });
    assert.equal(r.profile, 'staging');
    assert.equal(r.host, 'https://staging.cloud.databricks.com');
    assert.deepEqual(r.auth, { type: 'databricks-cli', profile: 'staging', configFile: file });
    const f = readDatabricksConfig({ path: file });
    assert.deepEqual(profileNames(f), ['DEFAULT', 'staging', 'prod']);
    assert.deepEqual(defaultProfile(f), { name: 'staging', fallback: false });
  });
  it('a named profile still wins over default_profile', () => {
    assert.equal(resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }), profile: 'prod' }).host, 'https://prod.cloud.databricks.com');
    assert.equal(resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_CONFIG_PROFILE: 'prod' }) }).profile, 'prod');
    // The caller's profile (a setting) beats DATABRICKS_CONFIG_PROFILE, as the SDKs' explicit argument does.
    assert.equal(resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_CONFIG_PROFILE: 'prod' }), profile: 'DEFAULT' }).profile, 'DEFAULT');
  });
  it('__settings__ cannot be used as a profile, nor named as the default', () => {
    assert.equal(authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }), profile: '__settings__' })).code, 'PROFILE_NOT_FOUND');
    const { dir, cleanup } = tempDir();
    try {
      const p = join(dir, 'cfg');
      writeFileSync(p, '[__settings__]\ndefault_profile = __settings__\n[DEFAULT]\nhost = h.example\ntoken = t\n');
      assert.match(authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: p }) })).message, /reserved/);
      writeFileSync(p, '[__settings__]\ndefault_profile = gone\n[DEFAULT]\nhost = h.example\ntoken = t\n');
      const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: p }) }));
      assert.equal(e.code, 'PROFILE_NOT_FOUND', 'a default_profile that does not exist is an error, not a silent fallback');
      assert.match(e.message, /\[gone\].*profiles there: DEFAULT\)/);
    } finally {
      cleanup();
    }
  });
});

describe('resolution: an explicit profile and the environment, attribute by attribute', () => {
  const file = fixture('several-on-one-host.cfg');
  it('DATABRICKS_TOKEN overrides the profile\'s token; the host stays the profile\'s', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_TOKEN: 'dapi-from-env' }), profile: 'acme-prod-pat' });
    assert.equal(r.host, 'https://acme-prod.cloud.databricks.com');
    assert.deepEqual(r.auth, { type: 'pat', token: 'dapi-from-env' });
    assert.deepEqual(r.environment, ['DATABRICKS_TOKEN']);
  });
  it('DATABRICKS_HOST overrides the profile\'s host (the caller asked for this profile and this host)', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_HOST: 'https://elsewhere.cloud.databricks.com' }), profile: 'acme-prod' });
    assert.equal(r.host, 'https://elsewhere.cloud.databricks.com');
    assert.equal(r.profile, 'acme-prod');
  });
  it('an environment credential of another kind than the profile\'s is refused (more than one method)', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file, DATABRICKS_CLIENT_ID: 'x', DATABRICKS_CLIENT_SECRET: 'y' }), profile: 'acme-prod-pat' }));
    assert.equal(e.code, 'MULTIPLE_AUTH_METHODS');
    assert.match(e.message, /more than one authorization method configured: oauth and pat/);
    assert.ok(!e.message.includes('dapi'));
  });
  it('several profiles on one host resolve separately; CLI profiles use --profile, not the ambiguous --host', () => {
    const a = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }), profile: 'acme-prod' });
    const b = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }), profile: 'acme-prod-admin' });
    assert.equal(a.host, b.host);
    assert.deepEqual(a.auth, { type: 'databricks-cli', profile: 'acme-prod', configFile: file });
    assert.deepEqual(b.auth, { type: 'databricks-cli', profile: 'acme-prod-admin', configFile: file });
    const ci = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }), profile: 'acme-prod-ci' });
    assert.deepEqual(ci.auth, { type: 'oauth-m2m', clientId: '6f5ccf28-d83a-4957-9bfb-5bbfac551410', clientSecret: 'dose-fixture-ci-secret-000000000000' });
  });
  it('an empty [DEFAULT] (as `databricks auth login` leaves it) with no profile named is reported with the profiles there', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: file }) }));
    assert.equal(e.code, 'PROFILE_NOT_FOUND');
    assert.match(e.message, /no usable \[DEFAULT\] profile \(profiles there: acme-prod, acme-prod-admin, acme-prod-pat, acme-prod-ci\)/);
  });
  it('a named profile that is missing lists the profiles (never __settings__)', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: fixture('settings.cfg') }), profile: 'nope' }));
    assert.equal(e.code, 'PROFILE_NOT_FOUND');
    assert.match(e.message, /profiles there: DEFAULT, staging, prod\)/);
  });
  it('a named profile without any config file is an error; no profile and no file explains what to set', () => {
    assert.equal(authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: '/nonexistent/cfg' }), profile: 'x' })).code, 'CONFIG_FILE_NOT_FOUND');
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: '/nonexistent/cfg' }) }));
    assert.equal(e.code, 'MISSING_CREDENTIALS');
    assert.match(e.message, /DATABRICKS_HOST.*DATABRICKS_TOKEN/);
  });
});

describe('resolution: which config file', () => {
  it('the caller\'s file (the official extension\'s override setting) beats DATABRICKS_CONFIG_FILE, which beats ~/.databrickscfg', () => {
    const { dir, cleanup } = tempDir();
    try {
      copyFileSync(fixture('default-only.cfg'), join(dir, '.databrickscfg'));
      const home = resolveWorkspaceConfig({ env: { HOME: dir } });
      assert.equal(home.configFile, join(dir, '.databrickscfg'));
      const viaEnv = resolveWorkspaceConfig({ env: { HOME: dir, DATABRICKS_CONFIG_FILE: fixture('settings.cfg') } });
      assert.equal(viaEnv.profile, 'staging');
      const viaSetting = resolveWorkspaceConfig({ env: { HOME: dir, DATABRICKS_CONFIG_FILE: fixture('settings.cfg') }, configFile: fixture('azure.cfg'), profile: 'azure-cli' });
      assert.equal(viaSetting.configFile, fixture('azure.cfg'));
      const tilde = resolveWorkspaceConfig({ env: { HOME: dir, DATABRICKS_CONFIG_FILE: '~/.databrickscfg' } });
      assert.equal(tilde.configFile, join(dir, '.databrickscfg'));
    } finally {
      cleanup();
    }
  });
});

describe('resolution: sign-in method without auth_type, as the SDKs try them', () => {
  const file = fixture('conflicting.cfg');
  const env = isolated({ DATABRICKS_CONFIG_FILE: file });
  it('token and client_id/client_secret together are refused unless auth_type chooses', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env, profile: 'pat-and-m2m' }));
    assert.equal(e.code, 'MULTIPLE_AUTH_METHODS');
    assert.match(e.message, /Profile \[pat-and-m2m\] .* more than one authorization method configured: oauth and pat\. .*auth_type/);
    assert.ok(!/dapi|dose/.test(e.message));
    assert.equal(resolveWorkspaceConfig({ env, profile: 'pat-and-m2m-chosen' }).auth.type, 'oauth-m2m');
  });
  it('unsupported methods say what they are and what to use', () => {
    const eb = authErr(() => resolveWorkspaceConfig({ env, profile: 'external-browser' }));
    assert.equal(eb.code, 'UNSUPPORTED_AUTH_TYPE');
    assert.match(eb.message, /auth_type = external-browser, which this extension does not support \(supported: pat, oauth-m2m, databricks-cli, azure-cli, azure-client-secret\): .*databricks auth login/);
    const basic = authErr(() => resolveWorkspaceConfig({ env, profile: 'basic' }));
    assert.equal(basic.code, 'UNSUPPORTED_AUTH_TYPE');
    assert.match(basic.message, /basic sign-in.*personal access token/);
    assert.ok(!basic.message.includes('fixture-password'));
  });
  it('a host-only profile means the Databricks CLI login (then the Azure CLI on Azure hosts)', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_CONFIG_FILE: fixture('azure.cfg') }), profile: 'azure-host-only' });
    assert.deepEqual(r.auth, { type: 'default', profile: 'azure-host-only', configFile: fixture('azure.cfg') });
  });
});

describe('resolution: Azure', () => {
  const file = fixture('azure.cfg');
  const env = isolated({ DATABRICKS_CONFIG_FILE: file });
  it('auth_type = azure-cli (as the official extension writes it)', () => {
    const r = resolveWorkspaceConfig({ env, profile: 'azure-cli' });
    assert.equal(r.host, 'https://adb-1234567890123456.7.azuredatabricks.net');
    assert.deepEqual(r.auth, { type: 'azure-cli' });
  });
  it('azure_client_id / azure_client_secret / azure_tenant_id without auth_type mean azure-client-secret', () => {
    const r = resolveWorkspaceConfig({ env, profile: 'azure-sp' });
    assert.deepEqual(r.auth, {
      type: 'azure-client-secret',
      clientId: '11111111-2222-3333-4444-555555555555',
      clientSecret: 'fixture-azure-client-secret-value',
      tenantId: '99999999-8888-7777-6666-555555555555',
    });
    const gov = resolveWorkspaceConfig({ env, profile: 'azure-sp-gov' });
    assert.deepEqual(gov.auth, { type: 'azure-client-secret', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'fixture-azure-client-secret-value', azureEnvironment: 'USGOVERNMENT' });
  });
  it('ARM_* variables with a host', () => {
    const r = resolveWorkspaceConfig({
      env: isolated({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', ARM_CLIENT_ID: 'cid', ARM_CLIENT_SECRET: 'csecret', ARM_TENANT_ID: 'tid' }),
    });
    assert.deepEqual(r.auth, { type: 'azure-client-secret', clientId: 'cid', clientSecret: 'csecret', tenantId: 'tid' });
    const cli = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_AUTH_TYPE: 'azure-cli', ARM_TENANT_ID: 'tid' }) });
    assert.deepEqual(cli.auth, { type: 'azure-cli', tenantId: 'tid' });
  });
  it('ARM_TENANT_ID next to a PAT is "more than one method" (as in the SDKs) unless auth_type = pat', () => {
    const both = isolated({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_TOKEN: 'dapi-x', ARM_TENANT_ID: 'tid' });
    assert.equal(authErr(() => resolveWorkspaceConfig({ env: both })).code, 'MULTIPLE_AUTH_METHODS');
    assert.equal(resolveWorkspaceConfig({ env: { ...both, DATABRICKS_AUTH_TYPE: 'pat' } }).auth.type, 'pat');
  });
  it('an unknown azure_environment is refused', () => {
    const e = authErr(() => resolveWorkspaceConfig({ env: isolated({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_AUTH_TYPE: 'azure-cli', ARM_ENVIRONMENT: 'mars' }) }));
    assert.equal(e.code, 'INVALID_CONFIG');
  });
});

describe('resolution: unified hosts', () => {
  const file = fixture('unified-host.cfg');
  const env = isolated({ DATABRICKS_CONFIG_FILE: file });
  it('?o= / ?w= on the host, and a profile\'s workspace_id, name the workspace', () => {
    const q = resolveWorkspaceConfig({ env, profile: 'spog-query' });
    assert.equal(q.host, 'https://acme.cloud.databricks.com');
    assert.equal(q.workspaceId, '1234567890123456');
    assert.equal(resolveWorkspaceConfig({ env, profile: 'spog-w' }).workspaceId, 'ws-7f3a');
    const k = resolveWorkspaceConfig({ env, profile: 'spog-key' });
    assert.equal(k.workspaceId, '9223372036854775807', 'int64 ids keep every digit');
    assert.equal(resolveWorkspaceConfig({ env, profile: 'plain' }).workspaceId, '1234567890123456');
  });
  it('DATABRICKS_WORKSPACE_ID wins over the host query', () => {
    const r = resolveWorkspaceConfig({ env: isolated({ DATABRICKS_HOST: 'https://acme.cloud.databricks.com/?o=1', DATABRICKS_TOKEN: 't', DATABRICKS_WORKSPACE_ID: '2' }) });
    assert.equal(r.workspaceId, '2');
  });
  it('parseWorkspaceHost: ?w= any id, ?o= / ?workspace_id= numeric only', () => {
    assert.deepEqual(parseWorkspaceHost('acme.cloud.databricks.com/?w=abc&o=1'), { host: 'https://acme.cloud.databricks.com', workspaceId: 'abc' });
    assert.deepEqual(parseWorkspaceHost('https://acme.cloud.databricks.com/?workspace_id=42'), { host: 'https://acme.cloud.databricks.com', workspaceId: '42' });
    assert.deepEqual(parseWorkspaceHost('https://acme.cloud.databricks.com/?o=not-a-number'), { host: 'https://acme.cloud.databricks.com' });
    assert.deepEqual(parseWorkspaceHost('https://acme.cloud.databricks.com/#x'), { host: 'https://acme.cloud.databricks.com' });
  });
});
