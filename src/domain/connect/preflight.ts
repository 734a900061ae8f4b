/** Pre-flight checks, before anything is created. */
import type { WorkspaceClient } from '../../client/api';
import type { PreflightProblem } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectChoices } from '../profiles/plan';
import type { ConnectionRecord } from '../record/record';

export interface PreflightResult {
  ok: boolean;
  problems: PreflightProblem[];
  userName: string;
  isWorkspaceAdmin: boolean;
  isMetastoreAdmin: boolean;
  /** the workspace default catalog (hive_metastore when not UC-enabled) */
  defaultCatalog: string;
  /** the partner is already connected: connect re-uses it (is_connection_established, no new token) */
  reuse: ConnectionRecord | null;
}

export interface CatalogOption {
  name: string;
  allowed: boolean;
  /** why not allowed */
  reason: string | null;
  isDefault: boolean;
}

export async function preflightConnect(
  client: WorkspaceClient,
  partner: CatalogPartner,
  choices: ConnectChoices,
  opts: { recordFolder?: string; signal?: AbortSignal } = {},
): Promise<PreflightResult> {
  void client;
  void partner;
  void choices;
  void opts;
  throw new Error('not implemented');
}

/** The catalogs the caller may choose for this partner, with the reason when one is not allowed. */
export async function catalogOptions(client: WorkspaceClient, partner: CatalogPartner, opts: { signal?: AbortSignal } = {}): Promise<CatalogOption[]> {
  void client;
  void partner;
  void opts;
  throw new Error('not implemented');
}
