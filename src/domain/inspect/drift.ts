import type { WorkspaceClient } from '../../client/api';
import type { Inspection, RepairOperation } from './types';

export interface RepairResult {
  applied: RepairOperation[];
}

/** Applies a repair plan (grant what is missing, revoke what is extra). */
export async function applyRepair(client: WorkspaceClient, inspection: Pick<Inspection, 'drift' | 'principal' | 'servicePrincipal' | 'warehouseId'>, opts: { signal?: AbortSignal } = {}): Promise<RepairResult> {
  void client;
  void inspection;
  void opts;
  throw new Error('not implemented');
}
