/**
 * The hand-off: the partner (or you) gets the connection details and the credential — over the
 * Partner Connect protocol, as details to copy, or as a desktop connection file (handoff/). A protocol
 * connection the partner made is undone by asking it to delete the connection.
 */
import * as l10n from '@vscode/l10n';
import type { HandoffDetail, PlanOperation } from '../profiles/plan';
import type { StepWords } from './step';

type Op = Extract<PlanOperation, { type: 'handoff' }>;

const DETAIL_WORDS: Record<Exclude<HandoffDetail, 'token'>, string> = {
  host: 'server hostname',
  httpPath: 'HTTP path',
  jdbcUrl: 'JDBC URL',
  catalog: 'catalog',
  schemas: 'schemas',
  servicePrincipal: 'service principal',
};

/** "server hostname, HTTP path, JDBC URL and catalog" */
export function detailWords(details: readonly HandoffDetail[], o: { oneSchema?: boolean } = {}): string {
  const words = details.filter((d): d is Exclude<HandoffDetail, 'token'> => d !== 'token').map((d) => (d === 'schemas' && o.oneSchema ? 'schema' : DETAIL_WORDS[d]));
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export const handoffWords: StepWords<Op> = {
  title: (op) => (op.kind === 'protocol' ? l10n.t('Hand off to the partner') : op.kind === 'desktop-file' ? l10n.t('Prepare the connection file') : l10n.t('Prepare the connection details')),
  describe: (op) => {
    const what = detailWords(op.details, { oneSchema: op.kind === 'desktop-file' });
    const token = op.details.includes('token');
    if (op.kind === 'protocol') return `Send the connection details (${what})${token ? ' and the credential' : ''} to the partner (Partner Connect protocol) and open its page.`;
    if (op.kind === 'desktop-file') {
      const app = op.desktopFile === 'tds' ? 'Tableau Desktop connection file (.tds)' : op.desktopFile === 'pbids' ? 'Power BI Desktop connection file (.pbids)' : 'desktop connection file';
      return `Produce a ${app} with the ${what}; no service principal and no token: you sign in from the desktop application with your own account.`;
    }
    return `Show the connection details (${what})${token ? ' and let you copy its credential exactly once' : ''}.`;
  },
};
