/** An account's workspaces as fleet columns (from the Partners model's loads) and as bulk-action targets. */
import { describeWorkspaceFailure, explainFailure, notLoadable, readyWarning, type BulkTarget, type FleetColumn, type FleetWorkspace } from '../../domain';
import type { Services } from '../services';
import type { WorkspaceEntry } from '../workspaces/workspaceStore';
import { FleetWorkspaceError, accountWorkspaceName, type FleetModel } from './fleetModel';

export interface KeyedColumn {
  /** the tree's workspace name (for entries), or a synthetic key for workspaces that cannot be loaded */
  key: string;
  column: FleetColumn;
}

/** Every chosen workspace of the account, in the account's order; starts the loads not yet started. */
export function fleetColumns(s: Pick<Services, 'fleet' | 'model'>, account: string, o: { start?: boolean } = {}): KeyedColumn[] {
  return s.fleet.chosen(account).map((workspace): KeyedColumn => {
    const key = accountWorkspaceName(account, workspace);
    const skip = notLoadable(workspace);
    if (skip) return { key, column: { kind: 'failed', workspace, failure: skip } };
    const st = o.start === false ? s.model.peek(key) : s.model.state(key);
    if (!st || st.kind === 'loading') return { key, column: { kind: 'loading', workspace } };
    if (st.kind === 'ready') return { key, column: { kind: 'ready', workspace, snapshot: st.snapshot, warning: readyWarning(st.snapshot) } };
    return { key, column: { kind: 'failed', workspace, failure: st.error instanceof FleetWorkspaceError ? st.error.failure : describeWorkspaceFailure(st.error) } };
  });
}

/** The loaded workspaces where the account's identity is an admin: what bulk actions act on. */
export function bulkTargets(s: Pick<Services, 'fleet' | 'model'>, account: string): Array<BulkTarget & { column: Extract<FleetColumn, { kind: 'ready' }> }> {
  return fleetColumns(s, account)
    .filter((c): c is { key: string; column: Extract<FleetColumn, { kind: 'ready' }> } => c.column.kind === 'ready' && !c.column.warning)
    .map((c) => ({ key: c.key, workspace: c.column.workspace, column: c.column, context: () => s.model.engineContext(c.key) }));
}

/** The Partners model's error for an account's workspace: the fleet's reason (not assigned is checked with the account's assignments). */
export function accountLoadExplainer(fleet: FleetModel): (entry: WorkspaceEntry, error: unknown) => Promise<unknown> {
  return async (entry, error) => {
    if (entry.authType !== 'account') return error;
    const ws: FleetWorkspace = fleet.workspaceOf(entry) ?? { workspaceId: entry.workspaceId ?? '', name: entry.label ?? entry.name, host: entry.host, deploymentName: undefined, status: 'RUNNING', cloud: 'aws' };
    const failure = await explainFailure(ws, error, {
      identity: fleet.identity(entry.account),
      identityName: await fleet.identityName(entry.account),
      assignments: ws.workspaceId ? async (w) => (await fleet.client(entry.account)).listPermissionAssignments(w.workspaceId) : undefined,
    });
    return new FleetWorkspaceError(failure, { cause: error });
  };
}
