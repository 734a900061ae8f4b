/**
 * Drift repair as a list of steps: each repair operation (inspect/types.ts) is one of the kinds in
 * this folder, applied in the direction the drift asks for (grant what is missing, revoke what is
 * extra). Its words and its request come from the kind's file.
 */
import type { RepairOperation } from '../inspect/types';
import { entitlementRepair } from './entitlements';
import { hiveGrantRepair, type HiveGrantee } from './hiveGrant';
import type { StepEnv } from './step';
import { tokenPermissionRepair } from './tokenPermission';
import { ucGrantRepair } from './ucGrant';
import { warehousePermissionRepair } from './warehousePermission';

interface RepairStep<Op> {
  describe(op: Op): string;
  apply(env: StepEnv, op: Op, target: HiveGrantee): Promise<void>;
}

const REPAIR_STEPS: { [T in RepairOperation['type']]: RepairStep<Extract<RepairOperation, { type: T }>> } = {
  addEntitlement: entitlementRepair,
  removeEntitlement: entitlementRepair,
  grantTokenUse: tokenPermissionRepair,
  grantWarehouseUse: warehousePermissionRepair,
  ucGrant: ucGrantRepair,
  ucRevoke: ucGrantRepair,
  hiveGrant: hiveGrantRepair,
  hiveRevoke: hiveGrantRepair,
};

function stepOf<T extends RepairOperation>(op: T): RepairStep<T> {
  return REPAIR_STEPS[op.type] as RepairStep<T>;
}

/** A repair operation in words. */
export function describeRepairStep(op: RepairOperation): string {
  return stepOf(op).describe(op);
}

/** Applies one repair operation for the principal (`target.warehouseId`: where Hive statements run). */
export function applyRepairStep(env: StepEnv, op: RepairOperation, target: HiveGrantee): Promise<void> {
  return stepOf(op).apply(env, op, target);
}
