/**
 * A workspace-level OAuth secret of the service principal (the partner signs in with its
 * applicationId and the secret), with the plan's lifetime. Undone by deleting it — and, when the
 * create's answer was lost, every secret of the principal (it is new: all of them are ours).
 */
import type { ServicePrincipal } from '../../client/api';
import type { PlanOperation } from '../profiles/plan';
import { createSecret, deleteCredential, type IssuedCredential } from '../credentials/credentials';
import type { UndoOutcome } from '../connect/rollback';
import { credentialWords } from './credential';
import type { StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'createCredential' }>;

export const oauthSecret: StepKind<Op, ServicePrincipal, IssuedCredential, { id: string }> = {
  ...credentialWords,
  ref: (_op, sp) => ({ kind: 'oauth-secret', name: `OAuth secret of ${sp.displayName}`, id: '(creation outcome unknown)' }),
  apply: async (env, op, sp, made) => {
    const c = await createSecret(env.client, sp, { lifetimeDays: op.lifetimeDays }, env.o);
    made.state.id = c.id;
    made.ref.id = c.id;
    return c;
  },
  undo: async (env, _op, sp, made) => {
    const ids = new Set<string>(made.state.id ? [made.state.id] : []);
    for (const x of await env.client.listServicePrincipalSecrets(sp.id).catch(() => [])) ids.add(x.id);
    let outcome: UndoOutcome = 'gone';
    for (const x of ids) if ((await deleteCredential(env.client, sp.id, { kind: 'oauth-secret', id: x })) === 'removed') outcome = 'removed';
    return outcome;
  },
};
