/** The webview message protocol: zod schemas in both directions round-trip and reject bad input. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConnectToHost, HostToConnect, ConnectViewState } from '../../src/shared/protocol/connect';
import { HostToInspect, InspectToHost } from '../../src/shared/protocol/inspect';
import { errorView, preflightProblemsToFields, problemField } from '../../src/vscode/webviews/connectErrors';
import { ConnectCancelledError, ConnectRolledBackError, PreflightError, RollbackIncompleteError, isCancellation } from '../../src/domain';

const init: HostToConnect = {
  type: 'init',
  strings: { connect: 'Connect' },
  partner: {
    id: 'hex',
    name: 'Hex',
    category: 'BI and visualization',
    access: 'reads one schema',
    description: 'Hex gets a service principal HEX_USER with a personal access token; it may use the SQL warehouse you choose and read the one schema you choose.',
    needsServicePrincipal: true,
    servicePrincipalName: 'HEX_USER',
    compute: 'existing-warehouse',
    schemaSelection: 'one',
    unityCatalog: true,
    signIn: false,
    destinationLocation: false,
    handoff: 'manual',
    website: 'https://hex.tech',
    inferredNote: 'Not documented by Databricks for this partner, so assumed by this extension: its links.',
  },
  workspace: { name: 'Acme', host: 'https://x', user: 'ava@x' },
  catalogs: [
    { name: 'main', isDefault: false, selectable: true },
    { name: 'sales', isDefault: false, selectable: false, reason: 'You do not own sales and are not a metastore admin.' },
  ],
  warehouses: [{ id: 'w1', name: 'Starter', state: 'RUNNING', size: 'Small' }],
  defaults: { catalog: 'main', schemas: [], warehouse: { mode: 'existing', id: 'w1' } },
  proposedWarehouseName: 'HEX_ENDPOINT',
  desktopDefaults: false,
  alreadyConnected: false,
  phase: 'editing',
  steps: [],
};

test('every host → webview message round-trips through JSON and the schema', () => {
  const msgs: HostToConnect[] = [
    init,
    { type: 'loadError', error: { title: 't', message: 'm', leftovers: [] } },
    { type: 'schemas', requestId: 1, catalog: 'main', schemas: ['a', 'b'] },
    { type: 'validation', requestId: 2, problems: [{ field: 'catalog', message: 'x', required: true }], plan: ['Create the service principal HEX_USER'] },
    { type: 'validation', requestId: 3, problems: [], plan: [], blocker: { title: 'Workspace admin role needed', message: 'm', whatToDo: 'w', leftovers: [] } },
    { type: 'phase', phase: 'connecting' },
    { type: 'progress', steps: [{ id: 'create-sp', label: 'Create', status: 'running' }] },
    { type: 'result', result: { ok: true, summary: 's', resources: ['r'], nextSteps: [{ kind: 'copy-token', text: 'copy' }] } },
    { type: 'result', result: { ok: false, error: { title: 't', message: 'm', leftovers: ['service principal "HEX_USER" (1)'] } } },
    { type: 'nextStepDone', kind: 'token-copied', text: 'Copied' },
  ];
  for (const m of msgs) assert.deepEqual(HostToConnect.parse(JSON.parse(JSON.stringify(m))), m);
});

test('every webview → host message round-trips; unknown or malformed messages are rejected', () => {
  const msgs: ConnectToHost[] = [
    { type: 'ready' },
    { type: 'loadSchemas', requestId: 3, catalog: 'main' },
    { type: 'validate', requestId: 4, form: { catalog: 'main', schemas: ['s'], warehouse: { mode: 'new', name: 'HEX_ENDPOINT' } } },
    { type: 'connect', form: { schemas: [], warehouse: { mode: 'existing', id: 'w1' }, destinationLocation: 's3://b/p' } },
    { type: 'cancel' },
    { type: 'nextStep', kind: 'copy-token' },
    { type: 'openWebsite' },
    { type: 'showLog' },
    { type: 'close' },
  ];
  for (const m of msgs) assert.deepEqual(ConnectToHost.parse(JSON.parse(JSON.stringify(m))), m);
  assert.equal(ConnectToHost.safeParse({ type: 'eval', code: 'x' }).success, false);
  assert.equal(ConnectToHost.safeParse({ type: 'loadSchemas', requestId: '1', catalog: 'main' }).success, false);
  assert.equal(ConnectToHost.safeParse({ type: 'validate', requestId: 1, form: { warehouse: { mode: 'existing' } } }).success, false);
  assert.equal(ConnectToHost.safeParse({ type: 'nextStep', kind: 'token-copied' }).success, false, 'the webview cannot claim a host-side outcome');
  assert.equal(HostToConnect.safeParse({ ...init, phase: 'weird' }).success, false);
  assert.equal(ConnectViewState.safeParse({ form: { schemas: ['a'] } }).success, true);
});

test('inspect messages round-trip and reject unknown commands', () => {
  const data: HostToInspect = {
    type: 'data',
    inspectedAt: 'now',
    strings: {},
    data: {
      partner: { id: 'hex', name: 'Hex' },
      workspace: { name: 'Acme', host: 'https://x' },
      state: { kind: 'degraded', label: 'Degraded', reasons: ['credential missing'] },
      servicePrincipal: { displayName: 'HEX_USER', applicationId: 'a', id: '1', active: true, entitlements: ['workspace-access'], groups: [], url: 'https://x/settings/workspace/identity-and-access/service-principals/1' },
      tokens: [{ id: 't', comment: 'c', created: 'd', expires: 'never', creator: 'ava' }],
      credentialKind: 'pat',
      grants: [{ securable: 'catalog main', privileges: ['USE_CATALOG'] }],
      permissions: [{ label: 'Token permission', value: 'CAN_USE' }],
      compute: [{ label: 'Name', value: 'W', href: 'https://x/sql/warehouses/w' }],
      record: [],
      drift: { items: [{ kind: 'missing', text: 'USE SCHEMA' }], repairPlan: ['Grant USE SCHEMA'], canRepair: true },
    },
  };
  assert.deepEqual(HostToInspect.parse(JSON.parse(JSON.stringify(data))), data);
  for (const m of [{ type: 'ready' }, { type: 'refresh' }, { type: 'repair' }, { type: 'openLink', href: 'https://x/y' }, { type: 'command', command: 'disconnect' }, { type: 'showLog' }] as InspectToHost[]) {
    assert.deepEqual(InspectToHost.parse(m), m);
  }
  assert.equal(InspectToHost.safeParse({ type: 'command', command: 'addWorkspace' }).success, false);
});

test('engine errors become inline error views with what to do', () => {
  const pre = new PreflightError('Hex', [
    { code: 'schema-required', message: 'pick a schema' },
    { code: 'warehouse-name-taken', message: 'taken' },
    { code: 'catalog-not-allowed', message: 'not yours' },
  ]);
  const v = errorView(pre);
  assert.equal(v.title, 'Cannot connect: fix the problems marked in the form');
  assert.match(v.whatToDo ?? '', /Nothing was created/);
  assert.deepEqual(preflightProblemsToFields(pre.problems).map((p) => p.field), ['schemas', 'warehouse', 'catalog']);
  assert.equal(problemField('catalog-not-allowed'), 'catalog');
  // a problem no choice can fix is one message, not a "problem below"
  const blocked = new PreflightError('Hex', [...pre.problems, { code: 'not-workspace-admin', message: 'noah is not a workspace admin.' }]);
  assert.equal(errorView(blocked).title, 'Workspace admin role needed');
  assert.equal(errorView(blocked).message, 'noah is not a workspace admin.');
  assert.deepEqual(preflightProblemsToFields(blocked.problems).map((p) => p.field), ['schemas', 'warehouse', 'catalog'], 'blockers are not field problems');
  const rb = new RollbackIncompleteError('Connecting Hex', new Error('failed at create-token'), [{ kind: 'service-principal', name: 'HEX_USER', id: '42' }]);
  assert.deepEqual(errorView(rb).leftovers, ['Service principal HEX_USER (42)']);
  assert.equal(isCancellation(new ConnectCancelledError('Hex', 'create-token', new Error('x'), [])), true);
  assert.equal(isCancellation(new ConnectRolledBackError('Hex', 'create-token', new Error('x'), [])), false);
  assert.match(errorView(Object.assign(new Error('nope'), { status: 403 })).whatToDo ?? '', /workspace admin/);
});
