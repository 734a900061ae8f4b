/**
 * Refreshing every workspace of a fleet: each workspace is one `detectConnectionStates` (reading
 * only the records its folder listing names: about half the requests of a single-workspace
 * detection, for a round more — and with the workspace's record cache, once warm, only the records
 * that changed, in as many rounds as a single workspace; each workspace on its own keep-alive
 * connections), with at most `concurrency` workspaces
 * in flight and a new one starting as soon as any finishes — a slow or failing workspace holds one
 * slot, never the others. Columns are reported as they arrive; a failure is that workspace's only.
 */
import type { WorkspaceClient } from '../../client/api';
import type { PermissionAssignment } from '../../client/account/accountClient';
import type { PartnerCatalog } from '../partners/catalog';
import { detectConnectionStates } from '../state/detect';
import type { RecordCache } from '../record/cache';
import type { WorkspaceSnapshot } from '../state/types';
import { mapBounded } from './bounded';
import { describeWorkspaceFailure, notLoadable, readyWarning, type FleetColumn, type FleetWorkspace } from './workspaces';

/**
 * Every workspace of a fleet of 100 at once: with fewer, the last ones start only when others end and
 * wait out their rounds alone (64 at once: ~8 % slower at 100 workspaces). Each workspace keeps its own
 * keep-alive connections whatever the bound, so the bound does not change how many sockets stay open.
 */
export const DEFAULT_REFRESH_CONCURRENCY = 100;

export interface FleetTarget {
  workspace: FleetWorkspace;
  /** the workspace's client; its own token is minted on first use */
  client(): Promise<WorkspaceClient>;
  /** the workspace's records from earlier refreshes, read again only where they changed (record/cache.ts) */
  recordCache?: RecordCache;
}

export interface RefreshFleetOptions {
  concurrency?: number;
  signal?: AbortSignal;
  recordFolder?: string;
  /** every column as it arrives (loading first, then ready or failed) */
  onColumn?: (c: FleetColumn) => void;
  /** the account identity (applicationId or user name), as the permission assignments name it */
  identity?: string;
  /** the identity in the failure messages (a service principal's name and application id); default `identity` */
  identityName?: string;
  /** how records are read (detectConnectionStates `records`); default 'listed': half the requests, a round more */
  records?: 'each' | 'listed';
  /** after a refused sign-in: the workspace's permission assignments (null when they cannot be read) */
  assignments?: (ws: FleetWorkspace) => Promise<PermissionAssignment[] | null>;
}

export interface FleetRefreshResult {
  columns: FleetColumn[];
  ms: number;
}

/** One workspace: its snapshot, or the reason it has none. Never rejects (cancellation aside). */
export async function loadFleetColumn(target: FleetTarget, catalog: PartnerCatalog, o: RefreshFleetOptions = {}): Promise<FleetColumn> {
  const ws = target.workspace;
  const skip = notLoadable(ws);
  if (skip) return { kind: 'failed', workspace: ws, failure: skip };
  let snapshot: WorkspaceSnapshot;
  try {
    const client = await target.client();
    snapshot = await detectConnectionStates(client, catalog, { recordFolder: o.recordFolder, signal: o.signal, records: o.records ?? 'listed', recordCache: target.recordCache });
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return { kind: 'failed', workspace: ws, failure: await explainFailure(ws, e, o) };
  }
  return { kind: 'ready', workspace: ws, snapshot, warning: readyWarning(snapshot) };
}

/** The failure, explained with the workspace's permission assignments when the sign-in was refused. */
export async function explainFailure(ws: FleetWorkspace, error: unknown, o: Pick<RefreshFleetOptions, 'identity' | 'identityName' | 'assignments'> = {}): Promise<ReturnType<typeof describeWorkspaceFailure>> {
  const refused = (error as { code?: unknown } | null)?.code === 'OAUTH_FAILED';
  const assignments = refused && o.assignments ? await o.assignments(ws).catch(() => null) : null;
  return describeWorkspaceFailure(error, { identity: o.identity, identityName: o.identityName, assignments, host: ws.host });
}

export async function refreshFleet(targets: readonly FleetTarget[], catalog: PartnerCatalog, o: RefreshFleetOptions = {}): Promise<FleetRefreshResult> {
  const t0 = Date.now();
  const outcomes = await mapBounded(
    targets,
    async (t) => {
      const c = await loadFleetColumn(t, catalog, o);
      o.onColumn?.(c);
      return c;
    },
    {
      limit: o.concurrency ?? DEFAULT_REFRESH_CONCURRENCY,
      signal: o.signal,
      onStart: (t) => o.onColumn?.({ kind: 'loading', workspace: t.workspace }),
    },
  );
  const columns = outcomes.map((r): FleetColumn => {
    if (r.status === 'done') return r.value;
    if (r.status === 'cancelled') return { kind: 'pending', workspace: r.item.workspace };
    return { kind: 'failed', workspace: r.item.workspace, failure: describeWorkspaceFailure(r.error) };
  });
  return { columns, ms: Date.now() - t0 };
}
