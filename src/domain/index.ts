/**
 * The connection engine's public API (no `vscode` import anywhere under src/domain).
 * Stable facade: names are added, not renamed; a concept given one name (issue 13: cancellation is the
 * client's CancelledError / isCancellation, re-exported here) keeps only that one.
 */
// ---------------------------------------------------------------- errors
export {
  DomainError,
  PreflightError,
  NotWorkspaceAdminError,
  DefaultCatalogNotOwnedError,
  ConnectRolledBackError,
  ConnectCancelledError,
  RollbackIncompleteError,
  PartnerHandoffError,
  DisconnectIncompleteError,
  DisconnectCancelledError,
  ConnectInProgressError,
  DisconnectedMeanwhileError,
  WarehouseTypeRefusedError,
  describeCause,
  describeResource,
  asDomainError,
} from './errors';
export { CancelledError, isCancellation } from '../client/errors';
export type { CloudProvider } from '../client/partner/partnerConfig';
export { errorStatus } from './util';
export type { ResourceRef, PreflightProblem, DomainErrorKind, KnownDomainError } from './errors';

// ---------------------------------------------------------------- context
export type { EngineContext, OperationOptions } from './context';

// ---------------------------------------------------------------- partner catalog
export {
  PartnerEntry,
  PermissionProfileName,
  ComputeKind,
  SchemaSelection,
  HandoffKind,
  SignInStyle,
  FACTS,
  loadBuiltinCatalog,
  createCatalog,
  mergeCatalog,
  parseCatalogEntries,
  loadPartnerConfigFile,
  partnerFromConfig,
  servicePrincipalNameFor,
  principalNameOf,
  slugFor,
} from './partners/catalog';
export type { CatalogPartner, PartnerCatalog, Provenance, Fact, CatalogPartnerConfig, PartnerEntryInput } from './partners/catalog';

// ---------------------------------------------------------------- SQL warehouse types
export {
  WAREHOUSE_TYPES,
  WAREHOUSE_TYPE_WORDS,
  readWarehouseTypeSupport,
  supportFromConfig,
  offerWarehouseTypes,
  fallbackTypes,
  typeOfWarehouse,
  isWarehouseTypeRefusal,
} from './compute/warehouseTypes';
export type { WarehouseType, WarehouseTypeSupport, WarehouseTypeOffer, TypeAvailability } from './compute/warehouseTypes';

// ---------------------------------------------------------------- profiles and plans
export { PROFILES, profileOf, expectedGrants } from './profiles/profiles';
export type { PermissionProfile, Entitlement, ExpectedGrants, PrivilegeSet, Granted } from './profiles/profiles';
export {
  buildPlan,
  quoteIdentifier,
  hiveGrantStatement,
  renderHiveGrant,
  warehouseSpecFor,
  defaultWarehouseName,
  HIVE_METASTORE,
  PRINCIPAL_PLACEHOLDER,
} from './profiles/plan';
export type { PlanOperation, PlanOperationType, HandoffDetail, ConnectChoices, WarehouseChoice, BuildPlanOptions } from './profiles/plan';
export { accessBadge, describeAccess, describePlan, describeOperation, detailWords, operationTitle } from './profiles/describe';

// ---------------------------------------------------------------- connection record
export {
  ConnectionRecord,
  parseRecord,
  serializeRecord,
  readRecord,
  writeRecord,
  recordPathFor,
  recordFolderOf,
  userRecordFolder,
  DEFAULT_RECORD_FOLDER,
  RECORD_SCHEMA_VERSION,
  STALE_CONNECT_MINUTES,
  isStaleConnecting,
  minutesSince,
} from './record/record';
export type { ReadRecordResult } from './record/record';
export { RecordCache, RECORD_CACHE_SETTLED_MS, RECORD_CACHE_MAX_AGE_MS } from './record/cache';

// ---------------------------------------------------------------- state
export { detectConnectionStates } from './state/detect';
export type { DetectOptions } from './state/detect';
export type {
  ConnectionStateName,
  DegradedReason,
  DegradedReasonCode,
  TokenMeta,
  ComputeInfo,
  GrantDifference,
  GrantsSummary,
  PartnerStatus,
  PartnerStatusFields,
  WorkspaceIdentity,
  MetastoreInfo,
  DetectionStats,
  WorkspaceSnapshot,
} from './state/types';
export { reasonsOf } from './state/types';

// ---------------------------------------------------------------- connect
export { preflightConnect, catalogOptions } from './connect/preflight';
export { canConnect, allowsNonAdmins } from './connect/access';
export { connectFormOptions } from './connect/options';
export type { ConnectFormOptions, CredentialOption } from './connect/options';
export type { ConnectAccess, ConnectingUser, ConnectionNow } from './connect/access';
export { TypingPreflight } from './connect/typingPreflight';
export { alreadyConnected, formDefaults, formPlanOptions, formProblems, formToChoices, initialProblems, lifetimeProblem, offersCatalog, withWarehouseNames } from './connect/form';
export type { ConnectFormValues, FormBlocker, FormCatalog, FormField, FormProblem, FormWarehouse } from './connect/form';
export type { TypingPreflightAnswer, TypingPreflightOptions, TypingPreflightStats } from './connect/typingPreflight';
export type { PreflightResult, CatalogOption } from './connect/preflight';
export { connect } from './connect/connect';
export { planLegacyMigration, migrateLegacyRecords, describePlanEntry } from './record/migrate';
export type { MigrationPlan, MigrationResult, LegacyRecordPlan } from './record/migrate';
export { LEGACY_RECORD_FOLDER, checkRecordFolderTrust, describeTrust } from './record/trust';
export type { FolderTrust } from './record/trust';
export { takeOverInterruptedConnect, takeOverRefusal, TakeOverRefusedError } from './connect/takeover';
export type { TakeOverResult, TakeOverOptions, TakeOverRefusal } from './connect/takeover';
export type { ConnectOptions, ConnectProgress, ConnectResult, DeliveredCredential } from './connect/types';

// ---------------------------------------------------------------- handoff
export type { HandoffResult, ConnectionDetails, DesktopFile, HandedCredential } from './handoff/types';
export { buildConnectRequest, snapshotCloud, workspaceCloud, workspaceIdOf } from './handoff/protocol';
export { desktopFileFor, pbidsFile, tdsFile } from './handoff/desktopFiles';
export { connectionDetails, warehouseHttpPath, jdbcUrls, hostnameOf } from './handoff/manual';

// ---------------------------------------------------------------- inspect
export { inspectConnection } from './inspect/inspect';
export { repairPlan, describeRepair, RepairBlockedError } from './inspect/drift';
export { applyRepair, RepairIncompleteError, RepairCancelledError } from './inspect/repair';
export type { InspectOptions } from './inspect/inspect';
export type { RepairResult, RepairOptions } from './inspect/repair';
export type { Inspection, Drift, RepairOperation, GrantRow } from './inspect/types';

// ---------------------------------------------------------------- disconnect
export { previewDisconnect } from './disconnect/preview';
export { disconnect } from './disconnect/disconnect';
export type { DisconnectOptions } from './disconnect/disconnect';
export type { DisconnectMode, DisconnectItem, DisconnectPreview, DisconnectResult } from './disconnect/types';

// ---------------------------------------------------------------- housekeeping
export { findOrphans, cleanUpOrphans, partnerOfWarehouse } from './housekeeping/orphans';
export type { Orphan, OrphanReport, CleanupStep } from './housekeeping/orphans';
export { rotateToken, rotateCredential, RotateIncompleteError, RotateFailedError } from './housekeeping/rotateToken';
export type { RotateResult } from './housekeeping/rotateToken';

// ---------------------------------------------------------------- export as Terraform
export { terraformExport, MIN_PROVIDER_VERSION } from './export/terraform';
export type { ExportConnection, ExportWorkspace, ExportedResource, TerraformExport } from './export/terraform';
export { gatherExportConnection } from './export/gather';

// ---------------------------------------------------------------- credentials
export type { CredentialKind, CredentialMeta, CredentialWarning, CredentialWarningCode } from './credentials/types';
export { CREDENTIAL_WORDS } from './credentials/types';
export { DEFAULT_MAX_LIFETIME_DAYS, MIN_LIFETIME_DAYS, readLifetimeCap, describeCap, parseMaxTokenLifetimeDays } from './credentials/lifetime';
export type { LifetimeCap } from './credentials/lifetime';
export { connectionCredentialKind, credentialChoiceFor, credentialWarnings, credentialExpired, isOboRefused, EXPIRY_WARNING_DAYS, UNUSED_WARNING_DAYS } from './credentials/credentials';
export type { CredentialChoice } from './credentials/credentials';

// ---------------------------------------------------------------- fleet (every workspace of an account)
export * from './fleet';

// ---------------------------------------------------------------- history
export { HistoryEntry, HistoryAction, HistoryOutcome, HistoryRef, appendHistory, readHistory, historyFolderFor, HISTORY_SCHEMA_VERSION } from './history/history';
export type { HistoryRead } from './history/history';
export {
  withHistory,
  effectsOfError,
  connectEffects,
  repairEffects,
  repairRef,
  rotateEffects,
  disconnectEffects,
  disconnectItemRef,
  cleanupEffects,
  cleanupRef,
} from './history/record';
export type { Effects, HistoryTracker, HistoryRecorder, HistorySubject } from './history/record';

// ---------------------------------------------------------------- Databricks' audit log (system.access.audit)
export {
  queryAuditEvents,
  categoryOf,
  AUDIT_QUERY,
  AUDIT_DAYS,
  AUDIT_ROW_LIMIT,
  SystemTablesUnavailableError,
  AuditAccessDeniedError,
  WarehouseNotRunningError,
} from './audit/auditEvents';
export type { AuditEventRow, AuditQueryResult, AuditCategory } from './audit/auditEvents';
export { describeDifference, differenceWords } from './state/grants';
