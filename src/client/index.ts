/**
 * Public entry of the shared Databricks client (bundled to dist/client.js, loadable from plain Node).
 *
 *   const { createWorkspaceClient } = require('./dist/client.js');
 *   const ws = createWorkspaceClient({ host: 'https://dbc-123.cloud.databricks.com', auth: { type: 'pat', token } });
 *   const sps = await ws.listServicePrincipals({ filter: 'displayName sw "DBT"' });
 */
export * from './api';
export { createWorkspaceClient, CLIENT_NAME, CLIENT_VERSION } from './workspaceClient';
export { PRODUCT } from './version';
export {
  DatabricksClientError,
  DatabricksApiError,
  UnexpectedResponseError,
  NetworkError,
  RequestTimeoutError,
  AuthConfigError,
  CancelledError,
  isCancellation,
  parseErrorBody,
  STATUS_ERROR_CODES,
} from './errors';
export type { LoginCommand, AuthConfigErrorCode, UnexpectedResponseReason, ParsedErrorBody, DatabricksApiErrorInit } from './errors';
export { normaliseHost, parseWorkspaceHost, isLoopbackHost, isAzureHost, isSecureOrLoopbackUrl } from './auth/host';
export type { WorkspaceHost } from './auth/host';
export {
  parseDatabricksConfig,
  readDatabricksConfig,
  databricksConfigPath,
  profileConfig,
  resolveProfile,
  attributesToConfig,
  profileNames,
  profileValues,
  profileAttributes,
  defaultProfile,
  SETTINGS_SECTION,
  SUPPORTED_AUTH_TYPES,
} from './auth/config';
export type { DatabricksConfigFile, ResolvedWorkspaceConfig } from './auth/config';
export { resolveWorkspaceConfig, resolveAuthFromEnvironment } from './auth/resolve';
export type { ResolveOptions } from './auth/resolve';
export { CONFIG_ATTRIBUTES, authGroupsUsed } from './auth/attributes';
export type { Attributes, AttributeName, AuthGroup } from './auth/attributes';
export { createHttpTransport, requestJson, buildUserAgent, resolveCaCertificates } from './http/transport';
export { parseJsonBody } from './http/jsonBody';
export type { HttpTransport, HttpRequest, HttpResponse, TransportOptions } from './http/transport';
export { proxyConfig } from './http/proxy';
export type { NetworkOptions, ProxyConfig } from './http/proxy';
export { systemCaCertificates, resolveTrustedCas } from './http/ca';
export { DEFAULT_RETRY_POLICY, parseRetryAfter, isIdempotentMethod } from './http/retry';
export type { RetryPolicy } from './http/retry';
export { redactSecrets, redactPathAndQuery, Redactor, REDACTED } from './redact';
export { scimPages, tokenPages, collect } from './paging';
export { scimEq } from './scim';
export { createAccountClient, WorkspaceListUnavailableError } from './account/accountClient';
export type { AccountClient, AccountClientOptions, AccountWorkspace, AccountServicePrincipal, PermissionAssignment } from './account/accountClient';
export { accountProfileConfig, isAccountProfile, listAccountProfiles, workspaceAuthFor } from './account/accountAuth';
export type { AccountAuthConfig, AccountProfile } from './account/accountAuth';
export { ACCOUNTS_HOSTS, accountsHostInfo, cloudOfAccountsHost, normaliseAccountsHost, workspaceUrlFor } from './account/hosts';
export type { AccountCloud, AccountsHost } from './account/hosts';
export { azureDatabricksWorkspaces } from './account/azureArm';
export type { ArmWorkspace } from './account/azureArm';
