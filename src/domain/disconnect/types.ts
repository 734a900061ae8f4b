export type DisconnectMode = 'reset' | 'service-principal-only';

export interface DisconnectItem {
  kind: 'warehouse' | 'cluster' | 'service-principal' | 'token' | 'partner-connection' | 'record' | 'folder';
  name: string;
  id: string;
  permanent: true;
  /** e.g. 'deleted together with the service principal' */
  note?: string;
}

export interface DisconnectPreview {
  partnerId: string;
  mode: DisconnectMode;
  /** everything that will be permanently deleted, in deletion order */
  items: DisconnectItem[];
  /** what stays (words) */
  keeps: string[];
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
