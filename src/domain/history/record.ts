/**
 * Recording an action in the history at ONE point: `withHistory` runs the operation and appends
 * its entry afterwards, success or failure, from the operation's typed result (or typed error) and
 * whatever the operation reported while it ran. Callers wrap each domain operation once; the
 * operations themselves know nothing of the history.
 *
 * Writing the entry never changes the operation's result: a history that cannot be written is
 * reported through `onWriteError` and the operation's value (or error) is passed on unchanged.
 */
import { isCancellation } from '../../client/errors';
import type { WorkspaceClient } from '../../client/api';
import type { ConnectResult } from '../connect/types';
import type { DisconnectItem, DisconnectResult } from '../disconnect/types';
import { ConnectRolledBackError, DisconnectIncompleteError, RollbackIncompleteError, describeCause, type ResourceRef } from '../errors';
import type { CleanupStep } from '../housekeeping/orphans';
import { RotateIncompleteError, type RotateResult } from '../housekeeping/rotateToken';
import { CREDENTIAL_WORDS, type CredentialKind } from '../credentials/types';
import { describeRepair } from '../inspect/drift';
import type { RepairOperation } from '../inspect/types';
import { appendHistory, HISTORY_SCHEMA_VERSION, newEntryId, type HistoryAction, type HistoryEntry, type HistoryOutcome, type HistoryRef } from './history';

export interface Effects {
  created?: HistoryRef[];
  changed?: HistoryRef[];
  deleted?: HistoryRef[];
  left?: HistoryRef[];
  note?: string | null;
}

/** What the operation reports while it runs (so a failure part-way still records what was done). */
export interface HistoryTracker {
  created(r: HistoryRef): void;
  changed(r: HistoryRef): void;
  deleted(r: HistoryRef): void;
}

export interface HistoryRecorder {
  client: WorkspaceClient;
  recordFolder: string;
  /** the signed-in user */
  by: string;
  extensionVersion: string;
  /** applied to the error text before it is written (the caller's secret redaction) */
  redact?: (text: string) => string;
  /** the entry could not be written; the operation's outcome is unaffected */
  onWriteError?: (error: unknown, entry: HistoryEntry) => void;
  /** the entry was written */
  onWritten?: (entry: HistoryEntry) => void;
  clock?: () => Date;
}

export interface HistorySubject {
  action: HistoryAction;
  partnerId: string | null;
  partnerName: string | null;
}

const ref = (r: ResourceRef): HistoryRef => ({ kind: r.kind, id: r.id, name: r.name });

/** The outcome and the effects a typed engine error carries. */
export function effectsOfError(e: unknown): { outcome: HistoryOutcome } & Effects {
  const outcome: HistoryOutcome = isCancellation(e) ? 'cancelled' : e instanceof ConnectRolledBackError ? 'rolled-back' : 'failed';
  if (e instanceof RollbackIncompleteError) return { outcome, deleted: e.rolledBack.map(ref), left: e.leftovers.map(ref), note: 'the rollback could not remove everything' };
  if (e instanceof ConnectRolledBackError) return { outcome, deleted: e.rolledBack.map(ref), note: e.rolledBack.length ? 'created, then removed again' : 'nothing had been created' };
  if (e instanceof RotateIncompleteError) {
    return { outcome, created: [credentialRef(e.leftovers[0]?.kind ?? 'pat', e.newCredentialId)], left: e.leftovers.map((l) => credentialRef(l.kind, l.id)), note: 'the new credential was handed over; the old one(s) could not be deleted' };
  }
  if (e instanceof DisconnectIncompleteError) return { outcome, deleted: e.done.map(ref), left: e.remaining.map(ref), note: 'run it again to resume' };
  return { outcome };
}

function errorText(e: unknown, redact: (s: string) => string): string {
  const first = (e instanceof Error ? e.message : describeCause(e)).split('\n')[0] ?? '';
  return redact(first).slice(0, 500);
}

const dedupe = (xs: HistoryRef[]): HistoryRef[] => {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.kind}\u0000${x.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** Runs `run` and appends its history entry, whatever the outcome. */
export async function withHistory<T>(rec: HistoryRecorder, subject: HistorySubject, run: (track: HistoryTracker) => Promise<T>, effects?: (result: T) => Effects): Promise<T> {
  const now = rec.clock ?? (() => new Date());
  const startedAt = now().toISOString();
  const seen = { created: [] as HistoryRef[], changed: [] as HistoryRef[], deleted: [] as HistoryRef[] };
  const track: HistoryTracker = {
    created: (r) => void seen.created.push(r),
    changed: (r) => void seen.changed.push(r),
    deleted: (r) => void seen.deleted.push(r),
  };
  const write = async (outcome: HistoryOutcome, fx: Effects, error: string | null): Promise<void> => {
    const finishedAt = now().toISOString();
    const entry: HistoryEntry = {
      schemaVersion: HISTORY_SCHEMA_VERSION,
      id: newEntryId(finishedAt, subject.action, subject.partnerId),
      action: subject.action,
      partner: subject.partnerId,
      partnerName: subject.partnerName,
      by: rec.by,
      startedAt,
      finishedAt,
      outcome,
      created: dedupe([...seen.created, ...(fx.created ?? [])]),
      changed: dedupe([...seen.changed, ...(fx.changed ?? [])]),
      deleted: dedupe([...seen.deleted, ...(fx.deleted ?? [])]),
      left: dedupe(fx.left ?? []),
      error,
      note: fx.note ?? null,
      extensionVersion: rec.extensionVersion,
    };
    try {
      // no signal: a cancelled action still records that it was cancelled
      await appendHistory(rec.client, rec.recordFolder, entry);
      rec.onWritten?.(entry);
    } catch (e) {
      rec.onWriteError?.(e, entry);
    }
  };
  let result: T;
  try {
    result = await run(track);
  } catch (e) {
    const fx = effectsOfError(e);
    await write(fx.outcome, fx, errorText(e, rec.redact ?? ((s) => s)));
    throw e;
  }
  await write('succeeded', effects ? effects(result) : {}, null);
  return result;
}

// ------------------------------------------------------------------ the effects of each action's typed result

export function connectEffects(r: ConnectResult): Effects {
  if (r.reused) return { note: 're-used the existing connection (no new service principal or credential)' };
  return { created: r.created.map(ref) };
}

export function repairEffects(r: { applied: RepairOperation[] }): Effects {
  return { changed: r.applied.map(repairRef) };
}

export function repairRef(op: RepairOperation): HistoryRef {
  const id =
    op.type === 'ucGrant' || op.type === 'ucRevoke'
      ? `${op.securableType}:${op.fullName}`
      : op.type === 'hiveGrant' || op.type === 'hiveRevoke'
        ? `${op.securableType} ${op.name}`
        : op.type === 'grantWarehouseUse'
          ? op.warehouseId
          : op.type === 'grantTokenUse'
            ? 'tokens'
            : op.entitlement;
  const kind =
    op.type === 'addEntitlement' || op.type === 'removeEntitlement' ? 'entitlement' : op.type === 'grantTokenUse' ? 'token-permission' : op.type === 'grantWarehouseUse' ? 'warehouse-permission' : 'grant';
  return { kind, id, name: describeRepair(op) };
}

/** A credential by its kind: `token` (personal access token) or `oauth-secret`. */
export function credentialRef(kind: CredentialKind, id: string): HistoryRef {
  return { kind: kind === 'pat' ? 'token' : 'oauth-secret', id };
}

export function rotateEffects(r: RotateResult): Effects {
  return {
    created: [credentialRef(r.kind, r.newCredentialId)],
    changed: [{ kind: 'record', id: r.partnerId, name: 'credential id in the connection record' }],
    deleted: r.deletedCredentialIds.map((id) => credentialRef(r.kind, id)),
    note: r.expiresAt ? `the new ${CREDENTIAL_WORDS[r.kind]} expires ${r.expiresAt.slice(0, 10)}` : null,
  };
}

export const disconnectItemRef = (i: DisconnectItem): HistoryRef => ({ kind: i.kind, id: i.id, name: i.name });

export function disconnectEffects(r: DisconnectResult): Effects {
  return {
    deleted: r.deleted.map(disconnectItemRef),
    note: [r.alreadyGone.length ? `already gone: ${r.alreadyGone.map((i) => `${i.kind} ${i.id}`).join(', ')}` : '', r.partnerNotification ? `partner notified: ${r.partnerNotification.outcome}` : '']
      .filter(Boolean)
      .join('; ') || null,
  };
}

export const cleanupRef = (s: CleanupStep): HistoryRef => ({ kind: s.kind === 'delete-service-principal' ? 'service-principal' : 'warehouse', id: s.id, name: s.name });

export function cleanupEffects(r: { done: CleanupStep[]; alreadyGone: CleanupStep[] }): Effects {
  return { deleted: r.done.map(cleanupRef), note: r.alreadyGone.length ? `already gone: ${r.alreadyGone.map((s) => s.id).join(', ')}` : null };
}
