/**
 * Wave 1 of detection (state/detect.ts runs it): what one parallel round of requests tells about every
 * partner of the catalog at once — the caller, the metastore, the partners' principals, the tokens
 * and their permissions, the warehouses and the records.
 */
import type { CallOptions, ObjectPermissions, ScimUser, ServicePrincipal, TokenInfo, Warehouse, WorkspaceClient, WorkspaceObjectInfo, MetastoreAssignment, MetastoreSummary } from '../../client/api';
import type { RecordCache } from '../record/cache';
import { principalNameOf, type CatalogPartner } from '../partners/catalog';
import { readRecord, recordPathFor, type ReadRecordResult } from '../record/record';
import { displayNameFilters, isAdmin, isNotFound, isPermissionDenied, ownedByCaller, sameName, wave } from '../util';
import type { MetastoreInfo, WorkspaceIdentity } from './types';

/** Everything wave 1 returns. */
export interface WorkspaceFacts {
  me: ScimUser;
  assignment: MetastoreAssignment | null;
  summary: MetastoreSummary | null;
  defaultNamespace: string | null;
  servicePrincipals: ServicePrincipal[];
  /** null when the caller may not list tokens */
  tokens: TokenInfo[] | null;
  tokenAcl: ObjectPermissions | null;
  warehouses: Warehouse[] | null;
  records: Map<string, ReadRecordResult>;
  limitations: string[];
}

async function soft<T>(p: Promise<T>, fallback: T, limitation: string, limitations: string[]): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isPermissionDenied(e) || isNotFound(e)) {
      limitations.push(limitation);
      return fallback;
    }
    throw e;
  }
}

/** Wave 1. */
export async function gatherFacts(
  client: WorkspaceClient,
  partners: readonly CatalogPartner[],
  folder: string,
  o: CallOptions,
  /** SCIM Me when the caller already asked for it (detection shares it with the record folder's trust check) */
  known: { me?: Promise<ScimUser> } = {},
  /**
   * records 'listed': list the record folder and read only the records it names (DetectOptions.records);
   * `cache`: records read before, used again where the listing names the same file version (record/cache.ts)
   */
  mode: { records?: 'each' | 'listed'; onListing?: () => void; cache?: RecordCache } = {},
): Promise<WorkspaceFacts> {
  const limitations: string[] = [];
  // every partner's <PARTNER>_USER, including partners whose profile needs none (FIVETRAN_USER)
  const names = partners.map(principalNameOf);
  const filters = displayNameFilters([...new Set(names)]);
  const cache = mode.cache;
  const readRecordOf = async (p: CatalogPartner, w: CallOptions): Promise<readonly [string, ReadRecordResult]> => [p.id, await readRecord(client, folder, p.id, w)] as const;
  const absent = (p: CatalogPartner): readonly [string, ReadRecordResult] => [p.id, { kind: 'absent' }] as const;
  /** reads a listed record and keeps it for its version */
  const readListed = (p: CatalogPartner, info: WorkspaceObjectInfo, w: CallOptions): Promise<readonly [string, ReadRecordResult]> => {
    const at = cache?.now() ?? 0;
    return readRecordOf(p, w).then((r) => {
      cache?.store(info, r[1], at);
      return r;
    });
  };
  /** a partner's record file in a listing of the folder, if listed */
  const listedRecords = (files: readonly WorkspaceObjectInfo[]): ((p: CatalogPartner) => WorkspaceObjectInfo | undefined) => {
    const byPath = new Map(files.map((f) => [f.path, f]));
    return (p) => byPath.get(recordPathFor(folder, p.id));
  };
  // 'each': every partner's record in this wave (absent ones answer 404), and with a cache the folder's
  // listing beside them, to know the versions read. 'listed': the folder listing first, then — as soon
  // as it arrives — only the records it names that the cache does not hold.
  const recordReads = (w: CallOptions): Promise<(readonly [string, ReadRecordResult])[]> => {
    if (mode.records === 'listed') {
      return client.listWorkspaceFiles(folder, w).then((files) => {
        cache?.retain(files);
        const listed = listedRecords(files);
        const work = partners.map((p) => {
          const info = listed(p);
          if (!info) return absent(p);
          const kept = cache?.lookup(info);
          return kept ? ([p.id, kept] as const) : { p, info };
        });
        if (work.some((x) => 'info' in x)) mode.onListing?.();
        return Promise.all(work.map((x) => ('info' in x ? readListed(x.p, x.info, w) : x)));
      });
    }
    if (!cache) return Promise.all(partners.map((p) => readRecordOf(p, w)));
    const at = cache.now();
    return Promise.all([client.listWorkspaceFiles(folder, w).catch(() => null), Promise.all(partners.map((p) => readRecordOf(p, w)))]).then(([files, read]) => {
      if (files) {
        cache.retain(files);
        const listed = listedRecords(files);
        partners.forEach((p, i) => {
          const info = listed(p);
          if (info) cache.store(info, read[i][1], at);
        });
      }
      return read;
    });
  };
  // one wave; a failure cancels and awaits the rest of it
  const [me, assignment, summary, defaultNamespace, spLists, tokens, tokenAcl, warehouses, records] = await wave(o.signal, (o) => [
    known.me ?? client.me(o),
    client.currentMetastoreAssignment(o).catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return null;
      throw e;
    }),
    client.metastoreSummary(o).catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return null;
      throw e;
    }),
    client.getDefaultNamespace(o).catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return null;
      throw e;
    }),
    Promise.all(filters.map((filter) => client.listServicePrincipals({ filter }, o))),
    soft<TokenInfo[] | null>(client.listTokens({}, o), null, 'tokens: the caller may not list tokens (workspace admins only)', limitations),
    soft<ObjectPermissions | null>(client.getTokenPermissions(o), null, 'token permissions: not readable by the caller', limitations),
    soft<Warehouse[] | null>(client.listWarehouses(o), null, 'warehouses: not listable by the caller', limitations),
    recordReads(o),
  ]);
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const seen = new Set<string>();
  const servicePrincipals = spLists.flat().filter((sp) => {
    if (!wanted.has(sp.displayName.toLowerCase()) || seen.has(sp.id)) return false;
    seen.add(sp.id);
    return true;
  });
  return {
    me,
    assignment,
    summary,
    defaultNamespace,
    servicePrincipals,
    tokens,
    tokenAcl,
    warehouses,
    records: new Map(records),
    limitations,
  };
}

export function identityOf(facts: WorkspaceFacts): WorkspaceIdentity {
  return {
    userName: facts.me.userName,
    displayName: facts.me.displayName ?? null,
    userId: facts.me.id,
    isWorkspaceAdmin: isAdmin(facts.me),
    isMetastoreAdmin: !!facts.summary && ownedByCaller(facts.summary.owner, facts.me),
  };
}

export function metastoreOf(facts: WorkspaceFacts): MetastoreInfo | null {
  if (!facts.assignment) return null;
  return {
    metastoreId: facts.assignment.metastore_id,
    name: facts.summary?.name ?? null,
    owner: facts.summary?.owner ?? null,
    defaultCatalog: facts.defaultNamespace ?? facts.assignment.default_catalog_name ?? null,
    cloud: facts.summary?.cloud ?? null,
  };
}

/** The `<PARTNER>_USER` principal(s) of a partner, whether or not its profile needs one. */
export function principalsOf(facts: Pick<WorkspaceFacts, 'servicePrincipals'>, partner: CatalogPartner): ServicePrincipal[] {
  const name = principalNameOf(partner);
  return facts.servicePrincipals.filter((sp) => sameName(sp.displayName, name));
}
