/**
 * Drift: the differences between what a partner's service principal holds and its profile, and
 * the repair plan that removes them (grant what is missing, revoke what is extra). Token and
 * warehouse permissions can only be added or changed with PATCH (never PUT, which would replace
 * everyone's access), so an extra permission level is changed back to CAN_USE but never removed.
 */
import type { WorkspaceClient } from '../../client/api';
import { DomainError, throwIfAborted } from '../errors';
import { hiveGrantStatement, PRINCIPAL_PLACEHOLDER } from '../profiles/plan';
import { applyRepairStep, describeRepairStep } from '../operations/repair';
import { describeDifference } from '../state/grants';
import type { GrantDifference, PartnerStatus } from '../state/types';
import type { Drift, Inspection, RepairOperation } from './types';

/** The connection records are not trusted (record/trust.ts): repairing from them could grant what no admin asked for. */
export class RepairBlockedError extends DomainError<'repair-blocked'> {
  constructor(why: string) {
    super('repair-blocked', why, 'Keep the connection records in a folder only workspace admins can edit (partnerConnect.recordFolder), then inspect again.');
    this.name = 'RepairBlockedError';
  }
}

export interface RepairResult {
  applied: RepairOperation[];
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

/** Applies a repair plan (grant what is missing, revoke what is extra): the steps of operations/, one by one. */
export async function applyRepair(
  client: WorkspaceClient,
  inspection: Pick<Inspection, 'drift' | 'principal' | 'servicePrincipal' | 'warehouseId'>,
  opts: { signal?: AbortSignal; /** each operation once it is applied (the history records them, also when a later one fails) */ onApplied?: (op: RepairOperation) => void } = {},
): Promise<RepairResult> {
  const o = { signal: opts.signal };
  const sp = inspection.servicePrincipal;
  const app = inspection.principal;
  if (inspection.drift.blocked) throw new RepairBlockedError(inspection.drift.blocked);
  if (!sp || !app) throw new Error('There is no service principal to repair.');
  const applied: RepairOperation[] = [];
  const target = { id: sp.id, applicationId: app, displayName: sp.displayName, warehouseId: inspection.warehouseId };
  for (const op of inspection.drift.repair) {
    throwIfAborted(opts.signal);
    await applyRepairStep({ client, o }, op, target);
    applied.push(op);
    opts.onApplied?.(op);
  }
  return { applied };
}
