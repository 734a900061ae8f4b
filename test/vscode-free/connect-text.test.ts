/** The connect form's words from engine data: resources, the inferred-facts note, blockers. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConnectInProgressError, PreflightError, loadBuiltinCatalog } from '../../src/domain';
import { blockerView, inferredNote, inProgressView, resourceLine } from '../../src/vscode/webviews/connectText';
import { errorView } from '../../src/vscode/webviews/connectErrors';
import { setTimeFormat } from '../../src/vscode/ui/time';

test('created resources read like an admin would say them: no step ids, no USE_CATALOG', () => {
  assert.equal(resourceLine({ kind: 'service-principal', name: 'HEX_USER', id: '4000000000000301' }), 'Service principal HEX_USER (4000000000000301)');
  assert.equal(resourceLine({ kind: 'token', name: 'Partner Connect: Hex', id: 'abc' }), 'Personal access token “Partner Connect: Hex” (abc)');
  assert.equal(resourceLine({ kind: 'uc-grant', name: 'USE CATALOG, CREATE SCHEMA on the catalog research', id: 'catalog:research' }), 'Grant: USE CATALOG, CREATE SCHEMA on the catalog research (Unity Catalog)');
  assert.equal(resourceLine({ kind: 'hive-grant', name: 'USAGE, CREATE on the catalog hive_metastore', id: 'hive-grant:CATALOG' }), 'Grant: USAGE, CREATE on the catalog hive_metastore (legacy Hive metastore)');
  assert.equal(resourceLine({ kind: 'record', name: '/.partner-connect/hex.json', id: '/.partner-connect/hex.json' }), 'Connection record (the check mark) /.partner-connect/hex.json');
  assert.equal(resourceLine({ kind: 'warehouse', name: 'HEX_ENDPOINT', id: '(creation outcome unknown)' }), 'SQL warehouse HEX_ENDPOINT', 'no placeholder id');
  assert.equal(resourceLine({ kind: 'token-permission', name: 'CAN USE on tokens for HEX_USER', id: 'app' }), 'Permission: CAN USE on tokens for HEX_USER');
});

test('the inferred-facts note speaks words, not field names', () => {
  const c = loadBuiltinCatalog();
  const note = inferredNote(c.require('thoughtspot')) ?? '';
  assert.match(note, /^Not documented by Databricks for this partner, so assumed by this extension: /);
  assert.doesNotMatch(note, /unityCatalog|signInStyle|schemaSelection|\bcompute\b|\bhandoff\b|\bmembership\b/);
  assert.match(note, /whether it supports Unity Catalog/);
});

test('a concurrent connect: the same message from pre-flight and from the record claim', () => {
  setTimeFormat({ locale: 'en-US', timeZone: 'UTC' });
  try {
    const since = '2026-03-04T05:06:07.000Z';
    const fromClaim = errorView(new ConnectInProgressError('Hex', 'mia.meta@acme.example', since));
    const fromPreflight = blockerView('Hex', [{ code: 'schema-required', message: 'x' }, { code: 'connect-in-progress', message: 'whatever', by: 'mia.meta@acme.example', since }]);
    assert.deepEqual(fromPreflight, fromClaim);
    assert.deepEqual(fromClaim, inProgressView('Hex', 'mia.meta@acme.example', since));
    assert.equal(fromClaim.title, 'mia.meta@acme.example is already connecting Hex');
    assert.equal(fromClaim.message, 'mia.meta@acme.example started connecting Hex at Mar 4, 2026, 05:06 AM UTC and that connect has not finished. Nothing was created by this attempt.');
    assert.doesNotMatch(`${fromClaim.title} ${fromClaim.message} ${fromClaim.whatToDo}`, /fix the problems/i);
    // and a PreflightError carrying it (a connect started while the other one holds the record)
    const pre = new PreflightError('Hex', [{ code: 'connect-in-progress', message: 'm', by: 'mia.meta@acme.example', since }]);
    assert.deepEqual(errorView(pre), fromClaim);
    assert.match(fromClaim.whatToDo ?? '', /once it is 30 minutes old \(Take Over Interrupted Connect…\)/);
    // an interrupted one (30 minutes or older): take it over — the same from both sides
    const age = { minutes: 45, stale: true, staleAfter: 30 };
    const staleClaim = errorView(new ConnectInProgressError('Hex', 'mia.meta@acme.example', since, age));
    const stalePre = blockerView('Hex', [{ code: 'connect-in-progress', message: 'm', by: 'mia.meta@acme.example', since, age }]);
    assert.deepEqual(stalePre, staleClaim);
    assert.match(staleClaim.whatToDo ?? '', /^Take it over \(Take Over Interrupted Connect… on Hex/);
    assert.match(new ConnectInProgressError('Hex', 'mia', since, age).message, /\(45 minutes ago\) and it never finished/);
  } finally {
    setTimeFormat({});
  }
});
