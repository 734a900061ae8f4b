export type DisconnectMode = 'reset' | 'service-principal-only';

export interface DisconnectItem {
  /** 'own-token': the signed-in user's own token (a connection that acted as them) */
  kind: 'warehouse' | 'cluster' | 'service-principal' | 'token' | 'own-token' | 'oauth-secret' | 'uc-grant' | 'partner-connection' | 'record' | 'folder';
  name: string;
  /** uc-grant: `catalog:<name>` / `schema:<catalog>.<schema>` */
  id: string;
  permanent: true;
  /** e.g. 'deleted together with the service principal' */
  note?: string;
  /** oauth-secret: the SCIM id of its service principal; uc-grant: the principal's applicationId */
  owner?: string;
}

export interface DisconnectPreview {
  partnerId: string;
  mode: DisconnectMode;
  /** everything that will be permanently deleted, in deletion order (items of one stage, disconnect.ts deletionStages, go together) */
  items: DisconnectItem[];
  /** what stays (words) */
  keeps: string[];
  /** e.g. the record is not trusted (its folder can be edited by non-admins) */
  warnings?: string[];
  /**
   * The state the partner shows afterwards: a reset, or deleting the principal of a partner without
   * a record, leaves it not connected; deleting only the principal of a partner with a record leaves
   * the check mark (check mark only) — or, for a partner that needs no principal, still connected.
   */
  after: 'not-connected' | 'check-mark-only' | 'connected';
  /** a record (the check mark) exists */
  hasRecord: boolean;
}

export interface DisconnectResult {
  partnerId: string;
  mode: DisconnectMode;
  deleted: DisconnectItem[];
  /** already absent: counted as done */
  alreadyGone: DisconnectItem[];
  /** the partner's answer to delete-connection, when notified */
  partnerNotification: { outcome: string; displayMessage: string | null } | null;
}
