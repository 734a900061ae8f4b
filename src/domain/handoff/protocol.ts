/**
 * The Databricks side of the Partner Connect protocol: builds the ConnectRequest of the OpenAPI
 * spec and interprets the partner's answer.
 */
import type { ScimUser } from '../../client/api';
import type { CloudProvider, ConnectRequestInput } from '../../client/partner/partnerConfig';
import type { ConnectionDetails } from './types';

/** aws / azure / gcp from the workspace host name (azuredatabricks.net → azure, gcp.databricks.com → gcp, else aws). */
export function cloudProviderFromHost(host: string): CloudProvider {
  const h = host.toLowerCase();
  if (h.endsWith('.azuredatabricks.net') || h.includes('.databricks.azure.')) return 'azure';
  if (h.endsWith('.gcp.databricks.com')) return 'gcp';
  return 'aws';
}

/** The numeric workspace id: from the host (adb-<id>.<n>.azuredatabricks.net, <id>.<n>.gcp.databricks.com) or the metastore assignment. */
export function workspaceIdFrom(host: string, assignmentWorkspaceId: string | null | undefined): number {
  if (assignmentWorkspaceId && /^\d+$/.test(assignmentWorkspaceId)) return Number(assignmentWorkspaceId);
  const m = /^(?:adb-)?(\d{6,})\./.exec(host);
  if (m) return Number(m[1]);
  return 0;
}

export interface ConnectRequestParts {
  me: ScimUser;
  details: ConnectionDetails;
  workspaceId: number;
  /** true when the connection already exists: no token is sent */
  established: boolean;
  connectionId: string | null;
  /** secret: only when not established */
  token: string | null;
  computeKind: 'warehouse' | 'cluster' | null;
  destinationLocation?: string;
  demo?: boolean;
}

export function buildConnectRequest(p: ConnectRequestParts): ConnectRequestInput {
  const email = p.me.emails?.find((e) => e.primary)?.value ?? p.me.emails?.[0]?.value ?? p.me.userName;
  const given = p.me.name?.givenName ?? (p.me.displayName ?? '').split(' ')[0] ?? '';
  const family = p.me.name?.familyName ?? (p.me.displayName ?? '').split(' ').slice(1).join(' ');
  const userId = /^\d+$/.test(p.me.id) ? Number(p.me.id) : 0;
  const req: ConnectRequestInput = {
    user_info: {
      email,
      first_name: given,
      last_name: family,
      databricks_user_id: userId,
      databricks_organization_id: p.workspaceId,
      is_connection_established: p.established,
      ...(p.established || !p.token ? {} : { auth: { personal_access_token: p.token } }),
    },
    hostname: p.details.host,
    port: p.details.port,
    workspace_url: p.details.workspaceUrl,
    workspace_id: p.workspaceId,
    demo: p.demo ?? false,
    cloud_provider: cloudProviderFromHost(p.details.host),
    is_free_trial: false,
  };
  if (p.established && p.connectionId) req.connection_id = p.connectionId;
  if (p.details.httpPath) {
    req.http_path = p.details.httpPath;
    if (p.details.jdbcUrl) req.jdbc_url = p.details.jdbcUrl;
    if (p.details.databricksJdbcUrl) req.databricks_jdbc_url = p.details.databricksJdbcUrl;
  }
  if (p.details.warehouseId) {
    req.cluster_id = p.details.warehouseId;
    req.is_sql_warehouse = p.computeKind === 'warehouse';
    req.is_sql_endpoint = p.computeKind === 'warehouse';
  }
  if (p.details.catalog) req.catalog_name = p.details.catalog;
  if (p.destinationLocation) req.destination_location = p.destinationLocation;
  if (p.details.servicePrincipalApplicationId) req.service_principal_id = p.details.servicePrincipalApplicationId;
  return req;
}
