/** The connection state of every partner, as detected from the workspace. */
import type { ServicePrincipal } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectionRecord } from '../record/record';
import type { CredentialMeta, CredentialWarning } from '../credentials/types';
import type { FolderTrust } from '../record/trust';

export type ConnectionStateName = 'not-connected' | 'connected' | 'connected-outside' | 'check-mark-only' | 'degraded';

export type DegradedReasonCode =
  | 'token-missing'
  | 'token-revoked'
  | 'compute-gone'
  | 'sp-inactive'
  | 'grants-differ'
  | 'connect-incomplete'
  | 'record-invalid'
  | 'sp-mismatch'
  /** the partner's credential (PAT or OAuth secret) has expired */
  | 'credential-expired'
  /** the partner's OAuth secret was deleted */
  | 'secret-revoked'
  /** the record is in a folder someone other than an admin can write (record/trust.ts) */
  | 'record-untrusted';

export interface DegradedReason {
  code: DegradedReasonCode;
  message: string;
}

/** Token metadata — never the value. */
export interface TokenMeta {
  tokenId: string;
  comment: string;
  /** ISO time or null */
  createdAt: string | null;
  /** 'never' or an ISO time */
  expiry: string;
  createdBy: string | null;
  ownerId: string | null;
}

export interface ComputeInfo {
  kind: 'warehouse' | 'cluster';
  id: string;
  name: string | null;
  state: string | null;
  createdForPartner: boolean;
  exists: boolean;
}

export interface GrantDifference {
  kind: 'entitlement' | 'token-use' | 'warehouse-use' | 'uc' | 'hive';
  change: 'missing' | 'extra';
  /** 'catalog:main', 'schema:main.sales', 'CATALOG', 'SCHEMA sales', warehouse id, 'tokens' or the entitlement */
  securable: string;
  privilege: string;
}

export interface GrantsSummary {
  /** false when not checked (e.g. no service principal) */
  checked: boolean;
  differences: GrantDifference[];
  /** short words, e.g. ["USE CATALOG on main", "CAN USE on tokens"] */
  held: string[];
  /** legacy Hive grants were not checked (the warehouse was not running; detection never starts one) */
  hiveNotChecked?: boolean;
  /** Unity Catalog securables whose grants the caller may not read (not compared) */
  notReadable?: string[];
}

/** What is known of a partner whatever its state. */
export interface PartnerStatusFields {
  partnerId: string;
  partner: CatalogPartner;
  servicePrincipal: ServicePrincipal | null;
  /** the principal's tokens (kept for callers that predate `credentials`) */
  tokens: TokenMeta[];
  /** every credential of the principal: PATs and OAuth secrets, metadata only (secrets need admin; listed in wave 2) */
  credentials: CredentialMeta[];
  /** credentials that still work but need attention (expiring within 30 days; PATs unused 60+ days) — not "degraded" */
  warnings: CredentialWarning[];
  compute: ComputeInfo | null;
  catalog: string | null;
  schemas: string[];
  grants: GrantsSummary;
  partnerAccountAdministrator: string | null;
  record: ConnectionRecord | null;
  /** a record file exists but could not be parsed */
  recordProblem: string | null;
}

/**
 * The connection state of a partner, by state: only a degraded partner has reasons (at least one).
 * Read the reasons of any status with `reasonsOf`.
 */
export type PartnerStatus =
  | (PartnerStatusFields & { state: Exclude<ConnectionStateName, 'degraded'> })
  | (PartnerStatusFields & { state: 'degraded'; reasons: DegradedReason[] });

/** The reasons a partner is degraded; none for every other state. */
export function reasonsOf(status: PartnerStatus): readonly DegradedReason[] {
  return status.state === 'degraded' ? status.reasons : [];
}

export interface WorkspaceIdentity {
  userName: string;
  displayName: string | null;
  userId: string;
  isWorkspaceAdmin: boolean;
  isMetastoreAdmin: boolean;
}

export interface MetastoreInfo {
  metastoreId: string;
  name: string | null;
  owner: string | null;
  defaultCatalog: string | null;
  cloud: string | null;
}

export interface DetectionStats {
  /** sequential waves of requests (≤ 2) */
  waves: number;
  /** requests per wave */
  requestsPerWave: number[];
  requests: number;
}

export interface WorkspaceSnapshot {
  host: string;
  identity: WorkspaceIdentity;
  /** null when the workspace has no Unity Catalog metastore */
  metastore: MetastoreInfo | null;
  partners: PartnerStatus[];
  stats: DetectionStats;
  /** what the caller could not read (e.g. a non-admin cannot list tokens) */
  limitations: string[];
  takenAt: string;
  /** who can write the record folder: records in an untrusted folder are shown as untrusted */
  recordFolder?: FolderTrust;
  /** partners with a record left in the legacy folder /Shared/.partner-connect (any user can edit it) */
  legacyRecords?: string[];
}
