/**
 * The workspaces of an account as the fleet sees them, and why a workspace could not be loaded.
 *
 * A workspace is loaded only when it is RUNNING and has a URL (from its deployment name). Every
 * failure is explained in words an account admin can act on: the account's principal is not
 * assigned to the workspace, or not a workspace admin there, the CLI has no login for it, the
 * workspace is behind a failing gateway, unreachable, or slow.
 */
import type { AccountWorkspace, PermissionAssignment } from '../../client/account/accountClient';
import { workspaceUrlFor, type AccountCloud } from '../../client/account/hosts';
import { AuthConfigError, NetworkError, RequestTimeoutError, UnexpectedResponseError } from '../../client/errors';
import type { WorkspaceSnapshot } from '../state/types';
import { displayNameFilters, errorStatus, isPermissionDenied } from '../util';

export interface FleetWorkspace {
  /** the account's workspace id (digits) */
  workspaceId: string;
  name: string;
  /** the workspace URL, or undefined (not provisioned, no deployment name) */
  host: string | undefined;
  deploymentName: string | undefined;
  /** NOT_PROVISIONED, PROVISIONING, RUNNING, FAILED, BANNED, CANCELLING; 'RUNNING' for workspaces added by URL */
  status: string;
  statusMessage?: string;
  region?: string;
  cloud: AccountCloud;
  /** added by URL (the account's list did not name it) */
  addedByUrl?: boolean;
}

export type FleetFailureCode = 'not-running' | 'no-url' | 'not-assigned' | 'sign-in' | 'not-admin' | 'gateway' | 'unreachable' | 'timeout' | 'error';

export interface FleetFailure {
  code: FleetFailureCode;
  /** one line, what to do included */
  message: string;
}

/** A workspace's column in the fleet: loading, loaded (perhaps with a warning), or failed with a reason. */
export type FleetColumn =
  | { kind: 'pending'; workspace: FleetWorkspace }
  | { kind: 'loading'; workspace: FleetWorkspace }
  | { kind: 'ready'; workspace: FleetWorkspace; snapshot: WorkspaceSnapshot; warning: FleetFailure | null }
  | { kind: 'failed'; workspace: FleetWorkspace; failure: FleetFailure };

/** The account's list → fleet workspaces (sorted by name), each with its URL. */
export function fleetWorkspacesOf(accountsHost: string, cloud: AccountCloud, list: readonly AccountWorkspace[]): FleetWorkspace[] {
  return list
    .map(
      (w): FleetWorkspace => ({
        workspaceId: w.workspace_id,
        name: w.workspace_name || w.deployment_name || w.workspace_id,
        host: workspaceUrlFor(accountsHost, w.deployment_name),
        deploymentName: w.deployment_name,
        status: w.workspace_status ?? 'RUNNING',
        statusMessage: w.workspace_status_message,
        region: w.aws_region ?? w.location,
        cloud,
      }),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Why a workspace is not even tried: not running, or no URL. */
export function notLoadable(ws: FleetWorkspace): FleetFailure | null {
  if (ws.status !== 'RUNNING') {
    return { code: 'not-running', message: `The workspace is ${ws.status.toLowerCase().replace(/_/g, ' ')}${ws.statusMessage ? ` (${ws.statusMessage})` : ''}: it is loaded once it is running.` };
  }
  if (!ws.host) return { code: 'no-url', message: 'The account lists no deployment name for this workspace, so its URL is unknown. Add it by URL.' };
  return null;
}

/** A principal as the account console lists it: its name, then its id; the id alone when it has no other name. */
export function nameAndId(name: string | null | undefined, id: string): string {
  return name && name !== id ? `${name} (${id})` : id;
}

/** A loaded workspace where the account's identity is not a workspace admin: shown, with the reason, but not acted on. */
export function readyWarning(snapshot: WorkspaceSnapshot): FleetFailure | null {
  if (snapshot.identity.isWorkspaceAdmin) return null;
  // a service principal's SCIM user name is its application id: its name first, as the account console shows it
  const who = nameAndId(snapshot.identity.displayName, snapshot.identity.userName);
  return {
    code: 'not-admin',
    message: `${who} is not a workspace admin here: states may be incomplete (${snapshot.limitations.length} read(s) refused) and bulk actions skip this workspace. Add it to the workspace's admins group.`,
  };
}

/**
 * The reason a workspace failed to load. `assignments` (the account's permission assignments of the
 * workspace, read only after a refused sign-in) tells "not assigned" from "secret refused".
 */
export function describeWorkspaceFailure(
  error: unknown,
  /** identity: what the assignments name (an application id); identityName: the identity in words (a principal's name and id) */
  o: { identity?: string; identityName?: string; assignments?: PermissionAssignment[] | null; host?: string } = {},
): FleetFailure {
  const who = o.identityName ?? o.identity ?? 'The account identity';
  if (error instanceof AuthConfigError) {
    if (error.code === 'OAUTH_FAILED') {
      if (o.assignments) {
        const mine = o.assignments.find((a) => a.principal?.service_principal_name === o.identity || a.principal?.user_name === o.identity);
        if (!mine) {
          return { code: 'not-assigned', message: `${who} is not assigned to this workspace, so it cannot sign in. Assign it in the account console (Workspaces → Permissions) as an admin.` };
        }
        return { code: 'sign-in', message: `${who} is assigned (${mine.permissions.join(', ') || 'no permission'}) but the workspace refused its OAuth client credentials. Check the secret and the workspace's identity federation.` };
      }
      return { code: 'not-assigned', message: `The workspace refused the OAuth client credentials of ${who}: it is probably not assigned to this workspace. Assign it in the account console (Workspaces → Permissions).` };
    }
    if (error.code === 'CLI_FAILED' || error.code === 'CLI_OUTPUT_INVALID') {
      return { code: 'sign-in', message: `The Databricks CLI has no sign-in for this workspace (the CLI keeps one per workspace): run "databricks auth login --host ${o.host ?? '<workspace URL>'}".` };
    }
    return { code: 'sign-in', message: error.message };
  }
  const status = errorStatus(error);
  if (error instanceof UnexpectedResponseError && (error.reason === 'html' || error.reason === 'redirect')) {
    return { code: 'gateway', message: `The workspace answered HTTP ${error.status} with ${error.reason === 'html' ? 'an HTML page' : 'a redirect'} instead of its API (a gateway, proxy or sign-in page). Check the workspace URL and network access.` };
  }
  if (status !== undefined && status >= 500 && /HTML page/i.test(error instanceof Error ? error.message : '')) {
    return { code: 'gateway', message: `The workspace answered HTTP ${status} with an HTML page (a gateway or proxy, not the workspace API). Try again later; check network access.` };
  }
  if (status === 401) return { code: 'sign-in', message: `The workspace refused the credentials of ${who} (401). Sign in again.` };
  if (isPermissionDenied(error)) return { code: 'not-admin', message: `${who} may not read this workspace (403): add it to the workspace's admins group.` };
  if (error instanceof RequestTimeoutError) return { code: 'timeout', message: `The workspace did not answer in time (${error.message}). Try again; raise partnerConnect.requestTimeoutSeconds for slow networks.` };
  if (error instanceof NetworkError) return { code: 'unreachable', message: `The workspace cannot be reached: ${error.message}` };
  if (status !== undefined && status >= 500) return { code: 'error', message: `The workspace failed with HTTP ${status}: ${firstLine(error)}` };
  return { code: 'error', message: firstLine(error) };
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0] ?? m;
}

/**
 * SCIM filters that find every catalog partner's `<PARTNER>_USER` principal of an account: the same
 * filters a workspace is asked (domain/util.ts `displayNameFilters`) — one call for the built-in catalog.
 */
export function partnerPrincipalFilters(principalNames: readonly string[]): string[] {
  return displayNameFilters([...new Set(principalNames)]);
}
