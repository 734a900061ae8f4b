/**
 * The connection record (the check mark, record/record.ts) as two steps of the connect: the claim
 * first (overwrite disabled: of two admins connecting at once, one claim succeeds) and the final write
 * (state `connected`) last. Both share one undo: delete the record if it is still this attempt's, and a
 * record folder this connect created if it is empty.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import { claimRecord as claim, deleteRecord, readRecord, type ConnectionRecord } from '../record/record';
import type { UndoOutcome } from '../connect/rollback';
import { isNotFound } from '../util';
import type { StepKind, StepWords } from './step';

type Claim = Extract<PlanOperation, { type: 'claimRecord' }>;
type Write = Extract<PlanOperation, { type: 'writeRecord' }>;

export interface ClaimInput {
  folder: string;
  /** the `connecting` record this attempt claims with (its attemptId tells ours from another's) */
  record: ConnectionRecord;
  /** the record folder existed before (else the claim makes it, and the undo removes it when empty) */
  folderExisted: boolean;
}

/** The claim: 'taken' when another attempt holds the record (nothing of ours to undo then: the caller drops the entry). */
export const claimRecord: StepKind<Claim, ClaimInput, 'claimed' | 'taken'> = {
  title: () => l10n.t('Reserve the connection record'),
  describe: (op) => `Reserve the connection record ${op.path} so that no one else connects this partner at the same time.`,
  ref: (op) => ({ kind: 'record', name: op.path, id: op.path }),
  apply: (env, _op, x) => claim(env.client, x.folder, x.record, env.o, !x.folderExisted),
  undo: async (env, op, x) => {
    let outcome: UndoOutcome = 'gone';
    const cur = await readRecord(env.client, x.folder, x.record.partner);
    if (cur.kind === 'ok' && cur.record.attemptId === x.record.attemptId) {
      await deleteRecord(env.client, x.folder, x.record.partner);
      outcome = 'removed';
    }
    if (!x.folderExisted) {
      const parent = op.path.replace(/\/[^/]*$/, '');
      const left = await env.client.listWorkspaceFiles(parent);
      if (left.length === 0) {
        try {
          await env.client.deleteWorkspaceFile(parent);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    return outcome;
  },
};

export const writeRecordWords: StepWords<Write> = {
  title: () => l10n.t('Mark the partner as connected'),
  describe: (op) => `Mark the partner as connected in ${op.path}.`,
};
