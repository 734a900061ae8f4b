import * as vscode from 'vscode';
import { applyRepair, connectionCredentialKind, snapshotCloud, differenceWords, inspectConnection, readHistory, reasonsOf, repairEffects, repairRef, type CatalogPartner, type CloudProvider, type Inspection } from '../../domain';
import { historyRows } from '../report/history';
import { recorded } from '../history/recorder';
import { HostToInspect, INSPECT_STRINGS, InspectToHost, type InspectData } from '../../shared/protocol/inspect';
import { describeError } from '../log/log';
import { checkUrl, originAndPath, originOf } from '../../client/urls';
import type { Services } from '../services';
import { shortReason, stateLabel } from '../tree/presentation';
import { servicePrincipalUrl, warehouseUrl, workspaceUrl } from '../tree/partnersTree';
import { errorSentence, explainError, firstLine } from '../ui/explainError';
import { formatTime, localizeTimes } from '../ui/time';
import { WebviewChannel } from './channel';
import { webviewHtml, webviewOptions } from './html';
import { webviewStrings } from './strings';

/** the newest entries the inspect view lists (Show History has them all) */
const HISTORY_IN_VIEW = 20;

/** Inspection → what the view shows (`cloud`: the workspace's, where its snapshot is known). */
export function toInspectData(ws: string, host: string, i: Inspection, cloud?: CloudProvider): InspectData {
  const sp = i.servicePrincipal;
  const st = i.status;
  const asUser = i.record?.actsAs === 'user' && !sp;
  // a connection that acts as the user has no principal whose token or warehouse permission could be shown
  const permissions = asUser ? [] : [
    { label: vscode.l10n.t('Token permission'), value: i.tokenPermission ?? vscode.l10n.t('none') },
    ...(i.compute?.kind === 'warehouse' ? [{ label: vscode.l10n.t('Warehouse permission'), value: i.warehousePermission ?? vscode.l10n.t('none') }] : []),
  ];
  const c = i.compute;
  const compute = c
    ? [
        { label: vscode.l10n.t('Kind'), value: c.kind === 'warehouse' ? vscode.l10n.t('SQL warehouse') : vscode.l10n.t('Cluster') },
        { label: vscode.l10n.t('Name'), value: c.name ?? '—', href: c.kind === 'warehouse' && c.exists ? warehouseUrl(host, c.id) : undefined },
        { label: vscode.l10n.t('Id'), value: c.id },
        { label: vscode.l10n.t('State'), value: c.exists ? (c.state ?? '—') : vscode.l10n.t('gone') },
        { label: vscode.l10n.t('Created for the partner'), value: c.createdForPartner ? vscode.l10n.t('yes (deleted on reset)') : vscode.l10n.t('no (kept on reset)') },
      ]
    : [];
  const r = i.record;
  const record = r
    ? [
        { label: vscode.l10n.t('State'), value: r.state },
        { label: vscode.l10n.t('Connected by'), value: r.connectedBy },
        { label: vscode.l10n.t('Connected at'), value: formatTime(r.connectedAt) },
        { label: vscode.l10n.t('Partner account administrator'), value: r.partnerAccountAdministrator ?? '—' },
        { label: vscode.l10n.t('Catalog'), value: r.catalog ?? '—' },
        { label: vscode.l10n.t('Schemas'), value: r.schemas.join(', ') || '—' },
        {
          label: vscode.l10n.t('Credential'),
          value: r.credential
            ? `${r.credential.kind === 'pat' ? vscode.l10n.t('personal access token') : vscode.l10n.t('OAuth secret')} ${r.credential.id} · ${vscode.l10n.t('expires {0}', formatTime(r.credential.expiresAt))} · ${vscode.l10n.t('{0} days', r.credential.lifetimeDays)}`
            : (r.tokenId ?? '—'),
        },
        { label: vscode.l10n.t('Partner connection id'), value: r.connectionId ?? '—' },
        { label: vscode.l10n.t('Written by'), value: `partner-connect-vscode ${r.extensionVersion}` },
      ]
    : [];
  return {
    partner: { id: i.partner.id, name: i.partner.displayName },
    workspace: { name: ws, host },
    state: {
      kind: st.state,
      label: stateLabel(st.state),
      reasons: [
        ...reasonsOf(st).map((x) => `${shortReason(x.code)}: ${localizeTimes(x.message)}`),
        // record warnings the reasons do not already carry (an interrupted hand-off)
        ...(i.recordWarnings ?? []).filter((w) => !reasonsOf(st).some((x) => x.message === w)).map((w) => `⚠ ${localizeTimes(w)}`),
        ...(i.warnings ?? []).map((w) => `${w.code === 'credential-expiring' ? vscode.l10n.t('expires soon') : vscode.l10n.t('unused')}: ${localizeTimes(w.message)}`),
      ],
    },
    servicePrincipal: sp
      ? {
          displayName: sp.displayName,
          applicationId: sp.applicationId,
          id: sp.id,
          active: sp.active,
          entitlements: sp.entitlements,
          groups: sp.groups,
          url: servicePrincipalUrl(host, sp.id),
          notRequired: i.partner.needsServicePrincipal
            ? undefined
            : vscode.l10n.t(
                '{0} does not need a service principal: this one was made outside this extension (Databricks’ Partner Connect page, an older setup or by hand). Delete it unless something else uses it.',
                i.partner.displayName,
              ),
        }
      : undefined,
    actsAsUser: asUser
      ? vscode.l10n.t(
          'None: this connection acts as {0}, with their own personal access token and exactly their own access ({1} allows non-admins to connect). No service principal, grant or permission was created for it.',
          i.record?.connectedBy ?? '—',
          i.partner.displayName,
        )
      : undefined,
    // every credential (tokens and OAuth secrets), its kind first; metadata only
    credentialKind: connectionCredentialKind(i.partner, host, i.record, i.credentials ?? [], cloud),
    tokens: (i.credentials ?? []).map((c) => ({
      id: c.id,
      comment: c.kind === 'pat' ? `${vscode.l10n.t('personal access token')}${c.comment ? ` · ${c.comment}` : ''} · ${vscode.l10n.t('last used {0}', c.lastUsedDay ?? vscode.l10n.t('never'))}` : `${vscode.l10n.t('OAuth secret')} · ${vscode.l10n.t('client id {0}', sp?.applicationId ?? '—')}`,
      created: formatTime(c.createdAt),
      expires: c.expiry === 'never' ? vscode.l10n.t('never') : formatTime(c.expiry),
      creator: i.tokens.find((t) => t.tokenId === c.id)?.createdBy ?? '—',
    })),
    grants: [...i.ucGrants, ...i.hiveGrants].map((g) => ({ securable: `${g.securableType.toLowerCase()} ${g.fullName}`, privileges: g.privileges })),
    permissions,
    compute,
    record,
    drift: {
      items: i.drift.differences.map((d) => ({ kind: d.change, text: `${d.change === 'missing' ? vscode.l10n.t('missing') : vscode.l10n.t('extra')}: ${differenceWords(d)}` })),
      repairPlan: i.drift.blocked ? [i.drift.blocked, ...i.drift.repairDescription] : i.drift.repairDescription,
      canRepair: !i.drift.inSync && i.drift.repair.length > 0,
    },
  };
}

/** One inspect view for one partner in one workspace. Tests drive it through receive()/sent. */
export class InspectSession {
  private readonly channel: WebviewChannel<HostToInspect, InspectToHost>;
  readonly sent: HostToInspect[];
  inspection: Inspection | undefined;
  private last: Extract<HostToInspect, { type: 'data' }> | undefined;
  private loading: Promise<void> | undefined;
  readonly onDidPost: vscode.Event<HostToInspect>;

  constructor(
    private readonly s: Services,
    readonly ws: string,
    readonly partner: CatalogPartner,
    postRaw: (m: HostToInspect) => void,
  ) {
    this.channel = new WebviewChannel(HostToInspect, InspectToHost, postRaw, (l) => s.log.warn(l), 'inspect view');
    this.sent = this.channel.sent;
    this.onDidPost = this.channel.onDidPost;
  }

  private post(msg: HostToInspect): void {
    this.channel.post(msg);
  }

  /** Handles one message from the view; never rejects (a failure is logged, as in the connect view). */
  async receive(raw: unknown): Promise<void> {
    const msg = this.channel.parse(raw);
    if (!msg) return;
    await this.handle(msg).catch((e: unknown) => this.s.log.error(`inspect view (${msg.type}) failed: ${describeError(e)}`));
  }

  private async handle(msg: InspectToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.last) this.post(this.last);
        else await this.load();
        break;
      case 'refresh':
        await this.load();
        break;
      case 'repair':
        await this.repair();
        break;
      case 'openLink': {
        const host = this.s.model.entry(this.ws).host.replace(/\/+$/, '');
        // Only links to the workspace's own pages are opened (same origin, by the one URL parser).
        const link = checkUrl(msg.href);
        if (link.ok && link.url.origin === originOf(host)) await this.s.prompter().openExternal('workspacePage', msg.href);
        else this.s.log.warn(`inspect view: refused to open ${originAndPath(msg.href)} (not a page of ${host})`);
        break;
      }
      case 'command':
        await vscode.commands.executeCommand(`partnerConnect.${msg.command}`, { kind: 'partner', ws: this.ws, partnerId: this.partner.id, category: this.partner.category });
        break;
      case 'showLog':
        this.s.log.show();
        break;
    }
  }

  load(): Promise<void> {
    this.loading ??= this.doLoad().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async doLoad(): Promise<void> {
    this.post({ type: 'loading' });
    try {
      const client = await this.s.model.client(this.ws);
      const snapshot = await this.s.model.snapshot(this.ws).catch(() => undefined);
      const host = snapshot?.host ?? this.s.model.entry(this.ws).host;
      const [i, history] = await Promise.all([
        inspectConnection(client, this.partner, { recordFolder: this.s.model.recordFolder() }),
        readHistory(client, this.s.model.recordFolder(), { partnerId: this.partner.id, limit: HISTORY_IN_VIEW }).then(
          (r) => ({ items: historyRows(r.entries), truncated: r.truncated || r.invalid.length > 0, ...(r.untrusted ? { warning: r.untrusted } : {}) }),
          (e: unknown) => ({ items: [], truncated: false, error: firstLine(explainError(e).message) }),
        ),
      ]);
      this.inspection = i;
      const strings = webviewStrings(INSPECT_STRINGS);
      this.last = { type: 'data', data: { ...toInspectData(this.ws, host, i, snapshot && snapshotCloud(snapshot)), history }, inspectedAt: formatTime(new Date()), strings };
      this.post(this.last);
    } catch (e) {
      this.s.log.error(`[${this.ws}] inspect ${this.partner.displayName} failed: ${describeError(e)}`);
      const x = explainError(e);
      this.post({ type: 'error', message: x.message, whatToDo: x.whatToDo });
    }
  }

  private async repair(): Promise<void> {
    const i = this.inspection;
    if (!i || i.drift.inSync) return;
    if (i.drift.blocked) {
      this.post({ type: 'repairResult', ok: false, message: i.drift.blocked });
      return;
    }
    const ok = await this.s.prompter().confirm({
      id: 'repair',
      message: vscode.l10n.t('Repair the grants of {0}?', this.partner.displayName),
      detail: i.drift.repairDescription.join('\n'),
      confirm: vscode.l10n.t('Repair'),
    });
    if (!ok) return;
    this.post({ type: 'repairing' });
    try {
      const client = await this.s.model.client(this.ws);
      const res = await recorded(this.s, this.ws, { action: 'repair', partnerId: this.partner.id, partnerName: this.partner.displayName }, (track) =>
        applyRepair(client, i, { onApplied: (op) => track.changed(repairRef(op)) }),
        repairEffects,
      );
      this.post({ type: 'repairResult', ok: true, message: vscode.l10n.t('Repaired: {0} change(s) applied.', res.applied.length) });
    } catch (e) {
      this.s.log.error(`[${this.ws}] repair ${this.partner.displayName} failed: ${describeError(e)}`);
      this.post({ type: 'repairResult', ok: false, message: errorSentence(e) });
    }
    void this.s.model.invalidate(this.ws); // the tree reloads in the background; invalidate never rejects
    await this.load();
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export class InspectPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; session: InspectSession }>();

  constructor(private readonly s: () => Services) {}

  open(ws: string, partner: CatalogPartner): InspectSession {
    const key = `${ws}\u0000${partner.id}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      void existing.session.load(); // load shows its own failure in the view
      return existing.session;
    }
    const services = this.s();
    const extUri = services.context.extensionUri;
    const title = vscode.l10n.t('Inspect {0}', partner.displayName);
    const panel = vscode.window.createWebviewPanel('partnerConnect.inspect', title, vscode.ViewColumn.Active, webviewOptions(extUri));
    panel.iconPath = vscode.Uri.joinPath(extUri, 'media', 'partner-connect.svg');
    // postMessage resolves false once the panel is gone: nothing to do then.
    const session = new InspectSession(services, ws, partner, (m) => void panel.webview.postMessage(m));
    panel.webview.html = webviewHtml(panel.webview, extUri, { script: 'inspect', title });
    const sub = panel.webview.onDidReceiveMessage((m: unknown) => void session.receive(m)); // receive logs its own failures
    panel.onDidDispose(() => {
      sub.dispose();
      session.dispose();
      this.panels.delete(key);
    });
    this.panels.set(key, { panel, session });
    return session;
  }

  get(ws: string, partnerId: string): InspectSession | undefined {
    return this.panels.get(`${ws}\u0000${partnerId}`)?.session;
  }

  /** Reloads an open inspect view after a change. */
  refreshFor(ws: string, partnerId: string): void {
    const p = this.panels.get(`${ws}\u0000${partnerId}`);
    if (p) void p.session.load(); // load shows its own failure in the view
  }

  dispose(): void {
    for (const { panel } of [...this.panels.values()]) panel.dispose();
  }
}

export { workspaceUrl };
