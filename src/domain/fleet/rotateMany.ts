/**
 * Rotate, across the fleet, every partner credential that expires within N days (expired ones
 * included): the preview names each workspace's partners, credentials and expiry from the
 * snapshots; the run calls the single-workspace `rotateCredential` for each, which creates the new one,
 * hands it over exactly once (`deliverSecretOnce`), records its id, then deletes the old one(s).
 * Workspaces that are not loaded, or where the identity is not an admin, are listed as skipped.
 */
import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import { rotateCredential } from '../housekeeping/rotateToken';
import { CREDENTIAL_WORDS, type CredentialKind } from '../credentials/types';
import type { PartnerCatalog } from '../partners/catalog';
import { describeCause } from '../errors';
import { runBulk, type BulkItemOutcome, type BulkPreview, type BulkPreviewItem, type BulkReport, type BulkRunOptions, type BulkTarget } from './bulk';
import { expiringCredentials } from './credentials';
import type { FleetColumn } from './workspaces';

export interface RotationPayload {
  partners: Array<{ partnerId: string; name: string; principal: string; credentials: Array<{ kind: CredentialKind; id: string; expiresAt: string; daysLeft: number }> }>;
}

export function planFleetRotation(columns: ReadonlyArray<{ key: string; column: FleetColumn }>, withinDays: number, now = Date.now()): BulkPreview<RotationPayload> {
  const items: BulkPreviewItem<RotationPayload>[] = [];
  let nothing = 0;
  for (const { key, column } of columns) {
    const base = { key, workspace: column.workspace.name, host: column.workspace.host ?? null };
    if (column.kind !== 'ready') {
      items.push({ ...base, status: 'skip', reason: `not checked: ${column.kind === 'failed' ? column.failure.message : 'the workspace is still loading'}`, lines: [], payload: null });
      continue;
    }
    const partners: RotationPayload['partners'] = [];
    for (const s of column.snapshot.partners) {
      if (!s.servicePrincipal || (s.state !== 'connected' && s.state !== 'degraded')) continue;
      const creds = expiringCredentials(s, withinDays, now);
      if (creds.length === 0) continue;
      partners.push({ partnerId: s.partnerId, name: s.partner.displayName, principal: s.servicePrincipal.displayName, credentials: creds.map((c) => ({ kind: c.kind, id: c.id, expiresAt: c.expiresAt, daysLeft: c.daysLeft })) });
    }
    if (partners.length === 0) {
      nothing++;
      continue;
    }
    const lines = partners.flatMap((p) =>
      p.credentials.map((c) => `${p.name}: new ${CREDENTIAL_WORDS[c.kind]} for ${p.principal}, then delete ${CREDENTIAL_WORDS[c.kind]} ${c.id} (${c.daysLeft < 0 ? `expired ${c.expiresAt.slice(0, 10)}` : `expires ${c.expiresAt.slice(0, 10)}, in ${c.daysLeft} day(s)`})`),
    );
    if (column.warning) {
      items.push({ ...base, status: 'skip', reason: column.warning.message, lines, payload: null });
      continue;
    }
    items.push({ ...base, status: 'ready', reason: null, lines, payload: { partners } });
  }
  const notes = [`${nothing} loaded workspace(s) have no partner credential expiring within ${withinDays} day(s).`, 'Each new credential is handed to you once: enter it in the partner’s connection settings (the Partner Connect protocol has no call to replace a credential).'];
  return { action: 'rotate', title: `Rotate partner credentials expiring within ${withinDays} day(s)`, items, notes };
}

export interface FleetRotateOptions extends BulkRunOptions {
  partnerCredentials?: (partnerId: string) => Promise<PartnerCredentials | undefined>;
  /** the new token of a partner in a workspace, exactly once (never stored by the engine) */
  deliverSecretOnce: (key: string, partnerId: string, value: string) => void | Promise<void>;
}

export function rotateFleet(preview: BulkPreview<RotationPayload>, targets: readonly BulkTarget[], catalog: PartnerCatalog, o: FleetRotateOptions): Promise<BulkReport> {
  return runBulk(
    preview,
    targets,
    async (ctx, payload, signal, step, target): Promise<BulkItemOutcome> => {
      const details: string[] = [];
      let ok = 0;
      for (const p of payload.partners) {
        if (signal?.aborted) {
          details.push(`${p.name}: not rotated (cancelled)`);
          continue;
        }
        step(`rotating ${p.name}`);
        try {
          const partner = catalog.require(p.partnerId);
          const r = await rotateCredential(ctx, partner, {
            signal,
            partnerCredentials: await o.partnerCredentials?.(p.partnerId),
            deliverSecretOnce: (v) => o.deliverSecretOnce(target.key, p.partnerId, v),
          });
          ok++;
          details.push(`${p.name}: new ${CREDENTIAL_WORDS[r.kind]} ${r.newCredentialId}${r.expiresAt ? ` (expires ${r.expiresAt.slice(0, 10)})` : ''}; deleted ${r.deletedCredentialIds.join(', ') || 'nothing'}`);
        } catch (e) {
          details.push(`${p.name}: failed — ${describeCause(e)}`);
        }
      }
      const total = payload.partners.length;
      return { status: ok === total ? 'done' : ok === 0 ? 'failed' : 'partly', message: `${ok} of ${total} partner credential(s) rotated`, details };
    },
    o,
  );
}
