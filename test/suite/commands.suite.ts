/**
 * Every command, driven with vscode.commands.executeCommand and a scripted prompter, against the
 * emulator (and the partner simulator for protocol partners). Asserts on the emulator's state.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { adminClient, api, connectOutside, demoWorkspace, engineConnect, engineReset, freePartner, partnerNode, requireEnv, spByName, statusOf, withPrompter } from './ui-support/env';
import { waitUntil } from '../fixtures/wait';

const ws = (): string => demoWorkspace();

function errorsOf(p: { of(kind: 'notify'): Array<{ severity?: string; message?: string; actions?: string[] }> }): Array<{ message?: string; actions?: string[] }> {
  return p.of('notify').filter((n) => n.severity === 'error');
}

describe('Commands', function () {
  this.timeout(120_000);

  it('registers every contributed command', async () => {
    await api();
    const all = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension('partner-connect-tools.partner-connect-vscode')?.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    for (const c of manifest.contributes.commands) assert.ok(all.has(c.command), `${c.command} is registered`);
  });

  describe('workspaces', () => {
    it('adds a workspace with host + personal access token (secret in SecretStorage only) and removes it', async () => {
      const a = await api();
      const token = requireEnv('PC_EMULATOR_ADMIN_TOKEN');
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'Host and personal access token')
          .answer('addWorkspace.host', requireEnv('PC_EMULATOR_URL'))
          .answer('addWorkspace.token', token)
          .answer('addWorkspace.name', 'PAT workspace');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(errorsOf(p), []);
        const entry = a.services.store.get('PAT workspace');
        assert.equal(entry?.authType, 'pat');
        const setting = JSON.stringify(vscode.workspace.getConfiguration('partnerConnect').inspect('workspaces')?.globalValue);
        assert.match(setting, /PAT workspace/);
        assert.ok(!setting.includes(token), 'the token is not in settings');
        assert.equal(await a.services.store.getSecret('PAT workspace', 'token'), token);
        assert.match(p.of('notify', 'addWorkspace.done')[0]?.message ?? '', /signed in as ava\.admin@acme\.example \(workspace admin\)/);
        const snap = await a.services.model.snapshot('PAT workspace');
        assert.equal(snap.identity.isWorkspaceAdmin, true);

        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'PAT workspace' });
        assert.equal(a.services.store.get('PAT workspace'), undefined);
        assert.equal(await a.services.store.getSecret('PAT workspace', 'token'), undefined);
        assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('partnerConnect').inspect('workspaces')?.globalValue).includes('PAT workspace'));
        assert.ok(!(a.services.log.lines().join('\n')).includes(token), 'the token never reaches the log');
      });
    });

    it('adds a workspace from a ~/.databrickscfg profile chosen in the list of its profiles', async () => {
      const a = await api();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cfg-'));
      const cfg = path.join(dir, 'databrickscfg');
      fs.writeFileSync(cfg, `[DEFAULT]\nhost = https://dbc-other.cloud.databricks.com\ntoken = dapi-other-0000\n\n[emu]\nhost = ${requireEnv('PC_EMULATOR_URL')}\ntoken = ${requireEnv('PC_EMULATOR_ADMIN_TOKEN')}\n`, { mode: 0o600 });
      const saved = process.env.DATABRICKS_CONFIG_FILE;
      process.env.DATABRICKS_CONFIG_FILE = cfg;
      try {
        await withPrompter(async (p) => {
          p.answer('addWorkspace.method', 'From a ~/.databrickscfg profile').answer('addWorkspace.profile', 'emu').answer('addWorkspace.name', 'Profile workspace');
          await vscode.commands.executeCommand('partnerConnect.addWorkspace');
          assert.deepEqual(errorsOf(p), []);
          // as `databricks auth profiles` lists them: file order
          assert.deepEqual(p.of('pick', 'addWorkspace.profile')[0]?.labels, ['DEFAULT', 'emu']);
          assert.deepEqual(a.services.store.get('Profile workspace'), { name: 'Profile workspace', host: requireEnv('PC_EMULATOR_URL'), authType: 'profile', profile: 'emu' });
          const snap = await a.services.model.snapshot('Profile workspace');
          assert.equal(snap.identity.userName, 'ava.admin@acme.example');
          p.answer('removeWorkspace', true);
          await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'Profile workspace' });
          assert.equal(a.services.store.get('Profile workspace'), undefined);
        });
      } finally {
        await a.services.store.remove('Profile workspace');
        if (saved === undefined) delete process.env.DATABRICKS_CONFIG_FILE;
        else process.env.DATABRICKS_CONFIG_FILE = saved;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('adds a workspace from environment variables', async () => {
      const a = await api();
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'From environment variables').answer('addWorkspace.name', 'Env workspace');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(errorsOf(p), []);
        assert.equal(a.services.store.get('Env workspace')?.authType, 'env');
        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'Env workspace' });
        assert.equal(a.services.store.get('Env workspace'), undefined);
      });
    });

    it('refuses a token the workspace rejects: the error is shown once, with Show Log; nothing is added', async () => {
      const a = await api();
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'Host and personal access token')
          .answer('addWorkspace.host', requireEnv('PC_EMULATOR_URL'))
          .answer('addWorkspace.token', 'dapi-wrong-token-0000')
          .answer('addWorkspace.name', 'Bad workspace');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        const errors = errorsOf(p);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.deepEqual(errors[0].actions, ['Show Log']);
        assert.match(errors[0].message ?? '', /refused the credentials|401/);
        assert.equal(a.services.store.get('Bad workspace'), undefined);
        assert.ok(!(a.services.log.lines().join('\n')).includes('dapi-wrong-token-0000'));
      });
    });

    it('treats a dismissed prompt as a cancellation, not an error', async () => {
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', undefined);
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        p.answer('partner', undefined);
        await vscode.commands.executeCommand('partnerConnect.disconnect');
        assert.deepEqual(errorsOf(p), []);
      });
    });

    it('refreshes one workspace from the palette without asking when there is only one', async () => {
      const a = await api();
      const before = a.services.model.detections;
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.refreshWorkspace');
        assert.equal(p.of('pick').length, 0);
        assert.deepEqual(errorsOf(p), []);
      });
      assert.equal(a.services.model.detections, before + 1);
    });
  });

  describe('connections', () => {
    const used: string[] = [];
    const use = async (candidates?: readonly string[]): Promise<{ id: string; name: string; sp: string }> => {
      const id = await freePartner(candidates);
      used.push(id);
      const p = (await (await api()).services.model.catalog()).require(id);
      return { id, name: p.displayName, sp: p.servicePrincipalName ?? '' };
    };
    after(async () => {
      for (const id of used) await engineReset(id);
    });

    it('opens the connect form from the palette after asking for the partner', async () => {
      const a = await api();
      const { id, name } = await use();
      await withPrompter(async (p) => {
        p.answer('partner', name);
        await vscode.commands.executeCommand('partnerConnect.connect');
        assert.deepEqual(errorsOf(p), []);
        const labels = p.of('pick', 'partner')[0]?.labels ?? [];
        assert.ok(labels.includes(name) && labels.includes('Fivetran'), labels.join(', '));
        assert.ok(a.services.connectPanels.get(ws(), id), 'the connect form is open');
        a.services.connectPanels.panel(ws(), id)?.dispose();
      });
    });

    it('inspects a connection from the tree: principal, tokens, grants, links', async () => {
      const a = await api();
      const { id, sp } = await use(['thoughtspot', 'preset', 'atscale']);
      await connectOutside(id);
      const st = await statusOf(id);
      await vscode.commands.executeCommand('partnerConnect.inspect', partnerNode(ws(), st));
      const session = a.services.inspectPanels.get(ws(), id);
      assert.ok(session);
      await waitUntil(() => session.sent.some((m) => m.type === 'data' || m.type === 'error'), 'inspect data');
      const data = session.sent.find((m) => m.type === 'data');
      assert.ok(data && data.type === 'data', JSON.stringify(session.sent.at(-1)));
      assert.equal(data.data.servicePrincipal?.displayName, sp);
      assert.match(data.data.servicePrincipal?.url ?? '', /\/settings\/workspace\/identity-and-access\/service-principals\/\d+$/);
      assert.ok(data.data.tokens.length >= 1);
      assert.ok(data.data.tokens.every((t) => t.expires.length > 0));
      assert.equal(data.data.state.kind, 'connected-outside');
      a.services.inspectPanels.dispose();
    });

    it('disconnects after a modal listing every resource that will be deleted; Cancel deletes nothing', async () => {
      const a = await api();
      const { id, name, sp: spName } = await use();
      await engineConnect(id);
      const st = await statusOf(id);
      assert.equal(st.state, 'connected');
      const sp = st.servicePrincipal;
      assert.ok(sp);
      await withPrompter(async (p) => {
        p.answer('disconnect', false);
        await vscode.commands.executeCommand('partnerConnect.disconnect', partnerNode(ws(), st));
        assert.ok(await spByName(spName), 'cancelled: the principal is still there');
        assert.deepEqual(errorsOf(p), []);

        p.answer('disconnect', true);
        await vscode.commands.executeCommand('partnerConnect.disconnect', partnerNode(ws(), st));
        const confirm = p.of('confirm', 'disconnect').at(-1);
        assert.match(confirm?.message ?? '', new RegExp(`Disconnect ${name}`));
        assert.match(confirm?.detail ?? '', new RegExp(`Service principal ${spName} \\(${sp.id}\\)`));
        assert.match(confirm?.detail ?? '', /Personal access token/);
        const recordPath = `${a.services.model.recordFolder().replace(/\/+$/, '')}/${id}.json`;
        assert.ok((confirm?.detail ?? '').includes(`• Connection record (the check mark) ${recordPath}\n`), `the record is named once, by its path: ${confirm?.detail}`);
        assert.doesNotMatch(confirm?.detail ?? '', /check mark \(connection record\)/);
        assert.match(confirm?.detail ?? '', /cannot be undone/);
        assert.match(confirm?.detail ?? '', new RegExp(`Afterwards ${name} shows as not connected`));
        assert.equal((confirm?.detail ?? '').match(/partner account|account and its/g)?.length, 1, 'what is kept is said once');
        assert.deepEqual(confirm?.actions, ['Keep Connection', 'Disconnect'], 'a permanent delete: the first (default) button keeps everything');
        assert.deepEqual(errorsOf(p), []);
        assert.match(p.of('notify', 'disconnect.done')[0]?.message ?? '', new RegExp(`Disconnected ${name}`));
      });
      assert.equal(await spByName(spName), undefined, 'the principal is gone from the emulator');
      assert.equal((await a.services.model.status(ws(), id)).state, 'not-connected', 'the tree was refreshed');
    });

    it('deletes only the service principal: the check mark stays and the state says so', async () => {
      const a = await api();
      const { id, sp } = await use();
      await engineConnect(id);
      const st = await statusOf(id);
      await withPrompter(async (p) => {
        p.answer('deleteServicePrincipal', true);
        await vscode.commands.executeCommand('partnerConnect.deleteServicePrincipal', partnerNode(ws(), st));
        const confirm = p.of('confirm', 'deleteServicePrincipal')[0];
        assert.match(confirm?.detail ?? '', new RegExp(sp));
        assert.match(confirm?.detail ?? '', /shows as check mark only: its connection record stays/);
        assert.deepEqual(confirm?.actions, ['Keep Service Principal', 'Delete Service Principal']);
        assert.match(p.of('notify', 'deleteServicePrincipal.done')[0]?.message ?? '', /shows as check mark only until you reset/);
        assert.deepEqual(errorsOf(p), []);
      });
      assert.equal(await spByName(sp), undefined);
      assert.equal((await a.services.model.status(ws(), id)).state, 'check-mark-only');
    });

    it('a FIVETRAN_USER made outside (Fivetran needs none): shown, named apart by Find Orphans; deleting it says the partner is then not connected', async () => {
      const a = await api();
      assert.equal((await statusOf('fivetran')).state, 'not-connected');
      const made = await adminClient().createServicePrincipal({ displayName: 'FIVETRAN_USER', entitlements: [] });
      try {
        const st = await statusOf('fivetran');
        assert.equal(st.state, 'connected-outside');
        assert.equal(st.servicePrincipal?.id, made.id);
        await withPrompter(async (p) => {
          p.answer('findOrphans.select', undefined);
          await vscode.commands.executeCommand('partnerConnect.findOrphans');
          // connected outside: named apart, never offered for deletion (issue 11 item 5)
          assert.match(p.of('notify', 'findOrphans.connectedOutside')[0]?.message ?? '', /FIVETRAN_USER \(Fivetran\)/);
          assert.ok(!p.of('pickMany', 'findOrphans.select')[0]?.labels?.includes('FIVETRAN_USER'), 'Find Orphans offers it for deletion');

          p.answer('deleteServicePrincipal', true);
          await vscode.commands.executeCommand('partnerConnect.deleteServicePrincipal', partnerNode(ws(), st));
          const confirm = p.of('confirm', 'deleteServicePrincipal')[0];
          assert.match(confirm?.detail ?? '', new RegExp(`Service principal FIVETRAN_USER \\(${made.id}\\)`));
          assert.doesNotMatch(confirm?.detail ?? '', /check mark/i, 'there is no record: nothing about a check mark');
          assert.match(confirm?.detail ?? '', /There is no connection record for Fivetran here and Fivetran does not need a service principal: afterwards it shows as not connected/);
          const done = p.of('notify', 'deleteServicePrincipal.done')[0]?.message ?? '';
          assert.match(done, /Fivetran is not connected now/);
          assert.doesNotMatch(done, /check mark/i);
          assert.deepEqual(errorsOf(p), []);
        });
        assert.equal(await spByName('FIVETRAN_USER'), undefined);
        assert.equal((await a.services.model.status(ws(), 'fivetran')).state, 'not-connected');
      } finally {
        await adminClient().deleteServicePrincipal(made.id).catch(() => undefined);
      }
    });

    it('repairs grants that drifted from the profile', async () => {
      const { id } = await use();
      await engineConnect(id);
      const st = await statusOf(id);
      const appId = st.servicePrincipal?.applicationId ?? '';
      await adminClient().updateGrants('schema', 'analytics.marketing', [{ principal: appId, remove: ['SELECT'] }]);
      const drifted = await statusOf(id);
      assert.ok(drifted.grants.differences.length > 0, 'drift detected');
      await withPrompter(async (p) => {
        p.answer('repairGrants', true);
        await vscode.commands.executeCommand('partnerConnect.repairGrants', partnerNode(ws(), drifted));
        assert.match(p.of('confirm', 'repairGrants')[0]?.detail ?? '', /SELECT/);
        assert.deepEqual(errorsOf(p), []);
      });
      const grants = await adminClient().getGrants('schema', 'analytics.marketing');
      assert.ok(grants.find((g) => g.principal === appId)?.privileges.includes('SELECT'), 'SELECT is granted again');
      assert.equal((await statusOf(id)).grants.differences.length, 0);
    });

    it('rotates the token: a new one exists, the old one is gone', async () => {
      const { id, name } = await use();
      await engineConnect(id);
      const st = await statusOf(id);
      const old = st.tokens.map((t) => t.tokenId);
      assert.ok(old.length > 0);
      await withPrompter(async (p) => {
        p.answer('rotateToken', true);
        await vscode.commands.executeCommand('partnerConnect.rotateToken', partnerNode(ws(), st));
        assert.deepEqual(errorsOf(p), []);
        // the modal names the credential the connection has: a token here (an OAuth secret: test/vscode-free/driftWatch.test.ts, journey 11)
        const modal = p.of('confirm', 'rotateToken')[0];
        assert.equal(modal?.message, `Rotate the token of ${name} in ${ws()}?`);
        assert.deepEqual(modal?.actions, ['Keep Current Token', 'Rotate Token']);
        assert.match(p.of('notify', 'rotateToken.done')[0]?.message ?? '', new RegExp(`Rotated the credential of ${name}: new token`));
      });
      const tokens = await adminClient().listTokens();
      const ids = tokens.map((t) => t.token_id);
      for (const o of old) assert.ok(!ids.includes(o), `old token ${o} deleted`);
      const after = await statusOf(id);
      assert.equal(after.tokens.length, 1);
      assert.notEqual(after.tokens[0].tokenId, old[0]);
    });

    it('finds orphaned principals and deletes the selected ones after a confirmation; principals connected outside are named apart, never offered', async () => {
      // a real orphan: a second <PARTNER>_USER beside the one the record of a connected partner names
      const { id, sp } = await use();
      await engineConnect(id);
      const recorded = await spByName(sp);
      assert.ok(recorded);
      const duplicate = await adminClient().createServicePrincipal({ displayName: sp, entitlements: [] });
      // and a partner connected outside this extension (its <PARTNER>_USER without a record): not an orphan
      const other = await use();
      const outside = await connectOutside(other.id);
      await withPrompter(async (p) => {
        p.answer('findOrphans.select', (options: Array<{ label: string; description?: string; value: unknown }>) =>
          options.filter((o) => o.label === sp && (o.description ?? '').includes(duplicate.id)).map((o) => o.value),
        );
        p.answer('findOrphans.confirm', true);
        await vscode.commands.executeCommand('partnerConnect.findOrphans');
        assert.deepEqual(errorsOf(p), []);
        const pick = p.of('pickMany', 'findOrphans.select')[0];
        assert.ok(pick?.labels?.includes(sp), `the duplicate ${sp} is offered`);
        assert.ok(!pick?.labels?.includes(outside.displayName), `${outside.displayName} (connected outside) is offered for deletion`);
        const apart = p.of('notify', 'findOrphans.connectedOutside')[0]?.message ?? '';
        assert.match(apart, new RegExp(`${outside.displayName} \\(${other.name}\\)`));
        assert.match(apart, /Not orphans/);
        assert.match(apart, /Partner Connect page/);
        const confirm = p.of('confirm', 'findOrphans.confirm')[0]?.detail ?? '';
        assert.match(confirm, new RegExp(duplicate.id));
        assert.ok(!confirm.includes(recorded.id), 'the recorded principal is in the confirmation');
      });
      const left = await adminClient().listServicePrincipals({ filter: `displayName eq "${sp}"` });
      assert.deepEqual(left.map((x) => x.id), [recorded.id], 'only the duplicate was deleted');
      assert.ok(await spByName(outside.displayName), 'the connected-outside principal is kept');
      await adminClient().deleteServicePrincipal(outside.id);
    });
  });

  describe('partner information', () => {
    it('opens the partner website, documentation and support', async () => {
      const st = await statusOf('fivetran');
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.openWebsite', partnerNode(ws(), st));
        await vscode.commands.executeCommand('partnerConnect.openDocumentation', partnerNode(ws(), st));
        await vscode.commands.executeCommand('partnerConnect.openSupport', partnerNode(ws(), st));
        assert.deepEqual(
          p.of('open').map((o) => o.url),
          [st.partner.website, st.partner.docsUrl, st.partner.supportUrl],
        );
      });
    });

    it('explains how partner account users are managed and names the administrator', async () => {
      await withPrompter(async (p) => {
        p.answer('partner', 'Fivetran').answer('managePartnerUsers', 'Open Partner Website');
        await vscode.commands.executeCommand('partnerConnect.managePartnerUsers');
        const info = p.of('inform', 'managePartnerUsers')[0];
        assert.match(info?.detail ?? '', /first person in your organization who connects/);
        assert.match(info?.detail ?? '', /must first add them/);
        assert.match(info?.detail ?? '', /contact Fivetran support/);
        assert.equal(p.of('open')[0]?.url, 'https://www.fivetran.com');
      });
    });

    it('stores partner-issued credentials in SecretStorage', async () => {
      const a = await api();
      const id = 'partner-simulator';
      const saved = await a.services.store.getPartnerCredential(id);
      try {
        await withPrompter(async (p) => {
          p.answer('partner', (options: Array<{ label: string; value: unknown }>) => options.find((o) => o.value === id)?.value)
            .answer('partnerCredentials.username', 'alice')
            .answer('partnerCredentials.password', 'pa55-w0rd-for-test');
          await vscode.commands.executeCommand('partnerConnect.setPartnerCredentials');
          assert.deepEqual(errorsOf(p), []);
        });
        assert.deepEqual(await a.services.store.getPartnerCredential(id), { username: 'alice', password: 'pa55-w0rd-for-test' });
        assert.ok(!a.services.log.lines().join('\n').includes('pa55-w0rd-for-test'));
      } finally {
        if (saved) await a.services.store.setPartnerCredential(id, saved);
      }
    });
  });

  describe('across', () => {
    it('exports a Markdown connection report into an untitled editor', async () => {
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.exportReport');
        const doc = p.of('document', 'report')[0]?.content ?? '';
        assert.match(doc, /^# Partner Connect connection report/);
        assert.match(doc, new RegExp(`## ${demoWorkspace()}`));
        assert.match(doc, /\| Partner \| Category \| State \|/);
        assert.ok(!doc.includes(requireEnv('PC_EMULATOR_ADMIN_TOKEN')));
      });
    });

    it('shows the log', async () => {
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.showLog');
        assert.deepEqual(errorsOf(p), []);
      });
    });

    it('shows each error once, with Show Log', async () => {
      await withPrompter(async (p) => {
        await vscode.commands.executeCommand('partnerConnect.inspect', { kind: 'partner', ws: 'No such workspace', partnerId: 'hex', category: 'BI_AND_VIZ' });
        const errors = errorsOf(p);
        assert.equal(errors.length, 1);
        assert.match(errors[0].message ?? '', /No such workspace/);
        assert.deepEqual(errors[0].actions, ['Show Log']);
      });
    });
  });
});
