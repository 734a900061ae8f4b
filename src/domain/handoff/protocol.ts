/**
 * The Databricks side of the Partner Connect protocol: builds the ConnectRequest of the OpenAPI
 * spec and interprets the partner's answer.
 */
import type { ScimUser } from '../../client/api';
import type { CloudProvider, ConnectRequestInput } from '../../client/partner/partnerConfig';
import type { ConnectionDetails, HandoffResult } from './types';
import { createPartnerApiClient, type PartnerApiClient, type PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { PartnerProtocolConfig } from '../../client/partner/partnerConfig';
import { PartnerHandoffError } from '../errors';
import type { CredentialKind } from '../credentials/types';
import { hostnameOf } from './manual';

/**
 * The cloud a Databricks workspace host name names (azuredatabricks.net, databricks.azure.us/.cn →
 * azure; gcp.databricks.com → gcp; cloud.databricks.com/.us/.mil → aws); null for any other name —
 * a unified host, a custom or private name, an emulator — where the host says nothing.
 */
export function cloudOfDatabricksHost(host: string): CloudProvider | null {
  const h = host.toLowerCase();
  if (h.endsWith('.azuredatabricks.net') || h.includes('.databricks.azure.')) return 'azure';
  if (h.endsWith('.gcp.databricks.com')) return 'gcp';
  if (/\.cloud\.databricks\.(com|us|mil)$/.test(h)) return 'aws';
  return null;
}

/**
 * The workspace's cloud: what its host name says, else what its Unity Catalog metastore says (the
 * metastore summary's `cloud`: aws, azure or gcp), else aws.
 */
export function workspaceCloud(host: string, metastoreCloud?: string | null): CloudProvider {
  const fromMetastore = metastoreCloud?.toLowerCase();
  return cloudOfDatabricksHost(host) ?? (fromMetastore === 'aws' || fromMetastore === 'azure' || fromMetastore === 'gcp' ? fromMetastore : 'aws');
}

/** The cloud of a workspace read before (a snapshot: its host and, with Unity Catalog, its metastore's cloud). */
export function snapshotCloud(s: { host: string; metastore: { cloud: string | null } | null }): CloudProvider {
  return workspaceCloud(hostnameOf(s.host), s.metastore?.cloud);
}

/**
 * The workspace id as decimal text — an int64 that may exceed 2^53, so it never passes through a JS
 * number: the X-Databricks-Org-Id header of SCIM Me, else the metastore assignment, else the host
 * (adb-<id>.<n>.azuredatabricks.net, <id>.<n>.gcp.databricks.com). null when unknown (0 is never sent).
 */
export function workspaceIdOf(orgIdHeader: string | null | undefined, host: string, assignmentWorkspaceId: string | null | undefined): string | null {
  const id = (v: string | null | undefined): string | null => (v && /^\d+$/.test(v) && !/^0+$/.test(v) ? v.replace(/^0+/, '') : null);
  return id(orgIdHeader) ?? id(assignmentWorkspaceId) ?? id(/^(?:adb-)?(\d{6,})\./.exec(host)?.[1]);
}

export interface ConnectRequestParts {
  me: ScimUser;
  details: ConnectionDetails;
  /** decimal text (int64, see workspaceIdOf): sent as a JSON integer with every digit */
  workspaceId: string;
  /** true when the connection already exists: no credential is sent */
  established: boolean;
  connectionId: string | null;
  /**
   * SECRET, only when not established. A PAT travels in user_info.auth.personal_access_token; an
   * OAuth secret (AUTH_OAUTH_M2M) in the top-level service_principal_oauth_secret, beside
   * service_principal_id, with personal_access_token null (partner-connect-2.0.yaml).
   */
  credential: { kind: CredentialKind; value: string } | null;
  computeKind: 'warehouse' | 'cluster' | null;
  /** the workspace's cloud (workspaceCloud); default: what the host name says */
  cloud?: CloudProvider;
  destinationLocation?: string;
  demo?: boolean;
}

export function buildConnectRequest(p: ConnectRequestParts): ConnectRequestInput {
  const email = p.me.emails?.find((e) => e.primary)?.value ?? p.me.emails?.[0]?.value ?? p.me.userName;
  const given = p.me.name?.givenName ?? (p.me.displayName ?? '').split(' ')[0] ?? '';
  const family = p.me.name?.familyName ?? (p.me.displayName ?? '').split(' ').slice(1).join(' ');
  const userId = /^\d+$/.test(p.me.id) ? p.me.id : 0;
  const req: ConnectRequestInput = {
    user_info: {
      email,
      first_name: given,
      last_name: family,
      databricks_user_id: userId,
      databricks_organization_id: p.workspaceId,
      is_connection_established: p.established,
      ...(p.established || !p.credential ? {} : { auth: { personal_access_token: p.credential.kind === 'pat' ? p.credential.value : null } }),
    },
    hostname: p.details.host,
    port: p.details.port,
    workspace_url: p.details.workspaceUrl,
    workspace_id: p.workspaceId,
    demo: p.demo ?? false,
    cloud_provider: p.cloud ?? workspaceCloud(p.details.host),
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
  if (!p.established && p.credential?.kind === 'oauth-secret') req.service_principal_oauth_secret = p.credential.value;
  return req;
}

// ------------------------------------------------------------------ running the handoff

export function defaultPartnerClient(config: PartnerProtocolConfig, credentials: PartnerCredentials | undefined, logger?: (line: string) => void): PartnerApiClient {
  return createPartnerApiClient({ config, credentials, logger });
}

/**
 * Calls the partner's connect endpoint and interprets the answer (spec: 401 → sign in at the
 * partner; 404 → account / connection not found; configured_resources false on a new connection →
 * the caller rolls back). Throws PartnerHandoffError on every outcome but success.
 */
export async function runProtocolConnect(
  partnerClient: PartnerApiClient,
  partnerName: string,
  request: ConnectRequestInput,
  established: boolean,
  signal: AbortSignal | undefined,
): Promise<Extract<HandoffResult, { kind: 'protocol' }>> {
  const out = await partnerClient.connect(request, { signal });
  switch (out.kind) {
    case 'connected': {
      const r = out.response;
      if (!established && r.configured_resources === false) {
        throw new PartnerHandoffError(
          partnerName,
          'resources-not-configured',
          'the partner did not configure the resources it was given (configured_resources: false).',
          'Everything provisioned for it has been removed. Try again later or contact the partner.',
        );
      }
      const uri = typeof r.redirect_uri === 'string' ? r.redirect_uri : null;
      // a redirect that carried a credential of the request is neither opened nor shown (the client scrubbed it)
      const carries = out.redirectCarriesSecret === true;
      let blocked: string | null = null;
      if (uri && !out.redirectAllowed) {
        try {
          blocked = new URL(uri).hostname;
        } catch {
          blocked = '(invalid URL)';
        }
      }
      return {
        kind: 'protocol',
        connectionId: (typeof r.connection_id === 'string' ? r.connection_id : null) ?? request.connection_id ?? null,
        redirectUri: uri && out.redirectAllowed ? uri : null,
        blockedRedirectHost: blocked,
        blockedRedirectReason: blocked === null ? null : carries ? 'contains-secret' : 'not-allowed',
        redirectValue: typeof r.redirect_value === 'string' ? r.redirect_value : null,
        userStatus: typeof r.user_status === 'string' ? r.user_status : null,
        accountStatus: typeof r.account_status === 'string' ? r.account_status : null,
        displayMessage: typeof (r as { display_message?: unknown }).display_message === 'string' ? ((r as { display_message?: string }).display_message ?? null) : null,
      };
    }
    case 'unauthorized':
      throw new PartnerHandoffError(partnerName, 'unauthorized', 'the partner refused the credentials of this workspace (HTTP 401).', 'Sign in to the partner (or update the stored partner credentials) and connect again.', {
        displayMessage: out.displayMessage,
        signInUrl: out.signInUrl,
      });
    case 'not_found':
      throw new PartnerHandoffError(
        partnerName,
        out.reason,
        out.reason === 'connection_not_found'
          ? 'the partner no longer knows this connection (connection_not_found).'
          : 'the partner has no account for this user (account_not_found).',
        out.reason === 'connection_not_found' ? 'Delete the connection (Disconnect → Reset) and create it again.' : 'Create an account at the partner, or ask its administrator to add you.',
        { displayMessage: out.displayMessage },
      );
    case 'bad_request':
      throw new PartnerHandoffError(partnerName, 'bad_request', 'the partner rejected the connection request (HTTP 400).', 'Report this to the partner; the request follows the published Partner Connect API.', {
        displayMessage: out.displayMessage,
      });
    case 'failed':
      throw new PartnerHandoffError(
        partnerName,
        `failed:${out.reason}`,
        `the partner did not answer successfully (${out.reason}${out.status !== null ? `, HTTP ${out.status}` : ''}, ${out.attempts} attempt(s)).`,
        out.signInUrl ? `Try again later, or sign in at ${out.signInUrl}.` : 'Try again later.',
        { displayMessage: out.displayMessage, signInUrl: out.signInUrl },
      );
  }
}
