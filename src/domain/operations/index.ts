/**
 * Every kind of connect step, by the plan's operation type: its title (the progress list, errors)
 * and its plan sentence. A new kind of step is one new file here and one row below.
 */
import type { PlanOperation, PlanOperationType } from '../profiles/plan';
import { claimRecord, writeRecordWords } from './record';
import { credentialWords } from './credential';
import { handoffWords } from './handoff';
import { hiveGrant } from './hiveGrant';
import { principal } from './principal';
import type { StepKind, StepWords } from './step';
import type { ServicePrincipal } from '../../client/api';
import type { CredentialKind } from '../credentials/types';
import type { IssuedCredential } from '../credentials/credentials';
import { oauthSecret } from './oauthSecret';
import { pat } from './pat';
import { tokenPermission } from './tokenPermission';
import { ucGrant } from './ucGrant';
import { warehouse } from './warehouse';
import { warehousePermission } from './warehousePermission';

export const STEP_WORDS: { [T in PlanOperationType]: StepWords<Extract<PlanOperation, { type: T }>> } = {
  claimRecord,
  createServicePrincipal: principal,
  grantTokenUse: tokenPermission,
  createWarehouse: warehouse,
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

/** The service principal's credential, by kind: a new kind of credential is one new file and one row here. */
export const CREDENTIAL_STEPS: { [K in CredentialKind]: StepKind<Extract<PlanOperation, { type: 'createCredential' }>, ServicePrincipal, IssuedCredential, { id: string }> } = {
  pat,
  'oauth-secret': oauthSecret,
};
