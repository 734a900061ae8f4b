/** Pure unit tests: host normalisation, config files, environment resolution, proxy rules, retry maths, redaction, error bodies. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import {
  AuthConfigError,
  DatabricksApiError,
  UnexpectedResponseError,
  CancelledError,
  isCancellation,
  normaliseHost,
  isLoopbackHost,
  parseDatabricksConfig,
  readDatabricksConfig,
  databricksConfigPath,
  resolveProfile,
  resolveAuthFromEnvironment,
  proxyConfig,
  parseRetryAfter,
  isIdempotentMethod,
  redactSecrets,
  redactPathAndQuery,
  parseErrorBody,
  resolveCaCertificates,
  buildUserAgent,
  parseJsonBody,
  scimPages,
  tokenPages,
  collect,
} from '../../src/client';
import { backoffDelay, classifyNetworkCode, isRetryableStatus, resolveRetryPolicy, sleep } from '../../src/client/http/retry';
import { bodySnippet } from '../../src/client/redact';
import { z } from 'zod';
import { tempDir } from './helpers';

function authErr(fn: () => unknown): AuthConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AuthConfigError, `expected AuthConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an AuthConfigError');
}

describe('normaliseHost', () => {
  it('adds https, strips path, ?o= suffix, fragment and trailing slash, lowercases', () => {
    assert.equal(normaliseHost('dbc-123.cloud.databricks.com'), 'https://dbc-123.cloud.databricks.com');
    assert.equal(normaliseHost('  https://ADB-1.2.azuredatabricks.net/?o=1234567890#job/1  '), 'https://adb-1.2.azuredatabricks.net');
    assert.equal(normaliseHost('https://x.gcp.databricks.com/some/path/'), 'https://x.gcp.databricks.com');
    assert.equal(normaliseHost('https://x.cloud.databricks.com:8443/'), 'https://x.cloud.databricks.com:8443');
  });
  it('allows http only for loopback hosts', () => {
    assert.equal(normaliseHost('http://127.0.0.1:8123/'), 'http://127.0.0.1:8123');
    assert.equal(normaliseHost('http://localhost:1'), 'http://localhost:1');
    assert.equal(normaliseHost('http://[::1]:9/'), 'http://[::1]:9');
    assert.equal(authErr(() => normaliseHost('http://dbc-1.cloud.databricks.com')).code, 'INSECURE_HOST');
    assert.equal(authErr(() => normaliseHost('http://128.0.0.1')).code, 'INSECURE_HOST');
  });
  it('refuses empty, malformed, non-http schemes and embedded credentials', () => {
    assert.equal(authErr(() => normaliseHost('   ')).code, 'MISSING_HOST');
    assert.equal(authErr(() => normaliseHost('ftp://x.example')).code, 'INVALID_HOST');
    assert.equal(authErr(() => normaliseHost('https://a b')).code, 'INVALID_HOST');
    const e = authErr(() => normaliseHost('https://user:dapi0123456789abcdef@x.example'));
    assert.equal(e.code, 'INVALID_HOST');
    assert.ok(!e.message.includes('dapi0123456789abcdef'));
  });
  it('recognises loopback addresses', () => {
    // *.localhost too: the transport resolves localhost names to loopback itself and never sends them to a proxy
    for (const h of ['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', 'api.localhost', 'ws-1.fleet.localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(h), h);
    // names a resolver or proxy could send elsewhere are not
    for (const h of ['127.0.0.256', '10.0.0.1', 'localhost.example.com', 'localhost.', 'api.localhost.', '::2', 'example.com']) assert.ok(!isLoopbackHost(h), h);
    assert.equal(normaliseHost('http://api.localhost:8123'), 'http://api.localhost:8123');
    // never through a proxy: undici's NO_PROXY entry "localhost" also covers every *.localhost name
    assert.equal(proxyConfig({ HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'a.example' }).noProxy, 'a.example,localhost');
    assert.equal(proxyConfig({ HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: '*' }).noProxy, '*');
  });
});

describe('~/.databrickscfg parsing', () => {
  const cfg = [
    '; comment',
    '# another',
    '[DEFAULT]',
    'host = https://dbc-default.cloud.databricks.com/',
    'token = dapi-default-token-value',
    '',
    '[m2m]',
    'host=adb-1.2.azuredatabricks.net',
    'client_id = 11111111-2222-3333-4444-555555555555',
    'client_secret = dose-secret-value',
    '[cli]',
    'host = https://cli.cloud.databricks.com',
    'auth_type = databricks-cli',
    '[explicit-pat]',
    'HOST = https://p.cloud.databricks.com',
    'auth_type = pat',
    'token = dapi-explicit',
  ].join('\r\n');

  it('parses DEFAULT and named profiles, keys lower-cased', () => {
    const f = parseDatabricksConfig(cfg);
    assert.deepEqual([...f.profiles.keys()], ['DEFAULT', 'm2m', 'cli', 'explicit-pat']);
    assert.equal(f.profiles.get('explicit-pat')?.host, 'https://p.cloud.databricks.com');
  });
  it('resolves each profile to host + auth', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'cfg');
      writeFileSync(path, cfg);
      assert.deepEqual(resolveProfile('DEFAULT', { path }), {
        host: 'https://dbc-default.cloud.databricks.com',
        auth: { type: 'pat', token: 'dapi-default-token-value' },
        source: 'config-file',
        profile: 'DEFAULT',
        configFile: path,
      });
      assert.deepEqual(resolveProfile('m2m', { path }).auth, {
        type: 'oauth-m2m',
        clientId: '11111111-2222-3333-4444-555555555555',
        clientSecret: 'dose-secret-value',
      });
      assert.equal(resolveProfile('m2m', { path }).host, 'https://adb-1.2.azuredatabricks.net');
      assert.deepEqual(resolveProfile('cli', { path }).auth, { type: 'databricks-cli', profile: 'cli', configFile: path });
      assert.deepEqual(resolveProfile('explicit-pat', { path }).auth, { type: 'pat', token: 'dapi-explicit' });
    } finally {
      cleanup();
    }
  });
  it('reports a duplicate section with both line numbers', () => {
    const e = authErr(() => parseDatabricksConfig('[a]\nhost = h\n[b]\nhost = h\n[a]\n', 'cfgfile'));
    assert.equal(e.code, 'DUPLICATE_SECTION');
    assert.match(e.message, /cfgfile line 5: profile \[a\] is defined twice \(first on line 1\)/);
  });
  it('reports syntax errors with line numbers', () => {
    assert.match(authErr(() => parseDatabricksConfig('host = x\n')).message, /line 1: a key before any \[profile\]/);
    assert.match(authErr(() => parseDatabricksConfig('[a]\njust words\n')).message, /line 2: expected "key = value"/);
    assert.match(authErr(() => parseDatabricksConfig('[a\n')).message, /line 1: malformed section header/);
    assert.match(authErr(() => parseDatabricksConfig('[ ]\n')).message, /empty section name/);
    assert.match(authErr(() => parseDatabricksConfig('[a]\ntoken = 1\ntoken = 2\n')).message, /"token" is set twice in profile \[a\] \(first on line 2\)/);
  });
  it('reports a missing profile, listing the existing ones', () => {
    const e = authErr(() => resolveProfileFromText('[DEFAULT]\nhost = h.example\ntoken = t\n[dev]\nhost = d.example\ntoken = t\n', 'prod'));
    assert.equal(e.code, 'PROFILE_NOT_FOUND');
    assert.match(e.message, /Profile \[prod\] is not in .* \(profiles there: DEFAULT, dev\)/);
  });
  it('reports a missing host, missing credentials, half M2M and unsupported auth types', () => {
    assert.equal(authErr(() => resolveProfileFromText('[p]\ntoken = t\n', 'p')).code, 'MISSING_HOST');
    // A host alone is the Databricks CLI's login (the SDKs' default chain), not an error.
    assert.equal((resolveProfileFromText('[p]\nhost = h.example\n', 'p') as { auth: { type: string } }).auth.type, 'default');
    assert.match(authErr(() => resolveProfileFromText('[p]\nhost = h.example\nclient_id = x\n', 'p')).message, /only one of client_id \/ client_secret/);
    assert.equal(authErr(() => resolveProfileFromText('[p]\nhost = h.example\nauth_type = pat\n', 'p')).code, 'MISSING_CREDENTIALS');
    assert.equal(authErr(() => resolveProfileFromText('[p]\nhost = h.example\nauth_type = oauth-m2m\nclient_id = x\n', 'p')).code, 'MISSING_CREDENTIALS');
    const u = authErr(() => resolveProfileFromText('[p]\nhost = h.example\nauth_type = azure-msi\n', 'p'));
    assert.equal(u.code, 'UNSUPPORTED_AUTH_TYPE');
    assert.match(u.message, /auth_type = azure-msi.*supported: pat, oauth-m2m, databricks-cli, azure-cli, azure-client-secret/);
    assert.equal(authErr(() => resolveProfileFromText('[p]\nhost = h.example\nauth_type = weird\n', 'p')).code, 'UNSUPPORTED_AUTH_TYPE');
  });
  it('reports a missing file and honours DATABRICKS_CONFIG_FILE and ~', () => {
    const e = authErr(() => readDatabricksConfig({ path: '/nonexistent/dir/.databrickscfg' }));
    assert.equal(e.code, 'CONFIG_FILE_NOT_FOUND');
    assert.equal(databricksConfigPath({ HOME: '/home/u' }), join('/home/u', '.databrickscfg'));
    assert.equal(databricksConfigPath({ HOME: '/home/u', DATABRICKS_CONFIG_FILE: '~/cfg/x' }), join('/home/u', 'cfg/x'));
    assert.equal(databricksConfigPath({ HOME: '/home/u', DATABRICKS_CONFIG_FILE: '/etc/dbcfg' }), '/etc/dbcfg');
    const { dir, cleanup } = tempDir();
    try {
      assert.equal(authErr(() => readDatabricksConfig({ path: dir })).code, 'CONFIG_FILE_INVALID');
    } finally {
      cleanup();
    }
  });
});

function resolveProfileFromText(text: string, profile: string): unknown {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'cfg');
    writeFileSync(path, text);
    return resolveProfile(profile, { path });
  } finally {
    cleanup();
  }
}

describe('resolveAuthFromEnvironment', () => {
  const withCfg = (text: string | undefined, fn: (env: Record<string, string>) => void): void => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'databrickscfg');
      if (text !== undefined) writeFileSync(path, text);
      fn({ HOME: dir, DATABRICKS_CONFIG_FILE: path });
    } finally {
      cleanup();
    }
  };
  it('uses complete environment variables without a config file', () => {
    withCfg(undefined, (env) => {
      const r = resolveAuthFromEnvironment({ ...env, DATABRICKS_HOST: 'x.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi-env' });
      assert.deepEqual(r, { host: 'https://x.cloud.databricks.com', auth: { type: 'pat', token: 'dapi-env' }, source: 'environment', environment: ['DATABRICKS_HOST', 'DATABRICKS_TOKEN'] });
      const m = resolveAuthFromEnvironment({ ...env, DATABRICKS_HOST: 'https://x.example', DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: 'sec' });
      assert.deepEqual(m.auth, { type: 'oauth-m2m', clientId: 'id', clientSecret: 'sec' });
      const c = resolveAuthFromEnvironment({ ...env, DATABRICKS_HOST: 'https://x.example', DATABRICKS_AUTH_TYPE: 'databricks-cli' });
      assert.deepEqual(c.auth, { type: 'databricks-cli' });
    });
  });
  it('falls back to the DEFAULT profile, and to DATABRICKS_CONFIG_PROFILE / the profile option', () => {
    withCfg('[DEFAULT]\nhost = d.example\ntoken = dtok\n[dev]\nhost = dev.example\ntoken = devtok\n[u2m]\nhost = u.example\nauth_type = databricks-cli\n', (env) => {
      assert.equal(resolveAuthFromEnvironment(env).host, 'https://d.example');
      assert.equal(resolveAuthFromEnvironment({ ...env, DATABRICKS_CONFIG_PROFILE: 'dev' }).host, 'https://dev.example');
      assert.equal(resolveAuthFromEnvironment(env, { profile: 'dev' }).profile, 'dev');
      assert.deepEqual(resolveAuthFromEnvironment(env, { profile: 'u2m' }).auth, { type: 'databricks-cli', profile: 'u2m', configFile: env.DATABRICKS_CONFIG_FILE });
      // Environment attributes override the profile's.
      const r = resolveAuthFromEnvironment({ ...env, DATABRICKS_CONFIG_PROFILE: 'dev', DATABRICKS_TOKEN: 'envtok' });
      assert.deepEqual(r.auth, { type: 'pat', token: 'envtok' });
      assert.equal(r.host, 'https://dev.example');
      const e = authErr(() => resolveAuthFromEnvironment({ ...env, DATABRICKS_CONFIG_PROFILE: 'nope' }));
      assert.equal(e.code, 'PROFILE_NOT_FOUND');
      assert.match(e.message, /DATABRICKS_CONFIG_PROFILE/);
    });
  });
  it('explains what is missing when nothing is configured', () => {
    withCfg(undefined, (env) => {
      const e = authErr(() => resolveAuthFromEnvironment(env));
      assert.equal(e.code, 'MISSING_CREDENTIALS');
      assert.match(e.message, /DATABRICKS_HOST.*DATABRICKS_TOKEN/);
      assert.equal(authErr(() => resolveAuthFromEnvironment({ ...env, DATABRICKS_CONFIG_PROFILE: 'x' })).code, 'CONFIG_FILE_NOT_FOUND');
    });
    withCfg('[other]\nhost = o.example\ntoken = t\n', (env) => {
      assert.equal(authErr(() => resolveAuthFromEnvironment(env)).code, 'PROFILE_NOT_FOUND');
      // Only a host in the environment: the file is not read; the CLI's login for that host is used.
      assert.deepEqual(resolveAuthFromEnvironment({ ...env, DATABRICKS_HOST: 'h.example' }).auth, { type: 'default' });
    });
  });
});

describe('proxy settings (the inputs of undici\'s EnvHttpProxyAgent)', () => {
  it('environment: by scheme, lowercase first, http:// added when missing, HTTPS falls back to HTTP_PROXY', () => {
    assert.deepEqual(proxyConfig({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'proxy.corp:8080', NO_PROXY: 'internal.corp' }), {
      httpProxy: 'http://proxy.corp:8080',
      httpsProxy: 'http://proxy.corp:3128',
      noProxy: 'internal.corp,localhost',
      source: 'environment',
    });
    assert.equal(proxyConfig({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }).httpsProxy, 'http://lower:1');
    assert.equal(proxyConfig({ HTTP_PROXY: 'http://only-http:1' }).httpsProxy, 'http://only-http:1');
    assert.deepEqual(proxyConfig({}), { httpProxy: '', httpsProxy: '', noProxy: 'localhost', source: 'none' });
    assert.equal(proxyConfig({ HTTPS_PROXY: '  ' }).source, 'none');
  });
  it('VS Code settings win over the environment: http.proxy for every scheme, http.noProxy over NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:1', NO_PROXY: 'env.example' };
    assert.deepEqual(proxyConfig(env, { proxy: 'settings-proxy:3128', noProxy: [' a.example ', '', '.b.example'] }), {
      httpProxy: 'http://settings-proxy:3128',
      httpsProxy: 'http://settings-proxy:3128',
      noProxy: 'a.example,.b.example,localhost',
      source: 'settings',
    });
    assert.equal(proxyConfig(env, { proxy: '', noProxy: [] }).httpsProxy, 'http://env-proxy:1', 'empty settings fall back to the environment');
    assert.equal(proxyConfig(env, { noProxy: ['x.example'] }).noProxy, 'x.example,localhost', 'http.noProxy applies to the environment proxy too');
  });
});

describe('retry policy helpers', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 2.5 ', now), 2500);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
  it('backs off exponentially with bounded jitter and a cap', () => {
    const p = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(backoffDelay(p, 1, () => 0.5), 100);
    assert.equal(backoffDelay(p, 2, () => 0.5), 200);
    assert.equal(backoffDelay(p, 3, () => 0), 300);
    assert.equal(backoffDelay(p, 3, () => 1), 500);
    assert.equal(backoffDelay(p, 10, () => 1), 1000);
    assert.equal(resolveRetryPolicy({ maxAttempts: 0 }).maxAttempts, 1);
    assert.equal(resolveRetryPolicy({ maxAttempts: Number.NaN }).maxAttempts, 5);
  });
  it('classifies statuses, codes and methods', () => {
    assert.ok(isRetryableStatus(429, undefined, false));
    assert.ok(isRetryableStatus(503, undefined, false));
    assert.ok(isRetryableStatus(400, 'REQUEST_LIMIT_EXCEEDED', false));
    assert.ok(isRetryableStatus(500, 'REQUEST_LIMIT_EXCEEDED', false));
    assert.ok(isRetryableStatus(502, undefined, true));
    assert.ok(!isRetryableStatus(502, undefined, false));
    assert.ok(!isRetryableStatus(500, 'INTERNAL_ERROR', true));
    assert.ok(!isRetryableStatus(404, 'RESOURCE_DOES_NOT_EXIST', true));
    assert.equal(classifyNetworkCode('ECONNREFUSED'), 'not-sent');
    assert.equal(classifyNetworkCode('ECONNRESET'), 'ambiguous');
    assert.equal(classifyNetworkCode('UND_ERR_SOCKET'), 'ambiguous');
    assert.equal(classifyNetworkCode('CERT_HAS_EXPIRED'), 'fatal');
    assert.ok(isIdempotentMethod('get') && isIdempotentMethod('PATCH') && isIdempotentMethod('DELETE') && !isIdempotentMethod('POST'));
  });
  it('sleep rejects at once when cancelled', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort();
    const e = await p.then(
      () => assert.fail('resolved'),
      (x: unknown) => x,
    );
    assert.ok(e instanceof CancelledError);
    assert.equal(e.name, 'AbortError');
    assert.ok(isCancellation(e));
    await assert.rejects(sleep(1, ac.signal), CancelledError);
    await sleep(0);
  });
});

describe('redaction', () => {
  it('removes known secrets and secret-looking patterns', () => {
    const text =
      'Authorization: Bearer abc.def-ghi {"token_value":"dapi0123456789abcdef0123456789abcdef-2","access_token": "x"} ' +
      'client_secret=s3cr3t&x=1 Basic dXNlcjpwYXNz eyJhbGciOi.eyJzdWIiOi.sig dose0123456789abcdef the-known-value';
    const out = redactSecrets(text, ['the-known-value']);
    for (const s of ['abc.def-ghi', 'dapi0123456789abcdef', '"x"', 's3cr3t', 'dXNlcjpwYXNz', 'eyJhbGciOi', 'dose0123456789abcdef', 'the-known-value']) {
      assert.ok(!out.includes(s), `${s} leaked: ${out}`);
    }
    assert.ok(out.includes('x=1'));
  });
  it('redacts secret-like query values in logged paths', () => {
    assert.equal(redactPathAndQuery('/a?path=%2FShared&token=abc&client_secret=x'), '/a?path=%2FShared&token=[REDACTED]&client_secret=[REDACTED]');
    assert.equal(redactPathAndQuery('/a'), '/a');
  });
  it('makes short single-line snippets', () => {
    assert.equal(bodySnippet('a\n\tb   c'), 'a b c');
    assert.equal(bodySnippet('x'.repeat(150)).length, 101);
  });
});

describe('error bodies and messages', () => {
  it('reads the standard shape with a request id', () => {
    assert.deepEqual(
      parseErrorBody({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'nope', details: [{ '@type': 'x', request_id: 'rid-1' }] }, 404),
      { errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'nope', requestId: 'rid-1' },
    );
    assert.deepEqual(parseErrorBody({ message: 'only a message' }, 503), { errorCode: 'TEMPORARILY_UNAVAILABLE', message: 'only a message', requestId: undefined });
    assert.deepEqual(parseErrorBody({ error_code: 403, message: 'numeric' }, 403), { errorCode: '403', message: 'numeric', requestId: undefined });
  });
  it('maps the SCIM shape to SCIM_<status>, and finds embedded throttling codes', () => {
    assert.deepEqual(parseErrorBody({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Group with id 1234 is not found', status: '404' }, 404), {
      errorCode: 'SCIM_404',
      message: 'Group with id 1234 is not found',
    });
    assert.equal(parseErrorBody({ detail: 'x' }, 409)?.errorCode, 'SCIM_409');
    assert.equal(parseErrorBody({ detail: 'REQUEST_LIMIT_EXCEEDED: too many', status: 500 }, 500)?.errorCode, 'REQUEST_LIMIT_EXCEEDED');
  });
  it('reads OAuth errors and rejects other values', () => {
    assert.deepEqual(parseErrorBody({ error: 'invalid_client', error_description: 'bad' }, 401), { errorCode: 'invalid_client', message: 'bad' });
    assert.equal(parseErrorBody([1], 400), undefined);
    assert.equal(parseErrorBody('x', 400), undefined);
    assert.equal(parseErrorBody({ foo: 1 }, 400), undefined);
  });
  it('builds actionable messages', () => {
    const e403 = new DatabricksApiError({ status: 403, errorCode: 'PERMISSION_DENIED', serverMessage: 'no', method: 'GET', path: '/api/x?y=1', requestId: 'r1' });
    assert.match(e403.message, /^GET \/api\/x failed with HTTP 403 PERMISSION_DENIED: no\. .*workspace admin.*\(request id r1\)$/);
    assert.ok(e403.isPermissionDenied && !e403.isNotFound && !e403.isUnauthenticated && !e403.isAlreadyExists);
    const e401 = new DatabricksApiError({ status: 401, errorCode: 'UNAUTHENTICATED', serverMessage: '', method: 'GET', path: '/p' });
    assert.match(e401.message, /HTTP 401 UNAUTHENTICATED\. The credentials were rejected/);
    assert.match(new DatabricksApiError({ status: 407, errorCode: 'HTTP_407', serverMessage: 'x', method: 'GET', path: '/p' }).message, /proxy requires authentication/);
    assert.match(new DatabricksApiError({ status: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED', serverMessage: 'x', method: 'GET', path: '/p' }).message, /rate-limiting/);
    assert.match(new DatabricksApiError({ status: 503, errorCode: 'X', serverMessage: 'x', method: 'GET', path: '/p' }).message, /temporarily unavailable/);
    assert.match(new DatabricksApiError({ status: 500, errorCode: 'X', serverMessage: 'x.', method: 'GET', path: '/p' }).message, /x\. The workspace had an internal error/);
    assert.ok(new DatabricksApiError({ status: 409, errorCode: 'X', serverMessage: '', method: 'POST', path: '/p' }).isAlreadyExists);
    const u = new UnexpectedResponseError({ reason: 'empty', status: 200, method: 'GET', path: '/p', contentType: '', snippet: '' });
    assert.match(u.message, /empty body where JSON was expected/);
    const r = new UnexpectedResponseError({ reason: 'redirect', status: 302, method: 'GET', path: '/p', contentType: '', snippet: '', detail: 'login.example' });
    assert.match(r.message, /redirected \(HTTP 302 to login\.example\)/);
  });
  it('parseJsonBody distinguishes html, not-json, truncated, empty and schema problems', () => {
    const S = z.object({ a: z.string() });
    const res = (text: string, contentType = 'application/json') => ({ status: 200, text, contentType, requestId: undefined });
    const reason = (text: string, ct?: string, allowEmpty = false): string => {
      try {
        parseJsonBody(res(text, ct), S, 'GET', '/p', [], allowEmpty);
      } catch (e) {
        assert.ok(e instanceof UnexpectedResponseError);
        return e.reason;
      }
      return 'ok';
    };
    assert.equal(reason('{"a":"x"}'), 'ok');
    assert.equal(reason('<!doctype html><title>Login</title>', 'text/html'), 'html');
    assert.equal(reason('{"a":"x"}', 'text/html; charset=utf-8'), 'html');
    assert.equal(reason('hello'), 'not-json');
    assert.equal(reason('{"a": "x", "b": [1, 2'), 'truncated');
    assert.equal(reason('{"a": "unterminated'), 'truncated');
    assert.equal(reason('{"a": }'), 'not-json');
    assert.equal(reason(''), 'empty');
    assert.equal(reason('', undefined, true), 'schema');
    assert.equal(reason('{"a": 1}'), 'schema');
  });
});

describe('transport plumbing', () => {
  it('builds the User-Agent', () => {
    const ua = buildUserAgent({ name: 'partner connect', version: '1.2.3' }, 'oauth-m2m');
    assert.match(ua, /^partner-connect\/1\.2\.3 undici\/\d+\.\d+\.\d+ node\/\d+\.\d+\.\d+ os\/\w+ auth\/oauth-m2m$/);
  });
  it('adds extra CAs to the bundled roots, from the option and NODE_EXTRA_CA_CERTS', () => {
    assert.equal(resolveCaCertificates(undefined, {}), undefined);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const one = resolveCaCertificates(pem, {});
    assert.equal(one?.length, rootCertificates.length + 1);
    assert.equal(one?.at(-1), pem);
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'ca.pem');
      writeFileSync(file, pem);
      assert.equal(resolveCaCertificates([pem, ''], { NODE_EXTRA_CA_CERTS: file })?.length, rootCertificates.length + 2);
      const warnings: string[] = [];
      assert.equal(resolveCaCertificates(undefined, { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') }, (m) => warnings.push(m)), undefined);
      assert.match(warnings[0], /NODE_EXTRA_CA_CERTS: cannot read .*missing\.pem/);
    } finally {
      cleanup();
    }
  });
  it('merges the CAs once per input: the same frozen list for every client, a changed NODE_EXTRA_CA_CERTS file read again, its warning repeated', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'ca.pem');
      writeFileSync(file, pem);
      const first = resolveCaCertificates(undefined, { NODE_EXTRA_CA_CERTS: file });
      assert.ok(first);
      assert.equal(resolveCaCertificates(undefined, { NODE_EXTRA_CA_CERTS: file }), first, 'the same list, not merged again');
      assert.ok(Object.isFrozen(first), 'shared: nobody may change it');
      writeFileSync(file, pem + pem.replace('MIIC', 'MIID'));
      const changed = resolveCaCertificates(undefined, { NODE_EXTRA_CA_CERTS: file });
      assert.notEqual(changed, first);
      assert.match(changed?.at(-1) ?? '', /MIID/, 'the file is read again when it changed');
      const warnings: string[] = [];
      const missing = { NODE_EXTRA_CA_CERTS: join(dir, 'gone.pem') };
      resolveCaCertificates(undefined, missing, (m) => warnings.push(m));
      resolveCaCertificates(undefined, missing, (m) => warnings.push(m));
      assert.equal(warnings.length, 2, 'every client is told');
    } finally {
      cleanup();
    }
  });
});

describe('paging helpers', () => {
  it('SCIM: 1-based startIndex, stops on totalResults or an empty page', async () => {
    const calls: number[] = [];
    const data = Array.from({ length: 7 }, (_, i) => i);
    const got = await collect(
      scimPages(async (start, count) => {
        calls.push(start);
        return { items: data.slice(start - 1, start - 1 + count), totalResults: data.length };
      }, 3),
    );
    assert.deepEqual(got, data);
    assert.deepEqual(calls, [1, 4, 7]);
    // Without totalResults: until an empty page.
    const calls2: number[] = [];
    const got2 = await collect(
      scimPages(async (start, count) => {
        calls2.push(start);
        return { items: data.slice(start - 1, start - 1 + count) };
      }, 5),
    );
    assert.deepEqual(got2, data);
    assert.deepEqual(calls2, [1, 6, 8]);
  });
  it('token paging follows tokens through empty pages and refuses a repeated token', async () => {
    const pages: Record<string, { items: number[]; nextPageToken?: string }> = {
      '': { items: [], nextPageToken: 'a' },
      a: { items: [1, 2], nextPageToken: 'b' },
      b: { items: [], nextPageToken: 'c' },
      c: { items: [3], nextPageToken: '' },
    };
    assert.deepEqual(await collect(tokenPages(async (t) => pages[t ?? ''])), [1, 2, 3]);
    await assert.rejects(
      collect(tokenPages(async () => ({ items: [1], nextPageToken: 'same' }), 'GET /loop')),
      (e: unknown) => e instanceof UnexpectedResponseError && /same next_page_token twice/.test(e.message),
    );
  });
});
