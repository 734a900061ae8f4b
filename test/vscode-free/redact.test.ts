/**
 * The one redactor (src/client/redact.ts), used by the client, the Partner Connect protocol client
 * and the extension's log. A table of inputs of the kind a security review tries: each row's secret
 * must be gone and the row's ordinary text must survive.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor, redactSecrets, bodySnippet, redactPathAndQuery } from '../../src/client/redact';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJhdmEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXBhcnQtMTIzNDU';
const PAT = 'dapi0123456789abcdef0123456789abcdef';

interface Row {
  input: string;
  /** Substrings that must not survive. */
  secrets: string[];
  /** Substrings that must survive. */
  keep?: string[];
  /** Secrets registered with the redactor (values it knows). */
  known?: string[];
}

const rows: Row[] = [
  // Authorization headers, every scheme and case
  { input: 'Authorization: Bearer abc123def456ghi', secrets: ['abc123def456ghi'], keep: ['Authorization:'] },
  { input: 'authorization: bearer abc123def456ghi', secrets: ['abc123def456ghi'] },
  { input: 'Authorization: token ghp_abcdef0123456789', secrets: ['ghp_abcdef0123456789'] },
  { input: 'Authorization: Basic ZGF0YWJyaWNrczpzZWNyZXQ=', secrets: ['ZGF0YWJyaWNrczpzZWNyZXQ='] },
  { input: 'Proxy-Authorization: Basic Y29ycDpwcm94eS1wYXNz', secrets: ['Y29ycDpwcm94eS1wYXNz'] },
  { input: "headers: { authorization: 'token s3cr3t-value' }", secrets: ['s3cr3t-value'], keep: ['headers'] },
  { input: 'curl -H "Authorization: Negotiate YIIabc123=="', secrets: ['YIIabc123=='] },
  { input: 'sent BEARER abcdefgh12345678 to the proxy', secrets: ['abcdefgh12345678'], keep: ['to the proxy'] },
  // JSON bodies, also cut off and nested
  { input: `{"token_value":"${PAT}","token_info":{"token_id":"t-1"}}`, secrets: [PAT], keep: ['"token_id":"t-1"'] },
  { input: '{"access_token":"opaque-access-value","token_type":"Bearer","expires_in":3600}', secrets: ['opaque-access-value'], keep: ['"token_type":"Bearer"', '3600'] },
  { input: '{"client_secret": "my-client-secret-1"}', secrets: ['my-client-secret-1'] },
  { input: '{"service_principal_oauth_secret":"dose-like-but-not-prefixed-xyz"}', secrets: ['dose-like-but-not-prefixed-xyz'] },
  { input: '{"user_info":{"auth":{"personal_access_token":"pat-value-7890"}}}', secrets: ['pat-value-7890'] },
  { input: '{"password":"hunter2-longer"', secrets: ['hunter2-longer'] },
  { input: '{"token_value":"dapi-cut-off-in-the-midd', secrets: ['dapi-cut-off-in-the-midd'] },
  { input: '{"body":"{\\"token_value\\":\\"nested-secret-123\\",\\"x\\":1}"}', secrets: ['nested-secret-123'], keep: ['\\"x\\":1'] },
  { input: '{"refresh_token":"rt-1\\"quoted\\"-rest"}', secrets: ['rt-1', 'quoted'] },
  { input: '{"oauth_token":"ot-secret-val",\n"next":"page"}', secrets: ['ot-secret-val'], keep: ['"next":"page"'] },
  { input: '{"api_key":"AKIA0123456789"}', secrets: ['AKIA0123456789'] },
  // key=value forms: query strings, form bodies, INI, prose
  { input: 'grant_type=client_credentials&client_secret=abc123&scope=all-apis', secrets: ['abc123'], keep: ['grant_type=client_credentials', 'scope=all-apis'] },
  { input: 'Server=x;Uid=token;Pwd=dapi-odbc-password;', secrets: ['dapi-odbc-password'], keep: ['Server=x'] },
  { input: 'jdbc:databricks://h:443;AuthMech=3;UID=token;PWD=secret-in-jdbc', secrets: ['secret-in-jdbc'] },
  { input: 'api_key=k-123456 other=1', secrets: ['k-123456'], keep: ['other=1'] },
  { input: 'apikey: 0a1b2c3d4e', secrets: ['0a1b2c3d4e'] },
  { input: 'token = dapi-ini-style-value', secrets: ['dapi-ini-style-value'] },
  { input: "password='quoted-pass'", secrets: ['quoted-pass'] },
  { input: 'X-Databricks-Azure-SP-Management-Token: mgmt-token-value', secrets: ['mgmt-token-value'] },
  { input: 'azure_client_secret = azure~secret.value', secrets: ['azure~secret.value'] },
  { input: '?sig=abcdEFGH1234%3D&se=2030', secrets: ['abcdEFGH1234%3D'], keep: ['se=2030'] },
  // URL user info
  { input: 'proxy http://corp-user:proxy-pass-123@proxy.corp:3128 refused', secrets: ['proxy-pass-123', 'corp-user'], keep: ['proxy.corp:3128 refused'] },
  { input: 'base_url https://admin:p%40ss@partner.example/api', secrets: ['p%40ss'], keep: ['partner.example/api'] },
  { input: 'git clone https://x-token-auth:tok-1234@example.com/r.git', secrets: ['tok-1234'] },
  // Token shapes
  { input: `id token ${JWT} end`, secrets: [JWT.split('.')[1]], keep: ['end'] },
  { input: `plain ${PAT}-2 here`, secrets: ['0123456789abcdef0123456789abcdef'], keep: ['plain', 'here'] },
  { input: 'oauth secret dose0123456789abcdef0123456789abcdef', secrets: ['dose0123456789abcdef'] },
  { input: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----', secrets: ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'] },
  { input: 'Set-Cookie: session=abc123; HttpOnly', secrets: ['abc123'] },
  // Known values, also encoded
  { input: 'the partner echoed p@ss w0rd!', secrets: ['p@ss w0rd!'], known: ['p@ss w0rd!'], keep: ['the partner echoed'] },
  { input: 'form body password=p%40ss%20w0rd!', secrets: ['p%40ss%20w0rd!'], known: ['p@ss w0rd!'] },
  { input: '{"display_message":"Your token is my-known-tok\\"en"}', secrets: ['my-known-tok\\"en'], known: ['my-known-tok"en'], keep: ['display_message'] },
  { input: 'stderr: refresh failed for secret-value-xyz', secrets: ['secret-value-xyz'], known: ['secret-value-xyz'], keep: ['refresh failed'] },
  // Plain texts (letters, digits, hyphens: request ids) take a shorter path with the same result
  { input: 'dapi0123456789abcdef0123456789abcdef-2', secrets: ['0123456789abcdef0123456789abcdef'] },
  { input: 'req-7f3a-dose0123456789abcdef0123456789abcdef', secrets: ['dose0123456789abcdef'], keep: ['req-7f3a-'] },
  { input: 'rid-my-known-value-9', secrets: ['my-known-value'], known: ['my-known-value', 'p@ss w0rd!'], keep: ['rid-', '-9'] },
];

test(`${rows.length} inputs: every secret is redacted, ordinary text survives`, () => {
  assert.ok(rows.length >= 40, `the table has ${rows.length} rows`);
  const failures: string[] = [];
  for (const [i, row] of rows.entries()) {
    const out = redactSecrets(row.input, row.known ?? []);
    for (const s of row.secrets) if (out.includes(s)) failures.push(`row ${i + 1}: "${s}" survived in: ${out}`);
    for (const k of row.keep ?? []) if (!out.includes(k)) failures.push(`row ${i + 1}: "${k}" was lost: ${out}`);
  }
  assert.deepEqual(failures, []);
});

test('ordinary text is left alone (no false positives in our own messages)', () => {
  for (const text of [
    'GET acme.cloud.databricks.com/api/2.0/token/list → 200 in 12 ms (attempt 1)',
    'Profile [p] says auth_type = pat but has no token. Add "token = <personal access token>".',
    'basic authentication is deprecated; use a personal access token',
    '{"token_type":"Bearer","token_id":"abc-123","expiry_time":-1}',
    'POST /api/2.0/token-management/on-behalf-of/tokens failed with HTTP 400',
    'https://acme.cloud.databricks.com/?o=1234567890',
    '3f1c2a4e-9b7d-4c1a-8e2f-5a6b7c8d9e0f',
  ]) {
    assert.equal(redactSecrets(text), text);
  }
});

test('Redactor: registered secrets and credential-looking values never reach the log', () => {
  const r = new Redactor();
  r.addSecret('dapi-demo-admin-ava-0000');
  r.addSecret('');
  r.addSecret('abc');
  const out = r.redact(['token dapi-demo-admin-ava-0000 used', 'Authorization: Bearer eyJhbGciOi.abc.def', 'plain abc stays'].join('\n'));
  assert.doesNotMatch(out, /dapi-demo-admin-ava-0000/);
  assert.doesNotMatch(out, /eyJhbGciOi/);
  assert.match(out, /plain abc stays/, 'secrets shorter than 4 characters are not registered');
  assert.equal(r.redact('nothing secret'), 'nothing secret');
  assert.doesNotMatch(r.redact('extra only-here-9', ['only-here-9']), /only-here-9/);
});

test('snippets and paths', () => {
  assert.equal(bodySnippet('<html>\n<body>\tSign in</body></html>'), '<html> <body> Sign in</body></html>');
  assert.match(bodySnippet('x'.repeat(200)), /^x{100}…$/);
  assert.equal(redactPathAndQuery('/a?path=%2FShared&token=abc&client_secret=x&code=1'), '/a?path=%2FShared&token=[REDACTED]&client_secret=[REDACTED]&code=[REDACTED]');
  assert.equal(redactPathAndQuery('/a?page_token=p1&keys=maxTokenLifetimeDays'), '/a?page_token=[REDACTED]&keys=maxTokenLifetimeDays');
});

test('a text of letters, digits, hyphens and underscores (an error code, a request id) is redacted by the short path exactly as by the full one', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
  const secret = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{4,30}$/), fc.constantFrom('dapi0123456789abcdef0123456789abcdef', 'dose0123456789abcdef', 'RESOURCE_DOES_NOT_EXIST'));
  fc.assert(
    fc.property(fc.array(fc.oneof(word, secret), { minLength: 1, maxLength: 6 }), fc.array(secret, { maxLength: 3 }), (parts, known) => {
      const text = parts.join('_');
      if (text.length > 256) return;
      // a trailing space sends the same text down the full path (no pattern ends in a space)
      assert.equal(redactSecrets(text, known), redactSecrets(`${text} `, known).slice(0, -1), text);
    }),
    { numRuns: 3_000 },
  );
});
