/**
 * Messages between the fleet matrix (webview, src/webview/matrix.ts) and its host
 * (src/vscode/webviews/matrixPanel.ts). Both sides validate every message they receive.
 * No `vscode` import: this file is bundled into the webview too; zod/mini keeps that bundle small.
 */
import * as z from 'zod/mini';

export const STATE_NAMES = ['connected', 'connected-outside', 'check-mark-only', 'degraded', 'not-connected'] as const;
export const StateName = z.enum(STATE_NAMES);
export const CellStateName = z.enum([...STATE_NAMES, 'unknown']);

export const MatrixFilterView = z.object({
  states: z._default(z.array(StateName), []),
  categories: z._default(z.array(z.string()), []),
  expiringWithinDays: z._default(z.nullable(z.int().check(z.minimum(0), z.maximum(3650))), null),
});
export type MatrixFilterView = z.infer<typeof MatrixFilterView>;

export const CellView = z.object({
  state: CellStateName,
  reasons: z.array(z.string()),
  expires: z.nullable(z.string()),
  expiring: z.boolean(),
  match: z.boolean(),
  principal: z.nullable(z.string()),
});
export type CellView = z.infer<typeof CellView>;

export const ColumnView = z.object({
  key: z.string(),
  name: z.string(),
  host: z.nullable(z.string()),
  status: z.enum(['pending', 'loading', 'ready', 'failed']),
  reason: z.nullable(z.string()),
  reasonCode: z.nullable(z.string()),
  counts: z.record(z.string(), z.number()),
});
export type ColumnView = z.infer<typeof ColumnView>;

export const RowView = z.object({
  partnerId: z.string(),
  name: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  connectedIn: z.number(),
  /** principals named like the partner's in the account (account SCIM), null when unknown */
  accountPrincipals: z.nullable(z.number()),
  cells: z.array(CellView),
});
export type RowView = z.infer<typeof RowView>;

export const MatrixData = z.object({
  account: z.object({ name: z.string(), host: z.string(), accountId: z.string() }),
  columns: z.array(ColumnView),
  rows: z.array(RowView),
  hidden: z.number(),
  filter: MatrixFilterView,
  categories: z.array(z.object({ id: z.string(), label: z.string() })),
  progress: z.object({ loaded: z.number(), total: z.number() }),
  listNote: z.nullable(z.string()),
});
export type MatrixData = z.infer<typeof MatrixData>;

export const BulkActionName = z.enum(['connect', 'rotate', 'offboard', 'report']);

export const HostToMatrix = z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), data: MatrixData, strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('loading') }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type HostToMatrix = z.infer<typeof HostToMatrix>;

export const MatrixToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('setFilter'), filter: MatrixFilterView }),
  z.object({ type: z.literal('reveal'), key: z.string(), partnerId: z.string() }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('action'), action: BulkActionName, partnerId: z.optional(z.string()) }),
  z.object({ type: z.literal('showLog') }),
]);
export type MatrixToHost = z.infer<typeof MatrixToHost>;

/** English texts of the view; the host sends them localised. */
export const MATRIX_STRINGS = {
  title: 'Fleet: {0}',
  subtitle: '{0} · account {1}',
  loaded: '{0} of {1} workspaces loaded',
  refresh: 'Refresh',
  connect: 'Connect a partner…',
  rotate: 'Rotate expiring credentials…',
  offboard: 'Offboard a partner…',
  report: 'Export report…',
  filters: 'Filters',
  state: 'State',
  category: 'Category',
  allCategories: 'All categories',
  expiring: 'Credential expiring within',
  anyExpiry: 'any time (no filter)',
  days: '{0} days',
  partner: 'Partner',
  hidden: '{0} partner(s) hidden by the filters',
  noRows: 'No partner matches the filters.',
  loading: 'loading…',
  failed: 'not loaded',
  notAdmin: 'not an admin',
  expires: 'expires {0}',
  principals: '{0} principal(s) named like it in the account',
  connectedIn: 'in {0} workspace(s)',
  keyboard: 'Arrow keys move between cells, Enter shows the partner in the tree, Home/End jump to the row’s ends.',
  'state.connected': 'Connected',
  'state.connected-outside': 'Connected outside this extension',
  'state.check-mark-only': 'Check mark only',
  'state.degraded': 'Degraded',
  'state.not-connected': 'Not connected',
  'state.unknown': 'Unknown (workspace not loaded)',
  'reason.not-running': 'not running',
  'reason.no-url': 'no URL',
  'reason.not-assigned': 'not assigned',
  'reason.sign-in': 'sign-in refused',
  'reason.not-admin': 'not an admin',
  'reason.gateway': 'gateway error',
  'reason.unreachable': 'unreachable',
  'reason.timeout': 'timed out',
  'reason.error': 'not loaded',
  showLog: 'Show Log',
} as const;
export type MatrixStringKey = keyof typeof MATRIX_STRINGS;
