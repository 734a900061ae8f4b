/**
 * The clean-up ledger: every object a conformance run creates is entered here BEFORE the request
 * that creates it is sent, so that a create whose answer was lost (a reset, a timeout, Ctrl-C) is
 * still looked up by name and deleted. At the end — also after a failure or an interrupt — the
 * ledger deletes in reverse order of creation, retries what fails, verifies that each object is
 * really gone, and reports precisely what it could not delete and how to delete it by hand.
 *
 * Objects that go with another one (a principal's entry in the token permissions) are not deleted
 * on their own: they are verified once everything else is gone.
 */
import { DatabricksApiError } from '../src/client';
import { errorText, isNotFoundError } from './errors';

export type ResourceKind =
  | 'service-principal'
  | 'token'
  | 'oauth-secret'
  | 'token-permission'
  | 'warehouse'
  | 'warehouse-permission'
  | 'workspace-folder'
  | 'workspace-file'
  | 'uc-schema'
  | 'uc-grant'
  | 'hive-schema'
  | 'hive-grant'
  | 'connection';

export interface ResourceSpec {
  kind: ResourceKind;
  /** the name it is created with (every name carries the run's prefix) */
  name: string;
  /** deletes it by id; resolving or a not-found error both mean "gone" */
  remove?: (id: string, signal?: AbortSignal) => Promise<void>;
  /** ids of objects with this name (for a create whose outcome is unknown) */
  find?: (signal?: AbortSignal) => Promise<string[]>;
  /** true while it still exists (checked after remove, and for objects that go with another) */
  exists?: (id: string, signal?: AbortSignal) => Promise<boolean>;
  /** deleted together with another object: only verified after the main pass */
  goesWith?: string;
  /** how to delete it by hand when everything failed */
  manual: string;
}

export type ResourceStatus = 'creating' | 'created' | 'unknown' | 'deleted' | 'gone' | 'left';

export interface Resource extends ResourceSpec {
  id: string | null;
  status: ResourceStatus;
  attempts: number;
  error?: string;
  /** found by the final sweep, not entered by the check that created it */
  sweep?: boolean;
  /** its create failed without a refusal (reset, timeout, interrupt, 5xx): it may still be made */
  inFlight?: boolean;
  /** left, but a delete was in flight when the clean-up was stopped: it may be gone */
  uncertain?: boolean;
}

export interface CleanupEntry {
  kind: ResourceKind;
  name: string;
  id: string | null;
  attempts: number;
  error?: string;
  manual?: string;
  sweep?: boolean;
  /** a delete was in flight when the clean-up was stopped: it may be gone */
  uncertain?: boolean;
}

export interface CleanupReport {
  deleted: CleanupEntry[];
  /** never created, or already gone when the clean-up came to it */
  alreadyGone: CleanupEntry[];
  /** could not be deleted: what, why, and how to delete it by hand */
  left: CleanupEntry[];
  interrupted: boolean;
}

export interface LedgerOptions {
  /** delete attempts per object (default 4) */
  attempts?: number;
  /** waits between attempts (default 0.5 s, 2 s, 5 s) */
  delaysMs?: number[];
  /** before looking up creates whose outcome is unknown, wait this long for them to land (default 3 s) */
  settleMs?: number;
  log?: (line: string) => void;
  /** refuses to create what the plan did not announce (default: anything goes) */
  allowed?: (kind: ResourceKind, name: string) => boolean;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class Ledger {
  readonly resources: Resource[] = [];
  private readonly attempts: number;
  private readonly delays: number[];
  private readonly log: (line: string) => void;

  constructor(private readonly o: LedgerOptions = {}) {
    this.attempts = Math.max(1, o.attempts ?? 4);
    this.delays = o.delaysMs ?? [500, 2_000, 5_000];
    this.log = o.log ?? (() => undefined);
  }

  private enter(spec: ResourceSpec, status: ResourceStatus, id: string | null): Resource {
    if (this.o.allowed && !this.o.allowed(spec.kind, spec.name)) {
      throw new Error(`internal: the conformance suite was about to create ${spec.kind} "${spec.name}", which its plan does not list`);
    }
    const r: Resource = { ...spec, id, status, attempts: 0 };
    this.resources.push(r);
    return r;
  }

  /** Enters the object, then creates it. An error leaves it as 'unknown' (looked up by name at clean-up). */
  async create<T>(spec: ResourceSpec, fn: () => Promise<T>, idOf: (v: T) => string): Promise<T> {
    const r = this.enter(spec, 'creating', null);
    try {
      const v = await fn();
      r.id = idOf(v);
      r.status = 'created';
      return v;
    } catch (e) {
      // a refusal (4xx) created nothing; anything else may have reached the workspace
      const refused = e instanceof DatabricksApiError && e.status >= 400 && e.status < 500 && !e.afterAmbiguousRetry;
      r.status = refused ? 'gone' : 'unknown';
      r.inFlight = !refused;
      throw e;
    }
  }

  /** An object that came to exist some other way (made by the engine, or a side effect). */
  adopt(spec: ResourceSpec, id: string | null): Resource {
    return this.enter(spec, id === null ? 'unknown' : 'created', id);
  }

  /** A check deleted the object itself (on purpose): nothing left to clean. */
  deletedByCheck(kind: ResourceKind, id: string): void {
    for (const r of this.resources) if (r.kind === kind && r.id === id) r.status = 'deleted';
  }

  /** Objects not (yet) known to be gone. */
  pending(): Resource[] {
    return this.resources.filter((r) => r.status === 'creating' || r.status === 'created' || r.status === 'unknown' || r.status === 'left');
  }

  /**
   * Deletes everything pending, newest first; then verifies the objects that go with others.
   * `signal` stops the clean-up (what is not done yet is reported as left).
   */
  async cleanUp(signal?: AbortSignal): Promise<CleanupReport> {
    const report: CleanupReport = { deleted: [], alreadyGone: [], left: [], interrupted: false };
    const todo = this.pending().reverse();
    if (todo.some((r) => r.inFlight)) await sleep(this.o.settleMs ?? 3_000, signal);
    const main = todo.filter((r) => !r.goesWith);
    const dependants = todo.filter((r) => r.goesWith);
    for (const r of [...main, ...dependants]) {
      if (signal?.aborted) {
        report.interrupted = true;
        r.status = 'left';
        r.error = r.error ?? 'the clean-up was interrupted before it came to this object';
      } else {
        await this.cleanOne(r, signal);
      }
      const entry: CleanupEntry = { kind: r.kind, name: r.name, id: r.id, attempts: r.attempts, error: r.error, sweep: r.sweep, uncertain: r.uncertain };
      if (r.status === 'deleted') report.deleted.push(entry);
      else if (r.status === 'gone') report.alreadyGone.push(entry);
      else report.left.push({ ...entry, manual: r.manual });
    }
    return report;
  }

  private async cleanOne(r: Resource, signal?: AbortSignal): Promise<void> {
    let ids: string[];
    try {
      ids = r.id !== null ? [r.id] : r.find ? await r.find(signal) : [];
    } catch (e) {
      r.status = 'left';
      r.error = `could not look it up by name: ${errorText(e)}`;
      return;
    }
    if (ids.length === 0) {
      r.status = 'gone';
      return;
    }
    if (r.id === null && ids.length === 1) r.id = ids[0];
    const leftIds: string[] = [];
    let removedSome = false;
    for (const id of ids) {
      const outcome = await this.removeWithRetries(r, id, signal);
      if (outcome === 'left') leftIds.push(id);
      else if (outcome === 'deleted') removedSome = true;
    }
    if (leftIds.length) {
      r.status = 'left';
      if (ids.length > 1) r.id = leftIds.join(', ');
    } else {
      r.status = removedSome ? 'deleted' : 'gone';
    }
  }

  private async removeWithRetries(r: Resource, id: string, signal?: AbortSignal): Promise<'deleted' | 'gone' | 'left'> {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (signal?.aborted) {
        r.error = `interrupted after ${r.attempts} attempt(s)${r.error ? `; last error: ${r.error}` : ''}`;
        return 'left';
      }
      r.attempts += 1;
      let deleteSent = false;
      try {
        // gone already (e.g. a grant that went with its principal): nothing to delete
        if (r.exists && !(await r.exists(id, signal))) {
          r.error = undefined;
          return 'gone';
        }
        let removed = false;
        if (r.remove) {
          try {
            deleteSent = true;
            await r.remove(id, signal);
            removed = true;
          } catch (e) {
            if (!isNotFoundError(e)) throw e;
          }
        }
        if (r.exists && (await r.exists(id, signal))) {
          throw new Error(r.remove ? 'it still exists after the delete was accepted' : `it still exists after ${r.goesWith ?? 'the object it goes with'} was deleted`);
        }
        r.error = undefined;
        return removed ? 'deleted' : 'gone';
      } catch (e) {
        if (signal?.aborted && deleteSent) {
          // the delete may have reached the workspace before the stop: say so rather than guess
          r.uncertain = true;
          r.error = 'the clean-up was stopped while deleting it: it may be gone already, check';
          return 'left';
        }
        r.error = errorText(e);
        this.log(`clean-up: ${r.kind} ${r.name} (${id}): attempt ${attempt} of ${this.attempts} failed: ${r.error}`);
        // nothing to retry for an object we can only verify
        if (!r.remove) return 'left';
        if (attempt < this.attempts) await sleep(this.delays[Math.min(attempt - 1, this.delays.length - 1)] ?? 0, signal);
      }
    }
    return 'left';
  }
}
