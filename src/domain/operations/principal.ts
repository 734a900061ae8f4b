/**
 * The partner's service principal `<PARTNER>_USER`, created with the profile's entitlements. Undone
 * by deleting it — by id when known, and by name for a create whose answer was lost; a deleted
 * principal takes its token, permissions and grants with it.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import type { StepWords } from './step';

type Op = Extract<PlanOperation, { type: 'createServicePrincipal' }>;

const ENTITLEMENT_WORDS: Record<string, string> = {
  'workspace-access': 'access to the workspace',
  'databricks-sql-access': 'access to Databricks SQL',
  'allow-cluster-create': 'SQL warehouse and cluster creation',
};

export const principalWords: StepWords<Op> = {
  title: (op) => l10n.t('Create the service principal {0}', op.displayName),
  describe: (op) =>
    `Create the service principal ${op.displayName}` +
    (op.entitlements.length
      ? ` with ${op.entitlements
          .map((e) => {
            const b = op.entitlementBasis[e];
            return (ENTITLEMENT_WORDS[e] ?? e) + (b?.basis === 'inferred' ? ` (assumed: ${b.note})` : '');
          })
          .join(', ')}.`
      : ' with no entitlements.'),
};
