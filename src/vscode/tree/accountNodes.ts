import * as vscode from 'vscode';
import { FleetWorkspaceError, type FleetModel } from '../accounts/fleetModel';
import type { PartnersModel } from '../model/partnersModel';
import type { WorkspaceSnapshot } from '../../domain';
import type { TreeNode } from './nodes';
import { md, roleText } from './presentation';

/**
 * The account node of the Partners tree: a Databricks account over its workspaces (the chosen ones
 * that can be loaded are ordinary workspace nodes under it), with messages for its list (loading,
 * failed, not available on Azure) and for each chosen workspace that cannot be loaded (not running,
 * no URL). contextValue `account.<loading|ready|error>`, `accountMessage.<message>`.
 */
export function accountChildren(fleet: FleetModel, model: PartnersModel, account: string): TreeNode[] {
  const st = fleet.state(account);
  const known = fleet.chosen(account).length > 0;
  if (st.kind === 'loading' && !known) return [{ kind: 'accountMessage', account, message: 'loading', key: '' }];
  const out: TreeNode[] = [];
  if (st.kind === 'error') out.push({ kind: 'accountMessage', account, message: 'error', key: '' });
  if (st.kind === 'ready' && st.listUnavailable) out.push({ kind: 'accountMessage', account, message: 'listUnavailable', key: '' });
  for (const e of model.workspaces()) if (e.authType === 'account' && e.account === account) out.push({ kind: 'workspace', ws: e.name });
  for (const n of fleet.notLoadable(account)) out.push({ kind: 'accountMessage', account, message: 'notLoaded', key: n.workspace.name });
  if (out.length === 0 && st.kind === 'ready') out.push({ kind: 'accountMessage', account, message: 'empty', key: '' });
  return out;
}

/** The parent of a workspace node: its account, when it belongs to one. */
export function workspaceParent(model: PartnersModel, ws: string): TreeNode | undefined {
  const e = model.store.get(ws);
  return e?.authType === 'account' ? { kind: 'account', account: e.account } : undefined;
}

/** The account row's description: its state, or how many of its workspaces loaded. */
export function accountDescription(fleet: FleetModel, model: PartnersModel, account: string): string {
  const st = fleet.state(account);
  if (st.kind === 'loading') return vscode.l10n.t('loading workspaces…');
  if (st.kind === 'error') return vscode.l10n.t('error');
  const mine = model.workspaces().filter((w) => w.authType === 'account' && w.account === account);
  const loaded = mine.filter((w) => model.peek(w.name)?.kind === 'ready').length;
  const failed = mine.filter((w) => model.peek(w.name)?.kind === 'error').length + fleet.notLoadable(account).length;
  const parts = [vscode.l10n.t('{0} workspace(s)', mine.length + fleet.notLoadable(account).length)];
  if (loaded < mine.length && failed < mine.length) parts.push(vscode.l10n.t('{0} loaded', loaded));
  if (failed > 0) parts.push(vscode.l10n.t('{0} not loaded', failed));
  return parts.join(' · ');
}

export function accountItem(fleet: FleetModel, model: PartnersModel, account: string): vscode.TreeItem {
  const item = new vscode.TreeItem(account, vscode.TreeItemCollapsibleState.Expanded);
  item.iconPath = new vscode.ThemeIcon('organization');
  const e = fleet.accounts.get(account);
  const st = fleet.state(account);
  item.contextValue = `account.${st.kind}`;
  item.description = accountDescription(fleet, model, account);
  const lines = [`**${md(account)}** — ${md(vscode.l10n.t('Databricks account'))}`, ''];
  if (e) {
    lines.push(`- ${md(vscode.l10n.t('Accounts host'))}: ${md(e.host)}`, `- ${md(vscode.l10n.t('Account id'))}: \`${e.accountId}\``, `- ${md(vscode.l10n.t('Sign-in'))}: ${md(e.authType)}${e.clientId ? ` (\`${e.clientId}\`)` : e.profile ? ` (${md(e.profile)})` : ''}`);
    lines.push(`- ${md(vscode.l10n.t('Workspaces shown'))}: ${e.workspaces === 'all' ? md(vscode.l10n.t('all')) : String(e.workspaces.length)}${e.extraWorkspaces.length ? ` + ${e.extraWorkspaces.length} ${md(vscode.l10n.t('added by URL'))}` : ''}`);
    lines.push(`- ${md(vscode.l10n.t('Each workspace signs in on its own with this identity; an account token is never sent to a workspace.'))}`);
  }
  if (st.kind === 'ready' && st.principals) lines.push(`- ${md(vscode.l10n.t('{0} partner service principal(s) in the account', st.principals.length))}`);
  item.tooltip = new vscode.MarkdownString(lines.join('\n'));
  item.command = { command: 'partnerConnect.openFleetMatrix', title: vscode.l10n.t('Open Fleet Matrix'), arguments: [{ kind: 'account', account }] };
  return item;
}

export function accountMessageItem(fleet: FleetModel, node: Extract<TreeNode, { kind: 'accountMessage' }>): vscode.TreeItem {
  const st = fleet.state(node.account);
  switch (node.message) {
    case 'loading': {
      const item = new vscode.TreeItem(vscode.l10n.t('Listing the account’s workspaces…'));
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'accountMessage.loading';
      return item;
    }
    case 'error': {
      const message = st.kind === 'error' ? (st.error instanceof Error ? st.error.message : String(st.error)) : '';
      const item = new vscode.TreeItem(vscode.l10n.t('Could not list the workspaces: {0}', message.split('\n')[0] ?? ''));
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.description = vscode.l10n.t('Retry');
      item.tooltip = new vscode.MarkdownString(md(message));
      item.contextValue = 'accountMessage.error';
      item.command = { command: 'partnerConnect.refreshAccount', title: vscode.l10n.t('Retry'), arguments: [{ kind: 'account', account: node.account }] };
      return item;
    }
    case 'listUnavailable': {
      const item = new vscode.TreeItem(vscode.l10n.t('The account’s workspace list is not available'));
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.description = vscode.l10n.t('Add Workspaces…');
      item.tooltip = new vscode.MarkdownString(md(st.kind === 'ready' ? (st.listUnavailable ?? '') : ''));
      item.contextValue = 'accountMessage.listUnavailable';
      item.command = { command: 'partnerConnect.addAccountWorkspaces', title: vscode.l10n.t('Add Workspaces…'), arguments: [{ kind: 'account', account: node.account }] };
      return item;
    }
    case 'notLoaded': {
      const n = fleet.notLoadable(node.account).find((x) => x.workspace.name === node.key);
      const item = new vscode.TreeItem(node.key);
      item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
      item.description = n ? (n.failure.code === 'not-running' ? n.workspace.status.toLowerCase().replace(/_/g, ' ') : vscode.l10n.t('no URL')) : '';
      item.tooltip = new vscode.MarkdownString(md(n?.failure.message ?? ''));
      item.contextValue = 'accountMessage.notLoaded';
      return item;
    }
    case 'empty': {
      const item = new vscode.TreeItem(vscode.l10n.t('No workspace chosen'));
      item.iconPath = new vscode.ThemeIcon('info');
      item.description = vscode.l10n.t('Choose Workspaces…');
      item.contextValue = 'accountMessage.empty';
      item.command = { command: 'partnerConnect.chooseAccountWorkspaces', title: vscode.l10n.t('Choose Workspaces…'), arguments: [{ kind: 'account', account: node.account }] };
      return item;
    }
  }
}

/** An account's workspace: the same identity everywhere, so its partners (and its roles when not an admin). */
export function accountWorkspaceDescription(snap: WorkspaceSnapshot): string {
  const n = (st: string): number => snap.partners.filter((p) => p.state === st).length;
  const parts: string[] = [];
  const connected = n('connected') + n('connected-outside');
  if (connected) parts.push(vscode.l10n.t('{0} connected', connected));
  if (n('degraded')) parts.push(vscode.l10n.t('{0} degraded', n('degraded')));
  if (n('check-mark-only')) parts.push(vscode.l10n.t('{0} check mark only', n('check-mark-only')));
  if (parts.length === 0) parts.push(vscode.l10n.t('no partner connected'));
  if (!snap.identity.isWorkspaceAdmin) parts.push(roleText(snap.identity));
  return parts.join(' · ');
}

/** A few words for why an account's workspace did not load (the error node under it has the whole reason). */
export function accountWorkspaceFailure(error: unknown): string | undefined {
  const code = error instanceof FleetWorkspaceError ? error.failure.code : undefined;
  switch (code) {
    case 'not-running':
      return vscode.l10n.t('not running');
    case 'no-url':
      return vscode.l10n.t('no URL');
    case 'not-assigned':
      return vscode.l10n.t('not assigned');
    case 'sign-in':
      return vscode.l10n.t('sign-in refused');
    case 'not-admin':
      return vscode.l10n.t('not an admin');
    case 'gateway':
      return vscode.l10n.t('gateway error');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
    case 'timeout':
      return vscode.l10n.t('timed out');
    default:
      return undefined;
  }
}
