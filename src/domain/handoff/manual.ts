/**
 * The connection details a partner needs (host, HTTP path, JDBC URLs, catalog), for the manual
 * hand-off, the desktop files and the protocol's ConnectRequest. The token value is never part
 * of them: the manual hand-off passes it once to `deliverSecretOnce`.
 */
import type { Warehouse } from '../../client/api';
import type { ConnectionDetails } from './types';

export function hostnameOf(workspaceUrl: string): string {
  return new URL(workspaceUrl.includes('://') ? workspaceUrl : `https://${workspaceUrl}`).hostname;
}

export function warehouseHttpPath(warehouseId: string): string {
  return `/sql/1.0/warehouses/${warehouseId}`;
}

export function jdbcUrls(host: string, httpPath: string, port = 443): { jdbcUrl: string; databricksJdbcUrl: string } {
  return {
    jdbcUrl: `jdbc:spark://${host}:${port}/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${httpPath};`,
    databricksJdbcUrl: `jdbc:databricks://${host}:${port}/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${httpPath};`,
  };
}

export function connectionDetails(p: {
  workspaceUrl: string;
  warehouse: Pick<Warehouse, 'id' | 'odbc_params'> | { id: string } | null;
  catalog: string | null;
  schemas: readonly string[];
  servicePrincipal: { applicationId: string; displayName: string } | null;
}): ConnectionDetails {
  const host = hostnameOf(p.workspaceUrl);
  const port = 443;
  let httpPath: string | null = null;
  if (p.warehouse) {
    const odbc = (p.warehouse as Pick<Warehouse, 'odbc_params'>).odbc_params;
    httpPath = odbc?.path ?? warehouseHttpPath(p.warehouse.id);
  }
  const urls = httpPath ? jdbcUrls(host, httpPath, port) : null;
  return {
    host,
    port,
    workspaceUrl: `https://${host}`,
    httpPath,
    jdbcUrl: urls?.jdbcUrl ?? null,
    databricksJdbcUrl: urls?.databricksJdbcUrl ?? null,
    warehouseId: p.warehouse?.id ?? null,
    catalog: p.catalog,
    schemas: [...p.schemas],
    servicePrincipalApplicationId: p.servicePrincipal?.applicationId ?? null,
    servicePrincipalName: p.servicePrincipal?.displayName ?? null,
  };
}

