/** What the connect form shows from engine data (src/vscode/webviews/connectView.ts): progress, result, summary. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadBuiltinCatalog, type ConnectResult } from '../../src/domain';
import type { ProgressStep } from '../../src/shared/protocol/connect';
import { cancelledView, explainFailedStep, partnerSummary, resultView, withProgress } from '../../src/vscode/webviews/connectView';

const catalog = loadBuiltinCatalog();
const hex = catalog.require('hex');
const details = { host: 'adb-1.azuredatabricks.net', port: 443, workspaceUrl: 'https://adb-1.azuredatabricks.net', httpPath: '/sql/1.0/warehouses/w1', jdbcUrl: 'jdbc:databricks://x', databricksJdbcUrl: 'jdbc:databricks://x', warehouseId: 'w1', catalog: 'main', schemas: ['sales'], servicePrincipalName: 'HEX_USER', servicePrincipalApplicationId: 'app' };
const result = (handoff: ConnectResult['handoff'], o: Partial<ConnectResult> = {}): ConnectResult =>
  ({ partnerId: 'hex', reused: false, record: { partnerAccountAdministrator: null }, handoff, created: [{ kind: 'service-principal', name: 'HEX_USER', id: '42' }], ...o }) as unknown as ConnectResult;

test('the progress list: the pre-flight first, plan steps by id, one named line per resource the rollback removes', () => {
  let steps: ProgressStep[] = [{ id: 'create-sp', label: 'Create the service principal HEX_USER', status: 'pending' }];
  steps = withProgress(steps, { step: 'preflight', type: 'preflight', status: 'started', message: 'Checking' });
  steps = withProgress(steps, { step: 'create-sp', type: 'createServicePrincipal', status: 'failed', message: 'Create the service principal HEX_USER' });
  steps = withProgress(steps, { step: 'rollback:service-principal', type: 'rollback', status: 'started', message: 'Removing', ref: { kind: 'service-principal', name: 'HEX_USER', id: '42' } });
  steps = withProgress(steps, { step: 'rollback:service-principal', type: 'rollback', status: 'done', message: 'Removing', ref: { kind: 'service-principal', name: 'HEX_USER', id: '42' } });
  assert.deepEqual(
    steps.map((s) => [s.id, s.label, s.status, s.detail]),
    [
      ['preflight', 'Pre-flight checks', 'running', undefined],
      ['create-sp', 'Create the service principal HEX_USER', 'failed', undefined],
      ['rollback:service-principal:42', 'Service principal HEX_USER (42)', 'rolled-back', 'removed again'],
    ],
  );
  explainFailedStep(steps, { failedStep: 'create-sp', cause: new Error('quota exceeded\nmore') });
  assert.equal(steps[1].detail, 'quota exceeded');
});

test('a cancelled connect keeps the leftovers of its error view under “Cancelled”', () => {
  const v = cancelledView({ title: 'x', message: 'y', whatToDo: 'z', code: 'connect-cancelled', leftovers: ['Token t'] });
  assert.deepEqual([v.title, v.message, v.leftovers], ['Cancelled', 'Cancelled. Everything created so far was removed.', ['Token t']]);
});

test('the result of a manual hand-off: copy the token once, sign up, exactly the promised details', () => {
  const r = resultView(hex, 'prod', result({ kind: 'manual', details, signUpUrl: 'https://hex.tech/signup', tokenDelivered: true }), ['host', 'httpPath', 'catalog', 'schemas'], { opened: null, tokenToCopy: true });
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.summary, 'Hex is connected to prod.');
  assert.deepEqual(r.resources, ['Service principal HEX_USER (42)']);
  assert.deepEqual(
    r.nextSteps.map((n) => n.kind),
    ['copy-token', 'open-link', 'info', 'info', 'info'],
  );
  const texts = r.nextSteps.map((n) => n.text).join('\n');
  assert.match(texts, /Catalog: main · schemas: sales/);
  assert.doesNotMatch(texts, /JDBC URL|Service principal:/, 'only what the plan promised');
});

test('a protocol hand-off: the partner page opened (or to open), a blocked redirect said, the connection id', () => {
  const h = { kind: 'protocol', redirectUri: 'https://app.partner.example/finish?x=1', connectionId: 'c-1', displayMessage: 'Welcome.', blockedRedirectHost: null, blockedRedirectReason: null } as unknown as ConnectResult['handoff'];
  const opened = resultView(hex, 'prod', result(h), undefined, { opened: true, tokenToCopy: false });
  assert.ok(opened.ok);
  if (!opened.ok) return;
  assert.equal(opened.summary, 'Hex is connected to prod. Welcome.');
  assert.deepEqual(
    opened.nextSteps.map((n) => [n.kind, n.text]),
    [
      ['opened', 'The partner page app.partner.example was opened in your browser.'],
      ['open-link', 'Open it again:'],
      ['info', 'Partner connection id: c-1'],
    ],
  );
  const notOpened = resultView(hex, 'prod', result(h, { reused: true }), undefined, { opened: false, tokenToCopy: false });
  assert.ok(notOpened.ok && notOpened.nextSteps[0].kind === 'open-link' && /Open the partner page to finish/.test(notOpened.nextSteps[0].text));
  assert.ok(notOpened.ok && /already connected/.test(notOpened.summary));
});

test('the partner summary: a non-admin acting as themselves gets no service principal', () => {
  assert.equal(partnerSummary(hex, false).needsServicePrincipal, true);
  const asUser = partnerSummary(hex, true);
  assert.equal(asUser.needsServicePrincipal, false);
  assert.match(asUser.description, /the connection acts as you/);
});
