/**
 * Repair: applies a drift's repair plan (inspect/drift.ts) one change at a time, each a step of
 * operations/ (operations/repair.ts). A change is applied
 * whole or not at all; when one fails or the repair is cancelled, the workspace is inspected again and
 * the error says exactly what was repaired and what is left.
 */
import type { WorkspaceClient } from '../../client/api';
import { isCancellation, type Cancellation } from '../../client/errors';
import { isAmbiguousFailure } from '../connect/rollback';
import { describeCause, DomainError, throwIfAborted } from '../errors';
import { applyRepairStep } from '../operations/repair';
import { describeRepair, repairPlan, RepairBlockedError } from './drift';
import { inspectConnection } from './inspect';
import type { Inspection, RepairOperation } from './types';

export interface RepairResult {
  applied: RepairOperation[];
}

const listed = (ops: readonly RepairOperation[]): string => (ops.length ? ops.map((op) => describeRepair(op).replace(/\.$/, '')).join('; ') : 'nothing');

/**
 * A repair stopped part-way (a change failed, or it was cancelled). Every change is applied whole or
 * not at all, and after the failure the workspace is asked what is still to repair: `repaired` are the
 * planned changes it no longer needs, `remaining` what it still needs (`verified` false when it could
 * not be asked: then `remaining` is the failed change and those after it, and the failed one may have
 * been applied). Repairing again applies exactly `remaining`.
 */
export class RepairIncompleteError extends DomainError<'repair-incomplete'> {
  readonly repaired: RepairOperation[];
  readonly remaining: RepairOperation[];
  readonly verified: boolean;
  constructor(partnerName: string, cause: unknown, repaired: RepairOperation[], remaining: RepairOperation[], verified: boolean) {
    super(
      'repair-incomplete',
      `Repairing the grants of ${partnerName} ${isCancellation(cause) ? 'was cancelled' : `stopped (${describeCause(cause)})`}. ` +
        `Repaired: ${listed(repaired)}. Still to repair${verified ? '' : ' (the workspace could not be asked again: the first may have been applied)'}: ${listed(remaining)}.`,
      'Inspect the connection again and repair what is left.',
      { cause },
    );
    this.name = 'RepairIncompleteError';
    this.repaired = repaired;
    this.remaining = remaining;
    this.verified = verified;
  }
  /** true when the repair was cancelled by the caller */
  get cancelled(): boolean {
    return isCancellation(this);
  }
}

/** The repair was cancelled: a RepairIncompleteError (what was repaired, what is left) that is a cancellation, named 'AbortError'. */
export class RepairCancelledError extends RepairIncompleteError implements Cancellation {
  readonly cancellation = true as const;
  constructor(...args: ConstructorParameters<typeof RepairIncompleteError>) {
    super(...args);
    this.name = 'AbortError';
  }
}

export interface RepairOptions {
  signal?: AbortSignal;
  /** each operation once it is applied (the history records them, also when a later one fails) */
  onApplied?: (op: RepairOperation) => void;
  /** after a change without an answer (it may still land), how long to wait before the workspace is asked what is left; default 3000 ms */
  settleMs?: number;
}

/**
 * Applies a repair plan (grant what is missing, revoke what is extra): the steps of operations/, one by one;
 * when one fails or the repair is cancelled, a RepairIncompleteError (RepairCancelledError) says what
 * was repaired and what is left, as a fresh inspection of the workspace says.
 */
export async function applyRepair(
  client: WorkspaceClient,
  /** an inspection (inspectConnection); without `partner` and `recordTrust` a stopped repair cannot ask the workspace again (`verified` false) */
  inspection: Pick<Inspection, 'drift' | 'principal' | 'servicePrincipal' | 'warehouseId'> & Partial<Pick<Inspection, 'partner' | 'recordTrust'>>,
  opts: RepairOptions = {},
): Promise<RepairResult> {
  const sp = inspection.servicePrincipal;
  const app = inspection.principal;
  if (inspection.drift.blocked) throw new RepairBlockedError(inspection.drift.blocked);
  if (!sp || !app) throw new Error('There is no service principal to repair.');
  const applied: RepairOperation[] = [];
  const plan = inspection.drift.repair;
  const target = { id: sp.id, applicationId: app, displayName: sp.displayName, warehouseId: inspection.warehouseId };
  for (const [i, op] of plan.entries()) {
    try {
      throwIfAborted(opts.signal);
      await applyRepairStep({ client, o: { signal: opts.signal } }, op, target);
    } catch (e) {
      throw await stopped(client, inspection, plan, applied, plan.slice(i), e, opts);
    }
    applied.push(op);
    opts.onApplied?.(op);
  }
  return { applied };
}

/**
 * The error of a repair that stopped: what the workspace still needs, asked afresh (without the
 * caller's signal: a cancelled repair is told precisely too), after a change whose answer was lost had
 * time to land.
 */
async function stopped(
  client: WorkspaceClient,
  inspection: Partial<Pick<Inspection, 'partner' | 'recordTrust'>>,
  plan: RepairOperation[],
  applied: RepairOperation[],
  notApplied: RepairOperation[],
  cause: unknown,
  opts: RepairOptions,
): Promise<RepairIncompleteError> {
  const cancelled = isCancellation(cause) || opts.signal?.aborted === true;
  let repaired = applied;
  let remaining = notApplied;
  let verified = false;
  const { partner, recordTrust } = inspection;
  if (partner && recordTrust) {
    try {
      if (isAmbiguousFailure(cause)) await new Promise((r) => setTimeout(r, opts.settleMs ?? 3000));
      const fresh = await inspectConnection(client, partner, { recordFolder: recordTrust.folder });
      remaining = repairPlan(fresh.drift.differences, fresh.principal, fresh.warehouseId);
      const left = new Set(remaining.map(describeRepair));
      repaired = plan.filter((op) => !left.has(describeRepair(op)));
      verified = true;
    } catch {
      // not known: what answered is repaired, the rest may not be
    }
  }
  const E = cancelled ? RepairCancelledError : RepairIncompleteError;
  return new E(partner?.displayName ?? 'the connection', cause, repaired, remaining, verified);
}
