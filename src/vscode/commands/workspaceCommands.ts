import * as vscode from 'vscode';
import type { ConnectionStateName } from '../../domain';
import type { Services } from '../services';
import { isDetailNode, isFilterActive, isMessageNode, type TreeFilter } from '../tree/nodes';
import { CATEGORIES, STATES, categoryLabel, stateLabel } from '../tree/presentation';
import { detailLink } from '../tree/partnersTree';
import type { PickEntry } from '../ui/prompter';
import { UserCancelled } from './action';
import { resolveWorkspace } from './targets';
import { hideAccountWorkspace } from './accountCommands';
import { signInAgain } from '../workspaces/loginWatch';

/** Partner Connect: Add Workspace… (src/vscode/workspaces/addWorkspace.ts). */
export { addWorkspace } from '../workspaces/addWorkspace';

export async function removeWorkspace(s: Services, arg: unknown): Promise<void> {
  const ws = await resolveWorkspace(s, arg);
  if (s.store.isAccountWorkspace(ws)) return hideAccountWorkspace(s, ws);
  const entry = s.model.entry(ws);
  const ok = await s.prompter().confirm({
    id: 'removeWorkspace',
    message: vscode.l10n.t('Remove the workspace "{0}" from VS Code?', ws),
    detail: vscode.l10n.t('{0}\n\nOnly this editor forgets it and its stored secrets; nothing changes in the workspace or at any partner.', entry.host),
    confirm: vscode.l10n.t('Remove'),
  });
  if (!ok) throw new UserCancelled();
  await s.store.remove(ws);
  await s.model.forget(ws);
  s.log.info(`workspace "${ws}" removed`);
}

export async function retry(s: Services, arg: unknown): Promise<void> {
  if (isMessageNode(arg)) {
    // An expired CLI login: the node says "Sign In" and runs the login, then reloads.
    if (await signInAgain(s, arg.ws)) return;
    await s.model.refresh(arg.ws);
    return;
  }
  await s.model.refresh();
}

export async function filter(s: Services): Promise<void> {
  type F = { kind: 'state'; state: ConnectionStateName } | { kind: 'category'; category: string };
  const current = s.tree.getFilter();
  const categories = new Set<string>();
  for (const e of s.model.workspaces()) {
    const st = s.model.state(e.name);
    if (st.kind === 'ready') for (const p of st.snapshot.partners) categories.add(p.partner.category);
  }
  if (categories.size === 0) for (const c of CATEGORIES) categories.add(c);
  const items: PickEntry<F>[] = [
    { separator: true, label: vscode.l10n.t('State') },
    ...STATES.map((state) => ({ label: stateLabel(state), value: { kind: 'state' as const, state }, picked: current.states.includes(state) })),
    { separator: true, label: vscode.l10n.t('Category') },
    ...[...categories].sort().map((category) => ({ label: categoryLabel(category), value: { kind: 'category' as const, category }, picked: current.categories.includes(category) })),
  ];
  const picked = await s.prompter().pickMany<F>({ id: 'filter', title: vscode.l10n.t('Partner Connect: show only partners in these states and categories'), placeholder: vscode.l10n.t('Nothing selected shows everything'), items });
  if (!picked) throw new UserCancelled();
  const f: TreeFilter = {
    states: picked.flatMap((x) => (x.kind === 'state' ? [x.state] : [])),
    categories: picked.flatMap((x) => (x.kind === 'category' ? [x.category] : [])),
  };
  s.tree.setFilter(f);
  s.log.info(`filter: ${isFilterActive(f) ? JSON.stringify(f) : 'none'}`);
}

export async function openInWorkspace(s: Services, arg: unknown): Promise<void> {
  if (!isDetailNode(arg)) return;
  const st = await s.model.status(arg.ws, arg.partnerId);
  const snap = await s.model.snapshot(arg.ws);
  const link = detailLink(snap.host, arg, st);
  if (link) await s.prompter().openExternal('workspacePage', link);
}
