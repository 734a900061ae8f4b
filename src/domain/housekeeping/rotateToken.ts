/**
 * Rotate a connection's credential — a PAT or an OAuth secret, the kind the connection has — keeping
 * the lifetime chosen at connect (capped by the workspace's current limit):
 *   1. create the new credential (a token with a comment unique to this rotation, so that a create
 *      whose answer was lost - or was a 5xx / 429 the workspace may give after the work - is found
 *      again by that comment; a secret is found as the one that was not there before);
 *   2. record its id (the record is the check mark every admin sees): re-read first and write only
 *      when it is still there, then check that the principal is still there - another admin's
 *      Disconnect may have run meanwhile: the rotate then fails with DisconnectedMeanwhileError, the
 *      new credential is deleted and the record is left as that Disconnect left it (or put back);
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
import { DisconnectedMeanwhileError, DomainError, NotWorkspaceAdminError, PreflightError, describeCause, throwIfAborted } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import { readRecord, recordFolderOf, recordPathFor, writeRecord, type ConnectionRecord } from '../record/record';
import { connectionDetails, hostnameOf } from '../handoff/manual';
import { cloudOfDatabricksHost, workspaceCloud } from '../handoff/protocol';
import { isAmbiguousFailure } from '../connect/rollback';
import type { ConnectOptions } from '../connect/types';
import type { HandoffResult } from '../handoff/types';
import { connectionCredentialKind, createCredential, credentialChoiceFor, deleteCredential, isOboRefused, tokensWithComment, type IssuedCredential } from '../credentials/credentials';
import { readLifetimeCap } from '../credentials/lifetime';
import type { CredentialKind } from '../credentials/types';
import { CREDENTIAL_WORDS } from '../credentials/types';
import { displayNameFilters, errorStatus, isAdmin, isNotFound, sameName, tokensOf, wave } from '../util';

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

export class RotateIncompleteError extends DomainError<'rotate-incomplete'> {
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

/** A rotation failed after it created the new credential, and that credential could not be deleted again. */
export class RotateFailedError extends DomainError<'rotate-failed'> {
  constructor(message: string, action: string, cause: unknown) {
    super('rotate-failed', message, action, { cause });
    this.name = 'RotateFailedError';
  }
}

/** Create a new credential, record and hand it off, then delete the old one(s). */
export async function rotateCredential(ctx: EngineContext, partner: CatalogPartner, opts: Omit<ConnectOptions, 'demo'> = {}): Promise<RotateResult> {
  const { client } = ctx;
  const o: CallOptions = { signal: opts.signal };
  const folder = recordFolderOf(ctx);
  const log = ctx.logger ?? (() => undefined);
  throwIfAborted(opts.signal);
  if (!partner.servicePrincipalName) throw new PreflightError(partner.displayName, [{ code: 'connected-outside', message: `${partner.displayName} has no service principal, so no credential to rotate.` }]);
  const deliver = opts.deliverSecretOnce;
  if (!deliver) throw new PreflightError(partner.displayName, [{ code: 'secret-receiver-missing', message: 'The new credential must be handed to you once (deliverSecretOnce).' }]);
  const spName = partner.servicePrincipalName;
  const hostname = hostnameOf(client.host);
  const [me, rec, sps, listed, cap, metastoreCloud] = await wave(o.signal, (w) => [
    client.me(w),
    readRecord(client, folder, partner.id, w),
    client.listServicePrincipals({ filter: displayNameFilters([spName])[0] }, w),
    // a non-admin is refused the token list: the refusal below says why; an admin's failure is thrown as it is
    client.listTokens({}, w).then((tokens) => ({ tokens }), (error: unknown) => ({ error })),
    readLifetimeCap(client, w),
    // the cloud, where the host name names none: the metastore's (as connect reads it); unknown without one
    cloudOfDatabricksHost(hostname) === null ? client.metastoreSummary(w).then((m) => m.cloud ?? null, () => null) : Promise.resolve(null),
  ]);
  if (!isAdmin(me)) {
    if (partner.nonAdmin === true) {
      throw new PreflightError(partner.displayName, [
        { code: 'not-workspace-admin', message: `A connection that acts as you (${me.userName}) is not rotated in place: disconnect it and connect again, which creates a new personal access token of yours.` },
      ]);
    }
    throw new NotWorkspaceAdminError(me.userName);
  }
  if ('error' in listed) throw listed.error;
  const tokens = listed.tokens;
  const record = rec.kind === 'ok' ? rec.record : null;
  const sp = (record?.servicePrincipal && sps.find((s) => s.id === record.servicePrincipal?.id)) || sps.find((s) => sameName(s.displayName, partner.servicePrincipalName));
  if (!sp) throw new PreflightError(partner.displayName, [{ code: 'check-mark-only', message: `${partner.servicePrincipalName} does not exist: there is no credential to rotate. Connect the partner first.` }]);
  // an unreadable list would hide an old secret from step 4 (two credentials alive, unreported): only an
  // API the workspace does not have (404) means "none"
  const secrets = await client.listServicePrincipalSecrets(sp.id, o).catch((e: unknown) => {
    if (isNotFound(e)) return [];
    throw e;
  });
  const old: { kind: CredentialKind; id: string }[] = [
    ...tokensOf(tokens, sp).map((t) => ({ kind: 'pat' as const, id: t.token_id })),
    ...secrets.map((x) => ({ kind: 'oauth-secret' as const, id: x.id })),
  ];
  const cloud = workspaceCloud(hostname, metastoreCloud);
  const choice = credentialChoiceFor(partner, client.host, cloud);
  const kind = connectionCredentialKind(partner, client.host, record, old, cloud);
  const lifetimeDays = Math.min(record?.credential?.lifetimeDays ?? cap.maxDays, cap.maxDays);
  const comment = `Partner Connect: ${partner.displayName} (rotated ${new Date().toISOString().slice(0, 10)}, ${randomUUID().slice(0, 8)})`;

  // 1. create (a refused on-behalf-of token on Azure becomes an OAuth secret, as in connect)
  const settleMs = ctx.rollbackSettleMs ?? 3000;
  let created: IssuedCredential;
  try {
    created = await createOnce(client, kind, sp, lifetimeDays, comment, secrets.map((x) => x.id), settleMs, o);
  } catch (e) {
    if (kind === 'pat' && choice.fallbackToSecret && isOboRefused(e)) created = await createOnce(client, 'oauth-secret', sp, lifetimeDays, comment, secrets.map((x) => x.id), settleMs, o);
    else throw e;
  }
  const newCredential = { kind: created.kind, id: created.id, expiresAt: created.expiresAt, lifetimeDays };
  let recordTouched = false;
  const undo = async (cause: unknown): Promise<never> => {
    log(`rotate ${partner.id}: failed after creating ${created.kind} ${created.id}; deleting it again`);
    try {
      // a record write that got no answer may still land: put the old record back only after it would have
      if (isAmbiguousFailure(cause)) await sleep(settleMs);
      await deleteCredential(client, sp.id, created);
      // the old record back, if this rotate wrote (or may have written) the new one; after a Disconnect that
      // ran between the re-read and the write it names a principal that is gone, and the error says so
      if (record && recordTouched) await writeRecord(client, folder, partner.id, record);
    } catch (err) {
      throw new RotateFailedError(
        `Rotating the credential of ${partner.displayName} failed (${describeCause(cause)}) and the new ${CREDENTIAL_WORDS[created.kind]} ${created.id} could not be deleted again (${describeCause(err)}).`,
        `Delete ${CREDENTIAL_WORDS[created.kind]} ${created.id} of ${sp.displayName} by hand; the old credential still works.`,
        cause,
      );
    }
    throw cause;
  };

  // 2. record, 3. hand over
  try {
    throwIfAborted(opts.signal);
    if (record) {
      // re-read first: a Disconnect (reset) since the first read removed it, and the write must not bring it back
      if ((await readRecord(client, folder, partner.id, o)).kind === 'absent') throw new DisconnectedMeanwhileError(partner.displayName, [`the record ${recordPathFor(folder, partner.id)}`], 'rotate');
      const next: ConnectionRecord = { ...record, tokenId: created.kind === 'pat' ? created.id : null, credential: newCredential };
      recordTouched = true;
      await writeRecord(client, folder, partner.id, next, o);
    }
    // Another admin's Disconnect may have run since the reads: then the principal is gone (and the new
    // credential with it), the record just written must not bring the connection back, and nothing is handed over.
    const principalGone = await client.getServicePrincipal(sp.id, o).then(
      () => false,
      (e: unknown) => {
        if (isNotFound(e)) return true;
        throw e;
      },
    );
    if (principalGone) {
      throw new DisconnectedMeanwhileError(partner.displayName, [`service principal ${sp.displayName}`], 'rotate');
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
  // a delete answered with an error may have been carried out (a 5xx after the work, a lost answer):
  // only what the workspace still lists is reported as left
  const stillThere = left.length ? await remainingOf(client, sp, left, o) : left;
  for (const c of left) if (!stillThere.includes(c)) deletedCredentialIds.push(c.id);
  if (stillThere.length) throw new RotateIncompleteError(partner.displayName, created.id, stillThere, firstError);
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

/** Those of `creds` the workspace still lists (all of them when it cannot be asked). */
async function remainingOf(
  client: WorkspaceClient,
  sp: Pick<ServicePrincipal, 'id' | 'applicationId'>,
  creds: { kind: CredentialKind; id: string }[],
  o: CallOptions,
): Promise<{ kind: CredentialKind; id: string }[]> {
  try {
    const tokens = creds.some((c) => c.kind === 'pat') ? new Set(tokensOf(await client.listTokens({}, o), sp).map((t) => t.token_id)) : new Set<string>();
    const secrets = creds.some((c) => c.kind === 'oauth-secret') ? new Set((await client.listServicePrincipalSecrets(sp.id, o)).map((x) => x.id)) : new Set<string>();
    return creds.filter((c) => (c.kind === 'pat' ? tokens : secrets).has(c.id));
  } catch {
    return creds;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A failed create that may still have made the credential: no answer (reset, timeout), or a server
 * error or throttling answer, which a workspace may give after the work.
 */
function mayHaveCreated(e: unknown): boolean {
  const status = errorStatus(e);
  return isAmbiguousFailure(e) || (status !== undefined && (status >= 500 || status === 429));
}

/**
 * Creates once. When the create may have happened anyway (no answer, a 5xx or a 429), it is never
 * re-sent: the new credential is looked up — a token by its unique comment, a secret as the one not
 * there before — and deleted, so the failure leaves nothing behind. A request without an answer may
 * still be carried out: the look-up waits `settleMs` first.
 */
async function createOnce(
  client: WorkspaceClient,
  kind: CredentialKind,
  sp: Pick<ServicePrincipal, 'id' | 'applicationId'>,
  lifetimeDays: number,
  comment: string,
  secretsBefore: string[],
  settleMs: number,
  o: CallOptions,
): Promise<IssuedCredential> {
  try {
    return await createCredential(client, kind, sp, { lifetimeDays, comment, existingSecretIds: secretsBefore }, o);
  } catch (e) {
    if (!mayHaveCreated(e)) throw e;
    if (isAmbiguousFailure(e)) await sleep(settleMs);
    const strays =
      kind === 'pat'
        ? tokensWithComment(await client.listTokens({}), sp, comment).map((t) => t.token_id)
        : (await client.listServicePrincipalSecrets(sp.id)).map((x) => x.id).filter((id) => !secretsBefore.includes(id));
    for (const id of strays) await deleteCredential(client, sp.id, { kind, id });
    throw e;
  }
}
