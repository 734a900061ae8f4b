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
import { reasonsOf, type ComputeInfo, type DegradedReason, type DetectionStats, type GrantsSummary, type MetastoreInfo, type PartnerStatus, type PartnerStatusFields, type WorkspaceIdentity, type WorkspaceSnapshot } from './types';
import type { CredentialMeta, CredentialWarning } from '../credentials/types';

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

/** What wave 2 read for a partner; absent: not read (or not readable). */
export interface PartnerExtras {
  /** the principal's OAuth secrets */
  secrets?: CredentialMeta[];
  /** its grants, compared with its profile */
  actual?: ActualGrants;
}

/**
 * One partner classified from the wave-1 facts: its status so far, the wave-2 reads it needs (each
 * returns what it read, nothing is changed in place) and `judge`, the status once they are read.
 */
export interface Draft {
  status: PartnerStatus;
  /** its grants (connected partners with a principal): what `judge` compares with the profile */
  checks: (() => Promise<ActualGrants>) | null;
  /** the principal's OAuth secrets (admins only); undefined when they may not be listed */
  secrets: (() => Promise<CredentialMeta[] | undefined>) | null;
  judge(extras: PartnerExtras): PartnerStatus;
}

const EMPTY_GRANTS: GrantsSummary = { checked: false, differences: [], held: [] };

/** A status wave 2 cannot change (invalid record, connect incomplete, another principal, check mark only). */
function settled(status: PartnerStatus): Draft {
  return { status, checks: null, secrets: null, judge: () => status };
}

/** Classifies one partner from wave-1 facts and prepares its wave-2 reads. */
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
  const base: PartnerStatusFields = {
    partnerId: partner.id,
    partner,
    servicePrincipal: sp,
    tokens: spTokens.map(tokenMeta),
    credentials: spTokens.map(metaOfToken),
    warnings: [],
    compute: computeOf(record, facts),
    catalog: record?.catalog ?? null,
    schemas: record?.schemas ?? [],
    grants: EMPTY_GRANTS,
    partnerAccountAdministrator: record?.partnerAccountAdministrator ?? null,
    record,
    recordProblem: rec.kind === 'invalid' ? rec.problem : null,
  };

  if (rec.kind === 'invalid') {
    return settled({ ...base, state: 'degraded', reasons: [{ code: 'record-invalid', message: `The connection record exists but cannot be read (${rec.problem}).` }] });
  }
  // OAuth secrets of the principal (wave 2; admins only): listed for every partner whose principal exists
  // needed where the record names a secret, or names no credential, or the principal was made outside this extension
  // (a connection with a live recorded token needs no listing: one request fewer per partner)
  const wantSecrets = !record || record.credential?.kind === 'oauth-secret' || (!record.credential && !record.tokenId);
  const listSecrets =
    sp && facts.tokens !== null && wantSecrets
      ? async (): Promise<CredentialMeta[] | undefined> => {
          try {
            return (await client.listServicePrincipalSecrets(sp.id, o)).map(metaOfSecret);
          } catch (e) {
            if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
            return undefined;
          }
        }
      : null;
  const credentialsWith = (x: PartnerExtras): CredentialMeta[] => (x.secrets ? [...base.credentials, ...x.secrets] : base.credentials);
  if (!record) {
    const judge = (x: PartnerExtras): PartnerStatus => {
      const credentials = credentialsWith(x);
      return { ...base, credentials, warnings: credentialWarnings(credentials, now()), state: sp ? 'connected-outside' : 'not-connected' };
    };
    return { status: judge({}), checks: null, secrets: listSecrets, judge };
  }
  if (record.state === 'connecting') {
    return settled({
      ...base,
      state: 'degraded',
      reasons: [
        {
          code: 'connect-incomplete',
          message: isStaleConnecting(record, now())
            ? `A connect by ${record.connectedBy} started at ${record.connectedAt} never finished: it was interrupted${record.handoffStartedAt && !record.connectionId ? ` after the hand-off to ${partner.displayName} had started (the partner may hold a connection)` : ''}. An admin can take it over (Take Over Interrupted Connect…).`
            : `A connect by ${record.connectedBy} started at ${record.connectedAt} has not finished: it is still running or was interrupted (after ${STALE_CONNECT_MINUTES} minutes an admin can take it over).`,
        },
      ],
    });
  }

  // reasons known from wave 1; the credential's and the grants' come with wave 2 (judge)
  const reasons: DegradedReason[] = [];
  if (partner.needsServicePrincipal) {
    const recorded = record.servicePrincipal;
    const exact = recorded ? sps.find((s) => s.id === recorded.id) : undefined;
    if (!exact) {
      if (sps.length > 0) {
        return settled({
          ...base,
          state: 'degraded',
          reasons: [
            {
              code: 'sp-mismatch',
              message: `The record names service principal ${recorded?.id ?? '(none)'}, but the workspace holds a different ${principalNameOf(partner)} (${sps.map((s) => s.id).join(', ')}).`,
            },
          ],
        });
      }
      return settled({ ...base, state: 'check-mark-only', servicePrincipal: null, tokens: [], credentials: [] });
    }
    if (!exact.active) reasons.push({ code: 'sp-inactive', message: `${exact.displayName} is deactivated: the partner cannot sign in.` });
  }
  if (base.compute && !base.compute.exists) {
    reasons.push({ code: 'compute-gone', message: `The ${base.compute.kind} ${base.compute.name ?? base.compute.id} (${base.compute.id}) no longer exists.` });
  }

  const judge = (x: PartnerExtras): PartnerStatus => {
    const credentials = credentialsWith(x);
    const { reasons: credentialReasons, warnings } = assessCredentials(partner, record, sp, credentials, facts.tokens !== null, x.secrets !== undefined, now());
    let grants = EMPTY_GRANTS;
    const grantReasons: DegradedReason[] = [];
    if (x.actual) {
      const expected = expectedGrants(partner.profile, { catalog: record.catalog, schemas: record.schemas, isHive: record.isHive });
      const warehouseId = base.compute?.kind === 'warehouse' && base.compute.exists ? base.compute.id : null;
      const differences = compareGrants(expected, x.actual, warehouseId);
      grants = {
        checked: true,
        differences,
        held: heldWords(x.actual),
        ...(x.actual.hive === null && record.isHive ? { hiveNotChecked: true } : {}),
        ...(x.actual.unreadable ? { notReadable: x.actual.unreadable } : {}),
      };
      if (differences.length) grantReasons.push({ code: 'grants-differ', message: `Grants differ from what ${partner.displayName} should hold: ${differences.map(describeDifference).join('; ')}.` });
    }
    const all = [...reasons, ...credentialReasons, ...grantReasons];
    const fields = { ...base, credentials, warnings, grants };
    return all.length ? { ...fields, state: 'degraded', reasons: all } : { ...fields, state: 'connected' };
  };

  const checks =
    opts.checkGrants && partner.needsServicePrincipal && sp
      ? (): Promise<ActualGrants> => fetchActualGrants(client, facts, partner, record, sp, base.compute, o, opts.allowWarehouseStart)
      : null;
  return { status: judge({}), checks, secrets: listSecrets, judge };
}

/** The compute a record names, as the warehouse list shows it. */
function computeOf(record: ConnectionRecord | null, facts: Pick<WorkspaceFacts, 'warehouses'>): ComputeInfo | null {
  if (!record?.compute) return null;
  const c = record.compute;
  const w = c.kind === 'warehouse' && facts.warehouses ? facts.warehouses.find((x) => x.id === c.id) : undefined;
  const known = c.kind === 'warehouse' && facts.warehouses !== null;
  return { kind: c.kind, id: c.id, name: w?.name ?? c.name ?? null, state: w?.state ?? null, createdForPartner: c.createdForPartner, exists: known ? !!w : true };
}

/** The credential's state: missing or expired → degraded; expiring or unused → a warning with the date. */
function assessCredentials(
  partner: CatalogPartner,
  record: ConnectionRecord,
  sp: ServicePrincipal | null,
  credentials: CredentialMeta[],
  tokensListed: boolean,
  secretsKnown: boolean,
  t: number,
): { reasons: DegradedReason[]; warnings: CredentialWarning[] } {
  const reasons: DegradedReason[] = [];
  if (!partner.needsServicePrincipal || !tokensListed || !sp) return { reasons, warnings: [] };
  const recorded = record.credential ?? (record.tokenId ? { kind: 'pat' as const, id: record.tokenId, expiresAt: null, lifetimeDays: 0 } : null);
  const live = credentials.filter((c) => !credentialExpired(c, t));
  const warnings = credentialWarnings(live, t);
  if (recorded) {
    const words = CREDENTIAL_WORDS[recorded.kind];
    const c = credentials.find((x) => x.kind === recorded.kind && x.id === recorded.id);
    if (!c) {
      if (recorded.kind === 'oauth-secret' && !secretsKnown) return { reasons, warnings };
      reasons.push(
        recorded.kind === 'pat'
          ? { code: 'token-revoked', message: `The ${words} ${recorded.id} created for the partner was revoked or deleted (Databricks revokes tokens unused for 90 days): rotate it.` }
          : { code: 'secret-revoked', message: `The ${words} ${recorded.id} created for the partner was deleted: rotate it.` },
      );
    } else if (credentialExpired(c, t)) {
      reasons.push({ code: 'credential-expired', message: `The ${words} ${recorded.id} created for the partner expired on ${c.expiry.slice(0, 10)}: rotate it.` });
    }
  } else if (live.length === 0 && secretsKnown) {
    reasons.push({ code: 'token-missing', message: `${sp.displayName} has no valid personal access token or OAuth secret.` });
  }
  return { reasons, warnings };
}

/** The limitation to report when some of a partner's grants could not be read. */
export function grantsLimitation(partner: CatalogPartner, actual: ActualGrants | undefined): string | null {
  if (!actual?.unreadable) return null;
  return `grants of ${partner.displayName} on ${actual.unreadable.map((k) => k.replace(':', ' ')).join(', ')}: not readable by the caller (owner, metastore admin or USE CATALOG needed)`;
}

/** Runs a draft's wave-2 reads (in parallel) and returns what they read. */
export async function readExtras(d: Pick<Draft, 'checks' | 'secrets'>): Promise<PartnerExtras> {
  const [actual, secrets] = await Promise.all([d.checks ? d.checks() : undefined, d.secrets ? d.secrets() : undefined]);
  return { actual, secrets };
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
export function withTrust(status: PartnerStatus, trust: FolderTrust): PartnerStatus {
  if (trust.kind === 'trusted' || (!status.record && !status.recordProblem)) return status;
  return { ...status, state: 'degraded', reasons: [{ code: 'record-untrusted', message: describeTrust(trust) }, ...reasonsOf(status).filter((r) => r.code !== 'record-untrusted')] };
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
  const facts = await gatherFacts(c, catalog.partners, folder, o, { me: meP }, { records: opts.records, onListing: () => counter.next() });
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
