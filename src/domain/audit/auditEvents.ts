/**
 * Databricks' own audit log for a partner's service principal: a query on `system.access.audit`
 * through a SQL warehouse the user picks, with named parameters (the statements API binds them: no
 * value is ever put into the SQL text). Token creation and use, permission changes, logins and
 * changes to the principal itself, newest first.
 *
 * Never starts a warehouse on its own: a warehouse that is not running is refused with
 * WarehouseNotRunningError unless the caller passes `allowWarehouseStart` (after asking the user).
 * Where system tables are not enabled the query fails with TABLE_OR_VIEW_NOT_FOUND, turned into
 * SystemTablesUnavailableError with what to do.
 */
import type { CallOptions, StatementParameter, WorkspaceClient } from '../../client/api';
import { DomainError } from '../errors';

export const AUDIT_DAYS = [7, 30, 90, 365] as const;
export const AUDIT_ROW_LIMIT = 500;

/** The query. Every value comes in through a parameter marker; the LIMIT is a constant of ours. */
export const AUDIT_QUERY = [
  'SELECT event_time, service_name, action_name, user_identity.email AS actor, source_ip_address,',
  '       response.status_code AS status_code, response.error_message AS error_message, to_json(request_params) AS request_params',
  'FROM system.access.audit',
  'WHERE event_date >= date_sub(current_date(), :days)',
  '  AND (user_identity.email IN (:application_id, :display_name)',
  '       OR array_contains(map_values(request_params), :application_id)',
  '       OR array_contains(map_values(request_params), :sp_id)',
  '       OR array_contains(map_values(request_params), :display_name))',
  'ORDER BY event_time DESC',
  `LIMIT ${AUDIT_ROW_LIMIT}`,
].join('\n');

export type AuditCategory = 'login' | 'token' | 'permission' | 'principal' | 'other';

export interface AuditEventRow {
  time: string;
  service: string;
  action: string;
  /** who made the request (user name or applicationId) */
  actor: string;
  sourceIp: string | null;
  statusCode: string | null;
  errorMessage: string | null;
  params: Record<string, string>;
  category: AuditCategory;
}

export interface AuditQueryResult {
  events: AuditEventRow[];
  /** the row limit was reached: older events are not shown */
  truncated: boolean;
  days: number;
  warehouseId: string;
}

export class SystemTablesUnavailableError extends DomainError<'system-tables-unavailable'> {
  constructor(detail: string) {
    super(
      'system-tables-unavailable',
      `The audit log system table system.access.audit is not available in this workspace (${detail}).`,
      'System tables need a Unity Catalog metastore, and an account admin must enable the "access" system schema (Unity Catalog API: PUT /api/2.1/unity-catalog/metastores/{metastore_id}/systemschemas/access). Until then the audit log can only be delivered to storage.',
    );
    this.name = 'SystemTablesUnavailableError';
  }
}

export class AuditAccessDeniedError extends DomainError<'audit-access-denied'> {
  constructor(detail: string) {
    super(
      'audit-access-denied',
      `You may not read system.access.audit (${detail}).`,
      'Ask a metastore or account admin for USE CATALOG on system, USE SCHEMA on system.access and SELECT on system.access.audit.',
    );
    this.name = 'AuditAccessDeniedError';
  }
}

export class WarehouseNotRunningError extends DomainError<'warehouse-not-running'> {
  constructor(
    readonly warehouseId: string,
    readonly warehouseName: string,
    readonly warehouseState: string,
  ) {
    super('warehouse-not-running', `The SQL warehouse ${warehouseName} (${warehouseId}) is ${warehouseState.toLowerCase()}: running the query would start it.`, 'Start it (it is billed while it runs), or choose a running warehouse.');
    this.name = 'WarehouseNotRunningError';
  }
}

export function categoryOf(_service: string, action: string): AuditCategory {
  const a = action.toLowerCase();
  if (/login|oidctokenauthorization|mintoauthtoken|authentication/.test(a)) return 'login';
  if (/acl|permission|grant|setadmin|removeadmin/.test(a)) return 'permission';
  if (/token/.test(a)) return 'token';
  if (/serviceprincipal|^add$|^delete$|^update$|addprincipaltogroup|removeprincipalfromgroup|activate|deactivate/.test(a)) return 'principal';
  return 'other';
}

function parseParams(text: string | null): Record<string, string> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  } catch {
    return {};
  }
}

/** The message of a failed statement, mapped to what the user can do about it. */
function mapError(e: unknown): unknown {
  const msg = `${(e as { serverMessage?: unknown }).serverMessage ?? ''} ${e instanceof Error ? e.message : ''}`;
  if (/TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|NO_SUCH_CATALOG|CATALOG_NOT_FOUND/.test(msg) && /system/i.test(msg)) {
    return new SystemTablesUnavailableError(/TABLE_OR_VIEW_NOT_FOUND/.test(msg) ? 'TABLE_OR_VIEW_NOT_FOUND: the access system schema is not enabled' : 'the system catalog or schema does not exist');
  }
  if (/INSUFFICIENT_PERMISSIONS|PERMISSION_DENIED/.test(msg) && /system/i.test(msg)) return new AuditAccessDeniedError(msg.trim().split('\n')[0].slice(0, 200));
  return e;
}

export async function queryAuditEvents(
  client: WorkspaceClient,
  principal: { applicationId: string; id: string; displayName: string },
  opts: { warehouseId: string; days: number; allowWarehouseStart?: boolean; signal?: AbortSignal },
): Promise<AuditQueryResult> {
  const o: CallOptions = { signal: opts.signal };
  const days = Math.max(1, Math.min(365, Math.round(opts.days)));
  const w = await client.getWarehouse(opts.warehouseId, o);
  if (w.state !== 'RUNNING' && !opts.allowWarehouseStart) throw new WarehouseNotRunningError(w.id, w.name, w.state ?? 'UNKNOWN');
  const parameters: StatementParameter[] = [
    { name: 'days', value: String(days), type: 'INT' },
    { name: 'application_id', value: principal.applicationId, type: 'STRING' },
    { name: 'sp_id', value: principal.id, type: 'STRING' },
    { name: 'display_name', value: principal.displayName, type: 'STRING' },
  ];
  let r;
  try {
    r = await client.executeStatement({ warehouseId: w.id, statement: AUDIT_QUERY, parameters }, o);
  } catch (e) {
    throw mapError(e);
  }
  const columns = (r.manifest?.schema?.columns ?? []).map((c) => c.name);
  const at = (row: (string | null)[], name: string): string | null => {
    const i = columns.indexOf(name);
    return i >= 0 ? (row[i] ?? null) : null;
  };
  const events = (r.result?.data_array ?? []).map((row): AuditEventRow => {
    const service = at(row, 'service_name') ?? '';
    const action = at(row, 'action_name') ?? '';
    return {
      time: at(row, 'event_time') ?? '',
      service,
      action,
      actor: at(row, 'actor') ?? '',
      sourceIp: at(row, 'source_ip_address'),
      statusCode: at(row, 'status_code'),
      errorMessage: at(row, 'error_message'),
      params: parseParams(at(row, 'request_params')),
      category: categoryOf(service, action),
    };
  });
  return { events, truncated: events.length >= AUDIT_ROW_LIMIT, days, warehouseId: w.id };
}
