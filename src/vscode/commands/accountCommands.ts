/**
 * Databricks accounts: Add Databricks Account…, Choose Workspaces…, Add Workspaces… (by URL or the
 * Azure Resource Manager listing), Refresh Account, Remove Account….
 */
import * as vscode from 'vscode';
import {
  ACCOUNTS_HOSTS,
  WorkspaceListUnavailableError,
  azureDatabricksWorkspaces,
  createAccountClient,
  listAccountProfiles,
  normaliseAccountsHost,
  normaliseHost,
  type AccountAuthConfig,
  type AccountCloud,
} from '../../client';
import { fleetWorkspacesOf, notLoadable, type FleetWorkspace } from '../../domain';
import type { AccountEntry, AccountEntryInput } from '../accounts/accountStore';
import { accountWorkspaceName } from '../accounts/fleetModel';
import { PRODUCT } from '../model/clients';
import type { Services } from '../services';
import { isAccountMessageNode, isAccountNode } from '../tree/nodes';
import { BackSignal, tellWithCommand } from '../ui/prompter';
import { UserCancelled, withCancellableProgress } from './action';

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new UserCancelled();
  return v;
}

const ACCOUNT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The account of a tree item (account node or its message), or asked (skipped when there is one). */
export async function resolveAccount(s: Services, arg: unknown): Promise<string> {
  if (isAccountNode(arg) || isAccountMessageNode(arg)) return arg.account;
  const accounts = s.fleet.list();
  if (accounts.length === 0) {
    const add = vscode.l10n.t('Add Databricks Account…');
    tellWithCommand(s.prompter(), { id: 'noAccount', severity: 'info', message: vscode.l10n.t('No Databricks account is configured yet.') }, add, 'partnerConnect.addAccount', undefined, (e) =>
      s.log.error('Add Databricks Account from the message failed', e),
    );
    throw new UserCancelled();
  }
  if (accounts.length === 1) return accounts[0].name;
  return need(
    await s.prompter().pick<string>({
      id: 'account',
      title: vscode.l10n.t('Partner Connect: choose a Databricks account'),
      items: accounts.map((a) => ({ label: a.name, description: a.host, detail: a.accountId, value: a.name, icon: 'organization' })),
    }),
  );
}

type Method = 'oauth-m2m' | 'databricks-cli' | 'profile' | 'azure-cli';

/** Add Databricks Account…: sign in at the account, list its workspaces, choose them. */
export async function addAccount(s: Services): Promise<string | undefined> {
  const p = s.prompter();
  const taken = new Set(s.fleet.list().map((a) => a.name));
  for (;;) {
    const method = need(
      await p.pick<Method>({
        id: 'addAccount.method',
        title: vscode.l10n.t('Partner Connect: Add Databricks Account'),
        placeholder: vscode.l10n.t('How do you sign in to the account? (account admins only)'),
        items: [
          { label: vscode.l10n.t('Account service principal (OAuth client id and secret)'), detail: vscode.l10n.t('The same principal signs in to each workspace with its own token; it needs the account admin role and workspace admin in each workspace.'), value: 'oauth-m2m', icon: 'lock' },
          { label: vscode.l10n.t('From a ~/.databrickscfg account profile'), detail: vscode.l10n.t('A profile with host = https://accounts.… and account_id, e.g. [ACCOUNT-<id>]'), value: 'profile', icon: 'file' },
          { label: vscode.l10n.t('Through the Databricks CLI (databricks auth login --account-id)'), detail: vscode.l10n.t('Each workspace needs its own login: databricks auth login --host <workspace URL>'), value: 'databricks-cli', icon: 'terminal-bash' },
          { label: vscode.l10n.t('Through the Azure CLI (az login)'), detail: vscode.l10n.t('Azure accounts: one Microsoft Entra ID sign-in for the account and every workspace'), value: 'azure-cli', icon: 'azure' },
        ],
      }),
    );
    try {
      let host: string;
      let accountId: string;
      let auth: AccountAuthConfig;
      let entry: Omit<AccountEntryInput, 'name'>;
      let secret: string | undefined;
      if (method === 'profile') {
        const profiles = listAccountProfiles();
        if (profiles.length === 0) throw new Error(vscode.l10n.t('~/.databrickscfg has no account profile (a profile with host = https://accounts.… and account_id). Create one with "databricks auth login --host https://accounts.cloud.databricks.com --account-id <id>".'));
        const name = need(
          await p.pick<string>({
            id: 'addAccount.profile',
            title: vscode.l10n.t('Choose an account profile'),
            step: 2,
            totalSteps: 4,
            canGoBack: true,
            items: profiles.map((x) => ({ label: x.name, description: `${x.host} · ${x.authType}`, detail: x.accountId, value: x.name, icon: 'account' })),
          }),
        );
        const chosen = profiles.find((x) => x.name === name)!;
        host = normaliseAccountsHost(chosen.host);
        accountId = chosen.accountId;
        auth = chosen.authType === 'databricks-cli' ? { type: 'databricks-cli', profile: name } : (await s.fleet.accountAuth({ name, host, accountId, authType: 'profile', profile: name, workspaces: 'all', extraWorkspaces: [] })).auth;
        entry = { host, accountId, authType: 'profile', profile: name };
      } else {
        host = await pickAccountsHost(s);
        accountId = need(
          await p.input({
            id: 'addAccount.accountId',
            title: vscode.l10n.t('Account id'),
            prompt: vscode.l10n.t('The account console shows it in the user menu (a UUID)'),
            validate: (v) => (ACCOUNT_ID.test(v.trim()) ? undefined : vscode.l10n.t('Enter the account id, a UUID such as 01234567-89ab-4cde-8f01-23456789abcd.')),
            step: 3,
            totalSteps: method === 'oauth-m2m' ? 6 : 4,
            canGoBack: true,
          }),
        ).trim();
        if (method === 'oauth-m2m') {
          const clientId = need(
            await p.input({ id: 'addAccount.clientId', title: vscode.l10n.t('Client id of the account service principal'), prompt: vscode.l10n.t('Its application id; the principal needs the account admin role'), validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the client id.')), step: 4, totalSteps: 6, canGoBack: true }),
          ).trim();
          secret = need(
            await p.input({ id: 'addAccount.clientSecret', title: vscode.l10n.t('OAuth secret of the account service principal'), prompt: vscode.l10n.t('Stored in VS Code secret storage only'), password: true, validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the secret.')), step: 5, totalSteps: 6, canGoBack: true }),
          ).trim();
          s.log.redactor.addSecret(secret);
          auth = { type: 'oauth-m2m', clientId, clientSecret: secret };
          entry = { host, accountId, authType: 'oauth-m2m', clientId };
        } else if (method === 'azure-cli') {
          auth = { type: 'azure-cli' };
          entry = { host, accountId, authType: 'azure-cli' };
        } else {
          auth = { type: 'databricks-cli' };
          entry = { host, accountId, authType: 'databricks-cli' };
        }
      }
      // Sign in once and list the workspaces.
      const listed = await withCancellableProgress(vscode.l10n.t('Signing in to account {0}…', accountId), async (signal) => {
        const client = createAccountClient({ host, accountId, auth, product: PRODUCT, logger: (l) => s.log.trace(`[account] ${l}`) });
        try {
          return { cloud: client.cloud, workspaces: fleetWorkspacesOf(client.host, client.cloud, await client.listWorkspaces({ signal })), unavailable: null as string | null };
        } catch (e) {
          if (e instanceof WorkspaceListUnavailableError) return { cloud: client.cloud, workspaces: [] as FleetWorkspace[], unavailable: e.message };
          throw e;
        } finally {
          await client.close();
        }
      });
      let workspaces: AccountEntryInput['workspaces'] = 'all';
      let extraWorkspaces: NonNullable<AccountEntryInput['extraWorkspaces']> = [];
      if (listed.unavailable) {
        extraWorkspaces = await findWorkspacesOtherwise(s, listed.unavailable, listed.cloud);
      } else {
        workspaces = await pickWorkspaces(s, listed.workspaces, 'all');
      }
      const suggested = uniqueName(`${new URL(host).hostname.split('.')[1] ?? 'account'} ${accountId.slice(0, 8)}`, taken);
      const name = need(
        await p.input({
          id: 'addAccount.name',
          title: vscode.l10n.t('Name of the account'),
          prompt: vscode.l10n.t('Shown in the Partner Connect view above its workspaces'),
          value: suggested,
          validate: (v) => (!v.trim() ? vscode.l10n.t('Enter a name.') : taken.has(v.trim()) ? vscode.l10n.t('An account named "{0}" exists already.', v.trim()) : v.includes('/') ? vscode.l10n.t('The name may not contain "/".') : undefined),
        }),
      ).trim();
      await s.accounts.add({ ...entry, name, cloud: listed.cloud, workspaces, extraWorkspaces }, { clientSecret: secret });
      s.log.info(`account "${name}" added (${host}, account ${accountId}, ${method}); ${workspaces === 'all' ? 'all' : (workspaces?.length ?? 0)} workspace(s) chosen${extraWorkspaces.length ? `, ${extraWorkspaces.length} added by URL` : ''}`);
      await s.fleet.refresh(name);
      const open = vscode.l10n.t('Open Fleet Matrix');
      tellWithCommand(p, { id: 'addAccount.done', severity: 'info', message: vscode.l10n.t('Added the account {0}: its workspaces load in the Partner Connect view.', name) }, open, 'partnerConnect.openFleetMatrix', { kind: 'account', account: name }, (e) =>
        s.log.error('Open Fleet Matrix from the message failed', e),
      );
      return name;
    } catch (e) {
      if (e instanceof BackSignal) continue;
      throw e;
    }
  }
}

async function pickAccountsHost(s: Services): Promise<string> {
  const other = '__other__';
  const picked = need(
    await s.prompter().pick<string>({
      id: 'addAccount.host',
      title: vscode.l10n.t('Accounts host'),
      placeholder: vscode.l10n.t('The account console of your cloud'),
      step: 2,
      totalSteps: 6,
      canGoBack: true,
      items: [
        ...ACCOUNTS_HOSTS.map((h) => ({ label: h.label, description: h.host, detail: h.unverified ? vscode.l10n.t('(not confirmed by more than one source)') : undefined, value: h.host, icon: 'cloud' })),
        { label: vscode.l10n.t('Other accounts host…'), value: other, icon: 'edit' },
      ],
    }),
  );
  if (picked !== other) return picked;
  return normaliseAccountsHost(
    need(
      await s.prompter().input({
        id: 'addAccount.hostUrl',
        title: vscode.l10n.t('Accounts host URL'),
        prompt: vscode.l10n.t('e.g. https://accounts.cloud.databricks.com'),
        validate: (v) => {
          try {
            normaliseAccountsHost(v);
            return undefined;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        },
      }),
    ),
  );
}

/** Pick all or some workspaces; all picked (and none added later excluded) = 'all'. */
async function pickWorkspaces(s: Services, list: FleetWorkspace[], current: AccountEntry['workspaces']): Promise<AccountEntryInput['workspaces']> {
  if (list.length === 0) return 'all';
  const picked = need(
    await s.prompter().pickMany<string>({
      id: 'addAccount.workspaces',
      title: vscode.l10n.t('Choose the workspaces to show ({0} in the account)', list.length),
      placeholder: vscode.l10n.t('All picked = every workspace, including ones created later'),
      items: list.map((w) => {
        const why = notLoadable(w);
        return {
          label: w.name,
          description: [w.status !== 'RUNNING' ? w.status.toLowerCase() : '', w.region ?? '', w.host ?? vscode.l10n.t('no URL')].filter(Boolean).join(' · '),
          detail: why ? why.message : undefined,
          value: w.workspaceId,
          picked: current === 'all' || current.includes(w.workspaceId),
          icon: 'server-environment',
        };
      }),
    }),
  );
  if (picked.length === 0) throw new UserCancelled();
  return picked.length === list.length ? 'all' : picked;
}

/** The Azure fallback: workspaces by URL, or the Azure Resource Manager listing through the Azure CLI. */
async function findWorkspacesOtherwise(s: Services, why: string, cloud: AccountCloud): Promise<NonNullable<AccountEntryInput['extraWorkspaces']>> {
  const byUrl = vscode.l10n.t('Add Workspaces by URL');
  const arm = vscode.l10n.t('List with the Azure CLI (Azure Resource Manager)');
  const choice = await s.prompter().inform({ id: 'addAccount.listUnavailable', message: vscode.l10n.t('The account’s workspace list is not available'), detail: why, actions: cloud === 'azure' ? [arm, byUrl] : [byUrl] });
  if (choice === arm) return armWorkspaces(s);
  if (choice === byUrl) return urlWorkspaces(s);
  throw new UserCancelled();
}

async function urlWorkspaces(s: Services): Promise<Array<{ name: string; host: string }>> {
  const raw = need(
    await s.prompter().input({
      id: 'addAccount.workspaceUrls',
      title: vscode.l10n.t('Workspace URLs'),
      prompt: vscode.l10n.t('One or more workspace URLs, separated by spaces or commas (e.g. https://adb-1234567890123456.7.azuredatabricks.net)'),
      validate: (v) => {
        const parts = v.split(/[\s,]+/).filter(Boolean);
        if (parts.length === 0) return vscode.l10n.t('Enter at least one URL.');
        for (const x of parts) {
          try {
            normaliseHost(x);
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        }
        return undefined;
      },
    }),
  );
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((x) => {
      const host = normaliseHost(x);
      return { name: new URL(host).hostname.split('.')[0] ?? host, host };
    });
}

async function armWorkspaces(s: Services): Promise<Array<{ name: string; host: string; workspaceId?: string }>> {
  const found = await withCancellableProgress(vscode.l10n.t('Listing Azure Databricks workspaces with the Azure CLI…'), (signal) => azureDatabricksWorkspaces({ signal }));
  if (found.length === 0) throw new Error(vscode.l10n.t('The Azure CLI lists no Azure Databricks workspace in the subscriptions it can read. Sign in with "az login", or add the workspaces by URL.'));
  const picked = need(
    await s.prompter().pickMany<string>({
      id: 'addAccount.armWorkspaces',
      title: vscode.l10n.t('Azure Databricks workspaces ({0})', found.length),
      items: found.map((w) => ({ label: w.name, description: w.host, detail: `${w.subscriptionName ?? w.subscriptionId} · ${w.resourceGroup ?? ''} · ${w.location ?? ''}`, value: w.host, picked: true, icon: 'azure' })),
    }),
  );
  return found.filter((w) => picked.includes(w.host)).map((w) => ({ name: w.name, host: w.host, ...(w.workspaceId ? { workspaceId: w.workspaceId } : {}) }));
}

function uniqueName(base: string, taken: Set<string>): string {
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base} (${i})`;
  return n;
}

export async function chooseAccountWorkspaces(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const st = s.fleet.state(account);
  if (st.kind !== 'ready') {
    await s.fleet.refresh(account);
  }
  const now = s.fleet.state(account);
  if (now.kind !== 'ready') throw new Error(vscode.l10n.t('The workspaces of {0} could not be listed.', account));
  const listed = now.workspaces.filter((w) => !w.addedByUrl);
  const workspaces = await pickWorkspaces(s, listed, s.fleet.entry(account).workspaces);
  await s.accounts.update(account, (e) => ({ ...e, workspaces }));
  await s.fleet.refresh(account);
}

export async function addAccountWorkspaces(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const e = s.fleet.entry(account);
  const cloud = e.cloud ?? 'aws';
  const byUrl = vscode.l10n.t('Enter workspace URLs');
  const arm = vscode.l10n.t('List with the Azure CLI (Azure Resource Manager)');
  const how = need(
    await s.prompter().pick<string>({
      id: 'addAccountWorkspaces.how',
      title: vscode.l10n.t('Add workspaces to {0}', account),
      items: [{ label: byUrl, value: byUrl, icon: 'link' }, ...(cloud === 'azure' ? [{ label: arm, value: arm, icon: 'azure' }] : [])],
    }),
  );
  const added = how === arm ? await armWorkspaces(s) : await urlWorkspaces(s);
  await s.accounts.update(account, (x) => ({ ...x, extraWorkspaces: [...x.extraWorkspaces.filter((w) => !added.some((a) => a.host === w.host)), ...added] }));
  await s.fleet.refresh(account);
}

export async function refreshAccount(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  await s.fleet.refresh(account);
  const names = s.model.workspaces().filter((w) => w.authType === 'account' && w.account === account).map((w) => w.name);
  await Promise.all(names.map((n) => s.model.refresh(n)));
}

export async function removeAccount(s: Services, arg: unknown): Promise<void> {
  const account = await resolveAccount(s, arg);
  const e = s.fleet.entry(account);
  const ok = await s.prompter().confirm({
    id: 'removeAccount',
    message: vscode.l10n.t('Remove the account "{0}" from VS Code?', account),
    detail: vscode.l10n.t('{0} (account {1})\n\nOnly this editor forgets the account, its workspaces and its stored secret; nothing changes in the account, its workspaces or at any partner.', e.host, e.accountId),
    confirm: vscode.l10n.t('Remove'),
  });
  if (!ok) throw new UserCancelled();
  const names = s.model.workspaces().filter((w) => w.authType === 'account' && w.account === account).map((w) => w.name);
  await s.accounts.remove(account);
  for (const n of names) await s.model.forget(n);
  s.log.info(`account "${account}" removed`);
}

/** Remove Workspace… on an account's workspace: it is no longer shown (the account's choice changes). */
export async function hideAccountWorkspace(s: Services, ws: string): Promise<void> {
  const entry = s.store.get(ws);
  if (entry?.authType !== 'account') return;
  const fw = s.fleet.workspaceOf(entry);
  const ok = await s.prompter().confirm({
    id: 'removeWorkspace',
    message: vscode.l10n.t('Stop showing the workspace "{0}"?', entry.label ?? ws),
    detail: vscode.l10n.t('It belongs to the account {0}: Choose Workspaces… shows it again. Nothing changes in the workspace.', entry.account),
    confirm: vscode.l10n.t('Remove'),
  });
  if (!ok) throw new UserCancelled();
  await s.accounts.update(entry.account, (e) => {
    if (fw?.addedByUrl) return { ...e, extraWorkspaces: e.extraWorkspaces.filter((w) => w.host !== entry.host) };
    const st = s.fleet.state(entry.account);
    const all = st.kind === 'ready' ? st.workspaces.filter((w) => !w.addedByUrl).map((w) => w.workspaceId) : [];
    const current = e.workspaces === 'all' ? all : e.workspaces;
    return { ...e, workspaces: current.filter((id) => id !== fw?.workspaceId) };
  });
  await s.model.forget(ws);
}

export { accountWorkspaceName };
