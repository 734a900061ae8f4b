/**
 * The Partner × workspace matrix: one row per partner, one column per workspace, each cell the
 * partner's state there. Filters: states (a row shows when one of its cells is in a chosen state),
 * categories, and "a credential expires within N days". Columns that are loading or failed keep
 * their place and say why; their cells are `unknown`.
 */
import type { CatalogPartner } from '../partners/catalog';
import { reasonsOf, type ConnectionStateName, type PartnerStatus } from '../state/types';
import { expiringCredentials, soonestExpiry } from './credentials';
import type { FleetColumn } from './workspaces';

export type CellState = ConnectionStateName | 'unknown';

export interface MatrixFilter {
  states: ConnectionStateName[];
  categories: string[];
  /** only partners with a credential expiring within this many days (expired included) */
  expiringWithinDays: number | null;
}
export const NO_MATRIX_FILTER: MatrixFilter = { states: [], categories: [], expiringWithinDays: null };

export interface MatrixCell {
  state: CellState;
  /** degraded reasons (codes) */
  reasons: string[];
  /** the soonest credential expiry (ISO) or null */
  expires: string | null;
  /** a credential expires within the filter's days */
  expiring: boolean;
  /** matches the state filter (or no state filter) */
  match: boolean;
  principal: string | null;
}

export interface MatrixColumnView {
  /** the key the caller gave the column (e.g. the tree's workspace name) */
  key: string;
  name: string;
  host: string | null;
  status: FleetColumn['kind'];
  /** failed: why; ready with a warning: the warning */
  reason: string | null;
  reasonCode: string | null;
  counts: Record<ConnectionStateName, number>;
}

export interface MatrixRowView {
  partnerId: string;
  name: string;
  category: string;
  cells: MatrixCell[];
  /** workspaces where the partner has a connection of any kind */
  connectedIn: number;
}

export interface MatrixView {
  columns: MatrixColumnView[];
  rows: MatrixRowView[];
  /** rows hidden by the filter */
  hidden: number;
  filter: MatrixFilter;
}

const ZERO: Record<ConnectionStateName, number> = { connected: 0, 'connected-outside': 0, 'check-mark-only': 0, degraded: 0, 'not-connected': 0 };

export function buildMatrix(
  columns: ReadonlyArray<{ key: string; column: FleetColumn }>,
  partners: readonly CatalogPartner[],
  filter: MatrixFilter = NO_MATRIX_FILTER,
  now = Date.now(),
): MatrixView {
  const byPartner = columns.map(({ column }) => (column.kind === 'ready' ? new Map(column.snapshot.partners.map((p) => [p.partnerId, p])) : null));
  const colViews: MatrixColumnView[] = columns.map(({ key, column }, i) => {
    const counts = { ...ZERO };
    for (const p of byPartner[i]?.values() ?? []) counts[p.state] += 1;
    const reason = column.kind === 'failed' ? column.failure : column.kind === 'ready' ? column.warning : null;
    return { key, name: column.workspace.name, host: column.workspace.host ?? null, status: column.kind, reason: reason?.message ?? null, reasonCode: reason?.code ?? null, counts };
  });
  const days = filter.expiringWithinDays;
  const rows: MatrixRowView[] = [];
  let hidden = 0;
  for (const partner of partners) {
    const cells = byPartner.map((m): MatrixCell => {
      const s: PartnerStatus | undefined = m?.get(partner.id);
      if (!s) return { state: 'unknown', reasons: [], expires: null, expiring: false, match: filter.states.length === 0, principal: null };
      const expiring = days !== null && expiringCredentials(s, days, now).length > 0;
      return {
        state: s.state,
        reasons: reasonsOf(s).map((r) => r.code),
        expires: soonestExpiry(s),
        expiring,
        match: filter.states.length === 0 || filter.states.includes(s.state),
        principal: s.servicePrincipal?.displayName ?? null,
      };
    });
    const known = cells.filter((c) => c.state !== 'unknown');
    const shown =
      (filter.categories.length === 0 || filter.categories.includes(partner.category)) &&
      (filter.states.length === 0 || known.some((c) => c.match)) &&
      (days === null || known.some((c) => c.expiring));
    if (!shown) {
      hidden++;
      continue;
    }
    rows.push({ partnerId: partner.id, name: partner.displayName, category: partner.category, cells, connectedIn: known.filter((c) => c.state !== 'not-connected').length });
  }
  return { columns: colViews, rows, hidden, filter };
}
