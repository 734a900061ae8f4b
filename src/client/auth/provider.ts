/** What the workspace client needs from an authentication method. */
import type { AuthConfig } from '../api';
import { CancelledError } from '../errors';
import { onAbort } from '../http/abort';

export interface AuthProvider {
  readonly type: AuthConfig['type'];
  /** Headers to add to a workspace request (Authorization). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Forget cached credentials after a 401; true when fetching new ones may help. */
  invalidate(): Promise<boolean>;
  /** Secret values in use (static and fetched), for redaction. */
  secrets(): string[];
}

/** Resolves like `p`, but rejects with CancelledError as soon as `signal` aborts (p keeps running). */
export function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined, what?: string): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new CancelledError(what));
  return new Promise<T>((resolve, reject) => {
    const stopWaiting = onAbort(signal, () => reject(new CancelledError(what)));
    p.then(
      (v) => {
        stopWaiting();
        resolve(v);
      },
      (e: unknown) => {
        stopWaiting();
        reject(e);
      },
    );
  });
}

/**
 * A cached, single-flight access token: concurrent callers share one fetch; the token is refreshed
 * `min(60 s, lifetime / 2)` before it expires.
 */
export class TokenCache {
  private token: { value: string; expiresAt: number; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly seen = new Set<string>();

  constructor(
    private readonly fetchToken: () => Promise<{ value: string; expiresAt: number | undefined }>,
    private readonly now: () => number,
    /** Lifetime assumed when the source gives no expiry. */
    private readonly defaultTtlMs: number,
    private readonly maxMarginMs = 60_000,
  ) {}

  get(signal?: AbortSignal, what?: string): Promise<string> {
    const t = this.token;
    if (t && this.now() < t.refreshAt) return Promise.resolve(t.value);
    if (!this.pending) {
      const started = this.now();
      this.pending = this.fetchToken()
        .then(({ value, expiresAt }) => {
          const exp = expiresAt ?? started + this.defaultTtlMs;
          const ttl = Math.max(0, exp - started);
          this.token = { value, expiresAt: exp, refreshAt: exp - Math.min(this.maxMarginMs, ttl / 2) };
          this.seen.add(value);
          return value;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return raceSignal(this.pending, signal, what);
  }

  invalidate(): void {
    this.token = undefined;
  }

  /** Every token value this cache has handed out (kept for redaction). */
  values(): string[] {
    return [...this.seen];
  }
}
