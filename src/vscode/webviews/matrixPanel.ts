import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import { buildMatrix, type MatrixFilter } from '../../domain';
import { HostToMatrix, MATRIX_STRINGS, MatrixToHost, type MatrixData } from '../../shared/protocol/matrix';
import { fleetColumns } from '../accounts/columns';
import { describeError } from '../log/log';
import { errorSentence } from '../ui/explainError';
import type { Services } from '../services';
import { categoryLabel } from '../tree/presentation';
import { WebviewChannel } from './channel';
import { openSessionPanel } from './panelHost';
import { webviewStrings } from './strings';

/** Coalesces the model's change events while many workspaces arrive. */
const UPDATE_MS = 200;

/**
 * The Partner × workspace matrix of one account. Tests drive it through receive()/sent. Columns
 * arrive as the workspaces load (each change re-posts the data, at most every 200 ms).
 */
export class MatrixSession {
  private readonly channel: WebviewChannel<HostToMatrix, MatrixToHost>;
  readonly sent: HostToMatrix[];
  readonly onDidPost: vscode.Event<HostToMatrix>;
  filter: MatrixFilter = { states: [], categories: [], expiringWithinDays: null };
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly s: Services,
    readonly account: string,
    postRaw: (m: HostToMatrix) => void,
  ) {
    this.channel = new WebviewChannel(HostToMatrix, MatrixToHost, postRaw, (l) => s.log.warn(l), 'fleet matrix');
    this.sent = this.channel.sent;
    this.onDidPost = this.channel.onDidPost;
    const mine = (ws: string | undefined): boolean => ws === undefined || s.store.get(ws)?.authType !== 'account' || (s.store.get(ws) as { account?: string } | undefined)?.account === account;
    this.subs.push(
      s.model.onDidChange((ws) => {
        if (mine(ws)) this.schedule();
      }),
      s.fleet.onDidChange((a) => {
        if (a === undefined || a === account) this.schedule();
      }),
    );
  }

  async receive(raw: unknown): Promise<void> {
    const msg = this.channel.parse(raw);
    if (!msg) return;
    try {
      switch (msg.type) {
        case 'ready':
          this.started = true;
          await this.post();
          break;
        case 'setFilter':
          this.filter = { states: msg.filter.states, categories: msg.filter.categories, expiringWithinDays: msg.filter.expiringWithinDays };
          await this.post();
          break;
        case 'reveal':
          await this.reveal(msg.key, msg.partnerId);
          break;
        case 'refresh':
          await vscode.commands.executeCommand('partnerConnect.refreshAccount', { kind: 'account', account: this.account });
          break;
        case 'action': {
          const command = { connect: 'fleetConnect', rotate: 'fleetRotate', offboard: 'fleetOffboard', report: 'exportFleetReport' }[msg.action];
          await vscode.commands.executeCommand(`partnerConnect.${command}`, { kind: 'account', account: this.account, partnerId: msg.partnerId });
          break;
        }
        case 'showLog':
          this.s.log.show();
          break;
      }
    } catch (e) {
      this.s.log.error(`fleet matrix (${msg.type}) failed: ${describeError(e)}`);
    }
  }

  /** The partner's node in the tree, selected and focused. */
  private async reveal(key: string, partnerId: string): Promise<void> {
    const st = this.s.model.peek(key);
    if (st?.kind !== 'ready') return;
    const p = st.snapshot.partners.find((x) => x.partnerId === partnerId);
    if (!p) return;
    await vscode.commands.executeCommand('workbench.view.extension.partnerConnect');
    const node = this.s.tree.getChildren({ kind: 'workspace', ws: key }).find((n) => n.kind === 'category' && n.category === p.partner.category);
    const target = node ? this.s.tree.getChildren(node).find((n) => n.kind === 'partner' && n.partnerId === partnerId) : undefined;
    if (!target) {
      tell(this.s.prompter(), { id: 'matrix.reveal', severity: 'info', message: vscode.l10n.t('{0} is hidden by the tree’s filter in {1}.', p.partner.displayName, key) });
      return;
    }
    await this.s.treeView.reveal(target, { select: true, focus: true, expand: false });
    this.revealed.push({ key, partnerId });
  }
  /** What reveal showed (tests). */
  readonly revealed: Array<{ key: string; partnerId: string }> = [];

  private schedule(): void {
    if (!this.started || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.post().catch((e: unknown) => this.s.log.error(`fleet matrix update failed: ${describeError(e)}`));
    }, UPDATE_MS);
  }

  /** The data the matrix shows now. */
  async data(): Promise<MatrixData> {
    const e = this.s.fleet.entry(this.account);
    const st = this.s.fleet.state(this.account);
    const catalog = await this.s.model.catalog();
    const columns = fleetColumns(this.s, this.account);
    const view = buildMatrix(columns, catalog.partners, this.filter);
    const principals = st.kind === 'ready' ? st.principals : null;
    const categories = [...new Set(catalog.partners.map((p) => p.category))].sort().map((id) => ({ id, label: categoryLabel(id) }));
    const settled = view.columns.filter((c) => c.status === 'ready' || c.status === 'failed').length;
    return {
      account: { name: this.account, host: e.host, accountId: e.accountId },
      columns: view.columns,
      rows: view.rows.map((r) => {
        const sp = catalog.partners.find((p) => p.id === r.partnerId)?.servicePrincipalName?.toLowerCase();
        return { ...r, categoryLabel: categoryLabel(r.category), accountPrincipals: principals && sp ? principals.filter((x) => x.displayName.toLowerCase() === sp).length : null };
      }),
      hidden: view.hidden,
      filter: { states: this.filter.states, categories: this.filter.categories, expiringWithinDays: this.filter.expiringWithinDays },
      categories,
      progress: { loaded: settled, total: view.columns.length },
      listNote: st.kind === 'ready' ? st.listUnavailable : st.kind === 'error' ? (st.error instanceof Error ? st.error.message : String(st.error)) : null,
    };
  }

  async post(): Promise<void> {
    if (this.s.fleet.state(this.account).kind === 'loading') {
      this.channel.post({ type: 'loading' });
      return;
    }
    try {
      this.channel.post({ type: 'data', data: await this.data(), strings: webviewStrings(MATRIX_STRINGS) });
    } catch (e) {
      this.channel.post({ type: 'error', message: errorSentence(e) });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subs) d.dispose();
    this.channel.dispose();
  }
}

export class MatrixPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; session: MatrixSession }>();

  constructor(private readonly s: () => Services) {}

  open(account: string): MatrixSession {
    const existing = this.panels.get(account);
    if (existing) {
      existing.panel.reveal();
      return existing.session;
    }
    const services = this.s();
    const { panel, session } = openSessionPanel({
      extensionUri: services.context.extensionUri,
      viewType: 'partnerConnect.matrix',
      title: vscode.l10n.t('Fleet: {0}', account),
      script: 'matrix',
      extraStyle: 'fleet.css',
      session: (post) => new MatrixSession(services, account, post),
      onDispose: () => this.panels.delete(account),
    });
    this.panels.set(account, { panel, session });
    return session;
  }

  get(account: string): MatrixSession | undefined {
    return this.panels.get(account)?.session;
  }

  panel(account: string): vscode.WebviewPanel | undefined {
    return this.panels.get(account)?.panel;
  }

  dispose(): void {
    for (const { panel } of [...this.panels.values()]) panel.dispose();
  }
}
