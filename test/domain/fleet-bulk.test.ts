/**
 * Bulk actions over the demo account, each with a fault in one workspace: the others complete, the
 * faulty one rolls back or stops where the single-workspace operation does, and the report says
 * exactly what happened where. Connect one partner to N workspaces (per-workspace defaults), rotate
 * every credential expiring within N days, offboard a partner everywhere, cancellation, and the
 * fleet report (Markdown, CSV, JSON) without a secret.
 */
import { after, beforeEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bulkConnect,
  connectOptions,
  fleetReport,
  offboard,
  planFleetRotation,
  previewBulkConnect,
  previewOffboard,
  refreshFleet,
  rotateFleet,
  type ConnectChoices,
  type FleetColumn,
} from '../../src/domain';
import type { EmulatorState } from '../emulator';
import { startFleet, type Fleet } from './fleetHelpers';

const spNamed = (st: EmulatorState, name: string) => [...st.servicePrincipals.values()].find((p) => p.displayName === name);
const tokensOf = (st: EmulatorState, spId: string) => [...st.tokens.values()].filter((t) => t.ownerKind === 'sp' && t.ownerId === spId);

describe('bulk actions over the demo account', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet();
  });
  after(async () => {
    await fleet.close();
  });
  beforeEach(() => {
    fleet.acct.reset();
  });

  const refreshed = async (): Promise<Array<{ key: string; column: FleetColumn }>> => {
    const r = await refreshFleet(fleet.targets(), fleet.catalog, { concurrency: 6, identity: fleet.acct.admin.applicationId });
    return r.columns.map((column) => ({ key: column.workspace.name, column }));
  };

  it('connects Hex to three workspaces with per-workspace defaults; a failure in one is rolled back there only', async () => {
    const hex = fleet.catalog.require('hex');
    const names = ['acme-prod', 'acme-dev', 'legacy-reporting', 'acme-staging'];
    const targets = fleet.targets(names);
    const opts = await connectOptions(targets, hex);
    const prod = opts.find((o) => o.key === 'acme-prod')!;
    assert.equal(prod.problem, null);
    assert.equal(prod.defaults.catalog, 'acme_prod', 'the default catalog (the principal is a metastore admin)');
    assert.deepEqual(prod.defaults.schemas, ['default']);
    assert.deepEqual(prod.defaults.warehouse, { kind: 'existing', id: 'f562046bc1272886' });
    const hive = opts.find((o) => o.key === 'legacy-reporting')!;
    assert.equal(hive.defaults.catalog, 'hive_metastore');
    assert.ok(hive.catalogs.every((c) => c.name === 'hive_metastore' || !c.allowed));

    const choices = new Map<string, ConnectChoices>(opts.map((o) => [o.key, o.defaults]));
    choices.set('acme-prod', { ...prod.defaults, catalog: 'analytics', schemas: ['marketing'] });
    const preview = await previewBulkConnect(targets, hex, choices);
    const byKey = new Map(preview.items.map((i) => [i.key, i]));
    assert.equal(byKey.get('acme-staging')?.status, 'skip');
    assert.match(byKey.get('acme-staging')?.reason ?? '', /already connected/);
    for (const k of ['acme-prod', 'acme-dev', 'legacy-reporting']) {
      assert.equal(byKey.get(k)?.status, 'ready', `${k}: ${byKey.get(k)?.reason ?? ''}`);
      assert.ok(byKey.get(k)?.lines.some((l) => /HEX_USER/.test(l)), 'the plan in words');
    }
    assert.ok(byKey.get('acme-prod')?.lines.some((l) => /analytics\.marketing/.test(l)));
    // the plan connect will carry out there: the warehouse by its name, the credential the pre-flight worked out
    assert.ok(byKey.get('acme-prod')?.lines.some((l) => l.includes('CAN USE on the SQL warehouse Starter Warehouse (f562046bc1272886)')), byKey.get('acme-prod')?.lines.join('\n'));
    assert.ok(byKey.get('legacy-reporting')?.lines.some((l) => l.includes('SQL warehouse Legacy Warehouse (1a2b3c4d5e6f7a8b)')));
    assert.ok(byKey.get('acme-prod')?.lines.some((l) => /personal access token for it, valid for 730 days/.test(l)));
    assert.equal(fleet.acct.workspace('acme-prod').core.state.servicePrincipals.size, fleet.acct.workspace('acme-prod').core.state.servicePrincipals.size, 'the preview created nothing');
    for (const k of ['acme-prod', 'acme-dev', 'legacy-reporting']) assert.equal(spNamed(fleet.acct.workspace(k).core.state, 'HEX_USER'), undefined);

    // the fault: acme-dev refuses the token creation
    fleet.acct.workspace('acme-dev').core.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    const delivered = new Map<string, string>();
    const progress: string[] = [];
    const report = await bulkConnect(preview, targets, hex, {
      concurrency: 2,
      deliverSecretOnce: (key, v) => void delivered.set(key, v),
      onProgress: (p) => progress.push(`${p.key}:${p.phase}`),
    });
    const item = (k: string) => report.items.find((i) => i.key === k)!;
    assert.equal(item('acme-prod').status, 'done', item('acme-prod').message);
    assert.equal(item('legacy-reporting').status, 'done', item('legacy-reporting').message);
    assert.equal(item('acme-dev').status, 'failed');
    assert.match(item('acme-dev').message, /failed at .*token/i);
    assert.match(item('acme-dev').details.join(' '), /removed again: .*HEX_USER/);
    assert.deepEqual(item('acme-dev').leftovers, []);
    assert.equal(item('acme-staging').status, 'skipped');
    assert.deepEqual(report.counts, { done: 2, partly: 0, failed: 1, skipped: 1, cancelled: 0 });
    assert.deepEqual(report.items.map((i) => i.key), preview.items.map((i) => i.key), 'the report keeps the preview order');
    for (const k of ['acme-prod', 'acme-dev', 'legacy-reporting']) assert.ok(progress.includes(`${k}:running`) && progress.includes(`${k}:${item(k).status}`));

    // what the workspaces hold now
    const prodSp = spNamed(fleet.acct.workspace('acme-prod').core.state, 'HEX_USER');
    assert.ok(prodSp);
    assert.deepEqual([...(fleet.acct.workspace('acme-prod').core.state.ucGrants.get('schema:analytics.marketing')?.get(prodSp.applicationId) ?? [])].sort(), ['SELECT', 'USE_SCHEMA']);
    const hiveSp = spNamed(fleet.acct.workspace('legacy-reporting').core.state, 'HEX_USER');
    assert.ok(hiveSp);
    assert.deepEqual([...(fleet.acct.workspace('legacy-reporting').core.state.hiveGrants.get('SCHEMA default')?.get(hiveSp.applicationId) ?? [])].sort(), ['READ_METADATA', 'SELECT', 'USAGE']);
    assert.equal(spNamed(fleet.acct.workspace('acme-dev').core.state, 'HEX_USER'), undefined, 'rolled back');
    assert.equal(delivered.size, 2, 'one token per connected workspace, handed over once');
    const text = JSON.stringify(report) + fleet.log.join('\n');
    for (const v of delivered.values()) assert.ok(!text.includes(v), 'no token value in the report or the log');
  });

  it('a protocol partner without stored partner credentials is skipped everywhere, before anything is read', async () => {
    const hex = fleet.catalog.require('hex');
    const before = fleet.acct.workspace('acme-prod').core.requests.length;
    const preview = await previewBulkConnect(fleet.targets(['acme-prod', 'acme-dev']), { ...hex, handoff: 'protocol' }, new Map(), { hasPartnerCredentials: false });
    assert.deepEqual(preview.items.map((i) => i.status), ['skip', 'skip']);
    assert.match(preview.notes[0], /Set Partner Credentials/);
    assert.equal(fleet.acct.workspace('acme-prod').core.requests.length, before);
  });

  it('rotates every credential expiring within 7 days; a failing workspace keeps its old token and says so', async () => {
    const columns = await refreshed();
    const plan = planFleetRotation(columns, 7);
    const ready = plan.items.filter((i) => i.status === 'ready').map((i) => i.key).sort();
    assert.deepEqual(ready, ['acme-staging', 'analytics-us', 'legacy-reporting']);
    assert.ok(plan.items.find((i) => i.key === 'acme-staging')?.lines.some((l) => /Qlik Sense: new personal access token for QLIK_SENSE_USER, then delete personal access token \S+ \(expires \d{4}-\d\d-\d\d, in [45] day/.test(l)));
    assert.ok(plan.items.some((i) => i.key === 'partner-lab' && i.status === 'skip' && /not checked/.test(i.reason ?? '')));
    const old = (k: string, sp: string) => {
      const st = fleet.acct.workspace(k).core.state;
      return tokensOf(st, spNamed(st, sp)!.id).map((t) => t.token_id);
    };
    const before = { staging: old('acme-staging', 'QLIK_SENSE_USER'), us: old('analytics-us', 'QLIK_SENSE_USER'), rep: old('legacy-reporting', 'SIGMA_USER') };
    fleet.acct.workspace('analytics-us').core.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    const secrets: string[] = [];
    const report = await rotateFleet(plan, fleet.targets(), fleet.catalog, { deliverSecretOnce: (_k, _p, v) => void secrets.push(v) });
    const item = (k: string) => report.items.find((i) => i.key === k)!;
    assert.equal(item('acme-staging').status, 'done', item('acme-staging').details.join('; '));
    assert.equal(item('legacy-reporting').status, 'done');
    assert.equal(item('analytics-us').status, 'failed');
    assert.match(item('analytics-us').details.join(' '), /Qlik Sense: failed — .*HTTP 500/);
    assert.equal(secrets.length, 2);
    const after = { staging: old('acme-staging', 'QLIK_SENSE_USER'), us: old('analytics-us', 'QLIK_SENSE_USER'), rep: old('legacy-reporting', 'SIGMA_USER') };
    assert.equal(after.staging.length, 1);
    assert.notDeepEqual(after.staging, before.staging, 'new token, old one deleted');
    assert.deepEqual(after.us, before.us, 'the failing workspace keeps its token');
    assert.notDeepEqual(after.rep, before.rep);
    assert.match(item('acme-staging').details[0], new RegExp(`new personal access token ${after.staging[0]} \\(expires \\d{4}-\\d\\d-\\d\\d\\); deleted ${before.staging[0]}`));
  });

  it('offboards Dataiku everywhere; a workspace where deleting stops lists exactly what is left', async () => {
    const dataiku = fleet.catalog.require('dataiku');
    const names = ['acme-prod', 'acme-staging', 'analytics-eu', 'ml-research', 'acme-dev'];
    const accountPrincipals = await fleet.account.listServicePrincipals({ filter: 'displayName eq "DATAIKU_USER"' });
    const preview = await previewOffboard(fleet.targets(names), dataiku, 'reset', { accountPrincipals });
    const byKey = new Map(preview.items.map((i) => [i.key, i]));
    assert.equal(byKey.get('acme-dev')?.status, 'skip', 'nothing of Dataiku there');
    const prod = byKey.get('acme-prod')!;
    assert.equal(prod.status, 'ready');
    assert.ok(prod.lines.some((l) => /delete permanently: SQL warehouse DATAIKU_ENDPOINT \(84b2df24b6296004\)/.test(l)), prod.lines.join('\n'));
    assert.ok(prod.lines.some((l) => /delete permanently: Service principal DATAIKU_USER/.test(l)));
    assert.ok(preview.notes.some((n) => n.includes(`${accountPrincipals.length} principal(s) named DATAIKU_USER`)));

    const ml = fleet.acct.workspace('ml-research').core;
    ml.faults.add({ method: 'DELETE', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\//, status: 500 });
    const report = await offboard(preview, fleet.targets(names), dataiku, { concurrency: 3 });
    const item = (k: string) => report.items.find((i) => i.key === k)!;
    for (const k of ['acme-prod', 'acme-staging', 'analytics-eu']) {
      assert.equal(item(k).status, 'done', item(k).message);
      const st = fleet.acct.workspace(k).core.state;
      assert.equal(spNamed(st, 'DATAIKU_USER'), undefined);
      assert.equal(st.files.has('/.partner-connect/dataiku.json'), false);
    }
    assert.ok(item('acme-prod').details.some((d) => /deleted SQL warehouse DATAIKU_ENDPOINT/.test(d)));
    assert.equal(item('ml-research').status, 'failed');
    assert.ok(item('ml-research').leftovers.some((l) => l.kind === 'service-principal' && l.name === 'DATAIKU_USER'), JSON.stringify(item('ml-research')));
    assert.match(item('ml-research').details.join(' '), /Run Disconnect again/);
    assert.ok(spNamed(ml.state, 'DATAIKU_USER'), 'still there');
    assert.ok(ml.state.files.has('/.partner-connect/dataiku.json'), 'the record is deleted last, so the reset can be resumed');
    assert.equal(item('acme-dev').status, 'skipped');
  });

  it('cancellation: no workspace starts after it, and the running one rolls back', async () => {
    const hex = fleet.catalog.require('hex');
    const names = ['acme-prod', 'acme-dev', 'analytics-eu', 'ml-research'];
    const targets = fleet.targets(names);
    const opts = await connectOptions(targets, hex);
    const preview = await previewBulkConnect(targets, hex, new Map(opts.map((o) => [o.key, o.defaults])));
    assert.equal(preview.items.filter((i) => i.status === 'ready').length, 4);
    const ac = new AbortController();
    const first = preview.items[0].key;
    // slow down the first workspace's permission changes so the cancel lands while it runs
    fleet.acct.workspace(first).core.faults.add({ method: 'PATCH', path: '*', delayMs: 150 });
    const report = await bulkConnect(preview, targets, hex, {
      concurrency: 1,
      signal: ac.signal,
      deliverSecretOnce: () => undefined,
      onProgress: (p) => {
        if (p.key === first && p.phase === 'running' && /service principal/i.test(p.message)) ac.abort();
      },
    });
    assert.equal(report.cancelled, true);
    const running = report.items.find((i) => i.key === first)!;
    assert.equal(running.status, 'cancelled', running.message);
    assert.match(running.message, /rolled back/);
    for (const i of report.items.filter((x) => x.key !== first)) {
      assert.equal(i.status, 'cancelled');
      assert.match(i.message, /not started/);
    }
    for (const k of names) assert.equal(spNamed(fleet.acct.workspace(k).core.state, 'HEX_USER'), undefined, `${k}: nothing left behind`);
  });

  it('exports the fleet report as Markdown, CSV and JSON without a secret', async () => {
    const columns = await refreshed();
    const account = { name: 'Demo account', accountId: fleet.acct.accountId, host: fleet.acct.url };
    const md = fleetReport({ account, columns }, 'markdown');
    assert.match(md, /# Partner Connect fleet report: Demo account/);
    assert.match(md, /13 workspace\(s\): 10 loaded, 3 not loaded/);
    assert.match(md, /### partner-lab\n\n.*\n- \*\*not loaded\*\* \(not-assigned\)/);
    assert.match(md, /\| Dataiku \|/);
    const csv = fleetReport({ account, columns }, 'csv');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'account,workspace,workspaceId,host,partnerId,partner,category,state,reasons,servicePrincipal,applicationId,credentials,soonestExpiry,compute,catalog,schemas,connectedBy,connectedAt,workspaceStatus');
    assert.ok(lines.some((l) => l.startsWith('Demo account,gateway-broken,') && /gateway: The workspace answered HTTP 502/.test(l)));
    assert.ok(lines.some((l) => l.includes(',dataiku,Dataiku,') && l.includes(',connected,')));
    const json = JSON.parse(fleetReport({ account, columns }, 'json')) as { workspaces: Array<{ name: string; load: string; partners: unknown[] }> };
    assert.equal(json.workspaces.length, 13);
    assert.equal(json.workspaces.find((w) => w.name === 'partner-lab')?.load, 'failed');
    for (const text of [md, csv, JSON.stringify(json)]) {
      assert.ok(!text.includes(fleet.acct.admin.secret), 'no client secret');
      assert.ok(!/dapi[0-9a-f-]{8,}/.test(text), 'no token value');
    }
  });
});
