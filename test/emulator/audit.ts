/**
 * The audit log: what the emulator records of the requests it served, and `system.access.audit`
 * answered from it through the statements API.
 *
 * Recorded (service_name / action_name as the Databricks audit log reference names them):
 * accounts/tokenLogin (a service principal's personal access token used; at most once a minute per
 * token), accounts/mintOAuthToken (an OAuth token issued to a principal), accounts/generateDbToken
 * and accounts/revokeDbToken (token created / deleted, also on behalf of a principal),
 * accounts/changeDbTokenAcl (token permissions), databrickssql/changeWarehouseAcls, unityCatalog/
 * updatePermissions, accounts/add and accounts/delete of service principals, accounts/
 * updateServicePrincipal (entitlements). request_params carry the principal ids and names involved.
 *
 * The query: a SELECT ... FROM system.access.audit; its named parameter markers must all be bound
 * (else UNBOUND_SQL_PARAMETER, as Databricks answers). The emulator evaluates the filter the
 * extension's query expresses — events of the last `:days` days whose actor is `:application_id` /
 * `:display_name` or whose request parameters name `:application_id`, `:sp_id` or `:display_name` —
 * and returns the selected columns. With `options.systemTablesEnabled: false` (or no metastore) the
 * query fails as a non-enabled system schema does: TABLE_OR_VIEW_NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, EmulatorState } from './state';

export interface AuditEvent {
  event_time: string;
  service_name: string;
  action_name: string;
  /** user_identity.email: the userName or applicationId of who made the request */
  actor: string;
  request_params: Record<string, string>;
  status_code: number;
  error_message: string | null;
  source_ip_address: string;
  event_id: string;
}

export const AUDIT_COLUMNS = ['event_time', 'service_name', 'action_name', 'actor', 'source_ip_address', 'status_code', 'error_message', 'request_params'] as const;

function push(state: EmulatorState, e: Omit<AuditEvent, 'event_time' | 'event_id' | 'source_ip_address' | 'status_code' | 'error_message'> & Partial<AuditEvent>): void {
  state.auditEvents.push({ event_time: new Date().toISOString(), event_id: randomUUID().replace(/-/g, ''), source_ip_address: '127.0.0.1', status_code: 200, error_message: null, ...e });
}

const lastLogin = new WeakMap<EmulatorState, Map<string, number>>();

/** A request authenticated with a token: a service principal's use of its token is logged (once a minute). */
export function auditLogin(state: EmulatorState, caller: Caller, tokenId: string | null): void {
  if (caller.kind !== 'sp') return;
  const m = lastLogin.get(state) ?? new Map<string, number>();
  lastLogin.set(state, m);
  const key = `${tokenId ?? 'oauth'}:${caller.name}`;
  const now = Date.now();
  if ((m.get(key) ?? 0) > now - 60_000) return;
  m.set(key, now);
  push(state, { service_name: 'accounts', action_name: tokenId ? 'tokenLogin' : 'oidcTokenAuthorization', actor: caller.name, request_params: { user: caller.name, ...(tokenId ? { tokenId } : {}) } });
}

/** A successful request that changed something the audit log records. */
export function auditRequest(state: EmulatorState, caller: Caller | null, method: string, path: string, body: unknown, replyBody: unknown): void {
  const b = (body ?? {}) as Record<string, unknown>;
  const r = (replyBody ?? {}) as Record<string, unknown>;
  const actor = caller?.name ?? '';
  const s = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));
  let m: RegExpExecArray | null;
  if (method === 'POST' && path === '/api/2.0/token-management/on-behalf-of/tokens') {
    const info = (r.token_info ?? {}) as Record<string, unknown>;
    push(state, { service_name: 'accounts', action_name: 'generateDbToken', actor, request_params: { tokenId: s(info.token_id), onBehalfOf: s(b.application_id), comment: s(b.comment ?? ''), lifetimeSeconds: s(b.lifetime_seconds ?? '') } });
  } else if (method === 'POST' && path === '/api/2.0/token/create') {
    const info = (r.token_info ?? {}) as Record<string, unknown>;
    push(state, { service_name: 'accounts', action_name: 'generateDbToken', actor, request_params: { tokenId: s(info.token_id), comment: s(b.comment ?? '') } });
  } else if (method === 'DELETE' && (m = /^\/api\/2\.0\/token-management\/tokens\/([^/]+)$/.exec(path))) {
    push(state, { service_name: 'accounts', action_name: 'revokeDbToken', actor, request_params: { tokenId: decodeURIComponent(m[1]) } });
  } else if ((method === 'PATCH' || method === 'PUT') && path === '/api/2.0/permissions/authorization/tokens') {
    for (const a of (b.access_control_list ?? []) as Record<string, unknown>[]) {
      push(state, { service_name: 'accounts', action_name: 'changeDbTokenAcl', actor, request_params: { targetUserName: s(a.service_principal_name ?? a.user_name ?? a.group_name), aclPermissionSet: s(a.permission_level) } });
    }
  } else if ((method === 'PATCH' || method === 'PUT') && (m = /^\/api\/2\.0\/permissions\/(?:sql\/)?warehouses\/([^/]+)$/.exec(path))) {
    for (const a of (b.access_control_list ?? []) as Record<string, unknown>[]) {
      push(state, { service_name: 'databrickssql', action_name: 'changeWarehouseAcls', actor, request_params: { resourceId: m[1], targetUserName: s(a.service_principal_name ?? a.user_name ?? a.group_name), aclPermissionSet: s(a.permission_level) } });
    }
  } else if (method === 'PATCH' && (m = /^\/api\/2\.1\/unity-catalog\/permissions\/([^/]+)\/([^/]+)$/.exec(path))) {
    for (const c of (b.changes ?? []) as Record<string, unknown>[]) {
      push(state, { service_name: 'unityCatalog', action_name: 'updatePermissions', actor, request_params: { securable_type: decodeURIComponent(m[1]), securable_full_name: decodeURIComponent(m[2]), principal: s(c.principal), changes: s({ add: c.add ?? [], remove: c.remove ?? [] }) } });
    }
  } else if (method === 'POST' && path === '/api/2.0/preview/scim/v2/ServicePrincipals') {
    push(state, { service_name: 'accounts', action_name: 'add', actor, request_params: { targetUserId: s(r.id), targetUserName: s(r.applicationId), displayName: s(r.displayName), endpoint: 'scim' } });
  } else if (method === 'DELETE' && (m = /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\/([^/]+)$/.exec(path))) {
    push(state, { service_name: 'accounts', action_name: 'delete', actor, request_params: { targetUserId: decodeURIComponent(m[1]), endpoint: 'scim' } });
  } else if (method === 'PATCH' && (m = /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\/([^/]+)$/.exec(path))) {
    push(state, { service_name: 'accounts', action_name: 'updateServicePrincipal', actor, request_params: { targetUserId: decodeURIComponent(m[1]), operations: s(b.Operations ?? []) } });
  }
}

export class AuditQueryError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
  ) {
    super(`[${errorClass}] ${message}`);
  }
}

export const isAuditQuery = (sql: string): boolean => /\bfrom\s+`?system`?\s*\.\s*`?access`?\s*\.\s*`?audit`?\b/i.test(sql);

/** Runs the extension's audit query against the recorded events. */
export function runAuditQuery(state: EmulatorState, sql: string, parameters: ReadonlyArray<{ name: string; value: string | null; type?: string }>): { columns: string[]; rows: (string | null)[][] } {
  if (!state.metastore || state.options.systemTablesEnabled === false) {
    throw new AuditQueryError(
      'TABLE_OR_VIEW_NOT_FOUND',
      'The table or view `system`.`access`.`audit` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01',
    );
  }
  const bound = new Map(parameters.map((p) => [p.name, p]));
  const markers = new Set([...sql.replace(/'(?:[^']|'')*'/g, "''").matchAll(/(?<![:\w]):([A-Za-z_]\w*)/g)].map((x) => x[1]));
  for (const name of markers) if (!bound.has(name)) throw new AuditQueryError('UNBOUND_SQL_PARAMETER', `Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as \`map()\`, \`array()\`, \`struct()\`. SQLSTATE: 42P02`);
  const val = (n: string): string | null => bound.get(n)?.value ?? null;
  const days = Number(val('days') ?? '30');
  const since = Date.now() - days * 86_400_000;
  const names = new Set(['application_id', 'sp_id', 'display_name'].map(val).filter((v): v is string => !!v).map((v) => v.toLowerCase()));
  const actors = new Set(['application_id', 'display_name'].map(val).filter((v): v is string => !!v).map((v) => v.toLowerCase()));
  const rows = state.auditEvents
    .filter((e) => Date.parse(e.event_time) >= since)
    .filter((e) => actors.has(e.actor.toLowerCase()) || Object.values(e.request_params).some((v) => names.has(v.toLowerCase())))
    .sort((a, b) => b.event_time.localeCompare(a.event_time))
    .slice(0, 1000)
    .map((e) => [e.event_time, e.service_name, e.action_name, e.actor, e.source_ip_address, String(e.status_code), e.error_message, JSON.stringify(e.request_params)]);
  return { columns: [...AUDIT_COLUMNS], rows };
}
