import * as vscode from 'vscode';
import {
  HIVE_METASTORE,
  bulkConnect,
  connectOptions,
  defaultWarehouseName,
  needsCatalog,
  usesWarehouse,
  offboard,
  planFleetRotation,
  previewBulkConnect,
  previewOffboard,
  rotateFleet,
  schemasOf,
  type BulkPreview,
  type BulkProgress,
  type BulkReport,
  type CatalogPartner,
  type ConnectChoices,
  type DisconnectMode,
  type RotationPayload,
} from '../../domain';
import { BULK_STRINGS, BulkToHost, HostToBulk, type BulkAction, type FormChoice, type FormWorkspace } from '../../shared/protocol/bulk';
import { bulkTargets, fleetColumns } from '../accounts/columns';
import { describeError } from '../log/log';
import { errorSentence } from '../ui/explainError';
import type { Services } from '../services';
import { stateLabel } from '../tree/presentation';
import { WebviewChannel } from './channel';
import { openSessionPanel } from './panelHost';
import { webviewStrings } from './strings';

export interface BulkOptions {
  /** rotate: credentials expiring within this many days */
  days?: number;
  /** offboard: reset or service principal only */
  mode?: DisconnectMode;
  /** connect: workspaces to tick at first */
  preselect?: string[];
}

/** The tab title of a bulk action. */
export function bulkTitle(account: string, action: BulkAction, partner: CatalogPartner | null, opts: BulkOptions): string {
  const name = partner?.displayName ?? '';
  switch (action) {
    case 'connect':
      return vscode.l10n.t('Connect {0} to workspaces of {1}', name, account);
    case 'rotate':
      return vscode.l10n.t('Rotate partner credentials expiring within {0} days — {1}', opts.days ?? 30, account);
    case 'offboard':
      return opts.mode === 'service-principal-only' ? vscode.l10n.t('Delete the service principal of {0} everywhere — {1}', name, account) : vscode.l10n.t('Offboard {0} everywhere — {1}', name, account);
  }
}

type AnyPreview = BulkPreview<ConnectChoices> | BulkPreview<RotationPayload> | BulkPreview<DisconnectMode>;

/**
 * One bulk action over one account's workspaces. The preview is one per workspace; the run starts
 * only on the view's confirming button (destructive runs — rotation, offboarding — also ask in a
 * modal dialog); progress is posted per workspace; new credentials stay in memory until copied once
 * or the view is closed. Tests drive it through receive()/sent.
 */
export class BulkSession {
  private readonly channel: WebviewChannel<HostToBulk, BulkToHost>;
  readonly sent: HostToBulk[];
  readonly onDidPost: vscode.Event<HostToBulk>;
  private preview: AnyPreview | undefined;
  private form: FormWorkspace[] = [];
  private controller: AbortController | undefined;
  private readonly progress = new Map<string, BulkProgress>();
  private progressTimer: NodeJS.Timeout | undefined;
  /** new credentials: `${key}\0${partnerId}` → value, until copied once */
  private readonly vault = new Map<string, string>();
  private running: Promise<void> | undefined;
  report: BulkReport | undefined;

  constructor(
    private readonly s: Services,
    readonly account: string,
    readonly action: BulkAction,
    readonly partner: CatalogPartner | null,
    private readonly opts: BulkOptions,
    postRaw: (m: HostToBulk) => void,
    private readonly close: () => void,
  ) {
    this.channel = new WebviewChannel(HostToBulk, BulkToHost, postRaw, (l) => s.log.warn(l), 'fleet action');
    this.sent = this.channel.sent;
    this.onDidPost = this.channel.onDidPost;
  }

  title(): string {
    return bulkTitle(this.account, this.action, this.partner, this.opts);
  }

  async receive(raw: unknown): Promise<void> {
    const msg = this.channel.parse(raw);
    if (!msg) return;
    try {
      switch (msg.type) {
        case 'ready':
          await this.start();
          break;
        case 'loadSchemas':
          await this.loadSchemas(msg.requestId, msg.key, msg.catalog);
          break;
        case 'preview':
          await this.previewConnect(msg.choices);
          break;
        case 'back':
          if (this.action === 'connect' && !this.running) {
            this.post({ type: 'form', workspaces: this.form });
            this.post({ type: 'phase', phase: 'form' });
          }
          break;
        case 'run':
          this.running ??= this.run().finally(() => (this.running = undefined));
          await this.running;
          break;
        case 'cancel':
          this.controller?.abort();
          break;
        case 'copySecret':
          await this.copySecret(msg.key, msg.id);
          break;
        case 'showLog':
          this.s.log.show();
          break;
        case 'close':
          this.close();
          break;
      }
    } catch (e) {
      this.s.log.error(`fleet action (${msg.type}) failed: ${describeError(e)}`);
      this.post({ type: 'error', message: errorSentence(e) });
    }
  }

  /** Waits for a running bulk action (tests). */
  async settled(): Promise<void> {
    await this.running;
  }

  private post(m: HostToBulk): void {
    this.channel.post(m);
  }

  private async start(): Promise<void> {
    const p = this.partner;
    this.post({
      type: 'init',
      action: this.action,
      title: this.title(),
      account: this.account,
      partner: p ? { id: p.id, name: p.displayName, schemaSelection: p.schemaSelection, usesWarehouse: usesWarehouse(p), needsCatalog: needsCatalog(p), newWarehouseName: defaultWarehouseName(p) } : null,
      strings: webviewStrings(BULK_STRINGS),
    });
    if (this.report) {
      this.postResult(this.report);
      return;
    }
    if (this.preview && this.action !== 'connect') {
      this.postPreview(this.preview);
      return;
    }
    this.post({ type: 'phase', phase: 'loading' });
    if (this.action === 'connect') await this.loadForm();
    else if (this.action === 'rotate') this.postPreview((this.preview = planFleetRotation(fleetColumns(this.s, this.account), this.opts.days ?? 30)));
    else await this.previewOffboard();
  }

  // ---------------------------------------------------------------- connect
  private async loadForm(): Promise<void> {
    const p = this.partner!;
    if (this.form.length === 0) {
      const targets = bulkTargets(this.s, this.account);
      const options = await connectOptions(targets, p);
      const byKey = new Map(options.map((o) => [o.key, o]));
      this.form = fleetColumns(this.s, this.account).map(({ key, column }): FormWorkspace => {
        const o = byKey.get(key);
        const st = column.kind === 'ready' ? column.snapshot.partners.find((x) => x.partnerId === p.id)?.state : undefined;
        const why =
          column.kind === 'failed'
            ? column.failure.message
            : column.kind !== 'ready'
              ? vscode.l10n.t('still loading')
              : column.warning
                ? column.warning.message
                : st && st !== 'not-connected'
                  ? vscode.l10n.t('{0} here already: {1}', p.displayName, stateLabel(st).toLowerCase())
                  : (o?.problem ?? undefined);
        const d = o?.defaults ?? {};
        return {
          key,
          name: column.workspace.name,
          host: column.workspace.host ?? null,
          state: st ? stateLabel(st) : column.kind === 'failed' ? vscode.l10n.t('not loaded') : vscode.l10n.t('loading…'),
          selectable: !why,
          reason: why ?? undefined,
          catalogs: (o?.catalogs ?? []).map((c) => ({ name: c.name, isDefault: c.isDefault, selectable: c.allowed, reason: c.reason ?? undefined, owner: c.owner ?? undefined })),
          schemas: o?.schemas ?? [],
          warehouses: (o?.warehouses ?? []).map((w) => ({ id: w.id, name: w.name, state: w.state })),
          defaults: {
            catalog: d.catalog ?? undefined,
            schemas: d.schemas ?? [],
            warehouse: d.warehouse ? (d.warehouse.kind === 'existing' ? { mode: 'existing', id: d.warehouse.id } : { mode: 'new', name: d.warehouse.name }) : undefined,
          },
        };
      });
    }
    this.post({ type: 'form', workspaces: this.form });
    this.post({ type: 'phase', phase: 'form' });
  }

  private async loadSchemas(requestId: number, key: string, catalog: string): Promise<void> {
    try {
      const ctx = await this.s.model.engineContext(key);
      this.post({ type: 'schemas', requestId, key, catalog, schemas: await schemasOf(ctx.client, catalog) });
    } catch (e) {
      this.post({ type: 'schemas', requestId, key, catalog, schemas: [], error: vscode.l10n.t('Could not list the schemas of {0}: {1}', catalog, e instanceof Error ? e.message : String(e)) });
    }
  }

  private async previewConnect(chosen: FormChoice[]): Promise<void> {
    if (this.action !== 'connect' || !this.partner || this.running) return;
    const keys = new Set(chosen.map((c) => c.key));
    const choices = new Map<string, ConnectChoices>(
      chosen.map((c) => [
        c.key,
        { catalog: c.catalog ?? null, isHive: c.catalog === HIVE_METASTORE, schemas: c.schemas, warehouse: c.warehouse ? (c.warehouse.mode === 'existing' ? { kind: 'existing', id: c.warehouse.id } : { kind: 'create', name: c.warehouse.name }) : undefined },
      ]),
    );
    this.post({ type: 'phase', phase: 'previewing' });
    const targets = bulkTargets(this.s, this.account).filter((x) => keys.has(x.key));
    const hasPartnerCredentials = this.partner.handoff !== 'protocol' || (await this.s.store.getPartnerCredential(this.partner.id)) !== undefined;
    this.preview = await previewBulkConnect(targets, this.partner, choices, { recordFolder: this.s.model.recordFolder(), hasPartnerCredentials });
    this.postPreview(this.preview);
  }

  // ---------------------------------------------------------------- offboard
  private async previewOffboard(): Promise<void> {
    const p = this.partner!;
    const st = this.s.fleet.state(this.account);
    const targets = bulkTargets(this.s, this.account).filter((x) => x.column.snapshot.partners.find((y) => y.partnerId === p.id)?.state !== 'not-connected');
    const preview = await previewOffboard(targets, p, this.opts.mode ?? 'reset', { accountPrincipals: st.kind === 'ready' ? st.principals : null });
    const covered = new Set(preview.items.map((i) => i.key));
    // the workspaces that are not offboarded, and why
    for (const { key, column } of fleetColumns(this.s, this.account)) {
      if (covered.has(key)) continue;
      const reason = column.kind === 'failed' ? vscode.l10n.t('not checked: {0}', column.failure.message) : column.kind !== 'ready' ? vscode.l10n.t('not checked: still loading') : column.warning ? column.warning.message : vscode.l10n.t('nothing of {0} here', p.displayName);
      preview.items.push({ key, workspace: column.workspace.name, host: column.workspace.host ?? null, status: 'skip', reason, lines: [], payload: null });
    }
    this.preview = preview;
    this.postPreview(preview);
  }

  private postPreview(p: AnyPreview): void {
    const n = p.items.filter((i) => i.status === 'ready').length;
    const confirmLabel =
      this.action === 'connect' ? vscode.l10n.t('Connect in {0} workspace(s)', n) : this.action === 'rotate' ? vscode.l10n.t('Rotate in {0} workspace(s)…', n) : vscode.l10n.t('Delete in {0} workspace(s)…', n);
    this.post({ type: 'preview', items: p.items.map(({ key, workspace, host, status, reason, lines }) => ({ key, workspace, host, status, reason, lines })), notes: p.notes, confirmLabel });
    this.post({ type: 'phase', phase: 'preview' });
  }

  // ---------------------------------------------------------------- run
  private async run(): Promise<void> {
    const preview = this.preview;
    if (!preview || this.report) return;
    const ready = preview.items.filter((i) => i.status === 'ready');
    if (ready.length === 0) return;
    if (this.action !== 'connect') {
      const lines = ready.map((i) => `• ${i.workspace}: ${i.lines.length} ${vscode.l10n.t('change(s)')}`);
      const ok = await this.s.prompter().confirm({
        id: this.action === 'rotate' ? 'fleetRotate' : 'fleetOffboard',
        message: this.action === 'rotate' ? vscode.l10n.t('Rotate the credentials shown in {0} workspace(s)?', ready.length) : vscode.l10n.t('Delete {0} in {1} workspace(s)?', this.partner?.displayName ?? '', ready.length),
        detail: [
          this.action === 'rotate' ? vscode.l10n.t('New credentials are created and handed to you once; then the old ones are permanently deleted:') : vscode.l10n.t('These are permanently deleted (this cannot be undone), as listed in the preview:'),
          ...lines,
          ...preview.notes,
        ].join('\n'),
        confirm: this.action === 'rotate' ? vscode.l10n.t('Rotate') : vscode.l10n.t('Delete'),
        safe: this.action === 'rotate' ? vscode.l10n.t('Keep Current Credentials') : vscode.l10n.t('Keep Everything'),
      });
      if (!ok) return;
    }
    this.controller = new AbortController();
    this.post({ type: 'phase', phase: 'running' });
    const targets = bulkTargets(this.s, this.account);
    const onProgress = (p: BulkProgress): void => this.onProgress(p);
    const signal = this.controller.signal;
    this.s.log.info(`[account ${this.account}] fleet ${this.action}${this.partner ? ` ${this.partner.id}` : ''} in ${ready.map((i) => i.workspace).join(', ')}`);
    let report: BulkReport;
    if (this.action === 'connect') {
      const partner = this.partner!;
      report = await bulkConnect(preview as BulkPreview<ConnectChoices>, targets, partner, {
        signal,
        onProgress,
        partnerCredentials: await this.s.store.getPartnerCredential(partner.id),
        deliverSecretOnce: (key, v) => this.keep(key, partner.id, v),
      });
    } else if (this.action === 'rotate') {
      report = await rotateFleet(preview as BulkPreview<RotationPayload>, targets, await this.s.model.catalog(), {
        signal,
        onProgress,
        partnerCredentials: (id) => this.s.store.getPartnerCredential(id),
        deliverSecretOnce: (key, partnerId, v) => this.keep(key, partnerId, v),
      });
    } else {
      const partner = this.partner!;
      report = await offboard(preview as BulkPreview<DisconnectMode>, targets, partner, { signal, onProgress, partnerCredentials: await this.s.store.getPartnerCredential(partner.id) });
    }
    this.report = report;
    this.flushProgress();
    for (const i of report.items) this.s.log.info(`[${i.key}] fleet ${this.action}: ${i.status} — ${i.message}${i.leftovers.length ? `; left behind: ${i.leftovers.map((l) => `${l.kind} ${l.name} (${l.id})`).join(', ')}` : ''}`);
    this.postResult(report);
    await Promise.all(report.items.filter((i) => i.status !== 'skipped' && !(i.status === 'cancelled' && i.ms === 0)).map((i) => this.s.model.invalidate(i.key)));
  }

  private keep(key: string, partnerId: string, value: string): void {
    this.s.log.redactor.addSecret(value);
    this.vault.set(`${key}\u0000${partnerId}`, value);
  }

  private onProgress(p: BulkProgress): void {
    this.progress.set(p.key, p);
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => this.flushProgress(), 100);
  }

  private flushProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    if (this.progress.size === 0) return;
    this.post({ type: 'progress', items: [...this.progress.values()].map((p) => ({ key: p.key, phase: p.phase, message: p.message })) });
  }

  private postResult(r: BulkReport): void {
    const names = new Map<string, string>();
    const label = (id: string): string => {
      if (!names.has(id)) names.set(id, this.partner?.id === id ? this.partner.displayName : id);
      return vscode.l10n.t('the new credential of {0}', names.get(id) ?? id);
    };
    this.post({
      type: 'result',
      items: r.items.map((i) => ({
        key: i.key,
        workspace: i.workspace,
        host: i.host,
        status: i.status,
        message: i.message,
        details: i.details,
        leftovers: i.leftovers,
        seconds: i.ms / 1000,
        secrets: [...this.vault.keys()].filter((k) => k.startsWith(`${i.key}\u0000`)).map((k) => ({ id: k.slice(i.key.length + 1), label: label(k.slice(i.key.length + 1)) })),
      })),
      counts: r.counts,
      cancelled: r.cancelled,
    });
    this.post({ type: 'phase', phase: 'done' });
  }

  private async copySecret(key: string, id: string): Promise<void> {
    const k = `${key}\u0000${id}`;
    const v = this.vault.get(k);
    if (v === undefined) return;
    this.vault.delete(k);
    await this.s.prompter().writeClipboard('token', v);
    this.post({ type: 'copied', key, id });
  }

  dispose(): void {
    this.controller?.abort();
    this.vault.clear();
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.channel.dispose();
  }
}

export class BulkPanels implements vscode.Disposable {
  private readonly panels = new Set<{ panel: vscode.WebviewPanel; session: BulkSession }>();
  /** The most recently opened session (tests). */
  last: BulkSession | undefined;

  constructor(private readonly s: () => Services) {}

  open(account: string, action: BulkAction, partner: CatalogPartner | null, opts: BulkOptions = {}): BulkSession {
    const services = this.s();
    const title = bulkTitle(account, action, partner, opts);
    const entry = openSessionPanel({
      extensionUri: services.context.extensionUri,
      viewType: 'partnerConnect.bulk',
      title,
      script: 'bulk',
      extraStyle: 'fleet.css',
      // a running action keeps its view while hidden
      retainContextWhenHidden: true,
      session: (post, close) => new BulkSession(services, account, action, partner, opts, post, close),
      onDispose: () => this.panels.delete(entry),
    });
    const session = entry.session;
    this.panels.add(entry);
    this.last = session;
    return session;
  }

  dispose(): void {
    for (const { panel } of [...this.panels]) panel.dispose();
  }
}
