/**
 * The plan: everything a run will create, computed from the options alone (so `--dry-run` needs no
 * network). The ledger refuses to create anything the plan does not list, so the plan line is true.
 */
import { PROFILES, servicePrincipalNameFor } from '../src/domain';
import { JOURNEY_PROFILES, journeyRecordFolder } from './checks/journeys';
import type { ResourceKind } from './ledger';
import type { Names } from './naming';

export interface PlanItem {
  kind: ResourceKind;
  /** exact name, or a pattern with `*` */
  name: string;
  detail: string;
  /** only attempted: a check expects the workspace to refuse it (deleted at once if it does not) */
  attempt?: boolean;
}

export interface PlanOptions {
  warehouse: string | null;
  catalog: string | null;
  journeys: boolean;
}

export interface Plan {
  items: PlanItem[];
  /** pre-existing objects the run uses (never deletes) */
  touches: string[];
  allowed(kind: ResourceKind, name: string): boolean;
}

const glob = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

export function buildPlan(names: Names, o: PlanOptions): Plan {
  const n = names.name;
  const items: PlanItem[] = [
    { kind: 'service-principal', name: n('sp-a'), detail: 'entitlement databricks-sql-access; CAN_USE on tokens; a 1-hour token' },
    { kind: 'service-principal', name: n('sp-b'), detail: 'entitlement patches; a token request without token permission' },
    { kind: 'service-principal', name: n('sp-c'), detail: 'deleted by a check (its token and permission entry must go with it)' },
    { kind: 'service-principal', name: n('sp-forbidden'), detail: 'only attempted, signed in as sp-a: must be refused', attempt: true },
    { kind: 'token', name: `${names.prefix} token *`, detail: 'on-behalf-of tokens, 1 hour (a request above the lifetime cap must be refused)' },
    { kind: 'token-permission', name: `CAN_USE on tokens for ${n('sp-*')}`, detail: 'goes with the principal' },
    { kind: 'oauth-secret', name: `OAuth secret of ${n('sp-a')}`, detail: 'a workspace-level OAuth secret, 1 hour; deleted by a check' },
    { kind: 'warehouse', name: n('wh*'), detail: '2X-Small PRO (serverless when available), auto-stop 10 min, tag pc-conformance; deleted by a check' },
    { kind: 'warehouse-permission', name: `CAN_USE on ${n('wh*')} for *`, detail: 'goes with the warehouse' },
    { kind: 'workspace-folder', name: `/Shared/${names.prefix}`, detail: 'the record checks (create-only writes, overwrite, deletes)' },
    { kind: 'workspace-file', name: `/Shared/${names.prefix}/*`, detail: '' },
    { kind: 'workspace-folder', name: `/${names.prefix}`, detail: 'a folder in the admin-only workspace root' },
  ];
  const touches: string[] = [];
  if (o.catalog) {
    items.push(
      { kind: 'service-principal', name: n('sp-d'), detail: 'granted on the schema, then deleted: do its grants survive?' },
      { kind: 'uc-schema', name: `${o.catalog}.${names.sqlName()}`, detail: 'owned by you; dropped with its grants' },
      { kind: 'uc-grant', name: `* on schema ${o.catalog}.${names.sqlName()} for *`, detail: 'to the run\'s principals' },
    );
    touches.push(`creates a schema in catalog ${o.catalog}`);
  }
  if (o.warehouse) {
    items.push(
      { kind: 'hive-schema', name: `hive_metastore.${names.sqlName()}`, detail: 'CREATE SCHEMA on the warehouse; dropped at the end' },
      { kind: 'hive-grant', name: `* on SCHEMA hive_metastore.${names.sqlName()} for *`, detail: 'to the run\'s principals' },
    );
    touches.push(`starts warehouse ${o.warehouse} and runs statements on it (SHOW GRANTS, GRANT/REVOKE on the run's own schemas)`);
  }
  if (o.journeys) {
    for (const p of JOURNEY_PROFILES) {
      if (PROFILES[p].servicePrincipal) items.push({ kind: 'service-principal', name: servicePrincipalNameFor(`${names.prefix} ${p}`), detail: `journey ${p}: connected and disconnected by the engine` });
      if (p === 'write' || p === 'dataiku') items.push({ kind: 'warehouse', name: n(p), detail: `journey ${p}: the engine's warehouse (Small, PRO serverless, auto-stop 10 min)` });
    }
    items.push({ kind: 'workspace-folder', name: journeyRecordFolder({ names }), detail: 'the journeys\' connection records (admin-only, at the workspace root)' });
    items.push({ kind: 'workspace-file', name: `${journeyRecordFolder({ names })}/*`, detail: 'the journeys\' connection records' });
    items.push(
      { kind: 'uc-grant', name: `* on catalog * for ${names.sqlPrefix.toUpperCase()}_*`, detail: 'the journeys\' catalog privileges' },
      { kind: 'hive-grant', name: `* on catalog hive_metastore for ${names.sqlPrefix.toUpperCase()}_*`, detail: 'the journeys\' Hive catalog privileges' },
    );
    if (o.catalog) touches.push(`journeys grant USE CATALOG (write and dataiku also CREATE SCHEMA) on catalog ${o.catalog} to the run's principals`);
    if (o.warehouse) touches.push(`journeys give the run's principals CAN_USE on warehouse ${o.warehouse} (gone with the principals)`);
    if (!o.catalog && o.warehouse) touches.push('Hive journeys grant on CATALOG hive_metastore to the run\'s principals');
  }
  const patterns = items.map((i) => ({ kind: i.kind, re: glob(i.name) }));
  return { items, touches, allowed: (kind, name) => patterns.some((p) => p.kind === kind && p.re.test(name)) };
}

/** The one-line summary that opens every run's output. */
export function planLine(names: Names, host: string, plan: Plan): string {
  const count = (k: ResourceKind): number => plan.items.filter((i) => i.kind === k && !i.attempt).length;
  const parts = [
    `${count('service-principal')} service principals`,
    count('oauth-secret') ? 'their tokens, an OAuth secret and permission entries' : 'their tokens and permission entries',
    `${count('warehouse')} warehouse(s)`,
    `${count('workspace-folder')} folders with files`,
    count('uc-schema') ? 'a Unity Catalog schema' : '',
    count('hive-schema') ? 'a Hive metastore schema' : '',
    'grants to its own principals',
  ].filter(Boolean);
  return `plan: run ${names.prefix} on ${host} creates ${parts.join(', ')}, all named ${names.prefix}-… (or ${names.sqlPrefix}…), and deletes them at the end${plan.touches.length ? `; it also ${plan.touches.join('; ')}` : ''}`;
}

export function planDetails(plan: Plan): string[] {
  return plan.items.map((i) => `  - ${i.kind} ${i.name}${i.detail ? `: ${i.detail}` : ''}`);
}
