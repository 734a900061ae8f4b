import * as vscode from 'vscode';
import type { CatalogPartner, ConnectionStateName, PartnerStatus } from '../../domain';
import type { Services } from '../services';
import { isDetailNode, isMessageNode, isPartnerNode, isWorkspaceNode } from '../tree/nodes';
import { categoryLabel, stateLabel } from '../tree/presentation';
import { BackSignal, type PickEntry, tell, tellWithCommand } from '../ui/prompter';
import { UserCancelled } from './action';
import { hostLabel } from '../workspaces/workspaceStore';
import { methodLabel } from '../workspaces/signIn';

export interface PartnerTarget {
  ws: string;
  partner: CatalogPartner;
  status: PartnerStatus;
}

/** The workspace of a tree item, or asked with a quick pick (skipped when there is only one). */
export async function resolveWorkspace(s: Services, arg: unknown, step?: { step: number; totalSteps: number }): Promise<string> {
  if (isWorkspaceNode(arg) || isPartnerNode(arg) || isDetailNode(arg) || isMessageNode(arg)) return arg.ws;
  const all = s.model.workspaces();
  if (all.length === 0) {
    const add = vscode.l10n.t('Add Workspace…');
    tellWithCommand(s.prompter(), { id: 'noWorkspace', severity: 'info', message: vscode.l10n.t('No Databricks workspace is configured yet.') }, add, 'partnerConnect.addWorkspace', undefined, (e) =>
      s.log.error('Add Workspace from the message failed', e),
    );
    throw new UserCancelled();
  }
  if (all.length === 1) return all[0].name;
  const ws = await s.prompter().pick<string>({
    id: 'workspace',
    title: vscode.l10n.t('Partner Connect: choose a workspace'),
    placeholder: vscode.l10n.t('Workspace'),
    step: step?.step,
    totalSteps: step?.totalSteps,
    items: all.map((e) => ({ label: e.name, description: hostLabel(e), detail: methodLabel(e.authType), value: e.name, icon: 'server-environment' })),
  });
  if (ws === undefined) throw new UserCancelled();
  return ws;
}

/**
 * The partner of a tree item, or asked with quick picks: workspace, then a partner among those in
 * `states` (grouped by category). Throws UserCancelled when dismissed.
 */
export async function resolvePartner(
  s: Services,
  arg: unknown,
  opts: { states?: readonly ConnectionStateName[]; accept?: (st: PartnerStatus) => boolean; title: string; none: string },
): Promise<PartnerTarget> {
  if (isPartnerNode(arg) || isDetailNode(arg)) {
    const status = await s.model.status(arg.ws, arg.partnerId);
    return { ws: arg.ws, partner: status.partner, status };
  }
  let askedWorkspace = false;
  for (;;) {
    const multi = s.model.workspaces().length > 1;
    const ws = await resolveWorkspace(s, isWorkspaceNode(arg) ? arg : undefined, multi ? { step: 1, totalSteps: 2 } : undefined);
    askedWorkspace = multi && !isWorkspaceNode(arg);
    const accept = (st: PartnerStatus): boolean => (!opts.states || opts.states.includes(st.state)) && (!opts.accept || opts.accept(st));
    try {
      const pickedId = await s.prompter().pick<string>({
        id: 'partner',
        title: opts.title,
        placeholder: vscode.l10n.t('Partner'),
        step: askedWorkspace ? 2 : undefined,
        totalSteps: askedWorkspace ? 2 : undefined,
        canGoBack: askedWorkspace,
        items: async () => {
          const snap = await s.model.snapshot(ws);
          const candidates = snap.partners.filter(accept).sort((a, b) => a.partner.category.localeCompare(b.partner.category) || a.partner.displayName.localeCompare(b.partner.displayName));
          const entries: PickEntry<string>[] = [];
          let cat = '';
          for (const c of candidates) {
            if (c.partner.category !== cat) {
              cat = c.partner.category;
              entries.push({ separator: true, label: categoryLabel(cat) });
            }
            entries.push({
              label: c.partner.displayName,
              description: stateLabel(c.state),
              detail: c.servicePrincipal ? `${c.servicePrincipal.displayName} · ${c.servicePrincipal.applicationId}` : undefined,
              value: c.partnerId,
            });
          }
          if (candidates.length === 0) {
            tell(s.prompter(), { id: 'noPartner', severity: 'info', message: opts.none });
          }
          return entries;
        },
      });
      if (pickedId === undefined) throw new UserCancelled();
      const status = await s.model.status(ws, pickedId);
      return { ws, partner: status.partner, status };
    } catch (e) {
      if (e instanceof BackSignal && askedWorkspace) continue;
      throw e;
    }
  }
}

export const ACTIVE_STATES: readonly ConnectionStateName[] = ['connected', 'connected-outside', 'degraded'];
export const DISCONNECTABLE_STATES: readonly ConnectionStateName[] = ['connected', 'connected-outside', 'degraded', 'check-mark-only'];
