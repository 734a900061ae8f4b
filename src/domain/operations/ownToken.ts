/**
 * The signed-in user's own personal access token (a connection that acts as the user: a non-admin
 * connecting a NON_ADMIN partner). Undone by deleting it by id, or — when the create's answer was
 * lost — the user's tokens with this comment made during this connect.
 */
import type { PlanOperation } from '../profiles/plan';
import type { IssuedCredential } from '../credentials/credentials';
import type { UndoOutcome } from '../connect/rollback';
import { isNotFound } from '../util';
import { credentialWords } from './credential';
import type { StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'createCredential' }>;

/** `since`: when this connect began to create it (ms; a token of the same comment made earlier is not ours) */
export const ownToken: StepKind<Op, { since: number }, IssuedCredential, { id: string }> = {
  ...credentialWords,
  ref: (op) => ({ kind: 'token', name: op.comment, id: '(creation outcome unknown)' }),
  apply: async (env, op, _x, made) => {
    const r = await env.client.createOwnToken({ comment: op.comment, lifetimeSeconds: Math.round(op.lifetimeDays * 86_400) }, env.o);
    const id = r.token_info.token_id;
    made.state.id = id;
    made.ref.id = id;
    const expiresAt = r.token_info.expiry_time && r.token_info.expiry_time > 0 ? new Date(r.token_info.expiry_time).toISOString() : null;
    return { kind: 'pat', id, expiresAt, value: r.token_value };
  },
  undo: async (env, op, x, made) => {
    const ids = made.state.id ? [made.state.id] : (await env.client.listOwnTokens()).filter((t) => t.comment === op.comment && (t.creation_time ?? 0) >= x.since).map((t) => t.token_id);
    let outcome: UndoOutcome = 'gone';
    for (const id of ids) {
      try {
        await env.client.deleteOwnToken(id);
        outcome = 'removed';
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return outcome;
  },
};
