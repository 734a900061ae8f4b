import * as vscode from 'vscode';
import { DisconnectIncompleteError, isCancellation, RepairIncompleteError } from '../../domain';
import { errorSentence } from '../ui/explainError';
import type { Log } from '../log/log';
import { describeError } from '../log/log';
import type { Prompter } from '../ui/prompter';
import { UserCancelled } from '../ui/prompter';

export { UserCancelled };

const SHOWN = Symbol('partnerConnect.errorShown');

/** Marks an error as already shown so outer layers do not show it twice. */
export function markShown(e: unknown): void {
  if (e && typeof e === 'object') (e as Record<symbol, boolean>)[SHOWN] = true;
}
export function wasShown(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as Record<symbol, boolean>)[SHOWN] === true;
}

export interface ActionDeps {
  log: Log;
  prompter: () => Prompter;
}

/**
 * Runs a command body: user cancellation ends silently, unless it stopped a change part-way (a
 * disconnect or repair that had done some of its work: what is done and what is left is shown, as
 * information); any other error is logged with its details and shown once, with a "Show log" action.
 */
export async function runAction<T>(deps: ActionDeps, name: string, body: () => Promise<T>): Promise<T | undefined> {
  deps.log.debug(`command ${name}`);
  try {
    return await body();
  } catch (e) {
    if (isCancellation(e)) {
      const partWay = e instanceof DisconnectIncompleteError || e instanceof RepairIncompleteError;
      deps.log.info(`${name}: cancelled by the user${partWay ? `: ${e.message}` : ''}`);
      if (partWay && !wasShown(e)) {
        markShown(e);
        void deps.prompter().notify({ id: 'cancelled', severity: 'info', message: e.message });
      }
      return undefined;
    }
    deps.log.error(`${name} failed: ${describeError(e)}`);
    if (!wasShown(e)) {
      markShown(e);
      showError(deps, errorSentence(e));
    }
    return undefined;
  }
}

export function showError(deps: ActionDeps, message: string): void {
  const showLog = vscode.l10n.t('Show Log');
  // Not awaited: the command ends while the error stays up; notify never rejects, the handler cannot throw.
  void deps
    .prompter()
    .notify({ id: 'error', severity: 'error', message, actions: [showLog] })
    .then((a) => {
      if (a === showLog) deps.log.show();
    });
}

/**
 * Runs work under a cancellable notification progress; the CancellationToken is bridged to an
 * AbortController whose signal goes down to the HTTP requests.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
  location: vscode.ProgressLocation | { viewId: string } = vscode.ProgressLocation.Notification,
): Thenable<T> {
  return vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort(new UserCancelled()));
    try {
      return await work(controller.signal, (message) => progress.report({ message }));
    } finally {
      sub.dispose();
    }
  });
}
