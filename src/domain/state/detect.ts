/**
 * Connection state of all partners at once, in at most two sequential waves of requests per
 * workspace, whatever the number of partners, service principals or tokens:
 *
 * Wave 1 (all in parallel, none depends on another):
 *   SCIM Me; current metastore assignment; metastore summary; default namespace setting;
 *   service principals through server-side filters that match only the catalog's
 *   `<PARTNER>_USER` names (`displayName eq "A" or displayName eq "B" …`, split into a few
 *   filters to stay short — never a listing of every principal); the token list (one call, all
 *   tokens, matched to principals client-side by owner id); the token permissions; the warehouse
 *   list; and the record of every catalog partner (a read per partner — absent records answer
 *   404 — so that wave 2 can start right away).
 * Beside both waves, a chain of its own: who can write the record folder (get-status, then its
 *   permissions; the caller's own entry — usually the folder's creator — is judged from the SCIM Me
 *   of wave 1, without a lookup), and the legacy folder's listing (records to migrate).
 * Wave 2 (in parallel): per connected partner only, its grants that wave 1 did not return:
 *   Unity Catalog grants on its catalog and schemas, its warehouse permissions, and its legacy
 *   Hive metastore grants (SHOW GRANTS — only when its warehouse is already running: detection
 *   never starts a warehouse).
 */
import type { CallOptions, ObjectPermissions, ScimUser, ServicePrincipal, TokenInfo, Warehouse, WorkspaceClient, MetastoreAssignment, MetastoreSummary } from '../../client/api';
import { principalNameOf, type CatalogPartner, type PartnerCatalog } from '../partners/catalog';
import { expectedGrants, PROFILES } from '../profiles/profiles';
import { HIVE_METASTORE, quoteIdentifier } from '../profiles/plan';
import { isStaleConnecting, readRecord, recordFolderOf, recordPathFor, STALE_CONNECT_MINUTES, userRecordFolder, type ConnectionRecord, type ReadRecordResult } from '../record/record';
import { LEGACY_RECORD_FOLDER, checkRecordFolderTrust, describeTrust, type FolderTrust } from '../record/trust';
import { directLevel, displayNameFilters, isAdmin, isNotFound, isPermissionDenied, ownedByCaller, sameName, tokenMeta, tokensOf, wave } from '../util';
import { credentialExpired, credentialWarnings, metaOfSecret, metaOfToken } from '../credentials/credentials';
import { CREDENTIAL_WORDS } from '../credentials/types';
import { compareGrants, describeDifference, heldWords, parseShowGrants, type ActualGrants } from './grants';
import type { ComputeInfo, DegradedReason, DetectionStats, GrantsSummary, MetastoreInfo, PartnerStatus, WorkspaceIdentity, WorkspaceSnapshot } from './types';

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
}

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
  /** records 'listed': list the record folder and read only the records it names (DetectOptions.records) */
  mode: { records?: 'each' | 'listed'; onListing?: () => void } = {},
): Promise<WorkspaceFacts> {
  const limitations: string[] = [];
  // every partner's <PARTNER>_USER, including partners whose profile needs none (FIVETRAN_USER)
  const names = partners.map(principalNameOf);
  const filters = displayNameFilters([...new Set(names)]);
  const readRecordOf = async (p: CatalogPartner, w: CallOptions): Promise<readonly [string, ReadRecordResult]> => [p.id, await readRecord(client, folder, p.id, w)] as const;
  const absent = (p: CatalogPartner): readonly [string, ReadRecordResult] => [p.id, { kind: 'absent' }] as const;
  // 'each': every partner's record in this wave (absent ones answer 404). 'listed': the folder listing
  // first, then — as soon as it arrives — only the records it names.
  const recordReads = (w: CallOptions): Promise<(readonly [string, ReadRecordResult])[]> =>
    mode.records === 'listed'
      ? client.listWorkspaceFiles(folder, w).then((files) => {
          mode.onListing?.();
          const present = new Set(files.map((f) => f.path));
          return Promise.all(partners.map((p) => (present.has(recordPathFor(folder, p.id)) ? readRecordOf(p, w) : Promise.resolve(absent(p)))));
        })
      : Promise.all(partners.map((p) => readRecordOf(p, w)));
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

interface Draft {
  status: PartnerStatus;
  /** grant checks to run in wave 2; resolve to the grants they read, so a caller need not read them again */
  checks: (() => Promise<ActualGrants>) | null;
  /** wave 2: the principal's OAuth secrets (then the credential state is judged again) */
  secrets: (() => Promise<void>) | null;
}

const EMPTY_GRANTS: GrantsSummary = { checked: false, differences: [], held: [] };

/** Classifies one partner from wave-1 facts and prepares its wave-2 grant checks. */
export function classify(
  client: WorkspaceClient,
  facts: WorkspaceFacts,
  partner: CatalogPartner,
  o: CallOptions,
  opts: { checkGrants: boolean; allowWarehouseStart: boolean; now?: () => number },
): Draft {
  const now = opts.now ?? Date.now;
  const rec = facts.records.get(partner.id) ?? { kind: 'absent' as const };
  const record: ConnectionRecord | null = rec.kind === 'ok' ? rec.record : null;
  const sps = principalsOf(facts, partner);
  const sp = (record?.servicePrincipal && sps.find((s) => s.id === record.servicePrincipal?.id)) || sps[0] || null;
  const spTokens = sp && facts.tokens ? tokensOf(facts.tokens, sp) : [];
  const tokens = spTokens.map(tokenMeta);
  const status: PartnerStatus = {
    partnerId: partner.id,
    partner,
    state: 'not-connected',
    reasons: [],
    servicePrincipal: sp,
    tokens,
    credentials: spTokens.map(metaOfToken),
    warnings: [],
    compute: null,
    catalog: record?.catalog ?? null,
    schemas: record?.schemas ?? [],
    grants: EMPTY_GRANTS,
    partnerAccountAdministrator: record?.partnerAccountAdministrator ?? null,
    record,
    recordProblem: rec.kind === 'invalid' ? rec.problem : null,
  };
  const reasons: DegradedReason[] = [];

  if (record?.compute) {
    const w = record.compute.kind === 'warehouse' && facts.warehouses ? facts.warehouses.find((x) => x.id === record.compute?.id) : undefined;
    const known = record.compute.kind === 'warehouse' && facts.warehouses !== null;
    status.compute = {
      kind: record.compute.kind,
      id: record.compute.id,
      name: w?.name ?? record.compute.name ?? null,
      state: w?.state ?? null,
      createdForPartner: record.compute.createdForPartner,
      exists: known ? !!w : true,
    } satisfies ComputeInfo;
  }

  if (rec.kind === 'invalid') {
    status.state = 'degraded';
    status.reasons = [{ code: 'record-invalid', message: `The connection record exists but cannot be read (${rec.problem}).` }];
    return { status, checks: null, secrets: null };
  }
  // OAuth secrets of the principal (wave 2; admins only): listed for every partner whose principal exists
  let secretsKnown = false;
  let onSecrets = (): void => undefined;
  // needed where the record names a secret, or names no credential, or the principal was made outside this extension
  // (a connection with a live recorded token needs no listing: one request fewer per partner)
  const wantSecrets = !record || record.credential?.kind === 'oauth-secret' || (!record.credential && !record.tokenId);
  const listSecrets =
    sp && facts.tokens !== null && wantSecrets
      ? async (): Promise<void> => {
          try {
            const list = await client.listServicePrincipalSecrets(sp.id, o);
            status.credentials = [...status.credentials, ...list.map(metaOfSecret)];
            secretsKnown = true;
          } catch (e) {
            if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
          }
          onSecrets();
        }
      : null;
  if (!record) {
    status.state = sp ? 'connected-outside' : 'not-connected';
    onSecrets = () => {
      status.warnings = credentialWarnings(status.credentials, now());
    };
    onSecrets();
    return { status, checks: null, secrets: listSecrets };
  }
  if (record.state === 'connecting') {
    status.state = 'degraded';
    status.reasons = [
      {
        code: 'connect-incomplete',
        message: isStaleConnecting(record, now())
          ? `A connect by ${record.connectedBy} started at ${record.connectedAt} never finished: it was interrupted${record.handoffStartedAt && !record.connectionId ? ` after the hand-off to ${partner.displayName} had started (the partner may hold a connection)` : ''}. An admin can take it over (Take Over Interrupted Connect…).`
          : `A connect by ${record.connectedBy} started at ${record.connectedAt} has not finished: it is still running or was interrupted (after ${STALE_CONNECT_MINUTES} minutes an admin can take it over).`,
      },
    ];
    return { status, checks: null, secrets: null };
  }

  const credentialReasons: DegradedReason[] = [];
  if (partner.needsServicePrincipal) {
    const recorded = record.servicePrincipal;
    const exact = recorded ? sps.find((s) => s.id === recorded.id) : undefined;
    if (!exact) {
      if (sps.length > 0) {
        status.state = 'degraded';
        status.reasons = [
          {
            code: 'sp-mismatch',
            message: `The record names service principal ${recorded?.id ?? '(none)'}, but the workspace holds a different ${principalNameOf(partner)} (${sps.map((s) => s.id).join(', ')}).`,
          },
        ];
        return { status, checks: null, secrets: null };
      }
      status.state = 'check-mark-only';
      status.servicePrincipal = null;
      status.tokens = [];
      status.credentials = [];
      return { status, checks: null, secrets: null };
    }
    if (!exact.active) reasons.push({ code: 'sp-inactive', message: `${exact.displayName} is deactivated: the partner cannot sign in.` });
  }
  /** The credential's state: missing or expired → degraded; expiring or unused → a warning with the date. */
  const assessCredentials = (): void => {
    credentialReasons.length = 0;
    status.warnings = [];
    if (!partner.needsServicePrincipal || facts.tokens === null || !status.servicePrincipal) return;
    const t = now();
    const recorded = record.credential ?? (record.tokenId ? { kind: 'pat' as const, id: record.tokenId, expiresAt: null, lifetimeDays: 0 } : null);
    const live = status.credentials.filter((c) => !credentialExpired(c, t));
    status.warnings = credentialWarnings(live, t);
    if (recorded) {
      const words = CREDENTIAL_WORDS[recorded.kind];
      const c = status.credentials.find((x) => x.kind === recorded.kind && x.id === recorded.id);
      if (!c) {
        if (recorded.kind === 'oauth-secret' && !secretsKnown) return;
        credentialReasons.push(
          recorded.kind === 'pat'
            ? { code: 'token-revoked', message: `The ${words} ${recorded.id} created for the partner was revoked or deleted (Databricks revokes tokens unused for 90 days): rotate it.` }
            : { code: 'secret-revoked', message: `The ${words} ${recorded.id} created for the partner was deleted: rotate it.` },
        );
      } else if (credentialExpired(c, t)) {
        credentialReasons.push({ code: 'credential-expired', message: `The ${words} ${recorded.id} created for the partner expired on ${c.expiry.slice(0, 10)}: rotate it.` });
      }
    } else if (live.length === 0 && secretsKnown) {
      credentialReasons.push({ code: 'token-missing', message: `${status.servicePrincipal.displayName} has no valid personal access token or OAuth secret.` });
    }
  };
  if (status.compute && !status.compute.exists) {
    reasons.push({ code: 'compute-gone', message: `The ${status.compute.kind} ${status.compute.name ?? status.compute.id} (${status.compute.id}) no longer exists.` });
  }

  const finish = (): void => {
    assessCredentials();
    status.reasons = [...reasons.filter((r) => r.code !== 'grants-differ'), ...credentialReasons, ...reasons.filter((r) => r.code === 'grants-differ')];
    status.state = status.reasons.length ? 'degraded' : 'connected';
  };
  finish();
  onSecrets = finish;

  const spNow = status.servicePrincipal;
  if (!opts.checkGrants || !partner.needsServicePrincipal || !spNow) return { status, checks: null, secrets: listSecrets };

  const checks = async (): Promise<ActualGrants> => {
    const actual = await fetchActualGrants(client, facts, partner, record, spNow, status.compute, o, opts.allowWarehouseStart);
    const expected = expectedGrants(partner.profile, { catalog: record.catalog, schemas: record.schemas, isHive: record.isHive });
    const warehouseId = status.compute?.kind === 'warehouse' && status.compute.exists ? status.compute.id : null;
    const differences = compareGrants(expected, actual, warehouseId);
    status.grants = {
      checked: true,
      differences,
      held: heldWords(actual),
      ...(actual.hive === null && record.isHive ? { hiveNotChecked: true } : {}),
      ...(actual.unreadable ? { notReadable: actual.unreadable } : {}),
    };
    if (actual.unreadable) facts.limitations.push(`grants of ${partner.displayName} on ${actual.unreadable.map((k) => k.replace(':', ' ')).join(', ')}: not readable by the caller (owner, metastore admin or USE CATALOG needed)`);
    if (differences.length) {
      reasons.push({ code: 'grants-differ', message: `Grants differ from what ${partner.displayName} should hold: ${differences.map(describeDifference).join('; ')}.` });
    }
    finish();
    return actual;
  };
  return { status, checks, secrets: listSecrets };
}

/** Wave-2 reads of one connected partner's grants. */
export async function fetchActualGrants(
  client: WorkspaceClient,
  facts: Pick<WorkspaceFacts, 'tokenAcl'>,
  partner: CatalogPartner,
  record: Pick<ConnectionRecord, 'catalog' | 'schemas' | 'isHive'>,
  sp: ServicePrincipal,
  compute: ComputeInfo | null,
  o: CallOptions,
  allowWarehouseStart: boolean,
): Promise<ActualGrants> {
  const profile = PROFILES[partner.profile];
  const app = sp.applicationId;
  const uc = new Map<string, string[]>();
  const unreadable: string[] = [];
  let hive: Map<string, string[]> | null = null;
  const jobs: Promise<void>[] = [];
  let warehouseUse: string | null | undefined;
  const warehouse = compute?.kind === 'warehouse' && compute.exists ? compute : null;
  if (warehouse) {
    jobs.push(
      client.getWarehousePermissions(warehouse.id, o).then(
        (acl) => {
          warehouseUse = directLevel(acl, app);
        },
        (e: unknown) => {
          if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
        },
      ),
    );
  }
  if (record.catalog && !record.isHive && profile.unityCatalog) {
    const pick = (rows: { principal: string; privileges: string[] }[]): string[] => rows.filter((r) => sameName(r.principal, app)).flatMap((r) => r.privileges);
    const targets: [string, 'catalog' | 'schema', string][] = [[`catalog:${record.catalog}`, 'catalog', record.catalog]];
    for (const s of record.schemas) targets.push([`schema:${record.catalog}.${s}`, 'schema', `${record.catalog}.${s}`]);
    for (const [key, type, full] of targets) {
      jobs.push(
        client.getGrants(type, full, o).then(
          (rows) => void uc.set(key, pick(rows)),
          (e: unknown) => {
            if (isPermissionDenied(e)) {
              // e.g. a workspace admin without USE CATALOG on someone else's catalog: not compared, and said so
              unreadable.push(key);
              return;
            }
            if (!isNotFound(e)) throw e;
            uc.set(key, []);
          },
        ),
      );
    }
  }
  if (record.catalog && record.isHive && profile.hive && warehouse && (warehouse.state === 'RUNNING' || allowWarehouseStart)) {
    hive = new Map();
    const h = hive;
    const targets: [string, string][] = [['CATALOG', `SHOW GRANTS ${quoteIdentifier(app)} ON CATALOG ${quoteIdentifier(HIVE_METASTORE)}`]];
    for (const s of record.schemas) targets.push([`SCHEMA ${s}`, `SHOW GRANTS ${quoteIdentifier(app)} ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(s)}`]);
    for (const [key, statement] of targets) {
      jobs.push(
        client.executeStatement({ warehouseId: warehouse.id, statement }, o).then(
          (r) => void h.set(key, parseShowGrants(r.result?.data_array ?? [], app)),
          (e: unknown) => {
            if ((e as { errorCode?: string }).errorCode === 'BAD_REQUEST' || isNotFound(e)) h.set(key, []);
            else throw e;
          },
        ),
      );
    }
  }
  await Promise.all(jobs);
  return {
    entitlements: sp.entitlements.map((e) => e.value),
    tokenUse: directLevel(facts.tokenAcl, app),
    warehouseUse,
    uc,
    hive,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** A record read from a folder that is not admin-only is shown as untrusted (degraded), never silently believed. */
export function markUntrusted(status: PartnerStatus, trust: FolderTrust): void {
  if (trust.kind === 'trusted' || (!status.record && !status.recordProblem)) return;
  status.reasons = [{ code: 'record-untrusted', message: describeTrust(trust) }, ...status.reasons.filter((r) => r.code !== 'record-untrusted')];
  status.state = 'degraded';
}

export async function detectConnectionStates(client: WorkspaceClient, catalog: PartnerCatalog, opts: DetectOptions = {}): Promise<WorkspaceSnapshot> {
  const counter = new WaveCounter();
  const c = counter.wrap(client);
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
  const ownP = ownConnections(c, catalog.partners, meP, o);
  ownP.catch(() => undefined);
  const facts = await gatherFacts(c, catalog.partners, folder, o, { me: meP }, { records: opts.records, onListing: () => counter.next() });
  const drafts = catalog.partners.map((p) => classify(c, facts, p, o, { checkGrants: opts.checkGrants ?? true, allowWarehouseStart: opts.allowWarehouseStart ?? false, now: opts.now }));
  counter.next();
  await Promise.all(drafts.flatMap((d) => [d.checks ? d.checks() : Promise.resolve(), d.secrets ? d.secrets() : Promise.resolve()]));
  const [trust, legacy, own] = await Promise.all([trustP, legacyP, ownP]);
  for (const d of drafts) markUntrusted(d.status, trust);
  for (const d of drafts) {
    const mine = own.get(d.status.partnerId);
    if (mine && d.status.state === 'not-connected') d.status = mine;
  }
  const legacyRecords = catalog.partners
    .filter((p) => legacy.some((f) => f.path.endsWith(`/${p.id}.json`)) && facts.records.get(p.id)?.kind === 'absent')
    .map((p) => p.id);
  return {
    recordFolder: trust,
    legacyRecords,
    host: client.host,
    identity: identityOf(facts),
    metastore: metastoreOf(facts),
    partners: drafts.map((d) => d.status),
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
async function ownConnections(c: WorkspaceClient, partners: readonly CatalogPartner[], meP: Promise<ScimUser>, o: CallOptions): Promise<Map<string, PartnerStatus>> {
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
  const now = Date.now();
  mine.forEach((p, i) => {
    const rec = records[i];
    if (rec.kind !== 'ok' || rec.record.actsAs !== 'user') return;
    const r = rec.record;
    const tokenId = r.credential?.id ?? r.tokenId;
    const token = tokens?.find((t) => t.token_id === tokenId);
    const credentials = token ? [metaOfToken(token)] : [];
    const reasons: PartnerStatus['reasons'] = [];
    if (tokens && tokenId && !token) reasons.push({ code: 'token-revoked', message: `Your personal access token ${tokenId} created for the partner was revoked or deleted (Databricks revokes tokens unused for 90 days): disconnect and connect again.` });
    else if (token && credentialExpired(credentials[0], now)) reasons.push({ code: 'credential-expired', message: `Your personal access token ${tokenId} created for the partner expired on ${credentials[0].expiry.slice(0, 10)}: disconnect and connect again.` });
    out.set(p.id, {
      partnerId: p.id,
      partner: p,
      state: reasons.length ? 'degraded' : 'connected',
      reasons,
      servicePrincipal: null,
      tokens: token ? [{ tokenId: token.token_id, comment: token.comment ?? '', createdAt: credentials[0].createdAt, expiry: credentials[0].expiry, createdBy: me.userName, ownerId: me.id }] : [],
      credentials,
      warnings: credentialWarnings(credentials, now),
      compute: r.compute ? { kind: r.compute.kind, id: r.compute.id, name: r.compute.name ?? null, state: null, createdForPartner: false, exists: true } : null,
      catalog: r.catalog,
      schemas: r.schemas,
      grants: { checked: false, differences: [], held: [] },
      partnerAccountAdministrator: r.partnerAccountAdministrator,
      record: r,
      recordProblem: null,
    });
  });
  return out;
}
