/** The connection report (Markdown). No `vscode` import. */
import { differenceWords, reasonsOf, type HistoryRead, type WorkspaceSnapshot } from '../../domain';
import { historyMarkdown } from './history';
import { STATES, categoryLabel, stateLabel, principalNotRequired, roleText } from '../tree/presentation';
import { formatExpiry, formatTime, localizeTimes } from '../ui/time';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export interface ReportWorkspace {
  name: string;
  host: string;
  snapshot?: WorkspaceSnapshot;
  error?: string;
  /** the workspace's history of connections (newest first), or why it could not be read */
  history?: HistoryRead | { error: string };
}

function historySection(w: ReportWorkspace): string[] {
  if (!w.history) return [];
  if ('error' in w.history) return ['### History', '', `Could not be read: ${w.history.error}`, ''];
  return ['### History', '', ...historyMarkdown(w.history, { withPartner: true })];
}

export function connectionReport(workspaces: readonly ReportWorkspace[], generatedAt: string, version: string): string {
  const out: string[] = [];
  out.push('# Partner Connect connection report', '');
  out.push(`Generated ${formatTime(generatedAt)} by partner-connect-vscode ${version}. Token values are never included.`, '');
  for (const w of workspaces) {
    out.push(`## ${w.name}`, '', `- Host: ${w.host}`);
    if (!w.snapshot) {
      out.push(`- Could not be read: ${w.error ?? 'unknown error'}`, '');
      continue;
    }
    const s = w.snapshot;
    out.push(`- Signed in as ${s.identity.userName} (${roleText(s.identity)})`);
    out.push(s.metastore ? `- Unity Catalog metastore ${s.metastore.name ?? s.metastore.metastoreId}; default catalog ${s.metastore.defaultCatalog ?? 'hive_metastore'}` : '- No Unity Catalog metastore');
    out.push(`- Checked at ${formatTime(s.takenAt)}`);
    const counts = STATES.map((st) => `${s.partners.filter((p) => p.state === st).length} ${stateLabel(st).toLowerCase()}`);
    out.push(`- Partners: ${counts.join(', ')}`, '');
    const active = s.partners.filter((p) => p.state !== 'not-connected').sort((a, b) => a.partner.displayName.localeCompare(b.partner.displayName));
    if (active.length === 0) {
      out.push('No partner is connected.', '', ...historySection(w));
      continue;
    }
    out.push('| Partner | Category | State | Service principal | Credentials | Compute | Catalog / schemas | Partner account administrator | Connected by |');
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const p of active) {
      const sp = p.servicePrincipal
        ? `${p.servicePrincipal.displayName} (${p.servicePrincipal.applicationId})${p.servicePrincipal.active ? '' : ', inactive'}${principalNotRequired(p) ? ', not required by this partner' : ''}`
        : '—';
      // every partner credential with its expiry and last use (never a value)
      const tokens =
        (p.credentials ?? [])
          .map((c) => `${c.kind === 'pat' ? 'token' : 'OAuth secret'} ${c.id} (expires ${formatExpiry(c.expiry)}; last used ${c.kind === 'pat' ? (c.lastUsedDay ?? 'never') : 'not reported'})`)
          .concat((p.warnings ?? []).map((w) => `⚠ ${w.message}`))
          .join(', ') || '—';
      const compute = p.compute ? `${p.compute.kind} ${p.compute.name ?? ''} (${p.compute.id})${p.compute.exists ? '' : ', gone'}` : '—';
      const data = p.catalog ? `${p.catalog}${p.schemas.length ? `: ${p.schemas.join(', ')}` : ''}` : '—';
      const who = p.record ? `${p.record.connectedBy}, ${formatTime(p.record.connectedAt)}` : '—';
      out.push(
        `| ${cell(p.partner.displayName)} | ${cell(categoryLabel(p.partner.category))} | ${cell(stateLabel(p.state))} | ${cell(sp)} | ${cell(tokens)} | ${cell(compute)} | ${cell(data)} | ${cell(p.partnerAccountAdministrator ?? '—')} | ${cell(who)} |`,
      );
    }
    out.push('');
    const degraded = active.filter((p) => reasonsOf(p).length > 0 || (p.grants.checked && p.grants.differences.length > 0));
    if (degraded.length > 0) {
      out.push('### Problems', '');
      for (const p of degraded) {
        for (const r of reasonsOf(p)) out.push(`- **${p.partner.displayName}**: ${localizeTimes(r.message)}`);
        for (const d of p.grants.differences) out.push(`- **${p.partner.displayName}**: ${d.change} ${differenceWords(d)}`);
      }
      out.push('');
    }
    out.push(...historySection(w));
  }
  return out.join('\n');
}
