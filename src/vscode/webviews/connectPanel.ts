import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import {
  buildPlan,
  catalogOptions,
  connect,
  connectEffects,
  connectFormOptions,
  allowsNonAdmins,
  describeOperation,
  describePlan,
  operationTitle,
  isCancellation,
  preflightConnect,
  TypingPreflight,
  alreadyConnected,
  formDefaults,
  formPlanOptions,
  formProblems,
  formToChoices,
  initialProblems,
  offersCatalog,
  withWarehouseNames,
  type CatalogPartner,
  type ConnectChoices,
  type ConnectProgress,
  type ConnectResult,
  type DesktopFile,
  type BuildPlanOptions,
  type ConnectFormOptions,
  type PreflightResult,
  type HandoffDetail,
  type PlanOperation,
} from '../../domain';
import {
  CONNECT_STRINGS,
  ConnectToHost,
  HostToConnect,
  type ConnectForm,
  type Phase,
  type ProgressStep,
  type ResultView,
} from '../../shared/protocol/connect';
import { recorded } from '../history/recorder';
import { describeError } from '../log/log';
import type { Services } from '../services';
import { errorView, preflightProblemsToFields } from './connectErrors';
import { blockerView } from './connectText';
import { cancelledView, catalogNote, credentialInfo, explainFailedStep, partnerSummary, resultView, warehouseTypeNote, warehouseTypeOptions, withProgress } from './connectView';
import { WebviewChannel } from './channel';
import { webviewHtml, webviewOptions } from './html';
import { webviewStrings } from './strings';

type Init = Extract<HostToConnect, { type: 'init' }>;

/**
 * One connect form for one partner in one workspace. Holds the session (phase, steps, result) so
 * that the form survives being hidden: the webview reloads and asks again with `ready`.
 * Tests drive it through `receive()` and read `sent`.
 */
export class ConnectSession {
  phase: Phase = 'editing';
  steps: ProgressStep[] = [];
  result: ResultView | undefined;
  private readonly channel: WebviewChannel<HostToConnect, ConnectToHost>;
  /** Every message posted to the webview (for tests). */
  readonly sent: HostToConnect[];
  private initData: Omit<Init, 'phase' | 'steps' | 'result'> | undefined;
  private initLoad: Promise<unknown> | undefined;
  private controller: AbortController | undefined;
  private secret: string | undefined;
  private desktopFile: DesktopFile | undefined;
  private nextLink: string | undefined;
  private latestValidation = 0;
  /** what the form offered (credential, warehouse types), and what the latest pre-flight worked out */
  private formOptions: ConnectFormOptions | undefined;
  /** the connection acts as the signed-in non-admin (NON_ADMIN partner) */
  private actsAsUser = false;
  private latestPreflight: Pick<PreflightResult, 'credential' | 'warehouseType'> | undefined;
  /** pre-flight while typing: debounced, the previous one aborted, answers cached for this form */
  private readonly typing: TypingPreflight<ConnectChoices, PreflightResult>;
  private readonly modelSub: vscode.Disposable;
  private connectRun: Promise<void> | undefined;
  /** Fires for every message posted (tests await results with it). */
  readonly onDidPost: vscode.Event<HostToConnect>;

  constructor(
    private readonly s: Services,
    readonly ws: string,
    readonly partner: CatalogPartner,
    postRaw: (msg: HostToConnect) => void,
    private readonly close: () => void,
  ) {
    this.channel = new WebviewChannel(HostToConnect, ConnectToHost, postRaw, (l) => s.log.warn(l), 'connect form');
    this.sent = this.channel.sent;
    this.onDidPost = this.channel.onDidPost;
    this.typing = new TypingPreflight({
      key: (c) => JSON.stringify(c),
      run: async (choices, signal) => preflightConnect(await this.s.model.client(this.ws), this.partner, choices, { recordFolder: this.s.model.recordFolder(), signal }),
    });
    // a refresh of the workspace (or any change the extension made to it) drops the cached answers
    this.modelSub = s.model.onDidChange((changed) => {
      if (changed === undefined || changed === this.ws) this.typing.invalidate();
    });
  }

  private post(msg: HostToConnect): void {
    this.channel.post(msg);
  }

  /** Handles one message from the webview (validated here). */
  async receive(raw: unknown): Promise<void> {
    const msg = this.channel.parse(raw);
    if (!msg) return;
    try {
      switch (msg.type) {
        case 'ready':
          await this.sendInit();
          break;
        case 'loadSchemas':
          await this.loadSchemas(msg.requestId, msg.catalog);
          break;
        case 'validate':
          await this.validate(msg.requestId, msg.form);
          break;
        case 'connect':
          this.connectRun = this.connect(msg.form);
          await this.connectRun;
          break;
        case 'cancel':
          this.cancel();
          break;
        case 'nextStep':
          await this.nextStep(msg.kind);
          break;
        case 'openWebsite':
          await this.s.prompter().openExternal('partnerWebsite', this.partner.website);
          break;
        case 'showLog':
          this.s.log.show();
          break;
        case 'close':
          this.close();
          break;
      }
    } catch (e) {
      this.s.log.error(`connect form (${msg.type}) failed: ${describeError(e)}`);
    }
  }

  /** Waits for a running connect (tests). */
  async settled(): Promise<void> {
    await this.connectRun;
  }

  private async loadInitData(): Promise<Omit<Init, 'phase' | 'steps' | 'result'>> {
    const p = this.partner;
    const client = await this.s.model.client(this.ws);
    const entry = this.s.model.entry(this.ws);
    // a non-admin connecting a NON_ADMIN partner: the connection acts as them (their own token, no principal)
    const snapP = this.s.model.snapshot(this.ws);
    const asUserP = snapP.then((sn) => !sn.identity.isWorkspaceAdmin && allowsNonAdmins(p));
    const [snap, catalogs, warehouses, options, asUser] = await Promise.all([
      snapP,
      offersCatalog(p) ? asUserP.then((asUser) => catalogOptions(client, p, { asUser })) : Promise.resolve([]),
      p.compute === 'existing-warehouse' || p.compute === 'create-warehouse' ? client.listWarehouses() : Promise.resolve([]),
      asUserP.then((asUser) => connectFormOptions(client, p, { asUser })),
      asUserP,
    ]);
    this.formOptions = options;
    this.actsAsUser = asUser;
    const cred = options.credential;
    const types = options.warehouseTypes;
    const status = snap.partners.find((x) => x.partnerId === p.id);
    const desktop = p.handoff === 'desktop-file';
    const summary = partnerSummary(p, asUser, cred?.kind);
    const { defaults, proposedWarehouseName } = formDefaults(p, { catalogs, warehouses, asUser, options });
    return {
      type: 'init',
      strings: webviewStrings(CONNECT_STRINGS),
      partner: summary,
      workspace: { name: this.ws, host: entry.host, user: snap.identity.userName },
      catalogs: catalogs.map((c) => ({ name: c.name, isDefault: c.isDefault, selectable: c.allowed, reason: c.reason ?? undefined, owner: c.owner ?? undefined })),
      catalogNote: catalogNote(p),
      warehouses: warehouses.map((w) => ({ id: w.id, name: w.name, state: w.state ?? 'UNKNOWN', size: w.cluster_size })),
      warehouseTypes: types ? warehouseTypeOptions(types) : undefined,
      warehouseTypeNote: types ? warehouseTypeNote(types) : undefined,
      credential: cred ? credentialInfo(cred, asUser) : undefined,
      defaults,
      proposedWarehouseName,
      desktopDefaults: desktop,
      alreadyConnected: alreadyConnected(status),
      blocker: blockerView(p.displayName, initialProblems(p, { workspace: this.ws, identity: snap.identity, status, catalogs })),
    };
  }

  private async sendInit(): Promise<void> {
    let data = this.initData;
    try {
      if (!data) {
        this.initLoad ??= this.loadInitData().then((d) => (this.initData = d));
        await this.initLoad;
        data = this.initData;
      }
      if (!data) throw new Error('no data');
    } catch (e) {
      this.initLoad = undefined;
      this.s.log.error(`connect form for ${this.partner.displayName}: loading failed: ${describeError(e)}`);
      this.post({ type: 'loadError', error: errorView(e) });
      return;
    }
    this.post({ ...data, phase: this.phase, steps: this.steps, result: this.result });
  }

  private async loadSchemas(requestId: number, catalog: string): Promise<void> {
    try {
      const client = await this.s.model.client(this.ws);
      const schemas = await client.listSchemas(catalog);
      this.post({ type: 'schemas', requestId, catalog, schemas: schemas.map((x) => x.name).filter((n) => n !== 'information_schema').sort() });
    } catch (e) {
      this.s.log.error(`listing the schemas of ${catalog} failed: ${describeError(e)}`);
      this.post({ type: 'schemas', requestId, catalog, schemas: [], error: vscode.l10n.t('Could not list the schemas of {0}: {1}', catalog, e instanceof Error ? e.message : String(e)) });
    }
  }

  private async validate(requestId: number, form: ConnectForm): Promise<void> {
    this.latestValidation = requestId;
    const p = this.partner;
    if (!this.initData) {
      this.initLoad ??= this.loadInitData().then((d) => (this.initData = d));
      await this.initLoad.catch(() => undefined);
    }
    const catalogs = this.initData?.catalogs ?? [];
    // Known before any request: the connect cannot happen at all (not an admin, connected outside, no catalog…).
    const blocker = this.initData?.blocker;
    if (blocker) {
      this.post({ type: 'validation', requestId, problems: [], plan: [], blocker });
      return;
    }
    const local = formProblems(p, form, { catalogs, maxLifetimeDays: this.initData?.credential?.maxDays });
    const choices = formToChoices(form);
    if (local.length > 0) {
      this.post({ type: 'validation', requestId, problems: local, plan: this.namedWarehouses(describePlan(buildPlan(p, choices, this.planOptions(choices)))) });
      return;
    }
    // Remote checks (pre-flight: nothing is created), debounced and cached; only the latest request is answered.
    const answer = await this.typing.ask(choices);
    if (!answer || requestId !== this.latestValidation) return;
    const pre = answer.result;
    this.latestPreflight = { credential: pre.credential, warehouseType: pre.warehouseType };
    const found = blockerView(p.displayName, pre.problems);
    if (found) {
      this.post({ type: 'validation', requestId, problems: [], plan: [], blocker: found });
      return;
    }
    const problems = preflightProblemsToFields(pre.problems);
    const plan = this.namedWarehouses(describePlan(buildPlan(p, pre.normalized, this.planOptions(choices))));
    const extra = pre.reuse ? [vscode.l10n.t('The partner is already connected: the existing connection is re-used (no new service principal or credential).')] : [];
    this.post({ type: 'validation', requestId, problems, plan: [...extra, ...plan] });
  }

  /** The plan as the form words it: built like the connect will build it, warehouses named. */
  private planOptions(choices: ConnectChoices): BuildPlanOptions {
    return formPlanOptions(choices, {
      latestPreflight: this.latestPreflight,
      formOptions: this.formOptions,
      actsAsUser: this.actsAsUser,
      user: this.initData?.workspace.user,
      recordFolder: this.s.model.recordFolder(),
    });
  }

  private namedWarehouses(lines: string[]): string[] {
    return withWarehouseNames(lines, this.initData?.warehouses ?? []);
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.post({ type: 'phase', phase });
  }

  private onProgress(pr: ConnectProgress): void {
    this.s.log.info(`[${this.ws}] connect ${this.partner.id}: ${pr.step} ${pr.status}${pr.message ? ` — ${pr.message}` : ''}`);
    this.steps = withProgress(this.steps, pr);
    this.post({ type: 'progress', steps: this.steps });
  }

  private async connect(form: ConnectForm): Promise<void> {
    if (this.phase === 'connecting' || this.phase === 'cancelling') return;
    // a connect attempt changes what a pre-flight sees: answers from before it are not reused
    this.typing.invalidate();
    const p = this.partner;
    const choices = formToChoices(form);
    const plan = buildPlan(p, choices, this.planOptions(choices));
    this.steps = plan.map((op) => ({ id: op.step, label: operationTitle(op), status: 'pending' as const, detail: undefined }));
    this.result = undefined;
    this.secret = undefined;
    this.desktopFile = undefined;
    this.nextLink = undefined;
    this.setPhase('connecting');
    this.post({ type: 'progress', steps: this.steps });
    this.s.log.info(`[${this.ws}] connecting ${p.displayName}: ${plan.map(describeOperation).join(' | ')}`);
    const controller = new AbortController();
    this.controller = controller;
    try {
      const ctx = await this.s.model.engineContext(this.ws);
      const partnerCredentials = await this.s.store.getPartnerCredential(p.id);
      const res = await recorded(
        this.s,
        this.ws,
        { action: 'connect', partnerId: p.id, partnerName: p.displayName },
        () =>
          connect(ctx, p, choices, {
            signal: controller.signal,
            onProgress: (pr) => this.onProgress(pr),
            partnerCredentials,
            deliverSecretOnce: (value) => {
              this.s.log.redactor.addSecret(value);
              this.secret = value;
            },
          }),
        connectEffects,
      );
      const promised = plan.find((op): op is Extract<PlanOperation, { type: 'handoff' }> => op.type === 'handoff')?.details;
      this.result = await this.success(res, promised);
      this.setPhase('done');
      this.post({ type: 'result', result: this.result });
    } catch (e) {
      this.secret = undefined;
      if (isCancellation(e) || controller.signal.aborted) {
        this.s.log.info(`[${this.ws}] connect ${p.displayName}: cancelled; ${describeError(e)}`);
        const view = errorView(e);
        this.result = { ok: false, error: cancelledView(view) };
        this.setPhase('cancelled');
      } else {
        this.s.log.error(`[${this.ws}] connect ${p.displayName} failed: ${describeError(e)}`);
        this.result = { ok: false, error: errorView(e) };
        this.setPhase('failed');
        const problems = (e as { problems?: Array<{ code: string; message: string }> }).problems;
        const fields = problems ? preflightProblemsToFields(problems) : [];
        if (fields.length > 0) this.post({ type: 'validation', requestId: this.latestValidation, problems: fields, plan: describePlan(plan) });
      }
      for (const st of this.steps) if (st.status === 'running') st.status = 'failed';
      explainFailedStep(this.steps, e);
      this.post({ type: 'progress', steps: this.steps });
      this.post({ type: 'result', result: this.result });
    } finally {
      this.controller = undefined;
      void this.s.model.invalidate(this.ws); // the tree reloads in the background; invalidate never rejects
      this.s.inspectPanels.refreshFor(this.ws, p.id);
    }
  }

  /** The result (connectView.resultView); a partner page the hand-off asks for is opened first. */
  private async success(res: ConnectResult, promised: readonly HandoffDetail[] | undefined): Promise<ResultView> {
    const h = res.handoff;
    const redirect = h.kind === 'protocol' ? h.redirectUri : null;
    const opened = redirect ? await this.s.prompter().openExternal('partnerRedirect', redirect) : null;
    this.nextLink = h.kind === 'protocol' ? (h.redirectUri ?? undefined) : h.kind === 'manual' ? (h.signUpUrl ?? undefined) : undefined;
    if (h.kind === 'desktop-file') this.desktopFile = h.file;
    return resultView(this.partner, this.ws, res, promised, { opened, tokenToCopy: !!this.secret });
  }

  private cancel(): void {
    if (this.phase !== 'connecting' || !this.controller) return;
    this.setPhase('cancelling');
    this.controller.abort();
  }

  private async nextStep(kind: 'open-link' | 'save-file' | 'copy-token'): Promise<void> {
    if (kind === 'copy-token') {
      const value = this.secret;
      if (!value) {
        this.post({ type: 'nextStepDone', kind: 'info', text: vscode.l10n.t('The credential was already copied; it cannot be retrieved again.') });
        return;
      }
      this.secret = undefined;
      await this.s.prompter().writeClipboard('token', value);
      this.post({ type: 'nextStepDone', kind: 'token-copied', text: vscode.l10n.t('Copied. Paste it into the partner now: it will not be available again.') });
    } else if (kind === 'save-file') {
      const f = this.desktopFile;
      if (!f) return;
      const ext = f.fileName.split('.').pop() ?? '';
      const uri = await this.s.prompter().saveDialog({ id: 'connectionFile', title: vscode.l10n.t('Save the connection file'), defaultFileName: f.fileName, filters: { [ext.toUpperCase()]: [ext] } });
      if (!uri) return;
      if (uri.scheme === 'file') await writeFile(uri.fsPath, f.contents, 'utf8');
      else await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(f.contents));
      this.s.log.info(`connection file saved to ${uri.toString()}`);
      this.post({ type: 'nextStepDone', kind: 'file-saved', text: vscode.l10n.t('Saved to {0}', uri.scheme === 'file' ? uri.fsPath : uri.toString()) });
    } else if (kind === 'open-link') {
      if (!this.nextLink) return;
      const ok = await this.s.prompter().openExternal('partnerLink', this.nextLink);
      if (ok) this.post({ type: 'nextStepDone', kind: 'opened', text: vscode.l10n.t('Opened') });
    }
  }

  dispose(): void {
    this.controller?.abort();
    this.typing.dispose();
    this.modelSub.dispose();
    this.secret = undefined;
    this.channel.dispose();
  }
}

/** One connect panel per (workspace, partner). */
export class ConnectPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; session: ConnectSession }>();

  constructor(private readonly s: () => Services) {}

  open(ws: string, partner: CatalogPartner): ConnectSession {
    const key = `${ws}\u0000${partner.id}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing.session;
    }
    const services = this.s();
    const extUri = services.context.extensionUri;
    const panel = vscode.window.createWebviewPanel('partnerConnect.connect', vscode.l10n.t('Connect {0}', partner.displayName), vscode.ViewColumn.Active, webviewOptions(extUri));
    panel.iconPath = vscode.Uri.joinPath(extUri, 'media', 'partner-connect.svg');
    const session = new ConnectSession(
      services,
      ws,
      partner,
      (msg) => void panel.webview.postMessage(msg), // resolves false once the panel is gone: nothing to do then
      () => panel.dispose(),
    );
    panel.webview.html = webviewHtml(panel.webview, extUri, { script: 'connect', title: vscode.l10n.t('Connect {0}', partner.displayName) });
    const sub = panel.webview.onDidReceiveMessage((m: unknown) => void session.receive(m)); // receive logs its own failures
    panel.onDidDispose(() => {
      sub.dispose();
      session.dispose();
      this.panels.delete(key);
    });
    this.panels.set(key, { panel, session });
    return session;
  }

  get(ws: string, partnerId: string): ConnectSession | undefined {
    return this.panels.get(`${ws}\u0000${partnerId}`)?.session;
  }

  panel(ws: string, partnerId: string): vscode.WebviewPanel | undefined {
    return this.panels.get(`${ws}\u0000${partnerId}`)?.panel;
  }

  dispose(): void {
    for (const { panel } of [...this.panels.values()]) panel.dispose();
  }
}
