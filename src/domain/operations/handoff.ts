/**
 * The hand-off: the partner (or you) gets the connection details and the credential — over the
 * Partner Connect protocol, as details to copy, or as a desktop connection file (handoff/). A protocol
 * connection the partner made is undone by asking it to delete the connection.
 */
import * as l10n from '@vscode/l10n';
import type { PartnerApiClient } from '../../client/partner/partnerApiClient';
import type { ConnectRequestInput } from '../../client/partner/partnerConfig';
import type { HandoffDetail, PlanOperation } from '../profiles/plan';
import { runProtocolConnect } from '../handoff/protocol';
import type { HandoffResult } from '../handoff/types';
import type { StepKind, StepWords } from './step';

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

export interface PartnerConnectionInput {
  partnerName: string;
  request: ConnectRequestInput;
  /** the client the connect call goes through (the caller closes it) */
  client: PartnerApiClient;
  /** a new client for the undo (the connect's is closed by then); null: the partner cannot delete connections */
  reopen: (() => PartnerApiClient) | null;
  workspaceId: string;
  signal: AbortSignal | undefined;
}

/**
 * The connection the partner makes when it is called (Partner Connect protocol). Its outcome is
 * what the partner answered (no answer: it made none we know of), so it is not re-checked after a
 * lost answer; undone by asking the partner to delete the connection, when it named one.
 */
export const partnerConnection: StepKind<Op, PartnerConnectionInput, Extract<HandoffResult, { kind: 'protocol' }>, { connectionId: string | null }> = {
  ...handoffWords,
  outcomeKnown: true,
  ref: (_op, x) => ({ kind: 'partner-connection', name: `${x.partnerName} connection`, id: '(pending)' }),
  apply: async (_env, _op, x, made) => {
    const result = await runProtocolConnect(x.client, x.partnerName, x.request, false, x.signal);
    made.state.connectionId = result.connectionId;
    made.ref.id = result.connectionId ?? '(none)';
    return result;
  },
  undo: async (_env, _op, x, made) => {
    const id = made.state.connectionId;
    if (!id || !x.reopen) return 'gone';
    const pc = x.reopen();
    try {
      const out = await pc.deleteConnection({ connection_id: id, cloud_provider: x.request.cloud_provider, databricks_organization_id: x.workspaceId });
      if (out.kind === 'deleted' || out.kind === 'already_gone' || out.kind === 'not_supported') return out.kind === 'deleted' ? 'removed' : 'gone';
      throw new Error(`the partner did not delete the connection (${out.kind})`);
    } finally {
      await pc.close();
    }
  },
};
