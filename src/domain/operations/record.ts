/**
 * The connection record (the check mark, record/record.ts) as two steps of the connect: the claim
 * first (overwrite disabled: of two admins connecting at once, one claim succeeds) and the final write
 * (state `connected`) last. Both share one undo: delete the record if it is still this attempt's, and a
 * record folder this connect created if it is empty.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { StepWords } from './step';

type Claim = Extract<PlanOperation, { type: 'claimRecord' }>;
type Write = Extract<PlanOperation, { type: 'writeRecord' }>;

export const claimRecordWords: StepWords<Claim> = {
  title: () => l10n.t('Reserve the connection record'),
  describe: (op) => `Reserve the connection record ${op.path} so that no one else connects this partner at the same time.`,
};

export const writeRecordWords: StepWords<Write> = {
  title: () => l10n.t('Mark the partner as connected'),
  describe: (op) => `Mark the partner as connected in ${op.path}.`,
};
