/** Engine errors → the form's inline error view and field problems. No `vscode` import. */
import type { ErrorView, FieldProblem } from '../../webview/protocol/connect';
import { localizeTimes } from '../ui/time';
import { BLOCKER_CODES, blockerView, inProgressView, resourceLine } from './connectText';

interface ErrLike {
  name?: string;
  message?: string;
  code?: string;
  action?: string;
  problems?: Array<{ code: string; message: string; by?: string; since?: string; age?: { stale: boolean } }>;
  partnerName?: string;
  by?: string;
  since?: string;
  stale?: boolean;
  rolledBack?: Array<{ kind: string; name: string; id: string }>;
  leftovers?: Array<{ kind: string; name: string; id: string }>;
  displayMessage?: string;
  signInUrl?: string;
  status?: number;
  cancelled?: boolean;
}

export function problemField(code: string): FieldProblem['field'] {
  if (code.startsWith('catalog') || code === 'default-catalog-not-owned' || code === 'unity-catalog-unavailable') return 'catalog';
  if (code.startsWith('schema') || code === 'too-many-schemas') return 'schemas';
  if (code.startsWith('warehouse')) return 'warehouse';
  if (code.startsWith('destination')) return 'destinationLocation';
  if (code.startsWith('lifetime')) return 'credentialLifetime';
  return 'general';
}

/** The problems a choice in the form can fix, by field (blockers are shown once, above the form). */
export function preflightProblemsToFields(problems: ReadonlyArray<{ code: string; message: string }>): FieldProblem[] {
  return problems.filter((p) => !BLOCKER_CODES.has(p.code)).map((p) => ({ field: problemField(p.code), message: localizeTimes(p.message) }));
}

const ref = resourceLine;

export function errorView(e: unknown): ErrorView {
  const x = (e && typeof e === 'object' ? e : { message: String(e) }) as ErrLike;
  const message = localizeTimes(x.message ?? String(e));
  switch (x.name) {
    case 'PreflightError': {
      const problems = x.problems ?? [];
      const blocker = blockerView(x.partnerName ?? 'this partner', problems);
      if (blocker) return blocker;
      return {
        title: 'Cannot connect: fix the problems marked in the form',
        message: problems.map((p) => localizeTimes(p.message)).join(' ') || message,
        whatToDo: 'Change those choices, then connect again. Nothing was created.',
        code: x.code,
        leftovers: [],
      };
    }
    case 'DefaultCatalogNotOwnedError':
      return { title: 'The workspace default catalog cannot be used', message, whatToDo: x.action, code: x.code, leftovers: [] };
    case 'NotWorkspaceAdminError':
      return { title: 'Workspace admin role needed', message, whatToDo: x.action, code: x.code, leftovers: [] };
    case 'ConnectRolledBackError':
      return {
        title: x.cancelled ? 'Cancelled' : 'Connection failed — everything was rolled back',
        message: message + (x.rolledBack && x.rolledBack.length > 0 ? ` Removed again: ${x.rolledBack.map(ref).join(', ')}.` : ''),
        whatToDo: x.action,
        code: x.code,
        leftovers: [],
      };
    case 'RollbackIncompleteError':
      return { title: 'Connection failed and some resources could not be removed', message, whatToDo: x.action, code: x.code, leftovers: (x.leftovers ?? []).map(ref) };
    case 'PartnerHandoffError':
      return {
        title: 'The partner refused the connection',
        message: x.displayMessage ? `${message} — ${x.displayMessage}` : message,
        whatToDo: [x.action, x.signInUrl ? `Sign in at ${x.signInUrl}` : undefined].filter(Boolean).join(' '),
        code: x.code,
        leftovers: [],
      };
    case 'ConnectInProgressError':
      return inProgressView(x.partnerName ?? 'this partner', x.by, x.since, x.stale === true);
    default:
      if (x.status === 403) {
        return { title: 'Not allowed', message, whatToDo: 'Only workspace admins can administer Partner Connect: sign in as a workspace admin.', code: x.code, leftovers: [] };
      }
      return { title: 'Connection failed', message, whatToDo: x.action ?? 'See the log for details, fix the cause and try again.', code: x.code, leftovers: [] };
  }
}
