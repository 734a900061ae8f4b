import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  AuthConfigError,
  attributesToConfig,
  databricksConfigPath,
  defaultProfile,
  profileAttributes,
  profileNames,
  readDatabricksConfig,
  resolveWorkspaceConfig,
  type AuthConfig,
  type DatabricksConfigFile,
  type LoginCommand,
} from '../../client';
import type { WorkspaceEntry, WorkspaceStore } from './workspaceStore';

/**
 * How a configured workspace signs in, as the Databricks SDKs and CLI do it (src/client/auth):
 * credentials from SecretStorage, a `~/.databrickscfg` profile (the file the official Databricks
 * extension is told to use, when it is installed), the environment, the Databricks CLI (also the
 * one bundled with the official extension) or the Azure CLI. And the "sign in again" offer: an
 * expired CLI login runs `databricks auth login …` (or `az login`) in a terminal, then retries.
 */

/** The official Databricks extension (it bundles the CLI and writes ~/.databrickscfg profiles). */
export const DATABRICKS_EXTENSION_ID = 'databricks.databricks';

/** `databricks.overrideDatabricksConfigFile` of the official extension, when it is installed and set. */
export function officialConfigFile(): string | undefined {
  if (!vscode.extensions.getExtension(DATABRICKS_EXTENSION_ID)) return undefined;
  const v = vscode.workspace.getConfiguration('databricks').get<unknown>('overrideDatabricksConfigFile');
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = v.trim();
  return t.startsWith('~') ? path.join(os.homedir(), t.slice(1)) : t;
}

/** The config file the extension reads: the official extension's override, else DATABRICKS_CONFIG_FILE, else ~/.databrickscfg. */
export function configFilePath(): string {
  return databricksConfigPath(process.env, officialConfigFile());
}

/** `<official extension>/bin/databricks[.exe]`: tried when no CLI is on PATH. */
export function bundledCliPaths(): string[] {
  const ext = vscode.extensions.getExtension(DATABRICKS_EXTENSION_ID);
  if (!ext) return [];
  return [path.join(ext.extensionPath, 'bin', process.platform === 'win32' ? 'databricks.exe' : 'databricks')];
}

/** What a workspace entry signs in with, and the workspace behind a unified host. */
export interface ResolvedSignIn {
  host: string;
  auth: AuthConfig;
  workspaceId?: string;
}

/** How an account's workspace signs in (src/vscode/accounts/fleetModel.ts). */
export type AccountWorkspaceAuth = (account: string) => Promise<AuthConfig>;

export class MissingSecretError extends Error {
  constructor(workspace: string, what: string) {
    super(vscode.l10n.t('No {0} is stored for the workspace "{1}". Remove it and add it again.', what, workspace));
    this.name = 'MissingSecretError';
  }
}

/** A profile now resolves to another host than the one the workspace was added for (e.g. DATABRICKS_HOST is set). */
export class HostChangedError extends Error {
  constructor(entry: WorkspaceEntry, now: string, environment: string[]) {
    super(
      vscode.l10n.t(
        'The profile "{0}" of the workspace "{1}" now points to {2} instead of {3}{4}. Nothing was sent; fix the profile or environment, or remove the workspace and add it again.',
        entry.profile ?? 'DEFAULT',
        entry.name,
        now,
        entry.host,
        environment.includes('DATABRICKS_HOST') ? vscode.l10n.t(' (DATABRICKS_HOST is set)') : '',
      ),
    );
    this.name = 'HostChangedError';
  }
}

/** Resolves a workspace entry's credentials (SecretStorage, config file, environment, CLIs, the account's identity). */
export async function resolveAuth(entry: WorkspaceEntry, store: WorkspaceStore, accountAuth?: AccountWorkspaceAuth): Promise<ResolvedSignIn> {
  const withId = (r: ResolvedSignIn): ResolvedSignIn => (entry.workspaceId ? { ...r, workspaceId: entry.workspaceId } : r);
  switch (entry.authType) {
    case 'account': {
      if (!accountAuth) throw new Error(vscode.l10n.t('The workspace "{0}" belongs to the account "{1}", which is not loaded.', entry.name, entry.account));
      return { host: entry.host, auth: await accountAuth(entry.account) };
    }
    case 'pat': {
      const token = await store.getSecret(entry.name, 'token');
      if (!token) throw new MissingSecretError(entry.name, vscode.l10n.t('personal access token'));
      return withId({ host: entry.host, auth: { type: 'pat', token } });
    }
    case 'oauth-m2m': {
      const clientSecret = await store.getSecret(entry.name, 'clientSecret');
      if (!entry.clientId || !clientSecret) throw new MissingSecretError(entry.name, vscode.l10n.t('OAuth client secret'));
      return withId({ host: entry.host, auth: { type: 'oauth-m2m', clientId: entry.clientId, clientSecret } });
    }
    case 'azure-client-secret': {
      const clientSecret = await store.getSecret(entry.name, 'clientSecret');
      if (!entry.clientId || !clientSecret) throw new MissingSecretError(entry.name, vscode.l10n.t('Azure client secret'));
      return withId({ host: entry.host, auth: { type: 'azure-client-secret', clientId: entry.clientId, clientSecret, ...(entry.tenantId ? { tenantId: entry.tenantId } : {}) } });
    }
    case 'azure-cli':
      return withId({ host: entry.host, auth: { type: 'azure-cli', ...(entry.tenantId ? { tenantId: entry.tenantId } : {}) } });
    case 'databricks-cli': {
      const configFile = entry.profile ? officialConfigFile() : undefined;
      return withId({ host: entry.host, auth: { type: 'databricks-cli', ...(entry.profile ? { profile: entry.profile } : {}), ...(configFile ? { configFile } : {}) } });
    }
    case 'profile': {
      // The SDKs' rules: the named profile, with environment values winning attribute by attribute.
      const r = resolveWorkspaceConfig({ env: process.env, profile: entry.profile ?? 'DEFAULT', configFile: officialConfigFile() });
      if (r.host !== entry.host) throw new HostChangedError(entry, r.host, r.environment ?? []);
      return { host: r.host, auth: r.auth, ...(entry.workspaceId ?? r.workspaceId ? { workspaceId: entry.workspaceId ?? r.workspaceId } : {}) };
    }
    case 'env': {
      const r = resolveWorkspaceConfig({ env: process.env, configFile: officialConfigFile() });
      return { host: r.host, auth: r.auth, ...(r.workspaceId ? { workspaceId: r.workspaceId } : {}) };
    }
  }
}

/** Secret values of an AuthConfig (registered with the log's redactor before anything runs). */
export function authSecrets(auth: AuthConfig): string[] {
  switch (auth.type) {
    case 'pat':
      return [auth.token];
    case 'oauth-m2m':
    case 'azure-client-secret':
      return [auth.clientSecret];
    default:
      return [];
  }
}

// ------------------------------------------------------------------ the profile picker

export interface ProfileChoice {
  name: string;
  /** The host (and workspace id), or why the profile cannot be used. */
  host: string;
  /** How it signs in, in words. */
  method: string;
  usable: boolean;
  isDefault: boolean;
}

/** A sign-in method in words: an AuthConfig's type, or a workspace entry's authType. */
export function methodLabel(t: AuthConfig['type'] | WorkspaceEntry['authType']): string {
  switch (t) {
    case 'pat':
      return vscode.l10n.t('personal access token');
    case 'oauth-m2m':
      return vscode.l10n.t('OAuth client id and secret');
    case 'databricks-cli':
      return vscode.l10n.t('Databricks CLI login');
    case 'azure-cli':
      return vscode.l10n.t('Azure CLI login');
    case 'azure-client-secret':
      return vscode.l10n.t('Azure client secret');
    case 'default':
      return vscode.l10n.t('Databricks CLI login (host only)');
    case 'profile':
      return vscode.l10n.t('~/.databrickscfg profile');
    case 'env':
      return vscode.l10n.t('environment variables');
    case 'account':
      return vscode.l10n.t('the Databricks account’s identity');
  }
}

/** The profiles of the config file as `databricks auth profiles` lists them: file order, never `[__settings__]`. */
export function profileChoices(file: DatabricksConfigFile): ProfileChoice[] {
  let defaultName: string | undefined;
  try {
    defaultName = defaultProfile(file).name;
  } catch {
    defaultName = undefined;
  }
  return profileNames(file).map((name) => {
    const values = file.profiles.get(name) ?? {};
    const isDefault = name === defaultName;
    try {
      const r = attributesToConfig(profileAttributes(values), `[${name}]`, { profile: name });
      return { name, host: r.workspaceId ? `${r.host} · workspace ${r.workspaceId}` : r.host, method: methodLabel(r.auth.type), usable: true, isDefault };
    } catch (e) {
      const why = e instanceof AuthConfigError ? e.message.replace(/^\[[^\]]*\]\s*/, '') : String(e);
      return { name, host: values.host ?? vscode.l10n.t('(no host)'), method: why, usable: false, isDefault };
    }
  });
}

export function readConfigFile(): DatabricksConfigFile {
  return readDatabricksConfig({ path: configFilePath() });
}

// ------------------------------------------------------------------ "sign in again"

/**
 * Runs a login command (`databricks auth login …`, `az login`) in a terminal and resolves with its
 * exit code when the terminal closes (undefined when the user closed it first).
 */
export async function runLoginInTerminal(login: LoginCommand, title: string): Promise<number | undefined> {
  const terminal = vscode.window.createTerminal({ name: title, shellPath: login.command, shellArgs: login.args, env: login.env, isTransient: true });
  terminal.show();
  return new Promise((resolve) => {
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      sub.dispose();
      resolve(t.exitStatus?.code);
    });
  });
}

/** The login command of an error, when it is "sign in again". */
export function loginOf(e: unknown): LoginCommand | undefined {
  return e instanceof AuthConfigError && e.code === 'LOGIN_REQUIRED' ? e.login : undefined;
}
