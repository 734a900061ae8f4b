/**
 * Housekeeping commands: Rotate Credential… (a token or an OAuth secret), Find Orphans… (and their clean-up), Move Legacy Records…
 * — what keeps existing connections healthy (src/domain/housekeeping, src/domain/record/migrate.ts).
 */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import {
  cleanupEffects,
  cleanupRef,
  connectionCredentialKind,
  snapshotCloud,
  cleanUpOrphans,
  rotateEffects,
  findOrphans,
  rotateToken,
  planLegacyMigration,
  migrateLegacyRecords,
  describePlanEntry,
  describeTrust,
  LEGACY_RECORD_FOLDER,
  type CleanupStep,
} from '../../domain';
import { recorded } from '../history/recorder';
import type { Services } from '../services';
import { stateExplanation } from '../tree/presentation';
import { UserCancelled, withCancellableProgress } from './action';
import { formatTime } from '../ui/time';
import { rotateWords } from '../ui/credentialWords';
import { resolvePartner, resolveWorkspace } from './targets';

export async function rotateTokenCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    states: ['connected', 'degraded'],
    accept: (st) => st.servicePrincipal !== null && st.partner.needsServicePrincipal,
    title: vscode.l10n.t('Partner Connect: rotate a connection’s credential'),
    none: vscode.l10n.t('No connected partner has a service principal in this workspace.'),
  });
  const { ws, partner, status } = target;
  const loaded = s.model.peek(ws);
  const host = s.model.entry(ws).host;
  const words = rotateWords(connectionCredentialKind(partner, host, status.record, status.credentials, loaded?.kind === 'ready' ? snapshotCloud(loaded.snapshot) : undefined));
  const old = status.credentials.map((x) => `${x.kind === 'pat' ? vscode.l10n.t('token') : vscode.l10n.t('OAuth secret')} ${x.id} (${vscode.l10n.t('expires {0}', x.expiry === 'never' ? vscode.l10n.t('never') : formatTime(x.expiry))})`);
  const ok = await s.prompter().confirm({
    id: 'rotateToken',
    message: words.question(partner.displayName, ws),
    detail: [
      vscode.l10n.t('A new credential of the same kind and lifetime is created for {0} and handed to you once; then the old one(s) are permanently deleted:', status.servicePrincipal?.displayName ?? ''),
      ...(old.length > 0 ? old.map((id) => `• ${id}`) : [words.noneNow]),
    ].join('\n'),
    confirm: words.confirm,
    safe: words.keep,
  });
  if (!ok) throw new UserCancelled();
  let secret: string | undefined;
  try {
    const partnerCredentials = await s.store.getPartnerCredential(partner.id);
    const ctx = await s.model.engineContext(ws);
    const res = await withCancellableProgress(words.progress(partner.displayName), (signal) =>
      recorded(
        s,
        ws,
        { action: 'rotate', partnerId: partner.id, partnerName: partner.displayName },
        () =>
          rotateToken(ctx, partner, {
            signal,
            partnerCredentials,
            deliverSecretOnce: (value) => {
              s.log.redactor.addSecret(value);
              secret = value;
            },
          }),
        rotateEffects,
      ),
    );
    // the kind made may differ from the one asked for (a refused on-behalf-of token becomes an OAuth secret)
    const copy = rotateWords(res.kind).copy;
    const message = vscode.l10n.t(
      'Rotated the credential of {0}: new {1} {2}, expires {3}; deleted {4}.',
      partner.displayName,
      res.kind === 'pat' ? vscode.l10n.t('token') : vscode.l10n.t('OAuth secret (client id {0})', status.servicePrincipal?.applicationId ?? ''),
      res.newCredentialId,
      res.expiresAt ? formatTime(res.expiresAt) : vscode.l10n.t('unknown'),
      res.deletedCredentialIds.join(', ') || vscode.l10n.t('none'),
    );
    if (secret) {
      // Not awaited: the command ends (and the tree reloads) while the message waits for Copy; a failed
      // copy is said, not lost.
      void s
        .prompter()
        .notify({ id: 'rotateToken.done', severity: 'info', message: `${message} ${vscode.l10n.t('Enter the new credential at the partner: copy it now, it cannot be retrieved again.')}`, actions: [copy] })
        .then(async (a) => {
          if (a === copy && secret) {
            const v = secret;
            secret = undefined;
            await s.prompter().writeClipboard('token', v);
          }
          secret = undefined;
        })
        .catch((e: unknown) => {
          s.log.error('rotate: copying the new credential to the clipboard failed', e);
          tell(s.prompter(), { id: 'rotateToken.copyFailed', severity: 'error', message: vscode.l10n.t('The new credential could not be copied to the clipboard: {0}', e instanceof Error ? e.message : String(e)) });
        });
    } else {
      tell(s.prompter(), { id: 'rotateToken.done', severity: 'info', message });
    }
  } finally {
    await s.model.invalidate(ws);
    s.inspectPanels.refreshFor(ws, partner.id);
  }
}

export async function findOrphansCommand(s: Services, arg: unknown): Promise<void> {
  const ws = await resolveWorkspace(s, arg);
  const client = await s.model.client(ws);
  const catalog = await s.model.catalog();
  const report = await withCancellableProgress(vscode.l10n.t('Looking for orphaned partner resources in {0}…', ws), (signal) => findOrphans(client, catalog, { recordFolder: s.model.recordFolder(), signal }));
  // principals of partners connected outside this extension are not orphans: named apart, never offered for deletion
  if (report.connectedOutside.length > 0) {
    s.log.info(`[${ws}] find orphans: not orphans: ${report.connectedOutside.map((c) => `${c.servicePrincipal.displayName} (${c.servicePrincipal.id}): ${c.explanation}`).join(' | ')}`);
    tell(s.prompter(), {
      id: 'findOrphans.connectedOutside',
      severity: 'info',
      message: vscode.l10n.t(
        'Not orphans, so not offered for deletion: {0}. {1} Use Disconnect on the partner to reset such a connection.',
        report.connectedOutside.map((c) => `${c.servicePrincipal.displayName} (${c.partner.displayName})`).join(', '),
        stateExplanation('connected-outside'),
      ),
    });
  }
  if (report.cleanup.length === 0) {
    tell(s.prompter(), { id: 'findOrphans.none', severity: 'info', message: vscode.l10n.t('No orphaned partner resources in {0}.', ws) });
    return;
  }
  const chosen = await s.prompter().pickMany<CleanupStep>({
    id: 'findOrphans.select',
    title: vscode.l10n.t('{0} orphaned resource(s) in {1}: choose what to delete', report.cleanup.length, ws),
    placeholder: vscode.l10n.t('Selected items are deleted permanently after a confirmation'),
    items: report.cleanup.map((c) => ({ label: c.name, description: `${c.kind === 'delete-service-principal' ? vscode.l10n.t('service principal') : vscode.l10n.t('SQL warehouse')} · ${c.id}`, detail: c.description, value: c, picked: false })),
  });
  if (!chosen || chosen.length === 0) throw new UserCancelled();
  const ok = await s.prompter().confirm({
    id: 'findOrphans.confirm',
    message: vscode.l10n.t('Permanently delete {0} orphaned resource(s) from {1}?', chosen.length, ws),
    detail: chosen.map((c) => `• ${c.name} (${c.id}) — ${c.description}`).join('\n'),
    confirm: vscode.l10n.t('Delete'),
    safe: vscode.l10n.t('Keep All'),
  });
  if (!ok) throw new UserCancelled();
  try {
    // one history entry per partner, so each partner's history shows its clean-up
    const byPartner = [...new Set(chosen.map((c) => c.partnerId))].map((id) => chosen.filter((c) => c.partnerId === id));
    const res = await withCancellableProgress(vscode.l10n.t('Cleaning up {0}…', ws), async (signal) => {
      const all = { done: [] as CleanupStep[], alreadyGone: [] as CleanupStep[] };
      for (const steps of byPartner) {
        const id = steps[0].partnerId;
        const r = await recorded(s, ws, { action: 'orphan-cleanup', partnerId: id, partnerName: catalog.get(id)?.displayName ?? null }, (track) =>
          cleanUpOrphans(client, steps, { signal, onDone: (c) => track.deleted(cleanupRef(c)) }),
          cleanupEffects,
        );
        all.done.push(...r.done);
        all.alreadyGone.push(...r.alreadyGone);
      }
      return all;
    });
    tell(s.prompter(), { id: 'findOrphans.done', severity: 'info', message: vscode.l10n.t('Deleted {0} orphaned resource(s) ({1} already gone).', res.done.length, res.alreadyGone.length) });
  } finally {
    await s.model.invalidate(ws);
  }
}

/** Moves the records left in /Shared/.partner-connect into the admin-only record folder, after the admin confirms the checked plan. */
export async function migrateLegacyRecordsCommand(s: Services, arg: unknown): Promise<void> {
  const ws = await resolveWorkspace(s, arg);
  const client = await s.model.client(ws);
  const catalog = await s.model.catalog();
  const snap = await s.model.snapshot(ws);
  const plan = await withCancellableProgress(vscode.l10n.t('Checking the old connection records in {0}…', ws), (signal) =>
    planLegacyMigration(client, catalog, { recordFolder: s.model.recordFolder(), signal, userName: snap.identity.userName }),
  );
  if (plan.entries.length === 0) {
    tell(s.prompter(), { id: 'migrateLegacyRecords.none', severity: 'info', message: vscode.l10n.t('No old connection records in {0} of {1}.', LEGACY_RECORD_FOLDER, ws) });
    return;
  }
  if (plan.trust.kind !== 'trusted') {
    tell(s.prompter(), { id: 'migrateLegacyRecords.untrusted', severity: 'warning', message: vscode.l10n.t('The records are not moved: {0}', describeTrust(plan.trust)) });
    return;
  }
  const moving = plan.entries.filter((e) => e.action === 'move');
  const staying = plan.entries.filter((e) => e.action !== 'move');
  if (moving.length === 0) {
    tell(s.prompter(), { id: 'migrateLegacyRecords.nothing', severity: 'info', message: vscode.l10n.t('No old record can be moved: {0}', staying.map(describePlanEntry).join(' ')) });
    return;
  }
  const detail = [
    vscode.l10n.t('Every user can edit {0}, so each record was checked against the workspace; only what the workspace confirms is carried over, and nothing the record alone claims becomes something a Disconnect deletes.', LEGACY_RECORD_FOLDER),
    '',
    vscode.l10n.t('Moved to {0}:', plan.recordFolder),
    ...moving.flatMap((e) => [`• ${e.partnerName} (${e.path})`, ...e.findings.map((f) => `    – ${f}`)]),
    ...(staying.length ? ['', vscode.l10n.t('Left where they are:'), ...staying.map((e) => `• ${e.partnerName} (${e.path}): ${e.reason ?? ''}`)] : []),
    ...(plan.otherFiles.length ? ['', vscode.l10n.t('Other files there are left alone: {0}', plan.otherFiles.join(', '))] : []),
  ].join('\n');
  const ok = await s.prompter().confirm({ id: 'migrateLegacyRecords', message: vscode.l10n.t('Move {0} old connection record(s) into {1} in {2}?', moving.length, plan.recordFolder, ws), detail, confirm: vscode.l10n.t('Move Records') });
  if (!ok) throw new UserCancelled();
  try {
    const res = await withCancellableProgress(vscode.l10n.t('Moving the old connection records…'), (signal) => migrateLegacyRecords(client, plan, { signal }));
    s.log.info(`[${ws}] moved old records: ${res.moved.map((m) => `${m.from} → ${m.to}`).join(', ') || 'none'}; left: ${res.skipped.map((x) => `${x.path} (${x.reason})`).join(', ') || 'none'}`);
    tell(s.prompter(), {
      id: 'migrateLegacyRecords.done',
      severity: 'info',
      message: vscode.l10n.t('Moved {0} old connection record(s) into {1}.', res.moved.length, plan.recordFolder) + (res.skipped.length ? ` ${vscode.l10n.t('Left where they are: {0}.', res.skipped.map((x) => `${x.path} (${x.reason})`).join('; '))}` : ''),
    });
  } finally {
    await s.model.invalidate(ws);
  }
}
