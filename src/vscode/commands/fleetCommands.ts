/** The fleet: Open Fleet Matrix, the bulk actions and Export Fleet Report…. */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import { EXPIRY_WARNING_DAYS, fleetReport, type CatalogPartner, type DisconnectMode, type FleetReportFormat } from '../../domain';
import { fleetColumns } from '../accounts/columns';
import type { Services } from '../services';
import { categoryLabel } from '../tree/presentation';
import type { PickEntry } from '../ui/prompter';
import { UserCancelled } from './action';
import { resolveAccount } from './accountCommands';

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new UserCancelled();
  return v;
}

/** The partner named by the caller (the matrix's row), or asked among the catalog. */
async function resolveFleetPartner(s: Services, account: string, arg: unknown, o: { onlyConnected: boolean; title: string }): Promise<CatalogPartner> {
  const catalog = await s.model.catalog();
  const named = (arg as { partnerId?: unknown } | null)?.partnerId;
  if (typeof named === 'string') return catalog.require(named);
  const counts = new Map<string, number>();
  for (const { column } of fleetColumns(s, account)) {
    if (column.kind !== 'ready') continue;
    for (const p of column.snapshot.partners) if (p.state !== 'not-connected') counts.set(p.partnerId, (counts.get(p.partnerId) ?? 0) + 1);
  }
  const partners = catalog.partners.filter((p) => !o.onlyConnected || (counts.get(p.id) ?? 0) > 0).sort((a, b) => a.category.localeCompare(b.category) || a.displayName.localeCompare(b.displayName));
  if (partners.length === 0) {
    tell(s.prompter(), { id: 'fleet.noPartner', severity: 'info', message: vscode.l10n.t('No partner has anything in the loaded workspaces of {0}.', account) });
    throw new UserCancelled();
  }
  const items: PickEntry<string>[] = [];
  let cat = '';
  for (const p of partners) {
    if (p.category !== cat) {
      cat = p.category;
      items.push({ separator: true, label: categoryLabel(cat) });
    }
    const n = counts.get(p.id) ?? 0;
    items.push({ label: p.displayName, description: n > 0 ? vscode.l10n.t('in {0} workspace(s)', n) : vscode.l10n.t('not connected anywhere'), value: p.id });
  }
  return catalog.require(need(await s.prompter().pick<string>({ id: 'fleet.partner', title: o.title, items })));
}

export async function openFleetMatrix(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  s.matrixPanels.open(account);
}

export async function fleetConnect(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const partner = await resolveFleetPartner(s, account, arg, { onlyConnected: false, title: vscode.l10n.t('Partner Connect: connect a partner to workspaces of {0}', account) });
  s.bulkPanels.open(account, 'connect', partner);
}

export async function fleetRotate(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const days = Number(
    need(
      await s.prompter().input({
        id: 'fleet.rotateDays',
        title: vscode.l10n.t('Rotate every partner credential that expires within how many days?'),
        prompt: vscode.l10n.t('Expired credentials are included. Each new credential is handed to you once.'),
        value: String(EXPIRY_WARNING_DAYS),
        validate: (v) => (/^\d{1,4}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a number of days, e.g. 30.')),
      }),
    ).trim(),
  );
  s.bulkPanels.open(account, 'rotate', null, { days });
}

export async function fleetOffboard(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const partner = await resolveFleetPartner(s, account, arg, { onlyConnected: true, title: vscode.l10n.t('Partner Connect: offboard a partner from every workspace of {0}', account) });
  const mode = need(
    await s.prompter().pick<DisconnectMode>({
      id: 'fleet.offboardMode',
      title: vscode.l10n.t('Offboard {0}: what to delete', partner.displayName),
      items: [
        { label: vscode.l10n.t('Reset the connection'), detail: vscode.l10n.t('Service principal, its credentials, the warehouse made for it and the record (check mark); the partner is notified'), value: 'reset', icon: 'debug-disconnect' },
        { label: vscode.l10n.t('Service principal only'), detail: vscode.l10n.t('The principal and its credentials; the check mark stays'), value: 'service-principal-only', icon: 'person' },
      ],
    }),
  );
  s.bulkPanels.open(account, 'offboard', partner, { mode });
}

export async function exportFleetReport(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const format = need(
    await s.prompter().pick<FleetReportFormat>({
      id: 'fleet.reportFormat',
      title: vscode.l10n.t('Export the fleet report of {0}', account),
      items: [
        { label: 'Markdown', description: vscode.l10n.t('for people (opens in an editor)'), value: 'markdown', icon: 'markdown' },
        { label: 'CSV', description: vscode.l10n.t('one row per workspace × partner, for spreadsheets'), value: 'csv', icon: 'table' },
        { label: 'JSON', description: vscode.l10n.t('for tools'), value: 'json', icon: 'json' },
      ],
    }),
  );
  const e = s.fleet.entry(account);
  const text = s.log.redactor.redact(fleetReport({ account: { name: account, accountId: e.accountId, host: e.host }, columns: fleetColumns(s, account) }, format));
  if (format === 'markdown') {
    await s.prompter().showDocument('fleetReport', text, 'markdown');
    return;
  }
  const ext = format === 'csv' ? 'csv' : 'json';
  const uri = await s.prompter().saveDialog({ id: 'fleetReport', title: vscode.l10n.t('Save the fleet report'), defaultFileName: `partner-connect-fleet-${account.replace(/[^A-Za-z0-9_-]+/g, '-')}.${ext}`, filters: { [format.toUpperCase()]: [ext] } });
  if (!uri) throw new UserCancelled();
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  s.log.info(`fleet report of ${account} written to ${uri.toString(true)}`);
  tell(s.prompter(), { id: 'fleetReport.done', severity: 'info', message: vscode.l10n.t('Saved the fleet report of {0} ({1}); it holds no credential value.', account, format.toUpperCase()) });
}
