/**
 * CAN USE on the connection's SQL warehouse for the service principal (PATCH, like the token
 * permission). Undone with the principal.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { RepairOperation } from '../inspect/types';
import { assumed, type Grantee, type StepEnv, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'grantWarehouseUse' }>;
/** the warehouse: the plan's existing one, or the one this connect created */
export interface WarehouseGrantee extends Grantee {
  warehouseId: string | null;
  warehouseName: string | null;
}

async function grant(env: StepEnv, warehouseId: string, who: Grantee): Promise<void> {
  await env.client.patchWarehousePermissions(warehouseId, [{ service_principal_name: who.applicationId, permission_level: 'CAN_USE' }], env.o);
}

function warehouseOf(op: Op, x: WarehouseGrantee): string {
  const id = op.warehouseId ?? x.warehouseId;
  if (!id) throw new Error('internal: no warehouse to grant');
  return id;
}

export const warehousePermission: StepKind<Op, WarehouseGrantee> = {
  title: () => l10n.t('Give it CAN USE on the SQL warehouse'),
  describe: (op) => `Give it CAN USE on the SQL warehouse ${op.warehouseName ?? op.warehouseId ?? ''}.` + assumed(op),
  ref: (op, x) => {
    const id = warehouseOf(op, x);
    return { kind: 'warehouse-permission', name: `CAN USE on the SQL warehouse ${x.warehouseName ?? id} for ${x.displayName}`, id };
  },
  apply: (env, op, x) => grant(env, warehouseOf(op, x), x),
  undo: async () => 'with-service-principal',
};

export const warehousePermissionRepair = {
  describe: (op: Extract<RepairOperation, { type: 'grantWarehouseUse' }>): string => `Set CAN USE on the warehouse ${op.warehouseId} (PATCH).`,
  apply: (env: StepEnv, op: Extract<RepairOperation, { type: 'grantWarehouseUse' }>, who: Grantee): Promise<void> => grant(env, op.warehouseId, who),
};
