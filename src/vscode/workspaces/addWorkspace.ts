import * as vscode from 'vscode';
import { createWorkspaceClient, parseWorkspaceHost, resolveWorkspaceConfig, type AuthConfig, type LoginCommand } from '../../client';
import { UserCancelled, withCancellableProgress } from '../commands/action';
import { PRODUCT, readRequestSettings } from '../model/clients';
import type { Services } from '../services';
import { BackSignal, type PickEntry, tell } from '../ui/prompter';
import { authSecrets, bundledCliPaths, configFilePath, loginOf, methodLabel, officialConfigFile, profileChoices, readConfigFile, runLoginInTerminal } from './signIn';
import { hostLabel, type AuthKind, type WorkspaceEntry } from './workspaceStore';

/**
 * Partner Connect: Add Workspace… — every sign-in method the Databricks SDKs and CLI know that
 * makes sense for an admin at a desk: a `~/.databrickscfg` profile (listed as `databricks auth
 * profiles` lists them), the environment, a personal access token, OAuth M2M, the Databricks CLI,
 * the Azure CLI and an Entra ID client secret. It signs in once (offering `databricks auth login` /
 * `az login` in a terminal when that login expired), says who you are, and stores non-secret
 * values in the setting and secrets in SecretStorage only.
 */

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new UserCancelled();
  return v;
}

function validateHost(v: string): string | undefined {
  const t = v.trim();
  if (t === '') return vscode.l10n.t('Enter the workspace URL, e.g. https://dbc-1234.cloud.databricks.com');
  try {
    parseWorkspaceHost(t);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Target {
  host: string;
  auth: AuthConfig;
  workspaceId?: string;
}

/** Signs in once and reports who the user is; an expired CLI login is offered in a terminal, then retried. */
export async function verifySignIn(s: Services, t: Target): Promise<{ userName: string; isAdmin: boolean }> {
  for (const secret of authSecrets(t.auth)) s.log.redactor.addSecret(secret);
  for (let round = 0; ; round++) {
    try {
      return await withCancellableProgress(vscode.l10n.t('Signing in to {0}…', hostLabel(t)), async (signal) => {
        const { network, timeoutMs } = readRequestSettings(s.log);
        const client = createWorkspaceClient({
          host: t.host,
          auth: t.auth,
          ...(t.workspaceId ? { workspaceId: t.workspaceId } : {}),
          product: PRODUCT,
          network,
          timeoutMs,
          fallbackCliPaths: bundledCliPaths(),
          logger: (l) => s.log.trace(l),
        });
        try {
          const me = await client.me({ signal });
          const isAdmin = await client.isWorkspaceAdmin({ signal });
          return { userName: me.userName, isAdmin };
        } finally {
          await client.close();
        }
      });
    } catch (e) {
      const login = loginOf(e);
      if (!login || round > 0 || !(await offerLogin(s, login, e instanceof Error ? e.message : String(e)))) throw e;
    }
  }
}

/** Asks whether to run a login command in a terminal; true when it ran and exited 0. */
export async function offerLogin(s: Services, login: LoginCommand, message: string): Promise<boolean> {
  const signIn = vscode.l10n.t('Sign In in Terminal');
  const choice = await s.prompter().notify({ id: 'signIn.expired', severity: 'warning', message, actions: [signIn] });
  if (choice !== signIn) return false;
  return runLogin(s, login);
}

/** Runs a login command in a terminal; true when it exited 0. */
export async function runLogin(s: Services, login: LoginCommand): Promise<boolean> {
  s.log.info(`running "${loginText(login)}" in a terminal`);
  const code = await runLoginInTerminal(login, vscode.l10n.t('Databricks sign-in'));
  s.log.info(`"${loginText(login)}" exited with ${code ?? 'no status'}`);
  return code === 0;
}

function loginText(l: LoginCommand): string {
  const name = l.command.split(/[\\/]/).pop() ?? l.command;
  return [name.replace(/\.(exe|cmd)$/i, ''), ...l.args].join(' ');
}

/** The methods offered, in this order (labels are what the host suite answers). */
function methods(): Array<{ value: AuthKind; label: string; description?: string; icon: string }> {
  return [
    { value: 'profile', label: vscode.l10n.t('From a ~/.databrickscfg profile'), description: configFilePath(), icon: 'file' },
    { value: 'env', label: vscode.l10n.t('From environment variables'), description: 'DATABRICKS_HOST, DATABRICKS_TOKEN, …', icon: 'terminal' },
    { value: 'pat', label: vscode.l10n.t('Host and personal access token'), icon: 'key' },
    { value: 'oauth-m2m', label: vscode.l10n.t('OAuth machine-to-machine (client id and secret)'), icon: 'lock' },
    { value: 'databricks-cli', label: vscode.l10n.t('Through the Databricks CLI (databricks auth login)'), icon: 'terminal-bash' },
    { value: 'azure-cli', label: vscode.l10n.t('Azure Databricks through the Azure CLI (az login)'), icon: 'azure' },
    { value: 'azure-client-secret', label: vscode.l10n.t('Azure Databricks with an Entra ID service principal (client secret)'), icon: 'azure' },
  ];
}

export async function addWorkspace(s: Services): Promise<string | undefined> {
  const p = s.prompter();
  const existing = new Set(s.store.list().map((e) => e.name));
  const uniqueName = (base: string): string => {
    let n = base;
    for (let i = 2; existing.has(n); i++) n = `${base} (${i})`;
    return n;
  };
  const validateName = (v: string): string | undefined =>
    v.trim() === '' ? vscode.l10n.t('Enter a name.') : existing.has(v.trim()) ? vscode.l10n.t('A workspace named "{0}" exists already.', v.trim()) : undefined;
  const askName = async (suggestion: string, step: number, totalSteps: number, prompt = vscode.l10n.t('Shown in the Partner Connect view')): Promise<string> =>
    need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt, value: uniqueName(suggestion), validate: validateName, step, totalSteps, canGoBack: true })).trim();
  /** A workspace URL; a unified host's ?o= / ?w= names the workspace behind it. */
  const askHost = async (step: number, totalSteps: number, prompt: string): Promise<{ host: string; workspaceId?: string }> =>
    parseWorkspaceHost(need(await p.input({ id: 'addWorkspace.host', title: vscode.l10n.t('Workspace URL'), prompt, validate: validateHost, step, totalSteps, canGoBack: true })));
  const askOptional = async (id: string, title: string, prompt: string, step: number, totalSteps: number): Promise<string | undefined> => {
    const v = need(await p.input({ id, title, prompt, step, totalSteps, canGoBack: true })).trim();
    return v === '' ? undefined : v;
  };
  const askRequired = async (id: string, title: string, prompt: string, step: number, totalSteps: number, o: { password?: boolean; empty: string }): Promise<string> =>
    need(await p.input({ id, title, prompt, password: o.password, validate: (v) => (v.trim() === '' ? o.empty : undefined), step, totalSteps, canGoBack: true })).trim();
  /** Default name: the host's first label, and the workspace id when the host is shared. */
  const suggestFor = (t: { host: string; workspaceId?: string }): string => {
    const label = new URL(t.host).hostname.split('.')[0] || 'workspace';
    return t.workspaceId ? `${label} ${t.workspaceId}` : label;
  };

  for (;;) {
    const method = need(
      await p.pick<AuthKind>({
        id: 'addWorkspace.method',
        title: vscode.l10n.t('Partner Connect: Add Workspace'),
        placeholder: vscode.l10n.t('How do you sign in to the workspace?'),
        items: methods(),
      }),
    );
    try {
      let entry: WorkspaceEntry;
      let target: Target;
      const secrets: { token?: string; clientSecret?: string } = {};
      switch (method) {
        case 'profile': {
          const file = readConfigFile();
          const choices = profileChoices(file);
          if (choices.length === 0) throw new Error(vscode.l10n.t('{0} has no profiles: create one with "databricks auth login".', file.path));
          const items: PickEntry<string>[] = choices.map((c) => ({
            label: c.name,
            description: c.host,
            detail: `${c.usable ? c.method : `$(warning) ${c.method}`}${c.isDefault ? vscode.l10n.t(' · the default profile') : ''}`,
            value: c.name,
            icon: c.usable ? 'account' : 'warning',
          }));
          const profile = need(await p.pick<string>({ id: 'addWorkspace.profile', title: vscode.l10n.t('Choose a profile of {0}', file.path), items, step: 2, totalSteps: 3, canGoBack: true }));
          // The SDKs' rules: this profile, with the environment winning attribute by attribute.
          const r = resolveWorkspaceConfig({ env: process.env, profile, configFile: officialConfigFile() });
          target = { host: r.host, auth: r.auth, ...(r.workspaceId ? { workspaceId: r.workspaceId } : {}) };
          const name = await askName(profile, 3, 3);
          entry = { name, host: r.host, authType: 'profile', profile };
          break;
        }
        case 'env': {
          const r = resolveWorkspaceConfig({ env: process.env, configFile: officialConfigFile() });
          target = { host: r.host, auth: r.auth, ...(r.workspaceId ? { workspaceId: r.workspaceId } : {}) };
          const name = await askName(suggestFor(target), 2, 2, vscode.l10n.t('Credentials are read from the environment each time ({0})', hostLabel(target)));
          entry = { name, host: r.host, authType: 'env' };
          break;
        }
        case 'pat': {
          const h = await askHost(2, 4, vscode.l10n.t('e.g. https://dbc-1234.cloud.databricks.com'));
          const token = await askRequired('addWorkspace.token', vscode.l10n.t('Personal access token'), vscode.l10n.t('Stored in VS Code secret storage only'), 3, 4, { password: true, empty: vscode.l10n.t('Enter the token.') });
          secrets.token = token;
          target = { ...h, auth: { type: 'pat', token } };
          entry = { name: await askName(suggestFor(h), 4, 4), host: h.host, authType: 'pat', ...(h.workspaceId ? { workspaceId: h.workspaceId } : {}) };
          break;
        }
        case 'oauth-m2m': {
          const h = await askHost(2, 5, vscode.l10n.t('e.g. https://dbc-1234.cloud.databricks.com'));
          const clientId = await askRequired('addWorkspace.clientId', vscode.l10n.t('OAuth client id'), vscode.l10n.t('The service principal’s application id'), 3, 5, { empty: vscode.l10n.t('Enter the client id.') });
          const clientSecret = await askRequired('addWorkspace.clientSecret', vscode.l10n.t('OAuth client secret'), vscode.l10n.t('Stored in VS Code secret storage only'), 4, 5, { password: true, empty: vscode.l10n.t('Enter the secret.') });
          secrets.clientSecret = clientSecret;
          target = { ...h, auth: { type: 'oauth-m2m', clientId, clientSecret } };
          entry = { name: await askName(suggestFor(h), 5, 5), host: h.host, authType: 'oauth-m2m', clientId, ...(h.workspaceId ? { workspaceId: h.workspaceId } : {}) };
          break;
        }
        case 'databricks-cli': {
          const h = await askHost(2, 3, vscode.l10n.t('Signed in with: databricks auth login --host <url> (you can sign in from here if not)'));
          target = { ...h, auth: { type: 'databricks-cli' } };
          entry = { name: await askName(suggestFor(h), 3, 3), host: h.host, authType: 'databricks-cli', ...(h.workspaceId ? { workspaceId: h.workspaceId } : {}) };
          break;
        }
        case 'azure-cli': {
          const h = await askHost(2, 4, vscode.l10n.t('e.g. https://adb-1234567890123456.7.azuredatabricks.net (signed in with az login)'));
          const tenantId = await askOptional('addWorkspace.tenantId', vscode.l10n.t('Entra ID tenant (optional)'), vscode.l10n.t('Leave empty to use the Azure CLI’s tenant, or the workspace’s'), 3, 4);
          target = { ...h, auth: { type: 'azure-cli', ...(tenantId ? { tenantId } : {}) } };
          entry = { name: await askName(suggestFor(h), 4, 4), host: h.host, authType: 'azure-cli', ...(tenantId ? { tenantId } : {}), ...(h.workspaceId ? { workspaceId: h.workspaceId } : {}) };
          break;
        }
        case 'azure-client-secret': {
          const h = await askHost(2, 6, vscode.l10n.t('e.g. https://adb-1234567890123456.7.azuredatabricks.net'));
          const clientId = await askRequired('addWorkspace.clientId', vscode.l10n.t('Application (client) id'), vscode.l10n.t('Of the Entra ID service principal (ARM_CLIENT_ID)'), 3, 6, { empty: vscode.l10n.t('Enter the client id.') });
          const tenantId = await askOptional('addWorkspace.tenantId', vscode.l10n.t('Directory (tenant) id (optional)'), vscode.l10n.t('Leave empty to find it from the workspace’s sign-in page (ARM_TENANT_ID)'), 4, 6);
          const clientSecret = await askRequired('addWorkspace.clientSecret', vscode.l10n.t('Client secret'), vscode.l10n.t('Stored in VS Code secret storage only (ARM_CLIENT_SECRET)'), 5, 6, { password: true, empty: vscode.l10n.t('Enter the secret.') });
          secrets.clientSecret = clientSecret;
          target = { ...h, auth: { type: 'azure-client-secret', clientId, clientSecret, ...(tenantId ? { tenantId } : {}) } };
          entry = { name: await askName(suggestFor(h), 6, 6), host: h.host, authType: 'azure-client-secret', clientId, ...(tenantId ? { tenantId } : {}), ...(h.workspaceId ? { workspaceId: h.workspaceId } : {}) };
          break;
        }
        default:
          throw new UserCancelled();
      }
      const who = await verifySignIn(s, target);
      await s.store.add(entry, secrets);
      s.log.info(`workspace "${entry.name}" added (${hostLabel(target)}, ${methodLabel(target.auth.type)}), signed in as ${who.userName}${who.isAdmin ? ' (workspace admin)' : ''}`);
      tell(p, {
        id: 'addWorkspace.done',
        severity: who.isAdmin ? 'info' : 'warning',
        message: who.isAdmin
          ? vscode.l10n.t('Added {0}: signed in as {1} (workspace admin).', entry.name, who.userName)
          : vscode.l10n.t('Added {0}: signed in as {1}, who is not a workspace admin — Partner Connect needs the workspace admin role.', entry.name, who.userName),
      });
      return entry.name;
    } catch (e) {
      if (e instanceof BackSignal) continue;
      throw e;
    }
  }
}
