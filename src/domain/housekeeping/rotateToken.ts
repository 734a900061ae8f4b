/**
 * Rotate a connection's token: create a new non-expiring token for the partner's service
 * principal, hand it off (to `deliverSecretOnce` — the Partner Connect protocol has no call to
 * replace a token, so the new value is pasted into the partner's connection settings), record its
 * id, then delete the old token(s). If the hand-off fails the new token is deleted again and the
 * old one stays.
 */
import type { EngineContext } from '../context';
import { NotWorkspaceAdminError, PreflightError, throwIfAborted, DomainError } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import { DEFAULT_RECORD_FOLDER, recordPathFor } from '../profiles/plan';
import { readRecord, serializeRecord } from '../record/record';
import { connectionDetails } from '../handoff/manual';
import type { ConnectOptions } from '../connect/types';
import type { HandoffResult } from '../handoff/types';
import { displayNameFilters, isAdmin, isNotFound, sameName, tokensOf } from '../util';

export interface RotateResult {
  partnerId: string;
  newTokenId: string;
  /** the tokens deleted after the hand-off */
  deletedTokenIds: string[];
  handoff: HandoffResult;
}

/** Create a new token, hand it off, then delete the old one(s). */
export async function rotateToken(ctx: EngineContext, partner: CatalogPartner, opts: Omit<ConnectOptions, 'demo'> = {}): Promise<RotateResult> {
  const { client } = ctx;
  const o = { signal: opts.signal };
  const folder = ctx.recordFolder ?? DEFAULT_RECORD_FOLDER;
  throwIfAborted(opts.signal);
  if (!partner.servicePrincipalName) throw new PreflightError(partner.displayName, [{ code: 'connected-outside', message: `${partner.displayName} has no service principal, so no token to rotate.` }]);
  if (!opts.deliverSecretOnce) throw new PreflightError(partner.displayName, [{ code: 'secret-receiver-missing', message: 'The new token must be handed to you once (deliverSecretOnce).' }]);
  const [me, rec, sps, tokens] = await Promise.all([
    client.me(o),
    readRecord(client, folder, partner.id, o),
    client.listServicePrincipals({ filter: displayNameFilters([partner.servicePrincipalName])[0] }, o),
    client.listTokens({}, o),
  ]);
  if (!isAdmin(me)) throw new NotWorkspaceAdminError(me.userName);
  const record = rec.kind === 'ok' ? rec.record : null;
  const sp = (record?.servicePrincipal && sps.find((s) => s.id === record.servicePrincipal?.id)) || sps.find((s) => sameName(s.displayName, partner.servicePrincipalName));
  if (!sp) throw new PreflightError(partner.displayName, [{ code: 'check-mark-only', message: `${partner.servicePrincipalName} does not exist: there is no token to rotate. Connect the partner first.` }]);
  const old = tokensOf(tokens, sp).map((t) => t.token_id);

  const created = await client.createOboToken({ applicationId: sp.applicationId, comment: `Partner Connect: ${partner.displayName} (rotated ${new Date().toISOString().slice(0, 10)})` }, o);
  const newTokenId = created.token_info.token_id;
  try {
    await opts.deliverSecretOnce(created.token_value);
  } catch (e) {
    try {
      await client.deleteToken(newTokenId);
    } catch (err) {
      if (!isNotFound(err)) throw new DomainError('rotate-failed', `Handing off the new token failed and the new token ${newTokenId} could not be deleted.`, `Delete token ${newTokenId} of ${sp.displayName} by hand.`, { cause: e });
    }
    throw e;
  }
  if (record) {
    await client.writeWorkspaceFile(recordPathFor(folder, partner.id), serializeRecord({ ...record, tokenId: newTokenId }), { overwrite: true }, o);
  }
  const deletedTokenIds: string[] = [];
  for (const id of old) {
    try {
      await client.deleteToken(id, o);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    deletedTokenIds.push(id);
  }
  const details = connectionDetails({
    workspaceUrl: client.host,
    warehouse: record?.compute?.kind === 'warehouse' ? { id: record.compute.id } : null,
    catalog: record?.catalog ?? null,
    schemas: record?.schemas ?? [],
    servicePrincipal: { applicationId: sp.applicationId, displayName: sp.displayName },
  });
  return { partnerId: partner.id, newTokenId, deletedTokenIds, handoff: { kind: 'manual', details, signUpUrl: partner.partnerConfig?.sign_up_page ?? partner.website, tokenDelivered: true } };
}
