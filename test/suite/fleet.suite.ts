/**
 * The fleet in the extension host: Add Databricks Account… against the account emulator (started
 * here, in the extension host), the account node over its workspaces (the ones that cannot be
 * loaded are shown with why), a token per workspace, the Partner × workspace matrix host (CSP and
 * nonce, data as workspaces arrive, failed columns with reasons, filters, reveal in the tree,
 * invalid messages dropped) and a bulk connect driven through the bulk view's messages.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToBulk } from '../../src/shared/protocol/bulk';
import type { HostToMatrix } from '../../src/shared/protocol/matrix';
import type { BulkSession } from '../../src/vscode/webviews/bulkPanel';
import type { MatrixSession } from '../../src/vscode/webviews/matrixPanel';
import { startAccountEmulator, type AccountEmulatorHandle } from '../account-emulator';
import { issuedInSuite } from './ui-support/issuedCredentials';
import { demoFleet } from '../account-emulator/fleetSeeds';
import { waitUntil } from '../fixtures/wait';
import { api, walkTree, withPrompter } from './ui-support/env';

const ACCOUNT = 'Suite account';
const ws = (name: string): string => `${ACCOUNT} / ${name}`;

async function lastOf<T extends { type: string }>(sent: T[], type: string, from = 0): Promise<T> {
  await waitUntil(() => sent.slice(from).some((m) => m.type === type), `a "${type}" message`, 60_000);
  return [...sent.slice(from)].reverse().find((m) => m.type === type) as T;
}

describe('Fleet: a Databricks account, its matrix and bulk actions', function () {
  this.timeout(240_000);
  let acct: AccountEmulatorHandle;

  before(async () => {
    acct = await startAccountEmulator({ workspaces: demoFleet(), domain: 'suite' });
    await withPrompter(async (p) => {
      p.answer('addAccount.method', 'oauth-m2m')
        .answer('addAccount.host', 'Other accounts host…')
        .answer('addAccount.hostUrl', acct.url)
        .answer('addAccount.accountId', acct.accountId)
        .answer('addAccount.clientId', acct.admin.applicationId)
        .answer('addAccount.clientSecret', acct.admin.secret)
        .answer('addAccount.workspaces', (opts: Array<{ value: unknown }>) => opts.map((o) => o.value))
        .answer('addAccount.name', ACCOUNT);
      await vscode.commands.executeCommand('partnerConnect.addAccount');
      assert.ok(p.of('notify', 'addAccount.done').length === 1, JSON.stringify(p.asked.filter((x) => x.kind === 'notify')));
    });
  });

  after(async () => {
    const a = await api();
    a.services.matrixPanels.panel(ACCOUNT)?.dispose();
    if (a.services.accounts.get(ACCOUNT)) {
      await withPrompter(async (p) => {
        p.answer('removeAccount', true);
        await vscode.commands.executeCommand('partnerConnect.removeAccount', { kind: 'account', account: ACCOUNT });
      });
    }
    for (const c of acct?.issuedCredentials() ?? []) issuedInSuite.add(c);
    await acct?.close();
  });

  it('shows the account node over its workspaces; those that cannot be loaded say why', async () => {
    const a = await api();
    await waitUntil(() => a.services.fleet.state(ACCOUNT).kind === 'ready', 'the account list');
    const stored = a.services.accounts.get(ACCOUNT);
    assert.equal(stored?.clientId, acct.admin.applicationId);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('partnerConnect').inspect('accounts')?.globalValue ?? '').includes(acct.admin.secret), 'the secret is not in the settings');
    await waitUntil(async () => (await walkTree()).some((n) => n.node.kind === 'workspace' && n.node.ws === ws('acme-prod')), 'the workspace nodes');
    const tree = await walkTree();
    const accountNode = tree.find((n) => n.node.kind === 'account' && n.node.account === ACCOUNT);
    assert.ok(accountNode, 'the account node');
    assert.equal(accountNode.depth, 0);
    assert.match(String(accountNode.item.contextValue), /^account\.ready/);
    const under = tree.filter((n) => n.depth === 1 && n.node.kind === 'workspace' && n.node.ws.startsWith(`${ACCOUNT} / `));
    assert.equal(under.length, 12, under.map((n) => n.node.kind === 'workspace' && n.node.ws).join(', '));
    const prod = under.find((n) => n.node.kind === 'workspace' && n.node.ws === ws('acme-prod'));
    assert.equal(prod?.item.label, 'acme-prod', 'the label is the workspace name');
    const notLoaded = tree.find((n) => n.node.kind === 'accountMessage' && n.node.message === 'notLoaded');
    assert.equal(notLoaded?.item.label, 'new-workspace');
    assert.match(String(notLoaded?.item.description), /provisioning/);

    // the workspace whose principal is not assigned: its error says so (the account's assignments were read)
    await waitUntil(() => a.services.model.peek(ws('partner-lab'))?.kind === 'error', 'partner-lab to fail');
    const lab = (await walkTree()).find((n) => n.node.kind === 'message' && n.node.ws === ws('partner-lab') && n.node.message === 'error');
    assert.match(String(lab?.item.label), /not assigned to this workspace/);
    // the principal as the account console lists it: its name (looked up once in the account's SCIM), then its application id
    assert.match(String(lab?.item.label), /: fleet-admin \([0-9a-f-]{36}\) is not assigned to this workspace/);
    assert.ok(acct.requests.some((r) => /\/permissionassignments$/.test(r.path)));
  });

  it('each workspace mints its own token at its /oidc/v1/token; the account token never reaches a workspace', async () => {
    const a = await api();
    await waitUntil(() => a.services.model.peek(ws('acme-prod'))?.kind === 'ready', 'acme-prod to load');
    const prod = acct.workspace('acme-prod').core;
    assert.ok(prod.requests.some((r) => r.path === '/oidc/v1/token' && r.status === 200));
    const api2 = prod.requests.filter((r) => r.path.startsWith('/api/'));
    assert.ok(api2.length > 0 && api2.every((r) => r.auth === acct.admin.applicationId), 'every workspace request is signed with a workspace token of the principal');
    assert.ok(api2.every((r) => r.status !== 401));
    // the account token: one for Add Account's sign-in check, one for the model's client — then cached
    const tokens = (): number => acct.requests.filter((r) => r.path.includes('/oidc/accounts/')).length;
    const before = tokens();
    await vscode.commands.executeCommand('partnerConnect.refreshAccount', { kind: 'account', account: ACCOUNT });
    assert.ok(acct.requests.some((r) => r.path.endsWith('/workspaces')), 'listed again');
    assert.equal(tokens(), before, 'the account token is cached');
    assert.ok(before <= 2);
  });

  it("a workspace's second refresh reads no record its folder listing shows unchanged", async () => {
    const a = await api();
    const name = ws('acme-prod');
    await waitUntil(() => a.services.model.peek(name)?.kind === 'ready', 'acme-prod to load');
    const prod = acct.workspace('acme-prod').core;
    const records = [...prod.state.files.keys()].filter((p) => /^\/\.partner-connect\/[^/]+\.json$/.test(p));
    assert.ok(records.length > 0, 'acme-prod has records');
    const shown = (await a.services.model.snapshot(name)).partners.filter((p) => p.record).map((p) => p.partnerId);
    const from = prod.requests.length;
    await a.services.model.refresh(name);
    const sent = prod.requests.slice(from);
    assert.ok(sent.some((r) => r.path === '/api/2.0/workspace/list' && /^\/\.partner-connect\/?$/.test(r.query?.path ?? '')), 'the folder is listed');
    assert.deepEqual(sent.filter((r) => r.path === '/api/2.0/workspace/export').map((r) => r.query?.path), [], 'no record is read again');
    const again = (await a.services.model.snapshot(name)).partners.filter((p) => p.record).map((p) => p.partnerId);
    assert.deepEqual(again, shown, 'the same partners with a record');
  });

  it('the matrix: strict CSP with a nonce, columns as workspaces arrive, failed columns with reasons, filters, reveal, invalid messages dropped', async () => {
    const a = await api();
    await vscode.commands.executeCommand('partnerConnect.openFleetMatrix', { kind: 'account', account: ACCOUNT });
    const session = a.services.matrixPanels.get(ACCOUNT) as MatrixSession;
    assert.ok(session);
    const panelHtml = a.services.matrixPanels.panel(ACCOUNT)?.webview.html ?? '';
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(panelHtml)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']{16,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(panelHtml, /dist\/webview\/matrix\.js/);

    await session.receive({ type: 'ready' });
    await waitUntil(async () => {
      const d = await session.data();
      return d.progress.loaded === d.progress.total;
    }, 'every column to settle', 120_000);
    const from = session.sent.length;
    await session.receive({ type: 'setFilter', filter: { states: [], categories: [], expiringWithinDays: null } });
    const data = (await lastOf(session.sent, 'data', from)) as Extract<HostToMatrix, { type: 'data' }>;
    assert.equal(data.data.columns.length, 13);
    const col = (name: string) => data.data.columns.find((c) => c.name === name);
    assert.equal(col('partner-lab')?.status, 'failed');
    assert.equal(col('partner-lab')?.reasonCode, 'not-assigned');
    assert.equal(col('gateway-broken')?.reasonCode, 'gateway');
    assert.equal(col('new-workspace')?.reasonCode, 'not-running');
    assert.equal(col('finance-restricted')?.reasonCode, 'not-admin');
    const dataiku = data.data.rows.find((r) => r.partnerId === 'dataiku');
    const idx = data.data.columns.findIndex((c) => c.name === 'acme-prod');
    assert.equal(dataiku?.cells[idx].state, 'connected');
    assert.ok((dataiku?.accountPrincipals ?? 0) >= 2, 'the account SCIM call found its principals');

    const f2 = session.sent.length;
    await session.receive({ type: 'setFilter', filter: { states: ['degraded'], categories: [], expiringWithinDays: null } });
    const filtered = (await lastOf(session.sent, 'data', f2)) as Extract<HostToMatrix, { type: 'data' }>;
    assert.ok(filtered.data.rows.length > 0 && filtered.data.rows.every((r) => r.cells.some((c) => c.state === 'degraded')));
    const f3 = session.sent.length;
    await session.receive({ type: 'setFilter', filter: { states: [], categories: [], expiringWithinDays: 7 } });
    const expiring = (await lastOf(session.sent, 'data', f3)) as Extract<HostToMatrix, { type: 'data' }>;
    assert.deepEqual(expiring.data.rows.map((r) => r.partnerId).sort(), ['qlik-sense', 'sigma']);

    const before = session.sent.length;
    await session.receive({ type: 'setFilter', filter: { states: ['no-such-state'] } });
    await session.receive({ type: 'nonsense' });
    assert.equal(session.sent.length, before, 'invalid messages are dropped, nothing is posted');

    await session.receive({ type: 'reveal', key: ws('acme-prod'), partnerId: 'dataiku' });
    await waitUntil(() => session.revealed.some((r) => r.partnerId === 'dataiku'), 'the reveal');
    const sel = a.services.treeView.selection[0];
    assert.ok(sel && sel.kind === 'partner' && sel.partnerId === 'dataiku' && sel.ws === ws('acme-prod'), JSON.stringify(sel));
    await session.receive({ type: 'setFilter', filter: { states: [], categories: [], expiringWithinDays: null } });
  });

  it('connects Hex to three workspaces through the bulk view: one form, a preview per workspace, the run, the cells change', async () => {
    const a = await api();
    const hex = (await a.services.model.catalog()).require('hex');
    const session = a.services.bulkPanels.open(ACCOUNT, 'connect', hex) as BulkSession;
    await session.receive({ type: 'ready' });
    const form = (await lastOf(session.sent, 'form')) as Extract<HostToBulk, { type: 'form' }>;
    const row = (name: string) => form.workspaces.find((w) => w.key === ws(name))!;
    assert.equal(row('acme-staging').selectable, false, 'Hex is there already');
    assert.match(row('acme-staging').reason ?? '', /Hex here already/);
    assert.equal(row('partner-lab').selectable, false);
    assert.equal(row('acme-prod').selectable, true);
    assert.equal(row('acme-prod').defaults.catalog, 'acme_prod');
    const picks = ['acme-prod', 'acme-dev', 'legacy-reporting'].map((n) => ({ key: ws(n), catalog: row(n).defaults.catalog, schemas: row(n).defaults.schemas, warehouse: row(n).defaults.warehouse }));
    const p0 = session.sent.length;
    await session.receive({ type: 'preview', choices: picks });
    const preview = (await lastOf(session.sent, 'preview', p0)) as Extract<HostToBulk, { type: 'preview' }>;
    assert.deepEqual(preview.items.map((i) => i.status), ['ready', 'ready', 'ready']);
    assert.ok(preview.items.every((i) => i.lines.some((l) => /HEX_USER/.test(l))));
    assert.match(preview.confirmLabel, /3 workspace/);
    for (const n of ['acme-prod', 'acme-dev', 'legacy-reporting']) assert.ok(![...acct.workspace(n).core.state.servicePrincipals.values()].some((sp) => sp.displayName === 'HEX_USER'), 'the preview created nothing');

    // each connect takes a while (its principal is answered after 300 ms): long enough for the view's
    // progress (sent at most every 100 ms) to show the workspaces running, however fast the machine
    for (const n of ['acme-prod', 'acme-dev', 'legacy-reporting']) acct.workspace(n).core.faults.add({ method: 'POST', path: '/api/2.0/preview/scim/v2/ServicePrincipals', delayMs: 300, times: 1 });
    await withPrompter(async () => {
      const r0 = session.sent.length;
      await session.receive({ type: 'run' });
      await session.settled();
      const result = (await lastOf(session.sent, 'result', r0)) as Extract<HostToBulk, { type: 'result' }>;
      assert.deepEqual(result.items.map((i) => `${i.workspace}:${i.status}`), ['acme-dev:done', 'acme-prod:done', 'legacy-reporting:done'], JSON.stringify(result.items));
      assert.ok(session.sent.some((m) => m.type === 'progress' && m.items.some((x) => x.phase === 'running')), 'progress per workspace');
      // Hex hands off through the Partner Connect protocol here: its token went to the partner, never to the view
      assert.deepEqual(result.items.flatMap((i) => i.secrets), []);
      assert.ok(!JSON.stringify(session.sent).includes('dapi'), 'no token value in any message');
    });
    for (const n of ['acme-prod', 'acme-dev', 'legacy-reporting']) assert.ok([...acct.workspace(n).core.state.servicePrincipals.values()].some((sp) => sp.displayName === 'HEX_USER'), `${n}: HEX_USER exists`);

    // the matrix follows
    const matrix = a.services.matrixPanels.get(ACCOUNT) ?? a.services.matrixPanels.open(ACCOUNT);
    await waitUntil(async () => {
      const d = await matrix.data();
      const hexRow = d.rows.find((r) => r.partnerId === 'hex');
      return ['acme-prod', 'acme-dev', 'legacy-reporting'].every((n) => hexRow?.cells[d.columns.findIndex((c) => c.name === n)].state === 'connected');
    }, 'the Hex cells to show connected', 60_000);
  });

  it('rotates the credentials expiring within 7 days: one modal confirmation, each new credential copied once', async () => {
    const a = await api();
    const session = a.services.bulkPanels.open(ACCOUNT, 'rotate', null, { days: 7 }) as BulkSession;
    await session.receive({ type: 'ready' });
    const preview = (await lastOf(session.sent, 'preview')) as Extract<HostToBulk, { type: 'preview' }>;
    const ready = preview.items.filter((i) => i.status === 'ready').map((i) => i.workspace).sort();
    assert.deepEqual(ready, ['acme-staging', 'analytics-us', 'legacy-reporting']);
    assert.ok(preview.items.some((i) => i.workspace === 'partner-lab' && i.status === 'skip'), 'a workspace that did not load is named, not rotated');
    await withPrompter(async (p) => {
      p.answer('fleetRotate', false);
      await session.receive({ type: 'run' });
      assert.equal(p.of('confirm', 'fleetRotate').length, 1);
      assert.ok(!session.sent.some((m) => m.type === 'result'), 'declined: nothing ran');
      p.answer('fleetRotate', true);
      const r0 = session.sent.length;
      await session.receive({ type: 'run' });
      await session.settled();
      const result = (await lastOf(session.sent, 'result', r0)) as Extract<HostToBulk, { type: 'result' }>;
      assert.deepEqual(result.items.filter((i) => i.status === 'done').map((i) => i.workspace).sort(), ready, JSON.stringify(result.items));
      const secrets = result.items.flatMap((i) => i.secrets.map((x) => ({ key: i.key, id: x.id })));
      assert.equal(secrets.length, 3, 'one new credential per rotated partner, to copy once');
      await session.receive({ type: 'copySecret', key: secrets[0].key, id: secrets[0].id });
      assert.equal(p.of('clipboard').length, 1);
      await session.receive({ type: 'copySecret', key: secrets[0].key, id: secrets[0].id });
      assert.equal(p.of('clipboard').length, 1, 'only once');
      assert.ok(p.clipboard && !JSON.stringify(session.sent).includes(p.clipboard), 'the value is never in a message');
    });
  });

  it('offboards Dataiku everywhere: the preview names every deletion, the modal has Keep as default, then each workspace reports', async () => {
    const a = await api();
    const dataiku = (await a.services.model.catalog()).require('dataiku');
    const session = a.services.bulkPanels.open(ACCOUNT, 'offboard', dataiku, { mode: 'reset' }) as BulkSession;
    await session.receive({ type: 'ready' });
    const preview = (await lastOf(session.sent, 'preview')) as Extract<HostToBulk, { type: 'preview' }>;
    const ready = preview.items.filter((i) => i.status === 'ready');
    assert.ok(ready.length >= 4, JSON.stringify(preview.items.map((i) => `${i.workspace}:${i.status}`)));
    assert.ok(ready.every((i) => i.lines.some((l) => /delete permanently: Service principal DATAIKU_USER/.test(l))));
    assert.ok(preview.items.some((i) => i.workspace === 'acme-dev' && i.status === 'skip'), 'nothing of Dataiku there');
    assert.ok(preview.notes.some((n) => /principal\(s\) named DATAIKU_USER/.test(n)), 'the account principals are named');
    await withPrompter(async (p) => {
      p.answer('fleetOffboard', true);
      const r0 = session.sent.length;
      await session.receive({ type: 'run' });
      await session.settled();
      const asked = p.of('confirm', 'fleetOffboard')[0];
      assert.deepEqual(asked.actions, ['Keep Everything', 'Delete'], 'the safe button first');
      const result = (await lastOf(session.sent, 'result', r0)) as Extract<HostToBulk, { type: 'result' }>;
      assert.deepEqual(result.items.filter((i) => i.status === 'done').map((i) => i.workspace).sort(), ready.map((i) => i.workspace).sort());
    });
    for (const i of ready) {
      const w = acct.workspace(i.workspace).core.state;
      assert.ok(![...w.servicePrincipals.values()].some((sp) => sp.displayName === 'DATAIKU_USER'), `${i.workspace}: DATAIKU_USER deleted`);
    }
  });

  it('exports the fleet report as CSV (save dialog) and Markdown (an editor), without a secret', async () => {
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fleet-report-')), 'fleet.csv');
    await withPrompter(async (p) => {
      p.answer('fleet.reportFormat', 'csv').answer('fleetReport', vscode.Uri.file(file));
      await vscode.commands.executeCommand('partnerConnect.exportFleetReport', { kind: 'account', account: ACCOUNT });
      const csv = fs.readFileSync(file, 'utf8');
      assert.match(csv.split('\r\n')[0], /^account,workspace,workspaceId,host,partnerId/);
      assert.ok(csv.includes(`${ACCOUNT},partner-lab,`) && /not-assigned/.test(csv));
      assert.ok(!csv.includes(acct.admin.secret));
      p.answer('fleet.reportFormat', 'markdown');
      await vscode.commands.executeCommand('partnerConnect.exportFleetReport', { kind: 'account', account: ACCOUNT });
      const doc = p.of('document', 'fleetReport')[0];
      assert.match(doc?.content ?? '', /# Partner Connect fleet report: Suite account/);
    });
  });

  it('the demo bootstrap (npm run demo -- --fleet) adds the account for the session only, its secret in secret storage', async () => {
    const a = await api();
    const { bootstrapFromEnvironment } = await import('../../src/vscode/dev/bootstrap');
    const name = 'Demo bootstrap account';
    await bootstrapFromEnvironment(a.services.store, a.services.log, {
      PC_DEMO_ACCOUNT_HOST: acct.url,
      PC_DEMO_ACCOUNT_ID: acct.accountId,
      PC_DEMO_ACCOUNT_CLIENT_ID: acct.admin.applicationId,
      PC_DEMO_ACCOUNT_CLIENT_SECRET: acct.admin.secret,
      PC_DEMO_ACCOUNT_NAME: name,
    }, a.services.accounts);
    try {
      assert.equal(a.services.accounts.get(name)?.authType, 'oauth-m2m');
      const saved = JSON.stringify(vscode.workspace.getConfiguration('partnerConnect').inspect('accounts')?.globalValue ?? []);
      assert.ok(!saved.includes(name), 'a session account is not written to the settings');
      assert.equal(await a.services.accounts.getSecret(name), acct.admin.secret);
      await waitUntil(() => a.services.fleet.state(name).kind === 'ready', 'the bootstrapped account to list its workspaces');
      assert.equal(a.services.fleet.chosen(name).length, 13);
    } finally {
      await a.services.accounts.remove(name);
    }
  });
});
