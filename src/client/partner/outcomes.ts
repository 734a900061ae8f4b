/**
 * What a call to a partner ends in: one outcome type per endpoint of the protocol (connect,
 * delete-connection, test-connection, connectors), never a throw for an answer the protocol defines;
 * `failed` says why (FailureReason). Outcomes carry the partner's `display_message` only, scrubbed of
 * every secret of the request.
 */
import type { ConnectorResponse, ConnectResponse, TestResult } from './partnerConfig';

/** Why a call ended in `failed`. */
export type FailureReason =
  /** 5xx after all retries. */
  | 'server_error'
  /** A status the protocol does not define for this call (3xx, 403, 409, ...). */
  | 'unexpected_status'
  /** 2xx whose body does not match the spec (or a protocol rule, e.g. no connection_id). */
  | 'invalid_response'
  /** Connection could not be made / was reset, after all retries. */
  | 'network'
  /** connect only: the connection broke after the request was sent; the partner may have acted (not re-sent). */
  | 'interrupted'
  /** The per-attempt timeout elapsed (not retried). */
  | 'timeout';

export interface Failed {
  kind: 'failed';
  /** HTTP status of the last attempt; null when there was no HTTP response. */
  status: number | null;
  reason: FailureReason;
  /** The partner's display_message, safe to show. */
  displayMessage?: string;
  /** Where the user can sign in to the partner (the PartnerConfig's sign_up_page), if known. */
  signInUrl?: string;
  attempts: number;
}
export interface Unauthorized {
  kind: 'unauthorized';
  displayMessage?: string;
  signInUrl?: string;
  attempts: number;
}
export interface BadRequest {
  kind: 'bad_request';
  displayMessage?: string;
  attempts: number;
}

export type ConnectOutcome =
  | {
      kind: 'connected';
      status: number;
      response: ConnectResponse;
      /**
       * `isRedirectAllowed(config, response.redirect_uri)` and the URI carries no secret of the request:
       * open the URI only when true.
       */
      redirectAllowed: boolean;
      /** the partner put a secret of the request (token, OAuth secret, our password) into redirect_uri: never open or show it */
      redirectCarriesSecret: boolean;
      attempts: number;
    }
  | Unauthorized
  | { kind: 'not_found'; reason: 'account_not_found' | 'connection_not_found'; displayMessage?: string; attempts: number }
  | BadRequest
  | Failed;

export type DeleteConnectionOutcome =
  | {
      kind: 'deleted';
      resource_status: 'resources_deleted' | 'resources_pending_deletion' | 'deletion_acknowledged';
      attempts: number;
    }
  /** 404: the partner no longer knows the connection. Not a failure for the workspace side. */
  | { kind: 'already_gone'; reason: 'account_not_found' | 'connection_not_found'; displayMessage?: string; attempts: number }
  /** 401, or 200 with resource_status user_unauthorized. */
  | Unauthorized
  | BadRequest
  | Failed
  /** The PartnerConfig has no delete_connection_path: nothing to notify. */
  | { kind: 'not_supported' };

export type TestConnectionOutcome =
  | { kind: 'tested'; results: TestResult[]; allPassed: boolean; attempts: number }
  | { kind: 'not_found'; displayMessage?: string; attempts: number }
  | Unauthorized
  | BadRequest
  | Failed
  | { kind: 'not_supported' };

export type GetConnectorsOutcome =
  | { kind: 'connectors'; response: ConnectorResponse; attempts: number }
  | Unauthorized
  | BadRequest
  | Failed
  | { kind: 'not_supported' };
