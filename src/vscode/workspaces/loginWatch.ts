import * as vscode from 'vscode';
import type { LoginCommand } from '../../client';
import type { Services } from '../services';
import { offerLogin, runLogin } from './addWorkspace';
import { loginOf } from './signIn';

/**
 * An expired CLI login (Databricks CLI or Azure CLI) of a configured workspace: when its load fails
 * with LOGIN_REQUIRED, offer the login once — `databricks auth login …` / `az login` in a terminal —
 * and reload the workspace with fresh credentials when it succeeds. Offered once per episode: a
 * background refresh (the drift watch) does not ask again until the workspace has loaded, or the
 * admin chooses the error node's "Sign In" (signInAgain), which runs the login without asking.
 */

/** The login a workspace's current load error asks for (also through a wrapping error's cause). */
export function loginOfWorkspace(s: Services, name: string): LoginCommand | undefined {
  const st = s.model.peek(name);
  if (st?.kind !== 'error') return undefined;
  return loginOf(st.error) ?? loginOf((st.error as { cause?: unknown } | undefined)?.cause);
}

/** Drops the cached client (it holds no token for this login) and loads the workspace again. */
async function reload(s: Services, name: string): Promise<void> {
  await s.model.forget(name);
  await s.model.refresh(name);
}

export function watchExpiredLogins(s: Services): vscode.Disposable {
  const offered = new Set<string>();
  return s.model.onDidChange((name) => {
    if (!name) return;
    const st = s.model.peek(name);
    if (st?.kind === 'ready' || !s.store.get(name)) {
      offered.delete(name);
      return;
    }
    const login = loginOfWorkspace(s, name);
    if (!login || offered.has(name)) return;
    offered.add(name);
    const why = st?.kind === 'error' && st.error instanceof Error ? st.error.message : String(st?.kind === 'error' ? st.error : '');
    void offerLogin(s, login, vscode.l10n.t('{0}: {1}', name, why)).then(
      (ok) => (ok ? reload(s, name) : undefined),
      (e: unknown) => s.log.error(`[${name}] the sign-in offer failed`, e),
    );
  });
}

/** The error node's "Sign In": runs the login the workspace asks for in a terminal, then reloads. */
export async function signInAgain(s: Services, name: string): Promise<boolean> {
  const login = loginOfWorkspace(s, name);
  if (!login) return false;
  if (await runLogin(s, login)) await reload(s, name);
  else await s.model.refresh(name);
  return true;
}
