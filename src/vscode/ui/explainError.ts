/**
 * The one mapping of an error to the words that explain it: what failed, why, what to do. Every
 * surface renders the same explanation — the connect form's inline error (webviews/connectErrors.ts
 * errorView), the inspect view's error and repair result, the tree's error node
 * (tree/presentation.ts explainWorkspaceError) and a command's notification (errorSentence, through
 * commands/action.ts) — so a 403 or an expired sign-in reads alike everywhere. Every kind of engine error is a case of a switch the compiler checks for exhaustiveness
 * (`KnownDomainError`); then the client's errors by type and HTTP status. No `vscode` import.
 *
 * Not here, because they describe something else: the log's full description with the cause chain
 * (log/log.ts describeError), the history's redacted first line (domain/history/record.ts) and the
 * engine's short cause inside its own messages (domain/errors.ts describeCause).
 */
import * as l10n from '@vscode/l10n';
import { AuthConfigError } from '../../client/errors';
import { asDomainError, errorStatus, type KnownDomainError } from '../../domain';
import type { ErrorView } from '../../shared/protocol/connect';
import { blockerView, inProgressView, resourceLine } from '../webviews/connectText';
import { localizeTimes } from './time';

/** Why the workspace refused the caller, when it did: each has a fix of its own (sign in again, the admin role). */
export type Refusal = 'login-required' | 'forbidden' | 'unauthorized';

export interface Explanation extends ErrorView {
  refusal?: Refusal;
}

/**
 * Explains `e`. `failed` is the title of an error no case knows, in the caller's words ("Connection
 * failed"); by default the error's first line.
 */
export function explainError(e: unknown, failed?: string): Explanation {
  const d = asDomainError(e);
  if (d) return explainDomainError(d, failed);
  const message = localizeTimes(e instanceof Error ? e.message : String(e));
  // the client's errors carry a code of their own (AuthConfigError, NetworkError, the API's error code)
  const c = (e as { code?: unknown } | null)?.code;
  const code = typeof c === 'string' ? c : undefined;
  if (isLoginRequired(e) || isLoginRequired((e as { cause?: unknown } | null)?.cause)) {
    return {
      title: l10n.t('Sign-in expired: sign in again'),
      message,
      whatToDo: l10n.t('Run the login again (Sign In on the workspace in the Partners view); the workspace reloads when it succeeds.'),
      code,
      leftovers: [],
      refusal: 'login-required',
    };
  }
  const status = errorStatus(e);
  if (status === 403) return { ...notAdmin(message, code), refusal: 'forbidden' };
  if (status === 401) {
    return {
      title: l10n.t('Sign-in failed: credentials refused'),
      message,
      whatToDo: l10n.t('The workspace refused the credentials (401): remove the workspace and add it again (Partner Connect: Add Workspace…) with a valid token or client secret.'),
      code,
      leftovers: [],
      refusal: 'unauthorized',
    };
  }
  return { title: failed ?? firstLine(message), message, whatToDo: l10n.t('See the log for details, fix the cause and try again.'), code, leftovers: [] };
}

/**
 * The explanation in one sentence (a notification, a one-line result): what failed, then what to do
 * where the workspace refused the caller or the engine says so.
 */
export function errorSentence(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const x = explainError(e);
  const what = firstLine(x.message);
  return x.whatToDo && (x.refusal || asDomainError(e)) ? `${what} — ${x.whatToDo}` : what;
}

/** The first line of a message (client errors may add detail lines). */
export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function isLoginRequired(e: unknown): boolean {
  return e instanceof AuthConfigError && e.code === 'LOGIN_REQUIRED';
}

function notAdmin(message: string, code: string | undefined): Explanation {
  return {
    title: l10n.t('Not allowed: workspace admin role needed'),
    message,
    whatToDo: l10n.t('Partner Connect is administered by workspace admins (members of the "admins" group): ask an admin to add you, or sign in as a workspace admin.'),
    code,
    leftovers: [],
  };
}

function explainDomainError(e: KnownDomainError, failed: string | undefined): Explanation {
  const message = localizeTimes(e.message);
  const base: Explanation = { title: failed ?? firstLine(message), message, whatToDo: e.action, code: e.code, leftovers: [] };
  switch (e.kind) {
    case 'preflight-failed':
      return (
        blockerView(e.partnerName, e.problems) ?? {
          ...base,
          title: l10n.t('Cannot connect: fix the problems marked in the form'),
          message: e.problems.map((p) => localizeTimes(p.message)).join(' ') || message,
          whatToDo: l10n.t('Change those choices, then connect again. Nothing was created.'),
        }
      );
    case 'default-catalog-not-owned':
      return { ...base, title: l10n.t('The workspace default catalog cannot be used') };
    case 'not-workspace-admin':
      return { ...notAdmin(message, e.code), whatToDo: e.action, refusal: 'forbidden' };
    case 'connect-rolled-back':
      return {
        ...base,
        title: e.cancelled ? l10n.t('Cancelled') : l10n.t('Connection failed — everything was rolled back'),
        message: message + (e.rolledBack.length > 0 ? ` ${l10n.t('Removed again: {0}.', e.rolledBack.map(resourceLine).join(', '))}` : ''),
      };
    case 'rollback-incomplete':
      return { ...base, title: l10n.t('Connection failed and some resources could not be removed'), leftovers: e.leftovers.map(resourceLine) };
    case 'partner-handoff-failed':
      return {
        ...base,
        title: l10n.t('The partner refused the connection'),
        message: e.displayMessage ? `${message} — ${e.displayMessage}` : message,
        whatToDo: [e.action, e.signInUrl ? l10n.t('Sign in at {0}', e.signInUrl) : undefined].filter(Boolean).join(' '),
      };
    case 'connect-in-progress':
      return inProgressView(e.partnerName, e.by, e.since, e.stale);
    case 'disconnect-incomplete':
    case 'rotate-incomplete':
    case 'warehouse-type-refused':
    case 'disconnected-meanwhile':
    case 'rotate-failed':
    case 'repair-blocked':
    case 'repair-incomplete':
    case 'take-over-refused':
    case 'system-tables-unavailable':
    case 'audit-access-denied':
    case 'warehouse-not-running':
      // the engine's message and action say it all
      return base;
  }
}
