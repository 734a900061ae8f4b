import * as vscode from 'vscode';
import type { LoginCommand } from '../../client';
import type { Services } from '../services';
import { offerLogin, runLogin } from './addWorkspace';
import { loginOf } from './signIn';

/**
 * An expired CLI login (Databricks CLI or Azure CLI) of a configured workspace or account: when a
 * load fails with LOGIN_REQUIRED, offer the login once — `databricks auth login …` / `az login` in
 * a terminal — and reload everything waiting for that login when it succeeds. One offer per login
 * (workspaces signed in with one `az login` share it); an account's workspaces are not asked about
 * one by one — the account is, and they reload with it. Once per episode: a background
 * refresh (the drift watch) does not ask again until they have loaded, or the admin chooses the
 * error node's "Sign In" (signInAgain), which runs the login without asking.
 */

type Waiting = { kind: 'workspace' | 'account'; name: string };

/** The login an error asks for (also through a wrapping error's cause). */
function loginOfError(error: unknown): LoginCommand | undefined {
  return loginOf(error) ?? loginOf((error as { cause?: unknown } | undefined)?.cause);
}

/** The login a workspace's current load error asks for. */
export function loginOfWorkspace(s: Services, name: string): LoginCommand | undefined {
  const st = s.model.peek(name);
  return st?.kind === 'error' ? loginOfError(st.error) : undefined;
}

function keyOf(l: LoginCommand): string {
  return JSON.stringify([l.command, l.args, l.env ?? {}]);
}

/** Loads again with a fresh client (it holds no token for this login). */
async function reload(s: Services, w: Waiting): Promise<void> {
  if (w.kind === 'account') {
    // the account, then its workspaces (they sign in with the account's identity)
    await s.fleet.refresh(w.name);
    const mine = s.model.workspaces().filter((e) => e.authType === 'account' && e.account === w.name);
    await Promise.all(mine.map((e) => s.model.refresh(e.name)));
    return;
  }
  await s.model.forget(w.name);
  await s.model.refresh(w.name);
}

export function watchExpiredLogins(s: Services): vscode.Disposable {
  /** login → what is waiting for it */
  const waiting = new Map<string, Map<string, Waiting>>();
  const offered = new Set<string>();

  const settle = (id: string): void => {
    for (const [key, targets] of waiting) {
      targets.delete(id);
      if (targets.size === 0) {
        waiting.delete(key);
        offered.delete(key);
      }
    }
  };

  const onLoad = (w: Waiting, state: { kind: string; error?: unknown } | undefined, exists: boolean): void => {
    const id = `${w.kind}:${w.name}`;
    if (!exists || state?.kind === 'ready') return settle(id);
    if (state?.kind !== 'error') return;
    const login = loginOfError(state.error);
    if (!login) return;
    const key = keyOf(login);
    const targets = waiting.get(key) ?? new Map<string, Waiting>();
    targets.set(id, w);
    waiting.set(key, targets);
    if (offered.has(key)) return;
    offered.add(key);
    const why = state.error instanceof Error ? state.error.message : String(state.error);
    const label = w.kind === 'account' ? vscode.l10n.t('Account {0}', w.name) : w.name;
    void offerLogin(s, login, vscode.l10n.t('{0}: {1}', label, why)).then(
      async (ok) => {
        if (!ok) return;
        // signed in: a load that still fails (or failed late) may ask again
        offered.delete(key);
        await Promise.all([...(waiting.get(key)?.values() ?? [])].map((t) => reload(s, t)));
      },
      (e: unknown) => s.log.error(`[${w.name}] the sign-in offer failed`, e),
    );
  };

  const subs = [
    s.model.onDidChange((name) => {
      // An account's workspaces are not asked about one by one: their account is (below).
      if (name && s.store.get(name)?.authType !== 'account') onLoad({ kind: 'workspace', name }, s.model.peek(name), !!s.store.get(name));
    }),
    s.fleet.onDidChange((name) => {
      if (name) onLoad({ kind: 'account', name }, s.fleet.accounts.get(name) ? s.fleet.state(name) : undefined, !!s.fleet.accounts.get(name));
    }),
  ];
  return vscode.Disposable.from(...subs);
}

/** The error node's "Sign In": runs the login the workspace asks for in a terminal, then reloads. */
export async function signInAgain(s: Services, name: string): Promise<boolean> {
  const login = loginOfWorkspace(s, name);
  if (!login) return false;
  if (await runLogin(s, login)) await reload(s, { kind: 'workspace', name });
  else await s.model.refresh(name);
  return true;
}
