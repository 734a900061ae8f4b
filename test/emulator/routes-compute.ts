/** SQL warehouses (+ legacy endpoints), warehouse ACLs, clusters, and the SQL statements API. */
import { aclEntryJson, effectiveLevel, mergeAcl, parseAclRequest } from './acl';
import { apiError, bodyObject, bool, HttpError, int, json, queryInt, requireCaller, str, tokenPage, type Ctx, type Reply, type Route } from './http';
import { applyGrantChanges, canManageGrants, createUcSchema, dropUcSchema, findCatalog, assignmentsJson, ownedBy, UC_PRIVILEGES } from './routes-uc';
import { parseStatement, SqlError, type GrantStatement, type ParsedStatement } from './sql';
import { AuditQueryError, isAuditQuery, runAuditQuery } from './audit';
import { hex, LEVEL_RANK, type Caller, type EmulatorState, type PermissionLevel, type StatementRec, type WarehouseRec } from './state';

type Json = Record<string, unknown>;

export const CLUSTER_SIZES: Record<string, string> = {
  '2X-Small': 'XXSMALL',
  'X-Small': 'XSMALL',
  Small: 'SMALL',
  Medium: 'MEDIUM',
  Large: 'LARGE',
  'X-Large': 'XLARGE',
  '2X-Large': 'XXLARGE',
  '3X-Large': 'XXXLARGE',
  '4X-Large': 'XXXXLARGE',
};

function hostnameOf(ctx: Ctx): string {
  return ctx.state.options.publicHostname ?? ctx.host.replace(/:\d+$/, '');
}

function warehouseJson(ctx: Ctx, w: WarehouseRec, legacy = false): Json {
  const host = hostnameOf(ctx);
  const path = legacy ? `/sql/1.0/endpoints/${w.id}` : `/sql/1.0/warehouses/${w.id}`;
  return {
    id: w.id,
    name: w.name,
    size: CLUSTER_SIZES[w.cluster_size] ?? 'XXSMALL',
    cluster_size: w.cluster_size,
    min_num_clusters: w.min_num_clusters,
    max_num_clusters: w.max_num_clusters,
    auto_stop_mins: w.auto_stop_mins,
    auto_resume: true,
    creator_name: w.creator_name,
    creator_id: BigInt(w.creator_id),
    tags: w.tags.length > 0 ? { custom_tags: w.tags } : {},
    spot_instance_policy: 'COST_OPTIMIZED',
    enable_photon: true,
    channel: { name: 'CHANNEL_NAME_CURRENT' },
    enable_serverless_compute: w.enable_serverless_compute,
    warehouse_type: w.warehouse_type,
    num_clusters: w.state === 'RUNNING' ? w.min_num_clusters : 0,
    num_active_sessions: 0,
    state: w.state,
    jdbc_url: `jdbc:spark://${host}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${path};`,
    odbc_params: { hostname: host, path, port: 443, protocol: 'https' },
    health: { status: w.state === 'RUNNING' ? 'HEALTHY' : 'STATUS_UNSPECIFIED' },
  };
}

function warehouseLevel(w: WarehouseRec, c: Caller): PermissionLevel | undefined {
  if (c.isAdmin) return 'CAN_MANAGE';
  return effectiveLevel(w.acl, c);
}
function requireLevel(w: WarehouseRec, c: Caller, need: PermissionLevel, action: string): void {
  const have = warehouseLevel(w, c);
  if (!have || LEVEL_RANK[have] < LEVEL_RANK[need]) {
    throw apiError(403, 'PERMISSION_DENIED', `${c.name} does not have ${need} permission on warehouse ${w.id} (needed to ${action}).`);
  }
}
/** A GET advances a STARTING warehouse (see the warehouseStartingPolls option). */
function observe(w: WarehouseRec): void {
  if (w.state !== 'STARTING') return;
  if (w.startingPollsLeft > 0) w.startingPollsLeft -= 1;
  else w.state = 'RUNNING';
}
function startWarehouse(state: EmulatorState, w: WarehouseRec): void {
  if (w.state === 'RUNNING' || w.state === 'STARTING') return;
  const polls = state.options.warehouseStartingPolls;
  w.state = polls > 0 ? 'STARTING' : 'RUNNING';
  w.startingPollsLeft = polls;
}
function getWarehouse(ctx: Ctx): WarehouseRec {
  const w = ctx.state.warehouses.get(ctx.params[0]);
  if (!w) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Warehouse ${ctx.params[0]} does not exist.`);
  return w;
}
function visibleWarehouses(ctx: Ctx, c: Caller): WarehouseRec[] {
  return [...ctx.state.warehouses.values()].filter((w) => warehouseLevel(w, c) !== undefined);
}

function createWarehouse(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  if (!c.isAdmin && !c.entitlements.has('allow-cluster-create')) {
    throw apiError(403, 'PERMISSION_DENIED', `${c.name} is not allowed to create SQL warehouses (needs the allow-cluster-create entitlement).`);
  }
  const b = bodyObject(ctx);
  const name = str(b, 'name', true).trim();
  if (name === '' || name.length >= 100) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Warehouse name must be 1 to 99 characters long.');
  for (const w of ctx.state.warehouses.values()) {
    if (w.name.toLowerCase() === name.toLowerCase()) throw apiError(400, 'RESOURCE_ALREADY_EXISTS', `A SQL warehouse with the name ${name} already exists.`);
  }
  const size = str(b, 'cluster_size', true);
  if (!(size in CLUSTER_SIZES)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid cluster_size ${size}; use one of ${Object.keys(CLUSTER_SIZES).join(', ')}.`);
  const min = int(b, 'min_num_clusters') ?? 1;
  const max = int(b, 'max_num_clusters') ?? Math.max(min, 1);
  if (min < 1 || max < min || max > 30) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Cluster counts must satisfy 1 <= min_num_clusters <= max_num_clusters <= 30.');
  const autoStop = int(b, 'auto_stop_mins') ?? 120;
  if (autoStop !== 0 && autoStop < 10) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'auto_stop_mins must be 0 (never) or at least 10.');
  const type = str(b, 'warehouse_type') ?? 'CLASSIC';
  if (type !== 'PRO' && type !== 'CLASSIC') throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid warehouse_type ${type}; use PRO or CLASSIC.`);
  const serverless = bool(b, 'enable_serverless_compute') ?? false;
  if (serverless && type !== 'PRO') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Serverless compute requires warehouse_type PRO.');
  // not every workspace offers serverless (region, plan, admin setting), nor every type; the exact refusal text is not documented
  if (serverless && !ctx.state.options.serverlessAvailable) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Serverless SQL warehouses are not available in this workspace.');
  if (!ctx.state.options.warehouseTypes.includes(type)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Warehouse type ${type} is not available in this workspace.`);
  const tagsRaw = b.tags;
  let tags: { key: string; value: string }[] = [];
  if (tagsRaw !== undefined && tagsRaw !== null) {
    const ct = (tagsRaw as Json).custom_tags;
    if (ct !== undefined && (!Array.isArray(ct) || ct.some((t: unknown) => !t || typeof (t as Json).key !== 'string' || typeof (t as Json).value !== 'string'))) {
      throw apiError(400, 'INVALID_PARAMETER_VALUE', 'tags.custom_tags must be an array of {key, value} strings.');
    }
    tags = ((ct as { key: string; value: string }[] | undefined) ?? []).map((t) => ({ key: t.key, value: t.value }));
  }
  let id = hex(8);
  while (ctx.state.warehouses.has(id)) id = hex(8);
  const w: WarehouseRec = {
    id,
    name,
    state: 'STOPPED',
    cluster_size: size,
    min_num_clusters: min,
    max_num_clusters: max,
    auto_stop_mins: autoStop,
    warehouse_type: type,
    enable_serverless_compute: serverless,
    creator_name: c.name,
    creator_id: c.id,
    tags,
    acl: [{ kind: c.kind === 'user' ? 'user' : 'sp', name: c.name, level: 'IS_OWNER' }],
    startingPollsLeft: 0,
  };
  ctx.state.warehouses.set(id, w);
  startWarehouse(ctx.state, w);
  return json({ id });
}

function warehouseAclJson(ctx: Ctx, w: WarehouseRec): Json {
  const entries = [...w.acl].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  return {
    object_id: `/sql/warehouses/${w.id}`,
    object_type: 'warehouses',
    access_control_list: [
      ...entries.map((e) => aclEntryJson(ctx.state, e)),
      aclEntryJson(ctx.state, { kind: 'group', name: 'admins', level: 'CAN_MANAGE' }, '/sql/warehouses/'),
    ],
  };
}

// ------------------------------------------------------------------ clusters
function clusterJson(c: { cluster_id: string; cluster_name: string; state: string; creator_user_name: string }): Json {
  return { cluster_id: c.cluster_id, cluster_name: c.cluster_name, state: c.state, creator_user_name: c.creator_user_name, spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
}
function clusterFrom(ctx: Ctx, id: string | undefined): NonNullable<ReturnType<EmulatorState['clusters']['get']>> {
  if (!id) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'cluster_id is required.');
  const cl = ctx.state.clusters.get(id);
  if (!cl) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Cluster ${id} does not exist`);
  return cl;
}
function permanentDelete(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const cl = clusterFrom(ctx, str(bodyObject(ctx), 'cluster_id', true));
  if (!c.isAdmin && cl.creator_user_name.toLowerCase() !== c.name.toLowerCase()) {
    throw apiError(403, 'PERMISSION_DENIED', `${c.name} does not have Manage permission on cluster ${cl.cluster_id}.`);
  }
  ctx.state.clusters.delete(cl.cluster_id);
  return json({});
}

// ------------------------------------------------------------------ statements
const HIVE_PRIVILEGES = new Set(['USAGE', 'CREATE', 'SELECT', 'READ_METADATA', 'MODIFY', 'CREATE_NAMED_FUNCTION', 'ALL PRIVILEGES']);

type Final = StatementRec['final'];
const fail = (error_code: string, e: SqlError): Final => ({ state: 'FAILED', error_code, message: e.message });

function runStatement(ctx: Ctx, c: Caller, sql: string, defaultCatalog: string): Final {
  let st: ParsedStatement;
  try {
    st = parseStatement(sql);
  } catch (e) {
    if (e instanceof SqlError) return fail('BAD_REQUEST', e);
    throw e;
  }
  if (st.kind === 'select') return { state: 'SUCCEEDED', columns: [st.value], rows: [[st.value]] };
  if (st.kind === 'create-schema' || st.kind === 'drop-schema') return runSchemaDdl(ctx, c, st, defaultCatalog);
  const on = st.on;
  // resolve the securable
  let catalog: string;
  let schema: string | undefined;
  if (on.type === 'CATALOG') {
    if (on.parts.length !== 1) return fail('BAD_REQUEST', new SqlError('INVALID_IDENTIFIER', `Invalid catalog name ${on.parts.join('.')}.`));
    catalog = on.parts[0];
  } else {
    if (on.parts.length > 2) return fail('BAD_REQUEST', new SqlError('INVALID_IDENTIFIER', `Invalid schema name ${on.parts.join('.')}.`));
    catalog = on.parts.length === 2 ? on.parts[0] : defaultCatalog;
    schema = on.parts[on.parts.length - 1];
  }
  if (catalog.toLowerCase() === 'hive_metastore') return runHive(ctx, c, st, schema);
  return runUc(ctx, c, st, catalog, schema);
}

/** CREATE SCHEMA / DROP SCHEMA: Hive databases (admins or the hive_metastore owner), UC schemas (the REST rules). */
function runSchemaDdl(ctx: Ctx, c: Caller, st: Extract<ParsedStatement, { kind: 'create-schema' | 'drop-schema' }>, defaultCatalog: string): Final {
  const state = ctx.state;
  if (st.parts.length > 2) return fail('BAD_REQUEST', new SqlError('INVALID_IDENTIFIER', `Invalid schema name ${st.parts.join('.')}.`));
  const catalog = st.parts.length === 2 ? st.parts[0] : defaultCatalog;
  const name = st.parts[st.parts.length - 1];
  const done: Final = { state: 'SUCCEEDED', columns: [], rows: [] };
  if (catalog.toLowerCase() !== 'hive_metastore') {
    try {
      const exists = state.schemas.has(`${catalog}.${name}`.toLowerCase());
      if (st.kind === 'create-schema') {
        if (exists && st.ifNotExists) return done;
        createUcSchema(state, c, catalog, name);
      } else {
        if (!exists && st.ifExists) return done;
        dropUcSchema(state, c, `${catalog}.${name}`);
      }
      return done;
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      const b = e.reply.body as { error_code?: string; message?: string };
      return { state: 'FAILED', error_code: b.error_code ?? 'BAD_REQUEST', message: b.message ?? 'failed' };
    }
  }
  const key = name.toLowerCase();
  const existing = state.hiveSchemas.get(key);
  if (!c.isAdmin && !ownedBy(state.hiveCatalogOwner, c) && !(st.kind === 'drop-schema' && existing && ownedBy(existing.owner, c))) {
    return fail('PERMISSION_DENIED', new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges: User ${c.name} does not have permission to ${st.kind === 'create-schema' ? 'CREATE' : 'DROP'} on DATABASE ${name}.`));
  }
  if (st.kind === 'create-schema') {
    if (existing) {
      if (st.ifNotExists) return done;
      return fail('BAD_REQUEST', new SqlError('SCHEMA_ALREADY_EXISTS', `Cannot create schema \`${name}\` because it already exists.`));
    }
    state.hiveSchemas.set(key, { name, owner: c.name });
    return done;
  }
  if (!existing) {
    if (st.ifExists) return done;
    return fail('BAD_REQUEST', new SqlError('SCHEMA_NOT_FOUND', `The schema \`${name}\` cannot be found.`));
  }
  if (key === 'default') return fail('BAD_REQUEST', new SqlError('UNSUPPORTED_FEATURE', 'Cannot drop the default database.'));
  state.hiveSchemas.delete(key);
  state.hiveGrants.delete(`SCHEMA ${key}`);
  return done;
}

function runHive(ctx: Ctx, c: Caller, st: GrantStatement, schema: string | undefined): Final {
  const state = ctx.state;
  let owner: string;
  let objectType: string;
  let objectKey: string;
  if (schema === undefined) {
    owner = state.hiveCatalogOwner;
    objectType = 'CATALOG$';
    objectKey = '';
  } else {
    const s = state.hiveSchemas.get(schema.toLowerCase());
    if (!s) return fail('BAD_REQUEST', new SqlError('SCHEMA_NOT_FOUND', `The schema \`${schema}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`));
    owner = s.owner;
    objectType = 'DATABASE';
    objectKey = s.name;
  }
  const grants = state.hiveGrantMap(schema === undefined ? 'CATALOG' : 'SCHEMA', schema);
  if (st.kind === 'show') {
    const rows: (string | null)[][] = [];
    const want = st.principal?.toLowerCase();
    if (want === undefined || owner.toLowerCase() === want) rows.push([owner, 'OWN', objectType, objectKey]);
    for (const [p, privs] of grants) {
      if (want !== undefined && p.toLowerCase() !== want) continue;
      for (const priv of [...privs].sort()) rows.push([p, priv, objectType, objectKey]);
    }
    return { state: 'SUCCEEDED', columns: ['Principal', 'ActionType', 'ObjectType', 'ObjectKey'], rows };
  }
  for (const p of st.privileges) {
    if (!HIVE_PRIVILEGES.has(p)) return fail('BAD_REQUEST', new SqlError('INVALID_PRIVILEGE', `${p} is not a valid privilege for table access control.`));
  }
  if (!c.isAdmin && !ownedBy(owner, c)) {
    const what = schema === undefined ? 'CATALOG' : `DATABASE ${schema}`;
    return fail('PERMISSION_DENIED', new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges: User ${c.name} does not have permission to ${st.kind.toUpperCase()} on ${what}; only the object owner or an admin may.`));
  }
  if (!state.principalExists(st.principal)) return fail('BAD_REQUEST', new SqlError('PRINCIPAL_DOES_NOT_EXIST', `Could not find principal with name ${st.principal}.`));
  const name = state.findUser(st.principal)?.userName ?? state.findSpByApplicationId(st.principal)?.applicationId ?? st.principal;
  const set = grants.get(name) ?? new Set<string>();
  if (st.kind === 'grant') st.privileges.forEach((p) => set.add(p));
  else st.privileges.forEach((p) => set.delete(p));
  if (set.size === 0) grants.delete(name);
  else grants.set(name, set);
  return { state: 'SUCCEEDED', columns: [], rows: [] };
}

function runUc(ctx: Ctx, c: Caller, st: GrantStatement, catalog: string, schema: string | undefined): Final {
  const state = ctx.state;
  if (!state.metastore || !state.catalogs.has(catalog.toLowerCase())) {
    return fail('BAD_REQUEST', new SqlError('NO_SUCH_CATALOG_EXCEPTION', `Catalog '${catalog}' was not found. Please verify the catalog name and then retry the query or command again.`));
  }
  const cat = findCatalog(state, catalog);
  const type = schema === undefined ? 'catalog' : 'schema';
  let full = cat.name;
  if (schema !== undefined) {
    const s = state.schemas.get(`${cat.name}.${schema}`.toLowerCase());
    if (!s) return fail('BAD_REQUEST', new SqlError('SCHEMA_NOT_FOUND', `The schema \`${cat.name}\`.\`${schema}\` cannot be found.`));
    full = `${s.catalog}.${s.name}`;
  }
  if (st.kind === 'show') {
    const rows = assignmentsJson(state.ucGrants.get(`${type}:${full.toLowerCase()}`), st.principal).flatMap((a) =>
      (a.privileges as string[]).map((p) => [a.principal as string, p.replace(/_/g, ' '), type.toUpperCase(), full] as (string | null)[]),
    );
    return { state: 'SUCCEEDED', columns: ['Principal', 'ActionType', 'ObjectType', 'ObjectKey'], rows };
  }
  const privs = st.privileges.map((p) => (p === 'ALL PRIVILEGES' ? 'ALL_PRIVILEGES' : p));
  for (const p of privs) {
    if (!UC_PRIVILEGES[type].has(p)) return fail('BAD_REQUEST', new SqlError('INVALID_PRIVILEGE', `Privilege ${p.replace(/_/g, ' ')} is not valid for ${type.toUpperCase()}.`));
  }
  if (!canManageGrants(state, c, type, full)) {
    return fail('PERMISSION_DENIED', new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges: User does not have MANAGE on ${type.toUpperCase()} '${full}'.`));
  }
  if (!state.principalExists(st.principal)) return fail('BAD_REQUEST', new SqlError('PRINCIPAL_DOES_NOT_EXIST', `Could not find principal with name ${st.principal}.`));
  applyGrantChanges(state, type, full, [{ principal: st.principal, add: st.kind === 'grant' ? privs : [], remove: st.kind === 'revoke' ? privs : [] }]);
  return { state: 'SUCCEEDED', columns: [], rows: [] };
}

/** SELECT … FROM system.access.audit with named parameters (test/emulator/audit.ts). */
function runAudit(ctx: Ctx, statement: string, parameters: unknown): Final {
  const params = Array.isArray(parameters)
    ? parameters.flatMap((p) => (p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string' ? [{ name: (p as { name: string }).name, value: typeof (p as { value?: unknown }).value === 'string' ? (p as { value: string }).value : null }] : []))
    : [];
  try {
    const r = runAuditQuery(ctx.state, statement, params);
    return { state: 'SUCCEEDED', columns: r.columns, rows: r.rows };
  } catch (e) {
    if (e instanceof AuditQueryError) return { state: 'FAILED', error_code: 'BAD_REQUEST', message: e.message };
    throw e;
  }
}

function statementJson(s: StatementRec, pendingState?: 'PENDING' | 'RUNNING'): Json {
  if (pendingState) return { statement_id: s.statement_id, status: { state: pendingState } };
  const f = s.final;
  if (f.state === 'FAILED') return { statement_id: s.statement_id, status: { state: 'FAILED', error: { error_code: f.error_code, message: f.message } } };
  if (f.state === 'CANCELED') return { statement_id: s.statement_id, status: { state: 'CANCELED' } };
  const result: Json = { chunk_index: 0, row_offset: 0, row_count: f.rows.length };
  if (f.rows.length > 0) result.data_array = f.rows;
  return {
    statement_id: s.statement_id,
    status: { state: 'SUCCEEDED' },
    manifest: {
      format: 'JSON_ARRAY',
      schema: {
        column_count: f.columns.length,
        columns: f.columns.map((name, position) => ({ name, type_text: 'STRING', type_name: 'STRING', position })),
      },
      total_chunk_count: 1,
      chunks: [{ chunk_index: 0, row_offset: 0, row_count: f.rows.length }],
      total_row_count: f.rows.length,
      truncated: false,
    },
    result,
  };
}

function submitStatement(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const b = bodyObject(ctx);
  const warehouseId = str(b, 'warehouse_id', true);
  const statement = str(b, 'statement', true);
  const waitTimeout = str(b, 'wait_timeout') ?? '10s';
  const m = /^(\d+)s$/.exec(waitTimeout);
  if (!m || (Number(m[1]) !== 0 && (Number(m[1]) < 5 || Number(m[1]) > 50))) {
    throw apiError(400, 'INVALID_PARAMETER_VALUE', `wait_timeout must be "0s" or between "5s" and "50s", got "${waitTimeout}".`);
  }
  const onWait = str(b, 'on_wait_timeout') ?? 'CONTINUE';
  if (onWait !== 'CONTINUE' && onWait !== 'CANCEL') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'on_wait_timeout must be CONTINUE or CANCEL.');
  const w = ctx.state.warehouses.get(warehouseId);
  if (!w) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Warehouse ${warehouseId} does not exist.`);
  requireLevel(w, c, 'CAN_USE', 'run statements');
  if (w.state === 'DELETED' || w.state === 'DELETING') throw apiError(400, 'INVALID_STATE', `Warehouse ${warehouseId} is being deleted.`);
  if (w.state !== 'RUNNING') w.state = 'RUNNING'; // auto-resume
  const defaultCatalog = str(b, 'catalog') ?? ctx.state.defaultCatalog;
  const final = isAuditQuery(statement) ? runAudit(ctx, statement, b.parameters) : runStatement(ctx, c, statement, defaultCatalog);
  const async = Number(m[1]) === 0;
  let polls = ctx.state.options.statementRunningPolls;
  if (async && polls === 0) polls = 1;
  const rec: StatementRec = { statement_id: `01ef${hex(14)}`, warehouse_id: warehouseId, statement, submitter: c.name, pollsLeft: polls, final };
  if (polls > 0 && !async && onWait === 'CANCEL') {
    rec.pollsLeft = 0;
    rec.final = { state: 'CANCELED' };
  }
  ctx.state.statements.set(rec.statement_id, rec);
  if (rec.pollsLeft > 0) return json(statementJson(rec, async ? 'PENDING' : 'RUNNING'));
  return json(statementJson(rec));
}

function getStatement(ctx: Ctx): StatementRec {
  const c = requireCaller(ctx);
  const s = ctx.state.statements.get(ctx.params[0]);
  if (!s || (!c.isAdmin && s.submitter !== c.name)) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Statement ${ctx.params[0]} does not exist.`);
  return s;
}

export const computeRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/sql\/warehouses$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const pageSize = queryInt(ctx, 'page_size') ?? ctx.state.options.warehousePageSize;
      if (pageSize !== undefined && pageSize < 0) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'page_size must not be negative.');
      const all = visibleWarehouses(ctx, c);
      all.forEach(observe);
      const page = tokenPage(all, 'warehouses', ctx.query.page_token || undefined, pageSize || undefined, ctx.state.options.warehouseEmptyPages);
      const body: Json = { warehouses: page.items.map((w) => warehouseJson(ctx, w)) };
      if (page.next !== undefined) body.next_page_token = page.next;
      return json(body);
    },
  },
  { method: 'POST', pattern: /^\/api\/2\.0\/sql\/warehouses$/, handler: createWarehouse },
  {
    // the workspace's SQL warehouse settings (sdk-go sql GetWorkspaceWarehouseConfigResponse); workspace admins only (unverified)
    method: 'GET',
    pattern: /^\/api\/2\.0\/sql\/config\/warehouses$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      if (!c.isAdmin) throw apiError(403, 'PERMISSION_DENIED', 'Only workspace admins can read the SQL warehouse configuration.');
      const o = ctx.state.options;
      const body: Json = {
        security_policy: 'DATA_ACCESS_CONTROL',
        enabled_warehouse_types: (['PRO', 'CLASSIC'] as const).map((t) => ({ warehouse_type: t, enabled: o.warehouseTypes.includes(t) })),
      };
      if (o.warehouseConfigTellsServerless) body.enable_serverless_compute = o.serverlessAvailable;
      return json(body);
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/sql\/endpoints$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const all = visibleWarehouses(ctx, c);
      all.forEach(observe);
      return json(all.length > 0 ? { endpoints: all.map((w) => warehouseJson(ctx, w, true)) } : {});
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/sql\/(?:warehouses|endpoints)\/([0-9a-zA-Z]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_VIEW', 'view it');
      observe(w);
      return json(warehouseJson(ctx, w, ctx.path.includes('/endpoints/')));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/2\.0\/sql\/(?:warehouses|endpoints)\/([0-9a-zA-Z]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_MANAGE', 'delete it');
      ctx.state.warehouses.delete(w.id);
      return json({});
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/sql\/(?:warehouses|endpoints)\/([0-9a-zA-Z]+)\/start$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_USE', 'start it');
      startWarehouse(ctx.state, w);
      return json({});
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/sql\/(?:warehouses|endpoints)\/([0-9a-zA-Z]+)\/stop$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_MONITOR', 'stop it');
      w.state = 'STOPPED';
      return json({});
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/permissions\/(?:sql\/)?warehouses\/([0-9a-zA-Z]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_MANAGE', 'read its permissions');
      return json(warehouseAclJson(ctx, w));
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/2\.0\/permissions\/(?:sql\/)?warehouses\/([0-9a-zA-Z]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const w = getWarehouse(ctx);
      requireLevel(w, c, 'CAN_MANAGE', 'change its permissions');
      const changes = parseAclRequest(ctx, ['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER']);
      if (changes.some((e) => e.level === 'IS_OWNER' && e.kind === 'group')) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'A group cannot be the owner of a warehouse.');
      w.acl = mergeAcl(w.acl, changes);
      return json(warehouseAclJson(ctx, w));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.[01]\/clusters\/get$/,
    handler: (ctx) => {
      requireCaller(ctx);
      return json(clusterJson(clusterFrom(ctx, ctx.query.cluster_id)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.[01]\/clusters\/list$/,
    handler: (ctx) => {
      requireCaller(ctx);
      const all = [...ctx.state.clusters.values()].map(clusterJson);
      return json(all.length > 0 ? { clusters: all } : {});
    },
  },
  { method: 'POST', pattern: /^\/api\/2\.[01]\/clusters\/permanent-delete$/, handler: permanentDelete },
  { method: 'POST', pattern: /^\/api\/2\.0\/sql\/statements\/?$/, handler: submitStatement },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/sql\/statements\/([^/]+)$/,
    handler: (ctx) => {
      const s = getStatement(ctx);
      if (s.pollsLeft > 0) {
        s.pollsLeft -= 1;
        if (s.pollsLeft > 0) return json(statementJson(s, 'RUNNING'));
      }
      return json(statementJson(s));
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.0\/sql\/statements\/([^/]+)\/cancel$/,
    handler: (ctx) => {
      const s = getStatement(ctx);
      if (s.pollsLeft > 0) {
        s.pollsLeft = 0;
        s.final = { state: 'CANCELED' };
      }
      return json({});
    },
  },
];
