/**
 * The partner's credential, with an explicit lifetime: a personal access token on behalf of the
 * service principal (or, when the workspace refuses those — Azure — an OAuth secret instead), a
 * workspace-level OAuth secret, or (a connection that acts as the user) the user's own token. Its value
 * lives only between its creation and the hand-off. Undone by deleting it, or every credential of the
 * new principal when the create's answer was lost.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { StepWords } from './step';

type Op = Extract<PlanOperation, { type: 'createCredential' }>;

export const credentialWords: StepWords<Op> = {
  title: (op) => {
    if (op.owner === 'user') return l10n.t('Create a personal access token of yours ({0} days)', op.lifetimeDays);
    return op.kind === 'pat' ? l10n.t('Create its personal access token ({0} days)', op.lifetimeDays) : l10n.t('Create its OAuth secret ({0} days)', op.lifetimeDays);
  },
  describe: (op) => {
    const until = `valid for ${op.lifetimeDays} day${op.lifetimeDays === 1 ? '' : 's'}${op.lifetimeDays === op.maxLifetimeDays ? (op.capUnread ? " (the longest Databricks allows; this workspace's own limit could not be read)" : ' (the longest this workspace allows)') : ''}`;
    if (op.owner === 'user') return `Create a personal access token of yours, ${until} ("${op.comment}"): the connection acts as you, with your own permissions; its value goes to the partner only and is never stored.`;
    return op.kind === 'pat'
      ? `Create a personal access token for it, ${until} ("${op.comment}")` +
          (op.fallbackToSecret ? '; where the workspace refuses tokens on behalf of a service principal (Azure), an OAuth secret instead' : '') +
          '; its value goes to the partner only and is never stored.'
      : `Create an OAuth secret for it, ${until}; the partner signs in with the service principal's applicationId and this secret, whose value goes to the partner only and is never stored.`;
  },
};
