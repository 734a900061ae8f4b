import * as vscode from 'vscode';
import {
  accountProfileConfig,
  createAccountClient,
  readDatabricksConfig,
  scimEq,
  workspaceAuthFor,
  WorkspaceListUnavailableError,
  type AccountAuthConfig,
  type AccountClient,
  type AccountServicePrincipal,
  type AuthConfig,
} from '../../client';
import { partnerPrincipalFilters, fleetWorkspacesOf, nameAndId, notLoadable, type FleetFailure, type FleetWorkspace, type PartnerCatalog } from '../../domain';
import type { Log } from '../log/log';
import { PRODUCT, readRequestSettings } from '../model/clients';
import { bundledCliPaths } from '../workspaces/signIn';
import type { WorkspaceEntry } from '../workspaces/workspaceStore';
import type { AccountEntry, AccountStore } from './accountStore';

export type AccountLoad =
  | { kind: 'loading' }
  | {
      kind: 'ready';
      /** every workspace of the account (the list, plus those added by URL) */
      workspaces: FleetWorkspace[];
      /** the catalog partners' principals in the account (one SCIM call); null when it could not be read */
      principals: AccountServicePrincipal[] | null;
      /** the account's list could not be read (Azure): only the workspaces added by URL are known */
      listUnavailable: string | null;
    }
  | { kind: 'error'; error: unknown };

/** The tree's name of an account's workspace: unique across accounts and standalone workspaces. */
export function accountWorkspaceName(account: string, ws: Pick<FleetWorkspace, 'name'>): string {
  return `${account} / ${ws.name}`;
}

/** identityName's cache key: the account and the client id it signs in with. */
function principalNameKey(account: string, clientId: string): string {
  return `${account}\u0000${clientId}`;
}

/**
 * The accounts (list of workspaces, account principals) and the workspace entries they contribute
 * to the view: the chosen workspaces that can be loaded, each signing in on its own with the
 * account's identity (`workspaceAuthFor`). No UI here.
 */
export class FleetModel implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string | undefined>();
  /** Fires with an account name, or undefined when the list of accounts changed. */
  readonly onDidChange = this.emitter.event;
  private readonly loads = new Map<string, AccountLoad>();
  /** the last list read, kept while the account reloads (its workspaces stay in the view) */
  private readonly lastReady = new Map<string, Extract<AccountLoad, { kind: 'ready' }>>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly clients = new Map<string, { key: string; client: AccountClient }>();
  /** an OAuth principal's name and id, per account and client id (identityName) */
  private readonly principalNames = new Map<string, Promise<string>>();
  private readonly sub: vscode.Disposable;
  private readonly settingsSub: vscode.Disposable;
  /** Bumped when the network settings or the timeout change: the next request builds its client with them. */
  private settingsGeneration = 0;

  constructor(
    readonly accounts: AccountStore,
    private readonly log: Log,
    private readonly catalog: () => Promise<PartnerCatalog>,
  ) {
    this.sub = accounts.onDidChange(() => {
      const names = new Set(accounts.list().map((a) => a.name));
      for (const n of [...this.loads.keys()]) if (!names.has(n)) this.forgetLoad(n);
      // a removed account's principal name, and one of a client id the account no longer signs in with
      const current = new Set(accounts.list().map((a) => principalNameKey(a.name, a.clientId ?? '')));
      for (const k of [...this.principalNames.keys()]) if (!current.has(k)) this.principalNames.delete(k);
      this.emitter.fire(undefined);
    });
    this.settingsSub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('http') || e.affectsConfiguration('partnerConnect.requestTimeoutSeconds')) this.settingsGeneration++;
    });
  }

  list(): AccountEntry[] {
    return this.accounts.list();
  }

  entry(name: string): AccountEntry {
    const e = this.accounts.get(name);
    if (!e) throw new Error(vscode.l10n.t('The account "{0}" is not configured any more.', name));
    return e;
  }

  /** The current state; starts loading when nothing is known yet. */
  state(name: string): AccountLoad {
    const s = this.loads.get(name);
    if (s) return s;
    void this.refresh(name); // in the background: a failed load becomes the error state, refresh never rejects
    return this.loads.get(name) ?? { kind: 'loading' };
  }

  /** The account sign-in (secret from SecretStorage, or the profile read now). */
  async accountAuth(e: AccountEntry): Promise<{ host: string; accountId: string; auth: AccountAuthConfig }> {
    switch (e.authType) {
      case 'oauth-m2m': {
        const clientSecret = await this.accounts.getSecret(e.name);
        if (!e.clientId || !clientSecret) throw new Error(vscode.l10n.t('No client secret is stored for the account "{0}". Remove it and add it again.', e.name));
        this.log.redactor.addSecret(clientSecret);
        return { host: e.host, accountId: e.accountId, auth: { type: 'oauth-m2m', clientId: e.clientId, clientSecret } };
      }
      case 'databricks-cli':
        return { host: e.host, accountId: e.accountId, auth: { type: 'databricks-cli', profile: e.profile } };
      case 'azure-cli':
        return { host: e.host, accountId: e.accountId, auth: { type: 'azure-cli', tenantId: e.tenantId } };
      case 'profile': {
        const p = accountProfileConfig(readDatabricksConfig(), e.profile ?? `ACCOUNT-${e.accountId}`);
        if (p.auth.type === 'oauth-m2m') this.log.redactor.addSecret(p.auth.clientSecret);
        return { host: p.host, accountId: p.accountId, auth: p.auth };
      }
    }
  }

  /** How each workspace of the account signs in: never with the account's token. */
  async workspaceAuth(account: string): Promise<AuthConfig> {
    return workspaceAuthFor((await this.accountAuth(this.entry(account))).auth);
  }

  /** The account's identity, for messages: the service principal's application id, or the CLI profile. */
  identity(account: string): string {
    const e = this.entry(account);
    return e.authType === 'oauth-m2m' ? (e.clientId ?? e.name) : e.authType === 'azure-cli' ? 'the Azure CLI identity' : (e.profile ?? e.name);
  }

  /**
   * The identity in words, for messages: a service principal as the account console lists it - its
   * name, then its application id - looked up once per account in the account's SCIM (the application
   * id alone when that cannot be read); other identities as `identity` gives them.
   */
  async identityName(account: string): Promise<string> {
    const e = this.entry(account);
    const id = this.identity(account);
    if (e.authType !== 'oauth-m2m' || !e.clientId) return id;
    const key = principalNameKey(account, e.clientId);
    let p = this.principalNames.get(key);
    if (!p) {
      const clientId = e.clientId;
      p = this.client(account)
        .then((c) => c.listServicePrincipals({ filter: scimEq('applicationId', clientId), attributes: 'displayName,applicationId' }))
        .then((list) => nameAndId(list.find((sp) => sp.applicationId === clientId)?.displayName, clientId))
        .catch(() => {
          // not kept: the next message looks it up again (the account's SCIM may answer then)
          this.principalNames.delete(key);
          return clientId;
        });
      this.principalNames.set(key, p);
    }
    return p;
  }

  async client(name: string): Promise<AccountClient> {
    const e = this.entry(name);
    const key = JSON.stringify([e, this.settingsGeneration]);
    const known = this.clients.get(name);
    if (known?.key === key) return known.client;
    if (known) void known.client.close().catch(() => undefined); // closing the replaced client is not waited for
    const a = await this.accountAuth(e);
    // The same transport settings as workspace and partner calls (http.proxy & co., the clamped timeout).
    const { network, timeoutMs } = readRequestSettings(this.log);
    const client = createAccountClient({
      host: a.host,
      accountId: a.accountId,
      auth: a.auth,
      cloud: e.cloud,
      product: PRODUCT,
      network,
      timeoutMs,
      fallbackCliPaths: bundledCliPaths(),
      logger: (l) => this.log.trace(`[account ${name}] ${l}`),
    });
    this.clients.set(name, { key, client });
    return client;
  }

  /** Reloads one account's workspace list (or all). */
  async refresh(name?: string): Promise<void> {
    const names = name ? [name] : this.list().map((a) => a.name);
    await Promise.all(names.map((n) => this.load(n)));
  }

  private load(name: string): Promise<void> {
    const running = this.inflight.get(name);
    if (running) return running;
    this.loads.set(name, { kind: 'loading' });
    this.emitter.fire(name);
    const p = (async () => {
      const e = this.entry(name);
      const client = await this.client(name);
      const added: FleetWorkspace[] = e.extraWorkspaces.map((x) => ({ workspaceId: x.workspaceId ?? '', name: x.name, host: x.host, deploymentName: undefined, status: 'RUNNING', cloud: client.cloud, addedByUrl: true }));
      let listed: FleetWorkspace[] = [];
      let listUnavailable: string | null = null;
      try {
        listed = fleetWorkspacesOf(client.host, client.cloud, await client.listWorkspaces());
      } catch (err) {
        if (!(err instanceof WorkspaceListUnavailableError)) throw err;
        listUnavailable = err.message;
        this.log.warn(`[account ${name}] ${err.message}`);
      }
      const known = new Set(listed.map((w) => w.host));
      const workspaces = [...listed, ...added.filter((w) => !known.has(w.host))];
      const principals = await this.partnerPrincipals(client).catch((err: unknown) => {
        this.log.warn(`[account ${name}] the account's partner principals could not be read: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      });
      const ready = { kind: 'ready' as const, workspaces, principals, listUnavailable };
      this.loads.set(name, ready);
      this.lastReady.set(name, ready);
      this.log.info(`[account ${name}] ${workspaces.length} workspace(s)${listUnavailable ? ' (the account list is not available)' : ''}; ${principals?.length ?? '?'} partner principal(s) in the account`);
    })().then(
      () => undefined,
      (error: unknown) => {
        if (!this.accounts.get(name)) return;
        this.loads.set(name, { kind: 'error', error });
        this.log.error(`[account ${name}] listing the workspaces failed`, error);
      },
    );
    const done = p.finally(() => {
      this.inflight.delete(name);
      this.emitter.fire(name);
    });
    this.inflight.set(name, done);
    return done;
  }

  /** Every `<PARTNER>_USER` principal of the account, in one account SCIM call (≤ 200 filter nodes). */
  private async partnerPrincipals(client: AccountClient): Promise<AccountServicePrincipal[]> {
    const names = (await this.catalog()).partners.map((p) => p.servicePrincipalName).filter((n): n is string => !!n);
    const lists = await Promise.all(partnerPrincipalFilters(names).map((filter) => client.listServicePrincipals({ filter })));
    return lists.flat();
  }

  /** The chosen workspaces of an account (all, or the picked ids; those added by URL always). */
  chosen(name: string): FleetWorkspace[] {
    const st = this.lastReady.get(name);
    if (!st) return [];
    const e = this.accounts.get(name);
    if (!e) return [];
    return st.workspaces.filter((w) => w.addedByUrl || e.workspaces === 'all' || e.workspaces.includes(w.workspaceId));
  }

  /** The chosen workspaces that cannot be loaded (not running, no URL), with why. */
  notLoadable(name: string): Array<{ workspace: FleetWorkspace; failure: FleetFailure }> {
    return this.chosen(name).flatMap((workspace) => {
      const failure = notLoadable(workspace);
      return failure ? [{ workspace, failure }] : [];
    });
  }

  /** The workspace entries the accounts contribute to the view. */
  entries(): WorkspaceEntry[] {
    const out: WorkspaceEntry[] = [];
    for (const a of this.list()) {
      for (const w of this.chosen(a.name)) {
        if (notLoadable(w) || !w.host) continue;
        out.push({ name: accountWorkspaceName(a.name, w), label: w.name, host: w.host, authType: 'account', account: a.name, workspaceId: w.workspaceId || undefined });
      }
    }
    return out;
  }

  /** The fleet workspace behind a workspace entry of an account. */
  workspaceOf(entry: WorkspaceEntry): FleetWorkspace | undefined {
    if (entry.authType !== 'account') return undefined;
    return this.lastReady.get(entry.account)?.workspaces.find((w) => w.host === entry.host);
  }

  private forgetLoad(name: string): void {
    this.loads.delete(name);
    this.lastReady.delete(name);
    const c = this.clients.get(name);
    this.clients.delete(name);
    void c?.client.close().catch(() => undefined); // closing is not waited for (idle sockets only)
  }

  dispose(): void {
    // synchronous (dispose): closing is started, not awaited (idle sockets only; a failure changes nothing)
    for (const c of this.clients.values()) void c.client.close().catch(() => undefined);
    this.clients.clear();
    this.emitter.dispose();
    this.sub.dispose();
    this.settingsSub.dispose();
  }
}

/** Why an account's workspace could not be loaded (the message is the explanation shown in the tree). */
export class FleetWorkspaceError extends Error {
  constructor(
    readonly failure: FleetFailure,
    options?: { cause?: unknown },
  ) {
    super(failure.message, options);
    this.name = 'FleetWorkspaceError';
  }
}
