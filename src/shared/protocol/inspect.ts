/**
 * Messages between the inspect view (src/webview/inspect.ts) and its host
 * (src/vscode/webviews/inspectPanel.ts). Both sides validate what they receive.
 * zod/mini (functions, not methods): the webview bundle keeps only what these schemas use.
 */
import * as z from 'zod/mini';

export const Row = z.object({ label: z.string(), value: z.string(), href: z.optional(z.string()) });
export type Row = z.infer<typeof Row>;

export const TokenView = z.object({
  id: z.string(),
  comment: z.string(),
  created: z.string(),
  expires: z.string(),
  creator: z.string(),
});
export type TokenView = z.infer<typeof TokenView>;

export const GrantView = z.object({
  securable: z.string(),
  privileges: z.array(z.string()),
});
export type GrantView = z.infer<typeof GrantView>;

export const DriftItem = z.object({ kind: z.enum(['missing', 'extra', 'other']), text: z.string() });
export type DriftItem = z.infer<typeof DriftItem>;

export const HistoryItem = z.object({
  when: z.string(),
  by: z.string(),
  action: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'rolled-back', 'cancelled']),
  outcomeLabel: z.string(),
  details: z.array(z.string()),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const InspectData = z.object({
  partner: z.object({ id: z.string(), name: z.string() }),
  workspace: z.object({ name: z.string(), host: z.string() }),
  state: z.object({ kind: z.string(), label: z.string(), reasons: z.array(z.string()) }),
  servicePrincipal: z.optional(
    z.object({
      displayName: z.string(),
      applicationId: z.string(),
      id: z.string(),
      active: z.boolean(),
      entitlements: z.array(z.string()),
      groups: z.array(z.string()),
      url: z.string(),
      /** set when the partner needs no service principal (e.g. a FIVETRAN_USER made elsewhere): why it is shown */
      notRequired: z.optional(z.string()),
    }),
  ),
  /** set for a connection that acts as the signed-in user (a NON_ADMIN partner connected by a non-admin with their own token): why no service principal is shown */
  actsAsUser: z.optional(z.string()),
  tokens: z.array(TokenView),
  /** the kind of credential the connection has (and a rotate makes): names the rotate button */
  credentialKind: z.enum(['pat', 'oauth-secret']),
  grants: z.array(GrantView),
  permissions: z.array(Row),
  compute: z.array(Row),
  record: z.array(Row),
  drift: z.object({ items: z.array(DriftItem), repairPlan: z.array(z.string()), canRepair: z.boolean() }),
  /** what the extension did to this connection, newest first; absent when it could not be read */
  history: z.optional(z.object({ items: z.array(HistoryItem), error: z.optional(z.string()), warning: z.optional(z.string()), truncated: z.boolean() })),
});
export type InspectData = z.infer<typeof InspectData>;

export const HostToInspect = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading') }),
  z.object({ type: z.literal('data'), data: InspectData, inspectedAt: z.string(), strings: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal('error'), message: z.string(), whatToDo: z.optional(z.string()) }),
  z.object({ type: z.literal('repairing') }),
  z.object({ type: z.literal('repairResult'), ok: z.boolean(), message: z.string() }),
]);
export type HostToInspect = z.infer<typeof HostToInspect>;

export const InspectToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('repair') }),
  z.object({ type: z.literal('openLink'), href: z.string() }),
  z.object({ type: z.literal('command'), command: z.enum(['disconnect', 'deleteServicePrincipal', 'rotateToken', 'showHistory', 'showAuditEvents', 'exportTerraform']) }),
  z.object({ type: z.literal('showLog') }),
]);
export type InspectToHost = z.infer<typeof InspectToHost>;

/** English texts of the view; the host may send them localised in the `data` message. */
export const INSPECT_STRINGS = {
  title: '{0} in {1}',
  refresh: 'Refresh',
  repair: 'Repair Grants…',
  repairing: 'Repairing…',
  disconnect: 'Disconnect…',
  deleteSp: 'Delete Service Principal…',
  rotate: 'Rotate Token…',
  rotateSecret: 'Rotate OAuth Secret…',
  showLog: 'Show Log',
  state: 'State',
  servicePrincipal: 'Service principal',
  noServicePrincipal: 'No service principal.',
  displayName: 'Display name',
  applicationId: 'Application id',
  scimId: 'SCIM id',
  active: 'Active',
  entitlements: 'Entitlements',
  groups: 'Groups',
  openInWorkspace: 'Open in the workspace',
  tokens: 'Credentials: tokens and OAuth secrets (metadata only — a value is never shown)',
  noTokens: 'No credential.',
  tokenId: 'Id',
  comment: 'Comment',
  created: 'Created',
  expires: 'Expires',
  creator: 'Created by',
  grants: 'Data grants',
  noGrants: 'No data grant.',
  securable: 'Securable',
  privileges: 'Privileges',
  permissions: 'Token and warehouse permissions',
  compute: 'Compute',
  record: 'Connection record',
  noRecord: 'No connection record (not connected through Partner Connect or this extension).',
  drift: 'Drift against the permission profile',
  noDrift: 'No drift: the grants are what the partner needs.',
  repairPlan: 'Repair plan',
  inspectedAt: 'Inspected at {0}',
  yes: 'yes',
  no: 'no',
  none: 'none',
  history: 'History',
  noHistory: 'No action of this extension is recorded for this connection yet.',
  historyUnreadable: 'The history could not be read: {0}',
  historyTruncated: 'Only the newest entries are shown: Show History lists them all.',
  when: 'When',
  action: 'Action',
  outcome: 'Outcome',
  by: 'By',
  what: 'What',
  showHistory: 'Show History',
  showAuditEvents: 'Show Audit Events…',
  exportTerraform: 'Export Connection as Terraform…',
} as const;
export type InspectStringKey = keyof typeof INSPECT_STRINGS;
