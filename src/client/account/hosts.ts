/**
 * Databricks accounts hosts per cloud, and the workspace URL of a workspace of the account.
 *
 * Sources (see ../../../README.md "Fleet" and the notes these facts were checked against):
 * - commercial accounts hosts: AWS `accounts.cloud.databricks.com`, Azure
 *   `accounts.azuredatabricks.net`, GCP `accounts.gcp.databricks.com` (API reference; Terraform
 *   provider docs); GovCloud `accounts.cloud.databricks.us`, DoD `accounts-dod.cloud.databricks.mil`;
 *   Azure US Gov / China hosts as the Terraform docs list them (not confirmed elsewhere).
 * - a host is an accounts host when it starts with `https://accounts.` or `https://accounts-dod.`
 *   (Go SDK `HostType()`, the CLI's `config_type.go`).
 * - the workspace list has no URL field; the SDKs build `https://<deployment_name><dns zone>`, the
 *   Terraform provider replaces the first label of the accounts host with the deployment name.
 *   Both give the same result on every cloud but Azure US Gov / China, whose workspace zones
 *   (`.databricks.azure.us`, `.databricks.azure.cn`) are not the accounts host's.
 */
import { AuthConfigError } from '../errors';
import { isLoopbackHost, normaliseHost } from '../auth/host';

export type AccountCloud = 'aws' | 'azure' | 'gcp';

export interface AccountsHost {
  host: string;
  cloud: AccountCloud;
  label: string;
  /** the DNS zone of the workspaces, when it is not the accounts host's own */
  workspaceZone?: string;
  /** not confirmed by more than one source */
  unverified?: boolean;
}

export const ACCOUNTS_HOSTS: readonly AccountsHost[] = [
  { host: 'https://accounts.cloud.databricks.com', cloud: 'aws', label: 'AWS' },
  { host: 'https://accounts.azuredatabricks.net', cloud: 'azure', label: 'Azure' },
  { host: 'https://accounts.gcp.databricks.com', cloud: 'gcp', label: 'Google Cloud' },
  { host: 'https://accounts.cloud.databricks.us', cloud: 'aws', label: 'AWS GovCloud' },
  { host: 'https://accounts-dod.cloud.databricks.mil', cloud: 'aws', label: 'AWS GovCloud DoD' },
  { host: 'https://accounts.azuredatabricks.us', cloud: 'azure', label: 'Azure US Government', workspaceZone: 'databricks.azure.us', unverified: true },
  { host: 'https://accounts.azuredatabricks.cn', cloud: 'azure', label: 'Azure China', workspaceZone: 'databricks.azure.cn', unverified: true },
];

/** `https://accounts.cloud.databricks.com/…` → `https://accounts.cloud.databricks.com`; refuses workspace hosts. */
export function normaliseAccountsHost(input: string): string {
  const host = normaliseHost(input);
  const name = new URL(host).hostname.toLowerCase();
  if (!/^accounts(-dod)?\./.test(name)) {
    throw new AuthConfigError(
      'INVALID_HOST',
      `${host} is not a Databricks accounts host: it must start with "accounts." (e.g. https://accounts.cloud.databricks.com, https://accounts.azuredatabricks.net, https://accounts.gcp.databricks.com). ` +
        'To add one workspace, use Add Workspace… instead.',
    );
  }
  return host;
}

export function accountsHostInfo(host: string): AccountsHost | undefined {
  return ACCOUNTS_HOSTS.find((h) => h.host === host);
}

/** The cloud of an accounts host: from the known hosts, else from the name (`azuredatabricks`, `.gcp.`), else AWS. */
export function cloudOfAccountsHost(host: string): AccountCloud {
  const known = accountsHostInfo(host);
  if (known) return known.cloud;
  const name = new URL(host).hostname.toLowerCase();
  if (name.includes('azuredatabricks') || name.includes('.azure.')) return 'azure';
  if (name.includes('.gcp.')) return 'gcp';
  return 'aws';
}

/**
 * The URL of a workspace of the account, from its `deployment_name`: the accounts host with its
 * first label replaced (`accounts.cloud.databricks.com` + `dbc-1a2b` → `https://dbc-1a2b.cloud.databricks.com`;
 * Azure `adb-123.4` → `https://adb-123.4.azuredatabricks.net`), keeping scheme and port; the SDKs'
 * own zone where it differs. Undefined without a deployment name.
 */
export function workspaceUrlFor(accountsHost: string, deploymentName: string | undefined | null): string | undefined {
  const dn = deploymentName?.trim().toLowerCase();
  if (!dn) return undefined;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(dn)) return undefined;
  const u = new URL(accountsHost);
  const zone = accountsHostInfo(accountsHost)?.workspaceZone ?? u.hostname.replace(/^[^.]+\./, '');
  const url = new URL(`${u.protocol}//${dn}.${zone}${u.port ? `:${u.port}` : ''}`);
  // plain http only ever for loopback test doubles, as for workspace hosts
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return undefined;
  return url.origin;
}
