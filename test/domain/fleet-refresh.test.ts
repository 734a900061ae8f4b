/**
 * Refreshing the demo account (13 workspaces): every running workspace loads in parallel with a
 * bound, failures are that workspace's only and say why (not assigned — confirmed with the
 * account's permission assignments —, not an admin, a failing gateway, not running), partners are
 * in every state across the account, the matrix and its filters, and the bounded runner itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Limiter, buildMatrix, describeWorkspaceFailure, expiringCredentials, mapBounded, refreshFleet, type FleetColumn } from '../../src/domain';
import { AuthConfigError } from '../../src/client';
import { startFleet, type Fleet } from './fleetHelpers';

describe('fleet refresh of the demo account', () => {
  let fleet: Fleet;
  let columns: FleetColumn[];
  const arrived: string[] = [];

  before(async () => {
    fleet = await startFleet();
    const r = await refreshFleet(fleet.targets(), fleet.catalog, {
      concurrency: 5,
      identity: fleet.acct.admin.applicationId,
      assignments: (ws) => fleet.account.listPermissionAssignments(ws.workspaceId),
      onColumn: (c) => arrived.push(`${c.kind}:${c.workspace.name}`),
    });
    columns = r.columns;
  });
  after(async () => {
    await fleet.close();
  });

  const col = (name: string): FleetColumn => {
    const c = columns.find((x) => x.workspace.name === name);
    assert.ok(c, `column ${name}`);
    return c;
  };

  it('loads the running workspaces and explains each one that fails', () => {
    assert.equal(columns.length, 13);
    const ready = columns.filter((c) => c.kind === 'ready').map((c) => c.workspace.name);
    assert.deepEqual(ready.sort(), ['acme-dev', 'acme-prod', 'acme-staging', 'analytics-eu', 'analytics-us', 'azure-sandbox', 'finance-restricted', 'legacy-etl', 'legacy-reporting', 'ml-research']);
    const lab = col('partner-lab');
    assert.ok(lab.kind === 'failed');
    assert.equal(lab.failure.code, 'not-assigned');
    assert.match(lab.failure.message, /is not assigned to this workspace/);
    const gw = col('gateway-broken');
    assert.ok(gw.kind === 'failed');
    assert.equal(gw.failure.code, 'gateway');
    assert.match(gw.failure.message, /HTTP 502 with an HTML page/);
    const fresh = col('new-workspace');
    assert.ok(fresh.kind === 'failed' && fresh.failure.code === 'not-running', JSON.stringify(fresh));
    assert.match(fresh.kind === 'failed' ? fresh.failure.message : '', /provisioning/);
    const restricted = col('finance-restricted');
    assert.ok(restricted.kind === 'ready');
    assert.equal(restricted.warning?.code, 'not-admin');
    // the principal by its name and application id, as the account console shows it
    assert.match(restricted.warning?.message ?? '', /^fleet-admin \([0-9a-f-]{36}\) is not a workspace admin here/);
    assert.equal(fleet.acct.workspace('new-workspace').core.requests.length, 0, 'a workspace that is not running is not called');
  });

  it('reports columns as they arrive (loading, then the result)', () => {
    for (const c of columns) {
      if (c.kind === 'failed' && c.failure.code === 'not-running') continue;
      const i = arrived.indexOf(`loading:${c.workspace.name}`);
      const j = arrived.indexOf(`${c.kind}:${c.workspace.name}`);
      assert.ok(i >= 0 && j > i, `${c.workspace.name}: ${arrived.join(' ')}`);
    }
  });

  it('finds partners in every state across the account, UC and Hive', () => {
    const states = new Set<string>();
    for (const c of columns) if (c.kind === 'ready' && !c.warning) for (const p of c.snapshot.partners) states.add(p.state);
    assert.deepEqual([...states].sort(), ['check-mark-only', 'connected', 'connected-outside', 'degraded', 'not-connected']);
    const etl = col('legacy-etl');
    assert.ok(etl.kind === 'ready');
    assert.equal(etl.snapshot.metastore, null, 'Hive only');
    const st = (id: string): string | undefined => etl.snapshot.partners.find((p) => p.partnerId === id)?.state;
    assert.equal(st('census'), 'connected');
    assert.equal(etl.snapshot.partners.find((p) => p.partnerId === 'census')?.record?.isHive, true);
    assert.equal(st('hex'), 'connected-outside');
    assert.equal(st('stardog'), 'check-mark-only');
    const staging = col('acme-staging');
    assert.ok(staging.kind === 'ready');
    assert.equal(staging.snapshot.partners.find((p) => p.partnerId === 'hex')?.state, 'connected');
    const prod = col('acme-prod');
    assert.ok(prod.kind === 'ready');
    assert.equal(prod.snapshot.partners.find((p) => p.partnerId === 'rudderstack')?.state, 'degraded');
  });

  it('knows the credentials that expire soon', () => {
    const soon: string[] = [];
    for (const c of columns) {
      if (c.kind !== 'ready') continue;
      for (const p of c.snapshot.partners) if (expiringCredentials(p, 7).length > 0) soon.push(`${c.workspace.name}/${p.partnerId}`);
    }
    assert.deepEqual(soon.sort(), ['acme-staging/qlik-sense', 'analytics-us/qlik-sense', 'legacy-reporting/sigma']);
  });

  it('builds the Partner × workspace matrix with filters', () => {
    const keyed = columns.map((column) => ({ key: column.workspace.name, column }));
    const all = buildMatrix(keyed, fleet.catalog.partners);
    assert.equal(all.columns.length, 13);
    assert.equal(all.rows.length, fleet.catalog.partners.length);
    const dataiku = all.rows.find((r) => r.partnerId === 'dataiku');
    assert.ok(dataiku);
    const at = (name: string): string => dataiku.cells[all.columns.findIndex((c) => c.name === name)].state;
    assert.equal(at('acme-prod'), 'connected');
    assert.equal(at('partner-lab'), 'unknown');
    assert.equal(all.columns.find((c) => c.name === 'partner-lab')?.reasonCode, 'not-assigned');

    const degraded = buildMatrix(keyed, fleet.catalog.partners, { states: ['degraded'], categories: [], expiringWithinDays: null });
    assert.ok(degraded.rows.every((r) => r.cells.some((c) => c.state === 'degraded')));
    assert.ok(degraded.rows.some((r) => r.partnerId === 'rudderstack'));
    assert.equal(degraded.rows.length + degraded.hidden, fleet.catalog.partners.length);

    const expiring = buildMatrix(keyed, fleet.catalog.partners, { states: [], categories: [], expiringWithinDays: 7 });
    assert.deepEqual(expiring.rows.map((r) => r.partnerId).sort(), ['qlik-sense', 'sigma']);
    const within30 = buildMatrix(keyed, fleet.catalog.partners, { states: [], categories: [], expiringWithinDays: 30 });
    assert.ok(within30.rows.find((r) => r.partnerId === 'sigma')?.cells.filter((c) => c.expiring).length === 2, 'sigma expires in 3 and 20 days');

    const bi = buildMatrix(keyed, fleet.catalog.partners, { states: [], categories: ['BI_AND_VIZ'], expiringWithinDays: null });
    assert.ok(bi.rows.length > 0 && bi.rows.every((r) => r.category === 'BI_AND_VIZ'));
  });
});

describe('bounded parallelism', () => {
  it('never runs more than the limit, starts the next as soon as one finishes, and keeps failures apart', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    // The first task finishes only after all the others: with head-of-line blocking this would never end.
    let othersDone!: () => void;
    const others = new Promise<void>((r) => (othersDone = r));
    const guard = setTimeout(() => othersDone(), 5_000);
    let finishedOthers = 0;
    const started = Date.now();
    const out = await mapBounded(
      [0, 1, 2, 3, 4, 5, 6, 7],
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        if (i === 0) await others;
        else await new Promise((r) => setTimeout(r, 2));
        running--;
        order.push(i);
        if (i !== 0 && ++finishedOthers === 7) othersDone();
        if (i === 3) throw new Error('boom');
        return i;
      },
      { limit: 3 },
    );
    clearTimeout(guard);
    assert.ok(Date.now() - started < 4_000, 'the slow first task did not hold back the others');
    assert.equal(peak, 3);
    assert.equal(order[order.length - 1], 0);
    assert.deepEqual(out.map((o) => o.status), ['done', 'done', 'done', 'failed', 'done', 'done', 'done', 'done']);
  });

  it('starts nothing after cancellation', async () => {
    const ac = new AbortController();
    const started: number[] = [];
    const out = await mapBounded(
      [0, 1, 2, 3, 4],
      async (i) => {
        started.push(i);
        if (i === 1) ac.abort();
        await new Promise((r) => setTimeout(r, 5));
        return i;
      },
      { limit: 2, signal: ac.signal },
    );
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(out.map((o) => o.status), ['done', 'done', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('Limiter hands a slot over first come first served and never exceeds its limit', async () => {
    const lim = new Limiter(2);
    let running = 0;
    let peak = 0;
    const starts: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        lim.run(async () => {
          running++;
          starts.push(i);
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, (6 - i) * 2));
          running--;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(starts, [0, 1, 2, 3, 4, 5], 'first come, first served');
    const ac = new AbortController();
    const blocker = lim.run(() => new Promise((r) => setTimeout(r, 20)));
    const blocker2 = lim.run(() => new Promise((r) => setTimeout(r, 20)));
    const waiting = lim.run(async () => 'never', ac.signal);
    ac.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    await Promise.all([blocker, blocker2]);
    assert.equal(lim.running, 0);
  });
});

describe('a refused sign-in in words', () => {
  it('names the principal as people know it, and matches the assignments by what they name (the application id)', () => {
    const refused = new AuthConfigError('OAUTH_FAILED', 'refused');
    const o = { identity: 'f1ee7ad0-0000-4000-8000-00000000ad01', identityName: 'fleet-admin (f1ee7ad0-0000-4000-8000-00000000ad01)' };
    const none = describeWorkspaceFailure(refused, { ...o, assignments: [] });
    assert.equal(none.code, 'not-assigned');
    assert.match(none.message, /^fleet-admin \(f1ee7ad0-[0-9a-f-]+\) is not assigned to this workspace/);
    const mine = describeWorkspaceFailure(refused, { ...o, assignments: [{ principal: { service_principal_name: o.identity }, permissions: ['ADMIN'] }] });
    assert.equal(mine.code, 'sign-in');
    assert.match(mine.message, /^fleet-admin \(f1ee7ad0-[0-9a-f-]+\) is assigned \(ADMIN\) but the workspace refused/);
    // without a name: the id, as before
    assert.match(describeWorkspaceFailure(refused, { identity: o.identity, assignments: [] }).message, /^f1ee7ad0-[0-9a-f-]+ is not assigned/);
  });
});
