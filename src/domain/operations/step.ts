/**
 * The one step model. A step kind (one file in this folder) says, for one kind of change to a
 * workspace, everything the engine and the views need of it:
 * - `title`: the short name the progress list shows and errors use ("Give it CAN USE on tokens");
 * - `describe`: the plan's sentence, shown before anything is done;
 * - `ref`: the resource it makes, as the rollback journal and the result name it;
 * - `apply`: makes the change; `undo`: removes it again (outcome-agnostic and idempotent: it is
 *   also called when `apply` had no answer, see connect/rollback.ts).
 * Connect runs the steps of its plan through the journal (`runStep`); drift repair is a list of the
 * same steps, each applied or undone (`repair`, repair.ts).
 */
import type { CallOptions, WorkspaceClient } from '../../client/api';
import type { ResourceRef } from '../errors';
import { isNotFound } from '../util';
import type { Journal, JournalEntry, UndoOutcome } from '../connect/rollback';

/** Where a step acts: the workspace client and the caller's options (its signal). Undo runs with `{}`. */
export interface StepEnv {
  client: WorkspaceClient;
  o: CallOptions;
}

/** The principal a permission or grant is for. */
export interface Grantee {
  id: string;
  applicationId: string;
  displayName: string;
}

/**
 * What a step made so far: its resource (the id filled in once known) and whatever else its undo
 * needs; `apply` fills it in, `undo` reads it (it may be empty when the answer was lost).
 */
export interface Made<M = Record<string, never>> {
  ref: ResourceRef;
  state: Partial<M>;
}

export interface StepKind<Op, In, Out = void, M = Record<string, never>> {
  title(op: Op): string;
  describe(op: Op): string;
  ref(op: Op, input: In): ResourceRef;
  apply(env: StepEnv, op: Op, input: In, made: Made<M>): Promise<Out>;
  undo(env: StepEnv, op: Op, input: In, made: Made<M>): Promise<UndoOutcome>;
  /** the step's failure is never ambiguous (e.g. the partner's answer is the outcome): no re-check after a lost answer */
  outcomeKnown?: true;
}

/** The words of a step, for plan text and labels (every kind has them, also those connect runs by hand). */
export type StepWords<Op> = Pick<StepKind<Op, never>, 'title' | 'describe'>;

/**
 * Runs one step under the journal: its undo is registered BEFORE it runs, so that a step whose
 * outcome is unknown is undone too. Returns the step's result and the resource it made.
 */
export async function runStep<Op, In, Out, M>(journal: Journal, env: StepEnv, kind: StepKind<Op, In, Out, M>, op: Op, input: In): Promise<{ out: Out; ref: ResourceRef; entry: JournalEntry }> {
  const made: Made<M> = { ref: kind.ref(op, input), state: {} };
  const entry = journal.add(made.ref, () => kind.undo({ client: env.client, o: {} }, op, input, made));
  // a request of this step that was re-sent after getting no answer may still land late, even when the
  // step succeeded: its rollback is checked again once such late requests have settled
  const o = { ...env.o, onAmbiguousAttempt: () => void (entry.ambiguous = true) };
  const apply = (): Promise<Out> => kind.apply({ client: env.client, o }, op, input, made);
  let out: Out;
  if (kind.outcomeKnown) {
    out = await apply();
    entry.done = true;
  } else out = await journal.track(entry, apply);
  return { out, ref: made.ref, entry };
}

/** SQL privilege words as admins write them: USE_CATALOG → USE CATALOG. */
export function privilegeWords(privs: readonly string[]): string {
  return privs.map((p) => p.replace(/_/g, ' ')).join(', ');
}

/** " (assumed: …)" after a sentence whose fact the seed does not state (the step's basis is inferred). */
export function assumed(op: { basis: { basis: string; note: string } }): string {
  return op.basis.basis === 'inferred' ? ` (assumed: ${op.basis.note})` : '';
}

/** Deletes every one of `ids` (one already gone is fine): 'gone' when there was none to delete. */
export async function deleteEach(ids: ReadonlySet<string>, remove: (id: string) => Promise<void>): Promise<UndoOutcome> {
  if (ids.size === 0) return 'gone';
  for (const id of ids) {
    try {
      await remove(id);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return 'removed';
}
