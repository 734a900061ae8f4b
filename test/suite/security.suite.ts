/**
 * Issue 11 in the real extension host: what the opener makes of a link with VS Code's own URI parser
 * (src/vscode/ui/openUrl.ts), beside the node tests of the one URL parser (test/security/urls.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openableUri } from '../../src/vscode/ui/openUrl';
import { adminClient, api, demoWorkspace, engineReset, freePartner, freshSnapshot, partnerNode, statusOf, walkTree, withPrompter } from './ui-support/env';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

describe('Security', function () {
  this.timeout(30_000);

  it('opens only canonical https links whose vscode.Uri authority is the host the URL parser read', () => {
    for (const url of [
      'https://app.partner.example\\@evil.example/',
      'https://APP.partner.example/',
      'https://user:pw@app.partner.example/',
      'http://app.partner.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://app.partner.example/a b',
      'command:workbench.action.terminal.new',
    ]) {
      const r = openableUri(url);
      assert.equal(r.ok, false, url);
    }
    const ok = openableUri('https://app.partner.example/signin?code=1');
    assert.ok(ok.ok);
    assert.equal(ok.uri.authority, 'app.partner.example');
    assert.equal(ok.uri.scheme, 'https');
    assert.equal(openableUri('http://127.0.0.1:8080/x').ok, true);
  });
});

describe('Security: records', function () {
  this.timeout(120_000);

  const recordOf = (partnerId: string, over: Record<string, unknown>): string =>
    `${JSON.stringify(
      {
        schemaVersion: 1,
        partner: partnerId,
        state: 'connected',
        attemptId: `suite-${partnerId}`,
        servicePrincipal: null,
        tokenId: null,
        compute: { kind: 'warehouse', id: STARTER_WAREHOUSE, name: 'Starter Warehouse', createdForPartner: true },
        catalog: 'analytics',
        schemas: ['marketing'],
        isHive: false,
        connectionId: null,
        connectedBy: 'noah.user@acme.example',
        partnerAccountAdministrator: null,
        connectedAt: new Date().toISOString(),
        extensionVersion: '0.0.0',
        ...over,
      },
      null,
      2,
    )}\n`;

  it('offers to move a record left in /Shared/.partner-connect; the move carries over only what the workspace confirms', async () => {
    const a = await api();
    const id = await freePartner();
    const legacy = `/Shared/.partner-connect/${id}.json`;
    const folder = a.services.model.recordFolder().replace(/\/+$/, '');
    await adminClient().writeWorkspaceFile(legacy, recordOf(id, {}), { overwrite: false });
    try {
      await freshSnapshot();
      const node = (await walkTree()).find((n) => n.node.kind === 'message' && (n.node as { message?: string }).message === 'legacyRecords');
      assert.ok(node, 'no tree item for the old records');
      assert.equal(node.item.command?.command, 'partnerConnect.migrateLegacyRecords');
      await withPrompter(async (p) => {
        p.answer('migrateLegacyRecords', true);
        await vscode.commands.executeCommand('partnerConnect.migrateLegacyRecords', node.node);
        const detail = p.of('confirm', 'migrateLegacyRecords')[0]?.detail ?? '';
        assert.match(detail, /NOT created for/);
        assert.match(p.of('notify', 'migrateLegacyRecords.done')[0]?.message ?? '', /Moved 1 old connection record/);
      });
      assert.equal(await adminClient().readWorkspaceFile(legacy), null, 'the legacy record is still there');
      const moved = JSON.parse((await adminClient().readWorkspaceFile(`${folder}/${id}.json`)) ?? '{}') as { compute?: { createdForPartner?: boolean } };
      assert.equal(moved.compute?.createdForPartner, false, 'the production warehouse became a deletion target');
    } finally {
      await adminClient().deleteWorkspaceFile(legacy).catch(() => undefined);
      await engineReset(id);
    }
  });

  it('Disconnect of an interrupted hand-off says the partner may hold a connection; a stale connect is taken over after a confirmation', async () => {
    const a = await api();
    const id = await freePartner();
    const folder = a.services.model.recordFolder().replace(/\/+$/, '');
    const hourAgo = new Date(Date.now() - 60 * 60_000).toISOString();
    await adminClient().writeWorkspaceFile(`${folder}/${id}.json`, recordOf(id, { state: 'connecting', compute: null, connectedAt: hourAgo, handoffStartedAt: hourAgo }), { overwrite: false });
    try {
      const st = await statusOf(id);
      assert.equal(st.state, 'degraded');
      await withPrompter(async (p) => {
        p.answer('disconnect', false);
        await vscode.commands.executeCommand('partnerConnect.disconnect', partnerNode(demoWorkspace(), st)).then(undefined, () => undefined);
        const detail = p.of('confirm', 'disconnect')[0]?.detail ?? '';
        assert.match(detail, /may hold a connection to this workspace/);
        assert.match(detail, /never finished/);

        p.answer('takeOverConnect', true);
        await vscode.commands.executeCommand('partnerConnect.takeOverConnect', partnerNode(demoWorkspace(), st));
        const confirm = p.of('confirm', 'takeOverConnect')[0]?.detail ?? '';
        assert.match(confirm, /60 minutes ago/);
        assert.match(confirm, /Connection record/);
        assert.match(p.of('notify', 'takeOverConnect.done')[0]?.message ?? '', /may hold a connection/);
      });
      assert.equal(await adminClient().readWorkspaceFile(`${folder}/${id}.json`), null, 'the stale record is still there');
      assert.equal((await statusOf(id)).state, 'not-connected');
    } finally {
      await engineReset(id);
    }
  });
});
