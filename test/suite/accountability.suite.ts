/**
 * Accountable connections from the UI: Export as Terraform (one connection, fleet), the history,
 * audit events and the drift watch — commands driven with a scripted prompter against the emulator.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { adminClient, api, demoWorkspace, engineConnect, engineReset, freePartner, partnerNode, requireEnv, statusOf, withPrompter } from './ui-support/env';

const ws = (): string => demoWorkspace();

function errorsOf(p: { of(kind: 'notify'): Array<{ severity?: string; message?: string }> }): Array<{ message?: string }> {
  return p.of('notify').filter((n) => n.severity === 'error');
}

describe('Accountable connections', function () {
  this.timeout(120_000);
  const used: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-export-'));
  after(async () => {
    for (const id of used) await engineReset(id);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('Export as Terraform', () => {
    it('right-click on a connection writes HCL with the real ids and import blocks, never the token', async () => {
      const id = await freePartner();
      used.push(id);
      await engineConnect(id);
      const st = await statusOf(id);
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
