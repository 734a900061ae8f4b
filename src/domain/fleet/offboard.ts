/**
 * Offboard a partner everywhere: in each workspace where it has anything, the single-workspace
 * disconnect preview (every resource that will be permanently deleted, by name and id, and what is
 * kept), then `disconnect` — a reset, or the service principal only. Account-level principals of
 * the partner (found with one account SCIM call) are named: deleting a workspace principal may only
 * remove it from that workspace when identity federation keeps it in the account.
 */
import type { AccountServicePrincipal } from '../../client/account/accountClient';
import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import { disconnect } from '../disconnect/disconnect';
import { previewDisconnect } from '../disconnect/preview';
import type { DisconnectMode } from '../disconnect/types';
import type { CatalogPartner } from '../partners/catalog';
import { mapBounded } from './bounded';
import { describeResource } from '../errors';
import { runBulk, type BulkItemOutcome, type BulkPreview, type BulkPreviewItem, type BulkReport, type BulkRunOptions, type BulkTarget } from './bulk';

export async function previewOffboard(
  targets: readonly BulkTarget[],
  partner: CatalogPartner,
  mode: DisconnectMode,
  o: { concurrency?: number; signal?: AbortSignal; accountPrincipals?: AccountServicePrincipal[] | null } = {},
): Promise<BulkPreview<DisconnectMode>> {
  const results = await mapBounded(
    targets,
    async (t, signal): Promise<BulkPreviewItem<DisconnectMode>> => {
      const base = { key: t.key, workspace: t.workspace.name, host: t.workspace.host ?? null };
      const ctx = await t.context();
      const p = await previewDisconnect(ctx.client, partner, mode, { recordFolder: ctx.recordFolder, signal });
      if (p.items.length === 0) return { ...base, status: 'skip', reason: `nothing of ${partner.displayName} to delete here`, lines: [], payload: null };
      const lines = [...p.items.map((i) => `delete permanently: ${describeResource(i)}${i.note ? ` — ${i.note}` : ''}`), ...p.keeps.map((k) => `keep: ${k}`)];
      return { ...base, status: 'ready', reason: null, lines, payload: mode };
    },
    { limit: o.concurrency ?? 8, signal: o.signal },
  );
  const items = results.map((r): BulkPreviewItem<DisconnectMode> =>
    r.status === 'done'
      ? r.value
      : { key: r.item.key, workspace: r.item.workspace.name, host: r.item.workspace.host ?? null, status: 'skip', reason: r.status === 'cancelled' ? 'cancelled' : `the preview failed: ${r.error instanceof Error ? r.error.message.split('\n')[0] : String(r.error)}`, lines: [], payload: null },
  );
  const notes: string[] = [];
  const acct = (o.accountPrincipals ?? []).filter((sp) => partner.servicePrincipalName && sp.displayName.toLowerCase() === partner.servicePrincipalName.toLowerCase());
  if (acct.length > 0) {
    notes.push(
      `The account holds ${acct.length} principal(s) named ${partner.servicePrincipalName} (${acct.map((a) => a.applicationId).join(', ')}). Deleting a workspace's principal may only remove it from that workspace when identity federation keeps it in the account: check the account console afterwards.`,
    );
  }
  notes.push(
    mode === 'reset'
      ? 'A reset deletes the connection record too; the partner account and its settings are not deleted.'
      : 'Service principal only: the check mark (record) stays in each workspace until a reset.',
  );
  return { action: 'offboard', title: `${mode === 'reset' ? 'Offboard (reset)' : 'Delete the service principal of'} ${partner.displayName} everywhere`, items, notes };
}

export interface OffboardOptions extends BulkRunOptions {
  partnerCredentials?: PartnerCredentials;
}

export function offboard(preview: BulkPreview<DisconnectMode>, targets: readonly BulkTarget[], partner: CatalogPartner, o: OffboardOptions = {}): Promise<BulkReport> {
  return runBulk(
    preview,
    targets,
    async (ctx, mode, signal, step): Promise<BulkItemOutcome> => {
      const r = await disconnect(ctx, partner, mode, {
        signal,
        partnerCredentials: o.partnerCredentials,
        onProgress: (p) => {
          if (p.status === 'started') step(`deleting ${p.item.kind} ${p.item.name}`);
        },
      });
      const details = [
        ...r.deleted.map((i) => `deleted ${describeResource(i)}`),
        ...r.alreadyGone.map((i) => `already gone: ${describeResource(i)}`),
        ...(r.partnerNotification ? [`partner notified: ${r.partnerNotification.displayMessage ?? r.partnerNotification.outcome}`] : []),
      ];
      return { status: 'done', message: `${r.deleted.length + r.alreadyGone.length} item(s) removed${mode === 'service-principal-only' ? '; the check mark stays' : ''}`, details };
    },
    o,
  );
}
