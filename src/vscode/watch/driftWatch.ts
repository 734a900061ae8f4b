/**
 * The drift watch (opt-in, `partnerConnect.driftWatch.*`): re-checks every workspace on a timer
 * (at least every 15 minutes apart) with the same detection the tree uses — which never starts a
 * warehouse — and shows a badge on the view and a status-bar count of degraded connections and
 * credentials close to expiry; a connection that changes state between two checks is notified, with
 * the action to take.
 */
import * as vscode from 'vscode';
import type { WorkspaceSnapshot } from '../../domain';
import type { Log } from '../log/log';
import type { PartnersModel } from '../model/partnersModel';
import type { TreeNode } from '../tree/nodes';
import { setContext } from '../ui/contextKeys';
import type { Prompter } from '../ui/prompter';
import { stateChanges, statusText, watchProblems, type StateChange, type WatchProblem } from './summary';

export const MIN_INTERVAL_MINUTES = 15;
export const DEFAULT_INTERVAL_MINUTES = 60;
export const DEFAULT_EXPIRY_DAYS = 14;

export interface WatchSettings {
  enabled: boolean;
  intervalMinutes: number;
  expiryWarningDays: number;
}

export function readWatchSettings(): WatchSettings {
  const c = vscode.workspace.getConfiguration('partnerConnect.driftWatch');
  const num = (key: string, def: number, min: number, max: number): number => {
    const v = c.get<unknown>(key);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : def;
  };
  return {
    enabled: c.get<unknown>('enabled') === true,
    intervalMinutes: num('intervalMinutes', DEFAULT_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES, 24 * 60),
    expiryWarningDays: num('expiryWarningDays', DEFAULT_EXPIRY_DAYS, 1, 365),
  };
}

export class DriftWatch implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** created when the watch is first turned on */
  private status: vscode.StatusBarItem | undefined;
  private badged = false;
  private readonly subs: vscode.Disposable[] = [];
  /** the snapshot each workspace had at the last check */
  private readonly seen = new Map<string, WorkspaceSnapshot>();
  private running: Promise<StateChange[]> | undefined;
  settings: WatchSettings;
  /** how many checks ran (tests) */
  checks = 0;

  constructor(
    private readonly model: PartnersModel,
    private readonly treeView: vscode.TreeView<TreeNode>,
    private readonly prompter: () => Prompter,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = readWatchSettings();
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('partnerConnect.driftWatch')) this.configure();
      }),
      // every load (a check, a refresh, after an action) updates the badge and the count
      model.onDidChange(() => this.update()),
    );
    this.configure();
  }

  private configure(): void {
    this.settings = readWatchSettings();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    setContext('partnerConnect.driftWatch', this.settings.enabled);
    if (this.settings.enabled) {
      this.timer = setInterval(() => void this.check().catch((e: unknown) => this.log.error('drift watch: check failed', e)), this.settings.intervalMinutes * 60_000);
      this.log.info(`drift watch on: every ${this.settings.intervalMinutes} min, credentials expiring within ${this.settings.expiryWarningDays} day(s)`);
      // remember the states known now, so the first check can tell what changed
      for (const e of this.model.workspaces()) {
        const st = this.model.state(e.name);
        if (st.kind === 'ready') this.seen.set(e.name, st.snapshot);
      }
    } else {
      this.seen.clear();
    }
    this.update();
  }

  /** Re-checks every workspace now; notifies the state changes since the last check. */
  check(): Promise<StateChange[]> {
    this.running ??= this.doCheck().finally(() => (this.running = undefined));
    return this.running;
  }

  private async doCheck(): Promise<StateChange[]> {
    this.checks++;
    const names = this.model.workspaces().map((e) => e.name);
    await this.model.refresh();
    const changes: StateChange[] = [];
    for (const ws of names) {
      const st = this.model.state(ws);
      if (st.kind !== 'ready') continue;
      const before = this.seen.get(ws);
      if (before) changes.push(...stateChanges(ws, before, st.snapshot));
      this.seen.set(ws, st.snapshot);
    }
    this.update();
    // Not awaited: each message waits for its own answer while the check returns; a failing action is logged.
    if (this.settings.enabled) for (const c of changes) void this.notify(c).catch((e: unknown) => this.log.error(`drift watch: ${c.text}`, e));
    return changes;
  }

  private async notify(c: StateChange): Promise<void> {
    this.log.info(`drift watch: ${c.text}`);
    const chosen = await this.prompter().notify({
      id: 'driftWatch.changed',
      severity: c.to === 'degraded' ? 'warning' : 'info',
      message: c.text,
      actions: c.actions.map((a) => a.label),
    });
    const action = c.actions.find((a) => a.label === chosen);
    if (action) await vscode.commands.executeCommand(`partnerConnect.${action.command}`, partnerArg(this.model, c.ws, c.partnerId));
  }

  /** Degraded connections and credentials close to expiry, in the workspaces loaded now. */
  get problems(): WatchProblem[] {
    const snaps: { ws: string; snapshot: WorkspaceSnapshot }[] = [];
    for (const e of this.model.workspaces()) {
      const st = this.model.state(e.name);
      if (st.kind === 'ready') snaps.push({ ws: e.name, snapshot: st.snapshot });
    }
    return watchProblems(snaps, this.now(), this.settings.expiryWarningDays);
  }

  private update(): void {
    if (!this.settings.enabled) {
      this.status?.hide();
      if (this.badged) this.treeView.badge = undefined;
      this.badged = false;
      return;
    }
    if (!this.status) {
      this.status = vscode.window.createStatusBarItem('partnerConnect.driftWatch', vscode.StatusBarAlignment.Left, 50);
      this.status.name = vscode.l10n.t('Partner Connect drift watch');
      this.status.command = 'partnerConnect.showDriftProblems';
    }
    const problems = this.problems;
    const text = statusText(problems);
    const tooltip = problems.length ? problems.map((p) => p.text).join('\n') : vscode.l10n.t('Partner Connect: every connection is as expected.');
    this.status.text = text || '$(pass) Partner Connect';
    this.status.tooltip = tooltip;
    this.status.show();
    this.treeView.badge = problems.length ? { value: problems.length, tooltip } : undefined;
    this.badged = problems.length > 0;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.status?.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** The tree node of a partner, as the partner commands take it. */
export function partnerArg(model: PartnersModel, ws: string, partnerId: string): TreeNode {
  const st = model.state(ws);
  const category = st.kind === 'ready' ? (st.snapshot.partners.find((p) => p.partnerId === partnerId)?.partner.category ?? '') : '';
  return { kind: 'partner', ws, partnerId, category };
}
