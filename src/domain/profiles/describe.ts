/**
 * The plan in words: one sentence per operation, generated from the same operations `connect` applies
 * — each kind's words live with its step (operations/).
 */
import type { CatalogPartner } from '../partners/catalog';
import type { CredentialKind } from '../credentials/types';
import { partnerAsksForOAuth } from '../credentials/credentials';
import { defaultWarehouseName, type PlanOperation } from './plan';
import { PROFILES } from './profiles';
import { stepSentence, stepTitle } from '../operations';

export { detailWords } from '../operations/handoff';
export { privilegeWords } from '../operations/step';

/** A plan step's short title, as the progress list and error messages name it ("Create its personal access token (730 days)"). */
export function operationTitle(op: PlanOperation): string {
  return stepTitle(op);
}

/** A plan step's sentence: the words of its kind (operations/). */
export function describeOperation(op: PlanOperation): string {
  return stepSentence(op);
}

export function describePlan(plan: readonly PlanOperation[]): string[] {
  return plan.map(describeOperation);
}

/** A partner's access in a few words, for a badge ("reads one schema", "writes to a catalog", …). */
export function accessBadge(partner: Pick<CatalogPartner, 'profile'>): string {
  switch (partner.profile) {
    case 'none':
      return 'no service principal';
    case 'write':
      return 'writes to a catalog';
    case 'read':
      return 'reads one schema';
    case 'read-many':
      return 'reads several schemas';
    case 'dataiku':
      return 'reads schemas, writes to a catalog';
    case 'workspace':
      return 'works in the workspace';
    case 'cluster':
      return 'runs on its own clusters';
  }
}

/**
 * What this partner gets when connected, in one or two sentences (from its profile and compute).
 * `credential`: the kind the workspace will create (the form knows it); by default an OAuth secret for
 * a partner whose auth_options ask for AUTH_OAUTH_M2M, else a personal access token.
 */
export function describeAccess(partner: CatalogPartner, credential?: CredentialKind): string {
  const p = PROFILES[partner.profile];
  const name = partner.displayName;
  const warehouse =
    partner.compute === 'create-warehouse'
      ? `a SQL warehouse created for it (${defaultWarehouseName(partner)} by default, or one you choose)`
      : partner.compute === 'existing-warehouse'
        ? 'the SQL warehouse you choose'
        : null;
  if (!p.servicePrincipal) {
    if (partner.handoff === 'desktop-file') {
      return `${name} gets a connection file for ${warehouse ?? 'a SQL warehouse'}; the desktop application signs in with your own account, so it reads what you may read. Nothing is created in the workspace.`;
    }
    return `${name} gets the connection details of ${warehouse ?? 'the workspace'}; you sign in at ${name} with your own account. Nothing is created in the workspace.`;
  }
  const kind = credential ?? (partnerAsksForOAuth(partner) ? 'oauth-secret' : 'pat');
  const sp = `a service principal ${partner.servicePrincipalName ?? ''} with ${kind === 'pat' ? 'a personal access token' : 'an OAuth secret'}`;
  const uc = p.unityCatalog?.value;
  const data: string[] = [];
  if (uc?.catalog.includes('CREATE_SCHEMA')) data.push('create schemas in the catalog you choose (it owns what it creates and cannot query other tables)');
  if (uc?.schema.includes('SELECT')) data.push(partner.schemaSelection === 'many' ? 'read the schemas you choose' : 'read the one schema you choose');
  else if (uc?.schema.includes('USE_SCHEMA')) data.push('use the schemas you choose');
  const can: string[] = [];
  if (warehouse) can.push(`use ${warehouse}`);
  can.push(...data);
  const ents = p.entitlements.map((e) => e.value);
  if (!warehouse && ents.includes('workspace-access')) can.push('work in the workspace');
  if (partner.compute === 'cluster' && ents.includes('allow-cluster-create')) can.push('create its own clusters');
  const list = can.length <= 1 ? (can[0] ?? '') : `${can.slice(0, -1).join(', ')} and ${can[can.length - 1]}`;
  const none = !uc && !p.hive ? ' It gets no access to data.' : '';
  return `${name} gets ${sp}; it may ${list}.${none}`;
}
