/**
 * A permission profile + the user's choices → an explicit, inspectable list of operations.
 * `connect` applies exactly these operations and `describePlan` words exactly these operations.
 */
import type { CreateWarehouseSpec } from '../../client/api';
import type { CatalogPartner, HandoffKind, Provenance } from '../partners/catalog';
import { PROFILES, type Entitlement } from './profiles';
import type { CredentialKind } from '../credentials/types';
import { DEFAULT_MAX_LIFETIME_DAYS } from '../credentials/lifetime';
import { specForType, WAREHOUSE_TYPES, type WarehouseType } from '../compute/warehouseTypes';
import { recordFolderOf, recordPathFor } from '../record/record';

export const HIVE_METASTORE = 'hive_metastore';
/** Stand-in for the service principal's applicationId in statements shown before it exists. */
export const PRINCIPAL_PLACEHOLDER = '<service principal applicationId>';

/** `type`: the kind of warehouse to create (default: the best the workspace and the partner offer, see compute/warehouseTypes). */
export type WarehouseChoice = { kind: 'existing'; id: string } | { kind: 'create'; name: string; type?: WarehouseType };

export interface ConnectChoices {
  /** catalog to use; for Hive choose 'hive_metastore'. null/undefined → no catalog (profiles without data grants) */
  catalog?: string | null;
  schemas?: string[];
  warehouse?: WarehouseChoice;
  /** true when the catalog is the legacy Hive metastore (derived from the catalog name when omitted) */
  isHive?: boolean;
  /** optional destination location forwarded to protocol partners */
  destinationLocation?: string;
  /** lifetime of the partner's new credential in days; default (and most) the workspace's cap */
  credentialLifetimeDays?: number;
}

interface Base {
  /** stable step id, e.g. 'create-sp', 'uc-grant:schema:main.sales' */
  step: string;
  basis: Provenance;
}
export type PlanOperation =
  | (Base & { type: 'claimRecord'; path: string })
  | (Base & {
      type: 'createServicePrincipal';
      displayName: string;
      entitlements: Entitlement[];
      /** where each entitlement comes from (seed or inferred) */
      entitlementBasis: Partial<Record<Entitlement, Provenance>>;
    })
  | (Base & { type: 'grantTokenUse'; permission: 'CAN_USE'; method: 'PATCH' })
  /**
   * `spec` asks for `warehouseType`; when the workspace refuses that type (a 400 naming it), the
   * `fallback` types are tried in order (nothing was created by a refusal).
   */
  | (Base & { type: 'createWarehouse'; spec: CreateWarehouseSpec; warehouseType: WarehouseType; fallback: WarehouseType[] })
  /** warehouseId null = the warehouse this plan creates */
  | (Base & { type: 'grantWarehouseUse'; warehouseId: string | null; warehouseName?: string; permission: 'CAN_USE'; method: 'PATCH' })
  /**
   * The partner's credential: a PAT (on-behalf-of; `fallbackToSecret` = an OAuth secret when the
   * workspace refuses on-behalf-of tokens, as Azure does) or a workspace-level OAuth secret.
   */
  | (Base & {
      type: 'createCredential';
      kind: CredentialKind;
      comment: string;
      lifetimeDays: number;
      maxLifetimeDays: number;
      /** true when the workspace's own cap (maxTokenLifetimeDays) could not be read: maxLifetimeDays is then Databricks' 730 */
      capUnread?: boolean;
      fallbackToSecret: boolean;
      /** 'user': the signed-in user's own token (a connection that acts as the user, NON_ADMIN partners) */
      owner: 'service-principal' | 'user';
    })
  | (Base & { type: 'ucGrant'; securableType: 'catalog' | 'schema'; fullName: string; privileges: string[] })
  | (Base & { type: 'hiveGrant'; securableType: 'CATALOG' | 'SCHEMA'; name: string; privileges: string[]; statement: string })
  | (Base & { type: 'writeRecord'; path: string })
  | (Base & {
      type: 'handoff';
      kind: HandoffKind;
      /** what the hand-off gives the partner (or you): exactly what the result shows */
      details: HandoffDetail[];
      /** desktop-file partners: the file format */
      desktopFile?: 'pbids' | 'tds';
    });

/** Connection details a hand-off delivers. */
export type HandoffDetail = 'host' | 'httpPath' | 'jdbcUrl' | 'catalog' | 'schemas' | 'servicePrincipal' | 'token';

export type PlanOperationType = PlanOperation['type'];

/** Backtick-quotes a SQL identifier, doubling any backtick inside it. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `GRANT A, B ON CATALOG|SCHEMA <quoted name> TO <quoted principal>` */
/** Privileges in SQL: verbatim keywords (`READ_METADATA`, `USAGE`, ...), never re-spelt with spaces. */
export function hiveGrantStatement(
  verb: 'GRANT' | 'REVOKE',
  securableType: 'CATALOG' | 'SCHEMA',
  schemaName: string | null,
  privileges: readonly string[],
  principal: string,
): string {
  const target = securableType === 'CATALOG' ? quoteIdentifier(HIVE_METASTORE) : `${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(schemaName ?? '')}`;
  const privs = privileges.join(', ');
  return `${verb} ${privs} ON ${securableType} ${target} ${verb === 'GRANT' ? 'TO' : 'FROM'} ${quoteIdentifier(principal)}`;
}

/** Renders a hiveGrant operation's statement for a real principal. */
export function renderHiveGrant(op: Extract<PlanOperation, { type: 'hiveGrant' }>, applicationId: string): string {
  return hiveGrantStatement('GRANT', op.securableType, op.securableType === 'SCHEMA' ? op.name : null, op.privileges, applicationId);
}


/** The spec of a warehouse created for a partner (small, auto-stopping, tagged), of one type (default Serverless). */
export function warehouseSpecFor(partner: CatalogPartner, name: string, type: WarehouseType = 'serverless'): CreateWarehouseSpec {
  return specForType(
    {
      name,
      cluster_size: 'Small',
      min_num_clusters: 1,
      max_num_clusters: 1,
      auto_stop_mins: 10,
      tags: { custom_tags: [{ key: 'partner-connect', value: partner.id }] },
    },
    type,
  );
}

export function defaultWarehouseName(partner: CatalogPartner): string {
  return `${partner.displayName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_ENDPOINT`;
}

export interface BuildPlanOptions {
  recordFolder?: string;
  /** the credential the pre-flight chose (default: a PAT for the longest lifetime, 730 days) */
  credential?: { kind: CredentialKind; maxLifetimeDays: number; fallbackToSecret: boolean; why?: string; cap?: { source: 'admin' | 'default' | 'unknown' } };
  /** the type of a new warehouse and what to try when it is refused, as the pre-flight worked them out (default: the chosen type or Serverless, then the partner's other types) */
  warehouseType?: { type: WarehouseType; fallback: WarehouseType[] };
  /**
   * A connection that acts as the signed-in user (a non-admin connecting a NON_ADMIN partner): no
   * service principal, no grants, no new warehouse — the partner gets the user's own token and so the
   * user's own permissions. `recordFolder` is then the user's own folder (see record/record.ts userRecordFolder).
   */
  actingAsUser?: boolean;
}

/**
 * The operations that connect this partner with these choices, in order. Operations with the
 * same dependencies are independent: `connect` runs the grants in parallel once the service
 * principal (and warehouse) exist.
 */
export function buildPlan(partner: CatalogPartner, choices: ConnectChoices, opts: BuildPlanOptions = {}): PlanOperation[] {
  const profile = PROFILES[partner.profile];
  const recordPath = recordPathFor(recordFolderOf(opts), partner.id);
  const ops: PlanOperation[] = [];
  const doc = (note: string): Provenance => ({ basis: 'documented', note });
  const eng = (note: string): Provenance => ({ basis: 'inferred', note });
  ops.push({ type: 'claimRecord', step: 'claim-record', path: recordPath, basis: eng('the extension claims the connection record first (overwrite disabled) so two admins cannot both connect') });
  const asUser = opts.actingAsUser === true;

  if (profile.servicePrincipal && partner.servicePrincipalName && !asUser) {
    ops.push({
      type: 'createServicePrincipal',
      step: 'create-sp',
      displayName: partner.servicePrincipalName,
      entitlements: profile.entitlements.map((e) => e.value),
      entitlementBasis: Object.fromEntries(profile.entitlements.map((e) => [e.value, e.basis])),
      basis: doc('Partner Connect creates a <PARTNER-NAME>_USER service principal'),
    });
    if (profile.tokenUse) ops.push({ type: 'grantTokenUse', step: 'grant-token-use', permission: 'CAN_USE', method: 'PATCH', basis: profile.tokenUse.basis });
  }

  const wh = choices.warehouse;
  if (wh?.kind === 'create' && (profile.usesWarehouse || partner.profile === 'none') && !asUser) {
    const partnerTypes = partner.warehouseTypes ?? WAREHOUSE_TYPES;
    const wt = opts.warehouseType ?? {
      type: wh.type ?? partnerTypes[0],
      fallback: partnerTypes.slice(partnerTypes.indexOf(wh.type ?? partnerTypes[0]) + 1),
    };
    ops.push({
      type: 'createWarehouse',
      step: 'create-warehouse',
      spec: warehouseSpecFor(partner, wh.name, wt.type),
      warehouseType: wt.type,
      fallback: [...wt.fallback],
      basis: eng(`a SQL warehouse created for ${partner.displayName}; deleted on reset`),
    });
  }
  if (profile.servicePrincipal && profile.warehouseUse && wh && !asUser) {
    ops.push({
      type: 'grantWarehouseUse',
      step: 'grant-warehouse-use',
      warehouseId: wh.kind === 'existing' ? wh.id : null,
      warehouseName: wh.kind === 'create' ? wh.name : undefined,
      permission: 'CAN_USE',
      method: 'PATCH',
      basis: profile.warehouseUse.basis,
    });
  }

  const schemas = choices.schemas ?? [];
  const isHive = choices.isHive ?? choices.catalog?.toLowerCase() === HIVE_METASTORE;
  if (profile.servicePrincipal && choices.catalog && !asUser) {
    if (isHive && profile.hive) {
      const h = profile.hive.value;
      if (h.catalog.length) {
        ops.push({
          type: 'hiveGrant',
          step: 'hive-grant:CATALOG',
          securableType: 'CATALOG',
          name: HIVE_METASTORE,
          privileges: [...h.catalog],
          statement: hiveGrantStatement('GRANT', 'CATALOG', null, h.catalog, PRINCIPAL_PLACEHOLDER),
          basis: profile.hive.basis,
        });
      }
      if (h.schema.length) {
        for (const s of schemas) {
          ops.push({
            type: 'hiveGrant',
            step: `hive-grant:SCHEMA:${s}`,
            securableType: 'SCHEMA',
            name: s,
            privileges: [...h.schema],
            statement: hiveGrantStatement('GRANT', 'SCHEMA', s, h.schema, PRINCIPAL_PLACEHOLDER),
            basis: profile.hive.basis,
          });
        }
      }
    } else if (!isHive && profile.unityCatalog) {
      const u = profile.unityCatalog.value;
      if (u.catalog.length) {
        ops.push({ type: 'ucGrant', step: `uc-grant:catalog:${choices.catalog}`, securableType: 'catalog', fullName: choices.catalog, privileges: [...u.catalog], basis: profile.unityCatalog.basis });
      }
      if (u.schema.length) {
        for (const s of schemas) {
          const fullName = `${choices.catalog}.${s}`;
          ops.push({ type: 'ucGrant', step: `uc-grant:schema:${fullName}`, securableType: 'schema', fullName, privileges: [...u.schema], basis: profile.unityCatalog.basis });
        }
      }
    }
  }

  if (profile.servicePrincipal && asUser) {
    const max = opts.credential?.maxLifetimeDays ?? DEFAULT_MAX_LIFETIME_DAYS;
    ops.push({
      type: 'createCredential',
      step: 'create-credential',
      kind: 'pat',
      comment: `Partner Connect: ${partner.displayName}`,
      lifetimeDays: Math.min(choices.credentialLifetimeDays ?? max, max),
      maxLifetimeDays: max,
      ...(opts.credential?.cap?.source === 'unknown' ? { capUnread: true } : {}),
      fallbackToSecret: false,
      owner: 'user',
      basis: doc('NON_ADMIN partners get AUTH_PAT (self-testing-partner-cli README); a non-admin cannot create a service principal, so the token is the user\'s own (POST /api/2.0/token/create)'),
    });
  } else if (profile.servicePrincipal) {
    const c = opts.credential ?? { kind: 'pat' as const, maxLifetimeDays: DEFAULT_MAX_LIFETIME_DAYS, fallbackToSecret: true };
    const lifetimeDays = Math.min(choices.credentialLifetimeDays ?? c.maxLifetimeDays, c.maxLifetimeDays);
    ops.push({
      type: 'createCredential',
      step: 'create-credential',
      kind: c.kind,
      comment: `Partner Connect: ${partner.displayName}`,
      lifetimeDays,
      maxLifetimeDays: c.maxLifetimeDays,
      ...(c.cap?.source === 'unknown' ? { capUnread: true } : {}),
      fallbackToSecret: c.kind === 'pat' && c.fallbackToSecret,
      owner: 'service-principal',
      basis:
        c.kind === 'pat'
          ? doc('a personal access token on behalf of the service principal, with an explicit lifetime within the workspace cap (maxTokenLifetimeDays, 730 days when unset)')
          : doc(`a workspace-level OAuth secret of the service principal (${c.why ?? 'OAuth M2M'}); the partner signs in with the applicationId and the secret`),
    });
  }
  const details: HandoffDetail[] = ['host'];
  if (wh && (profile.usesWarehouse || partner.profile === 'none')) details.push(...(partner.handoff === 'desktop-file' ? (['httpPath'] as const) : (['httpPath', 'jdbcUrl'] as const)));
  if (choices.catalog) details.push('catalog');
  if (choices.catalog && schemas.length) details.push('schemas');
  if (profile.servicePrincipal) details.push('servicePrincipal', 'token');
  ops.push({ type: 'handoff', step: 'handoff', kind: partner.handoff, details, desktopFile: partner.desktopFile, basis: partner.provenance.handoff ?? eng('catalog') });
  ops.push({ type: 'writeRecord', step: 'write-record', path: recordPath, basis: eng('the check mark: a record in workspace files that every admin sees') });
  return ops;
}
