/**
 * A personal access token on behalf of the service principal (POST /token-management/on-behalf-of),
 * with the plan's lifetime. Undone by deleting it; when the create's answer was lost its id is
 * unknown, and the principal's deletion takes it along.
 */
import type { ServicePrincipal } from '../../client/api';
import type { PlanOperation } from '../profiles/plan';
import { createPat, deleteCredential, type IssuedCredential } from '../credentials/credentials';
import { credentialWords } from './credential';
import type { StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'createCredential' }>;

export const pat: StepKind<Op, ServicePrincipal, IssuedCredential, { id: string }> = {
  ...credentialWords,
  ref: (op) => ({ kind: 'token', name: op.comment, id: '(creation outcome unknown)' }),
  apply: async (env, op, sp, made) => {
    const c = await createPat(env.client, sp, { lifetimeDays: op.lifetimeDays, comment: op.comment }, env.o);
    made.state.id = c.id;
    made.ref.id = c.id;
    return c;
  },
  undo: async (env, _op, sp, made) => (made.state.id ? deleteCredential(env.client, sp.id, { kind: 'pat', id: made.state.id }) : 'with-service-principal'),
};
