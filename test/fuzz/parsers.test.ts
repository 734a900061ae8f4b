/**
 * Fuzzing the parsers of everything that comes from outside (issue 11, standing guarantees):
 * `~/.databrickscfg`, workspace hosts, SCIM filters and SQL identifiers the extension builds,
 * PartnerConfig files, connection records and the webview messages both ways. Each parser either
 * returns a value that keeps its promises or throws the typed error it documents, and no error text
 * holds a credential value planted in the input. Seeded and bounded: see ./fuzz.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AuthConfigError, parseDatabricksConfig, parseWorkspaceHost, normaliseHost, isLoopbackHost, profileConfig, profileNames } from '../../src/client';
import { displayNameFilters } from '../../src/domain/util';
import { ConnectionRecord, hiveGrantStatement, loadPartnerConfigFile, parseRecord, quoteIdentifier, serializeRecord } from '../../src/domain';
import { ConnectToHost, HostToConnect } from '../../src/shared/protocol/connect';
import { HostToInspect, InspectToHost } from '../../src/shared/protocol/inspect';
import { parseScimFilter, parseStatement } from '../emulator';
import type { FilterNode } from '../emulator/scim-filter';
import { assertNoSecret, check, messageOf, runs, secretArb } from './fuzz';
import { arbitraryOf, mutated } from './zodArbitrary';

// ------------------------------------------------------------------ ~/.databrickscfg
const SECRET_KEYS = ['token', 'client_secret', 'password', 'azure_client_secret'];
const OTHER_KEYS = ['host', 'auth_type', 'client_id', 'azure_client_id', 'azure_tenant_id', 'azure_environment', 'username', 'workspace_id', 'cluster_id', 'databricks_cli_path'];
const hostValue = fc.oneof(
  fc.constantFrom('https://dbc-a1b2.cloud.databricks.com', 'adb-1.2.azuredatabricks.net', 'http://127.0.0.1:8080', 'http://remote.example', 'https://h/?o=123', ''),
  fc.string({ maxLength: 30 }),
);
const authTypeValue = fc.constantFrom('pat', 'oauth-m2m', 'databricks-cli', 'azure-cli', 'azure-client-secret', 'basic', 'external-browser', 'nonsense', '');

/** One line of an INI-like file: sections, keys (secret or not), comments, junk. */
const iniLine = (secrets: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 12 }).map((n) => `[${n}]`),
    fc.constantFrom('[DEFAULT]', '[prod]', '[__settings__]', '[]', '[unterminated', '# comment', '; comment', '', '   '),
    fc.tuple(fc.constantFrom(...SECRET_KEYS), fc.nat(secrets.length - 1), fc.constantFrom(' = ', '=', ': ', ' =')).map(([k, i, sep]) => `${k}${sep}${secrets[i]}`),
    fc.tuple(fc.constantFrom(...SECRET_KEYS), fc.nat(secrets.length - 1)).map(([k, i]) => `  ${k.toUpperCase()} = ${secrets[i]}  `),
    fc.nat(secrets.length - 1).map((i) => secrets[i]), // a value on a line of its own (no key)
    fc.nat(secrets.length - 1).map((i) => `[${secrets[i]}`), // a broken section header made of a secret
    hostValue.map((h) => `host = ${h}`),
    authTypeValue.map((a) => `auth_type = ${a}`),
    fc.tuple(fc.constantFrom(...OTHER_KEYS), fc.string({ maxLength: 20 })).map(([k, v]) => `${k} = ${v}`),
    fc.string({ maxLength: 30 }),
  );

const iniText = fc
  .array(secretArb, { minLength: 1, maxLength: 3 })
  .chain((secrets) =>
    fc.tuple(fc.constant(secrets), fc.array(iniLine(secrets), { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([s, lines, eol, bom]) => ({
      secrets: s,
      text: (bom ? '\uFEFF' : '') + lines.join(eol),
    })),
  );

test('fuzz ~/.databrickscfg: parse and resolve every profile, or an AuthConfigError without the secret', (t) => {
  check(
    t,
    fc.property(iniText, ({ secrets, text }) => {
      let file;
      try {
        file = parseDatabricksConfig(text, '/home/u/.databrickscfg');
      } catch (e) {
        assert.ok(e instanceof AuthConfigError, messageOf(e));
        assertNoSecret(e.message, secrets, 'the parse error', { fragments: 8 });
        return;
      }
      for (const name of profileNames(file)) {
        try {
          const r = profileConfig(file, name);
          const u = new URL(r.host);
          assert.equal(u.origin, r.host, 'the host is an origin');
          assert.ok(u.protocol === 'https:' || isLoopbackHost(u.hostname), `plain http to ${u.hostname}`);
        } catch (e) {
          assert.ok(e instanceof AuthConfigError, messageOf(e));
          assertNoSecret(e.message, secrets, `the error of profile [${name}]`);
        }
      }
    }),
    runs(400),
  );
});

/** Profiles whose text form is unambiguous: parse(render(p)) === p. */
const keyArb = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,15}$/);
const valueArb = fc.string({ maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, ' ').trim());
const profilesArb = fc.uniqueArray(
  fc.tuple(
    fc.string({ minLength: 1, maxLength: 16 }).map((n) => n.replace(/[\]\r\n]/g, '_').trim()).filter((n) => n !== ''),
    fc.uniqueArray(fc.tuple(keyArb, valueArb), { selector: ([k]) => k, maxLength: 6 }),
  ),
  { selector: ([n]) => n, maxLength: 5 },
);

test('fuzz ~/.databrickscfg: what a profile file says is what is read (round trip)', (t) => {
  check(
    t,
    fc.property(profilesArb, fc.constantFrom('\n', '\r\n'), (profiles, eol) => {
      const text = profiles.map(([name, kv]) => [`[${name}]`, ...kv.map(([k, v]) => `${k} = ${v}`)].join(eol)).join(eol + eol);
      const file = parseDatabricksConfig(text);
      assert.deepEqual([...file.profiles.keys()], profiles.map(([n]) => n));
      for (const [name, kv] of profiles) assert.deepEqual(file.profiles.get(name), Object.fromEntries(kv));
    }),
    runs(300),
  );
});

// ------------------------------------------------------------------ workspace hosts
const hostInput = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webUrl({ authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv6: true } }),
  fc.tuple(fc.constantFrom('http://', 'https://', 'HTTPS://', 'ftp://', 'file://', 'javascript:', ''), fc.constantFrom('127.0.0.1', 'localhost', 'a.localhost', '[::1]', '::1', 'localhost.', '127.1', 'dbc-1.cloud.databricks.com', 'h', '', ' '), fc.constantFrom('', ':8443', ':0', ':99999', '/', '/?o=123', '?w=ab', '?o=12x', '#f', '/a b', '\\@evil.example')).map(
    ([s, h, rest]) => `${s}${h}${rest}`,
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

test('fuzz host normalisation: an https (or loopback http) origin, idempotent, or an AuthConfigError', (t) => {
  check(
    t,
    fc.property(hostInput, (input) => {
      let parsed;
      try {
        parsed = parseWorkspaceHost(input);
      } catch (e) {
        assert.ok(e instanceof AuthConfigError, messageOf(e));
        return;
      }
      const u = new URL(parsed.host);
      assert.equal(u.origin, parsed.host, 'an origin');
      assert.ok(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname)), parsed.host);
      assert.equal(u.username + u.password, '');
      assert.equal(normaliseHost(parsed.host), parsed.host, 'idempotent');
      if (parsed.workspaceId !== undefined) assert.match(parsed.workspaceId, /\S/);
    }),
    runs(600),
  );
});

test('fuzz host normalisation: a password in the URL never reaches the error text', (t) => {
  const broken = fc.constantFrom('exa mple.com', '[bad', 'h:99999', '', 'a b/c', 'ex%ample', 'h', 'dbc.example.com:port');
  check(
    t,
    fc.property(fc.constantFrom('https://', 'http://', '', 'ftp://'), fc.string({ minLength: 1, maxLength: 8 }).map((u) => u.replace(/[:@/\\?#\s]/g, 'u')), secretArb, broken, (scheme, user, secret, rest) => {
      try {
        parseWorkspaceHost(`${scheme}${user}:${secret}@${rest}`);
        assert.fail('a URL with user info is refused');
      } catch (e) {
        assert.ok(e instanceof AuthConfigError, messageOf(e));
        assertNoSecret(e.message, [secret], 'the host error');
      }
    }),
    runs(300),
  );
});

// ------------------------------------------------------------------ SCIM filters
/** The names an OR-tree of `displayName eq "x"` terms matches, left to right. */
function eqNames(n: FilterNode): string[] {
  if (n.t === 'or') return [...eqNames(n.l), ...eqNames(n.r)];
  assert.equal(n.t, 'cmp');
  assert.ok(n.t === 'cmp' && n.attr.toLowerCase() === 'displayname' && n.op === 'eq' && typeof n.v === 'string', JSON.stringify(n));
  return [n.v as string];
}

test('fuzz SCIM filters: displayNameFilters says exactly the names it was given, within the length', (t) => {
  const name = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('A"B', 'A\\"B', '\\', '" or displayName pr or "', 'DBT_CLOUD_USER', 'x) or (y'));
  check(
    t,
    fc.property(fc.array(name, { maxLength: 20 }), fc.integer({ min: 40, max: 600 }), (names, maxLength) => {
      const filters = displayNameFilters(names, maxLength);
      const back = filters.flatMap((f) => {
        const terms = eqNames(parseScimFilter(f));
        if (terms.length > 1) assert.ok(f.length <= maxLength, `${f.length} > ${maxLength} with ${terms.length} terms`);
        return terms;
      });
      assert.deepEqual(back, names);
    }),
    runs(400),
  );
});

// ------------------------------------------------------------------ SQL identifiers
test('fuzz SQL quoting: a GRANT names exactly the schema and principal it was given', (t) => {
  const ident = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('`', '``', 'a` TO `b', 'x`; DROP SCHEMA y; --', "' OR 1=1 --", 'default'));
  check(
    t,
    fc.property(ident, ident, fc.constantFrom<'GRANT' | 'REVOKE'>('GRANT', 'REVOKE'), fc.constantFrom<'CATALOG' | 'SCHEMA'>('CATALOG', 'SCHEMA'), (schema, principal, verb, type) => {
      const sql = hiveGrantStatement(verb, type, schema, ['USAGE', 'READ_METADATA', 'SELECT'], principal);
      const parsed = parseStatement(sql);
      assert.equal(parsed.kind, verb.toLowerCase());
      assert.ok(parsed.kind === 'grant' || parsed.kind === 'revoke');
      assert.deepEqual(parsed.on, { type, parts: type === 'CATALOG' ? ['hive_metastore'] : ['hive_metastore', schema] });
      assert.equal(parsed.principal, principal);
      assert.deepEqual(parsed.privileges, ['USAGE', 'READ_METADATA', 'SELECT']);
      const one = parseStatement(`SHOW GRANTS ON SCHEMA ${quoteIdentifier('hive_metastore')}.${quoteIdentifier(schema)}`);
      assert.ok(one.kind === 'show' && one.on.parts[1] === schema);
    }),
    runs(400),
  );
});

// ------------------------------------------------------------------ PartnerConfig files
const sampleConfig = {
  name: 'Fuzz Partner',
  category: 'INGEST',
  base_url: 'https://partner.example/api',
  hostnames: ['partner.example'],
  sign_up_page: 'https://partner.example/signup',
  terms_of_service_url: 'https://partner.example/tos',
  privacy_policy_url: 'https://partner.example/privacy',
  supported_clouds: ['aws', 'azure', 'gcp'],
  connection_scope: 'workspace',
  resources_to_provision: [{ resource_type: 'PAT' }, { resource_type: 'SqlEndpoint' }],
  data_permissions: [{ permission: 'USE_CATALOG' }, { permission: 'SELECT' }],
  object_permissions: [],
  trial_type: 'user',
  endpoints: { connect_path: '/connect', delete_connection_path: '/delete-connection', test_connection_path: '/test-connection' },
  require_manual_signup: false,
  auth_options: ['AUTH_PAT'],
};

test('fuzz PartnerConfig loader: a partner, or an Error naming the file, never the secret', (t) => {
  const withSecret = secretArb.chain((secret) =>
    fc
      .oneof(
        // anything JSON, and the sample with one part replaced by anything (a secret among the values)
        fc.jsonValue().map((v) => JSON.stringify(v)),
        mutated(fc.constant(sampleConfig)).map((v) => JSON.stringify(v)),
        mutated(fc.constant({ ...sampleConfig, debug: secret })).map((v) => JSON.stringify(v)),
        // user info in base_url, a secret in the query
        fc.constantFrom(`https://u:${secret}@partner.example/api`, `https://partner.example/api?key=${secret}`).map((b) => JSON.stringify({ ...sampleConfig, base_url: b })),
        // broken JSON around a secret
        fc.tuple(fc.nat(200), fc.constant(JSON.stringify({ ...sampleConfig, password: secret }))).map(([cut, s]) => s.slice(0, cut + 20)),
        fc.constantFrom(`{"name": ${secret}}`, `${secret}`, `{"name": "x", "base_url": "${secret}`),
      )
      .map((text) => ({ secret, text })),
  );
  check(
    t,
    fc.property(withSecret, ({ secret, text }) => {
      try {
        const p = loadPartnerConfigFile(text, 'partners/fuzz.json');
        assert.ok(p.id && p.displayName);
      } catch (e) {
        assert.ok(e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError), messageOf(e));
        assert.ok(e.message.startsWith('partners/fuzz.json') || /^Partner catalog entry/.test(e.message), e.message.slice(0, 200));
        assertNoSecret(e.message, [secret], 'the PartnerConfig error', { fragments: 8 });
      }
    }),
    runs(150),
  );
});

// ------------------------------------------------------------------ connection records
const recordArb = arbitraryOf(ConnectionRecord);

test('fuzz connection records: any text parses to ok or invalid (never throws), a secret never in the problem', (t) => {
  const text = secretArb.chain((secret) =>
    fc
      .oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        mutated(recordArb).map((v) => JSON.stringify(v)),
        recordArb.map((r) => JSON.stringify({ ...(r as object), tokenValue: secret })),
        fc.tuple(recordArb, fc.nat(400)).map(([r, cut]) => JSON.stringify({ ...(r as object), connectedBy: secret }).slice(0, cut)),
        fc.constantFrom(`{"schemaVersion": 1, "tokenId": ${secret}}`, secret, `{"x": "${secret}`, `[${secret}]`),
      )
      .map((t) => ({ secret, t })),
  );
  check(
    t,
    fc.property(text, ({ secret, t: s }) => {
      const r = parseRecord(s);
      assert.ok(r.kind === 'ok' || r.kind === 'invalid');
      if (r.kind === 'invalid') assertNoSecret(r.problem, [secret], 'the record problem', { fragments: 8 });
    }),
    runs(200),
  );
});

test('fuzz connection records: a valid record survives serialize → parse unchanged', (t) => {
  check(
    t,
    fc.property(recordArb, (rec) => {
      const valid = ConnectionRecord.parse(rec);
      const back = parseRecord(serializeRecord(valid));
      assert.equal(back.kind, 'ok', back.kind === 'invalid' ? back.problem : '');
      assert.deepEqual(back.kind === 'ok' && back.record, valid);
    }),
    runs(120),
  );
});

// ------------------------------------------------------------------ webview messages, both ways
for (const [name, schema] of [
  ['host → connect form', HostToConnect],
  ['connect form → host', ConnectToHost],
  ['host → inspect view', HostToInspect],
  ['inspect view → host', InspectToHost],
] as const) {
  test(`fuzz webview messages (${name}): valid ones survive postMessage, anything else is refused without a throw or a secret`, (t) => {
    const valid = arbitraryOf(schema);
    check(
      t,
      fc.property(valid, (msg) => {
        // what the other side receives is a structured clone
        const r = schema.safeParse(structuredClone(msg));
        assert.ok(r.success, r.success ? '' : r.error.message.slice(0, 300));
      }),
      runs(200),
    );
    check(
      t,
      fc.property(secretArb, fc.oneof(mutated(valid), fc.anything({ maxDepth: 3 })), (secret, base) => {
        // a hostile or broken peer: anything, and values that carry a secret
        const msg = base && typeof base === 'object' && !Array.isArray(base) ? { ...base, type: secret } : base;
        const r = schema.safeParse(msg);
        // what the channel logs of a refused message (src/vscode/webviews/channel.ts, src/webview/lib/vscodeApi.ts)
        if (!r.success) assertNoSecret(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), [secret], 'the refusal', { fragments: 8 });
      }),
      runs(300),
    );
  });
}
