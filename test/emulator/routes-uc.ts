/** Unity Catalog: catalogs, schemas, grants, metastore assignment/summary, default namespace setting. */
import { apiError, bodyObject, json, queryInt, requireCaller, tokenPage, type Ctx, type Reply, type Route } from './http';
import { ucKey, type Caller, type CatalogRec, type EmulatorState, type GrantMap, type SchemaRec } from './state';

type Json = Record<string, unknown>;

export const UC_PRIVILEGES: Record<'catalog' | 'schema', Set<string>> = {
  catalog: new Set([
    'ALL_PRIVILEGES', 'APPLY_TAG', 'BROWSE', 'CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_SCHEMA',
    'CREATE_TABLE', 'CREATE_VOLUME', 'EXECUTE', 'EXTERNAL_USE_SCHEMA', 'MANAGE', 'MODIFY', 'READ_VOLUME', 'REFRESH', 'SELECT',
    'USE_CATALOG', 'USE_SCHEMA', 'WRITE_VOLUME',
  ]),
  schema: new Set([
    'ALL_PRIVILEGES', 'APPLY_TAG', 'CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_TABLE', 'CREATE_VOLUME',
    'EXECUTE', 'EXTERNAL_USE_SCHEMA', 'MANAGE', 'MODIFY', 'READ_VOLUME', 'REFRESH', 'SELECT', 'USE_SCHEMA', 'WRITE_VOLUME',
  ]),
};

/** Is `owner` (a principal name) the caller or one of the caller's groups? */
export function ownedBy(owner: string, c: Caller): boolean {
  return owner.toLowerCase() === c.name.toLowerCase() || c.groups.has(owner);
}
export function isMetastoreAdmin(state: EmulatorState, c: Caller): boolean {
  return !!state.metastore && ownedBy(state.metastore.owner, c);
}
function hasAnyGrant(g: GrantMap | undefined, c: Caller): boolean {
  if (!g) return false;
  for (const [p, privs] of g) if (privs.size > 0 && ownedBy(p, c)) return true;
  return false;
}

export function requireMetastore(state: EmulatorState): NonNullable<EmulatorState['metastore']> {
  if (!state.metastore) throw apiError(404, 'METASTORE_DOES_NOT_EXIST', 'No metastore assigned for the current workspace.');
  return state.metastore;
}

/** The synthetic hive_metastore entry of UC catalog lists (everyone may see it). */
function hiveCatalog(state: EmulatorState): CatalogRec | undefined {
  if (!state.options.hiveMetastoreInCatalogList || state.catalogs.has('hive_metastore')) return undefined;
  return { name: 'hive_metastore', owner: state.hiveCatalogOwner, catalog_type: 'INTERNAL_CATALOG', comment: 'Hive metastore (legacy)', created_at: 0, created_by: 'System user' };
}

export function canSeeCatalog(state: EmulatorState, c: Caller, cat: CatalogRec): boolean {
  if (cat.name.toLowerCase() === 'hive_metastore') return true;
  if (isMetastoreAdmin(state, c) || ownedBy(cat.owner, c) || hasAnyGrant(state.ucGrants.get(`catalog:${cat.name.toLowerCase()}`), c)) return true;
  // a principal that owns or was granted something on a schema may browse its catalog
  for (const s of state.schemas.values()) {
    if (s.catalog.toLowerCase() === cat.name.toLowerCase() && (ownedBy(s.owner, c) || hasAnyGrant(state.ucGrants.get(`schema:${fullName(s).toLowerCase()}`), c))) return true;
  }
  return false;
}
const fullName = (s: SchemaRec): string => `${s.catalog}.${s.name}`;

function catalogJson(state: EmulatorState, c: CatalogRec): Json {
  const o: Json = {
    name: c.name,
    full_name: c.name,
    owner: c.owner,
    catalog_type: c.catalog_type,
    metastore_id: state.metastore?.id,
    securable_type: 'CATALOG',
    securable_kind: c.catalog_type === 'MANAGED_CATALOG' ? 'CATALOG_STANDARD' : undefined,
    isolation_mode: 'OPEN',
    created_at: c.created_at,
    created_by: c.created_by,
    updated_at: c.created_at,
    browse_only: false,
  };
  if (c.comment !== undefined) o.comment = c.comment;
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
function schemaJson(state: EmulatorState, s: SchemaRec): Json {
  const o: Json = {
    name: s.name,
    catalog_name: s.catalog,
    full_name: fullName(s),
    owner: s.owner,
    metastore_id: state.metastore?.id,
    catalog_type: state.catalogs.get(s.catalog.toLowerCase())?.catalog_type,
    securable_type: 'SCHEMA',
    created_at: s.created_at,
    updated_at: s.created_at,
  };
  if (s.comment !== undefined) o.comment = s.comment;
  return o;
}

/** UC paging: max_results (0 or absent = server default), page_token; the seed may force small/empty pages. */
function ucPage<T>(ctx: Ctx, items: T[], tag: string): { items: T[]; next?: string } {
  const max = queryInt(ctx, 'max_results');
  if (max !== undefined && (max < 0 || max > 1000)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'max_results must be between 0 and 1000.');
  const cap = ctx.state.options.ucPageSize;
  let size: number | undefined = max !== undefined && max > 0 ? max : undefined;
  if (cap !== undefined) size = size === undefined ? cap : Math.min(size, cap);
  return tokenPage(items, tag, ctx.query.page_token || undefined, size, ctx.state.options.ucEmptyPages);
}
function paged(key: string, page: { items: unknown[]; next?: string }): Json {
  const o: Json = { [key]: page.items };
  if (page.next !== undefined) o.next_page_token = page.next;
  return o;
}

export function findCatalog(state: EmulatorState, name: string): CatalogRec {
  const c = state.catalogs.get(name.toLowerCase());
  if (!c) throw apiError(404, 'CATALOG_DOES_NOT_EXIST', `Catalog '${name}' does not exist.`);
  return c;
}
export function findSchema(state: EmulatorState, full: string): SchemaRec {
  const parts = full.split('.');
  if (parts.length !== 2) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid schema full name '${full}'.`);
  findCatalog(state, parts[0]);
  const s = state.schemas.get(full.toLowerCase());
  if (!s) throw apiError(404, 'SCHEMA_DOES_NOT_EXIST', `Schema '${full}' does not exist.`);
  return s;
}

/** May the caller change grants on this securable? Owner, metastore admin, or (schemas) the catalog owner. */
export function canManageGrants(state: EmulatorState, c: Caller, type: 'catalog' | 'schema', full: string): boolean {
  if (isMetastoreAdmin(state, c)) return true;
  if (type === 'catalog') {
    const cat = findCatalog(state, full);
    return ownedBy(cat.owner, c) || !!state.ucGrants.get(`catalog:${cat.name.toLowerCase()}`)?.get(c.name)?.has('MANAGE');
  }
  const s = findSchema(state, full);
  const cat = findCatalog(state, s.catalog);
  return ownedBy(s.owner, c) || ownedBy(cat.owner, c);
}

export function assignmentsJson(g: GrantMap | undefined, principal?: string): Json[] {
  const out: Json[] = [];
  for (const [p, privs] of g ?? []) {
    if (privs.size === 0) continue;
    if (principal !== undefined && p.toLowerCase() !== principal.toLowerCase()) continue;
    out.push({ principal: p, privileges: [...privs].sort() });
  }
  return out;
}

/**
 * Applies {principal, add, remove} changes after validating all of them (all-or-nothing).
 * Throws HttpError 400 for unknown principals/privileges.
 */
export function applyGrantChanges(state: EmulatorState, type: 'catalog' | 'schema', full: string, changes: { principal: string; add: string[]; remove: string[] }[]): void {
  for (const ch of changes) {
    // a principal that still holds grants here is known to the metastore (identity federation: its workspace
    // delete left it in the account), so its grants can be revoked
    const holds = ch.add.length === 0 && !!state.ucGrants.get(ucKey(type, full))?.has(ch.principal);
    if (!state.principalExists(ch.principal) && !holds) throw apiError(400, 'PRINCIPAL_DOES_NOT_EXIST', `Could not find principal with name ${ch.principal}.`);
    for (const p of [...ch.add, ...ch.remove]) {
      if (!UC_PRIVILEGES[type].has(p)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Privilege ${p} is not applicable to this entity [${type}:${full}].`);
    }
  }
  const g = state.ucGrantMap(type, full);
  for (const ch of changes) {
    const set = g.get(ch.principal) ?? new Set<string>();
    ch.add.forEach((p) => set.add(p));
    ch.remove.forEach((p) => set.delete(p));
    if (set.size === 0) g.delete(ch.principal);
    else g.set(ch.principal, set);
  }
}

/** Creates a UC schema owned by the caller: metastore admins, the catalog owner, or holders of CREATE_SCHEMA (+ USE_CATALOG). */
export function createUcSchema(state: EmulatorState, c: Caller, catalogName: string, name: string, comment?: string): SchemaRec {
  requireMetastore(state);
  const cat = findCatalog(state, catalogName);
  if (!/^[^\s.`/]+$/.test(name)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid schema name '${name}'.`);
  const grants = state.ucGrants.get(`catalog:${cat.name.toLowerCase()}`);
  const held = (p: string): boolean => [...(grants ?? [])].some(([who, privs]) => ownedBy(who, c) && (privs.has(p) || privs.has('ALL_PRIVILEGES')));
  if (!isMetastoreAdmin(state, c) && !ownedBy(cat.owner, c) && !(held('CREATE_SCHEMA') && held('USE_CATALOG'))) {
    throw apiError(403, 'PERMISSION_DENIED', `User does not have CREATE SCHEMA on Catalog '${cat.name}'.`);
  }
  const full = `${cat.name}.${name}`;
  if (state.schemas.has(full.toLowerCase())) throw apiError(409, 'SCHEMA_ALREADY_EXISTS', `Schema '${name}' already exists in catalog '${cat.name}'.`);
  const rec: SchemaRec = { catalog: cat.name, name, owner: c.name, comment, created_at: Date.now() };
  state.schemas.set(full.toLowerCase(), rec);
  return rec;
}

/** Deletes a UC schema and its grants: its owner, the catalog owner or a metastore admin. */
export function dropUcSchema(state: EmulatorState, c: Caller, full: string): void {
  requireMetastore(state);
  const s = findSchema(state, full);
  const cat = findCatalog(state, s.catalog);
  if (!isMetastoreAdmin(state, c) && !ownedBy(s.owner, c) && !ownedBy(cat.owner, c)) {
    throw apiError(403, 'PERMISSION_DENIED', `User is not an owner of Schema '${fullName(s)}'.`);
  }
  state.schemas.delete(fullName(s).toLowerCase());
  state.ucGrants.delete(`schema:${fullName(s).toLowerCase()}`);
}

function securable(ctx: Ctx): { type: 'catalog' | 'schema'; full: string } {
  requireMetastore(ctx.state);
  const type = ctx.params[0].toLowerCase();
  const full = ctx.params[1];
  if (type !== 'catalog' && type !== 'schema') {
    throw apiError(400, 'INVALID_PARAMETER_VALUE', `The emulator supports the securable types catalog and schema, not '${ctx.params[0]}'.`);
  }
  if (full.split('.')[0].toLowerCase() === 'hive_metastore') {
    throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Unity Catalog permissions are not supported on hive_metastore securables; use GRANT statements (table ACLs).');
  }
  if (type === 'catalog') findCatalog(ctx.state, full);
  else findSchema(ctx.state, full);
  return { type, full };
}

function parseChanges(ctx: Ctx): { principal: string; add: string[]; remove: string[] }[] {
  const b = bodyObject(ctx);
  const changes = b.changes;
  if (!Array.isArray(changes)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'changes is required and must be an array.');
  return changes.map((c: unknown) => {
    if (!c || typeof c !== 'object') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Each change must be an object.');
    const o = c as Json;
    if (typeof o.principal !== 'string' || o.principal === '') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Each change needs a principal.');
    const list = (k: 'add' | 'remove'): string[] => {
      const v = o[k];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw apiError(400, 'INVALID_PARAMETER_VALUE', `${k} must be an array of privilege names.`);
      return (v as string[]).map((x) => x.toUpperCase());
    };
    return { principal: o.principal, add: list('add'), remove: list('remove') };
  });
}

function getPermissions(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const { type, full } = securable(ctx);
  if (type === 'catalog' && !canSeeCatalog(ctx.state, c, findCatalog(ctx.state, full))) {
    throw apiError(403, 'PERMISSION_DENIED', `User does not have USE CATALOG on Catalog '${full}'.`);
  }
  const all = assignmentsJson(ctx.state.ucGrants.get(`${type}:${full.toLowerCase()}`), ctx.query.principal);
  const page = ucPage(ctx, all, `grants:${type}:${full.toLowerCase()}`);
  return json(paged('privilege_assignments', page));
}

function patchPermissions(ctx: Ctx): Reply {
  const c = requireCaller(ctx);
  const { type, full } = securable(ctx);
  const changes = parseChanges(ctx);
  if (!canManageGrants(ctx.state, c, type, full)) {
    throw apiError(403, 'PERMISSION_DENIED', `User does not have MANAGE on ${type === 'catalog' ? 'Catalog' : 'Schema'} '${full}' (only its owner, the catalog owner or a metastore admin may change grants).`);
  }
  applyGrantChanges(ctx.state, type, full, changes);
  return json({ privilege_assignments: assignmentsJson(ctx.state.ucGrants.get(`${type}:${full.toLowerCase()}`)) });
}

export const ucRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/2\.1\/unity-catalog\/catalogs$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      requireMetastore(ctx.state);
      const cats = [...ctx.state.catalogs.values()];
      const hive = hiveCatalog(ctx.state);
      if (hive) cats.unshift(hive);
      const visible = cats.filter((cat) => canSeeCatalog(ctx.state, c, cat)).map((cat) => catalogJson(ctx.state, cat));
      return json(paged('catalogs', ucPage(ctx, visible, 'catalogs')));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.1\/unity-catalog\/catalogs\/([^/]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      requireMetastore(ctx.state);
      const cat = ctx.params[0].toLowerCase() === 'hive_metastore' ? (hiveCatalog(ctx.state) ?? findCatalog(ctx.state, ctx.params[0])) : findCatalog(ctx.state, ctx.params[0]);
      if (!canSeeCatalog(ctx.state, c, cat)) throw apiError(403, 'PERMISSION_DENIED', `User does not have USE CATALOG on Catalog '${cat.name}'.`);
      return json(catalogJson(ctx.state, cat));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.1\/unity-catalog\/schemas$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      requireMetastore(ctx.state);
      const name = ctx.query.catalog_name;
      if (!name) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'catalog_name is required.');
      let items: Json[];
      if (name.toLowerCase() === 'hive_metastore') {
        items = [...ctx.state.hiveSchemas.values()].map((s) => ({ name: s.name, catalog_name: 'hive_metastore', full_name: `hive_metastore.${s.name}`, owner: s.owner }));
      } else {
        const cat = findCatalog(ctx.state, name);
        if (!canSeeCatalog(ctx.state, c, cat)) throw apiError(403, 'PERMISSION_DENIED', `User does not have USE CATALOG on Catalog '${cat.name}'.`);
        const all = isMetastoreAdmin(ctx.state, c) || ownedBy(cat.owner, c) || hasAnyGrant(ctx.state.ucGrants.get(`catalog:${cat.name.toLowerCase()}`), c);
        items = [...ctx.state.schemas.values()]
          .filter((s) => s.catalog.toLowerCase() === cat.name.toLowerCase())
          .filter((s) => all || ownedBy(s.owner, c) || hasAnyGrant(ctx.state.ucGrants.get(`schema:${fullName(s).toLowerCase()}`), c))
          .map((s) => schemaJson(ctx.state, s));
      }
      return json(paged('schemas', ucPage(ctx, items, `schemas:${name.toLowerCase()}`)));
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/2\.1\/unity-catalog\/schemas$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const b = bodyObject(ctx);
      const name = b.name;
      const catalog = b.catalog_name;
      if (typeof name !== 'string' || name === '' || typeof catalog !== 'string' || catalog === '') {
        throw apiError(400, 'INVALID_PARAMETER_VALUE', 'name and catalog_name are required.');
      }
      const comment = typeof b.comment === 'string' ? b.comment : undefined;
      return json(schemaJson(ctx.state, createUcSchema(ctx.state, c, catalog, name, comment)));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/2\.1\/unity-catalog\/schemas\/([^/]+)$/,
    handler: (ctx) => {
      dropUcSchema(ctx.state, requireCaller(ctx), ctx.params[0]);
      return json({});
    },
  },
  { method: 'GET', pattern: /^\/api\/2\.1\/unity-catalog\/permissions\/([^/]+)\/([^/]+)$/, handler: getPermissions },
  { method: 'PATCH', pattern: /^\/api\/2\.1\/unity-catalog\/permissions\/([^/]+)\/([^/]+)$/, handler: patchPermissions },
  {
    method: 'GET',
    pattern: /^\/api\/2\.1\/unity-catalog\/current-metastore-assignment$/,
    handler: (ctx) => {
      requireCaller(ctx);
      const m = requireMetastore(ctx.state);
      return json({ metastore_id: m.id, workspace_id: BigInt(ctx.state.workspaceId), default_catalog_name: ctx.state.defaultCatalog });
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.1\/unity-catalog\/metastore_summary$/,
    handler: (ctx) => {
      requireCaller(ctx);
      const m = requireMetastore(ctx.state);
      return json({
        metastore_id: m.id,
        name: m.name,
        owner: m.owner,
        region: m.region,
        cloud: m.cloud,
        global_metastore_id: `${m.cloud}:${m.region}:${m.id}`,
        delta_sharing_scope: 'INTERNAL',
        privilege_model_version: '1.0',
        default_data_access_config_id: undefined,
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/settings\/types\/default_namespace_ws\/names\/default$/,
    handler: (ctx) => {
      requireCaller(ctx);
      const v = ctx.state.defaultNamespaceSetting;
      if (v === null) {
        throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', 'DefaultNamespaceSetting with name default does not exist.');
      }
      const etag = Buffer.from(`default_namespace:${v}`).toString('base64url');
      return json({ etag, setting_name: 'default', namespace: { value: v } });
    },
  },
];
