import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Redactor } from '../../src/vscode/log/redact';

test('registered secrets and credential-looking values never reach the log', () => {
  const r = new Redactor();
  r.addSecret('dapi-demo-admin-ava-0000');
  const out = r.redact(
    [
      'token dapi-demo-admin-ava-0000 used',
      'Authorization: Bearer eyJhbGciOi.abc.def',
      'Authorization: Basic ZGF0YWJyaWNrczpzZWNyZXQ=',
      '{"token_value":"dapi0123456789abcdef0123456789abcdef","x":1}',
      'client_secret=abc123&grant_type=client_credentials',
      'plain dapi0123456789abcdef0123456789abcdef-2 here',
    ].join('\n'),
  );
  assert.doesNotMatch(out, /dapi-demo-admin-ava-0000/);
  assert.doesNotMatch(out, /eyJhbGciOi/);
  assert.doesNotMatch(out, /ZGF0YWJyaWNrczpzZWNyZXQ=/);
  assert.doesNotMatch(out, /0123456789abcdef0123456789abcdef/);
  assert.doesNotMatch(out, /abc123/);
  assert.match(out, /"x":1/);
  assert.match(out, /grant_type=client_credentials/);
  r.addSecret('');
  assert.equal(r.redact('nothing secret'), 'nothing secret');
});
