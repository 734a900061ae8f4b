/**
 * One `abort` listener per caller's AbortSignal, whatever the number of requests waiting on it.
 *
 * A caller typically hands one signal to a fan-out of parallel requests (state detection sends ~45
 * at once). Adding a listener per request to that signal makes Node warn
 * "MaxListenersExceededWarning: Possible EventTarget memory leak detected" past 10, and raising the
 * limit on a signal we do not own would only hide it. Instead the first waiter registers a single
 * listener that calls every current waiter; each waiter unregisters itself when done.
 */
const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts. Returns the function that stops waiting (call it in `finally`). */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    let live = true;
    queueMicrotask(() => live && fn());
    return () => {
      live = false;
    };
  }
  let set = waiters.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    waiters.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        waiters.delete(signal);
        for (const f of [...fresh]) f();
        fresh.clear();
      },
      { once: true },
    );
    set = fresh;
  }
  const entry = (): void => fn();
  set.add(entry);
  const own = set;
  return () => {
    own.delete(entry);
  };
}
