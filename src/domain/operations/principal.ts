/**
 * The partner's service principal `<PARTNER>_USER`, created with the profile's entitlements. Undone
 * by deleting it — by id when known, and by name for a create whose answer was lost; a deleted
 * principal takes its token, permissions and grants with it. The connect checks right before it that
 * no principal of this name exists (one made meanwhile outside is never ours to undo).
 */
import * as l10n from '@vscode/l10n';
import type { CallOptions, ServicePrincipal, WorkspaceClient } from '../../client/api';
import type { PlanOperation } from '../profiles/plan';
import { displayNameFilters, sameName } from '../util';
import { deleteEach, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'createServicePrincipal' }>;

const ENTITLEMENT_WORDS: Record<string, string> = {
  'workspace-access': 'access to the workspace',
  'databricks-sql-access': 'access to Databricks SQL',
  'allow-cluster-create': 'SQL warehouse and cluster creation',
};

export const principal: StepKind<Op, null, ServicePrincipal, { sp: ServicePrincipal }> = {
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
  ref: (op) => ({ kind: 'service-principal', name: op.displayName, id: '(creation outcome unknown)' }),
  apply: async (env, op, _in, made) => {
    const sp = await env.client.createServicePrincipal({ displayName: op.displayName, entitlements: op.entitlements }, env.o);
    made.state.sp = sp;
    made.ref.id = sp.id;
    return sp;
  },
  // by id when known, and by name for a create whose answer was lost
  undo: async (env, op, _in, made) => {
    const ids = new Set<string>();
    if (made.state.sp) ids.add(made.state.sp.id);
    for (const s of await principalsNamed(env.client, op.displayName)) ids.add(s.id);
    return deleteEach(ids, (id) => env.client.deleteServicePrincipal(id));
  },
};

/** The service principals named exactly so (a server-side filter, then the exact name). */
export async function principalsNamed(client: WorkspaceClient, name: string, o?: CallOptions): Promise<ServicePrincipal[]> {
  const list = await client.listServicePrincipals({ filter: displayNameFilters([name])[0] }, o);
  return list.filter((s) => sameName(s.displayName, name));
}
