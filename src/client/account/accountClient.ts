/**
 * The Databricks account client: the account APIs the fleet view needs, on the same transport
 * (keep-alive, proxy, CA, retries, redaction) as the workspace client.
 *
 * - `listWorkspaces` — `GET /api/2.0/accounts/{account_id}/workspaces` (one call, not paged); each
 *   workspace's URL comes from its `deployment_name` (./hosts.ts). On Azure the endpoint is known to
 *   fail for some accounts and credentials (404 "Endpoint not found", an HTML login page): those
 *   failures are reported as `WorkspaceListUnavailableError`, so the caller can offer adding
 *   workspaces by URL or the Azure Resource Manager listing instead.
 * - `listServicePrincipals` — account SCIM with a server-side filter, one page of up to 10 000
 *   (an account holds at most 10 000 users and service principals together).
 * - `listPermissionAssignments` — who is assigned to a workspace (used to explain a refused sign-in).
 */
import type { CallOptions, WorkspaceClientOptions } from '../api';
import { CLIENT_NAME, CLIENT_VERSION } from '../workspaceClient';
import { DatabricksApiError, DatabricksClientError, UnexpectedResponseError } from '../errors';
import { buildUserAgent, createHttpTransport } from '../http/transport';
import { collect, scimPages } from '../paging';
import { accountAuthProvider, type AccountAuthConfig } from './accountAuth';
import { cloudOfAccountsHost, normaliseAccountsHost, workspaceUrlFor, type AccountCloud } from './hosts';
import type { AuthProvider } from '../auth/provider';
import {
  AccountServicePrincipalList,
  AccountWorkspace,
  ListAccountWorkspacesResponse,
  PermissionAssignments,
  type AccountServicePrincipal,
  type PermissionAssignment,
} from './schemas';

export type { AccountWorkspace, AccountServicePrincipal, PermissionAssignment };

export interface AccountClientOptions extends Omit<WorkspaceClientOptions, 'host' | 'auth' | 'statementPoll'> {
  /** an accounts host, e.g. https://accounts.cloud.databricks.com */
  host: string;
  accountId: string;
  auth: AccountAuthConfig;
  /** overrides the cloud inferred from the host */
  cloud?: AccountCloud;
}

export interface AccountClient {
  readonly host: string;
  readonly accountId: string;
  readonly cloud: AccountCloud;
  readonly authType: AccountAuthConfig['type'];
  listWorkspaces(o?: CallOptions): Promise<AccountWorkspace[]>;
  getWorkspace(workspaceId: string, o?: CallOptions): Promise<AccountWorkspace>;
  /** Account SCIM service principals matching a filter (all pages). */
  listServicePrincipals(q?: { filter?: string; attributes?: string }, o?: CallOptions): Promise<AccountServicePrincipal[]>;
  listPermissionAssignments(workspaceId: string, o?: CallOptions): Promise<PermissionAssignment[]>;
  /** The workspace's URL from its deployment name, or undefined. */
  workspaceUrl(ws: Pick<AccountWorkspace, 'deployment_name'>): string | undefined;
  close(): Promise<void>;
}

/** The account's workspace list cannot be read here (Azure accounts, mostly): find the workspaces another way. */
export class WorkspaceListUnavailableError extends DatabricksClientError {
  constructor(
    message: string,
    readonly cloud: AccountCloud,
    readonly status: number,
  ) {
    super(message);
  }
}

const ACCOUNT_SCIM_PAGE = 10_000;

export function createAccountClient(options: AccountClientOptions): AccountClient {
  const host = normaliseAccountsHost(options.host);
  const accountId = options.accountId.trim();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(accountId)) {
    throw new DatabricksClientError(`"${accountId}" is not a Databricks account id (a UUID, shown in the account console under your user menu).`);
  }
  const cloud = options.cloud ?? cloudOfAccountsHost(host);
  const product = options.product ?? { name: CLIENT_NAME, version: CLIENT_VERSION };
  let provider: AuthProvider | undefined;
  const transport = createHttpTransport({
    userAgent: buildUserAgent(product, `account-${options.auth.type}`),
    timeoutMs: options.timeoutMs,
    ca: options.ca,
    env: options.env,
    network: options.network,
    retry: options.retry,
    logger: options.logger,
    secrets: () => (provider ? provider.secrets() : []),
  });
  provider = accountAuthProvider({ host, accountId, auth: options.auth, transport, env: options.env, now: options.clock, timeoutMs: options.timeoutMs, fallbackCliPaths: options.fallbackCliPaths });
  const auth = provider;
  const base = `${host}/api/2.0/accounts/${encodeURIComponent(accountId)}`;

  const get = <S extends Parameters<typeof transport.requestJson>[1]>(path: string, schema: S, query: Record<string, string | number | undefined> = {}, o?: CallOptions) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return transport.requestJson(
      {
        method: 'GET',
        url: `${base}${path}${qs ? `?${qs}` : ''}`,
        signal: o?.signal,
        timeoutMs: o?.timeoutMs,
        authorize: (signal) => auth.headers(signal),
        onUnauthorized: () => auth.invalidate(),
      },
      schema,
    );
  };

  return {
    host,
    accountId,
    cloud,
    authType: options.auth.type,
    listWorkspaces: async (o) => {
      try {
        return await get('/workspaces', ListAccountWorkspacesResponse, {}, o);
      } catch (e) {
        const unavailable =
          (e instanceof DatabricksApiError && (e.status === 404 || e.errorCode === 'ENDPOINT_NOT_FOUND')) ||
          (e instanceof UnexpectedResponseError && (e.reason === 'html' || e.reason === 'redirect'));
        if (!unavailable) throw e;
        throw new WorkspaceListUnavailableError(
          cloud === 'azure'
            ? `The workspace list of Azure account ${accountId} is not available (${e.message.split('\n')[0]}). This endpoint is known to be unreliable on Azure: add the workspaces by URL, or list them through Azure Resource Manager with the Azure CLI.`
            : `The workspace list of account ${accountId} is not available at ${host} (${e.message.split('\n')[0]}). Check the accounts host and the account id, or add the workspaces by URL.`,
          cloud,
          e.status,
        );
      }
    },
    getWorkspace: (workspaceId, o) => get(`/workspaces/${encodeURIComponent(workspaceId)}`, AccountWorkspace, {}, o),
    listServicePrincipals: (q = {}, o) =>
      collect(
        scimPages(async (startIndex, count) => {
          const r = await get('/scim/v2/ServicePrincipals', AccountServicePrincipalList, { filter: q.filter, attributes: q.attributes, startIndex, count }, o);
          return { items: r.Resources, totalResults: r.totalResults };
        }, ACCOUNT_SCIM_PAGE),
      ),
    listPermissionAssignments: async (workspaceId, o) => (await get(`/workspaces/${encodeURIComponent(workspaceId)}/permissionassignments`, PermissionAssignments, {}, o)).permission_assignments,
    workspaceUrl: (ws) => workspaceUrlFor(host, ws.deployment_name),
    close: () => transport.close(),
  };
}
