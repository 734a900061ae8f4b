import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { ResourceRef } from '../errors';
import type { PlanOperationType } from '../profiles/plan';
import type { ConnectionRecord } from '../record/record';
import type { HandoffResult } from '../handoff/types';
import type { CredentialKind } from '../credentials/types';

export interface ConnectProgress {
  /** plan step id, or 'rollback:<step>' */
  step: string;
  type: PlanOperationType | 'rollback' | 'preflight';
  status: 'started' | 'done' | 'failed' | 'skipped';
  message: string;
  /** rollback: the resource being removed */
  ref?: ResourceRef;
  /** what happened that the plan did not say (e.g. a warehouse type the workspace refused, and the one created instead) */
  detail?: string;
}

/** What `deliverSecretOnce` is given beside the value. */
export interface DeliveredCredential {
  kind: CredentialKind;
  id: string;
  expiresAt: string | null;
  /** OAuth secret: the client id to sign in with (the service principal's applicationId) */
  clientId: string | null;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  onProgress?: (p: ConnectProgress) => void;
  /** partner-issued basic-auth credentials for the Partner Connect protocol (from SecretStorage) */
  partnerCredentials?: PartnerCredentials;
  /**
   * Manual handoff: receives the new credential's value exactly once, with what it is (a PAT, or an
   * OAuth secret whose client id is the applicationId). The engine keeps no copy; the caller must not
   * store or log it (e.g. put it on the clipboard on request).
   */
  deliverSecretOnce?: (value: string, meta?: DeliveredCredential) => void | Promise<void>;
  /** sent to protocol partners as `demo` */
  demo?: boolean;
}

export interface ConnectResult {
  partnerId: string;
  /** true when an existing connection was re-used (no new service principal or token) */
  reused: boolean;
  record: ConnectionRecord;
  handoff: HandoffResult;
  /** everything created, in creation order */
  created: ResourceRef[];
}
