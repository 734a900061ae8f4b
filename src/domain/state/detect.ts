/**
 * Connection state of all partners at once, in at most two sequential waves of requests per
 * workspace, whatever the number of partners, service principals or tokens:
 *
 * Wave 1 (all in parallel, none depends on another):
 *   SCIM Me; current metastore assignment; metastore summary; default namespace setting;
 *   service principals through server-side filters that match only the catalog's
 *   `<PARTNER>_USER` names (`displayName eq "A" or displayName eq "B" …`, one filter per 90 names
 *   under the 200-node cap: one for the built-in catalog — never a listing of every principal); the token list (one call, all
 *   tokens, matched to principals client-side by owner id); the token permissions; the warehouse
 *   list; and the record of every catalog partner (a read per partner — absent records answer
 *   404 — so that wave 2 can start right away). With a record cache (record/cache.ts) that has seen
 *   the folder: its listing instead, and only the records changed since the last read.
 * Beside both waves, a chain of its own: who can write the record folder (get-status, then its
 *   permissions; the caller's own entry — usually the folder's creator — is judged from the SCIM Me
 *   of wave 1, without a lookup), and the legacy folder's listing (records to migrate).
 * Wave 2 (in parallel): per connected partner only, its grants that wave 1 did not return:
 *   Unity Catalog grants on its catalog and schemas, its warehouse permissions, and its legacy
 *   Hive metastore grants (SHOW GRANTS — only when its warehouse is already running: detection
 *   never starts a warehouse).
 */
import type { CallOptions, ScimUser, WorkspaceClient } from '../../client/api';
import type { CatalogPartner, PartnerCatalog } from '../partners/catalog';
import { readRecord, recordFolderOf, recordPathFor, userRecordFolder } from '../record/record';
import type { RecordCache } from '../record/cache';
import { LEGACY_RECORD_FOLDER, checkRecordFolderTrust } from '../record/trust';
import { isAdmin, isNotFound, isPermissionDenied } from '../util';
import { credentialExpired, credentialWarnings, metaOfToken } from '../credentials/credentials';
import type { DegradedReason, DetectionStats, PartnerStatus, PartnerStatusFields, WorkspaceSnapshot } from './types';
import { gatherFacts, identityOf, metastoreOf } from './facts';
import { classify, EMPTY_GRANTS, grantsLimitation, readExtras, withTrust } from './classify';

export interface DetectOptions {
  recordFolder?: string;
  signal?: AbortSignal;
  /** check grants against the profile for connected partners (wave 2); default true */
  checkGrants?: boolean;
  /** run SHOW GRANTS even when the warehouse is stopped (it starts it); default false */
  allowWarehouseStart?: boolean;
  /** the clock credential expiry and last use are judged by (tests); default Date.now */
  now?: () => number;
  /**
   * 'each' (default): every partner's record is read in the first wave (absent ones answer 404) —
   * two waves, the fewest rounds for one workspace. 'listed': only the records the folder listing
   * names, read as soon as it arrives — a round more, but about half the requests: what a fleet of
   * many workspaces refreshes with (src/domain/fleet), where the requests' cost adds up.
   */
  records?: 'each' | 'listed';
  /**
   * Records read by earlier detections of this workspace, used again where the folder listing names the
   * same file version (record/cache.ts). With a cache and no `records`: 'each' until the cache has seen
   * a listing, then 'listed' — a warm refresh reads only the records that changed.
   */
  recordCache?: RecordCache;
}

/** Counts calls per wave (each client method call is one request, except paged listings). */
export class WaveCounter {
  private current = 0;
  readonly perWave: number[] = [];
  next(): void {
    this.current += 1;
    this.perWave[this.current - 1] = 0;
  }
  wrap(client: WorkspaceClient): WorkspaceClient {
    return new Proxy(client, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function' || prop === 'close') return v;
        return (...args: unknown[]) => {
          if (this.current > 0) this.perWave[this.current - 1] += 1;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
  stats(): DetectionStats {
    const requestsPerWave = this.perWave.filter((n) => n > 0);
    return { waves: requestsPerWave.length, requestsPerWave, requests: requestsPerWave.reduce((a, b) => a + b, 0) };
  }
}

/**
 * The client for one detection, where reads of the same grants are sent once: partners that share a
 * catalog, a schema or a warehouse (most of them use the workspace's `analytics` and its warehouse)
 * each check their principal in the same answer. Only for one snapshot: nothing is kept after it.
 */
export function sharingGrantReads(client: WorkspaceClient): WorkspaceClient {
  const grants = new Map<string, ReturnType<WorkspaceClient['getGrants']>>();
  const warehouses = new Map<string, ReturnType<WorkspaceClient['getWarehousePermissions']>>();
  const once = <T>(m: Map<string, T>, key: string, read: () => T): T => {
    let p = m.get(key);
    if (p === undefined) m.set(key, (p = read()));
    return p;
  };
  return new Proxy(client, {
    get: (target, prop, receiver) => {
      if (prop === 'getGrants') return (type: string, full: string, o?: CallOptions) => once(grants, `${type}:${full}`, () => target.getGrants(type, full, o));
      if (prop === 'getWarehousePermissions') return (id: string, o?: CallOptions) => once(warehouses, id, () => target.getWarehousePermissions(id, o));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

export async function detectConnectionStates(client: WorkspaceClient, catalog: PartnerCatalog, opts: DetectOptions = {}): Promise<WorkspaceSnapshot> {
  const counter = new WaveCounter();
  const c = sharingGrantReads(counter.wrap(client));
  const o: CallOptions = { signal: opts.signal };
  const folder = recordFolderOf(opts);
  counter.next();
  // Who can write the record folder (get-status, then its permissions): a chain of its own, in
  // parallel with both waves. And the legacy folder, for records to migrate.
  // SCIM Me once, for wave 1 and for the trust check (the folder's creator is usually the caller: no lookup)
  const meP = c.me(o);
  meP.catch(() => undefined);
  const trustP = checkRecordFolderTrust(c, folder, o, { me: meP });
  const sameAsLegacy = folder.replace(/\/+$/, '') === LEGACY_RECORD_FOLDER;
  const legacyP = sameAsLegacy ? Promise.resolve([]) : c.listWorkspaceFiles(LEGACY_RECORD_FOLDER, o).catch((e: unknown) => {
    if (isPermissionDenied(e) || isNotFound(e)) return [];
    throw e;
  });
  trustP.catch(() => undefined);
  legacyP.catch(() => undefined);
  // a non-admin's own connections (NON_ADMIN partners, recorded in their folder): a chain after SCIM Me
  const ownP = ownConnections(c, catalog.partners, meP, o, opts.now);
  ownP.catch(() => undefined);
  const records = opts.records ?? (opts.recordCache?.primed ? 'listed' : 'each');
  const facts = await gatherFacts(c, catalog.partners, folder, o, { me: meP }, { records, cache: opts.recordCache, onListing: () => counter.next() });
  const drafts = catalog.partners.map((p) => classify(c, facts, p, o, { checkGrants: opts.checkGrants ?? true, allowWarehouseStart: opts.allowWarehouseStart ?? false, now: opts.now }));
  counter.next();
  const extras = await Promise.all(drafts.map(readExtras));
  catalog.partners.forEach((p, i) => {
    const limitation = grantsLimitation(p, extras[i].actual);
    if (limitation) facts.limitations.push(limitation);
  });
  const [trust, legacy, own] = await Promise.all([trustP, legacyP, ownP]);
  const partners = drafts.map((d, i) => {
    const status = withTrust(d.judge(extras[i]), trust);
    // a connection that acts as the signed-in non-admin, where the admins' view shows none
    const mine = own.get(status.partnerId);
    return mine && status.state === 'not-connected' ? mine : status;
  });
  const legacyRecords = catalog.partners
    .filter((p) => legacy.some((f) => f.path.endsWith(`/${p.id}.json`)) && facts.records.get(p.id)?.kind === 'absent')
    .map((p) => p.id);
  return {
    recordFolder: trust,
    legacyRecords,
    host: client.host,
    identity: identityOf(facts),
    metastore: metastoreOf(facts),
    partners,
    stats: counter.stats(),
    limitations: facts.limitations,
    takenAt: new Date().toISOString(),
  };
}

/**
 * The signed-in non-admin's own connections: a record of theirs (userRecordFolder) for a NON_ADMIN
 * partner, confirmed by the workspace — their own token named in it must be in their token list, else
 * the connection is degraded (revoked, expired). Nothing is read for an admin, or when no partner
 * allows non-admins.
 */
export async function ownConnections(c: WorkspaceClient, partners: readonly CatalogPartner[], meP: Promise<ScimUser>, o: CallOptions, clock: () => number = Date.now): Promise<Map<string, PartnerStatus>> {
  const out = new Map<string, PartnerStatus>();
  const candidates = partners.filter((p) => p.nonAdmin === true);
  if (candidates.length === 0) return out;
  const me = await meP;
  if (isAdmin(me)) return out;
  const folder = userRecordFolder(me.userName);
  const files = await c.listWorkspaceFiles(folder, o).catch((e: unknown) => {
    if (isNotFound(e) || isPermissionDenied(e)) return [];
    throw e;
  });
  const mine = candidates.filter((p) => files.some((f) => f.path === recordPathFor(folder, p.id)));
  if (mine.length === 0) return out;
  const [tokens, ...records] = await Promise.all([c.listOwnTokens(o).catch(() => null), ...mine.map((p) => readRecord(c, folder, p.id, o))]);
  const now = clock();
  mine.forEach((p, i) => {
    const rec = records[i];
    if (rec.kind !== 'ok' || rec.record.actsAs !== 'user') return;
    const r = rec.record;
    const tokenId = r.credential?.id ?? r.tokenId;
    const token = tokens?.find((t) => t.token_id === tokenId);
    const credentials = token ? [metaOfToken(token)] : [];
    const reasons: DegradedReason[] = [];
    if (tokens && tokenId && !token) reasons.push({ code: 'token-revoked', message: `Your personal access token ${tokenId} created for the partner was revoked or deleted (Databricks revokes tokens unused for 90 days): disconnect and connect again.` });
    else if (token && credentialExpired(credentials[0], now)) reasons.push({ code: 'credential-expired', message: `Your personal access token ${tokenId} created for the partner expired on ${credentials[0].expiry.slice(0, 10)}: disconnect and connect again.` });
    const fields: PartnerStatusFields = {
      partnerId: p.id,
      partner: p,
      servicePrincipal: null,
      tokens: token ? [{ tokenId: token.token_id, comment: token.comment ?? '', createdAt: credentials[0].createdAt, expiry: credentials[0].expiry, createdBy: me.userName, ownerId: me.id }] : [],
      credentials,
      warnings: credentialWarnings(credentials, now),
      compute: r.compute ? { kind: r.compute.kind, id: r.compute.id, name: r.compute.name ?? null, state: null, createdForPartner: false, exists: true } : null,
      catalog: r.catalog,
      schemas: r.schemas,
      grants: EMPTY_GRANTS,
      partnerAccountAdministrator: r.partnerAccountAdministrator,
      record: r,
      recordProblem: null,
    };
    out.set(p.id, reasons.length ? { ...fields, state: 'degraded', reasons } : { ...fields, state: 'connected' });
  });
  return out;
}
