import * as vscode from 'vscode';
import * as z from 'zod';
import { EntryStore } from '../model/entryStore';

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

type AccountSecret = 'clientSecret';

/** The accounts of the view: an entry store (model/entryStore.ts) of the setting `partnerConnect.accounts`. */
export class AccountStore extends EntryStore<AccountEntry, AccountEntryInput, AccountSecret> {
  constructor(secrets: vscode.SecretStorage, onInvalid: (message: string) => void) {
    super(secrets, onInvalid, { section: 'partnerConnect', key: 'accounts', schema: AccountEntry, secretKinds: ['clientSecret'], secretKey });
  }

  /** Changes an entry (e.g. the chosen workspaces) where it lives, without touching its secret. */
  async update(name: string, change: (e: AccountEntry) => AccountEntryInput): Promise<void> {
    if (!(await this.replace(name, change))) throw new Error(vscode.l10n.t('The account "{0}" is not configured any more.', name));
  }

  /** The account service principal's client secret (its only secret). */
  override getSecret(name: string, kind: AccountSecret = 'clientSecret'): Thenable<string | undefined> {
    return super.getSecret(name, kind);
  }
}

function secretKey(account: string, kind: AccountSecret): string {
  return `partnerConnect.account.${encodeURIComponent(account)}.${kind}`;
}
