import * as vscode from 'vscode';
import { differenceWords, LEGACY_RECORD_FOLDER } from '../../domain';
import type { PartnerStatus, WorkspaceSnapshot } from '../../domain';
import type { FleetModel } from '../accounts/fleetModel';
import type { PartnersModel } from '../model/partnersModel';
import { accountChildren, accountDescription, accountItem, accountMessageItem, accountWorkspaceDescription, accountWorkspaceFailure, workspaceParent } from './accountNodes';
import {
  STATE_ICONS,
  categoryLabel,
  explainWorkspaceError,
  partnerContextValue,
  partnerDescription,
  partnerTooltip,
  principalNotRequired,
  workspaceDescription,
  workspaceTooltip,
} from './presentation';
import { setContext } from '../ui/contextKeys';
import { NO_FILTER, isFilterActive, nodeId, type TreeFilter, type TreeNode } from './nodes';
import { hostLabel } from '../workspaces/workspaceStore';
import { formatExpiry, formatTime } from '../ui/time';

const CATEGORY_ORDER = ['INGEST', 'DATA_PREP_AND_TRANSFORM', 'BI_AND_VIZ', 'ML', 'DATA_QUALITY', 'REVERSE_ETL', 'SEMANTIC_LAYER', 'SECURITY_AND_GOVERNANCE', 'DATA_GOVERNANCE'];

export function workspaceUrl(host: string, path: string): string {
  return `${host.replace(/\/+$/, '')}${path}`;
}

/** workspace → category → partner → details of a connection. */
export class PartnersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private filter: TreeFilter = NO_FILTER;
  private readonly sub: vscode.Disposable;
  private readonly fleetSub: vscode.Disposable | undefined;

  /**
   * VS Code finds the element to refresh by object identity: every node handed out is interned by
   * its id, so that a change event can name the very object the view knows.
   */
  private readonly interned = new Map<string, TreeNode>();
  /** The description each account row was last rendered with. */
  private readonly accountDescriptions = new Map<string, string>();

  constructor(
    private readonly model: PartnersModel,
    private readonly fleet?: FleetModel,
  ) {
    this.fleetSub = fleet?.onDidChange((account) => {
      const known = account === undefined ? undefined : this.interned.get(nodeId({ kind: 'account', account }));
      this.emitter.fire(known ?? undefined);
    });
    this.sub = model.onDidChange((ws) => {
      if (ws === undefined) {
        this.interned.clear();
        this.emitter.fire(undefined);
        return;
      }
      // An account's workspace: the account node too when its description (which counts the loaded
      // workspaces) changes, else the workspace's node alone. Re-rendering the account row on every
      // change of one of its workspaces would swallow a click on that row while the fleet loads.
      const parent = workspaceParent(model, ws);
      const own = this.interned.get(nodeId({ kind: 'workspace', ws }));
      if (parent?.kind === 'account' && this.fleet) {
        const now = accountDescription(this.fleet, model, parent.account);
        if (own && this.accountDescriptions.get(parent.account) === now) {
          this.emitter.fire(own);
          return;
        }
        this.accountDescriptions.set(parent.account, now);
      }
      const known = parent ? this.interned.get(nodeId(parent)) : own;
      this.emitter.fire(known ?? undefined);
    });
  }

  private intern<T extends TreeNode>(n: T): T {
    const id = nodeId(n);
    const existing = this.interned.get(id);
    if (existing && JSON.stringify(existing) === JSON.stringify(n)) return existing as T;
    this.interned.set(id, n);
    return n;
  }

  getFilter(): TreeFilter {
    return this.filter;
  }

  setFilter(f: TreeFilter): void {
    this.filter = f;
    setContext('partnerConnect.filterActive', isFilterActive(f));
    this.emitter.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return this.children(node).map((n) => this.intern(n));
  }

  private children(node?: TreeNode): TreeNode[] {
    if (!node) {
      const accounts: TreeNode[] = (this.fleet?.list() ?? []).map((a) => ({ kind: 'account', account: a.name }));
      return [...accounts, ...this.model.workspaces().filter((e) => e.authType !== 'account').map((e): TreeNode => ({ kind: 'workspace', ws: e.name }))];
    }
    switch (node.kind) {
      case 'account':
        return this.fleet ? accountChildren(this.fleet, this.model, node.account) : [];
      case 'accountMessage':
        return [];
      case 'workspace': {
        const st = this.model.state(node.ws);
        if (st.kind === 'loading') return [{ kind: 'message', ws: node.ws, message: 'loading' }];
        if (st.kind === 'error') return [{ kind: 'message', ws: node.ws, message: 'error' }];
        const visible = this.visiblePartners(st.snapshot);
        if (st.snapshot.partners.length === 0) return [{ kind: 'message', ws: node.ws, message: 'empty' }];
        if (visible.length === 0) return [{ kind: 'message', ws: node.ws, message: 'filtered' }];
        const cats = [...new Set(visible.map((p) => p.partner.category))].sort((a, b) => rank(a) - rank(b));
        const notAdmin: TreeNode[] = st.snapshot.identity.isWorkspaceAdmin && st.snapshot.limitations.length === 0 ? [] : [{ kind: 'message', ws: node.ws, message: 'notAdmin' }];
        // records left in /Shared/.partner-connect (any user can edit them): offered for moving, never acted on
        const legacy: TreeNode[] = (st.snapshot.legacyRecords ?? []).length > 0 ? [{ kind: 'message', ws: node.ws, message: 'legacyRecords' }] : [];
        return [...notAdmin, ...legacy, ...cats.map((category): TreeNode => ({ kind: 'category', ws: node.ws, category }))];
      }
      case 'category': {
        const snap = this.snapshotOf(node.ws);
        if (!snap) return [];
        return this.visiblePartners(snap)
          .filter((p) => p.partner.category === node.category)
          .sort((a, b) => a.partner.displayName.localeCompare(b.partner.displayName))
          .map((p) => ({ kind: 'partner', ws: node.ws, partnerId: p.partnerId, category: node.category }));
      }
      case 'partner': {
        const s = this.statusOf(node.ws, node.partnerId);
        return s ? detailChildren(node, s) : [];
      }
      case 'detail': {
        const s = this.statusOf(node.ws, node.partnerId);
        if (!s) return [];
        const base = { kind: 'detail' as const, ws: node.ws, partnerId: node.partnerId, category: node.category };
        if (node.detail === 'catalog') return s.schemas.map((sc) => ({ ...base, detail: 'schema' as const, key: sc }));
        if (node.detail === 'grants') {
          const lines = grantLines(s);
          return lines.map((_, i) => ({ ...base, detail: 'grant' as const, key: String(i) }));
        }
        return [];
      }
      case 'message':
        return [];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    const p = this.parentOf(node);
    return p ? this.intern(p) : undefined;
  }

  private parentOf(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'account':
        return undefined;
      case 'accountMessage':
        return { kind: 'account', account: node.account };
      case 'workspace':
        return workspaceParent(this.model, node.ws);
      case 'message':
      case 'category':
        return { kind: 'workspace', ws: node.ws };
      case 'partner':
        return { kind: 'category', ws: node.ws, category: node.category };
      case 'detail':
        if (node.detail === 'schema') return { ...node, detail: 'catalog', key: 'catalog' };
        if (node.detail === 'grant') return { ...node, detail: 'grants', key: 'grants' };
        return { kind: 'partner', ws: node.ws, partnerId: node.partnerId, category: node.category };
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = this.buildItem(node);
    item.id = nodeId(node);
    return item;
  }

  private buildItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'account':
        if (!this.fleet) return new vscode.TreeItem(node.account);
        this.accountDescriptions.set(node.account, accountDescription(this.fleet, this.model, node.account));
        return accountItem(this.fleet, this.model, node.account);
      case 'accountMessage':
        return this.fleet ? accountMessageItem(this.fleet, node) : new vscode.TreeItem(node.key);
      case 'workspace': {
        const entry = this.model.store.get(node.ws);
        const st = this.model.state(node.ws);
        // an account's workspaces start collapsed (the account may have many)
        const inAccount = entry?.authType === 'account';
        const item = new vscode.TreeItem(inAccount ? (entry.label ?? node.ws) : node.ws, inAccount ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('server-environment');
        const snap = st.kind === 'ready' ? st.snapshot : undefined;
        item.description = snap
          ? inAccount
            ? accountWorkspaceDescription(snap)
            : workspaceDescription(snap)
          : st.kind === 'loading'
            ? vscode.l10n.t('loading…')
            : ((st.kind === 'error' && inAccount && accountWorkspaceFailure(st.error)) || vscode.l10n.t('error'));
        item.tooltip = new vscode.MarkdownString(workspaceTooltip(node.ws, entry ? hostLabel(entry) : '', entry?.authType ?? '', snap), true);
        item.contextValue = `workspace.${st.kind}`;
        return item;
      }
      case 'message':
        return this.messageItem(node);
      case 'category': {
        const snap = this.snapshotOf(node.ws);
        const partners = snap ? this.visiblePartners(snap).filter((p) => p.partner.category === node.category) : [];
        const connected = partners.filter((p) => p.state !== 'not-connected').length;
        const item = new vscode.TreeItem(categoryLabel(node.category), vscode.TreeItemCollapsibleState.Expanded);
        item.description = connected > 0 ? vscode.l10n.t('{0} of {1} connected', connected, partners.length) : vscode.l10n.t('{0} partners', partners.length);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'category';
        return item;
      }
      case 'partner': {
        const s = this.statusOf(node.ws, node.partnerId);
        if (!s) return new vscode.TreeItem(node.partnerId);
        const hasChildren = detailChildren(node, s).length > 0;
        const item = new vscode.TreeItem(s.partner.displayName, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const icon = STATE_ICONS[s.state];
        item.iconPath = new vscode.ThemeIcon(icon.id, new vscode.ThemeColor(icon.color));
        item.description = partnerDescription(s);
        const tip = new vscode.MarkdownString(partnerTooltip(s), true);
        tip.isTrusted = false;
        item.tooltip = tip;
        item.contextValue = partnerContextValue(s, s.partner, this.snapshotOf(node.ws)?.identity ?? { isWorkspaceAdmin: false });
        item.accessibilityInformation = { label: `${s.partner.displayName}, ${s.state.replace(/-/g, ' ')}${item.description ? `, ${String(item.description)}` : ''}` };
        return item;
      }
      case 'detail':
        return this.detailItem(node);
    }
  }

  private messageItem(node: Extract<TreeNode, { kind: 'message' }>): vscode.TreeItem {
    switch (node.message) {
      case 'loading': {
        const item = new vscode.TreeItem(vscode.l10n.t('Loading partners…'));
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        item.contextValue = 'message.loading';
        return item;
      }
      case 'error': {
        const st = this.model.state(node.ws);
        const e = explainWorkspaceError(st.kind === 'error' ? st.error : undefined);
        const item = new vscode.TreeItem(e.label);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.description = e.login ? vscode.l10n.t('Sign In') : vscode.l10n.t('Retry');
        item.tooltip = new vscode.MarkdownString(e.detail);
        item.contextValue = e.login ? 'error.login' : e.forbidden ? 'error.forbidden' : e.unauthorized ? 'error.unauthorized' : 'error';
        item.command = { command: 'partnerConnect.retry', title: e.login ? vscode.l10n.t('Sign In') : vscode.l10n.t('Retry'), arguments: [node] };
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(vscode.l10n.t('No partner in the catalog'));
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'message.empty';
        return item;
      }
      case 'notAdmin': {
        const snap = this.snapshotOf(node.ws);
        const admin = snap?.identity.isWorkspaceAdmin ?? false;
        const item = new vscode.TreeItem(admin ? vscode.l10n.t('Some information could not be read') : vscode.l10n.t('Not a workspace admin: states may be incomplete'));
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        const lines = [
          admin
            ? vscode.l10n.t('The workspace refused some requests (403):')
            : vscode.l10n.t('{0} is not a workspace admin. Partner Connect is administered by workspace admins (members of the "admins" group); the workspace refused these reads (403):', snap?.identity.userName ?? ''),
          '',
          ...(snap?.limitations ?? []).map((l) => `- ${l}`),
        ];
        item.tooltip = new vscode.MarkdownString(lines.join('\n'));
        item.contextValue = admin ? 'message.limited' : 'message.notAdmin';
        return item;
      }
      case 'legacyRecords': {
        const ids = this.snapshotOf(node.ws)?.legacyRecords ?? [];
        const item = new vscode.TreeItem(vscode.l10n.t('{0} old connection record(s) in {1}', ids.length, LEGACY_RECORD_FOLDER));
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.description = vscode.l10n.t('Move…');
        item.tooltip = new vscode.MarkdownString(
          vscode.l10n.t(
            'Records of {0} are still in {1}, where every user of the workspace can edit them: they are not used, and nothing they name is deleted. Move them into the admin-only record folder: each is checked against the workspace first, and you confirm what moves.',
            ids.join(', '),
            LEGACY_RECORD_FOLDER,
          ),
        );
        item.contextValue = 'message.legacyRecords';
        item.command = { command: 'partnerConnect.migrateLegacyRecords', title: vscode.l10n.t('Move Old Connection Records…'), arguments: [node] };
        return item;
      }
      case 'filtered': {
        const item = new vscode.TreeItem(vscode.l10n.t('No partner matches the filter'));
        item.iconPath = new vscode.ThemeIcon('filter');
        item.contextValue = 'message.filtered';
        item.command = { command: 'partnerConnect.clearFilter', title: vscode.l10n.t('Clear Partner Filter') };
        return item;
      }
    }
  }

  private detailItem(node: Extract<TreeNode, { kind: 'detail' }>): vscode.TreeItem {
    const s = this.statusOf(node.ws, node.partnerId);
    const item = new vscode.TreeItem('');
    if (!s) return item;
    switch (node.detail) {
      case 'sp': {
        const sp = s.servicePrincipal;
        if (!sp) break;
        item.label = sp.displayName;
        item.description = principalNotRequired(s)
          ? vscode.l10n.t('service principal · not required by this partner · {0}', sp.applicationId)
          : sp.active
            ? vscode.l10n.t('service principal · {0}', sp.applicationId)
            : vscode.l10n.t('service principal · inactive · {0}', sp.applicationId);
        item.iconPath = new vscode.ThemeIcon('person', sp.active ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = new vscode.MarkdownString(
          [`**${sp.displayName}**`, '', `- applicationId: \`${sp.applicationId}\``, `- SCIM id: \`${sp.id}\``, `- active: ${sp.active ? 'yes' : 'no'}`, `- entitlements: ${sp.entitlements.map((e) => e.value).join(', ') || 'none'}`].join('\n'),
        );
        item.contextValue = 'detail.sp.link';
        break;
      }
      case 'token': {
        // a credential: a personal access token or an OAuth secret (metadata only, never the value)
        const c = (s.credentials ?? []).find((x) => x.id === node.key);
        if (!c) break;
        const pat = c.kind === 'pat';
        const expiry = c.expiry === 'never' ? vscode.l10n.t('never') : formatTime(c.expiry);
        const warning = (s.warnings ?? []).find((w) => w.credentialId === c.id);
        item.label = pat ? vscode.l10n.t('Token {0}', c.id) : vscode.l10n.t('OAuth secret {0}', c.id);
        item.description = [
          vscode.l10n.t('expires {0}', expiry),
          pat ? vscode.l10n.t('last used {0}', c.lastUsedDay ?? vscode.l10n.t('never')) : vscode.l10n.t('client id {0}', s.servicePrincipal?.applicationId ?? '—'),
          ...(warning ? [warning.code === 'credential-expiring' ? vscode.l10n.t('expires soon') : vscode.l10n.t('unused')] : []),
        ].join(' · ');
        item.iconPath = new vscode.ThemeIcon(warning ? 'warning' : 'key');
        item.tooltip = new vscode.MarkdownString(
          [
            `**${pat ? vscode.l10n.t('Personal access token (the value is never shown)') : vscode.l10n.t('OAuth secret (the value is never shown)')}**`,
            '',
            `- id: \`${c.id}\``,
            ...(pat ? [`- comment: ${c.comment || '—'}`] : [`- client id: \`${s.servicePrincipal?.applicationId ?? '—'}\``, `- status: ${c.status ?? '—'}`]),
            `- created: ${formatTime(c.createdAt)}`,
            `- expires: ${formatExpiry(c.expiry)}`,
            ...(pat ? [`- last used: ${c.lastUsedDay ?? 'never'}`] : []),
            ...(warning ? ['', `⚠ ${warning.message}`] : []),
          ].join('\n'),
        );
        item.contextValue = 'detail.token';
        break;
      }
      case 'compute': {
        const c = s.compute;
        if (!c) break;
        item.label = c.name ?? c.id;
        const kind = c.kind === 'warehouse' ? vscode.l10n.t('SQL warehouse') : vscode.l10n.t('cluster');
        item.description = [kind, c.exists ? (c.state ?? '') : vscode.l10n.t('gone'), c.createdForPartner ? vscode.l10n.t('created for the partner') : ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(c.kind === 'warehouse' ? 'server-process' : 'vm', c.exists ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = `${kind} ${c.id}`;
        if (c.kind === 'warehouse' && c.exists) {
          item.contextValue = 'detail.warehouse.link';
        } else {
          item.contextValue = `detail.${c.kind}`;
        }
        break;
      }
      case 'catalog':
        item.label = vscode.l10n.t('Catalog {0}', s.catalog ?? '');
        item.description = s.schemas.length > 0 ? vscode.l10n.t('{0} schema(s)', s.schemas.length) : '';
        item.iconPath = new vscode.ThemeIcon('database');
        item.collapsibleState = s.schemas.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
        item.contextValue = 'detail.catalog';
        break;
      case 'schema':
        item.label = node.key;
        item.description = vscode.l10n.t('schema');
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'detail.schema';
        break;
      case 'grants': {
        const diffs = s.grants.differences.length;
        item.label = vscode.l10n.t('Grants');
        item.description = !s.grants.checked ? vscode.l10n.t('not checked') : diffs > 0 ? vscode.l10n.t('{0} difference(s) from what the partner needs', diffs) : vscode.l10n.t('as the partner needs');
        item.iconPath = new vscode.ThemeIcon('shield', diffs > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
        item.collapsibleState = grantLines(s).length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
        item.contextValue = diffs > 0 ? 'detail.grants.drift' : 'detail.grants';
        break;
      }
      case 'grant': {
        const line = grantLines(s)[Number(node.key)];
        if (!line) break;
        item.label = line.text;
        item.iconPath = new vscode.ThemeIcon(line.kind === 'held' ? 'check' : line.kind === 'missing' ? 'diff-removed' : 'diff-added', line.kind === 'held' ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.description = line.kind === 'held' ? '' : line.kind === 'missing' ? vscode.l10n.t('missing') : vscode.l10n.t('extra');
        item.contextValue = `detail.grant.${line.kind}`;
        break;
      }
      case 'admin':
        item.label = s.partnerAccountAdministrator ?? '';
        item.description = vscode.l10n.t('partner account administrator');
        item.iconPath = new vscode.ThemeIcon('account');
        item.tooltip = vscode.l10n.t('The first person who connected this partner administers the partner account for the whole organization; other users are added by them at the partner.');
        item.contextValue = 'detail.admin';
        break;
      case 'record':
        item.label = s.record ? vscode.l10n.t('Connected by {0}', s.record.connectedBy) : '';
        item.description = s.record ? formatTime(s.record.connectedAt) : '';
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'detail.record';
        break;
    }
    return item;
  }

  private snapshotOf(ws: string): WorkspaceSnapshot | undefined {
    const st = this.model.state(ws);
    return st.kind === 'ready' ? st.snapshot : undefined;
  }

  private statusOf(ws: string, partnerId: string): PartnerStatus | undefined {
    return this.snapshotOf(ws)?.partners.find((p) => p.partnerId === partnerId);
  }

  private visiblePartners(snap: WorkspaceSnapshot): PartnerStatus[] {
    const f = this.filter;
    return snap.partners.filter((p) => (f.states.length === 0 || f.states.includes(p.state)) && (f.categories.length === 0 || f.categories.includes(p.partner.category)));
  }

  refreshView(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.sub.dispose();
    this.fleetSub?.dispose();
    this.emitter.dispose();
  }
}

/** The workspace page of a detail node (service principal or warehouse), if it has one. */
export function detailLink(host: string, node: Extract<TreeNode, { kind: 'detail' }>, s: PartnerStatus): string | undefined {
  if (node.detail === 'sp' && s.servicePrincipal) return servicePrincipalUrl(host, s.servicePrincipal.id);
  if (node.detail === 'compute' && s.compute?.kind === 'warehouse') return warehouseUrl(host, s.compute.id);
  return undefined;
}

export function servicePrincipalUrl(host: string, id: string): string {
  return workspaceUrl(host, `/settings/workspace/identity-and-access/service-principals/${encodeURIComponent(id)}`);
}

export function warehouseUrl(host: string, id: string): string {
  return workspaceUrl(host, `/sql/warehouses/${encodeURIComponent(id)}`);
}

function rank(category: string): number {
  const i = CATEGORY_ORDER.indexOf(category);
  return i < 0 ? CATEGORY_ORDER.length : i;
}

export function grantLines(s: PartnerStatus): Array<{ kind: 'held' | 'missing' | 'extra'; text: string }> {
  const out: Array<{ kind: 'held' | 'missing' | 'extra'; text: string }> = s.grants.held.map((text) => ({ kind: 'held' as const, text }));
  for (const d of s.grants.differences) {
    out.push({ kind: d.change, text: differenceWords(d) });
  }
  return out;
}

export function detailChildren(node: Extract<TreeNode, { kind: 'partner' }>, s: PartnerStatus): TreeNode[] {
  if (s.state === 'not-connected') return [];
  const base = { kind: 'detail' as const, ws: node.ws, partnerId: node.partnerId, category: node.category };
  const out: TreeNode[] = [];
  if (s.servicePrincipal) out.push({ ...base, detail: 'sp', key: s.servicePrincipal.id });
  for (const c of s.credentials ?? []) out.push({ ...base, detail: 'token', key: c.id });
  if (s.compute) out.push({ ...base, detail: 'compute', key: s.compute.id });
  if (s.catalog) out.push({ ...base, detail: 'catalog', key: 'catalog' });
  if (s.grants.checked || s.grants.held.length > 0) out.push({ ...base, detail: 'grants', key: 'grants' });
  if (s.partnerAccountAdministrator) out.push({ ...base, detail: 'admin', key: 'admin' });
  if (s.record) out.push({ ...base, detail: 'record', key: 'record' });
  return out;
}
