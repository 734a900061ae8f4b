/** "Export Connection as Terraform…" (one partner) and "Export Connections as Terraform (Fleet)…". */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import { gatherExportConnection, terraformExport, type ExportWorkspace } from '../../domain';
import { PRODUCT } from '../model/clients';
import type { Services } from '../services';
import { isWorkspaceNode } from '../tree/nodes';
import { UserCancelled, withCancellableProgress } from './action';
import { ACTIVE_STATES, resolvePartner } from './targets';

function exportWorkspace(s: Services, ws: string, connections: ExportWorkspace['connections']): ExportWorkspace {
  const e = s.model.entry(ws);
  return { name: ws, host: e.host, profile: e.authType === 'profile' ? e.profile : undefined, connections };
}

async function save(s: Services, id: string, defaultFileName: string, hcl: string, notes: string[], count: number): Promise<void> {
  const uri = await s.prompter().saveDialog({ id, title: vscode.l10n.t('Save the Terraform configuration'), defaultFileName, filters: { Terraform: ['tf'] } });
  if (!uri) throw new UserCancelled();
  await vscode.workspace.fs.writeFile(uri, Buffer.from(s.log.redactor.redact(hcl), 'utf8'));
  s.log.info(`Terraform export: ${count} resource(s) written to ${uri.toString(true)}`);
  await vscode.window.showTextDocument(uri, { preview: false });
  tell(s.prompter(), {
    id: `${id}.done`,
    severity: notes.length ? 'warning' : 'info',
    message: [vscode.l10n.t('Exported {0} resource(s) with import blocks. Run terraform plan to review; no token value is in the file.', count), ...notes].join(' '),
  });
}

const fileName = (...parts: string[]): string => `${parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '-')).join('-')}.tf`;

export async function exportTerraformCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    states: [...ACTIVE_STATES],
    accept: (st) => st.servicePrincipal !== null,
    title: vscode.l10n.t('Partner Connect: export a connection as Terraform'),
    none: vscode.l10n.t('No partner with a service principal in this workspace.'),
  });
  const client = await s.model.client(target.ws);
  const conn = await withCancellableProgress(vscode.l10n.t('Reading the connection of {0}…', target.partner.displayName), (signal) =>
    gatherExportConnection(client, target.partner, { recordFolder: s.model.recordFolder(), signal }),
  );
  const out = terraformExport([exportWorkspace(s, target.ws, [conn])], { generatedAt: new Date().toISOString(), extensionVersion: PRODUCT.version });
  await save(s, 'exportTerraform', fileName(target.ws, target.partner.id), out.hcl, out.notes, out.resources.length);
}

export async function exportTerraformFleetCommand(s: Services, arg: unknown): Promise<void> {
  let names: string[];
  if (isWorkspaceNode(arg)) names = [arg.ws];
  else {
    const all = s.model.workspaces();
    if (all.length === 0) throw new UserCancelled();
    const picked =
      all.length === 1
        ? [all[0].name]
        : await s.prompter().pickMany<string>({
            id: 'exportTerraformFleet.workspaces',
            title: vscode.l10n.t('Partner Connect: export the connections of these workspaces as Terraform'),
            placeholder: vscode.l10n.t('One provider alias per workspace'),
            items: all.map((e) => ({ label: e.name, description: e.host, value: e.name, picked: true })),
          });
    if (!picked || picked.length === 0) throw new UserCancelled();
    names = picked;
  }
  const workspaces = await withCancellableProgress(vscode.l10n.t('Reading the connections of {0} workspace(s)…', names.length), (signal, report) =>
    Promise.all(
      names.map(async (ws) => {
        const [client, snap] = await Promise.all([s.model.client(ws), s.model.snapshot(ws)]);
        const partners = snap.partners.filter((p) => ACTIVE_STATES.includes(p.state) && p.servicePrincipal !== null);
        const connections = await Promise.all(partners.map((p) => gatherExportConnection(client, p.partner, { recordFolder: s.model.recordFolder(), signal })));
        report(vscode.l10n.t('{0}: {1} connection(s)', ws, connections.length));
        return exportWorkspace(s, ws, connections);
      }),
    ),
  );
  const count = workspaces.reduce((n, w) => n + w.connections.length, 0);
  if (count === 0) {
    tell(s.prompter(), { id: 'exportTerraformFleet.none', severity: 'info', message: vscode.l10n.t('No connection with a service principal in {0}: nothing to export.', names.join(', ')) });
    return;
  }
  const out = terraformExport(workspaces, { generatedAt: new Date().toISOString(), extensionVersion: PRODUCT.version });
  await save(s, 'exportTerraformFleet', names.length === 1 ? fileName(names[0], 'partner-connections') : 'partner-connections.tf', out.hcl, out.notes, out.resources.length);
}
