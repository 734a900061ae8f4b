/** The drift watch's logic without VS Code: problems, state changes, the action for each, the status-bar text. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PartnerStatus, WorkspaceSnapshot } from '../../src/domain';
import { actionsFor, stateChanges, statusText, watchProblems } from '../../src/vscode/watch/summary';
import { degradedWithDrift, status } from './fixtures';
import { setTimeFormat } from '../../src/vscode/ui/time';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const HOST = 'https://acme.example';
/** a workspace as actionsFor sees it: its host and metastore (none: Hive only) */
const WS = (host = HOST, cloud: string | null = null): { host: string; metastore: WorkspaceSnapshot['metastore'] } => ({ host, metastore: cloud === null ? null : { metastoreId: 'm-1', name: 'main', owner: null, defaultCatalog: null, cloud } });
const DAY = 86_400_000;

function snapshot(partners: PartnerStatus[]): WorkspaceSnapshot {
  return {
    host: 'https://acme.example',
    identity: { userName: 'ava.admin@acme.example', displayName: null, userId: '1', isWorkspaceAdmin: true, isMetastoreAdmin: false },
    metastore: null,
    partners,
    stats: { waves: 2, requestsPerWave: [1, 1], requests: 2 },
    limitations: [],
    takenAt: new Date(NOW).toISOString(),
  };
}

test('degraded connections and credentials close to expiry are problems, each with the action that fixes it', () => {
  const expiring = status('hex', 'connected');
  expiring.credentials = [
    { ...expiring.credentials[0], id: 'soon', expiry: new Date(NOW + 3 * DAY).toISOString() },
    { ...expiring.credentials[0], id: 'later', expiry: new Date(NOW + 60 * DAY).toISOString() },
    { ...expiring.credentials[0], kind: 'oauth-secret', id: 'secret-1', expiry: new Date(NOW + 10 * DAY).toISOString() },
  ];
  const unused = status('sigma', 'connected', {
    warnings: [{ code: 'credential-unused', credentialId: 'abc123', kind: 'pat', date: '2026-03-01', message: 'The personal access token abc123 was last used on 2026-03-01: Databricks revokes tokens unused for 90 days.' }],
  });
  setTimeFormat({ locale: 'en-US', timeZone: 'UTC' });
  const problems = watchProblems([{ ws: 'prod', snapshot: snapshot([degradedWithDrift('census'), expiring, unused, status('fivetran', 'not-connected')]) }], NOW, 14);
  setTimeFormat({});
  assert.deepEqual(
    problems.map((p) => [p.partnerId, p.kind, p.actions.map((a) => a.command)]),
    [
      ['census', 'degraded', ['rotateToken', 'repairGrants', 'inspect']],
      ['hex', 'expiring', ['rotateToken', 'inspect']],
      ['hex', 'expiring', ['rotateToken', 'inspect']],
      ['sigma', 'expiring', ['rotateToken', 'inspect']],
    ],
  );
  assert.match(problems[1].text, /The personal access token soon of Hex in prod expires in 3 day\(s\) \(Jun 4, 2026, 12:00 AM UTC\)/);
  assert.match(problems[2].text, /The OAuth secret secret-1 of Hex in prod expires in 10 day\(s\)/);
  assert.match(problems[3].text, /unused for 90 days/);
  assert.equal(statusText(problems), '$(warning) 1 degraded · 3 expiring');
  assert.equal(statusText([]), '');
});

test('a state change between two checks is reported with what to do; unchanged partners are not', () => {
  const before = snapshot([status('hex', 'connected'), status('census', 'connected'), status('sigma', 'connected')]);
  const after = snapshot([
    status('hex', 'degraded', { reasons: [{ code: 'token-revoked', message: 'The token abc123 was revoked.' }] }),
    status('census', 'connected'),
    status('sigma', 'not-connected'),
  ]);
  const changes = stateChanges('prod', before, after);
  assert.deepEqual(changes.map((c) => [c.partnerId, c.from, c.to]), [['hex', 'connected', 'degraded'], ['sigma', 'connected', 'not-connected']]);
  assert.equal(changes[0].text, 'Hex in prod changed from connected to degraded: The token abc123 was revoked.');
  assert.deepEqual(changes[0].actions.map((a) => a.command), ['rotateToken', 'inspect']);
  assert.deepEqual(changes[1].actions, [], 'nothing to do for a partner that is simply gone');
});

test('an interrupted connect or a check mark without principal is cleared with Disconnect', () => {
  assert.deepEqual(actionsFor(status('hex', 'degraded', { reasons: [{ code: 'connect-incomplete', message: 'x' }] }), false, WS()).map((a) => a.command), ['disconnect', 'inspect']);
  assert.deepEqual(actionsFor(status('hex', 'check-mark-only'), false, WS()).map((a) => a.command), ['disconnect', 'inspect']);
});

test('the rotate action names the credential the connection has: Rotate Token… for a PAT, Rotate OAuth Secret… for an OAuth secret (Azure, AUTH_OAUTH_M2M)', () => {
  const rotate = (st: PartnerStatus, ws = WS()): string | undefined => actionsFor(st, true, ws).find((a) => a.command === 'rotateToken')?.label;
  assert.equal(rotate(status('hex', 'connected')), 'Rotate Token…');
  const secret = status('hex', 'connected');
  secret.credentials = [{ ...secret.credentials[0], kind: 'oauth-secret', id: 'sec-1' }];
  secret.tokens = [];
  secret.record = secret.record && { ...secret.record, tokenId: null, credential: { kind: 'oauth-secret', id: 'sec-1', expiresAt: '2027-12-31T00:00:00.000Z', lifetimeDays: 730 } };
  assert.equal(rotate(secret), 'Rotate OAuth Secret…', 'the record and the principal hold an OAuth secret');
  // nothing held and no record kind: what a rotate would make (an Azure workspace makes an OAuth secret)
  const none = status('hex', 'degraded', { reasons: [{ code: 'token-missing', message: 'x' }], credentials: [], tokens: [] });
  none.record = none.record && { ...none.record, tokenId: null, credential: null };
  assert.equal(rotate(none, WS('https://adb-1.2.azuredatabricks.net')), 'Rotate OAuth Secret…');
  assert.equal(rotate(none, WS()), 'Rotate Token…');
  // a host that names no cloud (unified, private, custom): the metastore's cloud decides
  assert.equal(rotate(none, WS(HOST, 'azure')), 'Rotate OAuth Secret…', 'an Azure metastore behind a custom host');
  assert.equal(rotate(none, WS(HOST, 'aws')), 'Rotate Token…');
  // a deleted OAuth secret or an expired credential is fixed by rotating too
  for (const code of ['secret-revoked', 'credential-expired'] as const) {
    assert.equal(actionsFor({ ...secret, state: 'degraded', reasons: [{ code, message: 'x' }] }, false, WS())[0]?.label, 'Rotate OAuth Secret…', code);
  }
});
