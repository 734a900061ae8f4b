/**
 * Connection state of all partners at once, in at most two sequential waves of requests.
 */
import type { WorkspaceClient } from '../../client/api';
import type { PartnerCatalog } from '../partners/catalog';
import type { WorkspaceSnapshot } from './types';

export interface DetectOptions {
  recordFolder?: string;
  signal?: AbortSignal;
  /** check grants against the profile for connected partners (wave 2); default true */
  checkGrants?: boolean;
}

export async function detectConnectionStates(client: WorkspaceClient, catalog: PartnerCatalog, opts: DetectOptions = {}): Promise<WorkspaceSnapshot> {
  void client;
  void catalog;
  void opts;
  throw new Error('not implemented');
}
