import * as vscode from 'vscode';
import * as z from 'zod';
import { EntryStore } from '../model/entryStore';

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

type WorkspaceSecret = 'token' | 'clientSecret';
type StoredWorkspaceEntry = z.infer<typeof WorkspaceEntry>;

/**
 * The workspaces of the view: an entry store (model/entryStore.ts) of the setting
 * `partnerConnect.workspaces`, with the workspaces the accounts contribute after them; and the
 * partners' credentials (SecretStorage).
 */
export class WorkspaceStore extends EntryStore<StoredWorkspaceEntry, WorkspaceEntry, WorkspaceSecret, WorkspaceEntry> {
  constructor(secrets: vscode.SecretStorage, onInvalid: (message: string) => void) {
    super(secrets, onInvalid, { section: SETTING_SECTION, key: WORKSPACES_KEY, schema: WorkspaceEntry, secretKinds: ['token', 'clientSecret'], secretKey });
  }

  /** Entries contributed by the Databricks accounts (src/vscode/accounts/fleetModel.ts). */
  private derived: () => WorkspaceEntry[] = () => [];

  protected override extraEntries(): WorkspaceEntry[] {
    return this.derived();
  }

  /** The accounts' workspaces join the list; `changed` fires when they change. */
  setDerivedEntries(source: () => WorkspaceEntry[], changed: vscode.Event<unknown>): void {
    this.derived = source;
    this.subs.push(changed(() => this.changed()));
  }

  isAccountWorkspace(name: string): boolean {
    return this.get(name)?.authType === 'account';
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
}

function secretKey(workspaceName: string, kind: WorkspaceSecret): string {
  return `partnerConnect.workspace.${encodeURIComponent(workspaceName)}.${kind}`;
}
