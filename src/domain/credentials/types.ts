/** The credential a partner's service principal holds: metadata only, never a value. */

/** `pat`: an on-behalf-of personal access token (AWS, GCP). `oauth-secret`: a workspace-level OAuth secret (every cloud). */
export type CredentialKind = 'pat' | 'oauth-secret';

export const CREDENTIAL_WORDS: Record<CredentialKind, string> = {
  pat: 'personal access token',
  'oauth-secret': 'OAuth secret',
};

export interface CredentialMeta {
  kind: CredentialKind;
  id: string;
  /** the token's comment ('' for OAuth secrets, which have none) */
  comment: string;
  /** ISO time, or null when unknown */
  createdAt: string | null;
  /** ISO time; 'never' only for an old token whose expiry_time is really -1 */
  expiry: string;
  /** ISO day the token was last used (`last_used_day`); null when never used or not reported (OAuth secrets) */
  lastUsedDay: string | null;
  /** OAuth secrets: their status (e.g. ACTIVE) */
  status: string | null;
}

/** Why a credential needs attention: a warning (the connection still works) until it has expired. */
export type CredentialWarningCode = 'credential-expiring' | 'credential-unused';

export interface CredentialWarning {
  code: CredentialWarningCode;
  credentialId: string;
  kind: CredentialKind;
  /** the date the warning is about (expiry, or last use / creation), ISO */
  date: string;
  message: string;
}
