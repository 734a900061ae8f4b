/**
 * What a disconnect will permanently delete, computed from the record and the live workspace:
 * - reset: the warehouse or cluster if it was created for the partner, the partner's service
 *   principal(s) with their Unity Catalog grants (revoked explicitly first: with identity federation
 *   the workspace delete only removes the assignment and metastore grants would survive), tokens and
 *   OAuth secrets, the partner-side connection (notified, when there is one), and the record (the
 *   check mark) — in that order (what hangs on the principal and the warehouse together), the record last so that an interrupted disconnect can be resumed;
 * - service-principal-only (the seed's manual disconnect): the service principal with its grants,
 *   tokens and OAuth secrets; the record and the compute stay.
 * Only resources that still exist are listed; running the disconnect again after a failure
 * resumes with what is left.
 *
 * Nothing is deleted only because a record names it (any user could have written a record in a
 * folder they can edit): a warehouse goes only when the record names its id AND the workspace shows
 * the extension's tag for this partner on it; clusters are never deleted (the extension never
 * creates one, so it cannot prove one was made for the partner); principals are found by their
 * `<PARTNER>_USER` name, never by the record; the partner is told to delete the record's connection
 * only when the record folder is admin-only.
 */
import type { CallOptions, SecretInfo, ServicePrincipal, TokenInfo, Warehouse, WorkspaceClient } from '../../client/api';
import { expectedGrants } from '../profiles/profiles';
import { principalNameOf, type CatalogPartner } from '../partners/catalog';
import { isStaleConnecting, minutesSince, readRecord, recordFolderOf, recordPathFor, userRecordFolder, type ConnectionRecord, type ReadRecordResult } from '../record/record';
import { checkRecordFolderTrust, describeTrust, type FolderTrust } from '../record/trust';
import { displayNameFilters, isAdmin, isNotFound, isPermissionDenied, sameName, tokensOf, wave } from '../util';
import type { DisconnectItem, DisconnectMode, DisconnectPreview } from './types';

export interface DisconnectFacts {
  record: ReadRecordResult;
  servicePrincipals: ServicePrincipal[];
  tokens: TokenInfo[] | null;
  warehouses: Warehouse[] | null;
  /** OAuth secrets by service principal SCIM id (absent: not readable) */
  secrets: Map<string, SecretInfo[]>;
  /** who can write the record folder */
  trust: FolderTrust;
  /** what the principals hold on the record's Unity Catalog securables, when read with the facts (disconnect) */
  heldGrants?: HeldGrants;
}

/** The extension's tag on the warehouses it creates (profiles/plan.ts defaultWarehouseSpec). */
export function taggedFor(w: Warehouse, partnerId: string): boolean {
  return (w.tags?.custom_tags ?? []).some((t) => t.key === 'partner-connect' && t.value === partnerId);
}

/**
 * What a disconnect needs to know, in one wave: the record, the principals, tokens, warehouses and
 * the folder's trust start together; each principal's OAuth secrets (and, with `heldGrants`, what it
 * holds on the record's Unity Catalog securables) follow as soon as the principals (and the record)
 * are in, beside the folder ACL read of the trust check — not after it.
 */
export async function gatherDisconnectFacts(client: WorkspaceClient, partner: CatalogPartner, folder: string, o: CallOptions, g: { heldGrants?: boolean } = {}): Promise<DisconnectFacts> {
  const spName = principalNameOf(partner);
  const [record, [mine, secrets], tokens, warehouses, trust, held] = await wave(o.signal, (w) => {
    const rec = readRecord(client, folder, partner.id, w);
    const sps = client.listServicePrincipals({ filter: displayNameFilters([spName])[0] }, w).then((list) => list.filter((s) => sameName(s.displayName, spName)));
    const withSecrets = sps.then(async (found) => [found, await secretsOf(client, found, w)] as const);
    return [
      rec,
      withSecrets,
      client.listTokens({}, w).catch((e: unknown) => {
        if (isPermissionDenied(e)) return null;
        throw e;
      }),
      client.listWarehouses(w).catch((e: unknown) => {
        if (isPermissionDenied(e)) return null;
        throw e;
      }),
      checkRecordFolderTrust(client, folder, w),
      g.heldGrants ? Promise.all([rec, sps]).then(([r, found]) => heldGrantsOf(client, partner, r, found, w)) : Promise.resolve(undefined),
    ] as const;
  });
  return { record, servicePrincipals: [...mine], tokens, warehouses, secrets, trust, ...(held ? { heldGrants: held } : {}) };
}

async function secretsOf(client: WorkspaceClient, sps: readonly ServicePrincipal[], o: CallOptions): Promise<Map<string, SecretInfo[]>> {
  const secrets = new Map<string, SecretInfo[]>();
  await Promise.all(
    sps.map(async (sp) => {
      try {
        secrets.set(sp.id, await client.listServicePrincipalSecrets(sp.id, o));
      } catch (e) {
        if (!isPermissionDenied(e) && !isNotFound(e)) throw e;
      }
    }),
  );
  return secrets;
}

/** `uc-grant` item id (`catalog:<name>`) → principal applicationId (lower case) → privileges held. */
export type HeldGrants = Map<string, Map<string, string[]>>;

/**
 * What the principals hold on the Unity Catalog securables the record names (the items a reset
 * revokes), read early so the revokes need no read of their own. A securable that cannot be read is
 * left out: its revoke reads it itself, as without this.
 */
async function heldGrantsOf(client: WorkspaceClient, partner: CatalogPartner, rec: ReadRecordResult, sps: readonly ServicePrincipal[], o: CallOptions): Promise<HeldGrants> {
  const out: HeldGrants = new Map();
  const record = rec.kind === 'ok' ? rec.record : null;
  if (!record || record.isHive || !record.catalog || sps.length === 0) return out;
  const targets = [...expectedGrants(partner.profile, { catalog: record.catalog, schemas: record.schemas, isHive: false }).uc.keys()];
  await Promise.all(
    targets.map(async (key) => {
      const [type, full] = key.split(/:(.*)/s);
      const rows = await client.getGrants(type, full, o).catch((e: unknown) => (isNotFound(e) ? [] : undefined));
      if (!rows) return;
      const byPrincipal = new Map<string, string[]>();
      for (const r of rows) byPrincipal.set(r.principal.toLowerCase(), [...(byPrincipal.get(r.principal.toLowerCase()) ?? []), ...r.privileges]);
      out.set(key, byPrincipal);
    }),
  );
  return out;
}

export function buildDisconnectPreview(partner: CatalogPartner, mode: DisconnectMode, facts: DisconnectFacts, folder: string, now: number = Date.now()): DisconnectPreview {
  const record: ConnectionRecord | null = facts.record.kind === 'ok' ? facts.record.record : null;
  const items: DisconnectItem[] = [];
  const keeps: string[] = [];
  const sps = [...facts.servicePrincipals];
  if (record?.servicePrincipal && !sps.some((s) => s.id === record.servicePrincipal?.id)) {
    // the record's principal is gone already (check mark only): nothing to delete for it
  }
  const spItems: DisconnectItem[] = [];
  // Unity Catalog grants the record names (the profile's privileges on its catalog and schemas)
  const uc = record && !record.isHive && record.catalog ? expectedGrants(partner.profile, { catalog: record.catalog, schemas: record.schemas, isHive: false }).uc : new Map<string, string[]>();
  for (const sp of sps) {
    for (const [key, privileges] of uc) {
      const [type, full] = key.split(/:(.*)/s);
      spItems.push({ kind: 'uc-grant', name: `${privileges.join(', ').replace(/_/g, ' ')} on the ${type} ${full} for ${sp.displayName}`, id: key, owner: sp.applicationId, permanent: true, note: 'revoked before the service principal is deleted' });
    }
    for (const x of facts.secrets.get(sp.id) ?? []) {
      spItems.push({ kind: 'oauth-secret', name: `OAuth secret of ${sp.displayName}`, id: x.id, owner: sp.id, permanent: true, note: `expires ${x.expire_time ?? 'unknown'}` });
    }
    for (const t of facts.tokens ? tokensOf(facts.tokens, sp) : []) {
      spItems.push({ kind: 'token', name: t.comment || `token of ${sp.displayName}`, id: t.token_id, permanent: true, note: `personal access token of ${sp.displayName}; deleted with it` });
    }
    spItems.push({ kind: 'service-principal', name: sp.displayName, id: sp.id, permanent: true, note: `applicationId ${sp.applicationId}` });
  }

  const trusted = facts.trust.kind === 'trusted';
  const warnings: string[] = trusted || facts.record.kind === 'absent' ? [] : [describeTrust(facts.trust)];
  if (record?.state === 'connecting') {
    const age = minutesSince(record, now);
    warnings.push(
      isStaleConnecting(record, now)
        ? `A connect by ${record.connectedBy} started at ${record.connectedAt}${age !== null ? ` (${age} minutes ago)` : ''} never finished: it was interrupted.`
        : `A connect by ${record.connectedBy} started at ${record.connectedAt} (${age ?? 0} minutes ago) has not finished and may still be running: disconnecting now removes what it has made so far, and it fails.`,
    );
  }
  if (record?.handoffStartedAt && !record.connectionId) {
    warnings.push(
      `The hand-off to ${partner.displayName} started at ${record.handoffStartedAt} but never finished: ${partner.displayName} may hold a connection to this workspace that no record names, so it cannot be notified. Check the connections in your ${partner.displayName} account and delete it there.`,
    );
  }
  if (mode === 'reset') {
    const c = record?.compute;
    if (c?.createdForPartner && c.kind === 'warehouse') {
      const w = facts.warehouses?.find((x) => x.id === c.id);
      if (w && taggedFor(w, partner.id)) {
        items.push({ kind: 'warehouse', name: w.name, id: w.id, permanent: true, note: `created for ${partner.displayName} (tagged partner-connect=${partner.id})` });
      } else if (w) {
        keeps.push(`the warehouse ${w.name} (${w.id}): the record says it was created for ${partner.displayName}, but the warehouse does not carry this extension's tag, so it is not deleted`);
      } else if (facts.warehouses === null) {
        keeps.push(`the warehouse ${c.name ?? c.id} (${c.id}): you cannot list warehouses, so nothing proves it was made for ${partner.displayName}`);
      }
    } else if (c?.createdForPartner) {
      keeps.push(`the cluster ${c.name ?? c.id} (${c.id}): this extension never creates clusters, so it cannot prove this one was made for ${partner.displayName}; delete it by hand if it was`);
    } else if (c) {
      keeps.push(`the ${c.kind} ${c.name ?? c.id} (it was not created for ${partner.displayName})`);
    }
    // a warehouse tagged for the partner that the record does not name (e.g. an interrupted connect):
    // the tag alone is no proof - anyone who may manage a warehouse can tag it
    for (const w of facts.warehouses ?? []) {
      if (items.some((i) => i.id === w.id) || w.id === c?.id) continue;
      if (taggedFor(w, partner.id)) {
        keeps.push(`the warehouse ${w.name} (${w.id}): it carries this extension's tag for ${partner.displayName} but no record names it; check it and delete it by hand (Find Orphans lists it)`);
      }
    }
    items.push(...spItems);
    if (record?.connectionId && partner.partnerConfig?.endpoints.delete_connection_path && !trusted) {
      keeps.push(`the ${partner.displayName} connection ${record.connectionId}: the record naming it is not trusted, so the partner is not asked to delete it`);
    } else if (record?.connectionId && partner.partnerConfig?.endpoints.delete_connection_path) {
      items.push({ kind: 'partner-connection', name: `${partner.displayName} connection`, id: record.connectionId, permanent: true, note: 'the partner is notified (delete-connection)' });
    }
    if (facts.record.kind !== 'absent') {
      const path = recordPathFor(folder, partner.id);
      items.push({ kind: 'record', name: path, id: path, permanent: true });
    }
    keeps.push(`your organization's ${partner.displayName} account and its connection settings`);
    if (!record && sps.length) keeps.push('any warehouse or cluster made for the partner outside this extension (Find Orphans… lists it)');
  } else {
    items.push(...spItems);
    if (facts.record.kind !== 'absent') keeps.push(`the connection record (the check mark) ${recordPathFor(folder, partner.id)}`);
    if (record?.compute) keeps.push(`the ${record.compute.kind === 'warehouse' ? 'SQL warehouse' : 'cluster'} ${record.compute.name ?? record.compute.id}`);
    keeps.push(`your organization's ${partner.displayName} account`);
  }
  const hasRecord = facts.record.kind !== 'absent';
  const after: DisconnectPreview['after'] = mode === 'reset' || !hasRecord ? 'not-connected' : partner.needsServicePrincipal ? 'check-mark-only' : 'connected';
  return { partnerId: partner.id, mode, items, keeps, after, hasRecord, ...(warnings.length ? { warnings } : {}) };
}

export async function previewDisconnect(
  client: WorkspaceClient,
  partner: CatalogPartner,
  mode: DisconnectMode,
  opts: { recordFolder?: string; signal?: AbortSignal } = {},
): Promise<DisconnectPreview> {
  const folder = recordFolderOf(opts);
  if (partner.nonAdmin === true) {
    // a non-admin may have connected it as themselves; the admins' facts may not be readable to them
    const [{ me }, gathered] = await wave(opts.signal, (w) => [client.identify(w), gatherDisconnectFacts(client, partner, folder, w).then((facts) => ({ facts }), (error: unknown) => ({ error }))]);
    if (!isAdmin(me)) {
      const own = await previewOwnConnection(client, partner, me.userName, { signal: opts.signal });
      if (own) return own;
    }
    if ('error' in gathered) throw gathered.error;
    return buildDisconnectPreview(partner, mode, gathered.facts, folder);
  }
  const facts = await gatherDisconnectFacts(client, partner, folder, { signal: opts.signal });
  return buildDisconnectPreview(partner, mode, facts, folder);
}

/**
 * What disconnecting a connection that acted as `userName` deletes (null: they have none for this
 * partner): their own token — only when the workspace lists it among their tokens, a record being no
 * proof — the partner's connection (the partner is told), then the record in their folder. Both
 * modes are the same here: there is no service principal.
 */
export async function previewOwnConnection(client: WorkspaceClient, partner: CatalogPartner, userName: string, o: CallOptions): Promise<DisconnectPreview | null> {
  const folder = userRecordFolder(userName);
  const [rec, tokens] = await wave(o.signal, (w) => [readRecord(client, folder, partner.id, w), client.listOwnTokens(w).catch(() => [])]);
  if (rec.kind !== 'ok' || rec.record.actsAs !== 'user') return null;
  const r = rec.record;
  const items: DisconnectItem[] = [];
  const tokenId = r.credential?.kind === 'pat' ? r.credential.id : r.tokenId;
  if (tokenId && tokens.some((t) => t.token_id === tokenId)) items.push({ kind: 'own-token', name: `your personal access token "Partner Connect: ${partner.displayName}"`, id: tokenId, permanent: true });
  if (r.connectionId && partner.partnerConfig?.endpoints.delete_connection_path) {
    items.push({ kind: 'partner-connection', name: `${partner.displayName} connection`, id: r.connectionId, permanent: true, note: 'the partner is notified (delete-connection)' });
  }
  items.push({ kind: 'record', name: 'connection record', id: recordPathFor(folder, partner.id), permanent: true });
  return {
    partnerId: partner.id,
    mode: 'reset',
    items,
    keeps: ['your own permissions and everything else in the workspace: a connection that acts as you created nothing else'],
    after: 'not-connected',
    hasRecord: true,
  };
}
