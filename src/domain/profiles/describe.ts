/** The plan in words: one sentence per operation, generated from the same operations `connect` applies. */
import type { CatalogPartner } from '../partners/catalog';
import { defaultWarehouseName, type HandoffDetail, type PlanOperation } from './plan';
import { PROFILES } from './profiles';
import { WAREHOUSE_TYPE_WORDS, type WarehouseType } from '../compute/warehouseTypes';

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

const ENTITLEMENT_WORDS: Record<string, string> = {
  'workspace-access': 'access to the workspace',
  'databricks-sql-access': 'access to Databricks SQL',
  'allow-cluster-create': 'SQL warehouse and cluster creation',
};

/** SQL privilege words as admins write them: USE_CATALOG → USE CATALOG. */
export function privilegeWords(privs: readonly string[]): string {
  return privs.map((p) => p.replace(/_/g, ' ')).join(', ');
}

function inferredSuffix(op: PlanOperation): string {
  return op.basis.basis === 'inferred' && op.type !== 'claimRecord' && op.type !== 'writeRecord' ? ` (assumed: ${op.basis.note})` : '';
}

/** A plan step's short title, as the progress list and error messages name it ("Create its personal access token (730 days)"). */
export function operationTitle(op: PlanOperation): string {
  switch (op.type) {
    case 'claimRecord':
      return 'Reserve the connection record';
    case 'createServicePrincipal':
      return `Create the service principal ${op.displayName}`;
    case 'grantTokenUse':
      return 'Give it CAN USE on tokens';
    case 'createWarehouse':
      return `Create the ${WAREHOUSE_TYPE_WORDS[op.warehouseType]} SQL warehouse ${op.spec.name}`;
    case 'grantWarehouseUse':
      return 'Give it CAN USE on the SQL warehouse';
    case 'createCredential':
      return op.kind === 'pat' ? `Create its personal access token (${op.lifetimeDays} days)` : `Create its OAuth secret (${op.lifetimeDays} days)`;
    case 'ucGrant':
      return `Grant ${privilegeWords(op.privileges)} on ${op.fullName}`;
    case 'hiveGrant':
      return `Grant ${privilegeWords(op.privileges)} on hive_metastore${op.securableType === 'SCHEMA' ? `.${op.name}` : ''}`;
    case 'handoff':
      return op.kind === 'protocol' ? 'Hand off to the partner' : op.kind === 'desktop-file' ? 'Prepare the connection file' : 'Prepare the connection details';
    case 'writeRecord':
      return 'Mark the partner as connected';
  }
}

export function describeOperation(op: PlanOperation): string {
  switch (op.type) {
    case 'claimRecord':
      return `Reserve the connection record ${op.path} so that no one else connects this partner at the same time.`;
    case 'createServicePrincipal':
      return (
        `Create the service principal ${op.displayName}` +
        (op.entitlements.length
          ? ` with ${op.entitlements
              .map((e) => {
                const b = op.entitlementBasis[e];
                return (ENTITLEMENT_WORDS[e] ?? e) + (b?.basis === 'inferred' ? ` (assumed: ${b.note})` : '');
              })
              .join(', ')}.`
          : ' with no entitlements.')
      );
    case 'grantTokenUse':
      return `Give it the CAN USE token permission (added to the existing token permissions; nobody else's access changes).` + inferredSuffix(op);
    case 'createWarehouse': {
      const words = (t: WarehouseType): string => WAREHOUSE_TYPE_WORDS[t];
      const fallback = op.fallback.length ? `; if the workspace refuses ${words(op.warehouseType)}: ${op.fallback.map(words).join(', then ')}` : '';
      return `Create the ${words(op.warehouseType)} SQL warehouse ${op.spec.name} (${op.spec.cluster_size}, stops after ${op.spec.auto_stop_mins ?? 10} minutes idle${fallback}); it is deleted when the connection is reset.`;
    }
    case 'grantWarehouseUse':
      return `Give it CAN USE on the SQL warehouse ${op.warehouseName ?? op.warehouseId ?? ''}.` + inferredSuffix(op);
    case 'createCredential': {
      const until = `valid for ${op.lifetimeDays} day${op.lifetimeDays === 1 ? '' : 's'}${op.lifetimeDays === op.maxLifetimeDays ? ' (the longest this workspace allows)' : ''}`;
      if (op.owner === 'user') return `Create a personal access token of yours, ${until} ("${op.comment}"): the connection acts as you, with your own permissions; its value goes to the partner only and is never stored.`;
      return op.kind === 'pat'
        ? `Create a personal access token for it, ${until} ("${op.comment}")` +
            (op.fallbackToSecret ? '; where the workspace refuses tokens on behalf of a service principal (Azure), an OAuth secret instead' : '') +
            '; its value goes to the partner only and is never stored.'
        : `Create an OAuth secret for it, ${until}; the partner signs in with the service principal's applicationId and this secret, whose value goes to the partner only and is never stored.`;
    }
    case 'ucGrant':
      return `Grant ${privilegeWords(op.privileges)} on the ${op.securableType} ${op.fullName} (Unity Catalog).` + inferredSuffix(op);
    case 'hiveGrant':
      return (
        `Grant ${privilegeWords(op.privileges)} on ${op.securableType === 'CATALOG' ? 'the catalog hive_metastore' : `the schema hive_metastore.${op.name}`} (legacy Hive metastore).` +
        inferredSuffix(op)
      );
    case 'handoff': {
      const what = detailWords(op.details, { oneSchema: op.kind === 'desktop-file' });
      const token = op.details.includes('token');
      if (op.kind === 'protocol') return `Send the connection details (${what})${token ? ' and the credential' : ''} to the partner (Partner Connect protocol) and open its page.`;
      if (op.kind === 'desktop-file') {
        const app = op.desktopFile === 'tds' ? 'Tableau Desktop connection file (.tds)' : op.desktopFile === 'pbids' ? 'Power BI Desktop connection file (.pbids)' : 'desktop connection file';
        return `Produce a ${app} with the ${what}; no service principal and no token: you sign in from the desktop application with your own account.`;
      }
      return `Show the connection details (${what})${token ? ' and let you copy its credential exactly once' : ''}.`;
    }
    case 'writeRecord':
      return `Mark the partner as connected in ${op.path}.`;
  }
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

/** What this partner gets when connected, in one or two sentences (from its profile and compute). */
export function describeAccess(partner: CatalogPartner): string {
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
  const sp = `a service principal ${partner.servicePrincipalName ?? ''} with a personal access token`;
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
