/**
 * The rollback journal of a connect. Every step registers how to undo itself BEFORE it runs, so
 * that a step whose outcome is unknown (timeout, connection reset, cancellation while the request
 * was in flight) is undone too. Undo actions are outcome-agnostic and idempotent: they look the
 * resource up (by id when known, else by its unique name) and remove it; "already gone" is done.
 *
 * Rollback runs the undo actions in reverse order, one at a time, without the caller's (maybe
 * aborted) signal. When a create had no answer at all, the server may still carry it out after
 * we gave up: a second pass re-checks those after `settleMs`.
 */
import { NetworkError, RequestTimeoutError, isCancellation } from '../../client/errors';
import { describeCause, describeResource, type ResourceRef } from '../errors';
import { errorStatus } from '../util';

export type UndoOutcome = 'removed' | 'gone' | 'with-service-principal';

export interface JournalEntry {
  ref: ResourceRef;
  /** removes the resource if it exists */
  undo: () => Promise<UndoOutcome>;
  /**
   * true once the step had no HTTP answer (its outcome is unknown), or one of its requests was sent again
   * after getting none (a late copy may still land): the rollback checks it again after the settle wait
   */
  ambiguous: boolean;
  /** the step completed (the resource certainly exists) */
  done: boolean;
}

export interface RollbackReport {
  rolledBack: ResourceRef[];
  leftovers: ResourceRef[];
  errors: unknown[];
}

/** No HTTP answer: the request may or may not have been carried out. */
export function isAmbiguousFailure(e: unknown): boolean {
  if (errorStatus(e) !== undefined) return false;
  return e instanceof NetworkError || e instanceof RequestTimeoutError || isCancellation(e);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Journal {
  readonly entries: JournalEntry[] = [];

  constructor(
    private readonly log: (line: string) => void = () => undefined,
    private readonly settleMs = 3000,
    private readonly retryDelaysMs: readonly number[] = [250, 1000],
  ) {}

  /** Registers an undo action before the step runs; returns the entry to update (ids, outcome). */
  add(ref: ResourceRef, undo: () => Promise<UndoOutcome>): JournalEntry {
    const e: JournalEntry = { ref, undo, ambiguous: false, done: false };
    this.entries.push(e);
    return e;
  }

  /** Runs a step under an entry: marks it done, or ambiguous when it failed without an answer. */
  async track<T>(entry: JournalEntry, run: () => Promise<T>): Promise<T> {
    try {
      const v = await run();
      entry.done = true;
      return v;
    } catch (e) {
      if (isAmbiguousFailure(e)) entry.ambiguous = true;
      throw e;
    }
  }

  private async undoOne(e: JournalEntry): Promise<UndoOutcome> {
    let last: unknown;
    for (let i = 0; i <= this.retryDelaysMs.length; i++) {
      try {
        return await e.undo();
      } catch (err) {
        last = err;
        this.log(`rollback: ${describeResource(e.ref)} could not be removed: ${describeCause(err)}`);
        if (i < this.retryDelaysMs.length) await sleep(this.retryDelaysMs[i]);
      }
    }
    throw last;
  }

  async rollback(onStep?: (ref: ResourceRef, status: 'started' | 'done' | 'failed') => void): Promise<RollbackReport> {
    const report: RollbackReport = { rolledBack: [], leftovers: [], errors: [] };
    const failed = new Set<JournalEntry>();
    for (const e of [...this.entries].reverse()) {
      onStep?.(e.ref, 'started');
      try {
        const outcome = await this.undoOne(e);
        if (outcome !== 'gone' || e.done) report.rolledBack.push(e.ref);
        onStep?.(e.ref, 'done');
      } catch (err) {
        failed.add(e);
        report.errors.push(err);
        report.leftovers.push(e.ref);
        onStep?.(e.ref, 'failed');
      }
    }
    const unsure = this.entries.filter((e) => e.ambiguous && !failed.has(e));
    if (unsure.length) {
      this.log(`rollback: ${unsure.length} step(s) had no answer; re-checking after ${this.settleMs} ms`);
      await sleep(this.settleMs);
      for (const e of unsure.reverse()) {
        try {
          const outcome = await this.undoOne(e);
          if (outcome === 'removed' && !report.rolledBack.includes(e.ref)) report.rolledBack.push(e.ref);
        } catch (err) {
          report.errors.push(err);
          report.leftovers.push(e.ref);
        }
      }
    }
    return report;
  }
}
