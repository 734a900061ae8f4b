/** The plan in words: one sentence per operation, generated from the same operations `connect` applies. */
import type { PlanOperation } from './plan';
import { WAREHOUSE_TYPE_WORDS, type WarehouseType } from '../compute/warehouseTypes';

const ENTITLEMENT_WORDS: Record<string, string> = {
  'workspace-access': 'access to the workspace',
  'databricks-sql-access': 'access to Databricks SQL',
  'allow-cluster-create': 'SQL warehouse and cluster creation',
};

function privilegeWords(privs: readonly string[]): string {
  return privs.map((p) => p.replace(/_/g, ' ')).join(', ');
}

function inferredSuffix(op: PlanOperation): string {
  return op.basis.basis === 'inferred' && op.type !== 'claimRecord' && op.type !== 'writeRecord' ? ` (inferred: ${op.basis.note})` : '';
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
                return (ENTITLEMENT_WORDS[e] ?? e) + (b?.basis === 'inferred' ? ` (inferred: ${b.note})` : '');
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
    case 'handoff':
      return op.kind === 'protocol'
        ? 'Send the connection details and the credential to the partner (Partner Connect protocol) and open its page.'
        : op.kind === 'desktop-file'
          ? 'Produce a connection file for the desktop application (no service principal, no token).'
          : 'Show the connection details (host, HTTP path, JDBC URL, catalog) and let you copy the credential exactly once.';
    case 'writeRecord':
      return `Mark the partner as connected in ${op.path}.`;
  }
}

export function describePlan(plan: readonly PlanOperation[]): string[] {
  return plan.map(describeOperation);
}
