/**
 * Drift: the differences between what a partner's service principal holds and its profile, and
 * the repair plan that removes them (grant what is missing, revoke what is extra). Token and
 * warehouse permissions can only be added or changed with PATCH (never PUT, which would replace
 * everyone's access), so an extra permission level is changed back to CAN_USE but never removed.
 */
import type { WorkspaceClient } from '../../client/api';
import { DomainError, throwIfAborted } from '../errors';
import { hiveGrantStatement, PRINCIPAL_PLACEHOLDER } from '../profiles/plan';
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
  const privs = (p: string[]): string => p.map((x) => x.replace(/_/g, ' ')).join(', ');
  switch (op.type) {
    case 'addEntitlement':
      return `Add the entitlement ${op.entitlement}.`;
    case 'removeEntitlement':
      return `Remove the entitlement ${op.entitlement}.`;
    case 'grantTokenUse':
      return 'Give CAN USE on tokens (PATCH).';
    case 'grantWarehouseUse':
      return `Set CAN USE on the warehouse ${op.warehouseId} (PATCH).`;
    case 'ucGrant':
      return `Grant ${privs(op.privileges)} on the ${op.securableType} ${op.fullName}.`;
    case 'ucRevoke':
      return `Revoke ${privs(op.privileges)} on the ${op.securableType} ${op.fullName}.`;
    case 'hiveGrant':
      return `Run ${op.statement}`;
    case 'hiveRevoke':
      return `Run ${op.statement}`;
  }
}

export function driftFrom(status: PartnerStatus, principal: string | null, warehouseId: string | null): Drift {
  const differences = status.grants.checked ? status.grants.differences : [];
  const repair = repairPlan(differences, principal, warehouseId);
  return { inSync: status.grants.checked && differences.length === 0, differences, repair, repairDescription: [...differences.map(describeDifference), ...repair.map(describeRepair)] };
}

/** Applies a repair plan (grant what is missing, revoke what is extra). Operations run one by one. */
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
  for (const op of inspection.drift.repair) {
    throwIfAborted(opts.signal);
    switch (op.type) {
      case 'addEntitlement':
        await client.patchServicePrincipal(sp.id, [{ op: 'add', path: 'entitlements', value: [{ value: op.entitlement }] }], o);
        break;
      case 'removeEntitlement':
        // as Terraform sends it (scim/resource_entitlement.go): path "entitlements" + the value list
        await client.patchServicePrincipal(sp.id, [{ op: 'remove', path: 'entitlements', value: [{ value: op.entitlement }] }], o);
        break;
      case 'grantTokenUse':
        await client.patchTokenPermissions([{ service_principal_name: app, permission_level: 'CAN_USE' }], o);
        break;
      case 'grantWarehouseUse':
        await client.patchWarehousePermissions(op.warehouseId, [{ service_principal_name: app, permission_level: 'CAN_USE' }], o);
        break;
      case 'ucGrant':
        await client.updateGrants(op.securableType, op.fullName, [{ principal: app, add: op.privileges }], o);
        break;
      case 'ucRevoke':
        await client.updateGrants(op.securableType, op.fullName, [{ principal: app, remove: op.privileges }], o);
        break;
      case 'hiveGrant':
      case 'hiveRevoke': {
        if (!inspection.warehouseId) throw new Error('Legacy Hive metastore grants need the connection’s SQL warehouse, which no longer exists.');
        const verb = op.type === 'hiveGrant' ? 'GRANT' : 'REVOKE';
        const statement = hiveGrantStatement(verb, op.securableType, op.securableType === 'SCHEMA' ? op.name : null, op.privileges, app);
        await client.executeStatement({ warehouseId: inspection.warehouseId, statement }, o);
        break;
      }
    }
    applied.push(op);
    opts.onApplied?.(op);
  }
  return { applied };
}
