/** Protocol fixtures of the partner tests (ConnectRequests, headers); raw HTTP is test/fixtures/http.ts. */
import { createHash, randomBytes } from 'node:crypto';
import type { ConnectRequestInput } from '../../src/client/partner/partnerConfig';

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** A fresh, recognisable fake token (never a real one). */
export function fakePat(): string {
  return `dapi${randomBytes(16).toString('hex')}`;
}

export const WORKSPACE_ID = 1234567890123;

export function newConnectRequest(pat: string, over: Partial<ConnectRequestInput> = {}, email = 'alice@databricks-test.com'): ConnectRequestInput {
  return {
    user_info: {
      email,
      first_name: 'Alice',
      last_name: 'Admin',
      databricks_user_id: 4242,
      databricks_organization_id: WORKSPACE_ID,
      is_connection_established: false,
      auth: { personal_access_token: pat },
    },
    hostname: 'adb-1234567890123.7.azuredatabricks.net',
    port: 443,
    workspace_url: 'https://adb-1234567890123.7.azuredatabricks.net/?o=1234567890123',
    http_path: '/sql/1.0/warehouses/abc123',
    jdbc_url: 'jdbc:spark://adb-1234567890123.7.azuredatabricks.net:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=/sql/1.0/warehouses/abc123;',
    databricks_jdbc_url: 'jdbc:databricks://adb-1234567890123.7.azuredatabricks.net:443/default;httpPath=/sql/1.0/warehouses/abc123;',
    workspace_id: WORKSPACE_ID,
    demo: false,
    cloud_provider: 'azure',
    is_free_trial: false,
    catalog_name: 'main',
    cluster_id: 'abc123',
    is_sql_endpoint: true,
    is_sql_warehouse: true,
    service_principal_id: 'a2a25a05-3d59-4515-a73b-b8bc5ab79e31',
    ...over,
  };
}

export function establishedRequest(connectionId: string, email = 'alice@databricks-test.com'): ConnectRequestInput {
  const r = newConnectRequest('unused', { connection_id: connectionId }, email);
  r.user_info = { ...r.user_info, is_connection_established: true };
  delete r.user_info.auth;
  return r;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export function goodHeaders(username: string, password: string): Record<string, string> {
  return {
    'user-agent': 'databricks',
    authorization: basic(username, password),
    'content-type': 'application/json',
    'accept-language': 'en-US',
  };
}
