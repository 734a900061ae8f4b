import * as vscode from 'vscode';
import { createWorkspaceClient, PRODUCT, type NetworkOptions, type WorkspaceClient } from '../../client';
import { authSecrets, bundledCliPaths, resolveAuth, type AccountWorkspaceAuth } from '../workspaces/signIn';
import { networkOptions, requestTimeoutMs } from './networkSettings';
import type { Log } from '../log/log';
import type { WorkspaceEntry, WorkspaceStore } from '../workspaces/workspaceStore';

export { PRODUCT };

export { resolveAuth, MissingSecretError, HostChangedError, type AccountWorkspaceAuth } from '../workspaces/signIn';

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
    const { host, auth, workspaceId } = await resolveAuth(entry, this.store, this.accountAuth);
    for (const secret of authSecrets(auth)) this.log.redactor.addSecret(secret);
    const { network, timeoutMs } = this.requestSettings();
    return createWorkspaceClient({
      host,
      auth,
      product: PRODUCT,
      timeoutMs,
      network,
      ...(workspaceId ? { workspaceId } : {}),
      fallbackCliPaths: bundledCliPaths(),
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
