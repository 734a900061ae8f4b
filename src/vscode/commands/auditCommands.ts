/** "Show Audit Events": Databricks' own audit log (system.access.audit) for a partner's service principal. */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import {
  AUDIT_DAYS,
  AuditAccessDeniedError,
  queryAuditEvents,
  SystemTablesUnavailableError,
  WarehouseNotRunningError,
  type AuditCategory,
  type AuditEventRow,
  type AuditQueryResult,
} from '../../domain';
import type { Services } from '../services';
import { UserCancelled, withCancellableProgress } from './action';
import { ACTIVE_STATES, resolvePartner } from './targets';
import { formatTime } from '../ui/time';

const CATEGORY_TITLES: Record<AuditCategory, string> = {
  token: 'Token creation and deletion',
  login: 'Logins and token use',
  permission: 'Permission changes',
  principal: 'The service principal itself',
  other: 'Other events',
};
const ORDER: AuditCategory[] = ['token', 'login', 'permission', 'principal', 'other'];
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function auditMarkdown(partner: string, ws: string, sp: { displayName: string; applicationId: string; id: string }, warehouse: string, r: AuditQueryResult): string {
  const out = [
    `# Audit events of ${sp.displayName} (${partner}) in ${ws}`,
    '',
    `From Databricks' audit log (\`system.access.audit\`), the last ${r.days} day(s), newest first, queried on the SQL warehouse ${warehouse}: events by the service principal (application id \`${sp.applicationId}\`) or naming it (SCIM id \`${sp.id}\`). System tables are filled with a delay; events of the last minutes may be missing.`,
    '',
  ];
  if (r.events.length === 0) out.push('No event.', '');
  for (const c of ORDER) {
    const rows = r.events.filter((e) => e.category === c);
    if (!rows.length) continue;
    out.push(`## ${CATEGORY_TITLES[c]} (${rows.length})`, '', '| Time | Service | Action | By | Source IP | Status | Details |', '|---|---|---|---|---|---|---|');
    for (const e of rows) out.push(`| ${cell(formatTime(e.time))} | ${cell(e.service)} | ${cell(e.action)} | ${cell(e.actor)} | ${cell(e.sourceIp ?? '—')} | ${cell(statusOf(e))} | ${cell(details(e))} |`);
    out.push('');
  }
  if (r.truncated) out.push('_Only the newest events are shown: choose a shorter period to see all of them._', '');
  return out.join('\n');
}

function statusOf(e: AuditEventRow): string {
  return e.errorMessage ? `${e.statusCode ?? ''} ${e.errorMessage}`.trim() : (e.statusCode ?? '—');
}

function details(e: AuditEventRow): string {
  return Object.entries(e.params)
    .filter(([, v]) => v !== '' && v !== 'null')
    .map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 117)}…` : v}`)
    .join('; ') || '—';
}

export async function showAuditEventsCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    states: ACTIVE_STATES,
    accept: (st) => st.servicePrincipal !== null,
    title: vscode.l10n.t('Partner Connect: audit events of a partner’s service principal'),
    none: vscode.l10n.t('No partner has a service principal in this workspace.'),
  });
  const sp = target.status.servicePrincipal;
  if (!sp) throw new UserCancelled();
  const client = await s.model.client(target.ws);
  const own = target.status.compute?.kind === 'warehouse' ? target.status.compute.id : null;
  const warehouse = await s.prompter().pick<{ id: string; name: string }>({
    id: 'auditEvents.warehouse',
    title: vscode.l10n.t('Run the audit query on which SQL warehouse?'),
    placeholder: vscode.l10n.t('A running warehouse answers at once; a stopped one is started only if you agree'),
    items: async () => {
      const all = await client.listWarehouses();
      return all
        .sort((a, b) => Number(b.state === 'RUNNING') - Number(a.state === 'RUNNING') || Number(b.id === own) - Number(a.id === own) || a.name.localeCompare(b.name))
        .map((w) => ({ label: w.name, description: `${w.state ?? ''}${w.id === own ? ` · ${vscode.l10n.t('the connection’s warehouse')}` : ''}`, detail: w.id, value: { id: w.id, name: w.name }, icon: w.state === 'RUNNING' ? 'vm-running' : 'vm-outline' }));
    },
  });
  if (!warehouse) throw new UserCancelled();
  const days = await s.prompter().pick<number>({
    id: 'auditEvents.days',
    title: vscode.l10n.t('Audit events of the last…'),
    items: AUDIT_DAYS.map((d) => ({ label: vscode.l10n.t('{0} days', d), value: d })),
  });
  if (days === undefined) throw new UserCancelled();
  const run = (allowWarehouseStart: boolean): Thenable<AuditQueryResult> =>
    withCancellableProgress(vscode.l10n.t('Querying the audit log for {0}…', sp.displayName), (signal) =>
      queryAuditEvents(client, { applicationId: sp.applicationId, id: sp.id, displayName: sp.displayName }, { warehouseId: warehouse.id, days, allowWarehouseStart, signal }),
    );
  let result: AuditQueryResult;
  try {
    try {
      result = await run(false);
    } catch (e) {
      if (!(e instanceof WarehouseNotRunningError)) throw e;
      const ok = await s.prompter().confirm({
        id: 'auditEvents.startWarehouse',
        message: vscode.l10n.t('Start the SQL warehouse {0} to run the audit query?', e.warehouseName),
        detail: vscode.l10n.t('It is {0}. Running the query starts it; it is billed while it runs and stops again after its auto-stop time. Choose a running warehouse instead to avoid that.', e.warehouseState.toLowerCase()),
        confirm: vscode.l10n.t('Start and Query'),
      });
      if (!ok) throw new UserCancelled();
      result = await run(true);
    }
  } catch (e) {
    if (e instanceof SystemTablesUnavailableError || e instanceof AuditAccessDeniedError) {
      tell(s.prompter(), { id: 'auditEvents.unavailable', severity: 'warning', message: `${e.message} ${e.action}` });
      return;
    }
    throw e;
  }
  s.log.info(`[${target.ws}] audit events of ${sp.displayName}: ${result.events.length} in ${result.days} day(s) on warehouse ${warehouse.id}`);
  await s.prompter().showDocument('auditEvents', s.log.redactor.redact(auditMarkdown(target.partner.displayName, target.ws, sp, `${warehouse.name} (${warehouse.id})`, result)), 'markdown');
}
