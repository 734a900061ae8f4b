/**
 * The permission profiles of the seed ("Manage service principals and personal access tokens"),
 * as data. The plan (./plan.ts), its description in words (./describe.ts), drift detection and the
 * expected-grants tests all read this one table.
 *
 * Transcribed from the seed, EXACTLY; additions that the seed does not list are marked `inferred`
 * with the reason:
 * - read / read-many / dataiku / write partners use a SQL warehouse; a service principal can only
 *   use Databricks SQL with the `databricks-sql-access` entitlement, so read / read-many / dataiku
 *   also get it (write lists it already).
 * - a warehouse chosen for or created for the partner gets `CAN_USE` for the partner's service
 *   principal in every warehouse profile (documented for read / read-many; inferred for write and
 *   dataiku, whose seed entry says "SQL warehouse creation permission" — without CAN_USE the
 *   principal could not use the warehouse Partner Connect selected or created for it).
 */
import type { PermissionProfileName, Provenance } from '../partners/catalog';

export type Entitlement = 'workspace-access' | 'databricks-sql-access' | 'allow-cluster-create';

export interface Granted<T> {
  value: T;
  basis: Provenance;
}

export interface PrivilegeSet {
  /** privileges on the selected catalog (Unity Catalog) or on CATALOG hive_metastore */
  catalog: string[];
  /** privileges on each selected schema */
  schema: string[];
}

export interface PermissionProfile {
  name: PermissionProfileName;
  /** human description of who uses it */
  summary: string;
  servicePrincipal: boolean;
  entitlements: Granted<Entitlement>[];
  /** CAN_USE on the workspace's token permissions (PATCH, never PUT) */
  tokenUse: Granted<true> | null;
  /** CAN_USE on the selected / created SQL warehouse */
  warehouseUse: Granted<true> | null;
  /** a SQL warehouse is part of the connection */
  usesWarehouse: boolean;
  unityCatalog: Granted<PrivilegeSet> | null;
  hive: Granted<PrivilegeSet> | null;
  /** free-text notes from the seed (e.g. table ownership) */
  notes: string[];
}

const seed = (note = 'seed permission table'): Provenance => ({ basis: 'documented', note });
const inferred = (note: string): Provenance => ({ basis: 'inferred', note });
const SQL_ACCESS_NOTE =
  'not in Databricks’ permission table for this kind of partner, but a service principal needs it to use a SQL warehouse';
const WAREHOUSE_USE_NOTE =
  'not in Databricks’ permission table for this kind of partner, but the principal must be able to use the warehouse chosen or created for it';

export const PROFILES: Readonly<Record<PermissionProfileName, PermissionProfile>> = {
  none: {
    name: 'none',
    summary: 'No service principal (Fivetran, Power BI, Tableau, erwin Data Modeler).',
    servicePrincipal: false,
    entitlements: [],
    tokenUse: null,
    warehouseUse: null,
    usesWarehouse: false,
    unityCatalog: null,
    hive: null,
    notes: ['These solutions do not require Databricks service principals.'],
  },
  write: {
    name: 'write',
    summary: 'Writes data (dbt Cloud, Hevo Data, Rudderstack, Snowplow).',
    servicePrincipal: true,
    entitlements: [
      { value: 'allow-cluster-create', basis: seed('SQL warehouse creation permission') },
      { value: 'workspace-access', basis: seed('Access to your workspace') },
      { value: 'databricks-sql-access', basis: seed('Access to Databricks SQL') },
    ],
    tokenUse: { value: true, basis: seed('The CAN USE token permission') },
    warehouseUse: { value: true, basis: inferred(WAREHOUSE_USE_NOTE) },
    usesWarehouse: true,
    unityCatalog: { value: { catalog: ['USE_CATALOG', 'CREATE_SCHEMA'], schema: [] }, basis: seed() },
    hive: { value: { catalog: ['USAGE', 'CREATE'], schema: [] }, basis: seed() },
    notes: ['Owns the tables it creates; cannot query any table it does not create.'],
  },
  workspace: {
    name: 'workspace',
    summary: 'Works through the workspace (Labelbox).',
    servicePrincipal: true,
    entitlements: [{ value: 'workspace-access', basis: seed('Access to your workspace') }],
    tokenUse: { value: true, basis: seed('The CAN USE token permission') },
    warehouseUse: null,
    usesWarehouse: false,
    unityCatalog: null,
    hive: null,
    notes: [],
  },
  read: {
    name: 'read',
    summary: 'Reads one schema (Anomalo, Census, Hex, Hightouch, Lightup, Monte Carlo, Qlik Sense, Sigma, Stardog).',
    servicePrincipal: true,
    entitlements: [{ value: 'databricks-sql-access', basis: inferred(SQL_ACCESS_NOTE) }],
    tokenUse: { value: true, basis: seed('The CAN USE token permission') },
    warehouseUse: { value: true, basis: seed('The CAN USE privilege on the selected Databricks SQL warehouse') },
    usesWarehouse: true,
    unityCatalog: { value: { catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'] }, basis: seed() },
    hive: {
      value: { catalog: [], schema: ['USAGE', 'READ_METADATA', 'SELECT'] },
      basis: seed('USAGE + READ METADATA on the selected schema; SELECT on the selected schema (listed for both metastores)'),
    },
    notes: [],
  },
  dataiku: {
    name: 'dataiku',
    summary: 'Reads selected schemas and creates its own (Dataiku).',
    servicePrincipal: true,
    entitlements: [
      { value: 'allow-cluster-create', basis: seed('SQL warehouse creation permission') },
      { value: 'databricks-sql-access', basis: inferred(SQL_ACCESS_NOTE) },
    ],
    tokenUse: { value: true, basis: seed('The CAN USE token permission') },
    warehouseUse: { value: true, basis: inferred(WAREHOUSE_USE_NOTE) },
    usesWarehouse: true,
    unityCatalog: { value: { catalog: ['USE_CATALOG', 'CREATE_SCHEMA'], schema: ['USE_SCHEMA'] }, basis: seed() },
    hive: { value: { catalog: ['USAGE', 'CREATE'], schema: ['USAGE', 'SELECT'] }, basis: seed() },
    notes: [],
  },
  'read-many': {
    name: 'read-many',
    summary: 'Reads several schemas (SuperAnnotate).',
    servicePrincipal: true,
    entitlements: [{ value: 'databricks-sql-access', basis: inferred(SQL_ACCESS_NOTE) }],
    tokenUse: { value: true, basis: seed('The CAN USE token permission') },
    warehouseUse: { value: true, basis: seed('The CAN USE privilege on the selected Databricks SQL warehouse') },
    usesWarehouse: true,
    unityCatalog: { value: { catalog: ['USE_CATALOG'], schema: ['USE_SCHEMA', 'SELECT'] }, basis: seed() },
    hive: { value: { catalog: ['USAGE'], schema: ['USAGE', 'SELECT'] }, basis: seed() },
    notes: [],
  },
  cluster: {
    name: 'cluster',
    summary: 'Runs on clusters it creates (inferred for notebook/Spark partners such as Prophecy, John Snow Labs).',
    servicePrincipal: true,
    entitlements: [
      { value: 'workspace-access', basis: inferred('not in Databricks’ permission table; partners that run on clusters work in the workspace') },
      { value: 'allow-cluster-create', basis: inferred('not in Databricks’ permission table; partners that run on clusters create their own') },
    ],
    tokenUse: { value: true, basis: inferred('not in Databricks’ permission table for this kind of partner; every partner with a service principal has it there') },
    warehouseUse: null,
    usesWarehouse: false,
    unityCatalog: null,
    hive: null,
    notes: ['Inferred profile: the seed lists no permissions for these partners.'],
  },
};

export function profileOf(name: PermissionProfileName): PermissionProfile {
  return PROFILES[name];
}

/** The exact grants a connection of this profile must hold (used by plan, drift and tests). */
export interface ExpectedGrants {
  entitlements: Entitlement[];
  tokenUse: boolean;
  warehouseUse: boolean;
  /** securable full name → privileges (Unity Catalog); keys are 'catalog:<name>' or 'schema:<catalog>.<schema>' */
  uc: Map<string, string[]>;
  /** 'CATALOG' or 'SCHEMA <schema>' → privileges (legacy Hive metastore) */
  hive: Map<string, string[]>;
}

export function expectedGrants(name: PermissionProfileName, target: { catalog: string | null; schemas: readonly string[]; isHive: boolean }): ExpectedGrants {
  const p = PROFILES[name];
  const uc = new Map<string, string[]>();
  const hive = new Map<string, string[]>();
  if (target.isHive) {
    if (p.hive) {
      if (p.hive.value.catalog.length) hive.set('CATALOG', [...p.hive.value.catalog]);
      if (p.hive.value.schema.length) for (const s of target.schemas) hive.set(`SCHEMA ${s}`, [...p.hive.value.schema]);
    }
  } else if (p.unityCatalog && target.catalog) {
    if (p.unityCatalog.value.catalog.length) uc.set(`catalog:${target.catalog}`, [...p.unityCatalog.value.catalog]);
    if (p.unityCatalog.value.schema.length) for (const s of target.schemas) uc.set(`schema:${target.catalog}.${s}`, [...p.unityCatalog.value.schema]);
  }
  return {
    entitlements: p.entitlements.map((e) => e.value),
    tokenUse: p.tokenUse !== null,
    warehouseUse: p.warehouseUse !== null,
    uc,
    hive,
  };
}
