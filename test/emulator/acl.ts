/** Object ACLs (permissions API): tokens and SQL warehouses. */
import { apiError, bodyObject, type Ctx } from './http';
import { LEVEL_RANK, type AclEntry, type Caller, type EmulatorState, type PermissionLevel } from './state';

type Json = Record<string, unknown>;

export function aclMatches(e: AclEntry, c: Caller): boolean {
  if (e.kind === 'group') return c.groups.has(e.name);
  if (e.kind === 'user') return c.kind === 'user' && e.name.toLowerCase() === c.name.toLowerCase();
  return c.kind === 'sp' && e.name.toLowerCase() === c.name.toLowerCase();
}

/** The highest level a caller holds through an ACL (undefined = none). */
export function effectiveLevel(acl: AclEntry[], c: Caller): PermissionLevel | undefined {
  let best: PermissionLevel | undefined;
  for (const e of acl) if (aclMatches(e, c) && (!best || LEVEL_RANK[e.level] > LEVEL_RANK[best])) best = e.level;
  return best;
}

export function aclEntryJson(state: EmulatorState, e: AclEntry, inherited?: string): Json {
  const o: Json = {};
  if (e.kind === 'user') {
    o.user_name = e.name;
    const u = state.findUser(e.name);
    if (u) o.display_name = u.displayName;
  } else if (e.kind === 'group') {
    o.group_name = e.name;
  } else {
    o.service_principal_name = e.name;
    const sp = state.findSpByApplicationId(e.name);
    if (sp) o.display_name = sp.displayName;
  }
  o.all_permissions = [
    inherited ? { permission_level: e.level, inherited: true, inherited_from_object: [inherited] } : { permission_level: e.level, inherited: false },
  ];
  return o;
}

/** Parses `{access_control_list:[...]}` and validates principals and levels. */
export function parseAclRequest(ctx: Ctx, allowed: PermissionLevel[]): AclEntry[] {
  const b = bodyObject(ctx);
  const list = b.access_control_list;
  if (!Array.isArray(list)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'access_control_list is required and must be an array.');
  return list.map((raw: unknown): AclEntry => {
    if (!raw || typeof raw !== 'object') throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Each access control entry must be an object.');
    const r = raw as Json;
    const names = (['user_name', 'group_name', 'service_principal_name'] as const).filter((k) => r[k] !== undefined && r[k] !== null);
    if (names.length !== 1) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Each access control entry needs exactly one of user_name, group_name, service_principal_name.');
    const key = names[0];
    const name = r[key];
    if (typeof name !== 'string' || name === '') throw apiError(400, 'INVALID_PARAMETER_VALUE', `${key} must be a non-empty string.`);
    const level = r.permission_level;
    if (typeof level !== 'string' || !(allowed as string[]).includes(level)) {
      throw apiError(400, 'INVALID_PARAMETER_VALUE', `Permission level ${String(level)} is not supported here; use one of ${allowed.join(', ')}.`);
    }
    if (key === 'user_name') {
      const u = ctx.state.findUser(name);
      if (!u) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Principal: UserName(${name}) does not exist`);
      return { kind: 'user', name: u.userName, level: level as PermissionLevel };
    }
    if (key === 'group_name') {
      if (!ctx.state.findGroup(name)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Principal: GroupName(${name}) does not exist`);
      return { kind: 'group', name, level: level as PermissionLevel };
    }
    const sp = ctx.state.findSpByApplicationId(name);
    if (!sp) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Principal: ServicePrincipalName(${name}) does not exist`);
    return { kind: 'sp', name: sp.applicationId, level: level as PermissionLevel };
  });
}

const sameP = (a: AclEntry, b: AclEntry): boolean => a.kind === b.kind && a.name.toLowerCase() === b.name.toLowerCase();

/** PATCH semantics: each entry sets that principal's direct level. */
export function mergeAcl(acl: AclEntry[], changes: AclEntry[]): AclEntry[] {
  let out = [...acl];
  for (const c of changes) {
    if (c.level === 'IS_OWNER') out = out.filter((e) => e.level !== 'IS_OWNER');
    const i = out.findIndex((e) => sameP(e, c));
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return out;
}
