/**
 * Drift: the differences between what a partner's service principal holds and its profile, and
 * the repair plan that removes them (grant what is missing, revoke what is extra). Token and
 * warehouse permissions can only be added or changed with PATCH (never PUT, which would replace
 * everyone's access), so an extra permission level is changed back to CAN_USE but never removed.
 */
import { DomainError } from '../errors';
import { hiveGrantStatement, PRINCIPAL_PLACEHOLDER } from '../profiles/plan';
import { describeRepairStep } from '../operations/repair';
import { describeDifference } from '../state/grants';
import type { GrantDifference, PartnerStatus } from '../state/types';
import type { Drift, RepairOperation } from './types';

/** The connection records are not trusted (record/trust.ts): repairing from them could grant what no admin asked for. */
export class RepairBlockedError extends DomainError<'repair-blocked'> {
  constructor(why: string) {
    super('repair-blocked', why, 'Keep the connection records in a folder only workspace admins can edit (partnerConnect.recordFolder), then inspect again.');
    this.name = 'RepairBlockedError';
  }
}

function group(diffs: GrantDifference[], kind: 'uc' | 'hive', change: 'missing' | 'extra'): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const d of diffs) if (d.kind === kind && d.change === change) m.set(d.securable, [...(m.get(d.securable) ?? []), d.privilege]);
  return m;
}

export function repairPlan(differences: GrantDifference[], principal: string | null, warehouseId: string | null): RepairOperation[] {
  const ops: RepairOperation[] = [];
  const who = principal ?? PRINCIPAL_PLACEHOLDER;
  for (const d of differences) {
    if (d.kind === 'entitlement') ops.push(d.change === 'missing' ? { type: 'addEntitlement', entitlement: d.privilege } : { type: 'removeEntitlement', entitlement: d.privilege });
  }
  if (differences.some((d) => d.kind === 'token-use' && d.change === 'missing')) ops.push({ type: 'grantTokenUse' });
  if (warehouseId && differences.some((d) => d.kind === 'warehouse-use' && d.change === 'missing')) ops.push({ type: 'grantWarehouseUse', warehouseId });
  for (const [change, type] of [
    ['missing', 'ucGrant'],
    ['extra', 'ucRevoke'],
  ] as const) {
    for (const [securable, privileges] of group(differences, 'uc', change)) {
      const [securableType, fullName] = securable.split(/:(.*)/s) as ['catalog' | 'schema', string];
      ops.push({ type, securableType, fullName, privileges });
    }
  }
  for (const [change, type, verb] of [
    ['missing', 'hiveGrant', 'GRANT'],
    ['extra', 'hiveRevoke', 'REVOKE'],
  ] as const) {
    for (const [securable, privileges] of group(differences, 'hive', change)) {
      const isCatalog = securable === 'CATALOG';
      const name = isCatalog ? 'hive_metastore' : securable.slice('SCHEMA '.length);
      ops.push({
        type,
        securableType: isCatalog ? 'CATALOG' : 'SCHEMA',
        name,
        privileges,
        statement: hiveGrantStatement(verb, isCatalog ? 'CATALOG' : 'SCHEMA', isCatalog ? null : name, privileges, who),
      });
    }
  }
  return ops;
}

export function describeRepair(op: RepairOperation): string {
  return describeRepairStep(op);
}

export function driftFrom(status: PartnerStatus, principal: string | null, warehouseId: string | null): Drift {
  const differences = status.grants.checked ? status.grants.differences : [];
  const repair = repairPlan(differences, principal, warehouseId);
  return { inSync: status.grants.checked && differences.length === 0, differences, repair, repairDescription: [...differences.map(describeDifference), ...repair.map(describeRepair)] };
}
