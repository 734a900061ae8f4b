import * as vscode from 'vscode';
import { createWorkspaceClient, resolveWorkspaceConfig, type AuthConfig, type WorkspaceClient } from '../../client';
import type { Log } from '../log/log';
import type { WorkspaceEntry, WorkspaceStore } from '../workspaces/workspaceStore';

export const PRODUCT = { name: 'partner-connect-vscode', version: '0.1.0' };

/** Resolves a workspace entry's credentials (SecretStorage, config file, environment). */
export async function resolveAuth(entry: WorkspaceEntry, store: WorkspaceStore): Promise<{ host: string; auth: AuthConfig }> {
  switch (entry.authType) {
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

/** One WorkspaceClient per configured workspace (keep-alive connections are reused). */
export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<WorkspaceClient>>();

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: Log,
  ) {}

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

  private async create(entry: WorkspaceEntry): Promise<WorkspaceClient> {
    const { host, auth } = await resolveAuth(entry, this.store);
    registerSecrets(this.log, auth);
    const timeoutSeconds = vscode.workspace.getConfiguration('partnerConnect').get<number>('requestTimeoutSeconds', 60);
    return createWorkspaceClient({
      host,
      auth,
      product: PRODUCT,
      timeoutMs: Math.max(5, timeoutSeconds) * 1000,
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

  dispose(): void {
    for (const c of this.clients.values()) void c.then((cl) => cl.close()).catch(() => undefined);
    this.clients.clear();
  }
}
