/**
 * Rotate a connection's credential — a PAT or an OAuth secret, the kind the connection has — keeping
 * the lifetime chosen at connect (capped by the workspace's current limit):
 *   1. create the new credential (a token with a comment unique to this rotation, so that a create
 *      whose answer was lost is found again by that comment; a secret is found as the one that was
 *      not there before);
 *   2. record its id (the record is the check mark every admin sees);
 *   3. hand it over once (`deliverSecretOnce`: the Partner Connect protocol has no call to replace a
 *      credential, so the value is pasted into the partner's connection settings);
 *   4. delete the old credential(s).
 * Atomic: a failure in 1–3 deletes the new credential again and puts the record back, so the old
 * credential stays the only one; a failure in 4 leaves the new one in place (already handed over)
 * and names exactly which old credential is still alive.
 */
import { randomUUID } from 'node:crypto';
import type { CallOptions, ServicePrincipal, WorkspaceClient } from '../../client/api';
import type { EngineContext } from '../context';
import { DomainError, NotWorkspaceAdminError, PreflightError, describeCause, throwIfAborted } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import { DEFAULT_RECORD_FOLDER, recordPathFor } from '../profiles/plan';
import { readRecord, serializeRecord, type ConnectionRecord } from '../record/record';
import { connectionDetails } from '../handoff/manual';
import { isAmbiguousFailure } from '../connect/rollback';
import type { ConnectOptions } from '../connect/types';
import type { HandoffResult } from '../handoff/types';
import { createCredential, credentialChoiceFor, deleteCredential, isOboRefused, tokensWithComment, type IssuedCredential } from '../credentials/credentials';
import { readLifetimeCap } from '../credentials/lifetime';
import type { CredentialKind } from '../credentials/types';
import { CREDENTIAL_WORDS } from '../credentials/types';
import { displayNameFilters, isAdmin, sameName, tokensOf, wave } from '../util';

export interface RotateResult {
  partnerId: string;
  kind: CredentialKind;
  /** the new credential's id (token id or secret id) */
  newCredentialId: string;
  /** @deprecated the same as newCredentialId */
  newTokenId: string;
  expiresAt: string | null;
  lifetimeDays: number;
  /** the old credentials deleted after the hand-off */
  deletedCredentialIds: string[];
  /** @deprecated the same as deletedCredentialIds */
  deletedTokenIds: string[];
  handoff: HandoffResult;
}

export class RotateIncompleteError extends DomainError {
  constructor(
    partnerName: string,
    readonly newCredentialId: string,
    readonly leftovers: { kind: CredentialKind; id: string }[],
    cause: unknown,
  ) {
    super(
      'rotate-incomplete',
      `The new credential ${newCredentialId} of ${partnerName} is in place and was handed over, but ${leftovers.map((l) => `the old ${CREDENTIAL_WORDS[l.kind]} ${l.id}`).join(', ')} could not be deleted (${describeCause(cause)}).`,
      'Delete the old credential(s) named here (Inspect lists them), or rotate again.',
      { cause },
    );
    this.name = 'RotateIncompleteError';
  }
}

/** Create a new credential, record and hand it off, then delete the old one(s). */
export async function rotateCredential(ctx: EngineContext, partner: CatalogPartner, opts: Omit<ConnectOptions, 'demo'> = {}): Promise<RotateResult> {
  const { client } = ctx;
  const o: CallOptions = { signal: opts.signal };
  const folder = ctx.recordFolder ?? DEFAULT_RECORD_FOLDER;
  const log = ctx.logger ?? (() => undefined);
  throwIfAborted(opts.signal);
  if (!partner.servicePrincipalName) throw new PreflightError(partner.displayName, [{ code: 'connected-outside', message: `${partner.displayName} has no service principal, so no credential to rotate.` }]);
  const deliver = opts.deliverSecretOnce;
  if (!deliver) throw new PreflightError(partner.displayName, [{ code: 'secret-receiver-missing', message: 'The new credential must be handed to you once (deliverSecretOnce).' }]);
  const spName = partner.servicePrincipalName;
  const [me, rec, sps, tokens, cap] = await wave(o.signal, (w) => [
    client.me(w),
    readRecord(client, folder, partner.id, w),
    client.listServicePrincipals({ filter: displayNameFilters([spName])[0] }, w),
    client.listTokens({}, w),
    readLifetimeCap(client, w),
  ]);
  if (!isAdmin(me)) throw new NotWorkspaceAdminError(me.userName);
  const record = rec.kind === 'ok' ? rec.record : null;
  const sp = (record?.servicePrincipal && sps.find((s) => s.id === record.servicePrincipal?.id)) || sps.find((s) => sameName(s.displayName, partner.servicePrincipalName));
  if (!sp) throw new PreflightError(partner.displayName, [{ code: 'check-mark-only', message: `${partner.servicePrincipalName} does not exist: there is no credential to rotate. Connect the partner first.` }]);
  const secrets = await client.listServicePrincipalSecrets(sp.id, o).catch(() => []);
  const old: { kind: CredentialKind; id: string }[] = [
    ...tokensOf(tokens, sp).map((t) => ({ kind: 'pat' as const, id: t.token_id })),
    ...secrets.map((x) => ({ kind: 'oauth-secret' as const, id: x.id })),
  ];
  // the kind the connection has (the record; else what exists; else what connect would choose now)
  const choice = credentialChoiceFor(partner, client.host);
  const kind: CredentialKind = record?.credential?.kind ?? (record?.tokenId ? 'pat' : old.some((c) => c.kind === 'pat') ? 'pat' : old.length ? 'oauth-secret' : choice.kind);
  const lifetimeDays = Math.min(record?.credential?.lifetimeDays ?? cap.maxDays, cap.maxDays);
  const comment = `Partner Connect: ${partner.displayName} (rotated ${new Date().toISOString().slice(0, 10)}, ${randomUUID().slice(0, 8)})`;

  // 1. create (a refused on-behalf-of token on Azure becomes an OAuth secret, as in connect)
  let created: IssuedCredential;
  try {
    created = await createOnce(client, kind, sp, lifetimeDays, comment, secrets.map((x) => x.id), o);
  } catch (e) {
    if (kind === 'pat' && choice.fallbackToSecret && isOboRefused(e)) created = await createOnce(client, 'oauth-secret', sp, lifetimeDays, comment, secrets.map((x) => x.id), o);
    else throw e;
  }
  const newCredential = { kind: created.kind, id: created.id, expiresAt: created.expiresAt, lifetimeDays };
  const undo = async (cause: unknown): Promise<never> => {
    log(`rotate ${partner.id}: failed after creating ${created.kind} ${created.id}; deleting it again`);
    try {
      await deleteCredential(client, sp.id, created);
      if (record) await client.writeWorkspaceFile(recordPathFor(folder, partner.id), serializeRecord(record), { overwrite: true });
    } catch (err) {
      throw new DomainError(
        'rotate-failed',
        `Rotating the credential of ${partner.displayName} failed (${describeCause(cause)}) and the new ${CREDENTIAL_WORDS[created.kind]} ${created.id} could not be deleted again (${describeCause(err)}).`,
        `Delete ${CREDENTIAL_WORDS[created.kind]} ${created.id} of ${sp.displayName} by hand; the old credential still works.`,
        { cause },
      );
    }
    throw cause;
  };

  // 2. record, 3. hand over
  try {
    throwIfAborted(opts.signal);
    if (record) {
      const next: ConnectionRecord = { ...record, tokenId: created.kind === 'pat' ? created.id : null, credential: newCredential };
      await client.writeWorkspaceFile(recordPathFor(folder, partner.id), serializeRecord(next), { overwrite: true }, o);
    }
    await deliver(created.value, { kind: created.kind, id: created.id, expiresAt: created.expiresAt, clientId: created.kind === 'oauth-secret' ? sp.applicationId : null });
  } catch (e) {
    return undo(e);
  }

  // 4. the old credentials go (the new one is in use from now on)
  const deletedCredentialIds: string[] = [];
  const left: { kind: CredentialKind; id: string }[] = [];
  let firstError: unknown;
  for (const c of old) {
    try {
      await deleteCredential(client, sp.id, c);
      deletedCredentialIds.push(c.id);
    } catch (e) {
      firstError ??= e;
      left.push(c);
    }
  }
  if (left.length) throw new RotateIncompleteError(partner.displayName, created.id, left, firstError);
  const details = connectionDetails({
    workspaceUrl: client.host,
    warehouse: record?.compute?.kind === 'warehouse' ? { id: record.compute.id } : null,
    catalog: record?.catalog ?? null,
    schemas: record?.schemas ?? [],
    servicePrincipal: { applicationId: sp.applicationId, displayName: sp.displayName },
  });
  return {
    partnerId: partner.id,
    kind: created.kind,
    newCredentialId: created.id,
    newTokenId: created.id,
    expiresAt: created.expiresAt,
    lifetimeDays,
    deletedCredentialIds,
    deletedTokenIds: deletedCredentialIds,
    handoff: {
      kind: 'manual',
      details,
      signUpUrl: partner.partnerConfig?.sign_up_page ?? partner.website,
      tokenDelivered: true,
      credential: { kind: created.kind, id: created.id, expiresAt: created.expiresAt },
    },
  };
}

/** @deprecated the name from when only tokens rotated; rotates either kind. */
export const rotateToken = rotateCredential;

/**
 * Creates once. When the answer was lost (reset, timeout), the create is never re-sent: the new
 * credential is looked up — a token by its unique comment, a secret as the one not there before — and
 * deleted, so the failure leaves nothing behind.
 */
async function createOnce(
  client: WorkspaceClient,
  kind: CredentialKind,
  sp: Pick<ServicePrincipal, 'id' | 'applicationId'>,
  lifetimeDays: number,
  comment: string,
  secretsBefore: string[],
  o: CallOptions,
): Promise<IssuedCredential> {
  try {
    return await createCredential(client, kind, sp, { lifetimeDays, comment }, o);
  } catch (e) {
    if (!isAmbiguousFailure(e)) throw e;
    const strays =
      kind === 'pat'
        ? tokensWithComment(await client.listTokens({}), sp, comment).map((t) => t.token_id)
        : (await client.listServicePrincipalSecrets(sp.id)).map((x) => x.id).filter((id) => !secretsBefore.includes(id));
    for (const id of strays) await deleteCredential(client, sp.id, { kind, id });
    throw e;
  }
}
