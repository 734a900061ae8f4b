/** The drift watch's commands: turn it on or off, check now, and the problems with their actions. */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import type { Services } from '../services';
import { partnerArg } from '../watch/driftWatch';
import type { WatchProblem } from '../watch/summary';
import { UserCancelled, withCancellableProgress } from './action';

export async function toggleDriftWatchCommand(s: Services): Promise<void> {
  const on = !s.driftWatch.settings.enabled;
  await vscode.workspace.getConfiguration('partnerConnect.driftWatch').update('enabled', on, vscode.ConfigurationTarget.Global);
  tell(s.prompter(), {
    id: 'driftWatch.toggled',
    severity: 'info',
    message: on
      ? vscode.l10n.t('Drift watch on: every {0} minutes the connections of every workspace are checked again (no warehouse is ever started).', s.driftWatch.settings.intervalMinutes)
      : vscode.l10n.t('Drift watch off.'),
  });
}

export async function checkNowCommand(s: Services): Promise<void> {
  if (s.model.workspaces().length === 0) throw new UserCancelled();
  const changes = await withCancellableProgress(vscode.l10n.t('Checking the connections of every workspace…'), () => s.driftWatch.check());
  if (s.driftWatch.problems.length === 0) {
    tell(s.prompter(), { id: 'driftWatch.allWell', severity: 'info', message: vscode.l10n.t('Every connection is as expected: nothing degraded, no credential close to expiry.') });
    return;
  }
  if (!s.driftWatch.settings.enabled && changes.length) for (const c of changes) s.log.info(`check: ${c.text}`);
  await showDriftProblemsCommand(s);
}

export async function showDriftProblemsCommand(s: Services): Promise<void> {
  const problems = s.driftWatch.problems;
  if (problems.length === 0) {
    tell(s.prompter(), { id: 'driftWatch.allWell', severity: 'info', message: vscode.l10n.t('Every connection is as expected: nothing degraded, no credential close to expiry.') });
    return;
  }
  const problem = await s.prompter().pick<WatchProblem>({
    id: 'driftWatch.problem',
    title: vscode.l10n.t('Partner Connect: {0} problem(s) — choose one to act on', problems.length),
    items: problems.map((p) => ({ label: `${p.partnerName} · ${p.ws}`, description: p.kind === 'degraded' ? vscode.l10n.t('degraded') : vscode.l10n.t('credential expiring'), detail: p.text, value: p, icon: p.kind === 'degraded' ? 'warning' : 'clock' })),
  });
  if (!problem) throw new UserCancelled();
  const action =
    problem.actions.length === 1
      ? problem.actions[0]
      : await s.prompter().pick({
          id: 'driftWatch.action',
          title: vscode.l10n.t('{0}: what to do', problem.partnerName),
          items: problem.actions.map((a) => ({ label: a.label, value: a })),
        });
  if (!action) throw new UserCancelled();
  await vscode.commands.executeCommand(`partnerConnect.${action.command}`, partnerArg(s.model, problem.ws, problem.partnerId));
}
