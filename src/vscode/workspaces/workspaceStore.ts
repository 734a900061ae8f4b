import * as vscode from 'vscode';
import * as z from 'zod';
import { readUserSettingList } from './userSettingList';

/**
 * The list of configured workspaces (non-secret, in the application-scoped setting
 * `partnerConnect.workspaces`) and their secrets (in SecretStorage only).
 */

export const AuthKind = z.enum(['pat', 'oauth-m2m', 'databricks-cli', 'profile', 'env', 'azure-cli', 'azure-client-secret']);
export type AuthKind = z.infer<typeof AuthKind>;

export const WorkspaceEntry = z.object({
  name: z.string().min(1),
  host: z.string().min(1),
  authType: AuthKind,
  profile: z.string().min(1).optional(),
  /** oauth-m2m: the service principal's application id; azure-client-secret: the Entra ID application (client) id. */
  clientId: z.string().min(1).optional(),
  /** azure-cli / azure-client-secret: the Entra ID tenant (found from the workspace when absent). */
  tenantId: z.string().min(1).optional(),
  /** The workspace behind a unified host (X-Databricks-Workspace-Id). */
  workspaceId: z.string().min(1).optional(),
});
/**
 * A workspace of the view: one from the setting (or the session), or one a Databricks account
 * contributes (`authType: 'account'`: it signs in with the account's identity; never in the setting).
 */
export type WorkspaceEntry =
  | z.infer<typeof WorkspaceEntry>
  | { name: string; host: string; authType: 'account'; account: string; workspaceId?: string; label?: string; profile?: undefined; clientId?: undefined; tenantId?: undefined };

export const SETTING_SECTION = 'partnerConnect';
export const WORKSPACES_KEY = 'workspaces';

const PartnerCredential = z.object({ username: z.string(), password: z.string() });
export type PartnerCredential = z.infer<typeof PartnerCredential>;

/** The one host normalisation (src/client/auth/host.ts): https scheme, origin only, http only for loopback. */
export { normaliseHost } from '../../client';

/** How a workspace's host is shown: the host, and the workspace id when it is one of several behind a shared host. */
export function hostLabel(e: { host: string; workspaceId?: string }): string {
  return e.workspaceId ? `${e.host} · workspace ${e.workspaceId}` : e.host;
}

export class WorkspaceStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];
  /** Entries that live only for this session (demo/test bootstrap), never written to settings. */
  private readonly sessionEntries: WorkspaceEntry[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onInvalid: (message: string) => void,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTING_SECTION}.${WORKSPACES_KEY}`)) this.emitter.fire();
      }),
    );
  }

  /** Only the user (global) value counts: the setting is application-scoped and restricted. */
  private settingEntries(): WorkspaceEntry[] {
    return readUserSettingList(SETTING_SECTION, WORKSPACES_KEY, WorkspaceEntry, this.onInvalid);
  }

  /** Entries contributed by the Databricks accounts (src/vscode/accounts/fleetModel.ts). */
  private derived: () => WorkspaceEntry[] = () => [];

  /** The accounts' workspaces join the list; `changed` fires when they change. */
  setDerivedEntries(source: () => WorkspaceEntry[], changed: vscode.Event<unknown>): void {
    this.derived = source;
    this.subs.push(changed(() => this.emitter.fire()));
  }

  isAccountWorkspace(name: string): boolean {
    return this.get(name)?.authType === 'account';
  }

  list(): WorkspaceEntry[] {
    const seen = new Set<string>();
    const out: WorkspaceEntry[] = [];
    for (const e of [...this.sessionEntries, ...this.settingEntries(), ...this.derived()]) {
      if (seen.has(e.name)) continue;
      seen.add(e.name);
      out.push(e);
    }
    return out;
  }

  get(name: string): WorkspaceEntry | undefined {
    return this.list().find((e) => e.name === name);
  }

  isSessionEntry(name: string): boolean {
    return this.sessionEntries.some((e) => e.name === name);
  }

  /** Adds or replaces (same name) an entry; secrets are stored first. */
  async add(entry: WorkspaceEntry, secrets: { token?: string; clientSecret?: string }, opts: { session?: boolean } = {}): Promise<void> {
    const e = WorkspaceEntry.parse(entry);
    if (secrets.token !== undefined) await this.secrets.store(secretKey(e.name, 'token'), secrets.token);
    if (secrets.clientSecret !== undefined) await this.secrets.store(secretKey(e.name, 'clientSecret'), secrets.clientSecret);
    if (opts.session) {
      const i = this.sessionEntries.findIndex((x) => x.name === e.name);
      if (i >= 0) this.sessionEntries.splice(i, 1, e);
      else this.sessionEntries.push(e);
      this.emitter.fire();
      return;
    }
    const current = this.settingEntries().filter((x) => x.name !== e.name);
    await vscode.workspace
      .getConfiguration(SETTING_SECTION)
      .update(WORKSPACES_KEY, [...current, e], vscode.ConfigurationTarget.Global);
    // onDidChangeConfiguration fires the change event.
  }

  async remove(name: string): Promise<void> {
    await this.secrets.delete(secretKey(name, 'token'));
    await this.secrets.delete(secretKey(name, 'clientSecret'));
    const i = this.sessionEntries.findIndex((x) => x.name === name);
    if (i >= 0) {
      this.sessionEntries.splice(i, 1);
      this.emitter.fire();
    }
    const current = this.settingEntries();
    if (current.some((x) => x.name === name)) {
      await vscode.workspace
        .getConfiguration(SETTING_SECTION)
        .update(WORKSPACES_KEY, current.filter((x) => x.name !== name), vscode.ConfigurationTarget.Global);
    }
  }

  getSecret(name: string, kind: 'token' | 'clientSecret'): Thenable<string | undefined> {
    return this.secrets.get(secretKey(name, kind));
  }

  async getPartnerCredential(partnerId: string): Promise<PartnerCredential | undefined> {
    const raw = await this.secrets.get(`partnerConnect.partner.${partnerId}.basic`);
    if (!raw) return undefined;
    try {
      const r = PartnerCredential.safeParse(JSON.parse(raw));
      return r.success ? r.data : undefined;
    } catch {
      return undefined;
    }
  }

  async setPartnerCredential(partnerId: string, cred: PartnerCredential): Promise<void> {
    await this.secrets.store(`partnerConnect.partner.${partnerId}.basic`, JSON.stringify(cred));
  }

  dispose(): void {
    this.emitter.dispose();
    for (const s of this.subs) s.dispose();
  }
}

function secretKey(workspaceName: string, kind: 'token' | 'clientSecret'): string {
  return `partnerConnect.workspace.${encodeURIComponent(workspaceName)}.${kind}`;
}
