import type { Log } from '../log/log';
import { loadBuiltinCatalog } from '../../domain';
import { normaliseHost, type WorkspaceStore } from '../workspaces/workspaceStore';
import { SIM_CONFIG_PARTNER_ID } from './simulator';
import type { AccountStore } from '../accounts/accountStore';

/**
 * Demo and test bootstrap from the environment (dev bundle only, never in ExtensionMode.Production):
 * - PC_DEMO_HOST + PC_DEMO_TOKEN (optional PC_DEMO_WORKSPACE_NAME): a workspace for this session,
 *   its token in SecretStorage. The token is never logged.
 * - PC_DEMO_ACCOUNT_HOST + PC_DEMO_ACCOUNT_ID + PC_DEMO_ACCOUNT_CLIENT_ID + PC_DEMO_ACCOUNT_CLIENT_SECRET (optional
 *   PC_DEMO_ACCOUNT_NAME): a Databricks account for this session (npm run demo -- --fleet), its
 *   service principal's secret in SecretStorage.
 * - PC_PARTNER_SIM_URL + PC_PARTNER_SIM_PASSWORD (optional PC_PARTNER_SIM_USERNAME, default
 *   "databricks"): the basic-auth credentials of the simulator-backed partners (see model/catalog.ts),
 *   including the partner of PC_PARTNER_SIM_CONFIG.
 */
export async function bootstrapFromEnvironment(store: WorkspaceStore, log: Log, env: NodeJS.ProcessEnv, accounts?: AccountStore): Promise<void> {
  const acctHost = env.PC_DEMO_ACCOUNT_HOST?.trim();
  const acctId = env.PC_DEMO_ACCOUNT_ID?.trim();
  const acctClient = env.PC_DEMO_ACCOUNT_CLIENT_ID?.trim();
  const acctSecret = env.PC_DEMO_ACCOUNT_CLIENT_SECRET?.trim();
  if (accounts && acctHost && acctId && acctClient && acctSecret) {
    log.redactor.addSecret(acctSecret);
    const name = env.PC_DEMO_ACCOUNT_NAME?.trim() || 'Demo account';
    await accounts.add({ name, host: acctHost, accountId: acctId, authType: 'oauth-m2m', clientId: acctClient }, { clientSecret: acctSecret }, { session: true });
    log.info(`demo account "${name}" (${acctHost}, account ${acctId}) added from PC_DEMO_ACCOUNT_*`);
  }
  const host = env.PC_DEMO_HOST?.trim();
  const token = env.PC_DEMO_TOKEN?.trim();
  if (host && token) {
    log.redactor.addSecret(token);
    const name = env.PC_DEMO_WORKSPACE_NAME?.trim() || env.PC_DEMO_NAME?.trim() || 'Demo workspace';
    await store.add({ name, host: normaliseHost(host), authType: 'pat' }, { token }, { session: true });
    log.info(`demo workspace "${name}" (${normaliseHost(host)}) added from PC_DEMO_HOST / PC_DEMO_TOKEN`);
  }
  const simUrl = env.PC_PARTNER_SIM_URL?.trim();
  const simPassword = env.PC_PARTNER_SIM_PASSWORD;
  if (simUrl && simPassword) {
    log.redactor.addSecret(simPassword);
    const username = env.PC_PARTNER_SIM_USERNAME?.trim() || env.PC_PARTNER_SIM_USER?.trim() || 'databricks';
    const only = env.PC_PARTNER_SIM_PARTNERS ? new Set(env.PC_PARTNER_SIM_PARTNERS.split(',').map((x) => x.trim())) : undefined;
    const ids = loadBuiltinCatalog()
      .partners.filter((p) => (only ? only.has(p.id) : p.needsServicePrincipal))
      .map((p) => p.id);
    if (env.PC_PARTNER_SIM_CONFIG) ids.push(SIM_CONFIG_PARTNER_ID);
    for (const id of ids) await store.setPartnerCredential(id, { username, password: simPassword });
    log.info(`partner simulator credentials stored for ${ids.length} partner(s)`);
  }
}
