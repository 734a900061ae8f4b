import * as vscode from 'vscode';
import { createWorkspaceClient, normaliseHost, readDatabricksConfig, resolveAuthFromEnvironment, profileConfig, type AuthConfig } from '../../client';
import type { ConnectionStateName } from '../../domain';
import type { Services } from '../services';
import { PRODUCT, readRequestSettings } from '../model/clients';
import { isDetailNode, isFilterActive, isMessageNode, type TreeFilter } from '../tree/nodes';
import { CATEGORIES, STATES, categoryLabel, stateLabel } from '../tree/presentation';
import { detailLink } from '../tree/partnersTree';
import { BackSignal, type PickEntry, tell } from '../ui/prompter';
import type { AuthKind, WorkspaceEntry } from '../workspaces/workspaceStore';
import { UserCancelled, withCancellableProgress } from './action';
import { authLabel, resolveWorkspace } from './targets';
import { hideAccountWorkspace } from './accountCommands';

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new UserCancelled();
  return v;
}

function validateHost(v: string): string | undefined {
  const t = v.trim();
  if (t === '') return vscode.l10n.t('Enter the workspace URL, e.g. https://dbc-1234.cloud.databricks.com');
  try {
    normaliseHost(t);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Signs in once with the given credentials and reports who the user is. */
async function verify(s: Services, host: string, auth: AuthConfig): Promise<{ userName: string; isAdmin: boolean }> {
  if (auth.type === 'pat') s.log.redactor.addSecret(auth.token);
  if (auth.type === 'oauth-m2m') s.log.redactor.addSecret(auth.clientSecret);
  return withCancellableProgress(vscode.l10n.t('Signing in to {0}…', host), async (signal) => {
    const { network, timeoutMs } = readRequestSettings(s.log);
    const client = createWorkspaceClient({ host, auth, product: PRODUCT, network, timeoutMs, logger: (l) => s.log.trace(l) });
    try {
      const me = await client.me({ signal });
      const isAdmin = await client.isWorkspaceAdmin({ signal });
      return { userName: me.userName, isAdmin };
    } finally {
      await client.close();
    }
  });
}

export async function addWorkspace(s: Services): Promise<string | undefined> {
  const p = s.prompter();
  const existing = new Set(s.store.list().map((e) => e.name));
  const uniqueName = (base: string): string => {
    let n = base;
    for (let i = 2; existing.has(n); i++) n = `${base} (${i})`;
    return n;
  };
  const validateName = (v: string): string | undefined =>
    v.trim() === '' ? vscode.l10n.t('Enter a name.') : existing.has(v.trim()) ? vscode.l10n.t('A workspace named "{0}" exists already.', v.trim()) : undefined;

  type Method = AuthKind;
  for (;;) {
    const method = need(
      await p.pick<Method>({
        id: 'addWorkspace.method',
        title: vscode.l10n.t('Partner Connect: Add Workspace'),
        placeholder: vscode.l10n.t('How do you sign in to the workspace?'),
        items: [
          { label: vscode.l10n.t('From a ~/.databrickscfg profile'), description: 'DATABRICKS_CONFIG_FILE', value: 'profile', icon: 'file' },
          { label: vscode.l10n.t('From environment variables'), description: 'DATABRICKS_HOST, DATABRICKS_TOKEN, …', value: 'env', icon: 'terminal' },
          { label: vscode.l10n.t('Host and personal access token'), value: 'pat', icon: 'key' },
          { label: vscode.l10n.t('OAuth machine-to-machine (client id and secret)'), value: 'oauth-m2m', icon: 'lock' },
          { label: vscode.l10n.t('Through the Databricks CLI (databricks auth login)'), value: 'databricks-cli', icon: 'terminal-bash' },
        ],
      }),
    );
    try {
      let entry: WorkspaceEntry;
      let auth: AuthConfig;
      let host: string;
      const secrets: { token?: string; clientSecret?: string } = {};
      switch (method) {
        case 'profile': {
          const file = readDatabricksConfig();
          const byHost = new Map<string, Array<{ name: string; detail: string }>>();
          for (const [name, values] of file.profiles) {
            const h = values.host ?? vscode.l10n.t('(no host)');
            const kind = values.auth_type ?? (values.token ? 'pat' : values.client_id ? 'oauth-m2m' : '?');
            byHost.set(h, [...(byHost.get(h) ?? []), { name, detail: kind }]);
          }
          const items: PickEntry<string>[] = [];
          for (const [h, profiles] of [...byHost].sort((a, b) => a[0].localeCompare(b[0]))) {
            items.push({ separator: true, label: h });
            for (const pr of profiles) items.push({ label: pr.name, description: pr.detail, value: pr.name, icon: 'account' });
          }
          if (items.length === 0) throw new Error(vscode.l10n.t('{0} has no profiles.', file.path));
          const profile = need(await p.pick<string>({ id: 'addWorkspace.profile', title: vscode.l10n.t('Choose a profile of {0}', file.path), items, step: 2, totalSteps: 3, canGoBack: true }));
          const r = profileConfig(file, profile);
          host = r.host;
          auth = r.auth;
          const name = need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt: vscode.l10n.t('Shown in the Partner Connect view'), value: uniqueName(profile), validate: validateName, step: 3, totalSteps: 3, canGoBack: true }));
          entry = { name: name.trim(), host, authType: r.auth.type === 'databricks-cli' ? 'databricks-cli' : 'profile', profile };
          break;
        }
        case 'env': {
          const r = resolveAuthFromEnvironment(process.env);
          host = r.host;
          auth = r.auth;
          const name = need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt: vscode.l10n.t('Credentials are read from the environment each time ({0})', host), value: uniqueName(new URL(host).hostname.split('.')[0] ?? 'workspace'), validate: validateName, step: 2, totalSteps: 2, canGoBack: true }));
          entry = { name: name.trim(), host, authType: 'env' };
          break;
        }
        case 'pat': {
          host = normaliseHost(need(await p.input({ id: 'addWorkspace.host', title: vscode.l10n.t('Workspace URL'), prompt: vscode.l10n.t('e.g. https://dbc-1234.cloud.databricks.com'), validate: validateHost, step: 2, totalSteps: 4, canGoBack: true })));
          const token = need(await p.input({ id: 'addWorkspace.token', title: vscode.l10n.t('Personal access token'), prompt: vscode.l10n.t('Stored in VS Code secret storage only'), password: true, validate: (v) => (v.trim() === '' ? vscode.l10n.t('Enter the token.') : undefined), step: 3, totalSteps: 4, canGoBack: true })).trim();
          secrets.token = token;
          auth = { type: 'pat', token };
          const name = need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt: vscode.l10n.t('Shown in the Partner Connect view'), value: uniqueName(new URL(host).hostname.split('.')[0] ?? 'workspace'), validate: validateName, step: 4, totalSteps: 4, canGoBack: true }));
          entry = { name: name.trim(), host, authType: 'pat' };
          break;
        }
        case 'oauth-m2m': {
          host = normaliseHost(need(await p.input({ id: 'addWorkspace.host', title: vscode.l10n.t('Workspace URL'), prompt: vscode.l10n.t('e.g. https://dbc-1234.cloud.databricks.com'), validate: validateHost, step: 2, totalSteps: 5, canGoBack: true })));
          const clientId = need(await p.input({ id: 'addWorkspace.clientId', title: vscode.l10n.t('OAuth client id'), prompt: vscode.l10n.t('The service principal’s application id'), validate: (v) => (v.trim() === '' ? vscode.l10n.t('Enter the client id.') : undefined), step: 3, totalSteps: 5, canGoBack: true })).trim();
          const clientSecret = need(await p.input({ id: 'addWorkspace.clientSecret', title: vscode.l10n.t('OAuth client secret'), prompt: vscode.l10n.t('Stored in VS Code secret storage only'), password: true, validate: (v) => (v.trim() === '' ? vscode.l10n.t('Enter the secret.') : undefined), step: 4, totalSteps: 5, canGoBack: true })).trim();
          secrets.clientSecret = clientSecret;
          auth = { type: 'oauth-m2m', clientId, clientSecret };
          const name = need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt: vscode.l10n.t('Shown in the Partner Connect view'), value: uniqueName(new URL(host).hostname.split('.')[0] ?? 'workspace'), validate: validateName, step: 5, totalSteps: 5, canGoBack: true }));
          entry = { name: name.trim(), host, authType: 'oauth-m2m', clientId };
          break;
        }
        case 'databricks-cli': {
          host = normaliseHost(need(await p.input({ id: 'addWorkspace.host', title: vscode.l10n.t('Workspace URL'), prompt: vscode.l10n.t('Sign in first with: databricks auth login --host <url>'), validate: validateHost, step: 2, totalSteps: 3, canGoBack: true })));
          auth = { type: 'databricks-cli' };
          const name = need(await p.input({ id: 'addWorkspace.name', title: vscode.l10n.t('Name of the workspace'), prompt: vscode.l10n.t('Shown in the Partner Connect view'), value: uniqueName(new URL(host).hostname.split('.')[0] ?? 'workspace'), validate: validateName, step: 3, totalSteps: 3, canGoBack: true }));
          entry = { name: name.trim(), host, authType: 'databricks-cli' };
          break;
        }
      }
      const who = await verify(s, host, auth);
      await s.store.add(entry, secrets);
      s.log.info(`workspace "${entry.name}" added (${entry.host}, ${authLabel(entry.authType)}), signed in as ${who.userName}${who.isAdmin ? ' (workspace admin)' : ''}`);
      tell(p, {
        id: 'addWorkspace.done',
        severity: who.isAdmin ? 'info' : 'warning',
        message: who.isAdmin
          ? vscode.l10n.t('Added {0}: signed in as {1} (workspace admin).', entry.name, who.userName)
          : vscode.l10n.t('Added {0}: signed in as {1}, who is not a workspace admin — Partner Connect needs the workspace admin role.', entry.name, who.userName),
      });
      return entry.name;
    } catch (e) {
      if (e instanceof BackSignal) continue;
      throw e;
    }
  }
}

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
