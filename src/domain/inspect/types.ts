import type { ServicePrincipal } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectionRecord } from '../record/record';
import type { ComputeInfo, GrantDifference, PartnerStatus, TokenMeta } from '../state/types';
import type { Entitlement } from '../profiles/profiles';
import type { CredentialMeta, CredentialWarning } from '../credentials/types';
import type { FolderTrust } from '../record/trust';

export interface GrantRow {
  securableType: 'catalog' | 'schema' | 'CATALOG' | 'SCHEMA';
  /** UC full name, or 'hive_metastore' / 'hive_metastore.<schema>' */
  fullName: string;
  privileges: string[];
}

export type RepairOperation =
  | { type: 'addEntitlement'; entitlement: Entitlement | string }
  | { type: 'removeEntitlement'; entitlement: string }
  | { type: 'grantTokenUse' }
  | { type: 'grantWarehouseUse'; warehouseId: string }
  | { type: 'ucGrant'; securableType: 'catalog' | 'schema'; fullName: string; privileges: string[] }
  | { type: 'ucRevoke'; securableType: 'catalog' | 'schema'; fullName: string; privileges: string[] }
  | { type: 'hiveGrant'; securableType: 'CATALOG' | 'SCHEMA'; name: string; privileges: string[]; statement: string }
  | { type: 'hiveRevoke'; securableType: 'CATALOG' | 'SCHEMA'; name: string; privileges: string[]; statement: string };

export interface Drift {
  inSync: boolean;
  differences: GrantDifference[];
  repair: RepairOperation[];
  /** repair in words */
  repairDescription: string[];
  /** why no repair is offered although grants differ (the record is not trusted); absent when repair may run */
  blocked?: string;
}

export interface Inspection {
  partner: CatalogPartner;
  status: PartnerStatus;
  servicePrincipal: (Pick<ServicePrincipal, 'id' | 'applicationId' | 'displayName' | 'active'> & { entitlements: string[]; groups: string[] }) | null;
  tokens: TokenMeta[];
  /** PATs and OAuth secrets (metadata only) */
  credentials: CredentialMeta[];
  /** expiring / unused credentials (the connection still works) */
  warnings: CredentialWarning[];
  ucGrants: GrantRow[];
  hiveGrants: GrantRow[];
  /** the principal's level in the token permissions, or null */
  tokenPermission: string | null;
  /** the principal's level on the connection's warehouse, or null */
  warehousePermission: string | null;
  compute: ComputeInfo | null;
  record: ConnectionRecord | null;
  /** who can write the record folder (record/trust.ts) */
  recordTrust: FolderTrust;
  /** what the admin should know about the record: not trusted, an interrupted hand-off */
  recordWarnings: string[];
  drift: Drift;
  /** the SP's applicationId, needed to apply the repair */
  principal: string | null;
  /** warehouse used to run Hive GRANT/REVOKE statements */
  warehouseId: string | null;
}
