/**
 * Unity Catalog privileges on a catalog or schema for the service principal (PATCH
 * /unity-catalog/permissions: `add` / `remove` change only this principal's privileges). Undone by
 * removing exactly the privileges given; a principal or securable already gone is done.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { RepairOperation } from '../inspect/types';
import { errorCode, isNotFound } from '../util';
import { assumed, privilegeWords, type Grantee, type StepEnv, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'ucGrant' }>;
type Target = { securableType: 'catalog' | 'schema'; fullName: string; privileges: string[] };

async function change(env: StepEnv, t: Target, who: Grantee, how: 'add' | 'remove'): Promise<void> {
  const principal = who.applicationId;
  await env.client.updateGrants(t.securableType, t.fullName, [how === 'add' ? { principal, add: t.privileges } : { principal, remove: t.privileges }], env.o);
}

export const ucGrant: StepKind<Op, Grantee> = {
  title: (op) => l10n.t('Grant {0} on {1}', privilegeWords(op.privileges), op.fullName),
  describe: (op) => `Grant ${privilegeWords(op.privileges)} on the ${op.securableType} ${op.fullName} (Unity Catalog).` + assumed(op),
  ref: (op) => ({ kind: 'uc-grant', name: `${privilegeWords(op.privileges)} on the ${op.securableType} ${op.fullName}`, id: `${op.securableType}:${op.fullName}` }),
  apply: (env, op, who) => change(env, op, who, 'add'),
  undo: async (env, op, who) => {
    try {
      await change(env, op, who, 'remove');
      return 'removed';
    } catch (err) {
      if (isNotFound(err) || errorCode(err) === 'PRINCIPAL_DOES_NOT_EXIST') return 'gone';
      throw err;
    }
  },
};

type RepairOp = Extract<RepairOperation, { type: 'ucGrant' | 'ucRevoke' }>;
/** Repair: grant what is missing, revoke what is extra. */
export const ucGrantRepair = {
  describe: (op: RepairOp): string => `${op.type === 'ucGrant' ? 'Grant' : 'Revoke'} ${privilegeWords(op.privileges)} on the ${op.securableType} ${op.fullName}.`,
  apply: (env: StepEnv, op: RepairOp, who: Grantee): Promise<void> => change(env, op, who, op.type === 'ucGrant' ? 'add' : 'remove'),
};
