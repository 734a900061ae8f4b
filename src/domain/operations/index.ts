/**
 * Every kind of connect step, by the plan's operation type: its title (the progress list, errors)
 * and its plan sentence. A new kind of step is one new file here and one row below.
 */
import type { PlanOperation, PlanOperationType } from '../profiles/plan';
import { claimRecordWords, writeRecordWords } from './record';
import { credentialWords } from './credential';
import { handoffWords } from './handoff';
import { hiveGrant } from './hiveGrant';
import { principalWords } from './principal';
import type { StepWords } from './step';
import { tokenPermission } from './tokenPermission';
import { ucGrant } from './ucGrant';
import { warehouseWords } from './warehouse';
import { warehousePermission } from './warehousePermission';

export const STEP_WORDS: { [T in PlanOperationType]: StepWords<Extract<PlanOperation, { type: T }>> } = {
  claimRecord: claimRecordWords,
  createServicePrincipal: principalWords,
  grantTokenUse: tokenPermission,
  createWarehouse: warehouseWords,
  grantWarehouseUse: warehousePermission,
  createCredential: credentialWords,
  ucGrant,
  hiveGrant,
  handoff: handoffWords,
  writeRecord: writeRecordWords,
};

function wordsOf<T extends PlanOperation>(op: T): StepWords<T> {
  return STEP_WORDS[op.type] as StepWords<T>;
}

/** A plan step's short title, as the progress list and error messages name it ("Create its personal access token (730 days)"). */
export function stepTitle(op: PlanOperation): string {
  return wordsOf(op).title(op);
}

/** A plan step's sentence (the plan text). */
export function stepSentence(op: PlanOperation): string {
  return wordsOf(op).describe(op);
}
