/**
 * The Partners tree against the emulator, in every engine state: icons and colours, descriptions,
 * tooltips, contextValues, detail nodes, loading / error / 403 nodes with Retry, filter, cache.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connect, disconnect, type CatalogPartner, type ConnectChoices } from '../../src/domain';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait';
import { READ_CHOICES as SHARED_READ } from './ui-support/env';
import { adminClient, api, connectOutside, demoWorkspace, freePartner, seedToken, statusOf, walkTree, withPrompter } from './ui-support/env';

async function partner(id: string): Promise<CatalogPartner> {
  return (await api()).services.model.catalog().then((c) => c.require(id));
}

async function engineConnect(id: string, choices: ConnectChoices): Promise<void> {
  const a = await api();
  const ws = demoWorkspace();
  const p = await partner(id);
  await connect(await a.services.model.engineContext(ws), p, choices, { partnerCredentials: await a.services.store.getPartnerCredential(p.id) });
}

const READ_CHOICES: ConnectChoices = SHARED_READ;

describe('Partners tree', function () {
  this.timeout(120_000);
  const arranged: string[] = [];
  /** partner id per arranged state */
  const S = { connected: '', outside: '', checkMark: '', degraded: '' };

  before(async () => {
    const a = await api();
    const ws = demoWorkspace();
    // connected
    S.connected = await freePartner();
    arranged.push(S.connected);
    await engineConnect(S.connected, READ_CHOICES);
    // connected outside this extension: the principal exists, no record
    S.outside = await freePartner(['thoughtspot', 'preset', 'atscale']);
    arranged.push(S.outside);
    await connectOutside(S.outside);
    // check mark only: connected, then the service principal deleted (the seed's manual disconnect)
    S.checkMark = await freePartner();
    arranged.push(S.checkMark);
    await engineConnect(S.checkMark, READ_CHOICES);
    await disconnect(await a.services.model.engineContext(ws), await partner(S.checkMark), 'service-principal-only');
    // degraded: connected, then its token deleted behind the extension's back
    S.degraded = await freePartner();
    arranged.push(S.degraded);
    await engineConnect(S.degraded, READ_CHOICES);
    const st = await statusOf(S.degraded);
    for (const t of st.tokens) await adminClient().deleteToken(t.tokenId);
    await a.services.model.refresh(ws);
  });

  after(async () => {
    const a = await api();
    const ws = demoWorkspace();
    for (const id of arranged) {
      await disconnect(await a.services.model.engineContext(ws), await partner(id), 'reset').catch(() => undefined);
    }
    await a.services.model.refresh(ws);
  });

  it('shows the demo workspace with the signed-in user and roles, and categories', async () => {
    const nodes = await walkTree();
    const ws = nodes.find((n) => n.node.kind === 'workspace' && n.node.ws === demoWorkspace());
    assert.ok(ws, 'the demo workspace is a root node');
    assert.equal(ws.item.description, 'ava.admin@acme.example · workspace admin');
    assert.equal(ws.item.contextValue, 'workspace.ready');
    assert.ok(ws.item.id);
    const tip = ws.item.tooltip as vscode.MarkdownString;
    assert.match(tip.value, /Metastore admin: no/);
    const categories = nodes.filter((n) => n.node.kind === 'category').map((n) => String(n.item.label));
    assert.ok(categories.includes('Data ingestion'));
    assert.ok(categories.includes('BI and visualization'));
  });

  it('gives each state its icon, colour, description, tooltip and contextValue', async () => {
    const nodes = await walkTree();
    const byPartner = new Map(nodes.filter((n) => n.node.kind === 'partner').map((n) => [(n.node as { partnerId: string }).partnerId, n.item]));
    const spName = async (id: string) => (await partner(id)).servicePrincipalName ?? '';
    const expectations: Array<[string, string, string, RegExp, RegExp]> = [
      [S.connected, 'pass-filled', 'testing.iconPassed', new RegExp(`^connected · ${await spName(S.connected)}$`), /^partner\.connected\.sp\.token\.record\.compute/],
      [S.outside, 'link-external', 'charts.blue', /^connected outside this extension$/, /^partner\.connected-outside\.sp\.token/],
      [S.checkMark, 'check', 'charts.yellow', /^check mark only/, /^partner\.check-mark-only\.record/],
      [S.degraded, 'warning', 'problemsWarningIcon.foreground', /^degraded · token (missing|revoked)/, /^partner\.degraded\.sp\.record/],
      ['fivetran', 'circle-large-outline', 'disabledForeground', /^$/, /^partner\.not-connected\..*signin/],
    ];
    for (const [id, icon, color, desc, cv] of expectations) {
      const item = byPartner.get(id);
      assert.ok(item, `${id} is in the tree`);
      const themeIcon = item.iconPath as vscode.ThemeIcon;
      assert.equal(themeIcon.id, icon, `${id} icon`);
      assert.equal((themeIcon.color as vscode.ThemeColor).id, color, `${id} colour`);
      assert.match(String(item.description ?? ''), desc, `${id} description: ${String(item.description)}`);
      assert.match(item.contextValue ?? '', cv, `${id} contextValue: ${item.contextValue}`);
      assert.ok(item.tooltip instanceof vscode.MarkdownString, `${id} has a Markdown tooltip`);
    }
    const degradedTip = (byPartner.get(S.degraded)?.tooltip as vscode.MarkdownString).value;
    assert.match(degradedTip, /\*\*Degraded\*\*/);
    assert.match(degradedTip, /token/i);
    // stable ids: the same node has the same id on every render
    const again = await walkTree();
    assert.deepEqual(again.map((n) => n.item.id), nodes.map((n) => n.item.id));
    assert.equal(new Set(nodes.map((n) => n.item.id)).size, nodes.length, 'ids are unique');
  });

  it('shows a connected partner’s principal, token, compute, catalog and schemas, and grants', async () => {
    const nodes = await walkTree();
    const census = nodes.filter((n) => n.node.kind === 'detail' && (n.node as { partnerId: string }).partnerId === S.connected);
    const kinds = census.map((n) => (n.node as { detail: string }).detail);
    for (const k of ['sp', 'token', 'compute', 'catalog', 'schema', 'grants', 'record']) assert.ok(kinds.includes(k), `${S.connected} has a ${k} node (has ${kinds.join(', ')})`);
    const sp = census.find((n) => (n.node as { detail: string }).detail === 'sp');
    assert.equal(sp?.item.label, (await partner(S.connected)).servicePrincipalName);
    assert.equal(sp?.item.contextValue, 'detail.sp.link');
    const token = census.find((n) => (n.node as { detail: string }).detail === 'token');
    assert.match(String(token?.item.description), /expires (?!never)\S/, 'a capped token shows its expiry date');
    const compute = census.find((n) => (n.node as { detail: string }).detail === 'compute');
    assert.equal(compute?.item.label, 'Starter Warehouse');
    assert.equal(compute?.item.contextValue, 'detail.warehouse.link');
    const schema = census.find((n) => (n.node as { detail: string }).detail === 'schema');
    assert.equal(schema?.item.label, 'marketing');
    // not-connected partners have no children
    assert.equal(nodes.filter((n) => n.node.kind === 'detail' && (n.node as { partnerId: string }).partnerId === 'fivetran').length, 0);
  });

  it('opens the workspace page of the service principal and the warehouse', async () => {
    const a = await api();
    const nodes = await walkTree();
    const sp = nodes.find((n) => n.node.kind === 'detail' && (n.node as { partnerId: string; detail: string }).partnerId === S.connected && (n.node as { detail: string }).detail === 'sp');
    const wh = nodes.find((n) => n.node.kind === 'detail' && (n.node as { partnerId: string; detail: string }).partnerId === S.connected && (n.node as { detail: string }).detail === 'compute');
    const st = await a.services.model.status(demoWorkspace(), S.connected);
    await withPrompter(async (p) => {
      await vscode.commands.executeCommand('partnerConnect.openInWorkspace', sp?.node);
      await vscode.commands.executeCommand('partnerConnect.openInWorkspace', wh?.node);
      const urls = p.of('open').map((x) => x.url);
      const host = (await a.services.model.snapshot(demoWorkspace())).host;
      assert.deepEqual(urls, [`${host}/settings/workspace/identity-and-access/service-principals/${st.servicePrincipal?.id}`, `${host}/sql/warehouses/${STARTER_WAREHOUSE}`]);
    });
  });

  it('shows a loading node on the first load only; a refresh keeps the partners on screen and caches results', async () => {
    const a = await api();
    const ws = demoWorkspace();
    await a.services.model.snapshot(ws);
    const before = a.services.model.detections;
    await walkTree();
    await walkTree();
    assert.equal(a.services.model.detections, before, 'rendering the tree does not reload');
    const shown = a.services.tree.getChildren({ kind: 'workspace', ws }) ?? [];
    assert.ok(shown.some((n) => n.kind === 'category'));
    const refreshing = a.services.model.refresh(ws);
    assert.equal(a.services.model.isRefreshing(ws), true);
    const during = a.services.tree.getChildren({ kind: 'workspace', ws }) ?? [];
    assert.deepEqual(during, shown, 'no "Loading partners…" flash: the same nodes stay while the workspace is read again');
    assert.ok(during.every((n, i) => n === shown[i]), 'the very same node objects (VS Code keeps their expansion)');
    await refreshing;
    assert.equal(a.services.model.detections, before + 1);
    await vscode.commands.executeCommand('partnerConnect.refresh');
    assert.ok(a.services.model.detections >= before + 2, 'the Refresh command reloads');
    // a workspace seen for the first time shows the loading node until its first snapshot
    const host = process.env.PC_EMULATOR_URL ?? '';
    await a.services.store.add({ name: 'First load', host, authType: 'pat' }, { token: process.env.PC_EMULATOR_ADMIN_TOKEN ?? '' }, { session: true });
    try {
      const first = a.services.tree.getChildren({ kind: 'workspace', ws: 'First load' }) ?? [];
      assert.deepEqual(first, [{ kind: 'message', ws: 'First load', message: 'loading' }]);
      const item = a.services.tree.getTreeItem(first[0]) as vscode.TreeItem;
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'loading~spin');
      await a.services.model.snapshot('First load');
    } finally {
      await a.services.store.remove('First load');
      await a.services.model.forget('First load');
    }
  });

  it('names the very node object the view holds when a workspace changes (VS Code matches by identity)', async () => {
    const a = await api();
    const ws = demoWorkspace();
    const root = a.services.tree.getChildren() ?? [];
    const wsNode = root.find((n) => n.kind === 'workspace' && n.ws === ws);
    assert.ok(wsNode);
    const fired: unknown[] = [];
    const sub = a.services.tree.onDidChangeTreeData((e) => fired.push(e));
    try {
      await a.services.model.refresh(ws);
    } finally {
      sub.dispose();
    }
    assert.ok(fired.length >= 1, 'the new snapshot was announced');
    for (const f of fired) assert.equal(f, wsNode, 'the event names only this workspace, by the same object getChildren returned (the rest of the tree is kept)');
  });

  it('filters by state and category, and says when nothing matches', async () => {
    const a = await api();
    const ws = demoWorkspace();
    await withPrompter(async (p) => {
      p.answer('filter', ['Connected outside this extension']);
      await vscode.commands.executeCommand('partnerConnect.filter');
      let partners = (await walkTree()).filter((n) => n.node.kind === 'partner').map((n) => (n.node as { partnerId: string }).partnerId);
      const expected = (await a.services.model.snapshot(ws)).partners.filter((x) => x.state === 'connected-outside').map((x) => x.partnerId);
      assert.ok(expected.includes(S.outside));
      assert.deepEqual(partners.sort(), expected.sort());
      const busy = new Set((await a.services.model.snapshot(ws)).partners.filter((x) => x.state === 'connected').map((x) => x.partner.category));
      const emptyCategory = (['SECURITY_AND_GOVERNANCE', 'SEMANTIC_LAYER', 'ML', 'DATA_GOVERNANCE'] as const).find((c) => !busy.has(c));
      assert.ok(emptyCategory);
      p.answer('filter', (options: Array<{ value: unknown }>) =>
        options.filter((o) => JSON.stringify(o.value) === JSON.stringify({ kind: 'state', state: 'connected' }) || JSON.stringify(o.value) === JSON.stringify({ kind: 'category', category: emptyCategory })).map((o) => o.value),
      );
      await vscode.commands.executeCommand('partnerConnect.filter');
      const nodes = await walkTree();
      assert.deepEqual(
        nodes.filter((n) => n.node.kind === 'message' || n.node.kind === 'partner').map((n) => String(n.item.label)),
        ['No partner matches the filter'],
        JSON.stringify(a.services.tree.getFilter()),
      );
      await vscode.commands.executeCommand('partnerConnect.clearFilter');
      partners = (await walkTree()).filter((n) => n.node.kind === 'partner').map((n) => (n.node as { partnerId: string }).partnerId);
      assert.equal(partners.length, (await a.services.model.snapshot(ws)).partners.length);
    });
  });

  it('shows a failing workspace as an error node with Retry; a 403 as the missing role', async () => {
    const a = await api();
    const host = process.env.PC_EMULATOR_URL ?? '';
    await a.services.store.add({ name: 'Wrong token', host, authType: 'pat' }, { token: 'dapi-not-a-valid-token-0000' }, { session: true });
    await a.services.store.add({ name: 'Not an admin', host, authType: 'pat' }, { token: seedToken('noah.user@acme.example') }, { session: true });
    try {
      await a.services.model.refresh('Wrong token');
      await a.services.model.refresh('Not an admin');
      const nodes = await walkTree();
      const errOf = (ws: string) => nodes.find((n) => n.node.kind === 'message' && n.node.ws === ws && n.node.message === 'error');
      const wrong = errOf('Wrong token');
      assert.ok(wrong, 'error node for the wrong token');
      assert.equal(wrong.item.contextValue, 'error.unauthorized');
      assert.match(String(wrong.item.label), /credentials refused/);
      assert.equal(wrong.item.command?.command, 'partnerConnect.retry');
      const noAdmin = nodes.find((n) => n.node.kind === 'workspace' && n.node.ws === 'Not an admin');
      const noAdminError = errOf('Not an admin');
      if (noAdminError) {
        assert.equal(noAdminError.item.contextValue, 'error.forbidden');
        assert.match(String(noAdminError.item.label), /workspace admin role/);
      } else {
        // The engine reads what a non-admin can see; the workspace then says the role is missing.
        assert.match(String(noAdmin?.item.description), /not a workspace admin/);
        const warning = nodes.find((n) => n.node.kind === 'message' && n.node.ws === 'Not an admin' && n.node.message === 'notAdmin');
        assert.ok(warning, 'a warning node explains the missing role');
        assert.equal(warning.item.contextValue, 'message.notAdmin');
        assert.match((warning.item.tooltip as vscode.MarkdownString).value, /not a workspace admin[\s\S]*403/);
      }
      // Retry after fixing the credentials
      await a.services.store.add({ name: 'Wrong token', host, authType: 'pat' }, { token: process.env.PC_EMULATOR_ADMIN_TOKEN ?? '' }, { session: true });
      await a.services.model.forget('Wrong token');
      await vscode.commands.executeCommand('partnerConnect.retry', wrong.node);
      await waitUntil(() => a.services.model.state('Wrong token').kind === 'ready', 'the retried workspace loads');
    } finally {
      await a.services.store.remove('Wrong token');
      await a.services.store.remove('Not an admin');
      await a.services.model.forget('Wrong token');
      await a.services.model.forget('Not an admin');
    }
  });
});
