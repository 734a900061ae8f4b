import * as vscode from 'vscode';
import * as z from 'zod';
import { readUserSettingList } from '../workspaces/userSettingList';

/**
 * The Databricks accounts in the view: non-secret entries in the application-scoped, restricted
 * user setting `partnerConnect.accounts`; the account service principal's client secret in
 * SecretStorage only. Which of the account's workspaces to show is part of the entry.
 */

export const AccountAuthKind = z.enum(['oauth-m2m', 'databricks-cli', 'profile', 'azure-cli']);
export type AccountAuthKind = z.infer<typeof AccountAuthKind>;

export const AccountEntry = z.object({
  name: z.string().min(1),
  /** an accounts host, e.g. https://accounts.cloud.databricks.com */
  host: z.string().min(1),
  accountId: z.string().min(1),
  authType: AccountAuthKind,
  /** oauth-m2m: the account service principal's application id */
  clientId: z.string().min(1).optional(),
  /** azure-cli: the Microsoft Entra ID tenant (optional) */
  tenantId: z.string().min(1).optional(),
  /** profile / databricks-cli: the ~/.databrickscfg profile, e.g. ACCOUNT-<id> */
  profile: z.string().min(1).optional(),
  cloud: z.enum(['aws', 'azure', 'gcp']).optional(),
  /** 'all', or the workspace ids chosen */
  workspaces: z.union([z.literal('all'), z.array(z.string().regex(/^\d+$/))]).default('all'),
  /** workspaces added by URL (when the account's list is not available, e.g. on Azure) */
  extraWorkspaces: z.array(z.object({ name: z.string().min(1), host: z.string().min(1), workspaceId: z.string().optional() })).default([]),
});
export type AccountEntry = z.output<typeof AccountEntry>;
export type AccountEntryInput = z.input<typeof AccountEntry>;

const SECTION = 'partnerConnect';
const KEY = 'accounts';

export class AccountStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly sub: vscode.Disposable;
  /** Accounts that live only for this session (demo/test bootstrap), never written to settings. */
  private readonly sessionEntries: AccountEntry[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onInvalid: (message: string) => void,
  ) {
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${KEY}`)) this.emitter.fire();
    });
  }

  private settingEntries(): AccountEntry[] {
    return readUserSettingList(SECTION, KEY, AccountEntry, this.onInvalid);
  }

  list(): AccountEntry[] {
    const seen = new Set<string>();
    return [...this.sessionEntries, ...this.settingEntries()].filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true)));
  }

  get(name: string): AccountEntry | undefined {
    return this.list().find((e) => e.name === name);
  }

  async add(input: AccountEntryInput, secrets: { clientSecret?: string }, o: { session?: boolean } = {}): Promise<void> {
    const e = AccountEntry.parse(input);
    if (secrets.clientSecret !== undefined) await this.secrets.store(secretKey(e.name), secrets.clientSecret);
    if (o.session || this.sessionEntries.some((x) => x.name === e.name)) {
      const i = this.sessionEntries.findIndex((x) => x.name === e.name);
      if (i >= 0) this.sessionEntries.splice(i, 1, e);
      else this.sessionEntries.push(e);
      this.emitter.fire();
      return;
    }
    const rest = this.settingEntries().filter((x) => x.name !== e.name);
    await vscode.workspace.getConfiguration(SECTION).update(KEY, [...rest, e], vscode.ConfigurationTarget.Global);
  }

  /** Changes an entry (e.g. the chosen workspaces) without touching its secret. */
  async update(name: string, change: (e: AccountEntry) => AccountEntryInput): Promise<void> {
    const e = this.get(name);
    if (!e) throw new Error(vscode.l10n.t('The account "{0}" is not configured any more.', name));
    await this.add(change(e), {});
  }

  async remove(name: string): Promise<void> {
    await this.secrets.delete(secretKey(name));
    const i = this.sessionEntries.findIndex((x) => x.name === name);
    if (i >= 0) {
      this.sessionEntries.splice(i, 1);
      this.emitter.fire();
    }
    const current = this.settingEntries();
    if (current.some((x) => x.name === name)) {
      await vscode.workspace.getConfiguration(SECTION).update(KEY, current.filter((x) => x.name !== name), vscode.ConfigurationTarget.Global);
    }
  }

  getSecret(name: string): Thenable<string | undefined> {
    return this.secrets.get(secretKey(name));
  }

  dispose(): void {
    this.emitter.dispose();
    this.sub.dispose();
  }
}

function secretKey(account: string): string {
  return `partnerConnect.account.${encodeURIComponent(account)}.clientSecret`;
}
