/**
 * CAN USE on tokens for the service principal (PATCH: added to the token permissions, nobody else's
 * access changes; never PUT, which would replace everyone's). Needed before an on-behalf-of token can
 * be created. Undone with the principal (a deleted principal holds no permission).
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { RepairOperation } from '../inspect/types';
import { assumed, type Grantee, type StepEnv, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'grantTokenUse' }>;

async function grant(env: StepEnv, who: Grantee): Promise<void> {
  await env.client.patchTokenPermissions([{ service_principal_name: who.applicationId, permission_level: 'CAN_USE' }], env.o);
}

export const tokenPermission: StepKind<Op, Grantee> = {
  title: () => l10n.t('Give it CAN USE on tokens'),
  describe: (op) => `Give it the CAN USE token permission (added to the existing token permissions; nobody else's access changes).` + assumed(op),
  ref: (_op, who) => ({ kind: 'token-permission', name: `CAN USE on tokens for ${who.displayName}`, id: who.applicationId }),
  apply: (env, _op, who) => grant(env, who),
  undo: async () => 'with-service-principal',
};

/** Repair: a missing CAN USE on tokens is given again (an extra level is changed back, never removed). */
export const tokenPermissionRepair = {
  describe: (_op: Extract<RepairOperation, { type: 'grantTokenUse' }>): string => 'Give CAN USE on tokens (PATCH).',
  apply: (env: StepEnv, _op: Extract<RepairOperation, { type: 'grantTokenUse' }>, who: Grantee): Promise<void> => grant(env, who),
};
