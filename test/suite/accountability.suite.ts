/**
 * Accountable connections from the UI: Export as Terraform (one connection, fleet), the history,
 * audit events and the drift watch — commands driven with a scripted prompter against the emulator.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostToConnect } from '../../src/shared/protocol/connect';
import { adminClient, api, demoWorkspace, engineConnect, engineReset, freePartner, partnerNode, requireEnv, statusOf, withPrompter } from './ui-support/env';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait';

const ws = (): string => demoWorkspace();

function errorsOf(p: { of(kind: 'notify'): Array<{ severity?: string; message?: string }> }): Array<{ message?: string }> {
  return p.of('notify').filter((n) => n.severity === 'error');
}

/** A free read partner, connected with the engine (reset after the suite). */
async function connectedPartner(used: string[]): Promise<{ id: string; st: Awaited<ReturnType<typeof statusOf>> }> {
  const id = await freePartner();
  used.push(id);
  await engineConnect(id);
  return { id, st: await statusOf(id) };
}

/** Sends `connect` to the partner's connect form host, as the webview would, and waits for the result. */
async function connectInForm(partnerId: string, form: unknown): Promise<void> {
  const a = await api();
  const s = a.services.connectPanels.open(ws(), (await a.services.model.catalog()).require(partnerId));
  try {
    const isResult = (m: HostToConnect): m is Extract<HostToConnect, { type: 'result' }> => m.type === 'result';
    const from = s.sent.length;
    await s.receive({ type: 'connect', form });
    await waitUntil(() => s.sent.slice(from).some(isResult), 'the connect result');
  } finally {
    a.services.connectPanels.panel(ws(), partnerId)?.dispose();
  }
}

describe('Accountable connections', function () {
  this.timeout(120_000);
  const used: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-export-'));
  after(async () => {
    for (const id of used) await engineReset(id);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('History', () => {
    it('Disconnect from the tree records an entry; Show History on the partner lists it with the deleted ids', async () => {
      const { id, st } = await connectedPartner(used);
      const sp = st.servicePrincipal!;
      await withPrompter(async (p) => {
        p.answer('disconnect', true);
        await vscode.commands.executeCommand('partnerConnect.disconnect', partnerNode(ws(), st));
        assert.deepEqual(errorsOf(p), []);
      });
      const after = await statusOf(id);
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.showHistory', partnerNode(ws(), after));
        const doc = p.of('document', 'history')[0]?.content ?? '';
        assert.match(doc, /^# History of .* in /);
        assert.match(doc, /\| Disconnect \| succeeded \| ava\.admin@acme\.example \|/);
        assert.match(doc, new RegExp(`deleted: .*service principal ${sp.displayName} \\(${sp.id}\\)`));
        assert.ok(!doc.includes(requireEnv('PC_EMULATOR_ADMIN_TOKEN')));
      });
    });

    it('a connect refused by the workspace still records its failure; the palette asks for the partner or the whole workspace', async () => {
      await connectInForm('preset', { catalog: 'acme_prod', schemas: ['default'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } });
      await withPrompter(async (pr) => {
        pr.answer('showHistory.partner', (options: Array<{ label: string; value: unknown }>) => options.find((o) => o.label.startsWith('Every connection'))?.value);
        await vscode.commands.executeCommand('partnerConnect.showHistory');
        assert.deepEqual(errorsOf(pr), []);
        const doc = pr.of('document', 'history')[0]?.content ?? '';
        assert.match(doc, /\| Preset \| Connect \| failed \| ava\.admin@acme\.example \| error: .*default catalog/);
      });
    });

    it('the connection report has the workspace\'s history', async () => {
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.exportReport');
        const doc = p.of('document', 'report')[0]?.content ?? '';
        assert.match(doc, /### History\n\n\| When \| Partner \| Action \| Outcome \| By \| What \|/);
        assert.match(doc, /\| Disconnect \| succeeded \|/);
      });
    });

    it('the inspect view lists the connection\'s history', async () => {
      const id = await freePartner();
      used.push(id);
      const a = await api();
      await withPrompter(() => connectInForm(id, { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } }));
      const session = a.services.inspectPanels.open(ws(), (await a.services.model.catalog()).require(id));
      await session.load();
      const data = session.sent.filter((m) => m.type === 'data').pop();
      assert.ok(data && data.type === 'data');
      const items = data.data.history?.items ?? [];
      assert.equal(items[0]?.action, 'Connect');
      assert.equal(items[0]?.outcome, 'succeeded');
      assert.ok(items[0]?.details.some((d) => /created: .*service principal/.test(d)));
    });
  });

  describe('Audit events', () => {
    it('right-click: the principal\'s events from system.access.audit on the chosen running warehouse', async () => {
      const { st } = await connectedPartner(used);
      const sp = st.servicePrincipal!;
      await withPrompter(async (p) => {
        p.answer('auditEvents.warehouse', 'Starter Warehouse').answer('auditEvents.days', '30 days');
        await vscode.commands.executeCommand('partnerConnect.showAuditEvents', partnerNode(ws(), st));
        assert.deepEqual(errorsOf(p), []);
        assert.equal(p.of('pick', 'auditEvents.warehouse')[0]?.labels?.[0], 'Starter Warehouse', 'a running warehouse first');
        const doc = p.of('document', 'auditEvents')[0]?.content ?? '';
        assert.match(doc, new RegExp(`^# Audit events of ${sp.displayName}`));
        assert.match(doc, /## Token creation and deletion \(\d+\)/);
        assert.match(doc, /\| accounts \| generateDbToken \| ava\.admin@acme\.example \|/);
        assert.match(doc, /## Permission changes/);
        assert.equal(p.of('confirm', 'auditEvents.startWarehouse').length, 0, 'a running warehouse needs no question');
      });
    });

    it('from the palette: a stopped warehouse is started only after asking; declining starts nothing', async () => {
      const { st } = await connectedPartner(used);
      const before = (await adminClient().listWarehouses()).find((w) => w.name === 'Legacy Classic');
      assert.equal(before?.state, 'STOPPED');
      await withPrompter(async (p) => {
        p.answer('partner', st.partner.displayName).answer('workspace', ws()).answer('auditEvents.warehouse', 'Legacy Classic').answer('auditEvents.days', '7 days').answer('auditEvents.startWarehouse', false);
        await vscode.commands.executeCommand('partnerConnect.showAuditEvents');
        assert.deepEqual(errorsOf(p), []);
        assert.match(p.of('confirm', 'auditEvents.startWarehouse')[0]?.message ?? '', /Start the SQL warehouse Legacy Classic/);
        assert.equal(p.of('document', 'auditEvents').length, 0);
      });
      assert.equal((await adminClient().listWarehouses()).find((w) => w.name === 'Legacy Classic')?.state, 'STOPPED');
    });
  });

  describe('Drift watch', () => {
    afterEach(async () => {
      const c = vscode.workspace.getConfiguration('partnerConnect.driftWatch');
      await c.update('enabled', undefined, vscode.ConfigurationTarget.Global);
      await c.update('intervalMinutes', undefined, vscode.ConfigurationTarget.Global);
    });

    it('is off by default; on, a check notifies a connection that became degraded, with the action to take, and counts it on the badge', async () => {
      const a = await api();
      assert.equal(a.services.driftWatch.settings.enabled, false, 'opt-in');
      assert.equal(a.services.treeView.badge, undefined);
      const { id, st } = await connectedPartner(used);
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.toggleDriftWatch');
        assert.match(p.of('notify', 'driftWatch.toggled')[0]?.message ?? '', /Drift watch on: every 60 minutes/);
      });
      await waitUntil(() => a.services.driftWatch.settings.enabled, 'the watch to be on');
      await a.services.driftWatch.check(); // the states known before the change
      for (const t of st.tokens) await adminClient().deleteToken(t.tokenId);
      await withPrompter(async (p) => {
        const changes = await a.services.driftWatch.check();
        const mine = changes.find((c) => c.partnerId === id);
        assert.deepEqual([mine?.from, mine?.to], ['connected', 'degraded']);
        await waitUntil(() => p.of('notify', 'driftWatch.changed').some((n) => (n.message ?? '').includes(st.partner.displayName)), 'the notification');
        const n = p.of('notify', 'driftWatch.changed').find((x) => (x.message ?? '').includes(st.partner.displayName));
        assert.match(n?.message ?? '', /changed from connected to degraded/);
        assert.deepEqual(n?.actions?.slice(0, 1), ['Rotate Token…']);
      });
      const badge = a.services.treeView.badge as vscode.ViewBadge | undefined;
      assert.ok(badge && badge.value >= 1, 'a badge on the view');
      assert.match(badge.tooltip, new RegExp(`${st.partner.displayName} in ${ws()} is degraded`));
      assert.ok(a.services.driftWatch.problems.some((x) => x.partnerId === id && x.kind === 'degraded'));

      // the status bar's problem list runs the chosen action on the partner
      await withPrompter(async (p) => {
        p.answer('driftWatch.problem', (options: Array<{ label: string; value: { partnerId: string } }>) => options.find((o) => o.value.partnerId === id)?.value);
        p.answer('driftWatch.action', 'Inspect…');
        await vscode.commands.executeCommand('partnerConnect.showDriftProblems');
        assert.deepEqual(errorsOf(p), []);
      });
      assert.ok(a.services.inspectPanels.get(ws(), id), 'the inspect view opened');
      a.services.inspectPanels.dispose();

      await withPrompter(async () => {
        await vscode.commands.executeCommand('partnerConnect.toggleDriftWatch');
      });
      await waitUntil(() => !a.services.driftWatch.settings.enabled, 'the watch to be off');
      assert.equal(a.services.treeView.badge, undefined);
    });

    it('never checks more often than every 15 minutes, and a check never starts a warehouse', async () => {
      const a = await api();
      const c = vscode.workspace.getConfiguration('partnerConnect.driftWatch');
      await c.update('intervalMinutes', 1, vscode.ConfigurationTarget.Global);
      await waitUntil(() => a.services.driftWatch.settings.intervalMinutes === 15, 'the interval clamped to 15 minutes');
      const before = (await adminClient().listWarehouses()).map((w) => [w.id, w.state]);
      await withPrompter(async (p) => {
        p.answer('driftWatch.problem', undefined);
        await vscode.commands.executeCommand('partnerConnect.checkNow');
      });
      assert.deepEqual((await adminClient().listWarehouses()).map((w) => [w.id, w.state]), before);
    });
  });

  describe('Export as Terraform', () => {
    it('right-click on a connection writes HCL with the real ids and import blocks, never the token', async () => {
      const { id, st } = await connectedPartner(used);
      const sp = st.servicePrincipal!;
      const file = path.join(dir, `${id}.tf`);
      await withPrompter(async (p) => {
        p.answer('exportTerraform', vscode.Uri.file(file));
        await vscode.commands.executeCommand('partnerConnect.exportTerraform', partnerNode(ws(), st));
        assert.deepEqual(errorsOf(p), []);
        assert.match(p.of('save', 'exportTerraform')[0]?.message ?? '', new RegExp(`${id}\\.tf$`));
        assert.match(p.of('notify', 'exportTerraform.done')[0]?.message ?? '', /Exported \d+ resource\(s\)/);
      });
      const hcl = fs.readFileSync(file, 'utf8');
      assert.match(hcl, new RegExp(`to\\s+= databricks_service_principal\\.${id.replace(/-/g, '_')}_sp\\n\\s+id\\s+= "${sp.id}"`));
      assert.match(hcl, new RegExp(`id\\s+= "/authorization/tokens/${sp.applicationId}"`));
      assert.ok(!hcl.includes(requireEnv('PC_EMULATOR_ADMIN_TOKEN')));
      assert.match(hcl, /host\s+= "http:\/\/127\.0\.0\.1:\d+"/);
    });

    it('from the palette, the fleet export covers the chosen workspaces with one provider alias each', async () => {
      const file = path.join(dir, 'fleet.tf');
      await withPrompter(async (p) => {
        p.answer('exportTerraformFleet.workspaces', [ws()]);
        p.answer('exportTerraformFleet', vscode.Uri.file(file));
        await vscode.commands.executeCommand('partnerConnect.exportTerraformFleet');
        assert.deepEqual(errorsOf(p), []);
      });
      const hcl = fs.readFileSync(file, 'utf8');
      assert.equal((hcl.match(/^provider "databricks" \{/gm) ?? []).length, 1);
      assert.match(hcl, /^resource "databricks_service_principal" /m);
    });
  });
});
