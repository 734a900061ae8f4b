/**
 * The machinery every bulk action shares: one preview of what will happen in each workspace,
 * then — after the caller's one confirmation — a run over the workspaces that are ready, with
 * bounded parallelism, cancellation (no workspace starts after it; running ones get the signal and
 * roll back or stop where the single-workspace operation does), per-workspace progress, and a
 * result that says exactly what happened where: done, failed (and what was left behind), skipped
 * (and why), cancelled.
 */
import type { EngineContext } from '../context';
import { ConnectRolledBackError, DisconnectIncompleteError, DomainError, RollbackIncompleteError, describeCause, describeResource, type ResourceRef } from '../errors';
import { isCancellation } from '../../client/errors';
import { mapBounded } from './bounded';
import type { FleetWorkspace } from './workspaces';

/** Mutations: a few workspaces at a time (each runs many requests of its own). */
export const DEFAULT_BULK_CONCURRENCY = 4;

export type BulkActionKind = 'connect' | 'rotate' | 'offboard';

/** A workspace a bulk action may act on. */
export interface BulkTarget {
  /** the caller's key for the workspace (the tree's workspace name) */
  key: string;
  workspace: Pick<FleetWorkspace, 'name' | 'host' | 'workspaceId'>;
  context(): Promise<EngineContext>;
}

export interface BulkPreviewItem<P> {
  key: string;
  workspace: string;
  host: string | null;
  /** ready: will run; skip: will not, `reason` says why */
  status: 'ready' | 'skip';
  reason: string | null;
  /** what will happen there, in words (deletions named with their ids) */
  lines: string[];
  /** what the run needs (not shown) */
  payload: P | null;
}

export interface BulkPreview<P> {
  action: BulkActionKind;
  title: string;
  items: BulkPreviewItem<P>[];
  /** lines that concern the whole action (e.g. account-level principals that stay) */
  notes: string[];
}

export type BulkItemStatus = 'done' | 'partly' | 'failed' | 'skipped' | 'cancelled';

export interface BulkResultItem {
  key: string;
  workspace: string;
  host: string | null;
  status: BulkItemStatus;
  /** one line: what happened */
  message: string;
  /** what was done / what went wrong, line by line */
  details: string[];
  /** resources left behind that need a hand (named precisely) */
  leftovers: ResourceRef[];
  ms: number;
}

export interface BulkReport {
  action: BulkActionKind;
  title: string;
  startedAt: string;
  finishedAt: string;
  items: BulkResultItem[];
  counts: Record<BulkItemStatus, number>;
  cancelled: boolean;
}

export type BulkPhase = 'queued' | 'running' | BulkItemStatus;

export interface BulkProgress {
  key: string;
  phase: BulkPhase;
  message: string;
}

export interface BulkRunOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: BulkProgress) => void;
}

/** What one workspace's run returns when it does not throw. */
export interface BulkItemOutcome {
  /** failed: the run ended without throwing but nothing succeeded (e.g. every partner of a workspace) */
  status: 'done' | 'partly' | 'failed';
  message: string;
  details: string[];
  leftovers?: ResourceRef[];
}

export async function runBulk<P>(
  preview: BulkPreview<P>,
  targets: readonly BulkTarget[],
  run: (ctx: EngineContext, payload: P, signal: AbortSignal | undefined, step: (message: string) => void, target: BulkTarget) => Promise<BulkItemOutcome>,
  o: BulkRunOptions = {},
): Promise<BulkReport> {
  const startedAt = new Date().toISOString();
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const items: BulkResultItem[] = [];
  const ready = preview.items.filter((i) => i.status === 'ready' && i.payload !== null && byKey.has(i.key));
  for (const i of preview.items) {
    if (ready.includes(i)) {
      o.onProgress?.({ key: i.key, phase: 'queued', message: 'waiting' });
      continue;
    }
    const reason = i.reason ?? (byKey.has(i.key) ? 'nothing to do' : 'the workspace is no longer available');
    items.push({ key: i.key, workspace: i.workspace, host: i.host, status: 'skipped', message: reason, details: [], leftovers: [], ms: 0 });
    o.onProgress?.({ key: i.key, phase: 'skipped', message: reason });
  }
  const outcomes = await mapBounded(
    ready,
    async (item, signal) => {
      const target = byKey.get(item.key)!;
      const step = (message: string): void => o.onProgress?.({ key: item.key, phase: 'running', message });
      step('starting');
      const ctx = await target.context();
      return run(ctx, item.payload as P, signal, step, target);
    },
    { limit: o.concurrency ?? DEFAULT_BULK_CONCURRENCY, signal: o.signal },
  );
  for (const r of outcomes) {
    const base = { key: r.item.key, workspace: r.item.workspace, host: r.item.host, ms: r.ms };
    let res: BulkResultItem;
    if (r.status === 'done') {
      res = { ...base, status: r.value.status, message: r.value.message, details: r.value.details, leftovers: r.value.leftovers ?? [] };
    } else if (r.status === 'cancelled') {
      res = r.error !== undefined ? { ...base, ...describeBulkFailure(r.error) } : { ...base, status: 'cancelled', message: 'not started: the action was cancelled', details: [], leftovers: [] };
    } else {
      res = { ...base, ...describeBulkFailure(r.error) };
    }
    items.push(res);
    o.onProgress?.({ key: res.key, phase: res.status, message: res.message });
  }
  const order = new Map(preview.items.map((i, n) => [i.key, n]));
  items.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  const counts: Record<BulkItemStatus, number> = { done: 0, partly: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const i of items) counts[i.status] += 1;
  return { action: preview.action, title: preview.title, startedAt, finishedAt: new Date().toISOString(), items, counts, cancelled: !!o.signal?.aborted };
}

/** A failed workspace: what failed, what was undone, what is left behind. */
export function describeBulkFailure(e: unknown): Pick<BulkResultItem, 'status' | 'message' | 'details' | 'leftovers'> {
  if (e instanceof ConnectRolledBackError) {
    const cancelled = isCancellation(e);
    return {
      status: cancelled ? 'cancelled' : 'failed',
      message: cancelled ? `cancelled at "${e.failedStep}"; rolled back` : e.message,
      details: [
        ...(e.rolledBack.length ? [`removed again: ${e.rolledBack.map(describeResource).join(', ')}`] : ['nothing had been created']),
        ...(cancelled ? [] : [e.action]),
      ],
      leftovers: [],
    };
  }
  if (e instanceof RollbackIncompleteError) {
    return { status: 'failed', message: e.message, details: [e.action, ...(e.rolledBack.length ? [`removed again: ${e.rolledBack.map(describeResource).join(', ')}`] : [])], leftovers: e.leftovers };
  }
  if (e instanceof DisconnectIncompleteError) {
    return { status: 'failed', message: e.message, details: [`done: ${e.done.map(describeResource).join(', ') || 'nothing'}`, e.action], leftovers: e.remaining };
  }
  if (e instanceof DomainError) return { status: 'failed', message: e.message, details: [e.action], leftovers: [] };
  if (isCancellation(e)) return { status: 'cancelled', message: 'cancelled while running', details: [], leftovers: [] };
  return { status: 'failed', message: describeCause(e), details: [], leftovers: [] };
}

