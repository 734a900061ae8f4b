/**
 * The command layer's one wrapper around every domain operation that changes a connection: it
 * appends the action's history entry (src/domain/history) in the workspace, success or failure.
 */
import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import { withHistory, type Effects, type HistorySubject, type HistoryTracker } from '../../domain';
import { PRODUCT } from '../model/clients';
import type { Services } from '../services';


export async function recorded<T>(s: Services, ws: string, subject: HistorySubject, run: (track: HistoryTracker) => Promise<T>, effects?: (result: T) => Effects): Promise<T> {
  const [client, by] = await Promise.all([s.model.client(ws), s.model.snapshot(ws).then((snap) => snap.identity.userName)]);
  return withHistory(
    {
      client,
      recordFolder: s.model.recordFolder(),
      by,
      extensionVersion: PRODUCT.version,
      redact: (t) => s.log.redactor.redact(t),
      onWritten: (entry) => {
        s.log.info(`[${ws}] history: ${entry.action} ${entry.partner ?? ''} ${entry.outcome} (${entry.id})`);
      },
      onWriteError: (e, entry) => {
        s.log.warn(`[${ws}] the history entry ${entry.id} (${entry.action} ${entry.partner ?? ''}: ${entry.outcome}) could not be written: ${e instanceof Error ? e.message : String(e)}`);
        tell(s.prompter(), {
          id: 'history.writeFailed',
          severity: 'warning',
          message: vscode.l10n.t('The history entry of this action ({0}: {1}) could not be written to the workspace: {2}', entry.action, entry.outcome, e instanceof Error ? e.message.split('\n')[0] : String(e)),
        });
      },
    },
    subject,
    run,
    effects,
  );
}
