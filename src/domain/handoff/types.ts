export interface ConnectionDetails {
  host: string;
  port: number;
  workspaceUrl: string;
  httpPath: string | null;
  jdbcUrl: string | null;
  databricksJdbcUrl: string | null;
  warehouseId: string | null;
  catalog: string | null;
  schemas: string[];
  servicePrincipalApplicationId: string | null;
  servicePrincipalName: string | null;
}

export interface DesktopFile {
  fileName: string;
  mediaType: string;
  contents: string;
}

/** The credential handed to the partner: kind, id and expiry (never its value). */
export interface HandedCredential {
  kind: import('../credentials/types').CredentialKind;
  id: string;
  /** ISO, null when unknown */
  expiresAt: string | null;
}

export type HandoffResult =
  | {
      kind: 'protocol';
      connectionId: string | null;
      /** only when its host is in the partner's allow-list */
      redirectUri: string | null;
      /** set when the partner returned a redirect_uri that is NOT allowed (never opened) */
      blockedRedirectHost: string | null;
      /** why it was not opened: not in the allow-list, or it carries a credential the request sent (it is not shown either) */
      blockedRedirectReason?: 'not-allowed' | 'contains-secret' | null;
      redirectValue: string | null;
      userStatus: string | null;
      accountStatus: string | null;
      displayMessage: string | null;
      /** what the partner was given (null when re-using an established connection) */
      credential?: HandedCredential | null;
    }
  | { kind: 'desktop-file'; file: DesktopFile; details: ConnectionDetails }
  | { kind: 'manual'; details: ConnectionDetails; signUpUrl: string | null; tokenDelivered: boolean; credential?: HandedCredential | null };
