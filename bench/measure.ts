/** Timing loops (bounded in count and time), percentiles, and what the request log says. */
import type { LoggedRequest } from './protocol';
import type { RemoteEmulator } from './remoteEmulator';

export interface LoopLimits {
  /** runs after the warm-up run */
  maxRuns: number;
  /** at least this many runs even when over budget */
  minRuns: number;
  /** stop starting new runs after this long (ms, warm-up included) */
  budgetMs: number;
  /** one untimed run first (default true); its time is reported as coldMs */
  warmup?: boolean;
}

export interface RunTrace {
  ms: number;
  /** CPU time of this process during the run (client + emulator worker threads), ms */
  cpuMs: number;
  requests: LoggedRequest[];
}

export interface Summary {
  runs: number;
  coldMs: number | null;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** median CPU ms per run of this process (client + emulator threads): unlike wall time, hardly
   * affected by other programs competing for the machine's cores */
  cpuMs: number;
  /** HTTP requests the emulator received in one run (median over runs) */
  requests: number;
  /** sequential request rounds seen by the server (needs injected latency; null without) */
  rounds: number | null;
  /** most requests in one round (the parallelism actually achieved) */
  widestRound: number | null;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Groups the requests of one run into sequential rounds by arrival time: with a latency of D ms
 * injected on every route, a request that had to wait for an earlier answer arrives at least D ms
 * after it, while requests sent together arrive close to each other. A new round starts where the
 * gap between two consecutive arrivals is ≥ 0.6·D (gaps, not distance from a round's start, so a
 * wide round whose requests trickle in on a busy machine is still one round).
 */
export function rounds(requests: readonly LoggedRequest[], latencyMs: number): { rounds: number; widest: number } | null {
  if (latencyMs <= 0 || requests.length === 0) return null;
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  const sizes: number[] = [];
  let size = 0;
  for (let i = 0; i < at.length; i++) {
    if (i > 0 && at[i] - at[i - 1] >= 0.6 * latencyMs) {
      sizes.push(size);
      size = 0;
    }
    size += 1;
  }
  sizes.push(size);
  return { rounds: sizes.length, widest: Math.max(...sizes) };
}

/**
 * Runs `fn` (optionally after `before`, untimed) until maxRuns or the time budget is used up.
 * Each run's requests are read from the emulator(s) after it.
 */
export async function loop(
  emus: readonly RemoteEmulator[],
  limits: LoopLimits,
  fn: () => Promise<void>,
  before?: () => Promise<void>,
): Promise<{ summary: Summary; traces: RunTrace[] }> {
  const started = Date.now();
  const traces: RunTrace[] = [];
  let coldMs: number | null = null;
  const one = async (): Promise<RunTrace> => {
    if (before) await before();
    for (const e of emus) await e.takeRequests();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const requests: LoggedRequest[] = [];
    for (const e of emus) requests.push(...(await e.takeRequests()));
    return { ms, cpuMs: (c.user + c.system) / 1000, requests };
  };
  if (limits.warmup !== false) coldMs = (await one()).ms;
  while (traces.length < limits.maxRuns && (traces.length < limits.minRuns || Date.now() - started < limits.budgetMs)) {
    traces.push(await one());
  }
  return { summary: summarize(traces, coldMs, emus.length === 1 ? emus[0].latencyMs : 0), traces };
}

export function summarize(traces: readonly RunTrace[], coldMs: number | null, latencyMs: number): Summary {
  const ms = traces.map((t) => t.ms).sort((a, b) => a - b);
  const r = traces.map((t) => rounds(t.requests, latencyMs)).filter((x): x is { rounds: number; widest: number } => x !== null);
  return {
    runs: traces.length,
    coldMs,
    medianMs: median(ms),
    p95Ms: percentile(ms, 95),
    minMs: ms[0] ?? NaN,
    maxMs: ms[ms.length - 1] ?? NaN,
    cpuMs: median(traces.map((t) => t.cpuMs)),
    requests: median(traces.map((t) => t.requests.length)),
    rounds: r.length ? median(r.map((x) => x.rounds)) : null,
    widestRound: r.length ? median(r.map((x) => x.widest)) : null,
  };
}
