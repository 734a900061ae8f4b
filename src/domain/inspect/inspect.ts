import type { WorkspaceClient } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import type { Inspection } from './types';

export async function inspectConnection(client: WorkspaceClient, partner: CatalogPartner, opts: { recordFolder?: string; signal?: AbortSignal } = {}): Promise<Inspection> {
  void client;
  void partner;
  void opts;
  throw new Error('not implemented');
}
