/** Icons, descriptions and tooltips of each engine state (no VS Code needed). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  STATES,
  STATE_ICONS,
  explainWorkspaceError,
  md,
  partnerDescription,
  partnerTooltip,
  principalNotRequired,
  workspaceDescription,
  workspaceTooltip,
} from '../../src/vscode/tree/presentation';
import { degradedWithDrift, status } from './fixtures';
import { connectionReport } from '../../src/vscode/report/report';
import type { WorkspaceSnapshot } from '../../src/domain';

test('each state has its own icon and colour', () => {
  const icons = STATES.map((s) => STATE_ICONS[s].id);
  const colors = STATES.map((s) => STATE_ICONS[s].color);
  assert.equal(new Set(icons).size, STATES.length);
  assert.equal(new Set(colors).size, STATES.length);
});

test('short descriptions say the state and the reasons', () => {
  assert.equal(partnerDescription(status('dbt-cloud', 'connected')), 'connected · DBT_CLOUD_USER');
  assert.equal(partnerDescription(status('hex', 'connected-outside')), 'connected outside this extension');
  assert.equal(partnerDescription(status('hex', 'check-mark-only')), 'check mark only · no service principal');
  assert.equal(partnerDescription(degradedWithDrift('hex')), 'degraded · credential missing, grants differ');
  assert.equal(partnerDescription(status('hex', 'not-connected')), '');
});

test('the tooltip explains the state, lists degraded reasons and connection details, escaped', () => {
  const t = partnerTooltip(degradedWithDrift('hex'));
  assert.match(t, /\*\*Hex\*\*/);
  assert.match(t, /\*\*Degraded\*\*/);
  assert.match(t, /- The token abc123 recorded for the connection no longer exists\\\./);
  assert.match(t, /USE\\_SCHEMA on main\\\.sales is missing/);
  assert.match(t, /Service principal: HEX\\_USER \(`0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9`\)/);
  const cm = partnerTooltip(status('dbt-cloud', 'check-mark-only'));
  assert.match(cm, /manual disconnect/);
  assert.match(cm, /DBT\\_CLOUD\\_USER \(not present\)/);
  const fivetran = partnerTooltip(status('fivetran', 'connected'));
  assert.match(fivetran, /Partner account administrator: ava\\\.admin@acme\\\.example/);
  assert.match(fivetran, /No service principal needed/);
  assert.equal(md('a*b_[c]'), 'a\\*b\\_\\[c\\]');
});

const snapshot: WorkspaceSnapshot = {
  host: 'https://dbc-1.cloud.databricks.com',
  identity: { userName: 'ava.admin@acme.example', displayName: 'Ava Admin', userId: '1', isWorkspaceAdmin: true, isMetastoreAdmin: false },
  metastore: { metastoreId: 'm', name: 'acme', owner: 'metastore-admins', defaultCatalog: 'acme_prod', cloud: 'aws' },
  partners: [status('dbt-cloud', 'connected'), degradedWithDrift('hex'), status('fivetran', 'not-connected')],
  stats: { waves: 2, requestsPerWave: [10, 3], requests: 13 },
  limitations: ['Token metadata could not be read: not an admin.'],
  takenAt: '2026-01-01T00:00:00.000Z',
};

test('the workspace shows the signed-in user and roles', () => {
  assert.equal(workspaceDescription(snapshot), 'ava.admin@acme.example · workspace admin');
  assert.equal(workspaceDescription({ ...snapshot, identity: { ...snapshot.identity, isWorkspaceAdmin: false } }), 'ava.admin@acme.example · not a workspace admin');
  const tip = workspaceTooltip('Acme', snapshot.host, 'pat', snapshot);
  assert.match(tip, /Workspace admin: yes/);
  assert.match(tip, /Metastore admin: no/);
  assert.match(tip, /1 connected, 1 degraded, 1 not connected/);
  assert.match(tip, /Could not read: Token metadata could not be read: not an admin\\\./);
});

test('a 403 is explained as the missing workspace admin role; 401 as refused credentials', () => {
  const e403 = Object.assign(new Error('PERMISSION_DENIED: Only admins'), { status: 403 });
  const x = explainWorkspaceError(e403);
  assert.equal(x.forbidden, true);
  assert.match(x.label, /workspace admin role/);
  assert.match(x.detail, /admins/);
  assert.equal(explainWorkspaceError(Object.assign(new Error('bad token'), { status: 401 })).unauthorized, true);
  assert.match(explainWorkspaceError(new Error('ECONNREFUSED\nmore')).label, /^Could not load: ECONNREFUSED$/);
});

test('the connection report lists connected partners and problems, never a token value', () => {
  const r = connectionReport([{ name: 'Acme', host: snapshot.host, snapshot }, { name: 'Down', host: 'https://x', error: 'HTTP 503' }], '2026-01-01', '0.1.0');
  assert.match(r, /^# Partner Connect connection report/);
  assert.match(r, /\| dbt Cloud \| Data preparation and transformation \| Connected \| DBT_CLOUD_USER/);
  assert.match(r, /\*\*Hex\*\*: The token abc123/);
  assert.match(r, /Could not be read: HTTP 503/);
  assert.doesNotMatch(r, /Fivetran/);
  assert.doesNotMatch(r, /dapi[0-9a-f]{8}/);
});

const FIVETRAN_USER = { id: '7000000000000009', applicationId: '5d1e6f2a-7b3c-4d8e-9f0a-1b2c3d4e5f60', displayName: 'FIVETRAN_USER', active: true, entitlements: [], groups: [] };

test('a FIVETRAN_USER (the seed’s example) is shown although Fivetran needs no service principal', () => {
  const outside = status('fivetran', 'connected-outside', { servicePrincipal: FIVETRAN_USER, record: null });
  assert.equal(principalNotRequired(outside), true);
  assert.equal(partnerDescription(outside), 'connected outside this extension · FIVETRAN_USER (not required by this partner)');
  const tip = partnerTooltip(outside);
  assert.match(tip, /Service principal: FIVETRAN\\_USER \(`5d1e6f2a-7b3c-4d8e-9f0a-1b2c3d4e5f60`\) — not required by this partner: Fivetran works without one/);
  assert.match(tip, /Delete Service Principal…/);
  assert.doesNotMatch(tip, /No service principal needed/);
  const connected = status('power-bi', 'connected', { servicePrincipal: { ...FIVETRAN_USER, displayName: 'POWER_BI_USER' } });
  assert.equal(partnerDescription(connected), 'connected · service principal present · not required by this partner');
  assert.equal(principalNotRequired(status('dbt-cloud', 'connected')), false);
  const r = connectionReport([{ name: 'Acme', host: snapshot.host, snapshot: { ...snapshot, partners: [outside] } }], '2026-01-01', '0.1.0');
  assert.match(r, /\| Fivetran \| Data ingestion \| Connected outside this extension \| FIVETRAN_USER \(5d1e6f2a-7b3c-4d8e-9f0a-1b2c3d4e5f60\), not required by this partner \|/);
});
