/**
 * Pre-flight checks, before anything is created:
 * - the caller is a workspace admin;
 * - catalog rules (seed): a partner without Unity Catalog support can only use the workspace
 *   default catalog, and if that default isn't hive_metastore and the caller doesn't own it → the
 *   seed's error; a metastore admin may choose any catalog; others hive_metastore or a catalog
 *   they own;
 * - the schemas exist; the warehouse exists or can be created;
 * - the connection state: already connected → re-use; a connect in progress, a check mark
 *   without its service principal, or a `<PARTNER>_USER` made outside the extension → refuse with
 *   what to do.
 */
import type { Catalog, CallOptions, MetastoreAssignment, MetastoreSummary, ScimUser, ServicePrincipal, Warehouse, WorkspaceClient } from '../../client/api';
import { ConnectInProgressError, DefaultCatalogNotOwnedError, NotWorkspaceAdminError, PreflightError, type PreflightProblem } from '../errors';
import { principalNameOf, type CatalogPartner } from '../partners/catalog';
import { PROFILES } from '../profiles/profiles';
import { HIVE_METASTORE, quoteIdentifier, type ConnectChoices } from '../profiles/plan';
import { isStaleConnecting, minutesSince, readRecord, recordFolderOf, recordPathFor, STALE_CONNECT_MINUTES, userRecordFolder, type ConnectionRecord, type ReadRecordResult } from '../record/record';
import { checkRecordFolderTrust, describeTrust } from '../record/trust';
import { hostnameOf } from '../handoff/manual';
import { workspaceIdOf } from '../handoff/protocol';
import { credentialChoiceFor, partnerNeedsPat, userCredentialChoice } from '../credentials/credentials';
import { DEFAULT_MAX_LIFETIME_DAYS, describeCap, MIN_LIFETIME_DAYS, readLifetimeCap, type LifetimeCap } from '../credentials/lifetime';
import type { CredentialKind } from '../credentials/types';
import { workspaceCloud } from '../handoff/protocol';
import type { CloudProvider } from '../../client/partner/partnerConfig';
import { canConnect, type ConnectAccess } from './access';
import { fallbackTypes, offerWarehouseTypes, readWarehouseTypeSupport, WAREHOUSE_TYPE_WORDS, type WarehouseType, type WarehouseTypeOffer, type WarehouseTypeSupport } from '../compute/warehouseTypes';
import { displayNameFilters, isAdmin, isNotFound, isPermissionDenied, ownedByCaller, sameName, wave } from '../util';

export interface PreflightResult {
  ok: boolean;
  problems: PreflightProblem[];
  userName: string;
  isWorkspaceAdmin: boolean;
  isMetastoreAdmin: boolean;
  /** the workspace default catalog (hive_metastore when not UC-enabled) */
  defaultCatalog: string;
  unityCatalogEnabled: boolean;
  /** the partner is already connected: connect re-uses it (is_connection_established, no new token) */
  reuse: ConnectionRecord | null;
  /** the choices as connect will apply them (isHive derived from the catalog) */
  normalized: ConnectChoices;
  /** the chosen existing warehouse, when one was chosen */
  warehouse: Warehouse | null;
  /** the caller (SCIM Me) */
  me: ScimUser;
  /** who may connect: an admin, a non-admin re-using an established connection, ... (connect/access.ts) */
  access: ConnectAccess;
  /** the workspace id as decimal text (int64; the X-Databricks-Org-Id header of SCIM Me, else the metastore assignment or host), null when unknown */
  workspaceId: string | null;
  /** the workspace's cloud: its host name's, else its metastore's, else aws (handoff/protocol workspaceCloud) */
  cloud: CloudProvider;
  /** the partner's credential as connect will create it (null: the profile has no service principal) */
  credential: { kind: CredentialKind; maxLifetimeDays: number; fallbackToSecret: boolean; why: string; cap: LifetimeCap; lifetimeDays: number } | null;
  /** a new warehouse: its type, what to try when the workspace refuses it, and what was on offer (null: no warehouse is created) */
  warehouseType: { type: WarehouseType; fallback: WarehouseType[]; offer: WarehouseTypeOffer } | null;
  /** whether the record folder existed when the pre-flight judged it (its trust check reads its status anyway) */
  recordFolderExists: boolean;
}

export interface CatalogOption {
  name: string;
  allowed: boolean;
  /** why not allowed */
  reason: string | null;
  isDefault: boolean;
  owner: string | null;
}

interface Env {
  me: ScimUser;
  /** from the X-Databricks-Org-Id header of SCIM Me */
  orgId: string | null;
  assignment: MetastoreAssignment | null;
  summary: MetastoreSummary | null;
  defaultCatalog: string;
  catalogs: Catalog[];
  isMetastoreAdmin: boolean;
}

async function loadEnv(client: WorkspaceClient, o: CallOptions): Promise<Env> {
  const nullOn404 = <T>(p: Promise<T>): Promise<T | null> =>
    p.catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return null;
      throw e;
    });
  const [{ me, workspaceId: orgId }, assignment, summary, ns, catalogs] = await wave(o.signal, (w) => [
    client.identify(w),
    nullOn404(client.currentMetastoreAssignment(w)),
    nullOn404(client.metastoreSummary(w)),
    nullOn404(client.getDefaultNamespace(w)),
    nullOn404(client.listCatalogs(w)),
  ]);
  const defaultCatalog = assignment ? (ns ?? assignment.default_catalog_name ?? HIVE_METASTORE) : HIVE_METASTORE;
  return {
    me,
    orgId,
    assignment,
    summary,
    defaultCatalog,
    catalogs: assignment ? (catalogs ?? []) : [],
    isMetastoreAdmin: !!summary && ownedByCaller(summary.owner, me),
  };
}

/**
 * Which catalogs may this caller choose for this partner? (The seed's rules.) `asUser`: a connection
 * that acts as the caller grants nothing, so ownership does not matter — the partner gets exactly the
 * caller's own access, and any catalog the caller can see may be chosen.
 */
function catalogRule(partner: CatalogPartner, env: Env, name: string, asUser = false): { allowed: boolean; reason: string | null; code?: PreflightProblem['code'] } {
  const isHive = sameName(name, HIVE_METASTORE);
  if (!env.assignment) {
    return isHive
      ? { allowed: true, reason: null }
      : { allowed: false, reason: 'The workspace is not enabled for Unity Catalog: only hive_metastore can be used.', code: 'unity-catalog-unavailable' };
  }
  if (!partner.supportsUnityCatalog) {
    if (!sameName(name, env.defaultCatalog)) {
      return {
        allowed: false,
        reason: `${partner.displayName} doesn't support Unity Catalog with Partner Connect, so it can only use the workspace default catalog (${env.defaultCatalog}).`,
        code: 'catalog-not-allowed',
      };
    }
    if (!sameName(env.defaultCatalog, HIVE_METASTORE) && !asUser) {
      const def = env.catalogs.find((c) => sameName(c.name, env.defaultCatalog));
      if (!def || !ownedByCaller(def.owner, env.me)) {
        return { allowed: false, reason: new DefaultCatalogNotOwnedError(partner.displayName, env.defaultCatalog).message, code: 'default-catalog-not-owned' };
      }
    }
    return { allowed: true, reason: null };
  }
  if (isHive) return { allowed: true, reason: null };
  const cat = env.catalogs.find((c) => sameName(c.name, name));
  if (!cat) return { allowed: false, reason: `The catalog "${name}" does not exist or you cannot see it.`, code: 'catalog-not-found' };
  // Nothing is granted to a partner without a service principal, nor by a connection that acts as you: it signs in as you, with your own access.
  if (!PROFILES[partner.profile].servicePrincipal || asUser) return { allowed: true, reason: null };
  if (env.isMetastoreAdmin || ownedByCaller(cat.owner, env.me)) return { allowed: true, reason: null };
  return {
    allowed: false,
    reason: `You don't own the catalog "${cat.name}" (owner: ${cat.owner ?? 'unknown'}). Choose hive_metastore or a catalog you own; metastore admins may choose any catalog.`,
    code: 'catalog-not-allowed',
  };
}

/** `asUser`: for a connection that acts as the caller (see catalogRule). */
export async function catalogOptions(client: WorkspaceClient, partner: CatalogPartner, opts: { signal?: AbortSignal; asUser?: boolean } = {}): Promise<CatalogOption[]> {
  const env = await loadEnv(client, { signal: opts.signal });
  const names = new Map<string, Catalog | null>();
  names.set(HIVE_METASTORE, null);
  for (const c of env.catalogs) if (!sameName(c.name, HIVE_METASTORE)) names.set(c.name, c);
  if (!names.has(env.defaultCatalog)) names.set(env.defaultCatalog, null);
  return [...names].map(([name, c]) => {
    const r = catalogRule(partner, env, name, opts.asUser);
    return { name, allowed: r.allowed, reason: r.reason, isDefault: sameName(name, env.defaultCatalog), owner: c?.owner ?? null };
  });
}

export async function preflightConnect(
  client: WorkspaceClient,
  partner: CatalogPartner,
  choices: ConnectChoices,
  opts: { recordFolder?: string; signal?: AbortSignal; /** connect: the record folder's status and its parents' in the first wave */ folderAncestorsAtOnce?: boolean } = {},
): Promise<PreflightResult> {
  const o: CallOptions = { signal: opts.signal };
  const folder = recordFolderOf(opts);
  const profile = PROFILES[partner.profile];
  const needsData = !!(profile.unityCatalog || profile.hive);
  // desktop partners (Power BI, Tableau): an optional catalog and schema the file opens on
  const desktop = partner.handoff === 'desktop-file';
  const catalogName = choices.catalog ?? null;
  const isHive = catalogName ? sameName(catalogName, HIVE_METASTORE) : false;
  const schemas = partner.schemaSelection === 'none' && !(desktop && catalogName) ? [] : [...(choices.schemas ?? [])];
  const normalized: ConnectChoices = { ...choices, catalog: catalogName ? (isHive ? HIVE_METASTORE : catalogName) : null, schemas, isHive };
  const wantsWarehouse = profile.usesWarehouse || partner.handoff === 'desktop-file' || (partner.profile === 'none' && partner.compute !== 'none');

  const spName = principalNameOf(partner);
  const spFilter = displayNameFilters([spName])[0];
  // Reads that depend only on the choices start in the first wave. Their outcome (value or error) is kept and
  // used below exactly where the sequential code used it; unused when the checks below do not get that far.
  const chosen = wantsWarehouse && choices.warehouse?.kind === 'existing' ? choices.warehouse.id : null;
  const needsCredential = profile.servicePrincipal && !!partner.servicePrincipalName;
  const createsWarehouse = wantsWarehouse && choices.warehouse?.kind === 'create';
  // One wave; a failure cancels and awaits the rest of it (nothing keeps running behind the error).
  const [env, firstRecord, sps, warehouses, cap, trust, earlyWarehouse, earlySchemas, typeSupport] = await wave(opts.signal, (w) => [
    loadEnv(client, w),
    // a non-admin may not be allowed to read them: then they are judged without (see below)
    readRecord(client, folder, partner.id, w).catch((e: unknown) => {
      if (isPermissionDenied(e)) return { kind: 'unreadable' } as const;
      throw e;
    }),
    client.listServicePrincipals({ filter: spFilter }, w).catch((e: unknown) => {
      if (isPermissionDenied(e)) return null;
      throw e;
    }),
    client.listWarehouses(w).catch((e: unknown) => {
      if (isPermissionDenied(e)) return null;
      throw e;
    }),
    needsCredential ? readLifetimeCap(client, w) : Promise.resolve<LifetimeCap>({ maxDays: DEFAULT_MAX_LIFETIME_DAYS, source: 'default' }),
    checkRecordFolderTrust(client, folder, w, { ancestorsAtOnce: opts.folderAncestorsAtOnce }),
    chosen !== null ? settle(client.getWarehouse(chosen, w)) : Promise.resolve(null),
    catalogName && !isHive && schemas.length ? settle(client.listSchemas(catalogName, w)) : Promise.resolve(null),
    createsWarehouse ? readWarehouseTypeSupport(client, w) : Promise.resolve<WarehouseTypeSupport | null>(null),
  ]);
  const early = { warehouse: earlyWarehouse, schemas: earlySchemas };
  const problems: PreflightProblem[] = [];
  if (trust.kind !== 'trusted') problems.push({ code: 'record-folder-untrusted', message: describeTrust(trust) });
  const admin = isAdmin(env.me);

  // ---------------------------------------------------------------- connection state, and who may connect
  let reuse: ConnectionRecord | null = null;
  let stateProblem: PreflightProblem | 'reuse' | null = null;
  let record = firstRecord;
  if (record.kind === 'unreadable') {
    stateProblem = {
      code: 'record-unreadable',
      message: `${env.me.userName} cannot read the connection record ${recordPathFor(folder, partner.id)} (permission denied), so whether ${partner.displayName} is connected is unknown. Ask a workspace admin for CAN READ on ${folder}.`,
    };
  } else {
    // principals that cannot be listed (a non-admin) are taken as the record says
    let mySps = sps === null ? null : sps.filter((s) => sameName(s.displayName, spName));
    stateProblem = recordProblem(partner, record, mySps);
    if (stateProblem !== 'reuse' && stateProblem?.code === 'check-mark-only') {
      // The record and the principals were read at the same time: a connect that finished in between
      // (principal created, then the record marked connected) looks like "check mark only". A principal
      // that exists when the record says "connected" was created before the record was written, so a
      // listing started now, after the record read, sees it.
      const again = await client.listServicePrincipals({ filter: spFilter }, o);
      mySps = again.filter((s) => sameName(s.displayName, spName));
      stateProblem = recordProblem(partner, record, mySps);
    } else if (stateProblem !== 'reuse' && stateProblem?.code === 'connected-outside') {
      // the other way round: a connect claims its record before it creates the principal, so a record
      // read now, after the principal listing, sees the claim of a connect that raced this read
      record = await readRecord(client, folder, partner.id, o);
      stateProblem = recordProblem(partner, record, mySps);
    }
    if (stateProblem === 'reuse') reuse = (record as Extract<ReadRecordResult, { kind: 'ok' }>).record;
  }
  const access = canConnect(partner, { userName: env.me.userName, isWorkspaceAdmin: admin }, { established: reuse !== null });
  const asUser = access.allowed && access.as === 'user';
  if (!access.allowed) problems.push({ code: 'not-workspace-admin', message: access.reason });
  // acting as the user: the admins' record and principal say nothing about a connection of the user's own
  // (a record the user cannot read, or a principal made by an admin, does not block it)
  if (stateProblem && stateProblem !== 'reuse' && access.allowed && !(asUser && (stateProblem.code === 'record-unreadable' || stateProblem.code === 'connected-outside'))) problems.push(stateProblem);
  if (asUser && !reuse) problems.push(...(await userConnectionProblems(client, partner, env.me, o)));
  // the choices only matter for a connect the caller may make (a refusal is reported alone)
  const checksChoices = !reuse && access.allowed;

  // ---------------------------------------------------------------- catalog, schemas, warehouse (new connections only)
  let warehouse: Warehouse | null = null;
  let warehouseType: PreflightResult['warehouseType'] = null;
  if (checksChoices) {
    if (needsData || (desktop && catalogName)) {
      if (!catalogName) {
        problems.push({ code: 'catalog-required', message: `Choose a catalog for ${partner.displayName}.` });
      } else {
        const r = catalogRule(partner, env, catalogName, asUser);
        if (!r.allowed) problems.push({ code: r.code ?? 'catalog-not-allowed', message: r.reason ?? 'This catalog cannot be used.' });
      }
    }
    const schemaCount = schemas.length;
    if (partner.schemaSelection === 'one' && schemaCount !== 1) {
      problems.push(schemaCount === 0 ? { code: 'schema-required', message: 'Choose the schema the partner may read.' } : { code: 'too-many-schemas', message: `${partner.displayName} reads exactly one schema.` });
    }
    if (partner.schemaSelection === 'many' && schemaCount === 0) problems.push({ code: 'schema-required', message: 'Choose at least one schema.' });
    if (desktop && schemaCount > 1) problems.push({ code: 'too-many-schemas', message: `A ${partner.displayName} connection file opens on one schema.` });

    if (wantsWarehouse) {
      const wh = choices.warehouse;
      if (!wh) problems.push({ code: 'warehouse-required', message: `Choose a SQL warehouse for ${partner.displayName}, or create one.` });
      else if (wh.kind === 'create' && asUser) {
        problems.push({ code: 'warehouse-create-as-user', message: `A connection that acts as you does not create a SQL warehouse: choose an existing one you may use (CAN USE).` });
      }
      else if (wh.kind === 'existing') {
        try {
          warehouse = unsettle(early.warehouse ?? (await settle(client.getWarehouse(wh.id, o))));
        } catch (e) {
          if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
          problems.push({ code: 'warehouse-not-found', message: `The SQL warehouse ${wh.id} does not exist (or you cannot see it).` });
        }
      } else {
        const name = wh.name.trim();
        if (name.length < 1 || name.length > 99) problems.push({ code: 'warehouse-name-invalid', message: 'A warehouse name must have 1 to 99 characters.' });
        else if (warehouses?.some((w) => sameName(w.name, name))) problems.push({ code: 'warehouse-name-taken', message: `A SQL warehouse named "${name}" already exists; choose it or another name.` });
        if (typeSupport) {
          const offer = offerWarehouseTypes(partner.displayName, partner.warehouseTypes, typeSupport);
          const chosenType = wh.type ?? offer.preferred;
          const refused = offer.notOffered.find((x) => x.type === wh.type);
          if (refused) problems.push({ code: 'warehouse-type-unavailable', message: `${refused.reason} Choose ${offer.offered.map((t) => WAREHOUSE_TYPE_WORDS[t]).join(' or ') || 'an existing warehouse'}.` });
          else if (!chosenType) {
            problems.push({ code: 'warehouse-type-unavailable', message: `No SQL warehouse type ${partner.displayName} supports can be created here (${offer.notOffered.map((x) => x.reason).join(' ')}). Choose an existing warehouse.` });
          } else warehouseType = { type: chosenType, fallback: fallbackTypes(chosenType, offer), offer };
        }
      }
    }

    if (catalogName && schemas.length && !problems.some((p) => p.code.startsWith('catalog') || p.code === 'default-catalog-not-owned' || p.code === 'unity-catalog-unavailable')) {
      const missing = await missingSchemas(client, env, normalized, warehouse, o, early.schemas ? Promise.resolve(early.schemas) : null);
      for (const s of missing) problems.push({ code: 'schema-not-found', message: `The schema ${normalized.catalog}.${s} does not exist.` });
    }
  }

  // ---------------------------------------------------------------- the partner's credential (new connections only)
  let credential: PreflightResult['credential'] = null;
  const cloud = workspaceCloud(hostnameOf(client.host), env.summary?.cloud);
  if (needsCredential && checksChoices) {
    const choice = asUser ? userCredentialChoice(partner) : credentialChoiceFor(partner, client.host, cloud);
    const wanted = choices.credentialLifetimeDays;
    if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < MIN_LIFETIME_DAYS)) {
      problems.push({ code: 'lifetime-invalid', message: `A credential lifetime is a whole number of days, at least ${MIN_LIFETIME_DAYS}.` });
    } else if (wanted !== undefined && wanted > cap.maxDays) {
      problems.push({ code: 'lifetime-too-long', message: `A new credential may live ${describeCap(cap)}; ${wanted} days is longer. Choose ${cap.maxDays} days or fewer.` });
    }
    // (a user's own token exists on every cloud: only on-behalf-of tokens are refused on Azure)
    if (!asUser && partnerNeedsPat(partner) && cloud === 'azure') {
      problems.push({
        code: 'pat-not-available',
        message: `${partner.displayName} takes only a personal access token (its PartnerConfig's auth_options lack AUTH_OAUTH_M2M), and Azure Databricks cannot create one on behalf of a service principal. Connect it from Databricks' Partner Connect page, or use a PartnerConfig with AUTH_OAUTH_M2M.`,
      });
    }
    credential = { ...choice, maxLifetimeDays: cap.maxDays, cap, lifetimeDays: Math.min(wanted ?? cap.maxDays, cap.maxDays) };
  }
  const workspaceId = workspaceIdOf(env.orgId, hostnameOf(client.host), env.assignment?.workspace_id);
  // the partner needs it for a new connection and to find an established one
  if (partner.handoff === 'protocol' && workspaceId === null) {
    problems.push({ code: 'workspace-id-unknown', message: 'The workspace id could not be read (no X-Databricks-Org-Id header on SCIM Me, no metastore assignment): the partner needs it. Check the workspace URL.' });
  }

  return {
    ok: problems.length === 0,
    problems,
    userName: env.me.userName,
    isWorkspaceAdmin: admin,
    isMetastoreAdmin: env.isMetastoreAdmin,
    defaultCatalog: env.defaultCatalog,
    unityCatalogEnabled: !!env.assignment,
    reuse,
    normalized,
    warehouse,
    warehouseType,
    access,
    me: env.me,
    workspaceId,
    cloud,
    credential,
    recordFolderExists: trust.exists,
  };
}

/** `sps` null: the caller may not list service principals (a non-admin): the record is taken as it says. */
function recordProblem(partner: CatalogPartner, record: ReadRecordResult, sps: ServicePrincipal[] | null): PreflightProblem | 'reuse' | null {
  if (record.kind === 'invalid') {
    return { code: 'record-invalid', message: `The connection record of ${partner.displayName} cannot be read (${record.problem}). Disconnect the partner to clear it.` };
  }
  if (record.kind === 'absent') {
    if (sps?.length) {
      return {
        code: 'connected-outside',
        message: partner.needsServicePrincipal
          ? `${principalNameOf(partner)} already exists in the workspace (connected outside this extension, e.g. from Databricks' Partner Connect page). Inspect it, or disconnect it before connecting here.`
          : `${principalNameOf(partner)} exists in the workspace (connected outside this extension, e.g. from Databricks' Partner Connect page or an older setup), although ${partner.displayName} does not need a service principal. Inspect it, or delete it (Delete Service Principal… or Disconnect…) before connecting here.`,
      };
    }
    return null;
  }
  const r = record.record;
  if (r.state === 'connecting') {
    const age = { minutes: minutesSince(r), stale: isStaleConnecting(r), staleAfter: STALE_CONNECT_MINUTES };
    const e = new ConnectInProgressError(partner.displayName, r.connectedBy, r.connectedAt, age);
    return { code: 'connect-in-progress', message: `${e.message} ${e.action}`, by: r.connectedBy, since: r.connectedAt, age };
  }
  if (partner.needsServicePrincipal && sps !== null) {
    const sp = r.servicePrincipal ? sps.find((s) => s.id === r.servicePrincipal?.id) : undefined;
    if (!sp) {
      return {
        code: 'check-mark-only',
        message: `${partner.displayName} shows a check mark but its service principal was deleted. Reset the connection (Disconnect) first, then connect again.`,
      };
    }
  }
  return 'reuse';
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
/** A promise's outcome, kept without an unhandled rejection until `unsettle` replays it. */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
function unsettle<T>(s: Settled<T>): T {
  if (s.ok) return s.value;
  throw s.error;
}

async function missingSchemas(
  client: WorkspaceClient,
  env: Env,
  choices: ConnectChoices,
  warehouse: Warehouse | null,
  o: CallOptions,
  listed: Promise<Settled<Awaited<ReturnType<WorkspaceClient['listSchemas']>>>> | null = null,
): Promise<string[]> {
  const wanted = choices.schemas ?? [];
  if (!choices.catalog) return [];
  if (env.assignment) {
    const catalog = choices.catalog;
    const list = await (listed ?? settle(client.listSchemas(catalog, o))).then(unsettle).catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return null;
      throw e;
    });
    if (list === null) return [...wanted];
    return wanted.filter((s) => !list.some((x) => sameName(x.name, s)));
  }
  // Not UC-enabled: the Unity Catalog API cannot list hive_metastore; check with SHOW GRANTS on the chosen warehouse.
  if (!warehouse) return [];
  const missing: string[] = [];
  await Promise.all(
    wanted.map(async (s) => {
      try {
        await client.executeStatement({ warehouseId: warehouse.id, statement: `SHOW GRANTS ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(s)}` }, o);
      } catch (e) {
        if (/SCHEMA_NOT_FOUND|cannot be found|does not exist/i.test((e as Error).message)) missing.push(s);
        else throw e;
      }
    }),
  );
  return missing;
}

/**
 * A connection that acts as the user (NON_ADMIN partner, non-admin caller): may they make tokens of
 * their own (their token list answers), and have they connected the partner already (a record in their
 * own folder, or a token of theirs with the partner's comment)?
 */
async function userConnectionProblems(client: WorkspaceClient, partner: CatalogPartner, me: ScimUser, o: CallOptions): Promise<PreflightProblem[]> {
  const folder = userRecordFolder(me.userName);
  const [tokens, record] = await wave(o.signal, (w) => [
    client.listOwnTokens(w).catch((e: unknown) => {
      if (isPermissionDenied(e)) return null;
      throw e;
    }),
    readRecord(client, folder, partner.id, w),
  ]);
  const out: PreflightProblem[] = [];
  if (tokens === null) {
    out.push({
      code: 'token-use-denied',
      message: `${me.userName} may not create personal access tokens (no CAN USE on tokens), which a connection that acts as you needs: ask a workspace admin to give you CAN USE on tokens, or to connect ${partner.displayName}.`,
    });
  }
  const comment = `Partner Connect: ${partner.displayName}`;
  if (record.kind !== 'absent') {
    out.push({ code: 'connected-as-user', message: `You have connected ${partner.displayName} already (${recordPathFor(folder, partner.id)}): disconnect it first to connect again.` });
  } else if (tokens?.some((t) => t.comment === comment)) {
    out.push({ code: 'connected-as-user', message: `A personal access token of yours named "${comment}" exists already: ${partner.displayName} may be connected with it. Delete that token (or disconnect) first.` });
  }
  return out;
}

/** Throws the typed pre-flight error for the first blocking problem. */
export function throwPreflight(partner: CatalogPartner, pf: PreflightResult): void {
  if (!pf.access.allowed) throw new NotWorkspaceAdminError(pf.userName, pf.problems.find((p) => p.code === 'not-workspace-admin')?.message);
  if (pf.problems.some((p) => p.code === 'default-catalog-not-owned')) throw new DefaultCatalogNotOwnedError(partner.displayName, pf.defaultCatalog);
  // the same error as losing the record claim: another admin's connect is running
  const running = pf.problems.find((x) => x.code === 'connect-in-progress');
  if (running) throw new ConnectInProgressError(partner.displayName, running.by, running.since, running.age);
  if (!pf.ok) throw new PreflightError(partner.displayName, pf.problems);
}

/** The workspace id a protocol hand-off sends (the pre-flight refused to go on without one). */
export function requireWorkspaceId(pf: PreflightResult): string {
  if (pf.workspaceId === null) throw new Error('internal: no workspace id for the partner (the pre-flight should have refused)');
  return pf.workspaceId;
}
