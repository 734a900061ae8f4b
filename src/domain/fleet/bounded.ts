/**
 * Bounded parallelism without head-of-line blocking: at most `limit` tasks run at once, a new one
 * starts the moment any finishes (a slow task holds one slot, never a whole batch), results are
 * reported as they arrive. Each task's failure is its own: it never stops the others. After
 * `signal` aborts, no task starts (they are reported `cancelled`); running ones get the signal.
 */
import { CancelledError, isCancellation } from '../../client/errors';

export type TaskOutcome<T, R> =
  | { item: T; index: number; status: 'done'; value: R; ms: number }
  | { item: T; index: number; status: 'failed'; error: unknown; ms: number }
  /** not started (ms 0), or stopped by the cancellation (`error`: how the task ended, e.g. its rollback) */
  | { item: T; index: number; status: 'cancelled'; ms: number; error?: unknown };

export interface BoundedOptions<T, R> {
  limit: number;
  signal?: AbortSignal;
  /** called once per item, in completion order */
  onSettled?: (o: TaskOutcome<T, R>) => void;
  /** called when an item starts */
  onStart?: (item: T, index: number) => void;
}

/** Runs `fn` over `items` with at most `limit` at a time; resolves with every outcome in item order. */
export async function mapBounded<T, R>(items: readonly T[], fn: (item: T, signal: AbortSignal | undefined, index: number) => Promise<R>, o: BoundedOptions<T, R>): Promise<TaskOutcome<T, R>[]> {
  const limit = Math.max(1, Math.floor(o.limit));
  const out: TaskOutcome<T, R>[] = new Array(items.length);
  let next = 0;
  const settle = (r: TaskOutcome<T, R>): void => {
    out[r.index] = r;
    o.onSettled?.(r);
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      const item = items[index];
      if (o.signal?.aborted) {
        settle({ item, index, status: 'cancelled', ms: 0 });
        continue;
      }
      o.onStart?.(item, index);
      const t0 = Date.now();
      try {
        const value = await fn(item, o.signal, index);
        settle({ item, index, status: 'done', value, ms: Date.now() - t0 });
      } catch (error) {
        const ms = Date.now() - t0;
        settle(o.signal?.aborted && isCancellation(error) ? { item, index, status: 'cancelled', ms, error } : { item, index, status: 'failed', error, ms });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A shared limit for work that is started from many places (e.g. workspace loads started by the
 * tree, the matrix and a refresh): `run` waits for a free slot, first come first served.
 */
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  get running(): number {
    return this.active;
  }
  get waiting(): number {
    return this.queue.length;
  }

  async run<R>(fn: () => Promise<R>, signal?: AbortSignal): Promise<R> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      if (signal?.aborted) throw abortReason(signal);
      // Wait for a slot; a finishing task hands its slot over directly (the count never exceeds the limit).
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.queue.indexOf(go);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortReason(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.queue.push(go);
      });
    }
    try {
      return await fn();
    } finally {
      const handOver = this.queue.shift();
      if (handOver) handOver();
      else this.active--;
    }
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new CancelledError('The operation');
}
