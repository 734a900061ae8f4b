/**
 * Messages between a fleet bulk action view (webview, src/webview/bulk.ts) and its host
 * (src/vscode/webviews/bulkPanel.ts): the connect form (one row per workspace: catalog, schemas,
 * warehouse, with defaults), the preview per workspace, the one confirmation, progress per
 * workspace and the result table. Both sides validate every message they receive.
 * No `vscode` import: this file is bundled into the webview too; zod/mini keeps that bundle small.
 */
import * as z from 'zod/mini';
import { CatalogOption, SchemaSelection, WarehouseChoice, WarehouseOption } from './connect';

export const BulkAction = z.enum(['connect', 'rotate', 'offboard']);
export type BulkAction = z.infer<typeof BulkAction>;

export const BulkPhaseName = z.enum(['loading', 'form', 'previewing', 'preview', 'running', 'done']);
export type BulkPhaseName = z.infer<typeof BulkPhaseName>;

export const FormWorkspace = z.object({
  key: z.string(),
  name: z.string(),
  host: z.nullable(z.string()),
  /** the partner's state there, as the matrix shows it */
  state: z.string(),
  /** false: shown with `reason`, not choosable (already connected, not loaded, …) */
  selectable: z.boolean(),
  reason: z.optional(z.string()),
  catalogs: z.array(CatalogOption),
  schemas: z.array(z.string()),
  warehouses: z.array(WarehouseOption),
  defaults: z.object({ catalog: z.optional(z.string()), schemas: z.array(z.string()), warehouse: z.optional(WarehouseChoice) }),
});
export type FormWorkspace = z.infer<typeof FormWorkspace>;

export const FormChoice = z.object({
  key: z.string(),
  catalog: z.optional(z.string()),
  schemas: z._default(z.array(z.string()), []),
  warehouse: z.optional(WarehouseChoice),
});
export type FormChoice = z.infer<typeof FormChoice>;

export const PreviewItemView = z.object({
  key: z.string(),
  workspace: z.string(),
  host: z.nullable(z.string()),
  status: z.enum(['ready', 'skip']),
  reason: z.nullable(z.string()),
  lines: z.array(z.string()),
});

export const ProgressView = z.object({ key: z.string(), phase: z.enum(['queued', 'running', 'done', 'partly', 'failed', 'skipped', 'cancelled']), message: z.string() });

export const ResultItemView = z.object({
  key: z.string(),
  workspace: z.string(),
  host: z.nullable(z.string()),
  status: z.enum(['done', 'partly', 'failed', 'skipped', 'cancelled']),
  message: z.string(),
  details: z.array(z.string()),
  leftovers: z.array(z.object({ kind: z.string(), name: z.string(), id: z.string() })),
  seconds: z.number(),
  /** credentials to copy once: partner id + label (never the value) */
  secrets: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type ResultItemView = z.infer<typeof ResultItemView>;

export const HostToBulk = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    action: BulkAction,
    title: z.string(),
    account: z.string(),
    partner: z.nullable(z.object({ id: z.string(), name: z.string(), schemaSelection: SchemaSelection, usesWarehouse: z.boolean(), needsCatalog: z.boolean(), newWarehouseName: z.string() })),
    strings: z.record(z.string(), z.string()),
  }),
  z.object({ type: z.literal('phase'), phase: BulkPhaseName }),
  z.object({ type: z.literal('form'), workspaces: z.array(FormWorkspace) }),
  z.object({ type: z.literal('schemas'), requestId: z.number(), key: z.string(), catalog: z.string(), schemas: z.array(z.string()), error: z.optional(z.string()) }),
  z.object({ type: z.literal('preview'), items: z.array(PreviewItemView), notes: z.array(z.string()), confirmLabel: z.string() }),
  z.object({ type: z.literal('progress'), items: z.array(ProgressView) }),
  z.object({ type: z.literal('result'), items: z.array(ResultItemView), counts: z.record(z.string(), z.number()), cancelled: z.boolean() }),
  z.object({ type: z.literal('copied'), key: z.string(), id: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type HostToBulk = z.infer<typeof HostToBulk>;

export const BulkToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('loadSchemas'), requestId: z.number(), key: z.string(), catalog: z.string() }),
  z.object({ type: z.literal('preview'), choices: z._default(z.array(FormChoice), []) }),
  z.object({ type: z.literal('back') }),
  z.object({ type: z.literal('run') }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('copySecret'), key: z.string(), id: z.string() }),
  z.object({ type: z.literal('showLog') }),
  z.object({ type: z.literal('close') }),
]);
export type BulkToHost = z.infer<typeof BulkToHost>;

export const BULK_STRINGS = {
  workspace: 'Workspace',
  use: 'Connect',
  state: 'Now',
  catalog: 'Catalog',
  schemas: 'Schemas',
  warehouse: 'SQL warehouse',
  newWarehouse: 'new: {0}',
  none: '—',
  preview: 'Preview…',
  previewing: 'Checking every workspace (nothing is created)…',
  back: 'Back',
  cancel: 'Cancel',
  close: 'Close',
  showLog: 'Show Log',
  willRun: 'Will run in {0} workspace(s); {1} skipped.',
  skipped: 'skipped',
  running: 'Running in {0} workspace(s)…',
  result: 'Result',
  status: 'Status',
  what: 'What happened',
  leftovers: 'Left behind (remove by hand or run again)',
  copy: 'Copy {0} (once)',
  copied: 'copied',
  chooseOne: 'Choose at least one workspace.',
  selectAll: 'all',
  time: 'Time',
  loading: 'Loading the workspaces…',
  'phase.queued': 'queued',
  'phase.running': 'running',
  'phase.done': 'done',
  'phase.partly': 'partly done',
  'phase.failed': 'failed',
  'phase.skipped': 'skipped',
  'phase.cancelled': 'cancelled',
} as const;
export type BulkStringKey = keyof typeof BULK_STRINGS;
