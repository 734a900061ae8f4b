/** What every engine operation that changes the workspace needs. */
import type { WorkspaceClient } from '../client/api';
import type { PartnerApiClient, PartnerCredentials } from '../client/partner/partnerApiClient';
import type { PartnerProtocolConfig } from '../client/partner/partnerConfig';

export interface EngineContext {
  client: WorkspaceClient;
  /** workspace folder of the connection records; default /.partner-connect (admins only; record/trust.ts) */
  recordFolder?: string;
  /** written into each record */
  extensionVersion: string;
  /** redacted single-line log entries (never given a secret) */
  logger?: (line: string) => void;
  /** builds the Partner Connect protocol client (default: createPartnerApiClient) — tests inject retry delays */
  /** rollback: wait before re-checking creates that had no answer (default 3000 ms) */
  rollbackSettleMs?: number;
  /** rollback: waits between retries of a failed undo (default [250, 1000]) */
  rollbackRetryDelaysMs?: number[];
  partnerClientFactory?: (config: PartnerProtocolConfig, credentials: PartnerCredentials | undefined, logger?: (line: string) => void) => PartnerApiClient;
}

export interface OperationOptions {
  signal?: AbortSignal;
  recordFolder?: string;
}
