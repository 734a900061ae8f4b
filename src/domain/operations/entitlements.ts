/**
 * A workspace entitlement of the service principal (SCIM PATCH). Connect gives the profile's
 * entitlements in the principal's create call (principal.ts); repair adds a missing one and removes
 * an extra one — as Terraform sends it (scim/resource_entitlement.go): path "entitlements" + the
 * value list.
 */
import type { RepairOperation } from '../inspect/types';
import type { Grantee, StepEnv } from './step';

type RepairOp = Extract<RepairOperation, { type: 'addEntitlement' | 'removeEntitlement' }>;

async function change(env: StepEnv, who: Grantee, how: 'add' | 'remove', entitlement: string): Promise<void> {
  await env.client.patchServicePrincipal(who.id, [{ op: how, path: 'entitlements', value: [{ value: entitlement }] }], env.o);
}

export const entitlementRepair = {
  describe: (op: RepairOp): string => `${op.type === 'addEntitlement' ? 'Add' : 'Remove'} the entitlement ${op.entitlement}.`,
  apply: (env: StepEnv, op: RepairOp, who: Grantee): Promise<void> => change(env, who, op.type === 'addEntitlement' ? 'add' : 'remove', op.entitlement),
};
