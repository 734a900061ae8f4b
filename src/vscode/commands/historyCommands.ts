/** "Show History": what the extension did to a connection (or to every connection of a workspace). */
import * as vscode from 'vscode';
import { readHistory } from '../../domain';
import { historyMarkdown } from '../report/history';
import type { Services } from '../services';
import { isDetailNode, isPartnerNode, isWorkspaceNode } from '../tree/nodes';
import { stateLabel } from '../tree/presentation';
import { UserCancelled, withCancellableProgress } from './action';
import { resolveWorkspace } from './targets';

const WHOLE_WORKSPACE = '\u0000workspace';

export async function showHistoryCommand(s: Services, arg: unknown): Promise<void> {
  let ws: string;
  let partnerId: string | null;
  if (isPartnerNode(arg) || isDetailNode(arg)) {
    ws = arg.ws;
    partnerId = arg.partnerId;
  } else {
    ws = await resolveWorkspace(s, arg);
    if (isWorkspaceNode(arg)) partnerId = null;
    else {
      const picked = await s.prompter().pick<string>({
        id: 'showHistory.partner',
        title: vscode.l10n.t('Partner Connect: show the history of…'),
        items: async () => {
          const snap = await s.model.snapshot(ws);
          return [
            { label: vscode.l10n.t('Every connection in {0}', ws), value: WHOLE_WORKSPACE, icon: 'history' },
            { separator: true as const, label: vscode.l10n.t('Partners') },
            ...snap.partners
              .filter((p) => p.state !== 'not-connected')
              .sort((a, b) => a.partner.displayName.localeCompare(b.partner.displayName))
              .map((p) => ({ label: p.partner.displayName, description: stateLabel(p.state), value: p.partnerId })),
          ];
        },
      });
      if (picked === undefined) throw new UserCancelled();
      partnerId = picked === WHOLE_WORKSPACE ? null : picked;
    }
  }
  const client = await s.model.client(ws);
  const read = await withCancellableProgress(vscode.l10n.t('Reading the history of {0}…', ws), (signal) => readHistory(client, s.model.recordFolder(), { partnerId: partnerId ?? undefined, signal, limit: 1000 }));
  const catalog = await s.model.catalog();
  const name = partnerId ? (catalog.get(partnerId)?.displayName ?? partnerId) : null;
  const md = [
    name ? `# History of ${name} in ${ws}` : `# History of the connections in ${ws}`,
    '',
    `What Partner Connect for VS Code did, newest first, as recorded in the workspace (\`${s.model.recordFolder().replace(/\/+$/, '')}/history/\`, one file per action). Ids only: no token value is ever recorded.`,
    '',
    ...historyMarkdown(read, { withPartner: partnerId === null }),
  ].join('\n');
  await s.prompter().showDocument('history', s.log.redactor.redact(md), 'markdown');
}
