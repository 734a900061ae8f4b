/**
 * Pre-flight while the connect form is being filled in (issue 14 item 4): typing costs no request per
 * keystroke.
 *
 * - Debounced: a pre-flight starts only after the choices stayed the same for `delayMs`; every ask
 *   before that replaces the previous one, which resolves with `undefined` (superseded).
 * - Cancelled: a newer ask aborts the pre-flight still running (its requests are aborted through
 *   the signal; it resolves with `undefined`).
 * - Cached for the form's lifetime: the same choices asked again (typing a name back, re-opening a
 *   select) are answered from the result of the first pre-flight, without a request. The data a
 *   pre-flight reads can change only through a change this extension makes (a connect attempt from
 *   the form, a refresh of the workspace) or through another admin at the same time: the host calls
 *   `invalidate()` on the first, and the second is what connect's own pre-flight and its record
 *   claim are for - a connect never relies on a cached answer (connect() runs its pre-flight again).
 *
 * No `vscode` here: the host (src/vscode/webviews/connectPanel.ts) owns one per form.
 */
export interface TypingPreflightOptions<C, R> {
  /** The pre-flight itself (requests must honour the signal). */
  run: (choices: C, signal: AbortSignal) => Promise<R>;
  /** Equal choices give equal keys (the cache key). */
  key: (choices: C) => string;
  /** Quiet time before a pre-flight starts (default 300 ms). */
  delayMs?: number;
  /** For tests: the timer functions. */
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
}

export interface TypingPreflightStats {
  asks: number;
  /** pre-flights started (each is one wave of requests) */
  runs: number;
  /** asks answered from the cache */
  cached: number;
  /** asks replaced before their pre-flight started */
  superseded: number;
  /** pre-flights aborted while running */
  aborted: number;
}

export interface TypingPreflightAnswer<R> {
  result: R;
  /** answered from the cache (no request) */
  cached: boolean;
}

interface Pending<C, R> {
  choices: C;
  key: string;
  resolve: (a: TypingPreflightAnswer<R> | undefined) => void;
  reject: (e: unknown) => void;
}

export class TypingPreflight<C, R> {
  readonly stats: TypingPreflightStats = { asks: 0, runs: 0, cached: 0, superseded: 0, aborted: 0 };
  private readonly cache = new Map<string, R>();
  private readonly delayMs: number;
  private readonly timers: NonNullable<TypingPreflightOptions<C, R>['timers']>;
  private timer: unknown;
  private waiting: Pending<C, R> | undefined;
  private running: { controller: AbortController; pending: Pending<C, R> } | undefined;
  /** bumped by invalidate(): a pre-flight that started before is not cached */
  private generation = 0;
  private disposed = false;

  constructor(private readonly opts: TypingPreflightOptions<C, R>) {
    this.delayMs = opts.delayMs ?? 300;
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /** The pre-flight answer for `choices`, or undefined when a newer ask (or dispose) replaced this one. */
  ask(choices: C): Promise<TypingPreflightAnswer<R> | undefined> {
    this.stats.asks += 1;
    this.supersede();
    if (this.disposed) return Promise.resolve(undefined);
    const key = this.opts.key(choices);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.stats.cached += 1;
      return Promise.resolve({ result: hit, cached: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { choices, key, resolve, reject };
      this.timer = this.timers.setTimeout(() => this.start(), this.delayMs);
    });
  }

  /** Forgets every cached answer (after a change this extension made, or a refresh). */
  invalidate(): void {
    this.cache.clear();
    this.generation += 1;
  }

  /** Cancels what waits or runs; later asks resolve with undefined. */
  dispose(): void {
    this.supersede();
    this.disposed = true;
    this.cache.clear();
  }

  private supersede(): void {
    if (this.waiting) {
      this.timers.clearTimeout(this.timer);
      this.stats.superseded += 1;
      this.waiting.resolve(undefined);
      this.waiting = undefined;
    }
    if (this.running) {
      this.stats.aborted += 1;
      this.running.controller.abort();
      this.running.pending.resolve(undefined);
      this.running = undefined;
    }
  }

  private start(): void {
    const pending = this.waiting;
    if (!pending) return;
    this.waiting = undefined;
    const controller = new AbortController();
    const run = { controller, pending };
    this.running = run;
    const gen = this.generation;
    this.stats.runs += 1;
    this.opts.run(pending.choices, controller.signal).then(
      (result) => {
        if (this.running !== run) return; // superseded: already resolved with undefined
        this.running = undefined;
        if (gen === this.generation && !this.disposed) this.cache.set(pending.key, result);
        pending.resolve({ result, cached: false });
      },
      (e: unknown) => {
        if (this.running !== run) return;
        this.running = undefined;
        pending.reject(e);
      },
    );
  }
}
