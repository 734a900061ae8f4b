/**
 * The fleet report: every partner in every workspace of an account, as Markdown (for people), CSV
 * (one row per workspace × partner with a connection, for spreadsheets) and JSON (for tools).
 * Only what detection read: ids, names, states, expiry dates — never a credential value (the
 * snapshots hold none). CSV cells that a spreadsheet would run as a formula are quoted with a
 * leading apostrophe.
 */
import { reasonsOf, type PartnerStatus } from '../state/types';
import { soonestExpiry } from './credentials';
import type { FleetColumn } from './workspaces';

export type FleetReportFormat = 'markdown' | 'csv' | 'json';

export interface FleetReportInput {
  account: { name: string; accountId: string; host: string } | null;
  columns: ReadonlyArray<{ key: string; column: FleetColumn }>;
  generatedAt?: string;
  /** include partners that are not connected anywhere (default false) */
  includeNotConnected?: boolean;
}

const STATE_WORDS: Record<string, string> = {
  connected: 'connected',
  'connected-outside': 'connected outside this extension',
  'check-mark-only': 'check mark only',
  degraded: 'degraded',
  'not-connected': 'not connected',
};

interface Row {
  workspace: string;
  workspaceId: string;
  host: string;
  partnerId: string;
  partner: string;
  category: string;
  state: string;
  reasons: string;
  servicePrincipal: string;
  applicationId: string;
  credentials: string;
  soonestExpiry: string;
  compute: string;
  catalog: string;
  schemas: string;
  connectedBy: string;
  connectedAt: string;
}

function rowOf(ws: { name: string; workspaceId: string; host: string | undefined }, s: PartnerStatus): Row {
  return {
    workspace: ws.name,
    workspaceId: ws.workspaceId,
    host: ws.host ?? '',
    partnerId: s.partnerId,
    partner: s.partner.displayName,
    category: s.partner.category,
    state: s.state,
    reasons: reasonsOf(s).map((r) => r.code).join(' '),
    servicePrincipal: s.servicePrincipal?.displayName ?? '',
    applicationId: s.servicePrincipal?.applicationId ?? '',
    credentials: s.credentials.map((c) => `${c.kind} ${c.id} (expires ${c.expiry})`).join('; '),
    soonestExpiry: soonestExpiry(s) ?? '',
    compute: s.compute ? `${s.compute.kind} ${s.compute.name ?? ''} (${s.compute.id})${s.compute.exists ? '' : ' gone'}`.replace('  ', ' ') : '',
    catalog: s.catalog ?? '',
    schemas: s.schemas.join(' '),
    connectedBy: s.record?.connectedBy ?? '',
    connectedAt: s.record?.connectedAt ?? '',
  };
}

function rows(input: FleetReportInput): Row[] {
  const out: Row[] = [];
  for (const { column } of input.columns) {
    if (column.kind !== 'ready') continue;
    for (const s of column.snapshot.partners) if (input.includeNotConnected || s.state !== 'not-connected') out.push(rowOf(column.workspace, s));
  }
  return out;
}

const CSV_COLUMNS: Array<keyof Row> = ['workspace', 'workspaceId', 'host', 'partnerId', 'partner', 'category', 'state', 'reasons', 'servicePrincipal', 'applicationId', 'credentials', 'soonestExpiry', 'compute', 'catalog', 'schemas', 'connectedBy', 'connectedAt'];

export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function mdCell(v: string): string {
  return v.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function fleetReport(input: FleetReportInput, format: FleetReportFormat): string {
  const generatedAt = input.generatedAt ?? new Date().toISOString();
  switch (format) {
    case 'csv': {
      // one row per workspace × partner; failed workspaces get one row with their reason
      const lines = [['account', ...CSV_COLUMNS, 'workspaceStatus'].join(',')];
      const acct = input.account?.name ?? '';
      for (const { column } of input.columns) {
        if (column.kind !== 'ready') {
          const why = column.kind === 'failed' ? `${column.failure.code}: ${column.failure.message}` : column.kind;
          lines.push([acct, column.workspace.name, column.workspace.workspaceId, column.workspace.host ?? '', ...CSV_COLUMNS.slice(3).map(() => ''), why].map(csvCell).join(','));
          continue;
        }
        for (const s of column.snapshot.partners) {
          if (!input.includeNotConnected && s.state === 'not-connected') continue;
          const r = rowOf(column.workspace, s);
          lines.push([acct, ...CSV_COLUMNS.map((k) => r[k]), column.warning ? `${column.warning.code}: ${column.warning.message}` : 'ok'].map(csvCell).join(','));
        }
      }
      return `${lines.join('\r\n')}\r\n`;
    }
    case 'json': {
      const doc = {
        generatedAt,
        account: input.account,
        workspaces: input.columns.map(({ column }) => ({
          name: column.workspace.name,
          workspaceId: column.workspace.workspaceId,
          host: column.workspace.host ?? null,
          status: column.workspace.status,
          load: column.kind,
          problem: column.kind === 'failed' ? column.failure : column.kind === 'ready' ? column.warning : null,
          identity: column.kind === 'ready' ? column.snapshot.identity : null,
          metastore: column.kind === 'ready' ? column.snapshot.metastore : null,
          partners:
            column.kind === 'ready'
              ? column.snapshot.partners
                  .filter((s) => input.includeNotConnected || s.state !== 'not-connected')
                  .map((s) => ({
                    partnerId: s.partnerId,
                    partner: s.partner.displayName,
                    category: s.partner.category,
                    state: s.state,
                    reasons: reasonsOf(s),
                    servicePrincipal: s.servicePrincipal ? { displayName: s.servicePrincipal.displayName, applicationId: s.servicePrincipal.applicationId, id: s.servicePrincipal.id, active: s.servicePrincipal.active } : null,
                    credentials: s.credentials.map((c) => ({ kind: c.kind, id: c.id, createdAt: c.createdAt, expiry: c.expiry, lastUsedDay: c.lastUsedDay })),
                    compute: s.compute,
                    catalog: s.catalog,
                    schemas: s.schemas,
                    grantsDiffer: s.grants.differences.length,
                    connectedBy: s.record?.connectedBy ?? null,
                    connectedAt: s.record?.connectedAt ?? null,
                    partnerAccountAdministrator: s.partnerAccountAdministrator,
                  }))
              : [],
        })),
      };
      return `${JSON.stringify(doc, null, 2)}\n`;
    }
    case 'markdown': {
      const out: string[] = [];
      const acct = input.account;
      out.push(`# Partner Connect fleet report${acct ? `: ${acct.name}` : ''}`, '');
      out.push(`Generated ${generatedAt}${acct ? ` · account ${acct.accountId} · ${acct.host}` : ''}. No credential values: credential ids and expiry dates only.`, '');
      const ready = input.columns.filter((c) => c.column.kind === 'ready');
      const failed = input.columns.filter((c) => c.column.kind === 'failed');
      out.push(`${input.columns.length} workspace(s): ${ready.length} loaded, ${failed.length} not loaded.`, '');
      // the matrix: partners with a connection somewhere
      const partnerIds = new Set(rows(input).map((r) => r.partnerId));
      if (partnerIds.size > 0 && ready.length > 0) {
        out.push('## Partner × workspace', '');
        out.push(`| partner | ${ready.map((c) => mdCell(c.column.workspace.name)).join(' | ')} |`);
        out.push(`|---|${ready.map(() => '---').join('|')}|`);
        const names = new Map<string, string>();
        for (const c of ready) if (c.column.kind === 'ready') for (const s of c.column.snapshot.partners) names.set(s.partnerId, s.partner.displayName);
        for (const id of [...partnerIds].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b))) {
          const cells = ready.map((c) => {
            const s = c.column.kind === 'ready' ? c.column.snapshot.partners.find((p) => p.partnerId === id) : undefined;
            return s ? (s.state === 'not-connected' ? '·' : STATE_WORDS[s.state]) : '?';
          });
          out.push(`| ${mdCell(names.get(id) ?? id)} | ${cells.join(' | ')} |`);
        }
        out.push('');
      }
      out.push('## Workspaces', '');
      for (const { column } of input.columns) {
        const ws = column.workspace;
        out.push(`### ${ws.name}`, '', `- workspace id ${ws.workspaceId}${ws.host ? ` · ${ws.host}` : ''} · ${ws.status}${ws.region ? ` · ${ws.region}` : ''}`);
        if (column.kind === 'failed') {
          out.push(`- **not loaded** (${column.failure.code}): ${column.failure.message}`, '');
          continue;
        }
        if (column.kind !== 'ready') {
          out.push(`- ${column.kind}`, '');
          continue;
        }
        const snap = column.snapshot;
        out.push(`- signed in as ${snap.identity.userName}${snap.identity.isWorkspaceAdmin ? ' (workspace admin)' : ''}${snap.metastore ? ` · metastore ${snap.metastore.name ?? snap.metastore.metastoreId}` : ' · no Unity Catalog metastore'}`);
        if (column.warning) out.push(`- **warning** (${column.warning.code}): ${column.warning.message}`);
        const connected = snap.partners.filter((s) => s.state !== 'not-connected');
        if (connected.length === 0) {
          out.push('- no partner connected', '');
          continue;
        }
        out.push('', '| partner | state | principal | credentials (kind, id, expiry) | compute | catalog | connected by |', '|---|---|---|---|---|---|---|');
        for (const s of connected) {
          const r = rowOf(ws, s);
          out.push(
            `| ${mdCell(r.partner)} | ${mdCell(STATE_WORDS[s.state] + (r.reasons ? ` (${r.reasons})` : ''))} | ${mdCell(r.servicePrincipal || '—')} | ${mdCell(r.credentials || '—')} | ${mdCell(r.compute || '—')} | ${mdCell([r.catalog, r.schemas].filter(Boolean).join(': ') || '—')} | ${mdCell(r.connectedBy ? `${r.connectedBy} ${r.connectedAt}` : '—')} |`,
          );
        }
        out.push('');
      }
      return out.join('\n');
    }
  }
}
