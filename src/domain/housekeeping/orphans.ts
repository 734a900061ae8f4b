import type { ServicePrincipal, Warehouse, WorkspaceClient } from '../../client/api';
import type { CatalogPartner, PartnerCatalog } from '../partners/catalog';

export type Orphan =
  | { kind: 'service-principal-without-record'; partner: CatalogPartner; servicePrincipal: ServicePrincipal }
  | { kind: 'warehouse-without-principal'; partner: CatalogPartner; warehouse: Pick<Warehouse, 'id' | 'name'> };

export interface CleanupStep {
  kind: 'delete-service-principal' | 'delete-warehouse';
  name: string;
  id: string;
  partnerId: string;
  description: string;
}

export interface OrphanReport {
  orphans: Orphan[];
  cleanup: CleanupStep[];
}

export async function findOrphans(client: WorkspaceClient, catalog: PartnerCatalog, opts: { recordFolder?: string; signal?: AbortSignal } = {}): Promise<OrphanReport> {
  void client;
  void catalog;
  void opts;
  throw new Error('not implemented');
}

export async function cleanUpOrphans(client: WorkspaceClient, steps: readonly CleanupStep[], opts: { signal?: AbortSignal } = {}): Promise<{ done: CleanupStep[]; alreadyGone: CleanupStep[] }> {
  void client;
  void steps;
  void opts;
  throw new Error('not implemented');
}
