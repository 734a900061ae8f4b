import * as vscode from 'vscode';
import { createWorkspaceClient, resolveWorkspaceConfig, type AuthConfig, type NetworkOptions, type WorkspaceClient } from '../../client';
import { networkOptions, requestTimeoutMs } from './networkSettings';
import type { Log } from '../log/log';
import type { WorkspaceEntry, WorkspaceStore } from '../workspaces/workspaceStore';

export const PRODUCT = { name: 'partner-connect-vscode', version: '0.1.0' };

/** How an account's workspace signs in (src/vscode/accounts/fleetModel.ts). */
export type AccountWorkspaceAuth = (account: string) => Promise<AuthConfig>;

/** Resolves a workspace entry's credentials (SecretStorage, config file, environment, the account's identity). */
export async function resolveAuth(entry: WorkspaceEntry, store: WorkspaceStore, accountAuth?: AccountWorkspaceAuth): Promise<{ host: string; auth: AuthConfig }> {
  switch (entry.authType) {
    case 'account': {
      if (!accountAuth) throw new Error(vscode.l10n.t('The workspace "{0}" belongs to the account "{1}", which is not loaded.', entry.name, entry.account));
      return { host: entry.host, auth: await accountAuth(entry.account) };
    }
    case 'pat': {
      const token = await store.getSecret(entry.name, 'token');
      if (!token) throw new MissingSecretError(entry.name, 'personal access token');
      return { host: entry.host, auth: { type: 'pat', token } };
    }
    case 'oauth-m2m': {
      const clientSecret = await store.getSecret(entry.name, 'clientSecret');
      if (!entry.clientId || !clientSecret) throw new MissingSecretError(entry.name, 'OAuth client secret');
      return { host: entry.host, auth: { type: 'oauth-m2m', clientId: entry.clientId, clientSecret } };
    }
    case 'databricks-cli':
      return { host: entry.host, auth: { type: 'databricks-cli', profile: entry.profile } };
    case 'profile': {
      // The SDKs' rules: the named profile, with environment values winning attribute by attribute.
      const r = resolveWorkspaceConfig({ env: process.env, profile: entry.profile ?? 'DEFAULT' });
      if (r.host !== entry.host) throw new HostChangedError(entry, r.host, r.environment ?? []);
      return { host: r.host, auth: r.auth };
    }
    case 'env': {
      const r = resolveWorkspaceConfig({ env: process.env });
      return { host: r.host, auth: r.auth };
    }
  }
}

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

function registerSecrets(log: Log, auth: AuthConfig): void {
  if (auth.type === 'pat') log.redactor.addSecret(auth.token);
  if (auth.type === 'oauth-m2m') log.redactor.addSecret(auth.clientSecret);
}

/**
 * What every request of the extension uses, read from VS Code each time a client is made: the
 * network settings (http.proxy, http.noProxy, http.proxyStrictSSL, http.proxyAuthorization,
 * http.systemCertificates) and partnerConnect.requestTimeoutSeconds (clamped to 5–600).
 */
export interface RequestSettings {
  network: NetworkOptions;
  timeoutMs: number;
}

export function readRequestSettings(log: Log): RequestSettings {
  const http = vscode.workspace.getConfiguration('http');
  const { options, warnings } = networkOptions({
    proxy: http.get('proxy'),
    noProxy: http.get('noProxy'),
    proxyStrictSSL: http.get('proxyStrictSSL'),
    proxyAuthorization: http.get('proxyAuthorization'),
    systemCertificates: http.get('systemCertificates'),
  });
  if (options.proxyAuthorization) log.redactor.addSecret(options.proxyAuthorization);
  const timeout = requestTimeoutMs(vscode.workspace.getConfiguration('partnerConnect').get<unknown>('requestTimeoutSeconds'));
  for (const w of [...warnings, ...(timeout.warning ? [timeout.warning] : [])]) log.warn(w);
  return { network: options, timeoutMs: timeout.ms };
}

/** One WorkspaceClient per configured workspace (keep-alive connections are reused). */
export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<WorkspaceClient>>();
  private readonly subs: vscode.Disposable[] = [];
  private accountAuth: AccountWorkspaceAuth | undefined;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: Log,
  ) {
    // New network settings or timeout: the next request builds its client with them.
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('http') || e.affectsConfiguration('partnerConnect.requestTimeoutSeconds')) this.closeAll();
      }),
    );
  }

  /** Lets the workspaces of Databricks accounts sign in (each with its own token, minted at the workspace). */
  setAccountAuth(fn: AccountWorkspaceAuth): void {
    this.accountAuth = fn;
  }

  get(entry: WorkspaceEntry): Promise<WorkspaceClient> {
    const key = JSON.stringify(entry);
    let c = this.clients.get(key);
    if (!c) {
      c = this.create(entry);
      this.clients.set(key, c);
      c.catch(() => this.clients.delete(key));
    }
    return c;
  }

  /** The settings partner calls use too: one transport configuration for workspace, token and partner calls. */
  requestSettings(): RequestSettings {
    return readRequestSettings(this.log);
  }

  private async create(entry: WorkspaceEntry): Promise<WorkspaceClient> {
    const { host, auth } = await resolveAuth(entry, this.store, this.accountAuth);
    registerSecrets(this.log, auth);
    const { network, timeoutMs } = this.requestSettings();
    return createWorkspaceClient({
      host,
      auth,
      product: PRODUCT,
      timeoutMs,
      network,
      logger: (line) => this.log.trace(`[${entry.name}] ${line}`),
    });
  }

  /** Drops (and closes) the clients of a workspace, e.g. after its credentials changed. */
  async forget(name: string): Promise<void> {
    for (const [key, c] of [...this.clients]) {
      if ((JSON.parse(key) as WorkspaceEntry).name !== name) continue;
      this.clients.delete(key);
      await c.then((cl) => cl.close()).catch(() => undefined);
    }
  }

  private closeAll(): void {
    // synchronous (dispose): closing is started, not awaited (idle sockets only; a failure changes nothing)
    for (const c of this.clients.values()) void c.then((cl) => cl.close()).catch(() => undefined);
    this.clients.clear();
  }

  dispose(): void {
    this.closeAll();
    for (const s of this.subs) s.dispose();
  }
}
